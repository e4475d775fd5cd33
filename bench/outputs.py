"""Cost of the output formats, suppression, redaction and the progress line.

Builds a synthetic batch from sample_claims/ (the sample records copied under new encounter
and patient ids, four visits a patient), reads and lints it once, and times what this part of
b12lint adds on top, each against baselines measured in the same process: every format's
rendering against the text format's, and the redaction tap, report rewriting, baseline writing
and matching, the progress line and the audit report's collection of claim lines against the
read-and-lint time of the same batch. Best of
--repeat runs each (the machine is shared: minimums are the stable figure).

    python bench/outputs.py [--records 10000] [--repeat 5]
"""

from __future__ import annotations

import argparse
import io
import json
import os
import sys
import tempfile
import time
from collections.abc import Callable
from dataclasses import replace
from pathlib import Path

from b12lint.cli.check import build_report
from b12lint.cli.progress import Progress
from b12lint.engine import load_ruleset
from b12lint.engine.billing import billing_of
from b12lint.model import Record
from b12lint.readers import read_inputs
from b12lint.redact import Hasher, Redactor
from b12lint.reporters import get_reporter
from b12lint.suppress import Baseline, suppress

ROOT = Path(__file__).resolve().parents[1]


def make_batch(path: Path, records: int) -> None:
    """Copies of the sample records (jsonl and json files) with unique ids."""
    samples = []
    for item in read_inputs([str(ROOT / "sample_claims")]):
        encounter = getattr(item, "encounter", None)
        if encounter is not None:
            samples.append(json.loads(json.dumps(encounter, default=str)))
    with path.open("w", encoding="utf-8") as out:
        for i in range(records):
            record = dict(samples[i % len(samples)])
            record["encounter_id"] = f"E{i:07d}"
            record["patient_id"] = f"P{i // 4:06d}"  # four visits a patient: history rules work
            out.write(json.dumps(record) + "\n")


class FakeTTY(io.StringIO):
    """A terminal that swallows the progress line."""

    def isatty(self) -> bool:
        return True


def best(fn: Callable[[], object], repeat: int) -> float:
    """The fastest of ``repeat`` runs, in seconds."""
    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        fn()
        times.append(time.perf_counter() - start)
    return min(times)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--records", type=int, default=10_000)
    parser.add_argument("--repeat", type=int, default=5)
    args = parser.parse_args()
    n, repeat = args.records, args.repeat
    ruleset = load_ruleset()
    tmp = Path(tempfile.mkdtemp(prefix="b12lint-bench-"))
    batch = tmp / "batch.jsonl"
    make_batch(batch, n)
    paths = [str(batch)]

    lint = best(lambda: build_report(paths, ruleset, None), max(2, repeat // 2))
    report = build_report(paths, ruleset, None)
    items = list(read_inputs(paths))
    findings = len(report.findings)
    print(
        f"{n:,} records, {findings:,} findings; best of {repeat}; Python {sys.version.split()[0]}"
    )
    print(f"read + lint (baseline B): {lint:.3f} s = {lint / n * 1e6:.1f} µs/record\n")

    def render(fmt: str, rep: object = report) -> Callable[[], None]:
        def go() -> None:
            with Path(os.devnull).open("w", encoding="utf-8") as sink:
                get_reporter(fmt)(rep, sink, False)  # type: ignore[arg-type]

        return go

    fmts = ("text", "json", "jsonl", "csv", "github", "junit", "sarif", "html")
    timings = {fmt: best(render(fmt), repeat) for fmt in fmts}
    # the audit report as `check -f html` makes it: with the claim lines (charges at risk,
    # provider comparison)
    records = [item for item in items if isinstance(item, Record)]
    billed = replace(report, billing=[billing_of(r) for r in records])
    timings["html+lines"] = best(render("html", billed), repeat)
    text = timings["text"]
    print(f"{'render':<10}{'seconds':>9}{'µs/finding':>12}{'x text':>8}{'x B':>7}")
    for fmt, t in timings.items():
        print(
            f"{fmt:<10}{t:>9.3f}{t / max(findings, 1) * 1e6:>12.2f}{t / text:>8.2f}{t / lint:>7.3f}"
        )

    def bare() -> None:
        for _ in items:
            pass

    redactor = Redactor(Hasher(b"k" * 32))

    def watch() -> None:
        for _ in Redactor(Hasher(b"k" * 32)).watch(items):
            pass

    def progress() -> None:
        for _ in Progress(FakeTTY(), [(str(batch), batch)]).watch(items):
            pass

    for _ in redactor.watch(items):
        pass
    loop = best(bare, repeat)
    baseline = Baseline.of(report.findings)
    others = [
        ("redact: watch records", best(watch, repeat) - loop),
        ("redact: rewrite report", best(lambda: redactor.report(report), repeat)),
        ("baseline: build (write)", best(lambda: Baseline.of(report.findings), repeat)),
        ("baseline: match all", best(lambda: suppress(report, baseline=baseline), repeat)),
        ("progress line", best(progress, repeat) - loop),
        ("html: collect claim lines", best(lambda: [billing_of(r) for r in records], repeat)),
    ]
    print(f"\n{'added work':<26}{'seconds':>9}{'µs/record':>11}{'x B':>7}")
    for name, t in others:
        print(f"{name:<26}{t:>9.3f}{t / n * 1e6:>11.2f}{t / lint:>7.3f}")


if __name__ == "__main__":
    main()
