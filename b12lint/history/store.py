"""What a history store keeps and the interface every backend provides.

A stored event is the least the frequency and phase rules need of one in-scope encounter: the
encounter id (findings name it), a keyed hash of the patient id, the date of service, the
charted phase, the billed codes, the B12 drugs, the total dose in mcg and whether it was an
injection. No names, no free text, no raw patient id.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Collection, Iterator, Sequence
from dataclasses import dataclass, field
from typing import Any, Protocol

import orjson

from b12lint.history.errors import HistoryError as HistoryError
from b12lint.history.errors import NoHistoryError as NoHistoryError

#: Table names carry a prefix so that a PostgreSQL database can be shared with other tools.
EVENTS = "b12lint_events"
OUTCOMES = "b12lint_remit_outcomes"
META = "b12lint_meta"
VERSIONS = "b12lint_schema_version"
#: The meta row holding the fingerprint of the key the patient hashes were made with.
KEY_CHECK = "key_check"
#: Rows fetched or deleted per statement (below SQLite's bound-parameter limit).
CHUNK = 500


@dataclass(frozen=True, slots=True)
class StoredEvent:
    """One in-scope encounter of a patient, as the history keeps it."""

    encounter_id: str
    patient_hash: str
    date: dt.date
    phase: str | None
    codes: tuple[str, ...]
    drugs: tuple[str, ...]
    dose_mcg: float | None
    injection: bool

    def row(self) -> tuple[Any, ...]:
        """The column values, in :data:`COLUMNS` order (lists as JSON text)."""
        return (
            self.encounter_id,
            self.patient_hash,
            self.date,
            self.phase,
            orjson.dumps(self.codes).decode(),
            orjson.dumps(self.drugs).decode(),
            self.dose_mcg,
            self.injection,
        )

    def as_dict(self) -> dict[str, Any]:
        """Plain data for ``b12lint history export``."""
        return {
            "encounter_id": self.encounter_id,
            "patient_hash": self.patient_hash,
            "date": self.date.isoformat(),
            "phase": self.phase,
            "codes": list(self.codes),
            "drugs": list(self.drugs),
            "dose_mcg": self.dose_mcg,
            "injection": self.injection,
        }


COLUMNS = (
    "encounter_id",
    "patient_hash",
    "date_of_service",
    "phase",
    "codes",
    "drugs",
    "dose_mcg",
    "injection",
)


def _text_list(value: object, column: str) -> tuple[str, ...]:
    try:
        items = orjson.loads(value) if isinstance(value, str) else None
    except orjson.JSONDecodeError:
        items = None
    if not isinstance(items, list) or not all(isinstance(i, str) for i in items):
        raise ValueError(f"{column} is not a JSON list of strings")
    return tuple(items)


def event_from_row(row: Sequence[Any]) -> StoredEvent:
    """A stored event from its columns; a row that is not ours raises :class:`HistoryError`."""
    encounter_id = row[0]
    try:
        if not isinstance(encounter_id, str) or not isinstance(row[1], str):
            raise ValueError("encounter_id or patient_hash is not text")
        date = row[2] if isinstance(row[2], dt.date) else dt.date.fromisoformat(str(row[2]))
        phase = row[3]
        if phase is not None and not isinstance(phase, str):
            raise ValueError("phase is not text")
        dose = row[6]
        if dose is not None and (isinstance(dose, bool) or not isinstance(dose, int | float)):
            raise ValueError("dose_mcg is not a number")
        return StoredEvent(
            encounter_id=encounter_id,
            patient_hash=row[1],
            date=date,
            phase=phase,
            codes=_text_list(row[4], "codes"),
            drugs=_text_list(row[5], "drugs"),
            dose_mcg=float(dose) if dose is not None else None,
            injection=bool(row[7]),
        )
    except (ValueError, TypeError) as exc:
        which = f" for encounter {encounter_id}" if isinstance(encounter_id, str) else ""
        raise HistoryError(f"malformed history row{which}: {exc}") from None


@dataclass(frozen=True, slots=True)
class RuleOutcome:
    """What the payer did with one rule's findings on one encounter (``b12lint remit``)."""

    encounter_id: str
    rule_id: str
    findings: int
    remitted: int
    denied: int
    predicted: int
    paid: int
    dollars: float

    def row(self) -> tuple[Any, ...]:
        """The column values, in :data:`OUTCOME_COLUMNS` order."""
        return (
            self.encounter_id,
            self.rule_id,
            self.findings,
            self.remitted,
            self.denied,
            self.predicted,
            self.paid,
            self.dollars,
        )


OUTCOME_COLUMNS = (
    "encounter_id",
    "rule_id",
    "findings",
    "remitted",
    "denied",
    "predicted",
    "paid",
    "dollars",
)
#: The sums per rule that :meth:`Store.outcome_totals` returns, in this order.
OUTCOME_TOTALS = OUTCOME_COLUMNS[2:]


@dataclass(frozen=True)
class Stats:
    """Counts an auditor may see: no patient hash, no encounter id."""

    backend: str
    target: str
    schema_version: int
    events: int
    patients: int
    injections: int
    first_date: dt.date | None
    last_date: dt.date | None
    by_month: dict[str, int] = field(default_factory=dict)

    def as_dict(self) -> dict[str, Any]:
        """Plain data for ``b12lint history stats --format json``."""
        return {
            "backend": self.backend,
            "target": self.target,
            "schema_version": self.schema_version,
            "events": self.events,
            "patients": self.patients,
            "injections": self.injections,
            "first_date": self.first_date.isoformat() if self.first_date else None,
            "last_date": self.last_date.isoformat() if self.last_date else None,
            "by_month": dict(self.by_month),
        }


class Store(Protocol):
    """A history backend: SQLite (a file) or PostgreSQL (a URL)."""

    backend: str
    display: str
    """The target as it may be shown (a URL without its password)."""

    def schema_version(self) -> int:
        """The schema version of the store (after migration: the latest this b12lint knows)."""
        ...

    def key_fingerprint(self) -> str | None:
        """The fingerprint of the key the store's hashes were made with (None if unset)."""
        ...

    def claim_key(self, fingerprint: str) -> str:
        """Remember ``fingerprint`` unless one is stored; the fingerprint in effect."""
        ...

    def fetch(self, patient_hashes: Collection[str]) -> list[StoredEvent]:
        """Every stored event of these patients."""
        ...

    def record(self, events: Sequence[StoredEvent], forget: Collection[str] = ()) -> int:
        """Upsert ``events`` by encounter id and delete ``forget`` ids, in one transaction."""
        ...

    def export(self) -> Iterator[StoredEvent]:
        """Every stored event, by patient hash, date and encounter id."""
        ...

    def stats(self) -> Stats:
        """Counts for auditors."""
        ...

    def record_outcomes(self, outcomes: Sequence[RuleOutcome]) -> int:
        """Upsert remittance outcomes by (encounter id, rule id), in one transaction."""
        ...

    def outcome_totals(self) -> dict[str, tuple[float, ...]]:
        """Per rule id, the sums of :data:`OUTCOME_TOTALS` over every recorded encounter."""
        ...

    def prune(self, before: dt.date) -> int:
        """Delete events with a date of service before ``before``; how many were deleted."""
        ...

    def close(self) -> None:
        """Release the connection."""
        ...


def chunks(values: Collection[str]) -> Iterator[list[str]]:
    """``values`` sorted, in lists of at most :data:`CHUNK`."""
    ordered = sorted(values)
    for start in range(0, len(ordered), CHUNK):
        yield ordered[start : start + CHUNK]


def month_counts(rows: Iterator[tuple[Any, ...]] | list[tuple[Any, ...]]) -> dict[str, int]:
    """``{"2026-03": 12, ...}`` from ``(month, count)`` rows."""
    return {str(month): int(count) for month, count in rows}
