"""The engine side of history: context events, supersession by the batch, kept events."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence

from history_records import encounter

from b12lint.engine import load_ruleset, run
from b12lint.engine.history import Event
from b12lint.engine.linter import _as_item


def _event(eid: str, patient: str, day: str, *, phase: str = "maintenance") -> Event:
    return Event(
        encounter_id=eid,
        patient_id=patient,
        date=dt.date.fromisoformat(day),
        phase=phase,
        codes=frozenset({"J3420", "96372"}),
        drugs=("cyanocobalamin",),
        dose_mcg=1000.0,
        injection=True,
    )


def _items(records: list[dict[str, object]]) -> list[object]:
    return [_as_item(r, i) for i, r in enumerate(records)]


def _freq(result: object) -> list[str]:
    return [f"{f.encounter_id}: {f.message}" for f in result.findings if f.category == "frequency"]  # type: ignore[attr-defined]


def test_context_event_is_previous_and_named_but_never_reported() -> None:
    asked: list[Sequence[str]] = []

    def context(patients: Sequence[str]) -> list[Event]:
        asked.append(list(patients))
        return [_event("OLD-1", "P1", "2026-03-02")]

    batch = [encounter("NEW-1", "P1", "2026-03-09"), encounter("NEW-2", "P2", "2026-03-09")]
    result = run(_items(batch), load_ruleset(), context=context)
    assert asked == [["P1", "P2"]]
    freq = _freq(result)
    assert len(freq) == 1
    assert freq[0].startswith("NEW-1: ")
    assert "(OLD-1 on 2026-03-02)" in freq[0]
    assert all(f.encounter_id != "OLD-1" for f in result.findings)


def test_without_context_the_same_batch_has_no_frequency_finding() -> None:
    batch = [encounter("NEW-1", "P1", "2026-03-09")]
    assert _freq(run(_items(batch), load_ruleset())) == []


def test_a_stored_event_with_a_batch_encounter_id_is_superseded() -> None:
    # Re-checking NEW-1 (its date corrected since it was recorded) must not compare it with
    # its own stale stored copy, 7 days earlier.
    def context(patients: Sequence[str]) -> list[Event]:
        return [_event("NEW-1", "P1", "2026-03-02")]

    batch = [encounter("NEW-1", "P1", "2026-03-09")]
    assert _freq(run(_items(batch), load_ruleset(), context=context)) == []


def test_a_stored_event_superseded_by_an_out_of_scope_record_is_dropped() -> None:
    def context(patients: Sequence[str]) -> list[Event]:
        return [_event("WAS-B12", "P1", "2026-03-05")]

    batch = [
        encounter("WAS-B12", "P1", "2026-03-05", b12=False),
        encounter("N", "P1", "2026-03-09"),
    ]
    result = run(_items(batch), load_ruleset(), context=context, keep_events=True)
    assert _freq(result) == []
    assert [e.encounter_id for e in result.events] == ["N"]
    assert result.encounter_ids == {"WAS-B12", "N"}


def test_context_is_not_asked_without_a_history_rule() -> None:
    def context(patients: Sequence[str]) -> list[Event]:
        raise AssertionError("asked for context with no history rule selected")

    ruleset = load_ruleset().select(["units"], [])
    result = run(_items([encounter("A", "P1", "2026-03-09")]), ruleset, context=context)
    assert result.findings == []


def test_keep_events_collects_even_without_history_rules() -> None:
    ruleset = load_ruleset().select(["units"], [])
    batch = [
        encounter("A", "P1", "2026-03-09"),
        encounter("B", None, "2026-03-10"),  # no patient id: nothing to record
        encounter("C", "P2", "2026-03-11", b12=False),  # out of scope
    ]
    result = run(_items(batch), ruleset, keep_events=True)
    assert [(e.encounter_id, e.patient_id) for e in result.events] == [("A", "P1")]
    assert result.encounter_ids == {"A", "B", "C"}
    assert run(_items(batch), ruleset).events == []
