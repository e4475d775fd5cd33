"""The embedded default: a SQLite file in WAL mode, safe for several processes on one machine.

Writers take the database lock up front (``BEGIN IMMEDIATE``) and wait for each other up to
:data:`BUSY_TIMEOUT` seconds, so two coders checking at once serialise their (short) writes
instead of failing or losing rows; readers never block writers in WAL mode. WAL needs shared
memory between the processes: keep the file on a local disk, not a network share (a team on
several machines uses PostgreSQL). A new file is created owner-only (0600).
"""

from __future__ import annotations

import contextlib
import datetime as dt
import os
import sqlite3
import time
from collections.abc import Collection, Iterator, Sequence
from pathlib import Path
from typing import Any

from b12lint.history.migrations import VERSION_TABLE, pending
from b12lint.history.statements import SQLITE as SQL
from b12lint.history.statements import SqlStore
from b12lint.history.store import (
    VERSIONS,
    HistoryError,
    NoHistoryError,
    StoredEvent,
    chunks,
    event_from_row,
)

_TABLES = "SELECT name FROM sqlite_master WHERE type = 'table'"
BUSY_TIMEOUT = 30.0
"""Seconds a writer waits for another one before giving up."""


def _row(event: StoredEvent, now: str) -> tuple[Any, ...]:
    values = list(event.row())
    values[2] = event.date.isoformat()
    values[7] = int(event.injection)
    return (*values, now)


class SqliteStore(SqlStore):
    """A history in one SQLite file (dates and times stored as ISO text)."""

    backend = "sqlite"
    dialect = "sqlite"
    sql = SQL

    def __init__(self, conn: sqlite3.Connection, display: str) -> None:
        self._conn = conn
        self.display = display

    @classmethod
    def open(cls, path: Path, *, create: bool) -> SqliteStore:
        """Open (with ``create``: create) the history at ``path`` and migrate it."""
        display = str(path)
        if path.is_dir():
            raise HistoryError(f"{display}: is a directory, not a history file")
        if not path.exists():
            if not create:
                raise NoHistoryError(f"{display}: no such history (nothing recorded yet)")
            _create_private(path, display)
        try:
            conn = sqlite3.connect(
                f"{path.resolve().as_uri()}?mode=rw",
                uri=True,
                timeout=BUSY_TIMEOUT,
                isolation_level=None,
                # ``b12lint serve`` hands a connection from one worker thread to the next
                # (never to two at once: see b12lint.serve.history)
                check_same_thread=False,
            )
        except sqlite3.Error as exc:
            raise HistoryError(f"{display}: cannot open: {exc}") from None
        return cls(conn, display)._prepared(create)

    @staticmethod
    def _now() -> str:
        return dt.datetime.now(dt.UTC).isoformat(timespec="seconds")

    @staticmethod
    def _to_date(value: dt.date) -> str:
        return value.isoformat()

    @staticmethod
    def _from_date(value: Any) -> dt.date | None:
        return dt.date.fromisoformat(value) if isinstance(value, str) else None

    @contextlib.contextmanager
    def _errors(self) -> Iterator[None]:
        try:
            yield
        except sqlite3.OperationalError as exc:
            if "locked" in str(exc) or "busy" in str(exc):
                raise HistoryError(
                    f"{self.display}: locked by another process for over {BUSY_TIMEOUT:g} s"
                ) from None
            raise HistoryError(f"{self.display}: {exc}") from None
        except sqlite3.DatabaseError as exc:
            raise HistoryError(f"{self.display}: not a usable SQLite database ({exc})") from None

    @contextlib.contextmanager
    def _write(self) -> Iterator[sqlite3.Connection]:
        """A write transaction holding the database lock from its start."""
        with self._errors():
            self._conn.execute("BEGIN IMMEDIATE")
            try:
                yield self._conn
            except BaseException:
                self._conn.rollback()
                raise
            self._conn.execute("COMMIT")

    @contextlib.contextmanager
    def _read(self) -> Iterator[sqlite3.Connection]:
        """A read transaction: one consistent snapshot."""
        with self._errors():
            self._conn.execute("BEGIN")
            try:
                yield self._conn
            finally:
                self._conn.rollback()

    def _wal(self) -> None:
        """Switch to WAL mode (persistent in the file).

        The switch needs the file to itself and SQLite answers "locked" at once, without its
        busy wait, while another process opens the same new history: retry until the busy
        timeout (once one process has switched, the others find WAL mode set).
        """
        deadline = time.monotonic() + BUSY_TIMEOUT
        pause = 0.005
        while True:
            try:
                mode = self._conn.execute("PRAGMA journal_mode=WAL").fetchone()
                break
            except sqlite3.OperationalError as exc:
                busy = "locked" in str(exc) or "busy" in str(exc)
                if not busy or time.monotonic() >= deadline:
                    raise
                time.sleep(pause)
                pause = min(pause * 2, 0.1)
        if not mode or str(mode[0]).lower() != "wal":
            raise HistoryError(f"{self.display}: SQLite refused WAL mode (a network share?)")

    def _prepare(self, create: bool) -> None:
        with self._errors():
            self._wal()
        with self._read() as conn:
            current = self._version(conn, create)
        if current is not None and not pending(current, self.display):
            return  # up to date: readers need no write lock
        with self._write() as conn:  # check again under the lock: another process may migrate
            current = self._version(conn, create)
            if current is None:
                conn.execute(VERSION_TABLE["sqlite"])
            self._migrate(conn, current or 0)

    def _version(self, conn: sqlite3.Connection, create: bool) -> int | None:
        """The schema version, or None for a new (empty) file; refuses other databases."""
        tables = {r[0] for r in conn.execute(_TABLES)}
        if VERSIONS in tables:
            return int(conn.execute(SQL.version).fetchone()[0])
        if tables:
            raise HistoryError(
                f"{self.display}: an SQLite database of something else, not a b12lint history"
            )
        if not create:
            raise NoHistoryError(f"{self.display}: not a b12lint history (nothing recorded yet)")
        return None

    def fetch(self, patient_hashes: Collection[str]) -> list[StoredEvent]:
        """Every stored event of these patients."""
        out: list[StoredEvent] = []
        with self._read() as conn:
            for chunk in chunks(patient_hashes):
                query = SQL.fetch.replace("{in}", ", ".join("?" * len(chunk)))
                out.extend(event_from_row(r) for r in conn.execute(query, chunk))
        return out

    def record(self, events: Sequence[StoredEvent], forget: Collection[str] = ()) -> int:
        """Upsert ``events`` by encounter id and delete ``forget``, in one transaction."""
        now = self._now()
        rows = [_row(e, now) for e in sorted(events, key=lambda e: e.encounter_id)]
        with self._write() as conn:
            conn.executemany(SQL.upsert, rows)
            conn.executemany(SQL.delete, [(i,) for i in sorted(forget)])
        return len(rows)

    def export(self) -> Iterator[StoredEvent]:
        """Every stored event, by patient hash, date and encounter id."""
        with self._read() as conn:
            for row in conn.execute(SQL.export):
                yield event_from_row(row)

    def close(self) -> None:
        """Close the connection."""
        self._conn.close()


def _create_private(path: Path, display: str) -> None:
    """Create an empty owner-only file (SQLite gives its -wal/-shm files the same mode)."""
    if not path.parent.is_dir():
        raise HistoryError(f"{display}: folder {path.parent} does not exist")
    try:
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    except FileExistsError:
        return  # another process created it a moment ago
    except OSError as exc:
        raise HistoryError(f"{display}: cannot create: {exc.strerror or exc}") from None
    os.close(fd)
