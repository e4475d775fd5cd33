"""Cost of ``check --history``: the same batch checked without a history, with a SQLite
history and (if ``B12LINT_TEST_POSTGRES_URL`` is set) with a PostgreSQL one.

    python bench/history.py [--encounters 20000] [--patients 2000] [--repeat 3]

The store already holds an earlier batch of the same patients (as many encounters), so each
check fetches every patient's prior events and records the batch: the steady state of a
clinic running daily checks. Times are the best of ``--repeat`` runs in this process; ratios
are against the baseline measured in the same run.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import secrets
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

from b12lint.engine import load_ruleset, run
from b12lint.engine.ruleset import Ruleset
from b12lint.history.session import HistorySession, open_session
from b12lint.readers import read_inputs

ROOT = Path(__file__).resolve().parents[1]


def record(eid: str, patient: str, day: dt.date) -> dict[str, object]:
    return {
        "encounter_id": eid,
        "patient_id": patient,
        "date_of_service": day.isoformat(),
        "diagnoses": ["D51.0"],
        "documentation": {
            "indication": "pernicious anemia, maintenance",
            "indication_codes": ["D51.0"],
            "phase": "maintenance",
            "administrations": [{"drug": "cyanocobalamin", "dose": "1000 mcg", "route": "IM"}],
        },
        "lines": [
            {"code": "J3420", "units": 1, "dx_pointers": [1]},
            {"code": "96372", "units": 1, "dx_pointers": [1]},
        ],
    }


def write_batch(path: Path, prefix: str, n: int, patients: int, start: dt.date) -> Path:
    with path.open("w", encoding="utf-8") as out:
        for i in range(n):
            day = start + dt.timedelta(days=(i // patients) * 30 + i % 20)
            out.write(json.dumps(record(f"{prefix}-{i}", f"PT-{i % patients:05d}", day)) + "\n")
    return path


def check(batch: Path, ruleset: Ruleset, session: HistorySession | None, save: bool) -> int:
    result = run(
        read_inputs([str(batch)]),
        ruleset,
        context=session.context if session else None,
        keep_events=session is not None,
    )
    if session is not None and save:
        session.record(result)
    return len(result.findings)


def best(fn: Callable[[], object], repeat: int) -> float:
    times = []
    for _ in range(repeat):
        t0 = time.perf_counter()
        fn()
        times.append(time.perf_counter() - t0)
    return min(times)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--encounters", type=int, default=20_000)
    parser.add_argument("--patients", type=int, default=2_000)
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()
    os.environ.setdefault("B12LINT_HISTORY_KEY", secrets.token_hex(32))
    ruleset = load_ruleset()
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        n, p = args.encounters, args.patients
        earlier = write_batch(folder / "earlier.jsonl", "old", n, p, dt.date(2025, 1, 6))
        batch = write_batch(folder / "batch.jsonl", "new", n, p, dt.date(2026, 1, 6))
        targets = {"sqlite": str(folder / "h.db")}
        url = os.environ.get("B12LINT_TEST_POSTGRES_URL")
        if url:
            schema = f"bench_{secrets.token_hex(4)}"
            import psycopg

            with psycopg.connect(url, autocommit=True) as conn:
                conn.execute(f"CREATE SCHEMA {schema}")
            targets["postgresql"] = (
                f"{url}{'&' if '?' in url else '?'}options=-csearch_path%3D{schema}"
            )
        print(
            f"{n} encounters, {p} patients, best of {args.repeat}, Python {sys.version.split()[0]}"
        )
        sessions: dict[str, HistorySession] = {}
        rows: dict[str, float] = {}
        try:
            for name, target in targets.items():
                sessions[name], _ = open_session(target)
                t0 = time.perf_counter()
                check(earlier, ruleset, sessions[name], True)
                rows[f"{name}: first batch, empty store"] = time.perf_counter() - t0
            # Interleaved rounds: every variant sees the same background load.
            variants: dict[str, Callable[[], object]] = {
                "no history (baseline)": lambda: check(batch, ruleset, None, False)
            }
            for name, session in sessions.items():
                variants[f"{name}: check + record"] = lambda s=session: check(
                    batch, ruleset, s, True
                )
                variants[f"{name}: --no-record"] = lambda s=session: check(batch, ruleset, s, False)
            for _ in range(args.repeat):
                for label, fn in variants.items():
                    seconds = best(fn, 1)
                    rows[label] = min(rows.get(label, seconds), seconds)
        finally:
            for session in sessions.values():
                session.close()
            if "postgresql" in targets:
                with psycopg.connect(url, autocommit=True) as conn:
                    conn.execute(f"DROP SCHEMA {schema} CASCADE")
        base = rows["no history (baseline)"]
        for label in ["no history (baseline)", *[k for k in rows if k != "no history (baseline)"]]:
            seconds = rows[label]
            print(
                f"{label:36} {seconds:7.3f} s   {seconds / base:4.2f}x   "
                f"{seconds / n * 1e6:6.1f} µs/encounter"
            )


if __name__ == "__main__":
    main()
