"""Rules across encounters: each patient's B12 events, ordered by date, for ``kind: history``.

The linter records one compact :class:`Event` per in-scope encounter while it streams the
batch; after the last record, history rules run on every event with ``previous`` (the latest
earlier injection of the same patient) and ``earlier`` (all earlier events, newest first)
set. Events from a persistent history store may be added as context: they are never reported.
Order of input records does not matter: events are sorted by (date, encounter id).
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from typing import Any

from b12lint.domain import INJECTABLE, LabReading, lab_reading
from b12lint.engine.view import EncounterView
from b12lint.model import Source


@dataclass(slots=True, eq=False)
class Event:
    """One B12 encounter of one patient, as history rules see it."""

    encounter_id: str
    patient_id: str
    date: dt.date
    phase: str | None
    codes: frozenset[str]
    drugs: tuple[str, ...]
    dose_mcg: float | None
    injection: bool
    source: Source | None = None
    """Where the encounter was read; None for context events from a history store."""
    report: bool = True
    previous: Event | None = None
    earlier: list[Event] = field(default_factory=list)
    repletion_started: dt.date | None = None
    context: object = None
    """Reporter context of the encounter (patient, provider, payer); opaque here."""
    rules: tuple[Any, ...] = ()
    """The history rules of the ruleset that judged the encounter (its payer's pack)."""
    labs: tuple[LabReading, ...] = ()
    """The readable lab results charted at the encounter (``documentation.labs``)."""
    drug_modifiers: tuple[str, ...] = ()
    """The modifiers every B12 drug line carries (e.g. GA: the claim says a signed ABN is on
    file), sorted; empty for events from a history store."""
    payer_type: str | None = None
    """The encounter's ``payer.type`` as written (rules map it with ``payer_kind``)."""

    def order_key(self) -> tuple[dt.date, str]:
        """Events of a patient are ordered by date of service, then encounter id."""
        return (self.date, self.encounter_id)


def event_from_view(view: EncounterView, source: Source | None) -> Event | None:
    """The history event of an in-scope encounter (None without a patient id)."""
    raw = view.raw
    patient = raw.get("patient_id")
    if not isinstance(patient, str) or not patient.strip():
        return None
    admins = view.b12_administrations
    drugs = sorted({a.drug_kind for a in admins if a.drug_kind})
    doses = [a.dose_mcg for a in admins]
    dose = sum(d for d in doses if d is not None) if doses and None not in doses else None
    routes = {a.route_code for a in admins if a.route_code}
    injection = bool(routes & INJECTABLE) if routes else bool(view.b12_drug_lines)
    charted = (raw.get("documentation") or {}).get("labs")
    labs = tuple(r for r in map(lab_reading, charted) if r is not None) if charted else ()
    drug_lines = view.b12_drug_lines
    common = set(drug_lines[0].modifiers) if drug_lines else set()
    for line in drug_lines[1:]:
        common &= set(line.modifiers)
    payer = raw.get("payer")
    payer_type = payer.get("type") if isinstance(payer, dict) else None
    return Event(
        encounter_id=raw["encounter_id"],
        patient_id=patient.strip(),
        date=raw["date_of_service"],
        phase=view.phase,
        codes=view.line_codes,
        drugs=tuple(drugs),
        dose_mcg=dose,
        injection=injection,
        source=source,
        labs=labs,
        drug_modifiers=tuple(sorted(common)),
        payer_type=payer_type if isinstance(payer_type, str) else None,
    )


EventRow = tuple[Any, ...]


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
        e.drug_modifiers,
        e.payer_type,
    )


class PatientHistory:
    """Events grouped by patient; small compared with the batch (a few fields per visit)."""

    def __init__(self) -> None:
        self._by_patient: dict[str, list[Event]] = defaultdict(list)

    def __len__(self) -> int:
        return sum(len(v) for v in self._by_patient.values())

    def add(self, event: Event) -> None:
        """Record an event of this batch (reported) or from a store (context only)."""
        self._by_patient[event.patient_id].append(event)

    def extend(self, events: Iterable[Event]) -> None:
        """Add several events."""
        for event in events:
            self.add(event)

    def patients(self) -> list[str]:
        """Patient ids with at least one event, sorted."""
        return sorted(self._by_patient)

    def events(self) -> Iterator[Event]:
        """Every event, patient by patient, in date order, with its history links set."""
        for patient in self.patients():
            yield from self.timeline(patient)

    def timeline(self, patient: str) -> list[Event]:
        """One patient's events in order, with ``previous``/``earlier``/repletion start set."""
        return link(sorted(self._by_patient.get(patient, ()), key=Event.order_key))


def link(events: list[Event]) -> list[Event]:
    """Set ``previous``/``earlier``/repletion start on one patient's events, in order."""
    last_injection: Event | None = None
    run_start: dt.date | None = None
    for i, event in enumerate(events):
        event.previous = last_injection
        event.earlier = events[:i][::-1]
        if event.phase == "repletion":
            prev = events[i - 1] if i else None
            continuing = prev is not None and prev.phase == "repletion"
            run_start = run_start if continuing and run_start else event.date
            event.repletion_started = run_start
        else:
            run_start = None
        if event.injection:
            last_injection = event
    return events
