"""Benchmark: reading by content, UTF-16, and 837I against 837P, each against a baseline
measured in the same run.

    python bench/read_formats.py [--records 20000] [--claims 10000] [--repeat 3]

Times ``read_inputs`` (the path ``b12lint check`` takes: discovery, sniffing, the reader and
record validation) in this one process, best of ``--repeat`` (the machine is shared):

- native: the generated batch as ``batch.jsonl`` (the baseline), the same bytes as
  ``batch.txt`` (read by content) and as UTF-16 with a byte-order mark (transcoded);
- X12: the 837P file of ``bench/x12_bench.py`` (the baseline), and the same claims as an
  837I (SV2 lines with revenue codes, CLM05 type of bill, DTP*434, NM1*71 attending).
"""

from __future__ import annotations

import argparse
import codecs
import importlib.util
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

from b12lint.readers import read_inputs

HERE = Path(__file__).resolve().parent


def _bench_module(name: str):  # type: ignore[no-untyped-def]
    spec = importlib.util.spec_from_file_location(f"bench_{name}", HERE / f"{name}.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module
    spec.loader.exec_module(module)
    return module


def best_of(repeat: int, fn: Callable[[], int]) -> tuple[float, int]:
    best, count = float("inf"), 0
    for _ in range(repeat):
        start = time.perf_counter()
        count = fn()
        best = min(best, time.perf_counter() - start)
    return best, count


def as_837i(text: str) -> str:
    """The 837P claims of x12_bench as 837I claims (the same services, institutional form)."""
    text = text.replace("005010X222A1", "005010X223A2")
    text = text.replace("*11:B:1*Y*A*Y*Y~", "*13:A:1**A*Y*Y~\nDTP*434*RD8*20260101-20260101~")
    text = text.replace("NM1*82*1*SMITH*ANNA", "NM1*71*1*SMITH*ANNA")
    text = text.replace("SV1*HC:J3420:JZ*12.00*UN*", "SV2*0636*HC:J3420:JZ*12.00*UN*")
    text = text.replace("SV1*HC:96372*25.00*UN*", "SV2*0510*HC:96372*25.00*UN*")
    for pointers in ("***1:2~", "***1~"):
        text = text.replace(pointers, "~")
    segments = text.split("~\n")
    st = next(i for i, seg in enumerate(segments) if seg.startswith("ST*"))
    se = next(i for i, seg in enumerate(segments) if seg.startswith("SE*"))
    segments[se] = f"SE*{se - st + 1}*0001"
    return "~\n".join(segments)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--records", type=int, default=20_000)
    parser.add_argument("--claims", type=int, default=10_000)
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()
    generate = _bench_module("generate")
    x12 = _bench_module("x12_bench")
    with tempfile.TemporaryDirectory() as tmp:
        root = Path(tmp)
        jsonl = root / "batch.jsonl"
        with jsonl.open("wb") as out:
            generate.write(out, args.records, seed=6)
        data = jsonl.read_bytes()
        (root / "batch.txt").write_bytes(data)
        (root / "batch16.txt").write_bytes(codecs.BOM_UTF16_LE + data.decode().encode("utf-16-le"))
        p837 = root / "claims.837"
        x12.make_file(p837, args.claims)
        i837 = root / "claims-i.837"
        i837.write_text(as_837i(p837.read_text()), encoding="ascii")

        def count(name: str) -> Callable[[], int]:
            return lambda: sum(1 for _ in read_inputs([str(root / name)]))

        rows = []
        for base, others in (
            ("batch.jsonl", ("batch.txt", "batch16.txt")),
            ("claims.837", ("claims-i.837",)),
        ):
            base_time, base_items = best_of(args.repeat, count(base))
            rows.append((base, base_time, base_items, 1.0))
            for name in others:
                took, items = best_of(args.repeat, count(name))
                rows.append((name, took, items, took / base_time))
        print(f"{'input':<16} {'items':>7} {'seconds':>8} {'µs/item':>8} {'vs baseline':>11}")
        for name, took, items, ratio in rows:
            print(f"{name:<16} {items:>7} {took:>8.3f} {took / items * 1e6:>8.1f} {ratio:>10.2f}x")


if __name__ == "__main__":
    main()
