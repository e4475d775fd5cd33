"""``check`` options for CI and audits: baselines, exceptions, redaction, statistics, progress.

:class:`AuditSettings` are loaded from the options and the configuration before anything is
read (so a bad baseline, exception or key is exit 2 up front); an :class:`Audit` of them per run
(``check``) or per request (``serve``) taps the record stream
(:meth:`Audit.tap`: progress line, ids to redact, encounters for JUnit) and finishes the report
(:meth:`Audit.finish`: exceptions, baseline, ``--write-baseline``, ``--redact``) before the
reporters run.
"""

from __future__ import annotations

import datetime as dt
import os
import sys
from collections.abc import Callable, Collection, Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any, TypeVar

import click

from b12lint.cli.common import fail
from b12lint.cli.output import atomic_text
from b12lint.cli.progress import Progress, wanted
from b12lint.config import Config
from b12lint.engine.billing import billing_of
from b12lint.engine.encounterrefs import RefSink
from b12lint.engine.input_rules import DUPLICATE
from b12lint.engine.spill import SpillArea
from b12lint.model import EncounterBilling, EncounterRef, Finding, Record, Report
from b12lint.readers import Item, expand
from b12lint.redact import KEY_ENV, Hasher, RedactKeyError, Redactor, resolve_key
from b12lint.suppress import (
    Baseline,
    BaselineError,
    ExceptionConfigError,
    ExceptionEntry,
    load,
    merged,
    parse,
    suppress,
)
from b12lint.suppress.scope import scoped

F = TypeVar("F", bound=Callable[..., Any])
Pairs = list[tuple[str, str | None]]

#: Formats that leave the organisation (code scanning, workflow logs): ids redacted by default.
SHARED_FORMATS = frozenset({"sarif", "github"})


_AUDIT_OPTIONS = {
    "statistics": click.option(
        "--statistics",
        is_flag=True,
        help="Print the number of findings per rule instead of one line per finding.",
    ),
    "redact": click.option(
        "--redact/--no-redact",
        default=None,
        help=f"Replace patient/encounter ids and free text by keyed hashes ({KEY_ENV}); "
        "--no-redact overrides redact = true in the configuration.",
    ),
    "redact_shared": click.option(
        "--redact-shared/--no-redact-shared",
        default=True,
        help="Redact SARIF and GitHub annotations even without --redact (the default: "
        "they are uploaded beyond the claim data's readers); --no-redact-shared keeps "
        "ids and free text there.",
    ),
    "show_suppressed": click.option(
        "--show-suppressed",
        is_flag=True,
        help="Also list findings suppressed by the baseline or exceptions.",
    ),
    "write_baseline": click.option(
        "--write-baseline",
        type=click.Path(dir_okay=False),
        metavar="FILE",
        help="Record today's findings in FILE, then report as if run with --baseline FILE.",
    ),
    "baseline": click.option(
        "--baseline",
        "baseline_path",
        type=click.Path(dir_okay=False),
        metavar="FILE",
        help="Suppress findings recorded in this baseline file; report stale entries.",
    ),
}
#: The options ``serve`` shares with ``check``: suppression and redaction of every response.
SERVE_OPTIONS = ("redact", "redact_shared", "show_suppressed", "baseline")


def audit_options(fn: F, names: Sequence[str] = tuple(_AUDIT_OPTIONS)) -> F:
    """Add ``--baseline``, ``--write-baseline``, ``--show-suppressed``, ``--redact``,
    ``--redact-shared``, ``--statistics`` (or those ``names`` choose)."""
    for name in names:
        fn = _AUDIT_OPTIONS[name](fn)
    return fn


def serve_audit_options(fn: F) -> F:
    """The :data:`SERVE_OPTIONS` of :func:`audit_options`."""
    return audit_options(fn, SERVE_OPTIONS)


def auto_formats(fmts: Sequence[str]) -> tuple[str, ...]:
    """The formats given, or ``github`` inside GitHub Actions when none is given."""
    if not fmts and os.environ.get("GITHUB_ACTIONS") == "true":
        return ("github",)
    return tuple(fmts)


@dataclass(frozen=True)
class AuditSettings:
    """What the options and the configuration say about suppression and redaction, loaded and
    validated once (every problem is exit 2 before anything is read): ``check`` makes one
    :class:`Audit` of it per run, ``serve`` one per request (:meth:`audit`)."""

    exceptions: tuple[ExceptionEntry, ...] = ()
    baseline: Baseline | None = None
    write_baseline: str | None = None
    show_suppressed: bool = False
    statistics: bool = False
    redact: bool = False
    """``--redact`` / ``redact = true``: every format is redacted."""
    redact_shared: bool = True
    """:data:`SHARED_FORMATS` are redacted even without :attr:`redact` (``--no-redact-shared``
    turns it off)."""
    hasher: Hasher | None = None
    """The key's hasher, when some output may be redacted."""

    @classmethod
    def load(
        cls, options: Mapping[str, Any], config: Config, formats: Collection[str]
    ) -> AuditSettings:
        """Validate the options and configuration for outputs in ``formats``; exit 2."""
        try:
            exceptions = parse(config.get("exceptions") or [])
        except ExceptionConfigError as exc:
            where = f" ({config.path})" if config.path else ""
            fail(f"invalid configuration{where}: {exc}")
        write_path: str | None = options.get("write_baseline")
        baseline_path: str | Path | None = options.get("baseline_path")
        if baseline_path is None and config.get("baseline") is not None:
            base = config.path.parent if config.path is not None else Path.cwd()
            baseline_path = base / str(config.get("baseline"))
        baseline = None
        if baseline_path is not None and write_path is None:
            try:
                baseline = load(baseline_path)
            except BaselineError as exc:
                fail(f"{exc} (create one with --write-baseline FILE)")
        redact = options.get("redact")
        redact = bool(config.get("redact", False)) if redact is None else redact
        redact_shared = bool(options.get("redact_shared", True))
        shared = [fmt for fmt in formats if fmt in SHARED_FORMATS]
        hasher = None
        if redact or (redact_shared and shared):
            try:
                key, from_env = resolve_key(os.environ)
            except RedactKeyError as exc:
                fail(str(exc))
            if not from_env:
                what = "--redact uses" if redact else f"the redacted {'/'.join(shared)} output uses"
                click.echo(
                    f"b12lint: note: {KEY_ENV} is not set: {what} a random key for this "
                    "run, so its hashes match no other run (set it to compare runs).",
                    err=True,
                )
            hasher = Hasher(key)
        return cls(
            exceptions=tuple(exceptions),
            baseline=baseline,
            write_baseline=write_path,
            show_suppressed=bool(options.get("show_suppressed")),
            statistics=bool(options.get("statistics")),
            redact=redact,
            redact_shared=redact_shared,
            hasher=hasher,
        )

    def audit(self, formats: Collection[str], *, scoped: bool = False) -> Audit:
        """A fresh :class:`Audit` for one run (or request) writing ``formats``; ``scoped``
        (a request to the service): only the exceptions and baseline entries that concern
        its encounters (:mod:`b12lint.suppress.scope`)."""
        redacted = self.redact or (
            self.redact_shared and any(fmt in SHARED_FORMATS for fmt in formats)
        )
        return Audit(
            exceptions=list(self.exceptions),
            baseline=self.baseline,
            write_baseline=self.write_baseline,
            show_suppressed=self.show_suppressed,
            statistics=self.statistics,
            redactor=Redactor(self.hasher) if redacted and self.hasher is not None else None,
            redact_all=self.redact,
            collect_encounters="junit" in formats,
            collect_billing="html" in formats,
            scoped=scoped,
        )


@dataclass
class Audit:
    """Everything between the engine and the reporters for one ``check`` run."""

    exceptions: list[ExceptionEntry] = field(default_factory=list)
    baseline: Baseline | None = None
    write_baseline: str | None = None
    show_suppressed: bool = False
    statistics: bool = False
    redactor: Redactor | None = None
    """Set when any output is redacted (``--redact``, or SARIF/GitHub by default)."""
    redact_all: bool = False
    """``--redact``: every format is redacted (else only :data:`SHARED_FORMATS`)."""
    shared: Report | None = None
    """The redacted report for :data:`SHARED_FORMATS` when the others are not redacted."""
    collect_encounters: bool = False
    encounters: RefSink = field(default_factory=RefSink)
    """The records read, for JUnit (spilled past the threshold: :meth:`spill_to`)."""
    collect_billing: bool = False
    """The HTML audit report counts charges at risk and compares providers."""
    billing: list[EncounterBilling] = field(default_factory=list)
    scoped: bool = False
    """Suppress and note with the exceptions and baseline entries of the encounters read."""
    read_ids: set[str] = field(default_factory=set)
    """The encounter ids read (when :attr:`scoped`)."""

    @classmethod
    def from_options(cls, options: dict[str, Any], config: Config, pairs: Pairs) -> Audit:
        """Validate the options and configuration now; every problem is exit 2."""
        formats = [fmt for fmt, _ in pairs]
        return AuditSettings.load(options, config, formats).audit(formats)

    def spill_to(self, area: SpillArea) -> None:
        """Keep what grows with the batch (the encounters JUnit lists) in ``area`` past its
        threshold, not in memory."""
        self.encounters = RefSink(area)

    def stdout_pairs(self, pairs: Pairs) -> Pairs:
        """With ``--statistics``, the statistics take the place of text on stdout."""
        if not self.statistics:
            return pairs
        to_stdout = [fmt for fmt, out in pairs if out in (None, "-")]
        if to_stdout and to_stdout != ["text"]:
            fail(f"--statistics prints to stdout: give --output FILE for --format {to_stdout[0]}")
        return [(fmt, out) for fmt, out in pairs if out not in (None, "-")]

    def tap(self, paths: Sequence[str]) -> Callable[[Iterator[Item]], Iterator[Item]]:
        """What watches the records on their way to the engine: the progress line on a
        terminal, then :meth:`watch`."""

        def tapped(items: Iterator[Item]) -> Iterator[Item]:
            stream: Iterable[Item] = items
            if wanted(sys.stderr):
                stream = Progress(sys.stderr, expand(paths)).watch(stream)
            yield from self.watch(stream)

        return tapped

    def watch(self, items: Iterable[Item]) -> Iterator[Item]:
        """Note what redaction, JUnit and the HTML report need of each record on its way."""
        stream = items
        if self.scoped:
            stream = self._note_ids(stream)
        if self.redactor is not None:
            stream = self.redactor.watch(stream)
        if self.collect_encounters:
            stream = self._collect(stream)
        if self.collect_billing:
            stream = self._bill(stream)
        yield from stream

    def _note_ids(self, items: Iterable[Item]) -> Iterator[Item]:
        ids = self.read_ids
        for item in items:
            if isinstance(item, Record):
                ids.add(item.encounter["encounter_id"])
            yield item

    def _collect(self, items: Iterable[Item]) -> Iterator[Item]:
        refs = self.encounters
        for item in items:
            if isinstance(item, Record):
                encounter_id: str = item.encounter["encounter_id"]
                refs.append(EncounterRef(item.source.file, item.source.line, encounter_id))
            yield item

    def _bill(self, items: Iterable[Item]) -> Iterator[Item]:
        billing = self.billing
        for item in items:
            if isinstance(item, Record):
                billing.append(billing_of(item))
            yield item

    def _checked_billing(self, report: Report) -> list[EncounterBilling]:
        """The billing of the encounters that were checked (not of duplicate ids)."""
        duplicates = {
            (f.location.file, f.location.line, f.encounter_id)
            for f in report.findings
            if f.rule_id == DUPLICATE.id
        }
        return [b for b in self.billing if b.key not in duplicates]

    def _write_baseline(self, path: str, findings: Iterable[Finding], version: str) -> Baseline:
        display = self.redactor.hasher.id if self.redactor and self.redact_all else None
        baseline = Baseline.of(findings, display_id=display)
        try:
            with atomic_text(path, private=not self.redact_all) as handle:
                handle.write(baseline.to_json(version).decode("utf-8"))
        except OSError as exc:
            fail(f"cannot write baseline {path}: {exc.strerror or exc}")
        n = sum(e.count for e in baseline.entries.values())
        click.echo(f"b12lint: wrote baseline {path} ({n} finding{'s' if n != 1 else ''})", err=True)
        return baseline

    def finish(self, report: Report, extra_ids: Sequence[str] = ()) -> Report:
        """Suppress (exceptions, then the baseline), write a baseline, redact.

        ``extra_ids`` are encounter ids that messages may name beyond the batch's own (the
        earlier encounters a history store supplied): redaction hashes them too.
        """
        if self.collect_billing:
            report = replace(report, billing=self._checked_billing(report))
        exceptions: Sequence[ExceptionEntry] = self.exceptions
        baseline = self.baseline
        if self.scoped:
            hashed = self.redactor.hasher.id if self.redactor is not None else None
            exceptions, baseline = scoped(
                exceptions, baseline, report.findings, self.read_ids, dt.date.today(), hashed
            )
        report, suppressed = suppress(report, exceptions=exceptions)
        if self.write_baseline is not None:
            baseline = self._write_baseline(
                self.write_baseline, report.findings, report.tool_version
            )
        if baseline is not None:
            report, by_baseline = suppress(report, baseline=baseline)
            suppressed = merged(suppressed, by_baseline) if self.show_suppressed else by_baseline
        report = replace(
            report,
            suppressed=suppressed if self.show_suppressed else [],
            encounters=self.encounters.sorted(),
        )
        if self.redactor is not None:
            extra = [*extra_ids, *(e.encounter for e in exceptions if e.encounter)]
            if baseline is not None:
                extra += [e.encounter_id for e in baseline.entries.values() if e.encounter_id]
            redacted = self.redactor.report(report, extra_ids=extra)
            if self.redact_all:
                return redacted
            self.shared = redacted
        return report


def print_notes(report: Report, pairs: Pairs) -> None:
    """Notes go to stderr unless the text report on stdout shows them."""
    if any(fmt == "text" and out in (None, "-") for fmt, out in pairs):
        return
    for note in report.notes:
        click.echo(f"b12lint: note: {note}", err=True)
