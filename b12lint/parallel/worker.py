"""What a ``--jobs`` worker process does: check one share of the input, send back tuples.

A worker builds its own ruleset once (from a picklable factory: pack paths and selection,
never compiled closures) and its own copy of the chart, then checks tasks one by one with the
ordinary readers and :class:`~b12lint.engine.Linter`. It reports the per-encounter findings,
the history events, and what the parent needs to finish the batch as one process would have:
the encounter ids it checked (a record whose id another share read earlier becomes a
duplicate), counts, chart records used, and, when asked, what ``--redact`` and JUnit watch.
History rules run in the parent, over every share's events.
"""

from __future__ import annotations

from array import array
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path

from b12lint.engine import Linter, Router, Ruleset
from b12lint.engine.billing import billing_of
from b12lint.model import EncounterBilling, Record
from b12lint.parallel.shares import Task
from b12lint.parallel.wire import EventRow, FindingRow, event_row, finding_row
from b12lint.readers import (
    DEFAULT_LIMITS,
    Chart,
    CsvOptions,
    Item,
    Limits,
    join,
    load_chart,
    read_file,
    read_range,
)
from b12lint.readers.stats import collecting
from b12lint.redact.redactor import narrative

RulesetFactory = Callable[[], Ruleset | Router]

#: Flags of a checked encounter in :attr:`ShareResult.flags`.
IN_SCOPE = 1
WITHOUT_CHART = 2


@dataclass(frozen=True)
class Options:
    """How every share is read and what is collected (the same for every worker)."""

    forced: str | None = None
    limits: Limits = DEFAULT_LIMITS
    csv: CsvOptions | None = None
    charts: tuple[str, ...] = ()
    """Chart files (absolute paths: workers may run in another folder)."""
    events: bool = False
    """Collect history events (for history rules, or to record them in a history store)."""
    encounters: bool = False
    """Collect (line, encounter id) of every record read (JUnit lists every encounter)."""
    redact: bool = False
    """Collect every patient and encounter id and each encounter's free text (--redact)."""
    billing: bool = False
    """Collect each record's billing (the HTML audit report's charges at risk)."""


@dataclass
class ShareResult:
    """What a worker found in one task; lines relative to the task's first line."""

    index: int
    lines: int = 0
    """Lines in the range (for the next range's offset); 0 for a whole file."""
    findings: list[FindingRow] = field(default_factory=list)
    events: list[EventRow] = field(default_factory=list)
    ids: list[str] = field(default_factory=list)
    """Encounter ids checked (first read in this share), in input order."""
    id_files: list[str] = field(default_factory=list)
    id_lines: array[int] = field(default_factory=lambda: array("q"))
    flags: bytearray = field(default_factory=bytearray)
    encounters: int = 0
    b12_encounters: int = 0
    input_errors: int = 0
    without_chart: int = 0
    not_judged: dict[str, int] = field(default_factory=dict)
    """Resources read but not judged (:mod:`b12lint.readers.stats`), by kind."""
    notes: list[str] = field(default_factory=list)
    """What the readers said about the share's files (``export.json: no FHIR Claim ...``)."""
    chart_used: list[str] = field(default_factory=list)
    routes: list[int] = field(default_factory=list)
    """The rulesets (indexes in ``router.rulesets()``) that judged an encounter."""
    refs: list[tuple[int | None, str]] = field(default_factory=list)
    redact_ids: set[str] = field(default_factory=set)
    redact_texts: dict[str, tuple[str, ...]] = field(default_factory=dict)
    billing: list[EncounterBilling] = field(default_factory=list)
    """Lines relative to the share's first line, like ``refs``."""


class Worker:
    """A worker's state: its ruleset and chart, built once per process."""

    def __init__(
        self, ruleset: Ruleset | Router, options: Options, chart: Chart | None = None
    ) -> None:
        self.ruleset = ruleset
        self.options = options
        self._chart = None if chart is None else Chart(records=chart.records)

    def chart(self) -> Chart:
        """The chart records (their input errors are reported once, by the parent)."""
        if self._chart is None:
            loaded = load_chart(self.options.charts, self.options.limits)
            self._chart = Chart(records=loaded.records)
        return self._chart

    def items(self, task: Task) -> Iterator[Item]:
        """The items of one task, joined with the chart."""
        options = self.options
        items: Iterator[Item]
        if task.size is not None:
            items = read_range(task.display, Path(task.path), task.start, task.size, options.limits)
        elif task.stdin:
            items = self._stdin(task)
        else:
            items = read_file(
                task.display,
                Path(task.path),
                forced=options.forced,
                limits=options.limits,
                csv=options.csv,
            )
        if options.charts:
            chart = self.chart()
            chart.used = set()
            items = join(items, chart)
        return items

    def _stdin(self, task: Task) -> Iterator[Item]:
        options = self.options
        with Path(task.path).open("rb") as handle:
            yield from read_file(
                task.display,
                None,
                forced=options.forced,
                limits=options.limits,
                stdin=handle,
                csv=options.csv,
            )

    def check(self, task: Task) -> ShareResult:
        """Check one task."""
        with collecting() as stats:
            out = self.check_items(task.index, self.items(task))
        out.not_judged = dict(stats.not_judged)
        out.notes = list(stats.notes)
        if task.size is not None:
            out.lines = count_lines(Path(task.path), task.start, task.size)
        return out

    def check_items(self, index: int, items: Iterable[Item]) -> ShareResult:
        """Check the items of share ``index`` (a task's, or rows of a Spark partition)."""
        options = self.options
        out = ShareResult(index)
        linter = Linter(self.ruleset, keep_events=options.events)
        summary = linter.summary
        findings = out.findings
        for item in items:
            if options.redact:
                _observe(out, item)
            if options.encounters and isinstance(item, Record):
                out.refs.append((item.source.line, item.encounter["encounter_id"]))
            if options.billing and isinstance(item, Record):
                out.billing.append(billing_of(item))
            encounters, b12, without = (
                summary.encounters,
                summary.b12_encounters,
                summary.without_chart,
            )
            for f in linter.check(item):
                findings.append(finding_row(f))
            if summary.encounters != encounters:
                assert isinstance(item, Record)
                out.ids.append(item.encounter["encounter_id"])
                out.id_files.append(item.source.file)
                out.id_lines.append(item.source.line or 0)
                flag = IN_SCOPE if summary.b12_encounters != b12 else 0
                out.flags.append(flag | (WITHOUT_CHART if summary.without_chart != without else 0))
        out.events = [event_row(e, linter.route_of(e)) for e in linter.events()]
        out.routes = linter.routes_used()
        out.encounters = summary.encounters
        out.b12_encounters = summary.b12_encounters
        out.input_errors = summary.input_errors
        out.without_chart = summary.without_chart
        if options.charts:
            out.chart_used = sorted(self.chart().used)
        return out


def _observe(out: ShareResult, item: Item) -> None:
    """What :meth:`b12lint.redact.Redactor.observe` remembers of one item."""
    if not isinstance(item, Record):
        if item.encounter_id:
            out.redact_ids.add(item.encounter_id)
        return
    raw = item.encounter
    encounter_id = raw["encounter_id"]
    out.redact_ids.add(encounter_id)
    patient = raw.get("patient_id")
    if isinstance(patient, str) and patient:
        out.redact_ids.add(patient)
    texts = narrative(raw)
    if texts:
        out.redact_texts[encounter_id] = (*out.redact_texts.get(encounter_id, ()), *texts)


def count_lines(path: Path, start: int, size: int) -> int:
    """Line breaks in ``size`` bytes from ``start`` (a range ends at a line start)."""
    count = 0
    with path.open("rb") as handle:
        handle.seek(start)
        left = size
        while left > 0:
            block = handle.read(min(left, 1 << 20))
            if not block:
                break
            count += block.count(b"\n")
            left -= len(block)
    return count


# The worker processes' state and entry points (module level: pickled by reference).
_WORKER: Worker | None = None


def initialize(factory: RulesetFactory, options: Options) -> None:
    """Pool initializer: build this process's ruleset once."""
    global _WORKER
    _WORKER = Worker(factory(), options)


def check_task(task: Task) -> ShareResult:
    """Pool entry point: check one task with this process's worker."""
    assert _WORKER is not None, "worker not initialized"
    return _WORKER.check(task)
