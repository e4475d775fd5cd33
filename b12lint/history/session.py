"""A check run's use of a history: the keyed hash, stored events as context, recording.

The CLI wires it: :func:`open_session` before reading the input (a bad store or key stops the
run before any work), :meth:`HistorySession.context` as the engine's context source after
the batch is streamed, :meth:`HistorySession.record` after the reports are written.
"""

from __future__ import annotations

import os
import re
import secrets
from collections.abc import Mapping, Sequence
from pathlib import Path

from b12lint.engine.history import Event
from b12lint.engine.linter import Result
from b12lint.history.keys import (
    HOW_TO_MAKE,
    KEY_ENV,
    PatientKey,
    create_key_file,
    default_key_path,
    key_from_text,
    read_key_file,
)
from b12lint.history.store import HistoryError, Store, StoredEvent
from b12lint.history.target import open_store, sqlite_path

#: Phases kept as written; any other charted text is stored as "other" (it may be a note).
STORED_PHASES = frozenset({"repletion", "maintenance"})
#: What a stored billed code looks like (CPT/HCPCS); other line text is not kept.
_CODE = re.compile(r"[A-Z0-9]{5}")


def to_stored(event: Event, patient_hash: str) -> StoredEvent:
    """What the history keeps of a batch event: the patient id is replaced by its keyed hash,
    and no free text is kept (a phase outside the vocabulary, a code that is not code-shaped)."""
    phase = event.phase
    if phase is not None and phase not in STORED_PHASES:
        phase = "other"
    return StoredEvent(
        encounter_id=event.encounter_id,
        patient_hash=patient_hash,
        date=event.date,
        phase=phase,
        codes=tuple(sorted(code for code in event.codes if _CODE.fullmatch(code))),
        drugs=tuple(event.drugs),
        dose_mcg=event.dose_mcg,
        injection=event.injection,
    )


def to_event(stored: StoredEvent, patient_id: str) -> Event:
    """A stored event as context for the batch patient it belongs to (never reported)."""
    return Event(
        encounter_id=stored.encounter_id,
        patient_id=patient_id,
        date=stored.date,
        phase=stored.phase,
        codes=frozenset(stored.codes),
        drugs=stored.drugs,
        dose_mcg=stored.dose_mcg,
        injection=stored.injection,
        source=None,
        report=False,
    )


class HistorySession:
    """An open store and the key its patient hashes are made with.

    A ``dry_run`` session (``--no-record``) reads and never writes.
    """

    def __init__(self, store: Store, key: PatientKey, *, dry_run: bool = False) -> None:
        self.store = store
        self.key = key
        self.dry_run = dry_run
        self.fetched = 0
        self.context_ids: list[str] = []
        """Encounter ids of the stored events given as context (findings may name them)."""
        self._hashes: dict[str, str] = {}
        self.batch: Result | None = None
        """The checked batch waiting to be recorded."""

    def patient_hash(self, patient_id: str) -> str:
        """The keyed hash of a patient id (cached: a batch sees each patient many times)."""
        digest = self._hashes.get(patient_id)
        if digest is None:
            digest = self._hashes[patient_id] = self.key.hash(patient_id)
        return digest

    def context(self, patients: Sequence[str]) -> list[Event]:
        """The stored events of these (batch) patients."""
        by_hash = {self.patient_hash(p): p for p in patients}
        events = [to_event(s, by_hash[s.patient_hash]) for s in self.store.fetch(by_hash)]
        self.fetched = len(events)
        self.context_ids = [e.encounter_id for e in events]
        return events

    def checked(self, result: Result) -> None:
        """Keep the batch's result (run with ``keep_events``) for :meth:`record`."""
        self.batch = result

    def record(self, result: Result | None = None) -> int:
        """Upsert the batch's events; forget stored ids the batch read as out of scope.

        A stored encounter that the batch reads again but no longer yields an event (not B12
        any more, no patient id) is deleted: the batch is the latest word on its encounters.
        """
        result = result or self.batch
        if result is None or self.dry_run:
            return 0
        stored = [to_stored(e, self.patient_hash(e.patient_id)) for e in result.events]
        forget = result.encounter_ids - {e.encounter_id for e in result.events}
        return self.store.record(stored, forget)

    def close(self) -> None:
        """Close the store."""
        self.store.close()


def resolve_key(
    store: Store,
    target: str,
    key_file: Path | None,
    env: Mapping[str, str],
    *,
    generate: bool = True,
) -> tuple[PatientKey, list[str]]:
    """The key: ``B12LINT_HISTORY_KEY``, a key file, or a SQLite history's own.

    A SQLite history's key is generated at first use; without ``generate`` (a dry run) a
    history that has none yet gets a one-off key that is never written (nothing is stored
    under any key: every recording run claims its key first).
    """
    text = env.get(KEY_ENV)
    if text is not None and text.strip():
        return key_from_text(text, KEY_ENV), []
    if key_file is not None:
        return read_key_file(key_file)
    path = sqlite_path(target)
    if path is None:
        raise HistoryError(
            f"{store.display}: a shared PostgreSQL history needs the team's key: set {KEY_ENV} "
            f"or history-key-file (the same key for every coder); make one with {HOW_TO_MAKE}"
        )
    default = default_key_path(path)
    if default.exists():
        return read_key_file(default)
    if store.key_fingerprint() is not None:
        raise HistoryError(
            f"{store.display}: its key file {default} is missing: restore it, or set "
            f"{KEY_ENV} or history-key-file to the key the history was recorded with"
        )
    if not generate:
        return PatientKey(secrets.token_bytes(32), "a one-off key (nothing recorded yet)"), []
    key, created = create_key_file(default)
    notes = []
    if created:
        notes.append(
            f"created history key {default} (owner-only): keep it with {path}; without it "
            "the recorded patients cannot be matched"
        )
    return key, notes


def open_session(
    target: str,
    *,
    key_file: Path | None = None,
    env: Mapping[str, str] | None = None,
    dry_run: bool = False,
) -> tuple[HistorySession, list[str]]:
    """Open the history (creating it unless ``dry_run``) and check its key; notes for the user.

    A dry run on a target where nothing was recorded yet raises :class:`NoHistoryError`.
    """
    store = open_store(target, create=not dry_run)
    try:
        environ = os.environ if env is None else env
        key, notes = resolve_key(store, target, key_file, environ, generate=not dry_run)
        stored = store.key_fingerprint() if dry_run else store.claim_key(key.fingerprint())
        if stored is not None and stored != key.fingerprint():
            raise HistoryError(
                f"{store.display}: was recorded with a different key than {key.origin}: use "
                "the key it was created with (patients would not match)"
            )
    except BaseException:
        store.close()
        raise
    return HistorySession(store, key, dry_run=dry_run), notes
