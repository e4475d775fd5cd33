"""``b12lint check PATH...``: read encounters, run the rules, report, and set the exit code."""

from __future__ import annotations

import sys
from collections.abc import Sequence
from typing import TextIO

import click

from b12lint import __version__
from b12lint.cli.common import (
    fail,
    payer_option,
    router_from_config,
    rule_infos,
    ruleset_options,
    settings,
)
from b12lint.cli.output import atomic_text, use_color
from b12lint.config import Config
from b12lint.engine import Router, Ruleset, run
from b12lint.model import SEVERITY_RANK, Finding, Report
from b12lint.readers import DEFAULT_LIMITS, InputPathError, Limits, expand, formats, read_inputs
from b12lint.reporters import REPORTERS, get_reporter

FAIL_ON = ("error", "warning", "info", "never")


def exit_code(findings: Sequence[Finding], fail_on: str) -> int:
    """1 when a finding is at or above ``fail_on`` (input errors are errors), else 0."""
    if fail_on == "never":
        return 0
    threshold = SEVERITY_RANK[fail_on]
    return 1 if any(SEVERITY_RANK[f.severity] >= threshold for f in findings) else 0


def limits_from(config: Config) -> Limits:
    """Reader limits: the defaults, overridden by ``[tool.b12lint.limits]``."""
    section = config.section("limits")
    return Limits(
        max_record_bytes=section.get("max-record-bytes", DEFAULT_LIMITS.max_record_bytes),
        max_depth=section.get("max-depth", DEFAULT_LIMITS.max_depth),
        max_file_bytes=section.get("max-file-bytes", DEFAULT_LIMITS.max_file_bytes),
        max_yaml_bytes=section.get("max-yaml-bytes", DEFAULT_LIMITS.max_yaml_bytes),
    )


def build_report(
    paths: Sequence[str],
    ruleset: Ruleset | Router,
    input_format: str | None,
    limits: Limits = DEFAULT_LIMITS,
) -> Report:
    """Read every input and lint it: the report reporters render."""
    try:
        expand(paths)  # every path is checked before anything is read
        result = run(read_inputs(paths, forced=input_format, limits=limits), ruleset)
    except InputPathError as exc:
        fail(str(exc))
    return Report(
        findings=result.findings,
        summary=result.summary,
        rulesets=result.rulesets,
        rules=rule_infos(ruleset),
        tool_version=__version__,
        inputs=list(paths),
    )


def pair_outputs(fmts: Sequence[str], outputs: Sequence[str]) -> list[tuple[str, str | None]]:
    """Pair the i-th ``--output`` with the i-th ``--format``; the rest go to stdout."""
    if len(outputs) > max(len(fmts), 1):
        fail("more --output files than --format options")
    chosen = list(fmts) or ["text"]
    pairs = [(fmt, outputs[i] if i < len(outputs) else None) for i, fmt in enumerate(chosen)]
    if sum(1 for _, out in pairs if out is None) > 1:
        fail("only one format can go to stdout: give --output FILE for the others")
    return pairs


def write_reports(report: Report, pairs: list[tuple[str, str | None]], color: str) -> None:
    """Render each requested format to its file (atomically) or to stdout."""
    for fmt, output in pairs:
        reporter = get_reporter(fmt)
        if output is None or output == "-":
            stream: TextIO = sys.stdout
            reporter(report, stream, use_color(color, stream))
            stream.flush()
            continue
        try:
            with atomic_text(output) as handle:
                reporter(report, handle, False)
        except OSError as exc:
            fail(f"cannot write {output}: {exc.strerror or exc}")


@click.command()
@click.argument("paths", nargs=-1, required=True)
@click.option(
    "--format",
    "-f",
    "fmts",
    multiple=True,
    type=click.Choice(sorted(REPORTERS)),
    help="Output format (repeatable; pair each with an --output).",
)
@click.option(
    "--output",
    "-o",
    "outputs",
    multiple=True,
    metavar="FILE",
    help="Write the matching --format to FILE (atomically) instead of stdout.",
)
@click.option(
    "--fail-on",
    type=click.Choice(FAIL_ON),
    default=None,
    help="Exit 1 when a finding is at or above this severity [default: error].",
)
@click.option(
    "--input-format",
    type=click.Choice(formats()),
    default=None,
    help="Read every input as this format (default: by extension, stdin by content).",
)
@click.option(
    "--color",
    type=click.Choice(["auto", "always", "never"]),
    default="auto",
    show_default=True,
    help="Colour text output (auto: only on a terminal, and not when NO_COLOR is set).",
)
@ruleset_options
@payer_option
def check(
    paths: tuple[str, ...],
    fmts: tuple[str, ...],
    outputs: tuple[str, ...],
    fail_on: str | None,
    input_format: str | None,
    color: str,
    config_path: str | None,
    rule_dirs: tuple[str, ...],
    no_builtin: bool,
    select: tuple[str, ...],
    ignore: tuple[str, ...],
    payers: tuple[str, ...],
) -> None:
    """Check encounter records (.json, .jsonl, .yaml, directories, or - for stdin)."""
    config = settings(config_path)
    pairs = pair_outputs(fmts, outputs)
    ruleset = router_from_config(config, rule_dirs, no_builtin, select, ignore, payers)
    fmt_in = input_format or config.get("input-format")
    if fmt_in is not None and fmt_in not in formats():
        fail(f"unknown input format {fmt_in!r} (known: {', '.join(formats())})")
    report = build_report(paths, ruleset, fmt_in, limits_from(config))
    write_reports(report, pairs, color)
    sys.exit(exit_code(report.findings, fail_on or config.get("fail-on") or "error"))
