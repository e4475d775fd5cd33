"""Measure what reading charts as clinics write them costs (issue 11 items 5-7).

Usage: python bench/bench_charts.py [--records N] [--repeat R]   (e.g. --records 2000 --repeat 5)

Two batches of the same clean B12 encounter, linted with b12-core in one run (CPU time, cases
interleaved round by round, best of R):

- canonical (the baseline): dose "1000 mcg", route "IM", phase "maintenance", no labs;
- as written: drug "Cyanocobalamin 1,000 mcg/mL", dose "1 mL", route "IM (L deltoid)", phase
  "monthly", two charted labs (read into every history event).

Every record has its own encounter and patient id and its texts vary by a counter, so the
parsers' caches do not hide the work. Then the parsers alone, per call, with their caches
cleared before each call (the cold cost of a text never seen before): the canonical text and
the charted text for dose, route and phase.
"""

from __future__ import annotations

import argparse
import copy
import sys
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "tests"))
sys.path.insert(0, str(ROOT / "bench"))

from b12_records import clean_record  # noqa: E402
from bench_rules import best_of  # noqa: E402  (cases interleaved round by round, best of R)

from b12lint.domain import dose as dose_module  # noqa: E402
from b12lint.domain import phase as phase_module  # noqa: E402
from b12lint.domain import route as route_module  # noqa: E402
from b12lint.engine import load_ruleset, run  # noqa: E402


def records(n: int, *, as_written: bool) -> list[dict[str, Any]]:
    base = clean_record()
    out = []
    for i in range(n):
        record = copy.deepcopy(base)
        record["encounter_id"] = f"E-{i}"
        record["patient_id"] = f"P-{i}"
        doc = record["documentation"]
        adm = doc["administrations"][0]
        site = ("L", "R")[i % 2]
        if as_written:
            adm.update(drug=f"Cyanocobalamin 1,000 mcg/mL #{i}", dose=f"1 mL {' ' * (i % 7)}")
            adm["route"] = f"IM ({site} deltoid){' ' * (i % 11)}"
            doc["phase"] = f"monthly{' ' * (i % 5)}"
            doc["labs"] = [
                {"test": "B12", "value": 150 + i % 50, "unit": "pg/mL", "date": "2026-02-20"},
                {"test": "MMA", "value": 0.5, "unit": "umol/L", "date": "2026-02-20"},
            ]
        else:
            adm.update(drug=f"cyanocobalamin #{i}", dose=f"1000 mcg{' ' * (i % 7)}")
            adm["route"] = f"IM{' ' * (i % 11)}"
            doc["phase"] = f"maintenance{' ' * (i % 5)}"
        out.append(record)
    return out


def _clear() -> None:
    for fn in (
        dose_module._parse_text,
        dose_module._bare_volume,
        dose_module._strength_in_name,
        dose_module._unit_dose_or_error,
        dose_module._conc_from_text,
        route_module._route_from_text,
        phase_module._phase,
    ):
        fn.cache_clear()


def parser_cost(calls: list[Callable[[], object]], repeat: int) -> float:
    """Microseconds per call, cold caches (the clearing is timed apart and subtracted)."""
    best = float("inf")
    for _ in range(repeat):
        spent = 0.0
        for call in calls:
            _clear()
            start = time.process_time()
            call()
            spent += time.process_time() - start
        best = min(best, spent)
    return best / len(calls) * 1e6


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--records", type=int, default=2000)
    parser.add_argument("--repeat", type=int, default=5)
    args = parser.parse_args()
    ruleset = load_ruleset()
    canonical = records(args.records, as_written=False)
    written = records(args.records, as_written=True)
    times = best_of(
        {
            "canonical": lambda: run(iter(canonical), ruleset),
            "as written": lambda: run(iter(written), ruleset),
        },
        args.repeat,
    )
    n = args.records
    base = times["canonical"] / n * 1e6
    print(f"lint, b12-core, {n} records, best of {args.repeat} (CPU time):")
    for name, seconds in times.items():
        per = seconds / n * 1e6
        print(f"  {name:<12} {per:8.1f} µs/record  {per / base:5.2f}x canonical")

    parse_dose, route = dose_module.parse_dose, route_module.normalize_route
    phase = phase_module.normalize_phase
    pairs = {
        "dose": (lambda: parse_dose("1000 mcg"), lambda: parse_dose("1 mL", 1000.0)),
        "dose + route tail": (lambda: parse_dose("1000 mcg"), lambda: parse_dose("1,000 mcg IM")),
        "strength in name": (
            lambda: dose_module.strength_in_name("cyanocobalamin"),
            lambda: dose_module.strength_in_name("Cyanocobalamin 1,000 mcg/mL"),
        ),
        "route": (lambda: route("IM"), lambda: route("IM (L deltoid)")),
        "phase": (lambda: phase("maintenance"), lambda: phase("Loading phase - week 3")),
    }
    print(f"parsers, cold caches, µs per call (best of {args.repeat}):")
    for name, (plain, charted) in pairs.items():
        a = parser_cost([plain] * 200, args.repeat)
        b = parser_cost([charted] * 200, args.repeat)
        print(f"  {name:<18} canonical {a:6.2f}  as written {b:6.2f}  ({b / a:4.1f}x)")


if __name__ == "__main__":
    main()
