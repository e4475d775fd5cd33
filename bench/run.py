"""The benchmark: throughput, the orjson floor, --jobs speed-up, peak memory, one encounter, X12.

    python bench/run.py [--records 100000] [--repeat 3] [--jobs 2] [--json FILE]
                        [--batch FILE] [--x12-claims 2000] [--no-x12]

Generates a realistic batch (``bench/generate.py``: patients over a year, a tenth of the B12
encounters with a defect, every rule's failing examples, a few unreadable records), then
measures, on this machine and in this one run:

- ``floor``: reading the file's lines and parsing each with ``orjson`` (nothing else);
- ``lint``: reading, validating and checking it with the built-in pack in one process
  (``b12lint.run``: per-encounter rules, history rules, sorted findings); its ratio to the
  floor is the figure to compare across machines. ``lint (closures)`` is the same with the
  closure evaluator (``--engine closures``) in place of the generated code (the default):
  their ratio is what code generation gains. The three are interleaved, best of
  ``--repeat``;
- ``check --jobs 1`` and ``--jobs N``: the command line end to end (start-up, the JSON report
  written to a file), interleaved, best of ``--repeat``; the speed-up is their ratio, shown
  next to what N processes of pure arithmetic get on the machine at that time (the ceiling:
  a shared machine's CPUs are not all ours). Peak RSS is sampled from ``/proc`` for the
  process and, with ``--jobs``, all its workers;
- ``one encounter``: ``b12lint check sample_claims/single-encounter.yaml``, wall time, best of 7:
  with the caches warm (parsed pack documents, compiled generated code), with an empty cache
  folder each run (cold), and with ``--engine closures`` (warm);
- ``x12``: an 837P file read and linted in one process next to ``pyx12`` validating it (once;
  pyx12 is a test dependency, skipped when it is not installed).

Prints a table, then the same figures as JSON (also written to ``--json FILE``). The machine
this runs on is usually shared: absolute times move from run to run, ratios measured within
one run are the stable figures.
"""

from __future__ import annotations

import argparse
import contextlib
import importlib.util
import json
import os
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path
from types import ModuleType
from typing import Any

import orjson

ROOT = Path(__file__).resolve().parents[1]
SINGLE = ROOT / "sample_claims" / "single-encounter.yaml"


def _bench_module(name: str) -> ModuleType:
    """A sibling script of ``bench/``, imported by path."""
    qualified = f"bench_{name}"
    if qualified in sys.modules:
        return sys.modules[qualified]
    spec = importlib.util.spec_from_file_location(qualified, ROOT / "bench" / f"{name}.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules[qualified] = module
    spec.loader.exec_module(module)
    return module


def floor(path: Path) -> int:
    """Parse every line with orjson: the least any JSONL linter must do."""
    loads = orjson.loads
    count = 0
    with path.open("rb") as handle:
        for line in handle:
            with contextlib.suppress(orjson.JSONDecodeError):
                loads(line)
            count += 1
    return count


def lint(path: Path, ruleset: Any) -> tuple[int, int]:
    """Read, validate and check the file in this process; (encounters, findings)."""
    from b12lint.engine import run
    from b12lint.readers import read_inputs

    result = run(read_inputs([str(path)]), ruleset)
    return result.summary.encounters, len(result.findings)


def _tree_rss(root: int) -> tuple[int, int]:
    """(RSS of ``root``, RSS of ``root`` and all its descendants), in bytes."""
    parents: dict[int, int] = {}
    rss: dict[int, int] = {}
    page = os.sysconf("SC_PAGE_SIZE")
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            fields = (entry / "stat").read_bytes().rsplit(b")", 1)[1].split()
        except OSError:
            continue
        pid = int(entry.name)
        parents[pid] = int(fields[1])
        rss[pid] = int(fields[21]) * page
    tree = {root}
    grew = True
    while grew:
        grew = False
        for pid, parent in parents.items():
            if parent in tree and pid not in tree:
                tree.add(pid)
                grew = True
    return rss.get(root, 0), sum(rss.get(pid, 0) for pid in tree)


def run_cli(
    args: list[str], cwd: Path, extra_env: dict[str, str] | None = None
) -> tuple[float, int, int, int]:
    """Run ``b12lint`` (wall seconds, exit code, peak RSS of the process, peak of its tree).

    The CPU seconds (user + system) of the process are kept in :data:`LAST_CPU`."""
    command = [sys.executable, "-m", "b12lint", *args]
    env = {k: v for k, v in os.environ.items() if not k.startswith("B12LINT_")}
    env["CI"] = "1"  # no progress line
    env.update(extra_env or {})
    peaks = [0, 0]
    start = time.perf_counter()
    proc = subprocess.Popen(command, cwd=cwd, env=env, stdout=subprocess.DEVNULL)
    done = threading.Event()

    def sample() -> None:
        while not done.is_set():
            if sys.platform.startswith("linux"):
                own, tree = _tree_rss(proc.pid)
                peaks[0], peaks[1] = max(peaks[0], own), max(peaks[1], tree)
            done.wait(0.02)

    sampler = threading.Thread(target=sample, daemon=True)
    sampler.start()
    _, status, usage = os.wait4(proc.pid, 0)
    wall = time.perf_counter() - start
    proc.returncode = code = os.waitstatus_to_exitcode(status)
    LAST_CPU[0] = usage.ru_utime + usage.ru_stime
    done.set()
    sampler.join()
    return wall, code, peaks[0], peaks[1]


LAST_CPU = [0.0]


def burn(n: int = 4_000_000) -> float:
    """Seconds of pure-Python arithmetic: what one CPU gives this process."""
    start = time.perf_counter()
    total = 0
    for i in range(n):
        total += i * i
    return time.perf_counter() - start


def ceiling(jobs: int, repeat: int) -> float:
    """The speed-up ``jobs`` processes get on this machine now, for work that needs nothing
    but CPU (the most --jobs can give; below ``jobs`` when other jobs share the CPUs)."""
    import multiprocessing

    ctx = multiprocessing.get_context("forkserver")
    one = min(burn() for _ in range(repeat))
    with ctx.Pool(jobs) as pool:
        pool.map(burn, [1000] * jobs)  # start the workers first
        start = time.perf_counter()
        pool.map(burn, [4_000_000] * jobs)
        many = time.perf_counter() - start
    return jobs * one / many


def best(times: list[float]) -> float:
    """The fastest run (the least disturbed by other jobs on a shared machine)."""
    return min(times)


def measure(args: argparse.Namespace, work: Path) -> dict[str, Any]:
    """Every figure of the benchmark."""
    from b12lint.engine import load_ruleset

    generator = _bench_module("generate")
    batch = Path(args.batch) if args.batch else work / "batch.jsonl"
    if not args.batch:
        with batch.open("wb") as out:
            generator.write(out, args.records, seed=args.seed)
    size = batch.stat().st_size
    records = floor(batch)
    out: dict[str, Any] = {
        "records": records,
        "bytes": size,
        "cpus": os.cpu_count(),
        "repeat": args.repeat,
        "python": sys.version.split()[0],
    }

    ruleset = load_ruleset()
    closures = load_ruleset(engine="closures")
    floors, lints, oracle = [], [], []
    encounters = findings = 0
    for _ in range(args.repeat):
        start = time.perf_counter()
        floor(batch)
        floors.append(time.perf_counter() - start)
        start = time.perf_counter()
        encounters, findings = lint(batch, ruleset)
        lints.append(time.perf_counter() - start)
        start = time.perf_counter()
        _, closure_findings = lint(batch, closures)
        oracle.append(time.perf_counter() - start)
        if closure_findings != findings:
            raise SystemExit("the closures and the generated code disagree: a bug")
    out["floor_us_per_record"] = best(floors) / records * 1e6
    out["lint_us_per_record"] = best(lints) / records * 1e6
    out["encounters_per_s"] = records / best(lints)
    out["ratio_to_floor"] = best(lints) / best(floors)
    out["lint_closures_us_per_record"] = best(oracle) / records * 1e6
    out["ratio_to_floor_closures"] = best(oracle) / best(floors)
    out["generated_speedup"] = best(oracle) / best(lints)
    out["findings"] = findings
    out["encounters"] = encounters

    report = work / "report.json"
    check = ["check", str(batch), "-f", "json", "-o", str(report)]
    runs: dict[int, list[tuple[float, int, int, int]]] = {1: [], args.jobs: []}
    for _ in range(args.repeat):
        for jobs in runs:
            result = run_cli([*check, "--jobs", str(jobs)], work)
            if result[1] not in (0, 1):
                raise SystemExit(f"b12lint check --jobs {jobs} failed with exit code {result[1]}")
            runs[jobs].append(result)
    one, many = runs[1], runs[args.jobs]
    out["jobs"] = args.jobs
    out["check_jobs1_s"] = best([r[0] for r in one])
    out[f"check_jobs{args.jobs}_s"] = best([r[0] for r in many])
    out["speedup"] = out["check_jobs1_s"] / out[f"check_jobs{args.jobs}_s"]
    out["cpu_ceiling"] = ceiling(args.jobs, args.repeat)
    out["peak_rss_jobs1_mb"] = max(r[2] for r in one) / 1e6
    out[f"peak_rss_jobs{args.jobs}_mb"] = max(r[3] for r in many) / 1e6

    out.update(one_encounter(work))

    if not args.no_x12:
        out.update(x12(args, work, ruleset))
    return out


def one_encounter(work: Path, rounds: int = 7) -> dict[str, float]:
    """``b12lint check`` on one encounter: warm caches, an empty cache folder (cold), and
    ``--engine closures`` (warm), interleaved; best wall and CPU seconds of ``rounds``."""
    single = ["check", str(SINGLE)]
    cases: dict[str, tuple[list[str], bool]] = {
        "one_encounter": (single, False),
        "one_encounter_cold": (single, True),
        "one_encounter_closures": ([*single, "--engine", "closures"], False),
    }
    walls: dict[str, list[float]] = {name: [] for name in cases}
    cpus: dict[str, list[float]] = {name: [] for name in cases}
    run_cli(single, work)  # fill the user's caches
    for i in range(rounds):
        for name, (args, cold) in cases.items():
            env = {"B12LINT_CACHE_DIR": str(work / f"cold-cache-{i}")} if cold else None
            walls[name].append(run_cli(args, work, env)[0])
            cpus[name].append(LAST_CPU[0])
    out: dict[str, float] = {}
    for name in cases:
        out[f"{name}_s"] = best(walls[name])
        out[f"{name}_cpu_s"] = best(cpus[name])
    return out


def x12(args: argparse.Namespace, work: Path, ruleset: Any) -> dict[str, Any]:
    """837P read + lint in this process, and pyx12 validating the same file."""
    from b12lint.engine import run
    from b12lint.readers.x12 import read_x12

    x12_bench = _bench_module("x12_bench")
    path = work / "bench.837"
    x12_bench.make_file(path, args.x12_claims)

    def read_lint() -> None:
        with path.open("rb") as handle:
            run(read_x12(handle, path.name), ruleset)

    times = []
    for _ in range(args.repeat):
        start = time.perf_counter()
        read_lint()
        times.append(time.perf_counter() - start)
    out: dict[str, Any] = {
        "x12_claims": args.x12_claims,
        "x12_claims_per_s": args.x12_claims / best(times),
    }
    if importlib.util.find_spec("pyx12") is None:
        out["pyx12"] = "not installed"
        return out
    seconds, valid = x12_bench.pyx12_validate(path)
    out["pyx12_claims_per_s"] = args.x12_claims / seconds
    out["pyx12_valid"] = valid
    out["x12_ratio"] = out["x12_claims_per_s"] / out["pyx12_claims_per_s"]
    return out


def table(r: dict[str, Any]) -> str:
    """The figures as a table, with the targets of issue 6."""
    n = r["jobs"]
    rows: list[tuple[str, str, str]] = [
        ("orjson parse (floor)", f"{r['floor_us_per_record']:.2f} µs/record", ""),
        (
            "read + lint, built-in pack, 1 process",
            f"{r['lint_us_per_record']:.1f} µs/record = {r['encounters_per_s']:,.0f}/s",
            "",
        ),
        ("  ratio to the floor", f"{r['ratio_to_floor']:.2f}x", "≤ 25x (≤ 10x)"),
        (
            "  same, --engine closures",
            f"{r['lint_closures_us_per_record']:.1f} µs/record = "
            f"{r['ratio_to_floor_closures']:.2f}x",
            "",
        ),
        ("  generated code vs closures", f"{r['generated_speedup']:.2f}x faster", ""),
        ("check --jobs 1 (CLI, JSON report)", f"{r['check_jobs1_s']:.2f} s", ""),
        (f"check --jobs {n}", f"{r[f'check_jobs{n}_s']:.2f} s", ""),
        (f"  speed-up, {n} jobs", f"{r['speedup']:.2f}x", "≥ 1.7x (2 jobs, 2 cores)"),
        (f"  CPU-only work, {n} processes", f"{r['cpu_ceiling']:.2f}x", "(this machine, now)"),
        ("peak RSS, --jobs 1", f"{r['peak_rss_jobs1_mb']:.0f} MB", "< 150 MB (1M records)"),
        (f"peak RSS, --jobs {n}, all processes", f"{r[f'peak_rss_jobs{n}_mb']:.0f} MB", ""),
        (
            "one encounter (CLI wall, CPU time)",
            f"{r['one_encounter_s']:.3f} s, {r['one_encounter_cpu_s']:.3f} s",
            "≤ 0.15 s",
        ),
        (
            "  cold caches",
            f"{r['one_encounter_cold_s']:.3f} s, {r['one_encounter_cold_cpu_s']:.3f} s",
            "",
        ),
        (
            "  --engine closures",
            f"{r['one_encounter_closures_s']:.3f} s, {r['one_encounter_closures_cpu_s']:.3f} s",
            "",
        ),
    ]
    if "x12_claims_per_s" in r:
        rows.append(("X12 837P read + lint", f"{r['x12_claims_per_s']:,.0f} claims/s", ""))
    if "x12_ratio" in r:
        rows.append(("pyx12 validation", f"{r['pyx12_claims_per_s']:,.0f} claims/s", ""))
        rows.append(("  X12 ratio to pyx12", f"{r['x12_ratio']:.0f}x", "≥ 50x"))
    head = (
        f"b12lint benchmark: {r['records']:,} records ({r['bytes'] / 1e6:.1f} MB JSONL, "
        f"{r['findings']:,} findings), {r['cpus']} CPUs, best of {r['repeat']}"
    )
    width = max(len(a) for a, _, _ in rows) + 2
    value = max(len(b) for _, b, _ in rows) + 2
    lines = [head, ""]
    lines += [f"{a:<{width}}{b:<{value}}{c}".rstrip() for a, b, c in rows]
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--records", type=int, default=100_000)
    parser.add_argument("--seed", type=int, default=6)
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--jobs", type=int, default=2, help="compared with --jobs 1")
    parser.add_argument("--batch", help="use this .jsonl file instead of generating one")
    parser.add_argument("--x12-claims", type=int, default=2000)
    parser.add_argument("--no-x12", action="store_true")
    parser.add_argument("--json", help="also write the figures to this file")
    parser.add_argument(
        "--one-encounter", action="store_true", help="measure only the one-encounter start-up"
    )
    args = parser.parse_args(argv)
    if args.one_encounter:
        with tempfile.TemporaryDirectory(prefix="b12lint-bench-") as tmp:
            print(json.dumps(one_encounter(Path(tmp), max(args.repeat, 5)), indent=2))
        return
    with tempfile.TemporaryDirectory(prefix="b12lint-bench-") as tmp:
        results = measure(args, Path(tmp))
    print(table(results))
    print()
    text = json.dumps(results, indent=2)
    print(text)
    if args.json:
        Path(args.json).write_text(text + "\n", encoding="utf-8")


if __name__ == "__main__":
    main()
