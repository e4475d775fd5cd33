"""One-encounter start-up of the command line, this tree against a baseline tree, in one run.

    python bench/startup.py BASELINE_TREE [--repeat 9]

``BASELINE_TREE`` is a checkout (or ``git archive``) of the version to compare with, e.g.
``git archive main | tar -x -C /tmp/base``. Runs ``python -m b12lint check FILE --format json``
on one encounter with each tree first on ``PYTHONPATH`` (same interpreter, same installed
dependencies), interleaved, best of ``--repeat`` wall times, for the sample single encounter
(dated 2026-06-01) and the same encounter dated 2019-06-01 (an older ICD-10-CM release and
dates the NCCI tables do not cover). Prints the best wall and CPU (user + system) times of
each and their ratio this tree / baseline: on a shared machine CPU time is the steadier one.
"""

from __future__ import annotations

import argparse
import os
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
SINGLE = ROOT / "sample_claims" / "single-encounter.yaml"


def timed(tree: Path, record: Path) -> tuple[float, float]:
    """(wall, CPU) seconds of one run."""
    env = {k: v for k, v in os.environ.items() if not k.startswith("B12LINT_")}
    env["PYTHONPATH"] = str(tree)
    cmd = [sys.executable, "-m", "b12lint", "check", str(record), "--format", "json"]
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    start = time.perf_counter()
    subprocess.run(cmd, env=env, cwd=tree, stdout=subprocess.DEVNULL, check=False)
    wall = time.perf_counter() - start
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    cpu = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
    return wall, cpu


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("baseline", type=Path)
    parser.add_argument("--repeat", type=int, default=9)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        older = Path(tmp) / "single-2019.yaml"
        older.write_text(
            SINGLE.read_text(encoding="utf-8")
            .replace("'2026-06-01'", "'2019-06-01'")
            .replace("'2026-01-12'", "'2019-01-12'"),
            encoding="utf-8",
        )
        for label, record in (("2026-06-01", SINGLE), ("2019-06-01", older)):
            best = {"baseline": [float("inf")] * 2, "this tree": [float("inf")] * 2}
            for _ in range(args.repeat):
                for name, tree in (("baseline", args.baseline), ("this tree", ROOT)):
                    got = timed(tree, record)
                    best[name] = [min(b, g) for b, g in zip(best[name], got, strict=True)]
            for i, kind in enumerate(("wall", "CPU")):
                base, this = best["baseline"][i], best["this tree"][i]
                print(
                    f"one encounter dated {label}, {kind}: baseline {base * 1000:.0f} ms, "
                    f"this tree {this * 1000:.0f} ms, ratio {this / base:.2f}"
                )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
