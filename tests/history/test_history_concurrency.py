"""Two processes writing one history at once lose nothing (SQLite WAL and PostgreSQL)."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import time
from pathlib import Path

from history_records import encounter, write_jsonl

from b12lint.history import open_store

HERE = Path(__file__).parent
ROUNDS, SIZE = 60, 5


def _wait_for(paths: list[Path], procs: list[subprocess.Popen[str]]) -> None:
    deadline = time.monotonic() + 60
    while not all(p.exists() for p in paths):
        for proc in procs:
            if proc.poll() is not None:
                raise AssertionError(f"writer exited early: {proc.communicate()}")
        assert time.monotonic() < deadline, "writers never got ready"
        time.sleep(0.01)


def test_two_writers_at_once_lose_no_row(target: str, tmp_path: Path) -> None:
    sync = tmp_path / "sync"
    sync.mkdir()
    procs = [
        subprocess.Popen(
            [
                sys.executable,
                str(HERE / "history_writer.py"),
                target,
                name,
                str(ROUNDS),
                str(SIZE),
                str(sync),
                "2",
            ],
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )
        for name in ("a", "b")
    ]
    _wait_for([sync / "ready-a", sync / "ready-b"], procs)
    (sync / "go").touch()
    spans = []
    for proc in procs:
        out, err = proc.communicate(timeout=120)
        assert proc.returncode == 0, err
        spans.append(tuple(float(x) for x in out.split()))
    (a_start, a_end), (b_start, b_end) = spans
    assert a_start < b_end and b_start < a_end  # the writers' loops overlapped
    store = open_store(target, create=False)
    ids = [e.encounter_id for e in store.export()]
    store.close()
    assert len(ids) == len(set(ids))  # shared ids were upserted, not duplicated
    assert len(ids) == 2 * ROUNDS * SIZE + ROUNDS


def test_two_concurrent_check_runs_record_both_batches(target: str, tmp_path: Path) -> None:
    """Two coders run ``b12lint check --history`` at the same moment on a new history."""
    batches = []
    for name in ("a", "b"):
        records = [
            encounter(f"{name}-{i}", f"PT-{i % 40:04d}", f"2026-{1 + i % 6:02d}-{1 + i % 28:02d}")
            for i in range(200)
        ]
        batches.append(write_jsonl(tmp_path / f"{name}.jsonl", records))
    procs = [
        subprocess.Popen(
            [
                sys.executable,
                "-m",
                "b12lint",
                "check",
                str(b),
                "--history",
                target,
                "--format",
                "json",
                "--output",
                str(b) + ".report.json",
            ],
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
            env=os.environ.copy(),
        )
        for b in batches
    ]
    for proc in procs:
        _, err = proc.communicate(timeout=120)
        assert proc.returncode in (0, 1), err
    for b in batches:
        assert json.loads(Path(str(b) + ".report.json").read_text())["summary"]["encounters"] == 200
    store = open_store(target, create=False)
    ids = {e.encounter_id for e in store.export()}
    store.close()
    assert ids == {f"{n}-{i}" for n in ("a", "b") for i in range(200)}
