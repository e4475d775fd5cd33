"""Cost of judging ICD-10-CM validity by a pack's imported release instead of the shipped ones.

In a temporary folder: the whole shipped FY2026 code set (98,186 codes) written as an order file
and imported (``b12lint data import icd10cm``) into a team pack that extends b12-core, from
2025-07-01 (the generated batch's dates: bench/generate.py). Then, best of --repeat, interleaved:

- the CPU time of checking the batch with b12-core (the shipped releases judge every date: the
  baseline) and with the team pack (its imported release judges the batch's dates), in one
  process, after a warm-up run of each: the ratio is the cost of the imported lookups;
- the first lookup in a fresh process-wide cache: the shipped table (domain) against the
  imported file (engine/codesets), and the memory the loaded release keeps (tracemalloc).

    python bench/imported_codeset.py [--records 20000] [--repeat 3]
"""

from __future__ import annotations

import argparse
import datetime as dt
import importlib.util
import io
import sys
import tempfile
import time
import tracemalloc
from collections.abc import Callable
from pathlib import Path
from types import ModuleType
from typing import Any

from b12lint.domain import icd10
from b12lint.domain.icd10 import _iter_table
from b12lint.engine import codesets, combine, load_pack, run
from b12lint.policy import run_import
from b12lint.policy.icd10cm_order import order_line
from b12lint.readers import read_file

ROOT = Path(__file__).resolve().parents[1]


def _generator() -> ModuleType:
    spec = importlib.util.spec_from_file_location(
        "b12lint_bench_generate", ROOT / "bench" / "generate.py"
    )
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module
    spec.loader.exec_module(module)
    return module


def team_pack(folder: Path) -> Path:
    """A pack extending b12-core with the whole FY2026 code set imported from 2025-07-01."""
    shipped = dict(_iter_table())
    order = folder / "icd10cm_order_2026.txt"
    lines = [
        order_line(i, c, shipped[c], f"T {c}", f"Title {c}")
        for i, c in enumerate(sorted(shipped), 1)
    ]
    order.write_text("\n".join(lines) + "\n", encoding="ascii")
    pack = folder / "acme"
    pack.mkdir()
    (pack / "pack.yaml").write_text("name: acme\nextends: b12-core\n", encoding="utf-8")
    run_import("icd10cm", [order], pack, "2025-07-01")
    return pack


def best(repeat: int, actions: dict[str, Callable[[], Any]]) -> dict[str, float]:
    """Each action timed ``repeat`` times, interleaved; the minimum CPU time of each (this
    process's: the shared machine's other load moves wall time by ±40 % between rounds)."""
    times: dict[str, list[float]] = {name: [] for name in actions}
    for _ in range(repeat):
        for name, action in actions.items():
            start = time.process_time()
            action()
            times[name].append(time.process_time() - start)
    return {name: min(values) for name, values in times.items()}


def first_lookups(pack: Path, repeat: int) -> dict[str, float]:
    """The first status lookup with the caches emptied: shipped table vs imported file."""
    loaded = load_pack(pack)
    bound = codesets.imported_icd10(loaded.data)
    assert bound is not None
    release = bound[1].at(dt.date(2025, 7, 1))

    def shipped() -> None:
        icd10._INDEX = None
        icd10._EXPANDED.clear()
        icd10.base_status("D510")

    def imported() -> None:
        codesets._LOADED.clear()
        release._table = None
        release.status("D51.0")

    return best(repeat, {"shipped": shipped, "imported": imported})


def release_memory(pack: Path) -> int:
    """Bytes the loaded imported release keeps (its category lines), no category expanded."""
    loaded = load_pack(pack)
    bound = codesets.imported_icd10(loaded.data)
    assert bound is not None
    release = bound[1].at(dt.date(2025, 7, 1))
    codesets._LOADED.clear()
    release._table = None
    tracemalloc.start()
    release.table()
    size, _ = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    return size


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--records", type=int, default=20000)
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args(argv)
    with tempfile.TemporaryDirectory(prefix="b12lint-bench-") as tmp:
        pack = team_pack(Path(tmp))
        data = b"".join(_generator().generate(args.records, seed=6))
        items = list(read_file("batch.jsonl", None, forced="jsonl", stdin=io.BytesIO(data)))
        core = combine([load_pack(ROOT / "rules" / "b12-core")])
        team = combine([load_pack(pack)])
        counts = {
            name: len(run(items, rs).findings) for name, rs in (("core", core), ("team", team))
        }
        times = best(
            args.repeat,
            {"shipped": lambda: run(items, core), "imported": lambda: run(items, team)},
        )
        ratio = times["imported"] / times["shipped"]
        print(f"{args.records} records, best CPU time of {args.repeat}:")
        print(f"  b12-core (shipped releases): {times['shipped']:.2f} s, {counts['core']} findings")
        print(
            f"  team pack (imported release): {times['imported']:.2f} s, {counts['team']} findings"
        )
        print(f"  ratio imported / shipped: {ratio:.3f}")
        first = first_lookups(pack, args.repeat)
        print(
            f"  first lookup, cold: shipped table {first['shipped'] * 1000:.1f} ms, "
            f"imported release {first['imported'] * 1000:.1f} ms"
        )
        print(f"  imported release kept in memory: {release_memory(pack) / 1e6:.2f} MB")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
