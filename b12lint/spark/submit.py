"""The Spark entry point: lint an input with Spark and write the findings.

    python -m b12lint.spark INPUT --output DIR [--format parquet|jsonl] [--master local[4]]
    spark-submit --master yarn "$(python -m b12lint.spark --path)" INPUT --output DIR

INPUT is a directory or file of encounters (Parquet, or any format ``b12lint check`` reads;
those paths must be readable by every executor). The findings are written to DIR as Parquet
or JSON lines (Spark part files, in the JSON report's order), the summary is printed as JSON
on stdout. Rule selection and packs are the ``check`` options and configuration. Exit code:
0 no finding at or above ``--fail-on`` (default ``error``), 1 such findings, 2 the run failed
(a bad option, path or rule pack).
"""

from __future__ import annotations

import argparse
import os
import sys
from pathlib import Path
from typing import Any

import orjson

from b12lint import __version__
from b12lint.cli.common import settings
from b12lint.cli.jobs import ruleset_factory
from b12lint.model import SEVERITY_RANK

FAIL_ON = ("error", "warning", "info", "never")


def parser() -> argparse.ArgumentParser:
    """The options (``check``'s names where they mean the same)."""
    p = argparse.ArgumentParser(prog="python -m b12lint.spark", description=__doc__.splitlines()[0])
    p.add_argument("input", nargs="?", help="a directory or file of encounters")
    p.add_argument("--output", "-o", help="the folder to write the findings to")
    p.add_argument("--format", "-f", choices=("parquet", "jsonl"), default="parquet")
    p.add_argument("--master", help="Spark master (default: spark-submit's, else local[*])")
    p.add_argument("--fail-on", choices=FAIL_ON, default=None)
    p.add_argument("--config", help="b12lint configuration file")
    p.add_argument("--rules", action="append", default=[], metavar="DIR")
    p.add_argument("--no-builtin", action="store_true")
    p.add_argument("--select", action="append", default=[])
    p.add_argument("--ignore", action="append", default=[])
    p.add_argument("--payer", action="append", default=[], metavar="KEY=PACK")
    p.add_argument("--partitions", type=int, help="partitions of the history stage")
    p.add_argument("--path", action="store_true", help="print this script's path and exit")
    return p


def main(argv: list[str] | None = None, spark: Any = None) -> int:
    """Run the job; the exit code. With ``spark`` (a session), run in it and leave it open."""
    args = parser().parse_args(argv)
    if args.path:
        print(Path(__file__).resolve())
        return 0
    if not args.input or not args.output:
        parser().print_usage(sys.stderr)
        print("b12lint: error: INPUT and --output are required", file=sys.stderr)
        return 2
    try:
        config = settings(args.config)
        factory = ruleset_factory(
            config, args.rules, args.no_builtin, args.select, args.ignore, args.payer
        )
        factory()  # a bad pack or selection stops here, with its message
    except Exception as exc:  # click's ToolError carries the message
        print(f"b12lint: error: {getattr(exc, 'message', exc)}", file=sys.stderr)
        return 2
    if not Path(args.input).exists():
        print(f"b12lint: error: {args.input}: no such file or directory", file=sys.stderr)
        return 2
    from b12lint.spark import MISSING, lint_path

    try:
        from pyspark.sql import SparkSession
    except ImportError:
        print(f"b12lint: error: {MISSING}", file=sys.stderr)
        return 2
    own = spark is None
    if own:
        if not _submitted():
            # local mode: the Python workers are this interpreter, where b12lint is installed
            os.environ.setdefault("PYSPARK_PYTHON", sys.executable)
        builder = SparkSession.builder.appName("b12lint")
        if args.master:
            builder = builder.master(args.master)
        elif not _submitted():
            builder = builder.master("local[*]")
        spark = builder.getOrCreate()
    try:
        result = lint_path(spark, args.input, factory=factory, history_partitions=args.partitions)
        writer = result.findings.write.mode("overwrite")
        if args.format == "parquet":
            writer.parquet(args.output)
        else:
            writer.json(args.output)
        out = {
            "tool": {"name": "b12lint", "version": __version__},
            "rulesets": result.rulesets,
            "summary": result.summary.report_dict(),
            "findings": args.output,
            "notes": result.notes,
        }
        sys.stdout.write(orjson.dumps(out, option=orjson.OPT_INDENT_2).decode() + "\n")
    finally:
        if own:
            spark.stop()
    fail_on = args.fail_on or config.get("fail-on") or "error"
    if fail_on == "never":
        return 0
    threshold = SEVERITY_RANK[fail_on]
    counts = result.summary.by_severity
    return 1 if any(counts.get(s, 0) for s, r in SEVERITY_RANK.items() if r >= threshold) else 0


def _submitted() -> bool:
    """Whether spark-submit started this driver (it hands over its JVM gateway)."""
    return "PYSPARK_GATEWAY_PORT" in os.environ


if __name__ == "__main__":
    sys.exit(main())
