"""What the audit report counts: findings by rule, category, month and severity, and
findings grouped by encounter for the drill-down (providers: :mod:`.providers`)."""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence
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
    groups: list[EncounterGroup]
    anchors: dict[tuple[str, int | None, str | None], str]


def _ranked(counter: Counter[str]) -> list[tuple[str, int]]:
    return sorted(counter.items(), key=lambda kv: (-kv[1], kv[0]))


def tally(findings: Sequence[Finding]) -> Tallies:
    """Count the findings every way the report charts them."""
    severity = Counter(f.severity for f in findings)
    months = Counter(month(f) for f in findings)
    undated = months.pop(NO_MONTH, 0)
    groups: dict[tuple[str, int | None, str | None], EncounterGroup] = {}
    for f in findings:
        key = (f.location.file, f.location.line, f.encounter_id)
        group = groups.get(key)
        if group is None:
            group = EncounterGroup(f"enc-{len(groups) + 1}", f.encounter_id, key[0], key[1])
            groups[key] = group
        group.findings.append(f)
    return Tallies(
        severity=[(s, severity[s]) for s in SEVERITIES],
        category=_ranked(Counter(f.category for f in findings)),
        rule=_ranked(Counter(f.rule_id for f in findings)),
        month=sorted(months.items()),
        undated=undated,
        groups=list(groups.values()),
        anchors={k: g.anchor for k, g in groups.items()},
    )
