"""Measure engine v2: the rules' evaluation as generated code against the closures, and what
generating costs at start-up, each pair measured in the same run, interleaved, best of R.

Usage: python bench/codegen.py [--records N] [--repeat R] [--years]
       (e.g. --records 3000 --repeat 5)

Records come from ``bench/generate.py`` and are read and wrapped as encounter views once, so
only rule evaluation is timed (CPU time of this process):

- ``selected``: the rules the linter runs on each view (guards and effective dates, as
  :class:`b12lint.engine.selection.Selection` chooses them), each rule's ``evaluate``;
- ``every rule``: every encounter rule of b12-core on every view (no guard skips any);
- ``pack load``: b12-core read, validated and compiled: closures only; generated with the code
  cache warm; generated with an empty cache (generation and ``compile()``), the parsed
  documents cached in every case;
- ``one encounter``: ``b12lint check sample_claims/single-encounter.yaml`` run in a fresh
  process for each engine (caches warm), the CPU time of the command after b12lint's imports
  (the imports are the same for both engines), interleaved, best of R.

The hits of both engines are compared on every pair (a mismatch stops the run).

``--years`` moves each record to a date of service spread over 2007-2027 (the same day
again for every date on the record's own day): many encounters then fall before the ICD-10-CM
code set or the NCCI tables, and the rules that read dated data report "not checked" infos,
the path the generated code records gaps on.
"""

from __future__ import annotations

import argparse
import datetime as dt
import importlib.util
import io
import os
import subprocess
import sys
import tempfile
from collections.abc import Callable
from pathlib import Path
from typing import Any

import orjson

from b12lint.engine.pack import builtin_pack_paths, compile_pack, read_pack
from b12lint.engine.selection import Selection
from b12lint.engine.view import EncounterView
from b12lint.model import Record
from b12lint.readers import read_file

ROOT = Path(__file__).resolve().parents[1]


def _bench_module(name: str) -> Any:
    """A sibling script of ``bench/``, imported by path."""
    qualified = f"bench_{name}"
    if qualified not in sys.modules:
        spec = importlib.util.spec_from_file_location(qualified, ROOT / "bench" / f"{name}.py")
        assert spec is not None and spec.loader is not None
        module = importlib.util.module_from_spec(spec)
        sys.modules[qualified] = module
        spec.loader.exec_module(module)
    return sys.modules[qualified]


FIRST_DAY, DAYS = dt.date(2007, 1, 1), (dt.date(2027, 12, 31) - dt.date(2007, 1, 1)).days


def across_years(lines: list[bytes]) -> list[bytes]:
    """Each JSONL record moved to a date of service of 2007-2027 (its day's dates with it)."""
    out = []
    for n, line in enumerate(lines):
        try:
            record = orjson.loads(line)
        except orjson.JSONDecodeError:  # the batch's unreadable records stay as they are
            record = None
        day = record.get("date_of_service") if isinstance(record, dict) else None
        if not isinstance(day, str):
            out.append(line)
            continue
        new = FIRST_DAY + dt.timedelta(days=(n * 7919) % (DAYS + 1))
        out.append(line.replace(day.encode(), new.isoformat().encode()))
    return out


def views(n: int, years: bool = False) -> list[Any]:
    """The in-scope encounters of a generated batch, read and wrapped as views."""
    lines = list(_bench_module("generate").generate(n, seed=6))
    data = b"".join(across_years(lines) if years else lines)
    items = read_file("bench.jsonl", None, forced="jsonl", stdin=io.BytesIO(data))
    out = []
    for item in items:
        if isinstance(item, Record):
            view = EncounterView(item.encounter, item.has_chart, item.chart_missing)
            if view.is_b12:
                out.append((view, item.has_chart))
    return out


def best_of(cases: dict[str, Callable[[], object]], repeat: int) -> dict[str, float]:
    """CPU seconds of each case, interleaved round by round, best of ``repeat``."""
    result: dict[str, float] = _bench_module("bench_rules").best_of(cases, repeat)
    return result


_ONE_ENCOUNTER = """
import sys, time
from b12lint.cli import cli
import b12lint.cli.check  # the command's module (the command line imports it on first use)
start = time.process_time()
try:
    cli.main(["check", sys.argv[1], "--engine", sys.argv[2]], standalone_mode=False)
except SystemExit:
    pass
sys.stderr.write(f"{time.process_time() - start}\\n")
"""


def one_encounter(repeat: int) -> dict[str, float]:
    """CPU seconds of ``b12lint check`` on one encounter after the imports, per engine."""
    single = str(ROOT / "sample_claims" / "single-encounter.yaml")
    out = {"closures": float("inf"), "generated": float("inf")}
    for _ in range(repeat):
        for engine in out:
            done = subprocess.run(
                [sys.executable, "-c", _ONE_ENCOUNTER, single, engine],
                capture_output=True,
                text=True,
                check=False,
            )
            out[engine] = min(out[engine], float(done.stderr.strip().splitlines()[-1]))
    return out


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--records", type=int, default=5000)
    parser.add_argument("--repeat", type=int, default=5)
    parser.add_argument("--years", action="store_true", help="dates of service over 2007-2027")
    args = parser.parse_args(argv)

    path = next(p for p in builtin_pack_paths() if p.name == "b12-core")
    source = read_pack(path)
    generated = compile_pack(source, "generated")
    batch = views(args.records, args.years)
    encounter = [r for r in generated.rules if r.meta.kind == "encounter"]
    selection = Selection(encounter)
    chosen = [(v, selection.rules_for(v, v.raw["date_of_service"], c)) for v, c in batch]
    pairs = sum(len(rules) for _, rules in chosen)
    # every rule on every view (with --years, every rule in effect on the view's date: a rule
    # is not run outside its effective dates, where its data may not exist)
    if args.years:
        every_rules = [
            (v, [r for r in encounter if r.meta.applies_on(v.raw["date_of_service"])])
            for v, _ in batch
        ]
    else:
        every_rules = [(v, encounter) for v, _ in batch]
    hits = infos = 0
    for view, rules in every_rules:  # the oracle first: identical hits on every pair
        for rule in rules:
            want = rule.oracle(view)
            if rule.evaluate(view) != want:
                raise SystemExit(f"mismatch: {rule.meta.id} on {view.raw['encounter_id']}")
            hits += len(want)
            infos += sum(h.message.startswith("Not checked") for h in want)

    def run(pairs: list[tuple[Any, list[Any]]], oracle: bool) -> Callable[[], None]:
        evaluators = [
            (v, [r.oracle if oracle else r.evaluate for r in rules]) for v, rules in pairs
        ]

        def go() -> None:
            for view, evaluate_all in evaluators:
                for evaluate in evaluate_all:
                    evaluate(view)

        return go

    rules_time = best_of(
        {
            "selected, closures": run(chosen, True),
            "selected, generated": run(chosen, False),
            "every rule, closures": run(every_rules, True),
            "every rule, generated": run(every_rules, False),
        },
        args.repeat,
    )
    cold_dirs = iter(range(10_000))
    with tempfile.TemporaryDirectory(prefix="b12lint-codegen-") as tmp:

        def cold() -> None:
            os.environ["B12LINT_CACHE_DIR"] = f"{tmp}/{next(cold_dirs)}"
            try:
                compile_pack(source, "generated")
            finally:
                del os.environ["B12LINT_CACHE_DIR"]

        compile_pack(source, "generated")  # the warm cache
        load_time = best_of(
            {
                "closures": lambda: compile_pack(source, "closures"),
                "generated, warm code cache": lambda: compile_pack(source, "generated"),
                "generated, cold code cache": cold,
            },
            args.repeat,
        )
    n = len(batch)
    print(
        f"b12-core ({len(encounter)} encounter rules), {n:,} B12 encounter views, "
        f"{pairs:,} selected (rule, encounter) pairs, {hits:,} hits ({infos:,} 'not checked'), "
        f"{'dates 2007-2027, ' if args.years else ''}best of {args.repeat}\n"
    )
    for name, seconds in rules_time.items():
        print(f"{name:<28}{seconds / n * 1e6:8.1f} µs/encounter")
    for kind in ("selected", "every rule"):
        ratio = rules_time[f"{kind}, closures"] / rules_time[f"{kind}, generated"]
        print(f"  {kind}: generated code {ratio:.2f}x faster than the closures")
    print()
    for name, seconds in load_time.items():
        print(f"pack load, {name:<28}{seconds * 1e3:8.1f} ms")
    print()
    for name, seconds in one_encounter(args.repeat).items():
        print(f"one encounter after imports, {name:<10}{seconds * 1e3:8.1f} ms")


if __name__ == "__main__":
    main()
