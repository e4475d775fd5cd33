"""A writer process for the concurrency tests (run as a script, not collected by pytest).

``python history_writer.py TARGET PREFIX ROUNDS SIZE SYNC_DIR WRITERS``: opens the store,
signals ``SYNC_DIR/ready-PREFIX``, waits for ``SYNC_DIR/go``, then records ROUNDS transactions
of SIZE events of its own plus one event every writer shares. After its first transaction it
waits until all WRITERS have written one, so the writers' loops run at the same time however
the OS schedules them. Prints the wall-clock span of its writes as ``start end``.
"""

from __future__ import annotations

import datetime as dt
import sys
import time
from collections.abc import Callable
from pathlib import Path

from b12lint.history import StoredEvent, open_store


def event(eid: str, patient: str) -> StoredEvent:
    return StoredEvent(
        encounter_id=eid,
        patient_hash=patient,
        date=dt.date(2026, 3, 2),
        phase="maintenance",
        codes=("96372", "J3420"),
        drugs=("cyanocobalamin",),
        dose_mcg=1000.0,
        injection=True,
    )


def wait(done: Callable[[], bool], what: str) -> None:
    deadline = time.monotonic() + 60
    while not done():
        if time.monotonic() > deadline:
            raise SystemExit(f"gave up waiting for {what}")
        time.sleep(0.001)


def main(target: str, prefix: str, rounds: int, size: int, sync: Path, writers: int) -> None:
    store = open_store(target, create=True)
    (sync / f"ready-{prefix}").touch()
    wait((sync / "go").exists, "go")
    start = time.time()
    for r in range(rounds):
        own = [event(f"{prefix}-{r}-{i}", f"patient-{i % 7}") for i in range(size)]
        store.record([*own, event(f"shared-{r}", "patient-shared")])
        if r == 0:
            (sync / f"started-{prefix}").touch()
            wait(lambda: len(list(sync.glob("started-*"))) == writers, "the other writers")
    end = time.time()
    store.close()
    print(start, end)


if __name__ == "__main__":
    target, prefix, rounds, size, sync, writers = sys.argv[1:7]
    main(target, prefix, int(rounds), int(size), Path(sync), int(writers))
