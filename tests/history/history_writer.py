"""A writer process for the concurrency tests (run as a script, not collected by pytest).

``python history_writer.py TARGET PREFIX ROUNDS SIZE SYNC_DIR``: opens the store, signals
``SYNC_DIR/ready-PREFIX``, waits for ``SYNC_DIR/go``, then records ROUNDS transactions of SIZE
events of its own plus one event both writers share, and prints the wall-clock span of its
writes as ``start end``.
"""

from __future__ import annotations

import datetime as dt
import sys
import time
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


def main(target: str, prefix: str, rounds: int, size: int, sync: Path) -> None:
    store = open_store(target, create=True)
    (sync / f"ready-{prefix}").touch()
    deadline = time.monotonic() + 60
    while not (sync / "go").exists():
        if time.monotonic() > deadline:
            raise SystemExit("never told to go")
        time.sleep(0.002)
    start = time.time()
    for r in range(rounds):
        own = [event(f"{prefix}-{r}-{i}", f"patient-{i % 7}") for i in range(size)]
        store.record([*own, event(f"shared-{r}", "patient-shared")])
    end = time.time()
    store.close()
    print(start, end)


if __name__ == "__main__":
    target, prefix, rounds, size, sync = sys.argv[1:6]
    main(target, prefix, int(rounds), int(size), Path(sync))
