"""Run totals (FORMATS.md section 2, ``summary``)."""

from __future__ import annotations

_FIELDS = (
    "encounters",
    "b12_encounters",
    "input_errors",
    "findings",
    "by_severity",
    "suppressed",
    "without_chart",
    "skipped_files",
    "not_judged",
)


class Summary:
    """Counts that account for every record in the input.

    A plain class, not a pydantic model: every run makes one, and building a pydantic model's
    validator on first use was a third of the one-encounter command's work after its imports.
    """

    __slots__ = _FIELDS

    def __init__(
        self,
        encounters: int = 0,
        b12_encounters: int = 0,
        input_errors: int = 0,
        findings: int = 0,
        by_severity: dict[str, int] | None = None,
        suppressed: int = 0,
        without_chart: int = 0,
        skipped_files: dict[str, int] | None = None,
        not_judged: dict[str, int] | None = None,
    ) -> None:
        self.encounters = encounters
        self.b12_encounters = b12_encounters
        self.input_errors = input_errors
        self.findings = findings
        self.by_severity: dict[str, int] = (
            {"error": 0, "warning": 0, "info": 0} if by_severity is None else by_severity
        )
        self.suppressed = suppressed
        self.without_chart = without_chart
        self.skipped_files: dict[str, int] = {} if skipped_files is None else skipped_files
        """Files a directory read skipped, by reason (``content``, ``extension``, ``hidden``...)."""
        self.not_judged: dict[str, int] = {} if not_judged is None else not_judged
        """Resources read but not judged, by kind (e.g. FHIR ``ClaimResponse``)."""

    def copy(self) -> Summary:
        """An independent copy (its dicts copied too)."""
        return Summary(
            self.encounters,
            self.b12_encounters,
            self.input_errors,
            self.findings,
            dict(self.by_severity),
            self.suppressed,
            self.without_chart,
            dict(self.skipped_files),
            dict(self.not_judged),
        )

    def __eq__(self, other: object) -> bool:
        if not isinstance(other, Summary):
            return NotImplemented
        return all(getattr(self, name) == getattr(other, name) for name in _FIELDS)

    __hash__ = None  # type: ignore[assignment]  # mutable

    def __repr__(self) -> str:
        return "Summary(" + ", ".join(f"{n}={getattr(self, n)!r}" for n in _FIELDS) + ")"

    def report_dict(self) -> dict[str, object]:
        """The summary exactly as the JSON report contract spells it (plus documented extras)."""
        out: dict[str, object] = {
            "encounters": self.encounters,
            "b12_encounters": self.b12_encounters,
            "input_errors": self.input_errors,
            "findings": self.findings,
            "by_severity": dict(self.by_severity),
            "suppressed": self.suppressed,
        }
        if self.without_chart:
            out["without_chart"] = self.without_chart
        if self.skipped_files:
            out["skipped_files"] = dict(sorted(self.skipped_files.items()))
        if self.not_judged:
            out["not_judged"] = dict(sorted(self.not_judged.items()))
        return out
