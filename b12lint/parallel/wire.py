"""Findings and history events as plain tuples, to travel between processes cheaply.

A worker checks its share of the input and sends back what it found; pickling a tuple of
strings and numbers costs a fraction of pickling a pydantic model. Lines are relative to the
share's first line: :func:`finding` and :func:`event` add the lines before it.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from b12lint.engine.findings import context
from b12lint.engine.findings import finding as new_finding
from b12lint.engine.history import Event
from b12lint.model import Context, Finding, Source

FindingRow = tuple[Any, ...]
EventRow = tuple[Any, ...]
ContextRow = tuple[str | None, str | None, str | None, str | None, str | None] | None


def _context_row(context: object) -> ContextRow:
    if not isinstance(context, Context):
        return None
    c = context
    return (c.patient_id, c.rendering_npi, c.date_of_service, c.payer, c.pack)


def _context(row: ContextRow) -> Context | None:
    return None if row is None else context(*row)


def finding_row(f: Finding) -> FindingRow:
    """A finding as a tuple (its location's line as it was read)."""
    loc, fix = f.location, f.fix
    return (
        f.rule_id,
        f.severity,
        f.category,
        f.encounter_id,
        f.message,
        loc.file,
        loc.line,
        loc.pointer,
        None if fix is None else (fix.pointer, fix.value, fix.safe),
        f.subject,
        _context_row(f.context),
    )


def row_line(row: FindingRow) -> int | None:
    """The line of a finding row."""
    line: int | None = row[6]
    return line


def row_file(row: FindingRow) -> str:
    """The file of a finding row."""
    file: str = row[5]
    return file


def finding(row: FindingRow, offset: int = 0) -> Finding:
    """The finding of a row, its line moved down by ``offset`` lines."""
    rule_id, severity, category, eid, message, file, line, pointer, fix, subject, ctx = row
    if line is not None:
        line += offset
    return new_finding(
        rule_id, severity, category, eid, message, file, line, pointer, fix, subject, _context(ctx)
    )


def event_row(e: Event, route: int) -> EventRow:
    """A batch event as a tuple (codes sorted, so that equal sets pickle alike) with the index
    of the ruleset that judged its encounter."""
    source = e.source
    return (
        route,
        e.encounter_id,
        e.patient_id,
        e.date.toordinal(),
        e.phase,
        tuple(sorted(e.codes)),
        e.drugs,
        e.dose_mcg,
        e.injection,
        None if source is None else source.file,
        None if source is None else source.line,
        e.context if isinstance(e.context, tuple) else None,
        e.labs,
    )


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
        ctx, labs = row[11:]
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
        )
        return event, route
