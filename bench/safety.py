"""What the input hardening and the safe rule engine cost, against baselines of the same run.

Builds a batch from sample_claims/ (the sample records under new ids) and times, best of
--repeat each (the machine is shared: minimums are the stable figure):

* reading .jsonl with the duplicate-key check against the same read without it;
* checking the batch (read + lint) with rule regexes on RE2 against Python's ``re``;
* reading the batch as one YAML list item by item (b12lint) against PyYAML's pure-Python
  ``safe_load`` of the whole document, time and peak Python memory (tracemalloc);
* loading the built-in rule files with the checks of ``safeyaml.load`` (on libyaml's events)
  against libyaml's safe loader alone, and against the checked pure-Python loader.

    python bench/safety.py [--records 20000] [--repeat 5]
"""

from __future__ import annotations

import argparse
import io
import json
import re
import sys
import time
import tracemalloc
from collections.abc import Callable
from pathlib import Path
from typing import Any

import yaml

import b12lint.engine.compiler as compiler
from b12lint import safeyaml
from b12lint.engine import load_ruleset, run
from b12lint.model import InputError, Source
from b12lint.readers import read_inputs
from b12lint.readers.base import DEFAULT_LIMITS, to_item
from b12lint.readers.native import parse_jsonl, read_yaml

ROOT = Path(__file__).resolve().parents[1]
_SOURCE = Source("b.yaml", 1)


def sample_records(records: int) -> list[dict[str, Any]]:
    samples = []
    for item in read_inputs([str(ROOT / "sample_claims")]):
        encounter = getattr(item, "encounter", None)
        if encounter is not None:
            samples.append(json.loads(json.dumps(encounter, default=str)))
    out = []
    for i in range(records):
        record = dict(samples[i % len(samples)])
        record["encounter_id"] = f"E{i:07d}"
        record["patient_id"] = f"P{i // 4:06d}"
        out.append(record)
    return out


def interleaved(cases: dict[str, Callable[[], object]], repeat: int) -> dict[str, float]:
    """The fastest of ``repeat`` runs of each case, the cases taking turns round by round (a
    burst of load on the shared machine then slows every case, not one)."""
    times: dict[str, list[float]] = {name: [] for name in cases}
    for _ in range(repeat):
        for name, fn in cases.items():
            started = time.perf_counter()
            fn()
            times[name].append(time.perf_counter() - started)
    return {name: min(values) for name, values in times.items()}


def read_jsonl(data: bytes, duplicate_check: bool) -> int:
    count = 0
    for parsed in parse_jsonl(io.BytesIO(data), "b.jsonl"):
        if isinstance(parsed, InputError):
            continue
        to_item(parsed.obj, parsed.source, raw=parsed.raw, json_text=duplicate_check)
        count += 1
    return count


def python_re(pattern: str) -> Callable[[str], bool]:
    search = re.compile(pattern).search
    return lambda text: search(text) is not None


def ruleset_with(engine: Callable[[str], Callable[[str], bool]]) -> Any:
    """The built-in rules compiled with ``engine`` for their ``regex`` operators."""
    saved = compiler.compile_regex
    compiler.compile_regex = engine  # type: ignore[assignment]
    try:
        return load_ruleset()
    finally:
        compiler.compile_regex = saved


def peak_memory(fn: Callable[[], object]) -> int:
    """Peak Python memory (tracemalloc) while ``fn`` runs, in bytes."""
    tracemalloc.start()
    try:
        fn()
        return tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--records", type=int, default=20_000)
    parser.add_argument("--repeat", type=int, default=5)
    args = parser.parse_args()
    records = sample_records(args.records)
    data = b"".join(json.dumps(r).encode() + b"\n" for r in records)
    n = len(records)
    print(f"{n:,} records, {len(data) / n:.0f} bytes each, best of {args.repeat}\n")

    reads = interleaved(
        {"base": lambda: read_jsonl(data, False), "checked": lambda: read_jsonl(data, True)},
        args.repeat,
    )
    base, checked = reads["base"], reads["checked"]
    print("read .jsonl (parse + validate)")
    print(f"  without the duplicate-key check  {base / n * 1e6:7.2f} us/record   1.00x")
    print(
        f"  with it                          {checked / n * 1e6:7.2f} us/record   "
        f"{checked / base:.2f}x"
    )

    with_re, with_re2 = ruleset_with(python_re), ruleset_with(compiler.compile_regex)
    lints = interleaved(
        {"re": lambda: run(records, with_re), "re2": lambda: run(records, with_re2)},
        args.repeat,
    )
    lint_re, lint_re2 = lints["re"], lints["re2"]
    print("\ncheck the batch (the built-in rules)")
    print(f"  regex on Python re (backtracking)  {lint_re / n * 1e6:7.1f} us/record   1.00x")
    print(
        f"  regex on RE2 (linear time)         {lint_re2 / n * 1e6:7.1f} us/record   "
        f"{lint_re2 / lint_re:.2f}x"
    )

    small = records[: min(n, 2_000)]
    text = yaml.safe_dump(small, sort_keys=False).encode()
    m = len(small)

    def whole() -> None:
        for value in yaml.safe_load(text):
            to_item(value, _SOURCE, limits=DEFAULT_LIMITS)

    def items() -> None:
        list(read_yaml(text, "b.yaml"))

    yaml_times = interleaved({"whole": whole, "items": items}, args.repeat)
    whole_time, items_time = yaml_times["whole"], yaml_times["items"]
    whole_peak, items_peak = peak_memory(whole), peak_memory(items)
    print(f"\nread {m:,} records as one YAML list ({len(text) / 1e6:.1f} MB)")
    print(
        f"  PyYAML safe_load, whole document  {whole_time / m * 1e6:7.0f} us/record   1.00x   "
        f"peak {whole_peak / 1e6:6.1f} MB"
    )
    print(
        f"  b12lint, item by item, checked    {items_time / m * 1e6:7.0f} us/record   "
        f"{items_time / whole_time:.2f}x   peak {items_peak / 1e6:6.1f} MB "
        f"({items_peak / whole_peak:.2f}x)"
    )

    texts = [p.read_text(encoding="utf-8") for p in sorted((ROOT / "rules").rglob("*.yaml"))]
    if safeyaml.C_LOADER is None:
        print("\n(PyYAML without libyaml here: no rule-file comparison)")
        return
    c_loader = safeyaml.C_LOADER

    def pure_python() -> None:
        safeyaml.C_LOADER = None
        try:
            for text in texts:
                safeyaml.load(text)
        finally:
            safeyaml.C_LOADER = c_loader

    loads = interleaved(
        {
            "unchecked": lambda: [yaml.load(t, Loader=c_loader) for t in texts],
            "checked": lambda: [safeyaml.load(t) for t in texts],
            "python": pure_python,
        },
        args.repeat,
    )
    unchecked, checked_c, checked_py = loads["unchecked"], loads["checked"], loads["python"]
    print(f"\nload the {len(texts)} built-in rule and data files")
    print(f"  libyaml safe loader, no checks     {unchecked * 1e3:6.1f} ms   1.00x")
    print(
        f"  libyaml + checks on its events     {checked_c * 1e3:6.1f} ms   "
        f"{checked_c / unchecked:.2f}x"
    )
    print(
        f"  pure-Python loader with checks     {checked_py * 1e3:6.1f} ms   "
        f"{checked_py / unchecked:.2f}x"
    )


if __name__ == "__main__":
    sys.exit(main())
