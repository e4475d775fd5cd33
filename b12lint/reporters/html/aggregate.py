"""What the audit report counts: findings by rule, category, month and severity, and
findings grouped by encounter for the drill-down (providers: :mod:`.providers`)."""

from __future__ import annotations

import itertools
from collections import Counter
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field

from b12lint.model import SEVERITIES, Finding

NO_PROVIDER = "(no NPI)"
NO_MONTH = "(no date)"


def provider(finding: Finding) -> str:
    """The rendering NPI a finding is counted under."""
    ctx = finding.context
    return ctx.rendering_npi if ctx is not None and ctx.rendering_npi else NO_PROVIDER


def month(finding: Finding) -> str:
    """``YYYY-MM`` of the date of service (input findings have none)."""
    ctx = finding.context
    return ctx.date_of_service[:7] if ctx is not None and ctx.date_of_service else NO_MONTH


@dataclass
class EncounterGroup:
    """One encounter's findings, for the drill-down."""

    anchor: str
    encounter_id: str | None
    file: str
    line: int | None
    findings: list[Finding] = field(default_factory=list)

    @property
    def worst(self) -> str:
        """The most severe severity among the findings."""
        present = {f.severity for f in self.findings}
        return next(s for s in SEVERITIES if s in present)


@dataclass
class Tallies:
    """Every count the report shows."""

    severity: list[tuple[str, int]]
    category: list[tuple[str, int]]
    rule: list[tuple[str, int]]
    month: list[tuple[str, int]]
    undated: int
    groups: int
    """Records with findings (the drill-down's encounter groups)."""
    providers: int
    """Rendering providers with findings."""


def _ranked(counter: Counter[str]) -> list[tuple[str, int]]:
    return sorted(counter.items(), key=lambda kv: (-kv[1], kv[0]))


GroupKey = tuple[str, int | None, str | None]


def _place(f: Finding) -> tuple[str, int | None]:
    return (f.location.file, f.location.line)


def places(findings: Iterable[Finding]) -> Iterator[tuple[list[Finding], list[EncounterGroup]]]:
    """The findings place by place (file and line: consecutive in report order), each place's
    in report order with its encounter groups in the order they first appear, anchored
    ``enc-1``, ``enc-2``… across the report. Only one place's findings are held at a time."""
    count = 0
    for _, run in itertools.groupby(findings, key=_place):
        found = list(run)
        groups: dict[GroupKey, EncounterGroup] = {}
        for f in found:
            key = (f.location.file, f.location.line, f.encounter_id)
            group = groups.get(key)
            if group is None:
                count += 1
                group = groups[key] = EncounterGroup(f"enc-{count}", key[2], key[0], key[1])
            group.findings.append(f)
        yield found, list(groups.values())


def tally(findings: Iterable[Finding]) -> Tallies:
    """Count the findings every way the report charts them (one pass)."""
    severity: Counter[str] = Counter()
    months: Counter[str] = Counter()
    categories: Counter[str] = Counter()
    rules: Counter[str] = Counter()
    providers: set[str] = set()
    groups = 0
    for found, encounter_groups in places(findings):
        groups += len(encounter_groups)
        for f in found:
            severity[f.severity] += 1
            months[month(f)] += 1
            categories[f.category] += 1
            rules[f.rule_id] += 1
            providers.add(provider(f))
    undated = months.pop(NO_MONTH, 0)
    return Tallies(
        severity=[(s, severity[s]) for s in SEVERITIES],
        category=_ranked(categories),
        rule=_ranked(rules),
        month=sorted(months.items()),
        undated=undated,
        groups=groups,
        providers=len(providers),
    )
