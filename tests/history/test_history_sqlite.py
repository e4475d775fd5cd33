"""SQLite specifics: what a TARGET path may be, file modes, WAL, malformed files and rows."""

from __future__ import annotations

import datetime as dt
import sqlite3
import stat
from pathlib import Path

import pytest
from test_history_store import _ev

from b12lint.history import HistoryError, open_store
from b12lint.history.store import EVENTS


def test_new_history_is_owner_only_and_in_wal_mode(tmp_path: Path) -> None:
    path = tmp_path / "h.db"
    open_store(str(path), create=True).close()
    assert stat.S_IMODE(path.stat().st_mode) == 0o600
    with sqlite3.connect(path) as conn:
        assert conn.execute("PRAGMA journal_mode").fetchone()[0] == "wal"


def test_a_file_that_is_not_a_database_is_refused_and_left_alone(tmp_path: Path) -> None:
    path = tmp_path / "batch.jsonl"
    content = b'{"encounter_id": "E1"}\n' * 200
    path.write_bytes(content)
    with pytest.raises(HistoryError, match="not a usable SQLite database"):
        open_store(str(path), create=True)
    assert path.read_bytes() == content


def test_another_applications_database_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "other.db"
    with sqlite3.connect(path) as conn:
        conn.execute("CREATE TABLE invoices (id INTEGER)")
    with pytest.raises(HistoryError, match="not a b12lint history"):
        open_store(str(path), create=True)
    with sqlite3.connect(path) as conn:
        tables = {r[0] for r in conn.execute("SELECT name FROM sqlite_master")}
    assert tables == {"invoices"}


def test_paths_that_cannot_be_a_history(tmp_path: Path) -> None:
    with pytest.raises(HistoryError, match="is a directory"):
        open_store(str(tmp_path), create=True)
    with pytest.raises(HistoryError, match="does not exist"):
        open_store(str(tmp_path / "missing" / "h.db"), create=True)
    with pytest.raises(HistoryError, match="no such history"):
        open_store(str(tmp_path / "h.db"), create=False)
    empty = tmp_path / "empty.db"
    empty.touch()
    with pytest.raises(HistoryError, match="not a b12lint history"):
        open_store(str(empty), create=False)


@pytest.mark.parametrize(
    ("column", "value", "problem"),
    [
        ("codes", "not json", "codes is not a JSON list"),
        ("codes", '{"a": 1}', "codes is not a JSON list"),
        ("drugs", "[1, 2]", "drugs is not a JSON list"),
        ("date_of_service", "March 2nd", "Invalid isoformat"),
        ("dose_mcg", "'lots'", "dose_mcg is not a number"),
        ("phase", "X'01'", "phase is not text"),
    ],
)
def test_malformed_rows_are_reported_with_their_encounter(
    tmp_path: Path, column: str, value: str, problem: str
) -> None:
    path = tmp_path / "h.db"
    store = open_store(str(path), create=True)
    store.record([_ev("E1")])
    store.close()
    with sqlite3.connect(path) as conn:
        literal = value if column in {"dose_mcg", "phase"} else f"'{value}'"
        conn.execute(f"UPDATE {EVENTS} SET {column} = {literal}")
    store = open_store(str(path), create=False)
    with pytest.raises(HistoryError, match=f"malformed history row for encounter E1: {problem}"):
        store.fetch(["h1"])
    with pytest.raises(HistoryError, match="E1"):
        list(store.export())
    store.close()


def test_a_locked_history_is_a_clear_error_and_readers_still_read(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import b12lint.history.sqlite as backend

    path = tmp_path / "h.db"
    store = open_store(str(path), create=True)
    store.record([_ev("E1")])
    store.close()
    blocker = sqlite3.connect(path, isolation_level=None)
    blocker.execute("BEGIN IMMEDIATE")  # another writer holds the lock
    monkeypatch.setattr(backend, "BUSY_TIMEOUT", 0.2)
    try:
        store = open_store(str(path), create=False)  # WAL: reading is not blocked
        assert store.stats().events == 1
        with pytest.raises(HistoryError, match=r"locked by another process for over 0\.2 s"):
            store.prune(dt.date(2000, 1, 1))
        store.close()
    finally:
        blocker.rollback()
        blocker.close()


def test_paths_with_uri_characters(tmp_path: Path) -> None:
    folder = tmp_path / "clinic a #1 ?%"
    folder.mkdir()
    path = str(folder / "h db.sqlite")
    store = open_store(path, create=True)
    store.record([_ev("E1")])
    store.close()
    assert sorted(p.name for p in folder.iterdir()) == ["h db.sqlite"]  # no stray URI-named file
    again = open_store(path, create=False)
    assert [e.encounter_id for e in again.export()] == ["E1"]
    again.close()
