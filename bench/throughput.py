"""Rule-evaluation throughput, this tree against a baseline tree, in one run.

    python bench/throughput.py BASELINE_TREE [--records 20000] [--claims 2000] [--repeat 5]
    (BASELINE_TREE: e.g. ``git archive main | tar -x -C /tmp/base``)

One generated JSONL batch (``bench/generate.py``, seed 6) and one 837P file
(``bench/x12_bench.py``) are written once; then each tree is timed in fresh processes with its
own ``b12lint`` first on ``PYTHONPATH`` (same interpreter and dependencies), the trees
alternating round by round, best CPU time of ``--repeat`` rounds:

- ``rules``: the generated rules the linter selects for each B12 encounter view (views built
  once, outside the timing), µs per B12 encounter;
- ``read + lint``: ``run(read_inputs([batch]))`` in the process, µs per record, with the
  orjson parse of every line (the floor) timed in the same process;
- ``837P read + lint``: ``run(read_x12(file))``, µs per claim.

Each process also reports its number of findings: the trees must agree (a speed change that
changes a finding is a bug), else the run stops.
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import tempfile
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]

_WORKER = r"""
import io, json, sys, time
import orjson
from b12lint.engine import load_ruleset, run
from b12lint.engine.view import EncounterView
from b12lint.model import Record
from b12lint.readers import read_file, read_inputs
from b12lint.readers.x12 import read_x12

batch, x12, what = sys.argv[1], sys.argv[2], sys.argv[3]
ruleset = load_ruleset()
out = {}
if what == "rules":
    data = open(batch, "rb").read()
    views = []
    for item in read_file("b.jsonl", None, forced="jsonl", stdin=io.BytesIO(data)):
        if isinstance(item, Record):
            view = EncounterView(item.encounter, item.has_chart, item.chart_missing)
            if view.is_b12:
                views.append((view, item.has_chart))
    selection = ruleset.selection
    chosen = [
        (v, [r.evaluate for r in selection.rules_for(v, v.raw["date_of_service"], c)])
        for v, c in views
    ]
    hits = 0
    for view, rules in chosen:
        for evaluate in rules:
            hits += len(evaluate(view))
    start = time.process_time()
    for view, rules in chosen:
        for evaluate in rules:
            evaluate(view)
    out = {"seconds": time.process_time() - start, "count": len(views), "findings": hits}
elif what == "lint":
    loads = orjson.loads
    start = time.process_time()
    with open(batch, "rb") as handle:
        for line in handle:
            try:
                loads(line)
            except orjson.JSONDecodeError:
                pass
    floor = time.process_time() - start
    start = time.process_time()
    result = run(read_inputs([batch]), ruleset)
    seconds = time.process_time() - start
    out = {"seconds": seconds, "floor": floor, "count": sum(1 for _ in open(batch, "rb")),
           "findings": len(result.findings)}
else:
    start = time.process_time()
    with open(x12, "rb") as handle:
        result = run(read_x12(handle, "bench.837"), ruleset)
    out = {"seconds": time.process_time() - start, "findings": len(result.findings)}
print(json.dumps(out))
"""


def _run(tree: Path, cache: Path, batch: Path, x12: Path, what: str) -> dict[str, Any]:
    env = {**os.environ, "PYTHONPATH": str(tree), "B12LINT_CACHE_DIR": str(cache)}
    done = subprocess.run(
        [sys.executable, "-c", _WORKER, str(batch), str(x12), what],
        capture_output=True,
        text=True,
        check=False,
        env=env,
        cwd=tree,
    )
    if done.returncode != 0:
        raise SystemExit(f"{tree} {what} failed:\n{done.stderr}")
    result: dict[str, Any] = json.loads(done.stdout.strip().splitlines()[-1])
    return result


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("baseline", type=Path)
    parser.add_argument("--records", type=int, default=20000)
    parser.add_argument("--claims", type=int, default=2000)
    parser.add_argument("--repeat", type=int, default=5)
    parser.add_argument(
        "--only", choices=("rules", "lint", "x12"), action="append", help="measure only these"
    )
    args = parser.parse_args(argv)
    kinds = args.only or ["rules", "lint", "x12"]
    trees = {"baseline": args.baseline.resolve(), "this tree": ROOT}
    with tempfile.TemporaryDirectory(prefix="b12lint-throughput-") as tmp:
        work = Path(tmp)
        batch, x12 = work / "batch.jsonl", work / "bench.837"
        import generate  # siblings in bench/ (the script's folder is first on sys.path)
        import x12_bench

        with batch.open("wb") as out:
            generate.write(out, args.records, seed=6)
        x12_bench.make_file(x12, args.claims)
        caches = {name: work / f"cache-{i}" for i, name in enumerate(trees)}
        best: dict[tuple[str, str], dict[str, Any]] = {}
        for _ in range(args.repeat):
            for kind in kinds:
                for name, tree in trees.items():
                    got = _run(tree, caches[name], batch, x12, kind)
                    key = (kind, name)
                    if key not in best or got["seconds"] < best[key]["seconds"]:
                        best[key] = got
        print(f"{args.records:,} records, {args.claims:,} 837P claims, best of {args.repeat}")
        for kind in kinds:
            base, this = best[(kind, "baseline")], best[(kind, "this tree")]
            if base["findings"] != this["findings"]:
                raise SystemExit(
                    f"{kind}: the trees disagree ({base['findings']} vs {this['findings']})"
                )
            per, unit = {
                "rules": (base.get("count", 1), "µs/B12 encounter"),
                "lint": (base.get("count", 1), "µs/record"),
                "x12": (args.claims, "µs/claim"),
            }[kind]
            b, t = base["seconds"] / per * 1e6, this["seconds"] / per * 1e6
            line = f"{kind:<6} baseline {b:8.1f}  this tree {t:8.1f} {unit}: {b / t:.2f}x faster"
            if kind == "lint":
                line += (
                    f"  (orjson floor ratio: baseline {base['seconds'] / base['floor']:.0f}x, "
                    f"this tree {this['seconds'] / this['floor']:.0f}x)"
                )
            print(f"{line}  [{this['findings']:,} findings]")


if __name__ == "__main__":
    main()
