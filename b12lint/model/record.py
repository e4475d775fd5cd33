"""What readers produce: a validated encounter with its source location, or an input error."""

from __future__ import annotations

from dataclasses import dataclass

from b12lint.model.encounter import EncounterDict


@dataclass(frozen=True, slots=True)
class Source:
    """Where a record came from: the file as given and the 1-based line (X12: segment number)."""

    file: str
    line: int | None = None


@dataclass(slots=True)
class Record:
    """One encounter that passed structural validation."""

    encounter: EncounterDict
    source: Source
    has_chart: bool = True
    """False when the input carried no chart at all (e.g. a bare 837P without --documentation)."""
    chart_missing: bool = False
    """True when a chart was given (``--documentation``, or a FHIR input with administrations)
    but it holds nothing for this encounter: a documentation gap (``has_chart`` is False too)."""


@dataclass(frozen=True, slots=True)
class InputError:
    """A record (or a whole input) that could not be read."""

    source: Source
    message: str
    pointer: str = ""
    encounter_id: str | None = None
    rule_id: str = "B12-INPUT-001"
    digest: str | None = None
