"""Payer routing: the ruleset that judges each encounter, picked by its payer.

Configuration maps a payer id (``payer.id``, exact) or a payer type (``payer.type``,
case-insensitive) to a pack; an encounter whose payer matches no key is judged by the default
ruleset. The id is tried before the type, so ``"60054"`` can single out one commercial payer
while ``commercial`` covers the rest. With no routes every encounter gets the default ruleset
and :meth:`Router.pick` is never called (the linter checks :attr:`Router.routed` first).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from b12lint.engine.pack import Pack
from b12lint.engine.ruleset import Ruleset, combine
from b12lint.model.payer import normalised, payer_type


@dataclass(frozen=True)
class Router:
    """The default ruleset and, per payer id or type, the ruleset of that payer's pack."""

    default: Ruleset
    by_id: Mapping[str, Ruleset] = field(default_factory=dict)
    by_type: Mapping[str, Ruleset] = field(default_factory=dict)

    @property
    def routed(self) -> bool:
        """Whether any payer has its own ruleset."""
        return bool(self.by_id or self.by_type)

    def pick(self, record: Mapping[str, Any]) -> Ruleset:
        """The ruleset for one encounter record (its ``payer`` id, then type, else default)."""
        payer = record.get("payer")
        if not isinstance(payer, Mapping):
            return self.default
        payer_id = payer.get("id")
        if isinstance(payer_id, str):
            found = self.by_id.get(payer_id.strip())
            if found is not None:
                return found
        kind = payer.get("type")
        if isinstance(kind, str):
            found = self.by_type.get(kind.strip().lower())
            if found is None:  # "Medicare Part B" routes as medicare (b12lint.model.payer)
                found = self.by_type.get(payer_type(kind) or "")
            if found is not None:
                return found
        return self.default

    def rulesets(self) -> list[Ruleset]:
        """Every distinct ruleset: the default first, then routed ones in configuration order."""
        out = [self.default]
        for ruleset in (*self.by_id.values(), *self.by_type.values()):
            if all(ruleset is not seen for seen in out):
                out.append(ruleset)
        return out

    def info(self, used: Sequence[Ruleset] | None = None) -> list[dict[str, object]]:
        """The report's ``rulesets``: each pack of the rulesets used (all when ``used`` is None).

        A pack that several rulesets share is listed once.
        """
        chosen = self.rulesets()
        if used is not None:
            chosen = [r for r in chosen if any(r is u for u in used)] or [self.default]
        out: list[dict[str, object]] = []
        names: set[object] = set()
        for ruleset in chosen:
            for entry in ruleset.info():
                if entry["name"] not in names:
                    names.add(entry["name"])
                    out.append(entry)
        return out


def payer_packs(default_packs: Sequence[Pack], target: Pack) -> list[Pack]:
    """The packs that judge a payer routed to ``target``.

    ``target`` replaces the packs it extends (and any pack extending it); the run's other
    packs (house rules, say) still apply.
    """
    kept = [
        p for p in default_packs if p.name not in target.chain and target.name not in p.chain[:-1]
    ]
    return [*kept, target]


def build_router(
    default_packs: Sequence[Pack],
    routes: Mapping[str, Pack],
    *,
    select: Sequence[str] = (),
    ignore: Sequence[str] = (),
    severity: Mapping[str, str] | None = None,
) -> Router:
    """A router from the default packs and ``{payer id or type: pack}``.

    Selection and severity overrides apply to every ruleset; a token must match a rule in at
    least one of them (:class:`~b12lint.engine.ruleset.SelectionError` otherwise).
    """
    base = combine(default_packs)
    by_pack: dict[str, Ruleset] = {}
    for pack in routes.values():
        if pack.name not in by_pack:
            by_pack[pack.name] = combine(payer_packs(default_packs, pack))
    everything = [base, *by_pack.values()]
    Ruleset.check_tokens(everything, [*select, *ignore, *(severity or {})])

    def chosen(ruleset: Ruleset) -> Ruleset:
        return ruleset.select(select, ignore, severity, strict=False)

    default = chosen(base)
    selected = {name: chosen(r) for name, r in by_pack.items()}
    by_id: dict[str, Ruleset] = {}
    by_type: dict[str, Ruleset] = {}
    for key, pack in routes.items():
        by_id[key.strip()] = selected[pack.name]
        by_type[key.strip().lower()] = selected[pack.name]
        by_type.setdefault(normalised(key), selected[pack.name])  # "Medicare Advantage"
    return Router(default, by_id, by_type)
