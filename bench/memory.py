"""Peak memory of ``b12lint check`` on big batches, before and after, in one run.

    python bench/memory.py --batch big.jsonl [--batch bigger.jsonl] [--jobs 1 --jobs 2]
                           [--repeat 1] [--baseline-src DIR] [--no-spill] [--json FILE]

For each batch and each ``--jobs``, runs ``b12lint check BATCH -f json -o REPORT`` and samples
the resident memory (``/proc``) of the process and of its workers (``bench/run.py``'s
sampler), with the wall time. ``--baseline-src DIR`` is a checkout of the code to compare
with (e.g. ``git archive main | tar -x -C DIR``): its runs are interleaved with this tree's,
the same batch, the same moment, so the ratios are the figures to compare. The two reports
of a batch must be byte-identical (else the run stops: a finding changed). ``--no-spill``
adds runs of this tree with a spill threshold nothing reaches (findings and events stay in
memory; ids are still digests): the time the spill itself costs. Times are wall seconds and
the process's own CPU seconds (steadier on a shared machine; with ``--jobs`` the workers' CPU
is not in it). Generate batches with ``bench/generate.py --records 1000000 --out FILE``
(about 735 MB a million).
"""

from __future__ import annotations

import argparse
import filecmp
import importlib.util
import json
import sys
import tempfile
from pathlib import Path
from types import ModuleType
from typing import Any

ROOT = Path(__file__).resolve().parents[1]


def _run_module() -> ModuleType:
    spec = importlib.util.spec_from_file_location("_bench_run", ROOT / "bench" / "run.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


NO_SPILL = str(10**12)


def measure(
    source: Path, batch: Path, jobs: int, report: Path, work: Path, bench: ModuleType, name: str
) -> dict[str, Any]:
    """One ``check`` run of the code in ``source`` (wall seconds, peak RSS in MB)."""
    args = ["check", str(batch), "-f", "json", "-o", str(report), "--jobs", str(jobs)]
    env = {"PYTHONPATH": str(source), "B12LINT_CACHE_DIR": str(work / f"cache-{source.name}")}
    if name == "no-spill":
        env["B12LINT_SPILL_THRESHOLD"] = NO_SPILL
    wall, code, own, tree = bench.run_cli(args, work, env)
    if code not in (0, 1):
        raise SystemExit(f"{source}: check --jobs {jobs} {batch} exited {code}")
    cpu = bench.LAST_CPU[0]  # the process's own CPU seconds (not its workers'): steadier
    return {"wall_s": wall, "cpu_s": cpu, "rss_mb": own / 1e6, "rss_tree_mb": tree / 1e6}


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--batch", action="append", required=True)
    parser.add_argument("--jobs", type=int, action="append")
    parser.add_argument("--repeat", type=int, default=1)
    parser.add_argument("--baseline-src", help="a checkout of the code to compare with")
    parser.add_argument("--no-spill", action="store_true", help="also run without spilling")
    parser.add_argument("--json", help="also write the figures to this file")
    args = parser.parse_args(argv)
    bench = _run_module()
    sources = {"this": ROOT}
    if args.no_spill:
        sources["no-spill"] = ROOT
    if args.baseline_src:
        sources["baseline"] = Path(args.baseline_src).resolve()
    rows: list[dict[str, Any]] = []
    with tempfile.TemporaryDirectory(prefix="b12lint-mem-") as tmp:
        work = Path(tmp)
        for batch in map(Path, args.batch):
            for jobs in args.jobs or [1, 2]:
                best: dict[str, dict[str, Any]] = {}
                for _ in range(args.repeat):
                    for name, source in sources.items():
                        out = work / f"{name}.json"
                        got = measure(source, batch, jobs, out, work, bench, name)
                        old = best.get(name)
                        best[name] = (
                            got
                            if old is None
                            else {
                                "wall_s": min(old["wall_s"], got["wall_s"]),
                                "cpu_s": min(old["cpu_s"], got["cpu_s"]),
                                "rss_mb": max(old["rss_mb"], got["rss_mb"]),
                                "rss_tree_mb": max(old["rss_tree_mb"], got["rss_tree_mb"]),
                            }
                        )
                for name in sources:
                    if not filecmp.cmp(work / "this.json", work / f"{name}.json", shallow=False):
                        raise SystemExit(f"{batch} --jobs {jobs}: the {name} report differs")
                for name, got in best.items():
                    row = {"batch": batch.name, "jobs": jobs, "code": name, **got}
                    rows.append(row)
                    print(
                        f"{batch.name:>16} --jobs {jobs} {name:>8}: {got['wall_s']:7.1f} s "
                        f"(CPU {got['cpu_s']:6.1f} s)  "
                        f"peak RSS {got['rss_mb']:7.1f} MB (with workers {got['rss_tree_mb']:.1f})",
                        flush=True,
                    )
                for other in ("baseline", "no-spill"):
                    if other not in best:
                        continue
                    this, base = best["this"], best[other]
                    time_ratio = this["wall_s"] / base["wall_s"]
                    cpu_ratio = this["cpu_s"] / base["cpu_s"]
                    rss_ratio = this["rss_tree_mb"] / base["rss_tree_mb"]
                    print(
                        f"{'':>16} ratio this/{other}: time {time_ratio:.3f}, "
                        f"CPU {cpu_ratio:.3f}, RSS {rss_ratio:.3f}",
                        flush=True,
                    )
    text = json.dumps(rows, indent=2)
    if args.json:
        Path(args.json).write_text(text + "\n")
    print(text)


if __name__ == "__main__":
    sys.exit(main())
