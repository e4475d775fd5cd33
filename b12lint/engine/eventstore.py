"""A big batch's history events as compact rows, spilled to disk sorted by patient.

The linter keeps one event per in-scope encounter for the history rules. With a spill area,
:class:`EventStore` keeps each as a row (a tuple of plain values, not an object), writes
sorted runs past the area's threshold, and at the end streams them back merged, one patient
at a time (:meth:`EventStore.timelines`): the patient's events become :class:`Event` objects
with their links (``previous``, ``earlier``: the "earlier events" walk) only for that
patient's pass, then are dropped. The order within a patient is the one
:class:`~b12lint.engine.history.PatientHistory` gives: date, encounter id, then the order
the events were added.
"""

from __future__ import annotations

import datetime as dt
import itertools
from collections.abc import Iterator, Sequence
from typing import Any

from b12lint.engine.history import Event, EventRow, event_row, link
from b12lint.engine.spill import Runs, SpillArea, plain, write_rows
from b12lint.model import Source

Row = tuple[Any, ...]
"""(patient, date ordinal, encounter id, sequence, route, phase, codes, drugs, dose,
injection, file, line, context, labs, report, drug modifiers, payer type): labs as (test,
value, unit, ordinal|None)."""


def _labs(labs: Sequence[Any]) -> tuple[Any, ...]:
    return tuple((t, v, u, None if d is None else d.toordinal()) for t, v, u, d in labs)


_SHARED_LIMIT = 4096
"""How many code sets the history pass keeps to share between patients before starting over."""


def _key(row: Row) -> tuple[Any, ...]:
    return row[:4]


def _patient(row: Row) -> str:
    patient: str = row[0]
    return patient


def _decode(row: list[Any]) -> Row:
    return tuple(row)


class EventStore:
    """History events by patient: rows in memory, sorted runs on disk past the threshold.

    ``routes`` are the history rules of each ruleset, by route index (an event keeps the
    rules of the ruleset that judged its encounter).
    """

    def __init__(self, area: SpillArea, routes: Sequence[tuple[Any, ...]]) -> None:
        self._area = area
        self._routes = routes
        self._rows: list[Row] = []
        self._files: list[Any] = []
        self._memory: list[list[Row]] = []
        self._count = 0
        self._codes: dict[Any, Any] = {}

    def __len__(self) -> int:
        return self._count

    def add(self, event: Event, route: int) -> None:
        """Add an event (``report`` False: context from a store, never reported)."""
        self.add_wire(event_row(event, route), 0, report=event.report)

    def add_wire(self, row: EventRow, offset: int, *, report: bool = True) -> None:
        """Add an event as a ``--jobs`` worker sends it (:func:`event_row`), its line moved
        down by ``offset``."""
        route, eid, patient, ordinal, phase, codes, drugs, dose, injection, file, line = row[:11]
        context, labs, drug_modifiers, payer_type = row[11:]
        if line is not None:
            line += offset
        self._append(
            (
                patient,
                ordinal,
                eid,
                self._count,
                route,
                phase,
                codes,
                drugs,
                dose,
                injection,
                file,
                line,
                context,
                _labs(labs),
                report,
                drug_modifiers,
                payer_type,
            )
        )

    def _append(self, row: Row) -> None:
        codes = row[6]
        shared = self._codes.setdefault(codes, codes)
        if shared is not codes:
            row = (*row[:6], shared, *row[7:])
        self._rows.append(row)
        self._count += 1
        if len(self._rows) >= self._area.threshold:
            self._spill()

    def _spill(self) -> None:
        rows, self._rows = sorted(self._rows, key=_key), []
        self._codes.clear()  # sharing saves memory only among the rows still in memory
        written: list[Row] = []
        kept: list[Row] = []
        for row in rows:
            (written if _writable(row) else kept).append(row)
        if written:
            path, rejected = write_rows(self._area, "events", written)
            self._files.append(path)
            kept = sorted([*kept, *rejected], key=_key)
        if kept:
            self._memory.append(kept)

    def _runs(self) -> Runs[Row]:
        """Every row, sorted (what is still in memory becomes a run of its own)."""
        if self._rows:
            if self._files:
                self._spill()
            else:
                self._memory.append(sorted(self._rows, key=_key))
                self._rows = []
        return Runs(self._files, self._memory, _decode, _key)

    def patients(self) -> list[str]:
        """The patients with an event, sorted."""
        return [patient for patient, _ in itertools.groupby(self._runs(), key=_patient)]

    def timelines(self) -> Iterator[list[Event]]:
        """Each patient's events (patients in order), linked as
        :meth:`~b12lint.engine.history.PatientHistory.timeline` links them."""
        runs = self._runs()
        frozen: dict[Any, frozenset[str]] = {}
        for _, group in itertools.groupby(runs, key=_patient):
            # shared within the patient only: a table kept across patients grows with the
            # batch (a context tuple per patient, a code set per combination of codes)
            contexts: dict[Any, Any] = {}
            yield link([self._event(row, contexts, frozen) for row in group])
            if len(frozen) > _SHARED_LIMIT:
                frozen.clear()

    def _event(self, row: Row, contexts: dict[Any, Any], frozen: dict[Any, Any]) -> Event:
        patient, ordinal, eid, _, route, phase, codes, drugs, dose, injection = row[:10]
        file, line, context, labs, report, drug_modifiers, payer_type = row[10:]
        codes = tuple(codes)
        code_set = frozen.get(codes)
        if code_set is None:
            code_set = frozen[codes] = frozenset(codes)
        if context is not None:
            context = tuple(context)
            context = contexts.setdefault(context, context)
        return Event(
            encounter_id=eid,
            patient_id=patient,
            date=dt.date.fromordinal(ordinal),
            phase=phase,
            codes=code_set,
            drugs=tuple(drugs),
            dose_mcg=dose,
            injection=injection,
            source=None if file is None else Source(file, line),
            report=report,
            context=context,
            rules=self._routes[route] if route >= 0 else (),
            labs=tuple(
                (t, v, u, None if d is None else dt.date.fromordinal(d)) for t, v, u, d in labs
            ),
            drug_modifiers=tuple(drug_modifiers),
            payer_type=payer_type,
        )


def _writable(row: Row) -> bool:
    """Whether JSON gives the row back exactly (the parts whose types the record chose)."""
    dose, context = row[8], row[12]
    if dose is not None and (type(dose) not in (int, float) or not plain(dose)):
        return False
    return context is None or all(v is None or type(v) is str for v in context)
