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
from collections.abc import Collection, Iterator, Sequence
from pathlib import Path
from typing import Any

from b12lint.history.migrations import VERSION_TABLE, pending
from b12lint.history.statements import SQLITE as SQL
from b12lint.history.store import (
    VERSIONS,
    HistoryError,
    NoHistoryError,
    Stats,
    StoredEvent,
    chunks,
    event_from_row,
    month_counts,
)

_TABLES = "SELECT name FROM sqlite_master WHERE type = 'table'"
BUSY_TIMEOUT = 30.0
"""Seconds a writer waits for another one before giving up."""


def _now() -> str:
    return dt.datetime.now(dt.UTC).isoformat(timespec="seconds")


def _row(event: StoredEvent, now: str) -> tuple[Any, ...]:
    values = list(event.row())
    values[2] = event.date.isoformat()
    values[7] = int(event.injection)
    return (*values, now)


def _date(value: object) -> dt.date | None:
    return dt.date.fromisoformat(value) if isinstance(value, str) else None


class SqliteStore:
    """A history in one SQLite file."""

    backend = "sqlite"

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
            )
        except sqlite3.Error as exc:
            raise HistoryError(f"{display}: cannot open: {exc}") from None
        store = cls(conn, display)
        try:
            store._prepare(create)
        except BaseException:
            conn.close()
            raise
        return store

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

    def _prepare(self, create: bool) -> None:
        with self._errors():
            mode = self._conn.execute("PRAGMA journal_mode=WAL").fetchone()
            if not mode or str(mode[0]).lower() != "wal":
                raise HistoryError(f"{self.display}: SQLite refused WAL mode (a network share?)")
        with self._read() as conn:
            current = self._version(conn, create)
        if current is not None and not pending(current, self.display):
            return  # up to date: readers need no write lock
        with self._write() as conn:  # check again under the lock: another process may migrate
            current = self._version(conn, create)
            if current is None:
                conn.execute(VERSION_TABLE["sqlite"])
            for migration in pending(current or 0, self.display):
                for statement in migration.sqlite:
                    conn.execute(statement)
                conn.execute(SQL.add_version, (migration.version, migration.description, _now()))

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

    def schema_version(self) -> int:
        """The store's schema version."""
        with self._read() as conn:
            return int(conn.execute(SQL.version).fetchone()[0])

    def key_fingerprint(self) -> str | None:
        """The fingerprint of the key the hashes were made with, if one was recorded."""
        with self._read() as conn:
            row = conn.execute(SQL.get_key).fetchone()
        return str(row[0]) if row else None

    def claim_key(self, fingerprint: str) -> str:
        """Record ``fingerprint`` unless one is; the fingerprint in effect."""
        with self._write() as conn:
            conn.execute(SQL.put_key, (fingerprint,))
            return str(conn.execute(SQL.get_key).fetchone()[0])

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
        now = _now()
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

    def stats(self) -> Stats:
        """Counts for auditors."""
        with self._read() as conn:
            events, patients, injections, first, last = conn.execute(SQL.counts).fetchone()
            months = month_counts(conn.execute(SQL.months).fetchall())
            version = int(conn.execute(SQL.version).fetchone()[0])
        return Stats(
            backend=self.backend,
            target=self.display,
            schema_version=version,
            events=int(events),
            patients=int(patients),
            injections=int(injections),
            first_date=_date(first),
            last_date=_date(last),
            by_month=months,
        )

    def prune(self, before: dt.date) -> int:
        """Delete events dated before ``before``."""
        with self._write() as conn:
            return conn.execute(SQL.prune, (before.isoformat(),)).rowcount

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
