"""Findings: frozen value objects carrying what a rule reports (FORMATS.md section 2)."""

from __future__ import annotations

from typing import Any, Final, Literal, get_args

from b12lint.model.value import Value

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


class Location(Value):
    """Where a finding points: the input file, the record's line, a JSON Pointer into it."""

    FIELDS = ("file", "line", "pointer")
    __slots__ = FIELDS
    file: Final[str]
    line: Final[int | None]
    pointer: Final[str]

    def __init__(self, *, file: str, line: int | None = None, pointer: str = "") -> None:
        self.file = file
        self.line = line
        self.pointer = pointer


class Fix(Value):
    """A corrected value for ``pointer`` that is itself billable."""

    FIELDS = ("pointer", "value", "safe")
    __slots__ = FIELDS
    pointer: Final[str]
    value: Final[Any]
    safe: Final[bool]
    """Whether ``b12lint fix`` may apply it without a human (not part of the JSON report)."""

    def __init__(self, *, pointer: str, value: Any, safe: bool = True) -> None:
        self.pointer = pointer
        self.value = value
        self.safe = safe


class Context(Value):
    """Encounter facts reporters group by (provider, month, patient); not in the JSON report."""

    FIELDS = ("patient_id", "rendering_npi", "date_of_service", "payer", "pack")
    __slots__ = FIELDS
    patient_id: Final[str | None]
    rendering_npi: Final[str | None]
    date_of_service: Final[str | None]
    payer: Final[str | None]
    pack: Final[str | None]

    def __init__(
        self,
        *,
        patient_id: str | None = None,
        rendering_npi: str | None = None,
        date_of_service: str | None = None,
        payer: str | None = None,
        pack: str | None = None,
    ) -> None:
        self.patient_id = patient_id
        self.rendering_npi = rendering_npi
        self.date_of_service = date_of_service
        self.payer = payer
        self.pack = pack


class Finding(Value):
    """One place where billing does not match the documented clinical intent."""

    FIELDS = (
        "rule_id",
        "severity",
        "category",
        "encounter_id",
        "message",
        "location",
        "fix",
        "subject",
        "context",
        "suppressed_by",
    )
    __slots__ = FIELDS
    rule_id: Final[str]
    severity: Final[Severity]
    category: Final[Category]
    encounter_id: Final[str | None]
    message: Final[str]
    location: Final[Location]
    fix: Final[Fix | None]
    subject: Final[str | None]
    """A stable rendering of the value at the pointer, for content fingerprints."""
    context: Final[Context | None]
    suppressed_by: Final[str | None]
    """Why the finding is suppressed (``baseline``, ``exception N: <reason>``); not in the JSON
    report."""

    def __init__(
        self,
        *,
        rule_id: str,
        severity: Severity,
        category: Category,
        encounter_id: str | None,
        message: str,
        location: Location,
        fix: Fix | None = None,
        subject: str | None = None,
        context: Context | None = None,
        suppressed_by: str | None = None,
    ) -> None:
        self.rule_id = rule_id
        self.severity = severity
        self.category = category
        self.encounter_id = encounter_id
        self.message = message
        self.location = location
        self.fix = fix
        self.subject = subject
        self.context = context
        self.suppressed_by = suppressed_by

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
