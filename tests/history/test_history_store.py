"""Both store backends, through the same tests: SQLite files and PostgreSQL schemas."""

from __future__ import annotations

import datetime as dt

import pytest

from b12lint.history import HistoryError, StoredEvent, open_store
from b12lint.history import migrations as mig
from b12lint.history.store import CHUNK, EVENTS


def _ev(eid: str, patient: str = "h1", day: str = "2026-03-02", **kw: object) -> StoredEvent:
    values: dict[str, object] = {
        "encounter_id": eid,
        "patient_hash": patient,
        "date": dt.date.fromisoformat(day),
        "phase": "maintenance",
        "codes": ("96372", "J3420"),
        "drugs": ("cyanocobalamin",),
        "dose_mcg": 1000.0,
        "injection": True,
    }
    values.update(kw)
    return StoredEvent(**values)  # type: ignore[arg-type]


def test_record_then_fetch_round_trips_every_field(target: str) -> None:
    store = open_store(target, create=True)
    events = [
        _ev("E1"),
        _ev("E2", day="2026-03-09", phase=None, dose_mcg=None, injection=False, drugs=()),
        _ev("E3", patient="h2", codes=("J3420",)),
    ]
    assert store.record(events) == 3
    assert store.fetch(["h1"]) == events[:2]
    assert store.fetch(["h2", "h1", "nobody"]) == events  # by patient hash, date, id
    assert store.fetch([]) == []
    store.close()


def test_recording_the_same_encounter_updates_it(target: str) -> None:
    store = open_store(target, create=True)
    store.record([_ev("E1"), _ev("E2", day="2026-03-09")])
    changed = _ev("E1", day="2026-03-03", phase="repletion", patient="h1")
    store.record([changed])
    assert store.fetch(["h1"]) == [changed, _ev("E2", day="2026-03-09")]
    assert store.stats().events == 2
    store.close()


def test_forget_deletes_ids_the_batch_no_longer_yields(target: str) -> None:
    store = open_store(target, create=True)
    store.record([_ev("E1"), _ev("E2", day="2026-03-09")])
    store.record([_ev("E3", day="2026-04-09")], forget={"E1", "never-stored"})
    assert [e.encounter_id for e in store.fetch(["h1"])] == ["E2", "E3"]
    store.close()


def test_many_patients_are_fetched_in_chunks(target: str) -> None:
    store = open_store(target, create=True)
    events = [_ev(f"E{i:05d}", patient=f"h{i:05d}") for i in range(CHUNK * 2 + 7)]
    store.record(events)
    assert len(store.fetch([e.patient_hash for e in events])) == len(events)
    store.close()


def test_export_stats_and_prune(target: str) -> None:
    store = open_store(target, create=True)
    store.record(
        [
            _ev("E1", patient="h2", day="2026-01-05"),
            _ev("E2", patient="h1", day="2026-02-05", injection=False),
            _ev("E3", patient="h1", day="2026-01-20"),
        ]
    )
    assert [e.encounter_id for e in store.export()] == ["E3", "E2", "E1"]
    stats = store.stats()
    assert (stats.events, stats.patients, stats.injections) == (3, 2, 2)
    assert (stats.first_date, stats.last_date) == (dt.date(2026, 1, 5), dt.date(2026, 2, 5))
    assert stats.by_month == {"2026-01": 2, "2026-02": 1}
    assert stats.schema_version == mig.latest()
    assert store.prune(dt.date(2026, 1, 20)) == 1
    assert store.prune(dt.date(2026, 1, 20)) == 0
    assert [e.encounter_id for e in store.export()] == ["E3", "E2"]
    empty = open_store(target, create=True)
    empty.prune(dt.date(2100, 1, 1))
    stats = empty.stats()
    assert (stats.events, stats.first_date, stats.by_month) == (0, None, {})
    empty.close()
    store.close()


def test_claim_key_keeps_the_first_fingerprint(target: str) -> None:
    store = open_store(target, create=True)
    assert store.key_fingerprint() is None
    assert store.claim_key("first") == "first"
    assert store.claim_key("second") == "first"
    assert store.key_fingerprint() == "first"
    store.close()


def test_reading_commands_do_not_create_a_history(target: str) -> None:
    with pytest.raises(HistoryError, match=r"no such history|no b12lint history"):
        open_store(target, create=False)


def test_migrations_run_once_and_are_versioned(
    target: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    open_store(target, create=True).close()
    extra = mig.Migration(
        mig.latest() + 1,
        "test: an audit column",
        sqlite=(f"ALTER TABLE {EVENTS} ADD COLUMN audit TEXT",),
        postgres=(f"ALTER TABLE {EVENTS} ADD COLUMN audit TEXT",),
    )
    monkeypatch.setattr(mig, "MIGRATIONS", [*mig.MIGRATIONS, extra])
    store = open_store(target, create=False)
    assert store.schema_version() == extra.version
    store.record([_ev("E1")])
    store.close()
    # A second open does not re-apply it (ADD COLUMN twice would fail).
    again = open_store(target, create=False)
    assert again.schema_version() == extra.version
    assert again.fetch(["h1"]) == [_ev("E1")]
    again.close()


def test_a_newer_schema_is_refused(target: str, monkeypatch: pytest.MonkeyPatch) -> None:
    extra = mig.Migration(mig.latest() + 1, "from the future", sqlite=(), postgres=())
    monkeypatch.setattr(mig, "MIGRATIONS", [*mig.MIGRATIONS, extra])
    open_store(target, create=True).close()
    monkeypatch.undo()
    with pytest.raises(HistoryError, match="newer than this b12lint supports"):
        open_store(target, create=True)


def test_remittance_outcomes_upsert_and_sum_by_rule(target: str) -> None:
    from b12lint.history.store import RuleOutcome

    store = open_store(target, create=True)
    assert store.outcome_totals() == {}
    rows = [
        RuleOutcome("E1", "B12-UNITS-003", 1, 1, 1, 1, 0, 12.0),
        RuleOutcome("E2", "B12-UNITS-003", 1, 1, 0, 0, 1, 0.0),
        RuleOutcome("E2", "B12-MOD-001", 2, 1, 1, 0, 0, 90.0),
    ]
    assert store.record_outcomes(rows) == 3
    # the same encounter and rule again replaces its row (a re-checked batch)
    store.record_outcomes([RuleOutcome("E1", "B12-UNITS-003", 1, 1, 1, 1, 0, 12.5)])
    assert store.outcome_totals() == {
        "B12-MOD-001": (2.0, 1.0, 1.0, 0.0, 0.0, 90.0),
        "B12-UNITS-003": (2.0, 2.0, 1.0, 1.0, 1.0, 12.5),
    }
    store.close()


def test_a_version_1_store_is_migrated_to_keep_outcomes(
    target: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    from b12lint.history.store import RuleOutcome

    monkeypatch.setattr(mig, "MIGRATIONS", mig.MIGRATIONS[:1])
    first = open_store(target, create=True)
    first.record([_ev("E1")])
    assert first.schema_version() == 1
    first.close()
    monkeypatch.undo()
    store = open_store(target, create=False)
    assert store.schema_version() == 2
    assert store.fetch(["h1"]) == [_ev("E1")]
    store.record_outcomes([RuleOutcome("E1", "R", 1, 1, 1, 1, 0, 1.0)])
    assert store.outcome_totals() == {"R": (1.0, 1.0, 1.0, 1.0, 0.0, 1.0)}
    store.close()
