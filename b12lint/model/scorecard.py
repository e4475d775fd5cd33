"""The remittance scorecard: how often the payer agreed with each rule, and what no rule saw."""

from __future__ import annotations

from dataclasses import asdict, dataclass, field, fields
from typing import Any

#: How a rule's findings can be judged by a payer: ``claim`` rules read only what the payer
#: sees; ``chart`` rules read the documentation (paid-but-flagged by design) and ``audit``
#: rules (info) are notes: both are shown apart and never suggested for downgrade.
RULE_GROUPS = ("claim", "chart", "audit")


@dataclass(slots=True)
class RuleScore:
    """One rule's findings against the remittances."""

    rule_id: str
    severity: str
    category: str
    group: str
    findings: int = 0
    remitted: int = 0
    """Findings whose lines the payer adjudicated."""
    denied: int = 0
    """...of which the payer denied or adjusted (for other than routine reasons)."""
    predicted: int = 0
    """...of which the adjustment maps to the rule's own category."""
    paid: int = 0
    not_remitted: int = 0
    dollars: float = 0.0
    """Denied or adjusted dollars on the rule's lines (each line counted once)."""
    agreement: float | None = None
    """``denied / remitted``: how often the payer acted on what the rule flagged."""
    suggestion: str | None = None


@dataclass(slots=True)
class Gap:
    """Denied or adjusted lines no finding flagged, by adjustment and remark codes."""

    codes: str
    lines: int = 0
    dollars: float = 0.0
    procedure_codes: list[str] = field(default_factory=list)


@dataclass(slots=True)
class Scorecard:
    """The whole remittance comparison of one batch."""

    rules: list[RuleScore]
    gaps: list[Gap]
    lines: dict[str, int]
    """Remitted lines: ``flagged_denied``, ``flagged_paid``, ``denied_not_flagged``,
    ``paid_not_flagged``."""
    claims: dict[str, int]
    """``matched``, ``unmatched_remittances``, ``not_remitted`` (B12 encounters no remittance
    answers), ``reversed``, ``other_payers``, ``unmatched_lines``."""
    unmatched_remittances: list[str]
    not_remitted: list[str]
    provider_adjustments: dict[str, float]
    """PLB adjustments by reason: money not matched to a claim."""
    inputs: dict[str, list[str]]
    input_errors: int = 0
    history: list[RuleScore] | None = None
    """Every rule's scores summed over all the batches recorded in the history store (None
    without ``--history``)."""
    by_encounter: list[tuple[str, RuleScore]] = field(default_factory=list)
    """Each rule's scores per encounter: what the history store records (not in the JSON)."""

    def to_json(self) -> dict[str, Any]:
        """The JSON document of ``b12lint remit --format json`` (schemas/scorecard.schema.json)."""
        return {f.name: asdict(self)[f.name] for f in fields(self) if f.name != "by_encounter"}
