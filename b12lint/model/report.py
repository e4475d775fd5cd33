"""What reporters receive: the findings of a run with its summary and rule metadata."""

from __future__ import annotations

from collections.abc import Collection
from dataclasses import dataclass, field
from typing import Any

from b12lint.model.billing import EncounterBilling
from b12lint.model.finding import Finding
from b12lint.model.scorecard import Scorecard
from b12lint.model.summary import Summary


@dataclass(frozen=True)
class RuleInfo:
    """A rule as documentation shows it (reporters must not depend on the engine)."""

    id: str
    name: str
    severity: str
    category: str
    summary: str
    rationale: str
    references: tuple[dict[str, Any], ...] = ()
    effective_from: str | None = None
    effective_to: str | None = None
    pack: str = ""

    def as_dict(self) -> dict[str, Any]:
        """Plain data for ``b12lint rules --format json``."""
        return {
            "id": self.id,
            "name": self.name,
            "severity": self.severity,
            "category": self.category,
            "summary": self.summary,
            "rationale": self.rationale,
            "references": [dict(r) for r in self.references],
            "effective": {"from": self.effective_from, "to": self.effective_to},
            "pack": self.pack,
        }


@dataclass(frozen=True, slots=True)
class EncounterRef:
    """A record that was read (JUnit lists every encounter, with or without findings)."""

    file: str
    line: int | None
    encounter_id: str


@dataclass
class Report:
    """Everything a reporter may render."""

    findings: Collection[Finding]
    """In report order: a list, or for a big batch a stream read back from disk each time it
    is iterated (iterate it; never index it)."""
    summary: Summary
    rulesets: list[dict[str, Any]]
    rules: dict[str, RuleInfo] = field(default_factory=dict)
    tool_version: str = "0.1.0"
    inputs: list[str] = field(default_factory=list)
    suppressed: Collection[Finding] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)
    """Messages for the user beside the findings (stale baseline entries, expired exceptions)."""
    encounters: Collection[EncounterRef] = field(default_factory=list)
    """Every record read (collected only for formats that list them: JUnit): a list in input
    order, or for a big batch a stream read back from disk in place order (file, line)."""
    redacted: bool = False
    """Whether ids and free text were replaced by keyed hashes (``--redact``)."""
    root: str | None = None
    """The absolute working directory relative input paths start from (SARIF's
    ``%SRCROOT%``); None when unknown."""
    billing: list[EncounterBilling] | None = None
    """What each record bills (charges by line, B12 scope, provider), for the HTML audit
    report's charges at risk and provider comparison; None when not collected."""
    scorecard: Scorecard | None = None
    """The remittance scorecard (``b12lint remit --format html``); None without remittances."""
