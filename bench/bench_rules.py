"""Measure the rule engine: per-record cost of the b12-core pack, of payer routing, and of
loading the packs, each against a baseline measured in the same run.

Usage: python bench/bench_rules.py [--records N] [--repeat R]   (e.g. --records 5000 --repeat 5)

Records are the sample_claims encounters that parse, copied with fresh encounter and patient
ids (so every record is checked and patient histories stay short) and, for the routed run,
every other one given the commercial payer id. Reported: microseconds per record (best of R)
(CPU time of this process, so other load on the machine matters less) and ratios:

- read: JSONL bytes -> orjson -> validated Record (the reader's work, no rule run): baseline;
- core: read + lint with b12-core (65 rules) as one ruleset;
- routed: read + lint with a Router (b12-core for Medicare, b12-commercial-example for payer
  60054), half the records routed to each;
- ungated: read + lint with b12-core compiled without its static guards (rules whose
  condition needs a fact the encounter lacks, such as a code it does not bill, are skipped
  unevaluated: b12lint/engine/guard.py);
- pack load: b12-core read + validated + compiled, with libyaml's safe loader vs the
  pure-Python safe loader (b12lint.safeyaml), which the engine used before, and from the
  cache of parsed, valid documents (b12lint/engine/packcache.py; the two others without it).
"""

from __future__ import annotations

import argparse
import io
import json
import os
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

from b12lint import safeyaml
from b12lint.engine import build_router, combine, load_pack, run
from b12lint.engine import pack as pack_module
from b12lint.engine import rule as rule_module
from b12lint.readers import read_file

ROOT = Path(__file__).resolve().parents[1]
ACME = {"id": "60054", "name": "ACME Health", "type": "commercial"}


def sample_records() -> list[dict[str, Any]]:
    out = []
    for path in sorted((ROOT / "sample_claims").glob("*.jsonl")):
        for line in path.read_text(encoding="utf-8").splitlines():
            try:
                out.append(json.loads(line))
            except json.JSONDecodeError:
                continue
    return out


def fresh_copies(base: list[dict[str, Any]], n: int, prefix: str) -> list[dict[str, Any]]:
    """``n`` records taken in turn from ``base`` with fresh encounter ids and a patient per
    four records (every record is checked; patient histories stay short)."""
    out = []
    for i in range(n):
        record = dict(base[i % len(base)])
        record["encounter_id"] = f"{prefix}-{i}"
        record["patient_id"] = f"{prefix}P-{i // 4}"
        out.append(record)
    return out


def batch(n: int, *, routed: bool) -> bytes:
    lines = []
    for i, record in enumerate(fresh_copies(sample_records(), n, "B")):
        if routed and i % 2:
            record["payer"] = ACME
        lines.append(json.dumps(record))
    return ("\n".join(lines) + "\n").encode("utf-8")


def best_of(cases: dict[str, Callable[[], object]], repeat: int) -> dict[str, float]:
    """The best CPU time of each case; cases are interleaved round by round, so a burst of
    load on a shared machine hits every case alike rather than one of them."""
    out = dict.fromkeys(cases, float("inf"))
    for _ in range(repeat):
        for name, fn in cases.items():
            start = time.process_time()
            fn()
            out[name] = min(out[name], time.process_time() - start)
    return out


def items(data: bytes) -> list[Any]:
    return list(read_file("bench.jsonl", None, forced="jsonl", stdin=io.BytesIO(data)))


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--records", type=int, default=20_000)
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()
    n = args.records

    core_pack = load_pack(ROOT / "rules" / "b12-core")
    commercial = load_pack(ROOT / "rules" / "b12-commercial-example")
    core = combine([core_pack])
    router = build_router([core_pack], {"60054": commercial})
    plain, mixed = batch(n, routed=False), batch(n, routed=True)

    gate = rule_module.rule_guard
    rule_module.rule_guard = lambda doc, scope: None
    try:
        ungated = combine([load_pack(ROOT / "rules" / "b12-core")])
    finally:
        rule_module.rule_guard = gate

    times = best_of(
        {
            "read": lambda: items(plain),
            "core": lambda: run(items(plain), core),
            "ungated": lambda: run(items(plain), ungated),
            "routed": lambda: run(items(mixed), router),
            "core_mixed": lambda: run(items(mixed), core),
        },
        args.repeat,
    )
    read, core_t, ungated_t = times["read"], times["core"], times["ungated"]
    routed_t, single_mixed = times["routed"], times["core_mixed"]
    findings = len(run(items(mixed), router).findings)

    def load_slow() -> object:
        original = pack_module.parse_yaml
        pack_module.parse_yaml = safeyaml.load  # the loader the engine used before
        try:
            return load_pack(ROOT / "rules" / "b12-core")
        finally:
            pack_module.parse_yaml = original

    def uncached(load: Callable[[], object]) -> Callable[[], object]:
        def run_it() -> object:
            os.environ["B12LINT_NO_CACHE"] = "1"
            try:
                return load()
            finally:
                del os.environ["B12LINT_NO_CACHE"]

        return run_it

    load_pack(ROOT / "rules" / "b12-core")  # fill the document cache
    loads = best_of(
        {
            "fast": uncached(lambda: load_pack(ROOT / "rules" / "b12-core")),
            "slow": uncached(load_slow),
            "cached": lambda: load_pack(ROOT / "rules" / "b12-core"),
        },
        args.repeat,
    )
    fast, slow, cached = loads["fast"], loads["slow"], loads["cached"]

    us = 1e6 / n
    print(f"{n:,} records, {len(core.rules)} rules, best of {args.repeat}")
    print(f"read only (baseline)    {read * us:8.1f} us/record")
    print(f"read + b12-core         {core_t * us:8.1f} us/record  {core_t / read:5.2f}x read")
    print(
        f"read + b12-core, no guards {ungated_t * us:8.1f} us/record  "
        f"{ungated_t / core_t:5.2f}x guarded"
    )
    print(
        f"read + routed (2 packs) {routed_t * us:8.1f} us/record  {routed_t / read:5.2f}x read, "
        f"{routed_t / single_mixed:5.2f}x one ruleset on the same records ({findings:,} findings)"
    )
    print(
        f"load b12-core: libyaml {fast * 1000:6.0f} ms, pure Python {slow * 1000:6.0f} ms "
        f"({slow / fast:4.2f}x), cached documents {cached * 1000:6.0f} ms"
    )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
