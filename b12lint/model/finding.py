"""Findings: frozen value objects carrying what a rule reports (FORMATS.md section 2)."""

from __future__ import annotations

from typing import Any, Literal, get_args

from pydantic import BaseModel, ConfigDict

Severity = Literal["error", "warning", "info"]
Category = Literal[
    "indication",
    "dose",
    "route",
    "administration",
    "units",
    "drug",
    "ndc",
    "modifier",
    "diagnosis",
    "frequency",
    "monitoring",
    "provider",
    "input",
]

#: The vocabularies as tuples, in contract order (derived from the Literal types above).
SEVERITIES: tuple[Severity, ...] = get_args(Severity)
CATEGORIES: tuple[Category, ...] = get_args(Category)
SEVERITY_RANK: dict[str, int] = {"info": 1, "warning": 2, "error": 3}

_FROZEN = ConfigDict(frozen=True, extra="forbid")


class Location(BaseModel):
    """Where a finding points: the input file, the record's line, a JSON Pointer into it."""

    model_config = _FROZEN

    file: str
    line: int | None = None
    pointer: str = ""


class Fix(BaseModel):
    """A corrected value for ``pointer`` that is itself billable."""

    model_config = _FROZEN

    pointer: str
    value: Any
    safe: bool = True
    """Whether ``b12lint fix`` may apply it without a human (not part of the JSON report)."""


class Context(BaseModel):
    """Encounter facts reporters group by (provider, month, patient); not in the JSON report."""

    model_config = _FROZEN

    patient_id: str | None = None
    rendering_npi: str | None = None
    date_of_service: str | None = None
    payer: str | None = None
    pack: str | None = None


class Finding(BaseModel):
    """One place where billing does not match the documented clinical intent."""

    model_config = _FROZEN

    rule_id: str
    severity: Severity
    category: Category
    encounter_id: str | None
    message: str
    location: Location
    fix: Fix | None = None
    subject: str | None = None
    """A stable rendering of the value at the pointer, for content fingerprints."""
    context: Context | None = None
    suppressed_by: str | None = None
    """Why the finding is suppressed (``baseline``, ``exception N: <reason>``); not in the JSON
    report."""

    def sort_key(self) -> tuple[str, int, str, str, str, str]:
        """Order: file, line, encounter, rule, then pointer and message for a total order."""
        loc = self.location
        return (
            loc.file,
            loc.line if loc.line is not None else -1,
            self.encounter_id or "",
            self.rule_id,
            loc.pointer,
            self.message,
        )

    def report_dict(self) -> dict[str, Any]:
        """The finding exactly as the JSON report contract spells it."""
        out: dict[str, Any] = {
            "rule_id": self.rule_id,
            "severity": self.severity,
            "category": self.category,
            "encounter_id": self.encounter_id,
            "message": self.message,
            "location": {
                "file": self.location.file,
                "line": self.location.line,
                "pointer": self.location.pointer,
            },
        }
        if self.fix is not None:
            out["fix"] = {"pointer": self.fix.pointer, "value": self.fix.value}
        return out
