"""A shared history in PostgreSQL (``postgresql://`` URLs), for coders on several machines.

Needs the optional extra ``b12lint[postgres]`` (psycopg 3). Each write is one transaction;
upserts go in encounter-id order so that concurrent writers take row locks in the same order,
and a transaction that still deadlocks or fails to serialise is retried. Migrations hold a
transaction-level advisory lock. Tables are prefixed ``b12lint_`` and live in the connection's
``search_path`` (``?options=-csearch_path%3Dschema`` in the URL picks a schema). Passwords
are never shown: messages use the URL without it (libpq's ``PGPASSWORD`` and ``~/.pgpass``
work as usual).
"""

from __future__ import annotations

import contextlib
from collections.abc import Collection, Iterator, Sequence
from typing import TYPE_CHECKING, Any
from urllib.parse import parse_qsl, urlencode, urlsplit, urlunsplit

from b12lint.history.migrations import VERSION_TABLE
from b12lint.history.statements import POSTGRES as SQL
from b12lint.history.statements import SqlStore
from b12lint.history.store import (
    VERSIONS,
    HistoryError,
    NoHistoryError,
    StoredEvent,
    chunks,
    event_from_row,
)

if TYPE_CHECKING:
    import psycopg

SCHEMES = ("postgresql://", "postgres://")
CONNECT_TIMEOUT = 10
"""Seconds to wait for the server."""
LOCK_ID = 0x42_12_6C_69_6E_74
"""The advisory lock key that serialises migrations ("B12lint")."""
RETRIES = 3


def redact(url: str) -> str:
    """The URL without its password (in the authority or a ``password=`` parameter)."""
    try:
        parts = urlsplit(url)
        netloc = parts.netloc
        if "@" in netloc:
            userinfo, host = netloc.rsplit("@", 1)
            user = userinfo.split(":", 1)[0]
            netloc = f"{user}@{host}" if ":" in userinfo else netloc
        query = urlencode(
            [(k, "***" if k == "password" else v) for k, v in parse_qsl(parts.query)],
            safe="*",
        )
        return urlunsplit((parts.scheme, netloc, parts.path, query, ""))
    except ValueError:
        return f"{url.split('://', 1)[0]}://(unparsable URL)"


def _message(exc: BaseException, url: str) -> str:
    """psycopg's first line, with the password removed should libpq ever echo it."""
    text = (str(exc).strip().splitlines() or [type(exc).__name__])[0]
    password = urlsplit(url).password if "://" in url else None
    with contextlib.suppress(ValueError):
        password = password or dict(parse_qsl(urlsplit(url).query)).get("password")
    return text.replace(password, "***") if password else text


class PostgresStore(SqlStore):
    """A history in a PostgreSQL database."""

    backend = "postgresql"
    dialect = "postgres"
    sql = SQL

    def __init__(self, conn: psycopg.Connection[Any], url: str) -> None:
        self._conn = conn
        self._url = url
        self.display = redact(url)

    @classmethod
    def open(cls, url: str, *, create: bool) -> PostgresStore:
        """Connect to ``url`` and migrate (with ``create``: create) the history tables."""
        try:
            import psycopg
        except ImportError:
            raise HistoryError(
                "a PostgreSQL history needs psycopg: pip install 'b12lint[postgres]'"
            ) from None
        try:
            conn = psycopg.connect(
                url, autocommit=True, connect_timeout=CONNECT_TIMEOUT, application_name="b12lint"
            )
        except psycopg.Error as exc:
            raise HistoryError(f"{redact(url)}: cannot connect: {_message(exc, url)}") from None
        return cls(conn, url)._prepared(create)

    @contextlib.contextmanager
    def _errors(self) -> Iterator[None]:
        import psycopg

        try:
            yield
        except psycopg.Error as exc:
            raise HistoryError(f"{self.display}: {_message(exc, self._url)}") from None

    @contextlib.contextmanager
    def _read(self) -> Iterator[psycopg.Connection[Any]]:
        """A transaction (read and write alike)."""
        with self._errors(), self._conn.transaction():
            yield self._conn

    _write = _read

    def _prepare(self, create: bool) -> None:
        with self._write() as conn:
            conn.execute("SELECT pg_advisory_xact_lock(%s)", (LOCK_ID,))
            found = conn.execute("SELECT to_regclass(%s)", (VERSIONS,)).fetchone()
            if not found or found[0] is None:
                if not create:
                    raise NoHistoryError(f"{self.display}: no b12lint history in this database")
                conn.execute(VERSION_TABLE["postgres"])
            version = conn.execute(SQL.version).fetchone()
            self._migrate(conn, int(version[0]) if version else 0)

    def fetch(self, patient_hashes: Collection[str]) -> list[StoredEvent]:
        """Every stored event of these patients."""
        out: list[StoredEvent] = []
        with self._errors(), self._conn.transaction(), self._conn.cursor() as cur:
            for chunk in chunks(patient_hashes):
                cur.execute(SQL.fetch, (chunk,))
                out.extend(event_from_row(r) for r in cur.fetchall())
        return out

    def record(self, events: Sequence[StoredEvent], forget: Collection[str] = ()) -> int:
        """Upsert ``events`` by encounter id and delete ``forget``, in one transaction."""
        from psycopg.errors import DeadlockDetected, SerializationFailure

        now = self._now()
        rows = [(*e.row(), now) for e in sorted(events, key=lambda e: e.encounter_id)]
        gone = [(i,) for i in sorted(forget)]
        with self._errors():
            for attempt in range(1, RETRIES + 1):
                try:
                    with self._conn.transaction(), self._conn.cursor() as cur:
                        cur.executemany(SQL.upsert, rows)
                        if gone:
                            cur.executemany(SQL.delete, gone)
                except (DeadlockDetected, SerializationFailure):
                    if attempt == RETRIES:
                        raise
                    continue
                return len(rows)
        raise AssertionError("unreachable")  # pragma: no cover

    def export(self) -> Iterator[StoredEvent]:
        """Every stored event, by patient hash, date and encounter id (streamed)."""
        with (
            self._errors(),
            self._conn.transaction(),
            self._conn.cursor(name="b12lint_export") as cur,
        ):
            cur.itersize = 2000
            cur.execute(SQL.export)
            for row in cur:
                yield event_from_row(row)

    def close(self) -> None:
        """Close the connection."""
        self._conn.close()
