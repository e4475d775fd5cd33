"""The history store behind the check API: read on every check, written only when asked.

Semantics (README "``b12lint serve``"): with a history configured (``history`` in the
configuration or ``serve --history``), every ``POST /v1/check`` gives the frequency rules the
stored events of the body's patients, as ``check --history`` does; the body's encounters are
recorded only with ``?record=true`` (a pre-submission check of a draft must not become the
history the next check is judged against), as ``check --history`` records and ``--no-record``
does not. CDS Hooks calls never read or write it (the EHR's MedicationAdministrations are the
history there).

Each check in flight takes a store connection from a pool and gives it back (a connection is
only ever used by one thread at a time, though not always the same thread), so the bounded
worker pool needs at most one connection per worker. Writes are serialized by a lock: at most
one of the service's threads writes at a time (SQLite has one writer; the lock keeps workers
from waiting on its file lock), and another process writing the same store (a ``check
--history`` run) is waited for by the store itself (see :mod:`b12lint.history.sqlite`).
"""

from __future__ import annotations

import contextlib
import queue
import threading
from collections.abc import Iterator
from pathlib import Path

from b12lint.history import Store, open_store
from b12lint.history.keys import PatientKey
from b12lint.history.session import HistorySession, open_session


class ServiceHistory:
    """A history store shared by the service's worker threads."""

    def __init__(self, target: str, key: PatientKey, first: Store | None = None) -> None:
        self.target = target
        self.key = key
        self._idle: queue.SimpleQueue[Store] = queue.SimpleQueue()
        self._write = threading.Lock()
        self._lock = threading.Lock()
        self._open: list[Store] = []
        self._closed = False
        if first is not None:
            self._open.append(first)
            self._idle.put(first)

    @classmethod
    def open(cls, target: str, key_file: Path | None = None) -> tuple[ServiceHistory, list[str]]:
        """Open (creating it if need be, as a first ``check --history`` does) the history and
        check its key, once at start: a bad store or key stops the service before it serves.
        Raises :class:`~b12lint.history.HistoryError`; notes for the operator."""
        session, notes = open_session(target, key_file=key_file)
        return cls(target, session.key, session.store), notes

    def _take(self) -> Store:
        try:
            return self._idle.get_nowait()
        except queue.Empty:
            store = open_store(self.target, create=False)
            with self._lock:
                self._open.append(store)
            return store

    def _give_back(self, store: Store, healthy: bool) -> None:
        with self._lock:
            keep = healthy and not self._closed
            if not keep:
                self._open.remove(store)
        if keep:
            self._idle.put(store)
        else:
            store.close()

    @contextlib.contextmanager
    def session(self, *, record: bool) -> Iterator[HistorySession]:
        """A session of one check: reads always; :meth:`record` writes only if ``record``.

        A connection that failed is closed rather than given to the next check.
        """
        store = self._take()
        healthy = False
        try:
            yield HistorySession(store, self.key, dry_run=not record)
            healthy = True
        finally:
            self._give_back(store, healthy)

    def record(self, session: HistorySession) -> int:
        """Record the session's checked batch, one writer at a time."""
        with self._write:
            return session.record()

    def close(self) -> None:
        """Close the idle connections (at shutdown); a check still running closes its own
        when it ends."""
        with self._lock:
            self._closed = True
            idle = []
            while True:
                try:
                    idle.append(self._idle.get_nowait())
                except queue.Empty:
                    break
            for store in idle:
                self._open.remove(store)
        for store in idle:
            store.close()

    @property
    def connections(self) -> int:
        """Connections open now (idle or in use)."""
        with self._lock:
            return len(self._open)
