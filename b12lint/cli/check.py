"""``b12lint check PATH...``: read encounters, run the rules, report, and set the exit code."""

from __future__ import annotations

import os
import sys
from collections.abc import Callable, Iterable, Iterator, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any, TextIO

import click

from b12lint import __version__
from b12lint.cli.audit import SHARED_FORMATS, audit_options, auto_formats, print_notes
from b12lint.cli.common import (
    RuleOptions,
    fail,
    payer_option,
    rule_infos,
    ruleset_options,
)
from b12lint.cli.history import TARGET_HELP, history_session, record_history
from b12lint.cli.jobs import (
    jobs_option,
    parallel_report,
    resolve_jobs,
    ruleset_factory,
    worth_parallel,
)
from b12lint.cli.output import FORMAT_BY_SUFFIX, atomic_text, format_for, use_color
from b12lint.cli.setup import load_setup
from b12lint.engine import Result, Router, Ruleset, run
from b12lint.engine.spill import DEFAULT_THRESHOLD, SpillArea, spill_area
from b12lint.history import HistoryError
from b12lint.model import SEVERITY_RANK, Finding, Report
from b12lint.readers import (
    DEFAULT_LIMITS,
    SKIP_REASONS,
    CsvOptions,
    InputPathError,
    Item,
    Limits,
    expand,
    expand_inputs,
    formats,
    own_inputs,
    read_inputs,
)
from b12lint.readers.stats import collecting
from b12lint.reporters import REPORTERS, get_reporter
from b12lint.reporters import statistics as statistics_report

if TYPE_CHECKING:
    from b12lint.history.session import HistorySession

FAIL_ON = ("error", "warning", "info", "never")


def exit_code(findings: Iterable[Finding], fail_on: str) -> int:
    """1 when a finding is at or above ``fail_on`` (input errors are errors), else 0."""
    if fail_on == "never":
        return 0
    threshold = SEVERITY_RANK[fail_on]
    return 1 if any(SEVERITY_RANK[f.severity] >= threshold for f in findings) else 0


def build_report(
    paths: Sequence[str],
    ruleset: Ruleset | Router,
    input_format: str | None,
    limits: Limits = DEFAULT_LIMITS,
    tap: Callable[[Iterator[Item]], Iterator[Item]] | None = None,
    *,
    charts: Sequence[str] = (),
    csv: CsvOptions | None = None,
    history: HistorySession | None = None,
    spill: SpillArea | None = None,
) -> Report:
    """Read every input (joined with the chart files, if any) and lint it.

    ``tap`` sees every item on its way to the engine (progress, redaction, encounter list).
    With a ``history``, the batch's patients' stored events are context for the history
    rules, and the checked batch is kept in the session for recording. With a ``spill``
    area, a big batch's findings and events wait on disk (see :mod:`b12lint.engine.spill`).
    """
    notes: list[str] = []
    try:
        expand(paths)  # every path is checked before anything is read
        items: Iterator[Item] = read_inputs(paths, forced=input_format, limits=limits, csv=csv)
        if charts:
            from b12lint.readers import join, load_chart

            chart = load_chart(charts, limits)
            items = join(items, chart)
        with collecting() as stats:  # what readers read but did not judge, their notes
            result = run(
                tap(items) if tap is not None else items,
                ruleset,
                context=history.context if history is not None else None,
                keep_events=history is not None,
                spill=spill,
            )
        result.summary.not_judged = dict(stats.not_judged)
        if charts:
            notes = chart.notes()
        notes += stats.notes
    except InputPathError as exc:
        fail(str(exc))
    except HistoryError as exc:
        fail(f"history: {exc}")
    if history is not None:
        history.checked(result)
    return assemble(paths, ruleset, result, notes)


def assemble(
    paths: Sequence[str], ruleset: Ruleset | Router, result: Result, notes: list[str]
) -> Report:
    """The report of a finished run."""
    return Report(
        findings=result.findings,
        summary=result.summary,
        rulesets=result.rulesets,
        rules=rule_infos(ruleset),
        tool_version=__version__,
        inputs=list(paths),
        notes=[*own_inputs(list(paths)), *notes],
        root=str(Path.cwd()),
    )


def infer_formats(outputs: Sequence[str]) -> tuple[str, ...]:
    """``-o FILE`` without any ``-f``: each file's format from its name (``out.json`` →
    json); a name that says none is exit 2 rather than text in a file that claims otherwise."""
    chosen = []
    for output in outputs:
        fmt = "text" if output == "-" else format_for(output)
        if fmt is None:
            endings = ", ".join(sorted({s for s, _ in FORMAT_BY_SUFFIX}))
            fail(
                f"cannot tell the report format of {output!r} from its name ({endings}): "
                "give --format"
            )
        chosen.append(fmt)
    return tuple(chosen)


def account_for_reading(report: Report, paths: Sequence[str], limits: Limits) -> None:
    """Add what directory reads skipped to the summary, with a note saying why."""
    try:
        skipped = expand_inputs(paths, limits).skipped
    except InputPathError as exc:
        fail(str(exc))
    report.summary.skipped_files = dict(skipped)
    if skipped:
        report.notes.append(f"directory reads skipped {_skipped_text(skipped)}")
    if report.summary.not_judged:
        kinds = ", ".join(f"{k} {n:,}" for k, n in sorted(report.summary.not_judged.items()))
        report.notes.append(f"read but not judged (not encounters): {kinds}")


def _skipped_text(skipped: dict[str, int]) -> str:
    total = sum(skipped.values())
    why = "; ".join(
        f"{n:,} {SKIP_REASONS.get(reason, reason)}" for reason, n in sorted(skipped.items())
    )
    return f"{total:,} file{'s' if total != 1 else ''}: {why}"


def refuse_empty(report: Report, paths: Sequence[str]) -> None:
    """Exit 2 when the inputs held no record at all (FORMATS.md section 3; --allow-empty)."""
    summary = report.summary
    if summary.encounters or summary.input_errors:
        return
    shown = ", ".join(paths[:5]) + (f" and {len(paths) - 5:,} more" if len(paths) > 5 else "")
    why = []
    if summary.skipped_files:
        why.append(f"directory reads skipped {_skipped_text(summary.skipped_files)}")
    if summary.not_judged:
        kinds = ", ".join(f"{k} {n:,}" for k, n in sorted(summary.not_judged.items()))
        why.append(f"read but not judged: {kinds}")
    detail = f" ({'; '.join(why)})" if why else ""
    fail(
        f"no record found in {shown}{detail}: nothing was checked. "
        "Give --allow-empty if an empty run is expected."
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


def write_reports(
    report: Report,
    pairs: list[tuple[str, str | None]],
    color: str,
    shared: Report | None = None,
) -> None:
    """Render each requested format to its file (atomically) or to stdout.

    ``shared`` is the redacted report for the formats that leave the organisation (SARIF,
    GitHub annotations). A new file is owner-only unless its report is redacted.
    """
    for fmt, output in pairs:
        reporter = get_reporter(fmt)
        chosen = shared if shared is not None and fmt in SHARED_FORMATS else report
        if output is None or output == "-":
            stream: TextIO = sys.stdout
            reporter(chosen, stream, use_color(color, stream))
            stream.flush()
            continue
        try:
            with atomic_text(output, private=not chosen.redacted) as handle:
                reporter(chosen, handle, False)
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
    help="Write the matching --format to FILE (atomically) instead of stdout; without "
    "--format, the format comes from FILE's name (.json, .jsonl, .sarif, .xml, .csv, .html, "
    ".txt). A new file is owner-only (0600) unless redacted; a replaced file keeps its mode.",
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
    help="Read every input as this format (default: by extension and content).",
)
@click.option(
    "--documentation",
    "charts",
    multiple=True,
    metavar="FILE",
    help="Chart records (encounter_id + documentation) joined to the claims by encounter id "
    "(.jsonl, .json, .yaml; repeatable).",
)
@click.option(
    "--color",
    type=click.Choice(["auto", "always", "never"]),
    default="auto",
    show_default=True,
    help="Colour text output (auto: only on a terminal, and not when NO_COLOR is set "
    "to a non-empty value).",
)
@click.option("--history", "history_target", metavar="TARGET", help=TARGET_HELP)
@click.option(
    "--no-record",
    is_flag=True,
    help="Read the history but do not record this batch in it (a dry run).",
)
@click.option(
    "--allow-empty",
    is_flag=True,
    help="Exit 0 (not 2) when the inputs hold no record at all.",
)
@jobs_option
@ruleset_options
@audit_options
@payer_option
def check(
    paths: tuple[str, ...],
    fmts: tuple[str, ...],
    outputs: tuple[str, ...],
    fail_on: str | None,
    input_format: str | None,
    charts: tuple[str, ...],
    color: str,
    history_target: str | None,
    no_record: bool,
    allow_empty: bool,
    jobs: int | None,
    rule_options: RuleOptions,
    **audit_opts: Any,
) -> None:
    """Check encounters: native .json/.jsonl/.yaml, X12 837P, FHIR R4, CSV, directories, or -."""
    if not fmts and outputs:
        fmts = infer_formats(outputs)
    pairs = pair_outputs(auto_formats(fmts), outputs)
    chosen = [fmt for fmt, _ in pairs]
    setup = load_setup(
        rule_options, audit_opts, chosen, input_format=input_format, history=history_target
    )
    config, ruleset, fmt_in = setup.config, setup.router, setup.input_format
    audit = setup.audit.audit(chosen)
    processes = resolve_jobs(jobs, config)
    with (
        spill_area(spill_threshold()) as spill,
        history_session(config, setup.history, no_record) as history,
    ):
        audit.spill_to(spill)
        if processes > 1 and worth_parallel(paths):
            factory = ruleset_factory(config, *rule_options.args)
            report = parallel_report(
                paths,
                ruleset,
                factory,
                processes,
                fmt_in,
                setup.limits,
                audit,
                assemble,
                charts=charts,
                csv=setup.csv,
                history=history,
                spill=spill,
            )
        else:
            report = build_report(
                paths,
                ruleset,
                fmt_in,
                setup.limits,
                audit.tap(paths),
                charts=charts,
                csv=setup.csv,
                history=history,
                spill=spill,
            )
        report = audit.finish(report, history.context_ids if history is not None else ())
        account_for_reading(report, paths, setup.limits)
        if not allow_empty:
            refuse_empty(report, paths)
        print_notes(report, pairs)
        write_reports(report, audit.stdout_pairs(pairs), color, audit.shared)
        if audit.statistics:
            statistics_report.render(report, sys.stdout)
        record_history(history)
        code = exit_code(report.findings, fail_on or config.get("fail-on") or "error")
    sys.exit(code)


def spill_threshold() -> int:
    """How many findings or events stay in memory before they are spilled to disk:
    ``$B12LINT_SPILL_THRESHOLD`` (for tests and tuning), else the default."""
    value = os.environ.get("B12LINT_SPILL_THRESHOLD", "")
    return int(value) if value.isdigit() and int(value) > 0 else DEFAULT_THRESHOLD
