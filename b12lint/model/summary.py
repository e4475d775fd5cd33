"""Run totals (FORMATS.md section 2, ``summary``)."""

from __future__ import annotations

from pydantic import BaseModel, ConfigDict, Field


class Summary(BaseModel):
    """Counts that account for every record in the input."""

    model_config = ConfigDict(defer_build=True)

    encounters: int = 0
    b12_encounters: int = 0
    input_errors: int = 0
    findings: int = 0
    by_severity: dict[str, int] = Field(
        default_factory=lambda: {"error": 0, "warning": 0, "info": 0}
    )
    suppressed: int = 0
    without_chart: int = 0
    skipped_files: dict[str, int] = Field(default_factory=dict)
    """Files a directory read skipped, by reason (``content``, ``extension``, ``hidden``...)."""
    not_judged: dict[str, int] = Field(default_factory=dict)
    """Resources read but not judged, by kind (e.g. FHIR ``ClaimResponse``)."""

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
