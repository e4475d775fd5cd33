"""b12lint on Spark, for volumes past one machine (``pip install "b12lint[spark]"``).

::

    from pyspark.sql import SparkSession
    from b12lint.spark import lint_dataframe, lint_files, lint_path

    spark = SparkSession.builder.getOrCreate()
    result = lint_path(spark, "claims/2026/")          # .jsonl (any b12lint format) or Parquet
    result.findings.write.parquet("findings/")         # the JSON report's columns, in its order
    print(result.summary.report_dict())

    result = lint_dataframe(spark.read.parquet("encounters/"))   # a DataFrame of encounters

Every Spark task runs b12lint's own readers and engine (never pickled rules: each Python
worker builds its ruleset from a picklable factory, like ``--jobs``), and the results are
merged as one process would merge them (:mod:`b12lint.spark.core`): the findings equal
``b12lint check``'s on the same input. Rules across encounters run per patient (events
repartitioned by patient, sorted by date). ``python -m b12lint.spark`` (or ``spark-submit``
of :mod:`b12lint.spark.submit`) writes the findings as Parquet or JSON lines.

Inputs:

- files (:func:`lint_files`): paths every executor can read (local mode, a shared mount);
  ``.jsonl`` files are cut by byte range like ``--jobs``, other formats read whole;
- a DataFrame (:func:`lint_dataframe`) of structured encounters (columns named as the native
  record's fields, as Parquet holds them) or of JSON text (one ``value`` column, as
  ``spark.read.text`` gives). Optional ``_file`` / ``_line`` columns locate the findings and
  decide which of two records with one encounter id is first; without them findings locate
  at ``<dataframe>`` and the row's number in the DataFrame's order. Structured rows need
  Spark types that hold the record's values: a dose or route written sometimes as text and
  sometimes as an object is best kept as JSON text.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import replace
from functools import partial
from pathlib import Path
from typing import Any

from b12lint.engine import Linter, load_ruleset
from b12lint.parallel import plan
from b12lint.parallel.worker import Options, RulesetFactory
from b12lint.readers import expand_inputs, load_chart
from b12lint.spark.core import SparkResult, check_rows, check_task, finish, ranged_shares
from b12lint.spark.rows import FILE_COLUMN, FINDING_COLUMNS, LINE_COLUMN, TEXT_COLUMN

__all__ = [
    "FINDING_COLUMNS",
    "Options",
    "SparkResult",
    "lint_dataframe",
    "lint_files",
    "lint_path",
]

MISSING = 'b12lint.spark needs pyspark: pip install "b12lint[spark]" (and Java 17 or later)'


def _storage() -> Any:
    try:
        from pyspark import StorageLevel
    except ImportError:  # pragma: no cover - depends on the installation
        raise ImportError(MISSING) from None
    return StorageLevel.MEMORY_AND_DISK


def _with_events(factory: RulesetFactory, options: Options) -> Options:
    """The workers' options: history events only when a history rule is selected, chart
    files by absolute path (executors run in another folder)."""
    return replace(
        options,
        events=Linter(factory()).wants_context,
        charts=tuple(str(Path(c).absolute()) for c in options.charts),
    )


def lint_files(
    spark: Any,
    paths: Sequence[str],
    *,
    factory: RulesetFactory = load_ruleset,
    options: Options = Options(),  # noqa: B008 (a frozen dataclass)
    history_partitions: int | None = None,
) -> SparkResult:
    """Lint files and directories (as ``b12lint check`` reads them) in Spark tasks.

    The paths must be readable from every executor. ``factory`` builds the ruleset (or payer
    router) in each Python worker: a module-level function or a ``functools.partial`` of one.
    """
    storage = _storage()
    if "-" in paths:
        raise ValueError("lint_files reads files, not stdin")
    sc = spark.sparkContext
    work = plan(paths, max(2, sc.defaultParallelism), forced=options.forced, limits=options.limits)
    chart = load_chart(options.charts, options.limits) if options.charts else None
    options = _with_events(factory, options)
    shares = (
        sc.parallelize(work.tasks, max(1, len(work.tasks)))
        .map(partial(check_task, factory, options))
        .persist(storage)
    )
    try:
        result = finish(
            spark,
            shares,
            factory,
            options,
            ranged=ranged_shares(work.tasks),
            chart=chart,
            history_partitions=history_partitions,
        )
    finally:
        shares.unpersist()
    result.summary.skipped_files = dict(expand_inputs(paths, options.limits).skipped)
    return result


def lint_dataframe(
    df: Any,
    *,
    factory: RulesetFactory = load_ruleset,
    options: Options = Options(),  # noqa: B008 (a frozen dataclass)
    text: bool | None = None,
    history_partitions: int | None = None,
) -> SparkResult:
    """Lint a DataFrame of encounters: structured rows, or JSON text in a ``value`` column.

    ``text`` defaults to True when there is a ``value`` column and no ``encounter_id`` one.
    With ``_file``/``_line`` columns rows are checked in (file, line) order; without, in the
    DataFrame's order, numbered from 1.
    """
    storage = _storage()
    columns = set(df.columns)
    if text is None:
        text = TEXT_COLUMN in columns and "encounter_id" not in columns
    order = [c for c in (FILE_COLUMN, LINE_COLUMN) if c in columns]
    if order:
        df = df.orderBy(*order)
    options = _with_events(factory, options)
    rows = df.rdd.zipWithIndex().map(lambda pair: (pair[0], pair[1] + 1))
    check = partial(check_rows, factory, options, text)
    shares = rows.mapPartitionsWithIndex(check).persist(storage)
    try:
        return finish(
            df.sparkSession,
            shares,
            factory,
            options,
            ranged={},
            history_partitions=history_partitions,
        )
    finally:
        shares.unpersist()


def lint_path(
    spark: Any,
    path: str,
    *,
    factory: RulesetFactory = load_ruleset,
    options: Options = Options(),  # noqa: B008 (a frozen dataclass)
    history_partitions: int | None = None,
) -> SparkResult:
    """A directory (or file) of Parquet encounters, else of files ``b12lint check`` reads."""
    base = Path(path)
    parquet = base.suffix == ".parquet" or (base.is_dir() and any(base.rglob("*.parquet")))
    if parquet:
        return lint_dataframe(
            spark.read.parquet(path),
            factory=factory,
            options=options,
            history_partitions=history_partitions,
        )
    return lint_files(
        spark, [path], factory=factory, options=options, history_partitions=history_partitions
    )
