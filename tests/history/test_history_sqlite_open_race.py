"""Several processes opening one brand-new SQLite history at the same instant.

Switching a new file to WAL mode needs it to itself, and SQLite answers "locked" at once
(without its busy wait) while another process opens it: before the retry this failed about
half the time with three processes.
"""

from __future__ import annotations

import multiprocessing as mp
import os
import time
from pathlib import Path
from typing import Any

import pytest

ROUNDS = 12
PROCESSES = 3


def _open(path: str, go: str, results: Any) -> None:
    from b12lint.history.sqlite import SqliteStore

    deadline = time.monotonic() + 30
    while not os.path.exists(go) and time.monotonic() < deadline:
        pass
    try:
        SqliteStore.open(Path(path), create=True).close()
        results.put("ok")
    except Exception as exc:  # the test reports it
        results.put(f"{type(exc).__name__}: {exc}")


@pytest.mark.skipif("fork" not in mp.get_all_start_methods(), reason="needs the fork start method")
def test_processes_opening_a_new_history_at_once_all_succeed(tmp_path: Path) -> None:
    context = mp.get_context("fork")
    failures = []
    for round_ in range(ROUNDS):
        folder = tmp_path / str(round_)
        folder.mkdir()
        path, go = str(folder / "h.db"), str(folder / "go")
        results = context.Queue()
        procs = [context.Process(target=_open, args=(path, go, results)) for _ in range(PROCESSES)]
        for proc in procs:
            proc.start()
        time.sleep(0.05)
        Path(go).touch()
        for proc in procs:
            proc.join(timeout=60)
        outcomes = [results.get(timeout=5) for _ in procs]
        failures += [o for o in outcomes if o != "ok"]
    assert failures == []
