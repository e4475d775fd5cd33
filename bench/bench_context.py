"""Measure the cost of reading indication text in context (ConText/NegEx, affirmed_phrase)
against the substring matcher it replaced (contains_any), both measured in the same run.

Usage: python bench/bench_context.py [--records N] [--repeat R]   (e.g. --records 5000)

- text only: for each record's documentation.indication, the calls the indication rules make
  (premedication, non-covered purposes, covered terms), with affirmed_phrase vs a substring
  test over the same phrase lists: microseconds per record and the ratio;
- whole check: read + lint with b12-core as shipped vs b12-core compiled with affirmed_phrase
  replaced by the substring test (the engine before this change): us/record and the ratio,
  and how often the rules call it (they short-circuit: about once a record);
- start-up: importing the matcher and compiling the pack's lexicon (paid once, on the first
  call, by a run whose rules reach it).

Records are the sample_claims encounters plus the realistic set (tests/realistic), copied with
fresh ids. Times are CPU time of this process, best of R, cases interleaved.
"""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

import yaml
from bench_rules import best_of, fresh_copies, items, sample_records

from b12lint.engine import combine, load_pack, run
from b12lint.engine import functions as functions_module
from b12lint.engine.datatable import freeze

ROOT = Path(__file__).resolve().parents[1]
DATA = ROOT / "rules" / "b12-core" / "data"


def values(name: str) -> Any:
    """A pack data table's values, frozen as the engine freezes them."""
    return freeze(yaml.safe_load((DATA / f"{name}.yaml").read_text(encoding="utf-8"))["values"])


def substring_phrase(
    text: object, phrases: object, lexicon: object, disqualify: object = None
) -> str | None:
    """The matcher before this change: the first phrase contained anywhere (no context)."""
    if not isinstance(text, str) or isinstance(phrases, str):
        return None
    low = text.lower()
    for phrase in phrases:  # type: ignore[attr-defined]
        if isinstance(phrase, str) and phrase.lower() in low:
            return phrase
    return None


def records(n: int) -> list[dict[str, Any]]:
    """``n`` records: sample claims and the realistic set, with fresh ids."""
    realistic = ROOT / "tests" / "realistic" / "encounters.jsonl"
    base = sample_records() + [
        json.loads(line) for line in realistic.read_text(encoding="utf-8").splitlines()
    ]
    return fresh_copies(base, n, "C")


def main() -> int:
    parser = argparse.ArgumentParser(description=(__doc__ or "").splitlines()[0])
    parser.add_argument("--records", type=int, default=5_000)
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()
    n = args.records

    batch = records(n)
    data = ("\n".join(json.dumps(r) for r in batch) + "\n").encode("utf-8")
    texts = [(r.get("documentation") or {}).get("indication") for r in batch]
    lexicon = values("context")
    lists = [values("premedication"), values("non_covered")["purposes"], values("covered_terms")]

    started = time.perf_counter()
    from b12lint.domain.context import affirmed_phrase  # first import: the start-up cost

    affirmed_phrase("warm up", lists[1], lexicon)
    first_call = time.perf_counter() - started
    startup = subprocess.run(
        [sys.executable, "-X", "importtime", "-c", "import b12lint.domain.context"],
        capture_output=True,
        text=True,
        check=True,
    ).stderr.splitlines()
    own = [line for line in startup if line.rstrip().endswith("b12lint.domain.context")]
    import_us = int(own[-1].split("|")[0].split(":")[1]) if own else -1

    def text_with(fn: Any) -> None:
        for text in texts:
            for phrases in lists:
                fn(text, phrases, lexicon)

    core = combine([load_pack(ROOT / "rules" / "b12-core")])
    registered = functions_module.FUNCTIONS["affirmed_phrase"]
    functions_module.FUNCTIONS["affirmed_phrase"] = functions_module.Function(
        registered.name, substring_phrase, registered.min_args, registered.max_args, "", None
    )
    try:
        substring_core = combine([load_pack(ROOT / "rules" / "b12-core")])
    finally:
        functions_module.FUNCTIONS["affirmed_phrase"] = registered

    times = best_of(
        {
            "text_substring": lambda: text_with(substring_phrase),
            "text_context": lambda: text_with(affirmed_phrase),
            "check_substring": lambda: run(items(data), substring_core),
            "check_context": lambda: run(items(data), core),
        },
        args.repeat,
    )
    calls = [0]

    def counting(text: object, phrases: object, lexicon: object, *rest: object) -> str | None:
        calls[0] += 1
        return affirmed_phrase(text, phrases, lexicon, *rest)

    functions_module.FUNCTIONS["affirmed_phrase"] = functions_module.Function(
        registered.name, counting, registered.min_args, registered.max_args, "", None
    )
    try:
        run(items(data), combine([load_pack(ROOT / "rules" / "b12-core")]))
    finally:
        functions_module.FUNCTIONS["affirmed_phrase"] = registered

    us = 1e6 / n
    ts, tc = times["text_substring"], times["text_context"]
    cs, cc = times["check_substring"], times["check_context"]
    with_text = sum(1 for t in texts if isinstance(t, str) and t.strip())
    print(f"{n:,} records ({with_text:,} with an indication text), best of {args.repeat}")
    print(
        f"text, 3 phrase lists:  substring {ts * us:7.2f} us/record, "
        f"context {tc * us:7.2f} us/record  ({tc / ts:5.1f}x substring)"
    )
    print(
        f"whole b12-core check:  substring {cs * us:7.1f} us/record, "
        f"context {cc * us:7.1f} us/record  ({cc / cs:5.3f}x, +{(cc - cs) * us:.1f} us/record; "
        f"the rules call it {calls[0] / n:.2f} times a record)"
    )
    print(
        f"start-up (once, on the first call): import {import_us / 1000:.2f} ms "
        f"(its own, python -X importtime), in-process import + lexicon compile "
        f"{first_call * 1000:.2f} ms"
    )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
