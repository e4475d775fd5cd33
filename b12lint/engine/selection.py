"""Which rules of a ruleset run on an encounter: in effect on its date, given its chart, for
its claim type (``applies_to``), and with a guard its facts pass (:mod:`b12lint.engine.guard`).

Encounters of a batch repeat a few shapes (the same codes, routes and drugs on a few hundred
dates), so the choice is cached by (date of service, chart, claim type, facts): per encounter
it costs computing a handful of facts and one dictionary lookup, not a test per rule.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from typing import Any

from b12lint.engine.compiler import Scope
from b12lint.engine.guard import FactReader, Signature, fact_keys, passes
from b12lint.engine.rule import Rule

#: Distinct (date, chart, facts) choices remembered; the cache starts over past it.
CACHE_SIZE = 8192


class Selection:
    """The rules of one ruleset to run on each encounter."""

    def __init__(self, rules: Sequence[Rule]) -> None:
        self.rules = tuple(rules)
        self.reader = FactReader(fact_keys(r.guard for r in self.rules), Scope(data={}))
        self._cache: dict[tuple[dt.date, bool, str, Signature], tuple[Rule, ...]] = {}

    def rules_for(
        self, view: Any, date: dt.date, has_chart: bool, claim_type: str = "professional"
    ) -> tuple[Rule, ...]:
        """The rules that may fire on an encounter view of a claim type."""
        signature = self.reader.signature(view)
        key = (date, has_chart, claim_type, signature)
        chosen = self._cache.get(key)
        if chosen is None:
            facts = self.reader.facts(signature)
            chosen = tuple(
                rule
                for rule in self.rules
                if rule.meta.applies_on(date)
                and (has_chart or not rule.meta.needs_chart)
                and rule.meta.applies_to(claim_type)
                and passes(rule.guard, facts)
            )
            if len(self._cache) >= CACHE_SIZE:
                self._cache.clear()
                self.reader.forget()
            self._cache[key] = chosen
        return chosen
