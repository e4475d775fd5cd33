"""Benchmark: the JSONL reader, old (walk + pydantic) against new (byte checks + msgspec),
with the orjson floor and where the time goes per record, all measured in one run.

    python bench/read_jsonl.py [--records 20000] [--repeat 5] [--batch FILE]

Generates a batch with ``bench/generate.py`` (or reads ``--batch``), holds it in memory and
times, interleaved round by round, best of ``--repeat``, CPU time of this process:

- ``floor``: ``orjson.loads`` of every line (nothing else);
- ``old``: the reader before issue 13 (``parse_jsonl`` + ``to_item(json_text=True)``: a walk
  over every node for depth and key count, the duplicate-key count, pydantic);
- ``new``: ``read_jsonl`` (byte-level checks, msgspec, pydantic only for what it refuses);
- ``new, no msgspec``: the same with the pure fallback (byte checks + pydantic);

then the stages, each as parse + the stage over every line (nothing kept, as a reader
streams) minus the floor: the walk (``_shape``), the walk with the duplicate-key count, the
lone-surrogate check, pydantic, the byte checks (``plain_json``), msgspec, and msgspec with
the engine's ``EncounterView`` (built per record by the linter, not by the reader: shown for
scale). Every reader's items are compared first: the new readers must give the old one's
items exactly.
"""

from __future__ import annotations

import argparse
import contextlib
import importlib.util
import io
import sys
import tempfile
import time
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import orjson

from b12lint.engine.view import EncounterView
from b12lint.model import Record, Source, validate_encounter
from b12lint.readers import typed
from b12lint.readers.base import DEFAULT_LIMITS, Item, _lone_surrogate, _shape, to_item
from b12lint.readers.jsontext import has_duplicate_keys, plain_json
from b12lint.readers.native import read_jsonl, read_jsonl_walked

HERE = Path(__file__).resolve().parent


def _generate(records: int) -> bytes:
    spec = importlib.util.spec_from_file_location("bench_generate", HERE / "generate.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module
    spec.loader.exec_module(module)
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "batch.jsonl"
        with path.open("wb") as out:
            module.write(out, records, seed=6)
        return path.read_bytes()


def old_reader(data: bytes) -> Iterator[Item]:
    """The JSONL reader as it was before issue 13 (kept as the oracle)."""
    return read_jsonl_walked(io.BytesIO(data), "b.jsonl")


def new_reader(data: bytes) -> Iterator[Item]:
    return read_jsonl(io.BytesIO(data), "b.jsonl")


def without_msgspec(data: bytes) -> Iterator[Item]:
    typed.ENABLED = False
    try:
        yield from read_jsonl(io.BytesIO(data), "b.jsonl")
    finally:
        typed.ENABLED = True


def _key(item: Item) -> object:
    if isinstance(item, Record):
        return ("r", item.source, repr(item.encounter), item.has_chart)
    return ("e", item)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--records", type=int, default=20_000)
    parser.add_argument("--repeat", type=int, default=5)
    parser.add_argument("--batch", type=Path)
    args = parser.parse_args()
    data = args.batch.read_bytes() if args.batch else _generate(args.records)
    lines = data.splitlines(keepends=True)
    n = len(lines)

    def floor() -> None:
        loads = orjson.loads
        for line in lines:
            with contextlib.suppress(orjson.JSONDecodeError):
                loads(line)

    readers: dict[str, Callable[[bytes], Iterator[Item]]] = {
        "old": old_reader,
        "new": new_reader,
        "new, no msgspec": without_msgspec,
    }
    reference = [_key(i) for i in old_reader(data)]
    for name, reader in readers.items():
        if [_key(i) for i in reader(data)] != reference:
            raise SystemExit(f"{name}: items differ from the old reader's")

    source = Source("b.jsonl", 1)
    limit = DEFAULT_LIMITS.max_depth
    to_fast = typed.fast_encounter

    def each(fn: Callable[[Any, bytes], object]) -> Callable[[], None]:
        """Parse each line and run ``fn`` on it, keeping nothing (as a reader streams: a
        list of parsed records held in memory would make the collector walk it)."""

        def run() -> None:
            loads = orjson.loads
            for line in lines:
                try:
                    obj = loads(line)
                except orjson.JSONDecodeError:
                    continue
                with contextlib.suppress(ValueError):
                    fn(obj, line)

        return run

    cases: dict[str, Callable[[], None]] = {
        "floor (orjson.loads)": floor,
        **{f"read: {name}": (lambda r=r: sum(1 for _ in r(data))) for name, r in readers.items()},  # type: ignore[misc]
        "stage: walk (depth, keys)": each(lambda o, _: _shape(o, limit)),
        "stage: walk + duplicate keys": each(
            lambda o, b: has_duplicate_keys(b, _shape(o, limit)[1])
        ),
        "stage: lone-surrogate check": each(lambda o, b: b"\\u" in b and _lone_surrogate(o)),
        "stage: pydantic": each(lambda o, _: validate_encounter(o)),
        "stage: byte checks": each(lambda o, b: plain_json(b, o, limit)),
        "stage: msgspec": each(lambda o, _: to_fast(o)),
        "stage: to_item (old checks)": each(lambda o, b: to_item(o, source, raw=b, json_text=True)),
        "stage: msgspec + view (engine)": each(
            lambda o, _: (e := to_fast(o)) is not None and EncounterView(e, True, False)
        ),
    }
    best = dict.fromkeys(cases, float("inf"))
    for _ in range(args.repeat):
        for name, fn in cases.items():
            start = time.process_time()
            fn()
            best[name] = min(best[name], time.process_time() - start)
    base = best["floor (orjson.loads)"]
    old = best["read: old"]
    print(f"{n:,} lines, {len(data) / n:.0f} bytes a line; CPU time, best of {args.repeat}")
    print("stages: parse + the stage, minus the floor (µs/line of the stage alone)")
    print(f"{'case':<30} {'µs/line':>8} {'/ floor':>8} {'/ old':>7}")
    for name, took in best.items():
        if name.startswith("stage"):
            took -= base
        print(f"{name:<30} {took / n * 1e6:>8.2f} {took / base:>7.2f}x {took / old:>6.2f}x")
    print(f"msgspec fast path in use: {typed.available()}")


if __name__ == "__main__":
    main()
