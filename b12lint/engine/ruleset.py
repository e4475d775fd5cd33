"""A ruleset: the compiled rules of one or more packs, after selection and severity overrides."""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from functools import cached_property
from pathlib import Path

from b12lint.engine.errors import PackError
from b12lint.engine.pack import DEFAULT_ENGINE, Pack, builtin_pack_paths, load_pack, locate_pack
from b12lint.engine.rule import Rule
from b12lint.engine.selection import Selection
from b12lint.model import CATEGORIES

DEFAULT_PACK = "b12-core"


class SelectionError(ValueError):
    """A ``--select``/``--ignore``/severity token that names no rule or category."""


def _matches(token: str, rule: Rule) -> bool:
    token = token.strip()
    if token.upper() == "ALL":
        return True
    if token.lower() in CATEGORIES:
        return rule.meta.category == token.lower()
    upper = token.upper()
    return rule.meta.id == upper or rule.meta.id.startswith(upper + "-") or rule.meta.name == token


@dataclass(frozen=True)
class Ruleset:
    """Rules to run, sorted by id, split by kind."""

    packs: tuple[Pack, ...]
    rules: tuple[Rule, ...]
    by_id: Mapping[str, Rule] = field(init=False, repr=False)

    def __post_init__(self) -> None:
        object.__setattr__(self, "by_id", {r.meta.id: r for r in self.rules})

    @property
    def encounter_rules(self) -> tuple[Rule, ...]:
        """Rules evaluated on one encounter at a time."""
        return tuple(r for r in self.rules if r.meta.kind == "encounter")

    @property
    def history_rules(self) -> tuple[Rule, ...]:
        """Rules evaluated on a patient's events across encounters."""
        return tuple(r for r in self.rules if r.meta.kind == "history")

    @cached_property
    def selection(self) -> Selection:
        """Which encounter rules run on an encounter: built on first use, then shared by every
        batch checked with this ruleset (a service's requests, from any thread)."""
        return Selection(self.encounter_rules)

    def info(self) -> list[dict[str, object]]:
        """The ``rulesets`` entries of the JSON report: each pack and its active rules."""
        return [dict(entry) for entry in self._info]

    @cached_property
    def _info(self) -> tuple[dict[str, object], ...]:
        """:meth:`info`, counted once (every batch of a service reports it)."""
        active = {r.meta.id for r in self.rules}
        return tuple(
            {
                "name": pack.name,
                "version": pack.version,
                "rules": sum(1 for r in pack.rules if r.meta.id in active),
            }
            for pack in self.packs
        )

    @staticmethod
    def check_tokens(rulesets: Sequence[Ruleset], tokens: Sequence[str]) -> None:
        """Raise :class:`SelectionError` for a token that matches no rule of any ruleset."""
        for token in tokens:
            if not any(_matches(token, r) for rs in rulesets for r in rs.rules):
                raise SelectionError(f"{token!r} matches no rule id, name or category")

    def select(
        self,
        select: Sequence[str] | None = None,
        ignore: Sequence[str] | None = None,
        severity: Mapping[str, str] | None = None,
        *,
        strict: bool = True,
    ) -> Ruleset:
        """Keep rules matching ``select`` (default all) and not ``ignore``; override severities.

        A token is a rule id, an id prefix (``B12-UNITS``), a rule name, a category, or ``ALL``;
        a token that matches nothing is an error (a typo must not silently disable a check)
        unless ``strict`` is off (the caller checked the tokens against several rulesets).
        A severity of ``off`` removes the rule.
        """
        if strict:
            Ruleset.check_tokens([self], [*(select or ()), *(ignore or ()), *(severity or {})])
        chosen = [
            r
            for r in self.rules
            if (not select or any(_matches(t, r) for t in select))
            and not any(_matches(t, r) for t in ignore or ())
        ]
        if severity:
            out = []
            for rule in chosen:
                level = next((lv for t, lv in severity.items() if _matches(t, rule)), None)
                if level == "off":
                    continue
                out.append(rule.with_severity(level) if level else rule)
            chosen = out
        return Ruleset(self.packs, tuple(chosen))


def combine(packs: Iterable[Pack]) -> Ruleset:
    """One ruleset from several packs; a pack that extends another replaces it."""
    packs = list(packs)
    extended = {name for p in packs for name in p.chain[:-1]}
    kept = [p for p in packs if p.name not in extended]
    rules: dict[str, Rule] = {}
    for pack in kept:
        for rule in pack.rules:
            if rule.meta.id in rules:
                other = rules[rule.meta.id].meta
                raise PackError(
                    rule.meta.file,
                    f"rule id also defined by pack {other.pack} ({other.file})",
                    rule.meta.id,
                )
            rules[rule.meta.id] = rule
    return Ruleset(tuple(kept), tuple(rules[k] for k in sorted(rules)))


def load_packs(
    packs: Sequence[Path | str] = (), *, builtin: bool = True, engine: str = DEFAULT_ENGINE
) -> list[Pack]:
    """The built-in default pack (unless ``builtin`` is off) and each pack given.

    A pack is a folder, or the name of a built-in pack (``b12-commercial-example``);
    ``engine`` is ``generated`` (the default) or ``closures`` (:data:`pack.ENGINES`).
    """
    loaded: list[Pack] = []
    if builtin:
        default = [p for p in builtin_pack_paths() if p.name == DEFAULT_PACK]
        loaded.extend(load_pack(p, engine) for p in default)
    loaded.extend(load_pack(locate_pack(p), engine) for p in packs)
    return loaded


def load_ruleset(
    packs: Sequence[Path | str] = (),
    *,
    builtin: bool = True,
    engine: str = DEFAULT_ENGINE,
) -> Ruleset:
    """The built-in default pack plus each pack given (``--rules DIR`` or a built-in name)."""
    return combine(load_packs(packs, builtin=builtin, engine=engine))
