"""Choosing what ``b12lint fix`` changes: the safe fixes of findings, one value per place.

A finding's fix is applied only when the rule marks it safe (``fix.safe``); fixes that need
review are counted, never applied. Two safe fixes for the same place with different values
conflict: neither is applied (the record keeps its value and the conflict is reported).
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

from b12lint.model import Finding


@dataclass(frozen=True)
class Change:
    """One value to set: where (encounter, JSON Pointer), what, and which rules asked for it."""

    encounter_id: str
    pointer: str
    value: Any
    rules: tuple[str, ...]


@dataclass
class FixPlan:
    """The changes to apply by encounter, and what was left out."""

    changes: dict[str, list[Change]] = field(default_factory=dict)
    conflicts: list[tuple[str, str, tuple[str, ...]]] = field(default_factory=list)
    """``(encounter, pointer, rules)`` of places with disagreeing fixes."""
    needs_review: list[Finding] = field(default_factory=list)
    """Findings whose fix is not marked safe: reported, not applied."""

    @property
    def count(self) -> int:
        """How many values will be set."""
        return sum(len(c) for c in self.changes.values())


def plan_fixes(findings: Iterable[Finding]) -> FixPlan:
    """The plan for a batch's findings (findings of input errors carry no fix)."""
    by_place: dict[tuple[str, str], list[Finding]] = {}
    plan = FixPlan()
    for finding in findings:
        fix = finding.fix
        if fix is None or finding.encounter_id is None:
            continue
        if not fix.safe:
            plan.needs_review.append(finding)
            continue
        by_place.setdefault((finding.encounter_id, fix.pointer), []).append(finding)
    for (encounter, pointer), found in sorted(by_place.items()):
        rules = tuple(sorted({f.rule_id for f in found}))
        values = [f.fix.value for f in found if f.fix is not None]
        if any(v != values[0] for v in values[1:]):
            plan.conflicts.append((encounter, pointer, rules))
            continue
        plan.changes.setdefault(encounter, []).append(Change(encounter, pointer, values[0], rules))
    return plan
