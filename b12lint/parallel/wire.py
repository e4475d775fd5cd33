"""Findings and history events as plain tuples, to travel between processes cheaply.

A worker checks its share of the input and sends back what it found; pickling a tuple of
strings and numbers costs a fraction of pickling a pydantic model. Lines are relative to the
share's first line: :func:`finding` and :func:`event` add the lines before it.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from b12lint.engine.findings import ContextRow, FindingRow, finding_row
from b12lint.engine.findings import from_row as finding
from b12lint.engine.history import Event, EventRow, event_row
from b12lint.model import Source

__all__ = [
    "ContextRow",
    "EventDecoder",
    "EventRow",
    "FindingRow",
    "event_key",
    "event_row",
    "finding",
    "finding_row",
    "row_file",
    "row_line",
]


def row_line(row: FindingRow) -> int | None:
    """The line of a finding row."""
    line: int | None = row[6]
    return line


def row_file(row: FindingRow) -> str:
    """The file of a finding row."""
    file: str = row[5]
    return file


def event_key(row: EventRow) -> tuple[str | None, int | None]:
    """The file and line of an event row (where its encounter was read)."""
    return row[9], row[10]


class EventDecoder:
    """Turns event rows into events, sharing equal code sets and drug tuples between them."""

    def __init__(self) -> None:
        self._codes: dict[tuple[str, ...], frozenset[str]] = {}
        self._drugs: dict[tuple[str, ...], tuple[str, ...]] = {}
        self._contexts: dict[Any, Any] = {}

    def event(self, row: EventRow, offset: int = 0) -> tuple[Event, int]:
        """The event of a row, its line moved down by ``offset`` lines, and its ruleset's index
        (the caller gives it its rules)."""
        route, eid, patient, ordinal, phase, codes, drugs, dose, injection, file, line = row[:11]
        ctx, labs, drug_modifiers, payer_type = row[11:]
        shared = self._codes.get(codes)
        if shared is None:
            shared = self._codes[codes] = frozenset(codes)
        drugs = self._drugs.setdefault(drugs, drugs)
        source = None
        if file is not None:
            source = Source(file, None if line is None else line + offset)
        event = Event(
            encounter_id=eid,
            patient_id=patient,
            date=dt.date.fromordinal(ordinal),
            phase=phase,
            codes=shared,
            drugs=drugs,
            dose_mcg=dose,
            injection=injection,
            source=source,
            context=None if ctx is None else self._contexts.setdefault(ctx, ctx),
            labs=labs,
            drug_modifiers=drug_modifiers,
            payer_type=payer_type,
        )
        return event, route
