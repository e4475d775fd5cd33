"""The distributed run: b12lint's own readers and engine in Spark tasks, merged as one process.

1. Each task checks one share (a byte range of a ``.jsonl`` file or a whole file, exactly as
   ``--jobs`` cuts them, or one partition of a DataFrame) with the ordinary
   :class:`~b12lint.parallel.worker.Worker`; the share results are persisted.
2. The driver collects what is small: line counts (a range's lines follow the ranges before
   it), record counts, the rulesets used, chart records used.
3. Duplicate encounter ids: ids are counted by key; those read more than once are gathered on
   the driver, and every occurrence but the first in input order becomes the duplicate input
   finding it is (its findings and history event dropped, the counts corrected).
4. History rules: events are keyed by (patient, date, encounter), repartitioned by a stable
   hash of the patient and sorted within partitions; each task walks its patients one at a
   time through the same :class:`~b12lint.engine.history.PatientHistory` and rules.
5. Findings (the shares', the duplicates', the chart's input errors, the history rules')
   become a DataFrame of the JSON report's columns, ordered as the report orders them.
"""

from __future__ import annotations

import operator
import pickle
import zlib
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass, field, replace
from typing import Any

from b12lint.engine import Linter
from b12lint.engine.history import Event, PatientHistory
from b12lint.engine.linter import duplicate_error, history_findings, input_finding
from b12lint.model import Finding, Report, Source, Summary
from b12lint.parallel.shares import Task
from b12lint.parallel.wire import EventDecoder, event_key, row_file, row_line
from b12lint.parallel.worker import (
    IN_SCOPE,
    WITHOUT_CHART,
    Options,
    RulesetFactory,
    ShareResult,
    Worker,
)
from b12lint.readers import Chart, Item
from b12lint.spark.rows import FINDING_COLUMNS, SparkRow, from_spark, row_item, spark_row, to_spark

#: Workers of this Python process, by (factory, options): executors reuse their Python workers.
_WORKERS: dict[bytes, Worker] = {}

DupKey = tuple[int, str, int]
"""(share index, file, line relative to the share) of a record."""


def worker(factory: RulesetFactory, options: Options) -> Worker:
    """This process's worker for a ruleset factory and options (built once)."""
    key = pickle.dumps((factory, options))
    found = _WORKERS.get(key)
    if found is None:
        found = _WORKERS[key] = Worker(factory(), options)
    return found


def check_task(factory: RulesetFactory, options: Options, task: Task) -> ShareResult:
    """Stage 1 for files: check one share."""
    return worker(factory, options).check(task)


def check_rows(
    factory: RulesetFactory,
    options: Options,
    text: bool,
    index: int,
    rows: Iterable[tuple[Any, int | None]],
) -> Iterator[ShareResult]:
    """Stage 1 for a DataFrame: check the (row, row number) pairs of partition ``index``."""
    limits = options.limits

    def items() -> Iterator[Item]:
        for row, number in rows:
            item = row_item(row, text, limits, number)
            if item is not None:
                yield item

    yield worker(factory, options).check_items(index, items())


@dataclass
class Meta:
    """What the driver needs of a share, besides its findings and events."""

    index: int
    lines: int
    encounters: int
    b12_encounters: int
    input_errors: int
    without_chart: int
    routes: list[int]
    chart_used: list[str]
    not_judged: dict[str, int] = field(default_factory=dict)
    notes: list[str] = field(default_factory=list)


def share_meta(share: ShareResult) -> Meta:
    """The small part of a share result."""
    return Meta(
        share.index,
        share.lines,
        share.encounters,
        share.b12_encounters,
        share.input_errors,
        share.without_chart,
        share.routes,
        share.chart_used,
        share.not_judged,
        share.notes,
    )


Place = tuple[int, int, str, int, int]
"""(share index, position in the share, file, line, flags) of a checked record."""


def share_ids(share: ShareResult) -> Iterator[tuple[str, Place]]:
    """(encounter id, place) of every record a share checked, in its input order."""
    index = share.index
    for position, (eid, file, line, flags) in enumerate(
        zip(share.ids, share.id_files, share.id_lines, share.flags, strict=True)
    ):
        yield eid, (index, position, file, line, flags)


def share_findings(
    dups: dict[DupKey, Any], offsets: dict[int, int], share: ShareResult
) -> Iterator[SparkRow]:
    """A share's findings as DataFrame rows, but those of records that are duplicates."""
    index = share.index
    offset = offsets.get(index, 0)
    for row in share.findings:
        if dups and (index, row_file(row), row_line(row)) in dups:
            continue
        yield spark_row(row, offset)


def share_events(
    dups: dict[DupKey, Any], offsets: dict[int, int], share: ShareResult
) -> Iterator[tuple[tuple[str, int, str], tuple[Any, int]]]:
    """A share's events keyed (patient, date, encounter) for the history stage."""
    index = share.index
    offset = offsets.get(index, 0)
    for row in share.events:
        if dups:
            file, line = event_key(row)
            if (index, file, line) in dups:
                continue
        # event rows: (route, encounter id, patient id, date ordinal, ...)
        yield (row[2], row[3], row[1]), (row, offset)


def patient_partition(key: tuple[str, int, str]) -> int:
    """A stable hash of the patient (Python's own hash of text differs between processes)."""
    return zlib.crc32(key[0].encode("utf-8", "surrogatepass"))


def history_partition(
    factory: RulesetFactory, options: Options, pairs: Iterable[tuple[Any, tuple[Any, int]]]
) -> Iterator[SparkRow]:
    """The history findings of one partition's patients (their events sorted by key)."""
    linter = Linter(worker(factory, options).ruleset)
    decoder = EventDecoder()
    patient: str | None = None
    group: list[Event] = []
    for key, (row, offset) in pairs:
        if key[0] != patient:
            yield from _patient_findings(group)
            patient, group = key[0], []
        event, route = decoder.event(row, offset)
        linter.set_route(event, route)
        group.append(event)
    yield from _patient_findings(group)


def _patient_findings(events: list[Event]) -> Iterator[SparkRow]:
    if not events:
        return
    history = PatientHistory()
    history.extend(events)
    for f in history_findings(history.events()):
        yield to_spark(f)


@dataclass
class SparkResult:
    """Findings as a DataFrame (the JSON report's columns, in report order) and the summary."""

    findings: Any
    """A ``pyspark.sql.DataFrame`` of :data:`~b12lint.spark.rows.FINDING_COLUMNS`."""
    summary: Summary
    rulesets: list[dict[str, object]] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)

    def collect(self) -> list[Finding]:
        """Every finding, on the driver, in report order (for small results)."""
        return [from_spark(row) for row in self.findings.collect()]

    def report(self, version: str) -> Report:
        """The run as a b12lint report (collects the findings: for small results)."""
        return Report(
            findings=self.collect(),
            summary=self.summary,
            rulesets=self.rulesets,
            tool_version=version,
        )


def finish(
    spark: Any,
    shares: Any,
    factory: RulesetFactory,
    options: Options,
    *,
    ranged: dict[int, str],
    chart: Chart | None = None,
    history_partitions: int | None = None,
) -> SparkResult:
    """Stages 2-5 over the persisted share results (an RDD of :class:`ShareResult`).

    ``ranged`` maps the index of each byte-range share to its file (their lines are offset).
    Shares must be in input order, and each share's records too (the first of two records
    with one encounter id is checked, the other is the duplicate).
    """
    from pyspark import StorageLevel

    sc = spark.sparkContext
    ruleset = factory()
    linter = Linter(ruleset)
    metas: list[Meta] = sorted(shares.map(share_meta).collect(), key=operator.attrgetter("index"))
    offsets: dict[int, int] = {}
    running: dict[str, int] = {}
    for meta in metas:
        file = ranged.get(meta.index)
        if file is not None:
            offsets[meta.index] = running.get(file, 0)
            running[file] = offsets[meta.index] + meta.lines
    summary = Summary()
    routes: set[int] = set()
    used: set[str] = set()
    reader_notes: list[str] = []
    for meta in metas:
        summary.encounters += meta.encounters
        summary.b12_encounters += meta.b12_encounters
        summary.input_errors += meta.input_errors
        summary.without_chart += meta.without_chart
        for kind, count in meta.not_judged.items():
            summary.not_judged[kind] = summary.not_judged.get(kind, 0) + count
        reader_notes.extend(meta.notes)
        routes.update(meta.routes)
        used.update(meta.chart_used)

    driver_rows: list[SparkRow] = []
    if chart is not None:
        for error in chart.errors:
            summary.input_errors += 1
            driver_rows.append(to_spark(input_finding(error)))
    dups = _duplicates(shares)
    for (index, file, line), (eid, flags) in sorted(dups.items()):
        summary.encounters -= 1
        summary.input_errors += 1
        summary.b12_encounters -= 1 if flags & IN_SCOPE else 0
        summary.without_chart -= 1 if flags & WITHOUT_CHART else 0
        source = Source(file, line + offsets.get(index, 0))
        driver_rows.append(to_spark(input_finding(duplicate_error(source, eid))))

    dups_b = sc.broadcast(dups)
    offsets_b = sc.broadcast(offsets)
    rows = shares.flatMap(lambda s: share_findings(dups_b.value, offsets_b.value, s))
    if linter.wants_context:
        partitions = history_partitions or sc.defaultParallelism
        keyed = shares.flatMap(lambda s: share_events(dups_b.value, offsets_b.value, s))
        ordered = keyed.repartitionAndSortWithinPartitions(partitions, patient_partition)
        rows = rows.union(ordered.mapPartitions(lambda p: history_partition(factory, options, p)))
    if driver_rows:
        rows = rows.union(sc.parallelize(driver_rows, 1))
    frame = spark.createDataFrame(rows, schema=FINDING_COLUMNS)
    frame = _ordered(frame).persist(StorageLevel.MEMORY_AND_DISK)
    by_severity = {"error": 0, "warning": 0, "info": 0}
    for row in frame.groupBy("severity").count().collect():
        by_severity[row["severity"]] = row["count"]
    summary.by_severity = by_severity
    summary.findings = sum(by_severity.values())
    linter.adopt((), (), sorted(routes))
    notes: list[str] = []
    if chart is not None:
        chart = replace(chart, used=used)
        notes = chart.notes()
    notes += reader_notes
    return SparkResult(frame, summary, rulesets=linter.rulesets_used(), notes=notes)


def _duplicates(shares: Any) -> dict[DupKey, tuple[str, int]]:
    """Every record whose encounter id an earlier record (in input order: shares in order,
    each in its own order) already had."""
    ids = shares.flatMap(share_ids)
    repeated = (
        ids.map(lambda pair: (pair[0], 1))
        .reduceByKey(operator.add)
        .filter(lambda pair: pair[1] > 1)
        .keys()
        .collect()
    )
    if not repeated:
        return {}
    wanted = set(repeated)
    places = ids.filter(lambda pair: pair[0] in wanted).collect()
    by_id: dict[str, list[Place]] = {}
    for eid, place in places:
        by_id.setdefault(eid, []).append(place)
    out: dict[DupKey, tuple[str, int]] = {}
    for eid, found in by_id.items():
        for index, _, file, line, flags in sorted(found)[1:]:
            out[(index, file, line)] = (eid, flags)
    return out


def _ordered(frame: Any) -> Any:
    """Report order: file, line, encounter, rule, pointer, message (as ``Finding.sort_key``)."""
    from pyspark.sql import functions as fn

    return frame.orderBy(
        fn.col("location.file"),
        fn.coalesce(fn.col("location.line"), fn.lit(-1)),
        fn.coalesce(fn.col("encounter_id"), fn.lit("")),
        fn.col("rule_id"),
        fn.col("location.pointer"),
        fn.col("message"),
    )


def ranged_shares(tasks: Sequence[Task]) -> dict[int, str]:
    """The index and file of every byte-range task."""
    return {t.index: t.display for t in tasks if t.ranged}
