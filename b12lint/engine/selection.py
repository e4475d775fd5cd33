"""Which rules of a ruleset run on an encounter: in effect on its date, given its chart, for
its claim type (``applies_to``), and with a guard its facts pass (:mod:`b12lint.engine.guard`).

Encounters of a batch repeat a few shapes (the same codes, routes and drugs on a few hundred
dates), so the choice is cached by (date of service, chart, claim type, facts): per encounter
it costs computing a handful of facts and one dictionary lookup, not a test per rule.

A ruleset builds its selection once (:attr:`Ruleset.selection
<b12lint.engine.ruleset.Ruleset.selection>`) and every batch checked with it shares it, from
any thread: ``b12lint serve`` checks requests in a pool of worker threads with one loaded
ruleset per payer route. The cache only ever holds what :meth:`Selection.choose` computes from
its key, so a reader sees either no entry or the right one; filling and starting it over happen
under a lock.
"""

from __future__ import annotations

import datetime as dt
import threading
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
        self._lock = threading.Lock()

    def rules_for(
        self, view: Any, date: dt.date, has_chart: bool, claim_type: str = "professional"
    ) -> tuple[Rule, ...]:
        """The rules that may fire on an encounter view of a claim type."""
        signature = self.reader.read(view)
        key = (date, has_chart, claim_type, signature)
        chosen = self._cache.get(key)
        if chosen is None:
            signature = self.reader.shared(signature)
            key = (date, has_chart, claim_type, signature)
            chosen = self.choose(date, has_chart, claim_type, signature)
            with self._lock:
                if len(self._cache) >= CACHE_SIZE:
                    self._cache.clear()
                    self.reader.forget()
                self._cache[key] = chosen
        return chosen

    def choose(
        self, date: dt.date, has_chart: bool, claim_type: str, signature: Signature
    ) -> tuple[Rule, ...]:
        """The rules that may fire given an encounter's date, chart, claim type and facts."""
        facts = self.reader.facts(signature)
        return tuple(
            rule
            for rule in self.rules
            if rule.meta.applies_on(date)
            and (has_chart or not rule.meta.needs_chart)
            and rule.meta.applies_to(claim_type)
            and passes(rule.guard, facts)
        )
