"""The SQL both backends run, written once: ``?`` placeholders (SQLite) or ``%s`` (psycopg),
and :class:`SqlStore`, the store methods that only run it (the same for both backends).

Only this module's constants (table and column names, placeholders) are formatted into the
text; every value is a bound parameter.
"""
# ruff: noqa: S608  (no value is ever formatted into SQL here: see above)

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from contextlib import AbstractContextManager
from dataclasses import dataclass
from typing import Any, ClassVar, Literal, Self

from b12lint.history.migrations import pending
from b12lint.history.store import (
    COLUMNS,
    EVENTS,
    KEY_CHECK,
    META,
    OUTCOME_COLUMNS,
    OUTCOME_TOTALS,
    OUTCOMES,
    VERSIONS,
    RuleOutcome,
    Stats,
    month_counts,
)

_COLS = ", ".join(COLUMNS)
_ORDER = "ORDER BY patient_hash, date_of_service, encounter_id"


@dataclass(frozen=True)
class Statements:
    """Every statement of one dialect."""

    upsert: str
    delete: str
    fetch: str
    export: str
    prune: str
    counts: str
    months: str
    version: str
    add_version: str
    get_key: str
    put_key: str
    upsert_outcome: str
    outcome_totals: str


def statements(p: str, *, in_list: bool, month: str) -> Statements:
    """Statements with placeholder ``p``.

    ``in_list``: the fetch takes a ``{in}`` list of placeholders (SQLite) rather than one array
    parameter (PostgreSQL ``= ANY``); ``month`` is the expression of a row's ``YYYY-MM``.
    """
    values = ", ".join([p] * (len(COLUMNS) + 1))
    updates = ", ".join(f"{c} = excluded.{c}" for c in (*COLUMNS[1:], "recorded_at"))
    match = "patient_hash IN ({in})" if in_list else f"patient_hash = ANY({p})"
    return Statements(
        upsert=(
            f"INSERT INTO {EVENTS} ({_COLS}, recorded_at) VALUES ({values}) "
            f"ON CONFLICT (encounter_id) DO UPDATE SET {updates}"
        ),
        delete=f"DELETE FROM {EVENTS} WHERE encounter_id = {p}",
        fetch=f"SELECT {_COLS} FROM {EVENTS} WHERE {match} {_ORDER}",
        export=f"SELECT {_COLS} FROM {EVENTS} {_ORDER}",
        prune=f"DELETE FROM {EVENTS} WHERE date_of_service < {p}",
        counts=(
            "SELECT count(*), count(DISTINCT patient_hash), "
            "coalesce(sum(CASE WHEN injection THEN 1 ELSE 0 END), 0), "
            f"min(date_of_service), max(date_of_service) FROM {EVENTS}"
        ),
        months=f"SELECT {month} AS m, count(*) FROM {EVENTS} GROUP BY m ORDER BY m",
        version=f"SELECT coalesce(max(version), 0) FROM {VERSIONS}",
        add_version=(
            f"INSERT INTO {VERSIONS} (version, description, applied_at) VALUES ({p}, {p}, {p})"
        ),
        get_key=f"SELECT value FROM {META} WHERE key = '{KEY_CHECK}'",
        put_key=(
            f"INSERT INTO {META} (key, value) VALUES ('{KEY_CHECK}', {p}) "
            "ON CONFLICT (key) DO NOTHING"
        ),
        upsert_outcome=(
            f"INSERT INTO {OUTCOMES} ({', '.join(OUTCOME_COLUMNS)}, recorded_at) "
            f"VALUES ({', '.join([p] * (len(OUTCOME_COLUMNS) + 1))}) "
            "ON CONFLICT (encounter_id, rule_id) DO UPDATE SET "
            + ", ".join(f"{c} = excluded.{c}" for c in (*OUTCOME_COLUMNS[2:], "recorded_at"))
        ),
        outcome_totals=(
            f"SELECT rule_id, {', '.join(f'sum({c})' for c in OUTCOME_TOTALS)} "
            f"FROM {OUTCOMES} GROUP BY rule_id ORDER BY rule_id"
        ),
    )


SQLITE = statements("?", in_list=True, month="substr(date_of_service, 1, 7)")
POSTGRES = statements("%s", in_list=False, month="to_char(date_of_service, 'YYYY-MM')")


class SqlStore:
    """The part of a history store that is the same over SQLite and PostgreSQL.

    A backend provides its statements, its transactions (``_read``, ``_write``: a connection
    whose ``execute(query, params)`` returns a cursor) and how its columns hold dates and
    times; the rest of :class:`~b12lint.history.store.Store` (connecting, ``fetch``,
    ``record``, ``export``) is its own.
    """

    backend: str
    display: str
    dialect: ClassVar[Literal["sqlite", "postgres"]]
    sql: ClassVar[Statements]

    def _read(self) -> AbstractContextManager[Any]:
        """A read transaction: one consistent snapshot."""
        raise NotImplementedError

    def _write(self) -> AbstractContextManager[Any]:
        """A write transaction."""
        raise NotImplementedError

    def _prepare(self, create: bool) -> None:
        """Check the store and migrate it (with ``create``: create it)."""
        raise NotImplementedError

    def close(self) -> None:
        """Close the connection."""
        raise NotImplementedError

    @staticmethod
    def _now() -> Any:
        """The current time as the backend's timestamp columns take it."""
        return dt.datetime.now(dt.UTC)

    @staticmethod
    def _to_date(value: dt.date) -> Any:
        """A date as the backend's date columns take it."""
        return value

    @staticmethod
    def _from_date(value: Any) -> dt.date | None:
        """A date as the backend's date columns give it back (None for no row)."""
        return value if isinstance(value, dt.date) else None

    def _prepared(self, create: bool) -> Self:
        """This store, prepared; its connection closed if that fails."""
        try:
            self._prepare(create)
        except BaseException:
            self.close()
            raise
        return self

    def _migrate(self, conn: Any, current: int) -> None:
        """Apply the migrations a store at ``current`` lacks, each with its version row."""
        for migration in pending(current, self.display):
            sqlite = self.dialect == "sqlite"
            for statement in migration.sqlite if sqlite else migration.postgres:
                conn.execute(statement)
            conn.execute(
                self.sql.add_version, (migration.version, migration.description, self._now())
            )

    def schema_version(self) -> int:
        """The store's schema version."""
        with self._read() as conn:
            return int(conn.execute(self.sql.version).fetchone()[0])

    def key_fingerprint(self) -> str | None:
        """The fingerprint of the key the hashes were made with, if one was recorded."""
        with self._read() as conn:
            row = conn.execute(self.sql.get_key).fetchone()
        return str(row[0]) if row else None

    def claim_key(self, fingerprint: str) -> str:
        """Record ``fingerprint`` unless one is; the fingerprint in effect."""
        with self._write() as conn:
            conn.execute(self.sql.put_key, (fingerprint,))
            return str(conn.execute(self.sql.get_key).fetchone()[0])

    def stats(self) -> Stats:
        """Counts for auditors."""
        with self._read() as conn:
            events, patients, injections, first, last = conn.execute(self.sql.counts).fetchone()
            months = month_counts(conn.execute(self.sql.months).fetchall())
            version = int(conn.execute(self.sql.version).fetchone()[0])
        return Stats(
            backend=self.backend,
            target=self.display,
            schema_version=version,
            events=int(events),
            patients=int(patients),
            injections=int(injections),
            first_date=self._from_date(first),
            last_date=self._from_date(last),
            by_month=months,
        )

    def record_outcomes(self, outcomes: Sequence[RuleOutcome]) -> int:
        """Upsert remittance outcomes by (encounter id, rule id), in one transaction."""
        now = self._now()
        with self._write() as conn:
            for outcome in outcomes:
                conn.execute(self.sql.upsert_outcome, (*outcome.row(), now))
        return len(outcomes)

    def outcome_totals(self) -> dict[str, tuple[float, ...]]:
        """Per rule id, the sums of the outcome counts and dollars over every encounter."""
        with self._read() as conn:
            rows = conn.execute(self.sql.outcome_totals).fetchall()
        return {str(row[0]): tuple(float(v or 0) for v in row[1:]) for row in rows}

    def prune(self, before: dt.date) -> int:
        """Delete events dated before ``before``."""
        with self._write() as conn:
            return int(conn.execute(self.sql.prune, (self._to_date(before),)).rowcount)
