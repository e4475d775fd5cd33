"""Versioned schema migrations of the history store, one list for both backends.

Each migration runs once, in the same transaction as the row that records it in
``b12lint_schema_version``; a store is always migrated to the latest version it lacks before it
is read or written. Backends serialise migrations between processes (SQLite: ``BEGIN
IMMEDIATE``; PostgreSQL: a transaction-level advisory lock), so two coders starting at once
on a new history apply each migration exactly once. A store whose version is newer than this
b12lint knows is refused rather than misread. Never edit a released migration: add one.
"""

from __future__ import annotations

from dataclasses import dataclass

from b12lint.history.store import EVENTS, META, OUTCOMES, VERSIONS, HistoryError


@dataclass(frozen=True)
class Migration:
    """One schema change, as SQL statements for each backend."""

    version: int
    description: str
    sqlite: tuple[str, ...]
    postgres: tuple[str, ...]


VERSION_TABLE = {
    "sqlite": f"CREATE TABLE IF NOT EXISTS {VERSIONS} (version INTEGER PRIMARY KEY, "
    "description TEXT NOT NULL, applied_at TEXT NOT NULL)",
    "postgres": f"CREATE TABLE IF NOT EXISTS {VERSIONS} (version INTEGER PRIMARY KEY, "
    "description TEXT NOT NULL, applied_at TIMESTAMPTZ NOT NULL DEFAULT now())",
}

MIGRATIONS: list[Migration] = [
    Migration(
        1,
        "events by encounter id; meta (key check)",
        sqlite=(
            f"CREATE TABLE {META} (key TEXT PRIMARY KEY, value TEXT NOT NULL)",
            f"CREATE TABLE {EVENTS} ("
            "encounter_id TEXT PRIMARY KEY, patient_hash TEXT NOT NULL, "
            "date_of_service TEXT NOT NULL, phase TEXT, codes TEXT NOT NULL, "
            "drugs TEXT NOT NULL, dose_mcg REAL, injection INTEGER NOT NULL, "
            "recorded_at TEXT NOT NULL)",
            f"CREATE INDEX {EVENTS}_patient ON {EVENTS} (patient_hash, date_of_service)",
            f"CREATE INDEX {EVENTS}_date ON {EVENTS} (date_of_service)",
        ),
        postgres=(
            f"CREATE TABLE {META} (key TEXT PRIMARY KEY, value TEXT NOT NULL)",
            f"CREATE TABLE {EVENTS} ("
            "encounter_id TEXT PRIMARY KEY, patient_hash TEXT NOT NULL, "
            "date_of_service DATE NOT NULL, phase TEXT, codes TEXT NOT NULL, "
            "drugs TEXT NOT NULL, dose_mcg DOUBLE PRECISION, injection BOOLEAN NOT NULL, "
            "recorded_at TIMESTAMPTZ NOT NULL DEFAULT now())",
            f"CREATE INDEX {EVENTS}_patient ON {EVENTS} (patient_hash, date_of_service)",
            f"CREATE INDEX {EVENTS}_date ON {EVENTS} (date_of_service)",
        ),
    ),
    Migration(
        2,
        "remittance outcomes by encounter and rule (b12lint remit)",
        sqlite=(
            f"CREATE TABLE {OUTCOMES} ("
            "encounter_id TEXT NOT NULL, rule_id TEXT NOT NULL, findings INTEGER NOT NULL, "
            "remitted INTEGER NOT NULL, denied INTEGER NOT NULL, predicted INTEGER NOT NULL, "
            "paid INTEGER NOT NULL, dollars REAL NOT NULL, recorded_at TEXT NOT NULL, "
            "PRIMARY KEY (encounter_id, rule_id))",
        ),
        postgres=(
            f"CREATE TABLE {OUTCOMES} ("
            "encounter_id TEXT NOT NULL, rule_id TEXT NOT NULL, findings INTEGER NOT NULL, "
            "remitted INTEGER NOT NULL, denied INTEGER NOT NULL, predicted INTEGER NOT NULL, "
            "paid INTEGER NOT NULL, dollars DOUBLE PRECISION NOT NULL, "
            "recorded_at TIMESTAMPTZ NOT NULL DEFAULT now(), "
            "PRIMARY KEY (encounter_id, rule_id))",
        ),
    ),
]


def latest() -> int:
    """The schema version this b12lint writes."""
    return MIGRATIONS[-1].version


def pending(current: int, display: str) -> list[Migration]:
    """The migrations a store at ``current`` lacks; a newer store is a HistoryError."""
    if current > latest():
        raise HistoryError(
            f"{display}: history schema version {current} is newer than this b12lint "
            f"supports ({latest()}): upgrade b12lint"
        )
    return [m for m in MIGRATIONS if m.version > current]
