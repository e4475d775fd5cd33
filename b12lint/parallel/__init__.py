"""``--jobs N``: check a batch in several processes, with the output of one.

The input is cut into shares (:mod:`~b12lint.parallel.shares`: big ``.jsonl`` files by byte
range at line starts, other files whole; stdin is spilled to a temporary file first); worker
processes check them (:mod:`~b12lint.parallel.worker`), each with a ruleset it built itself
from a picklable factory; the parent merges their results in input order and runs the
history rules over every share's events (:mod:`~b12lint.parallel.merge`). Findings, summary
and every report byte equal those of a single process (``tests/scale/test_parallel.py``).

Workers start with ``forkserver`` where the platform has it (a server process that imported
b12lint once forks each worker), else ``spawn``: nothing of the parent's state is inherited,
so the design holds under either.
"""

from __future__ import annotations

import multiprocessing
from collections import deque
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, field, replace
from multiprocessing.context import BaseContext
from multiprocessing.pool import AsyncResult, Pool
from pathlib import Path
from typing import IO

from b12lint.engine import Linter, Result, Router, Ruleset
from b12lint.engine.encounterrefs import RefSink
from b12lint.engine.linter import ContextSource
from b12lint.engine.spill import SpillArea
from b12lint.engine.spilled import FindingSink
from b12lint.model import EncounterBilling
from b12lint.parallel.merge import Merger
from b12lint.parallel.shares import Plan, Task, default_jobs, plan
from b12lint.parallel.worker import (
    Options,
    RulesetFactory,
    ShareResult,
    Worker,
    check_task,
    initialize,
)
from b12lint.readers import load_chart

__all__ = [
    "Options",
    "ParallelRun",
    "Plan",
    "RulesetFactory",
    "Task",
    "default_jobs",
    "plan",
    "run_parallel",
]

Progress = Callable[[Task, ShareResult], None]


@dataclass
class ParallelRun:
    """A finished parallel run: the result and what the CLI's taps would have seen."""

    result: Result
    notes: list[str] = field(default_factory=list)
    encounters: RefSink = field(default_factory=RefSink)
    billing: list[EncounterBilling] = field(default_factory=list)
    redact_ids: set[str] = field(default_factory=set)
    redact_texts: dict[str, tuple[str, ...]] = field(default_factory=dict)
    processes: int = 1


def _mp_context() -> BaseContext:
    methods = multiprocessing.get_all_start_methods()
    if "forkserver" in methods:
        ctx = multiprocessing.get_context("forkserver")
        ctx.set_forkserver_preload(["b12lint.parallel.worker"])
        return ctx
    return multiprocessing.get_context("spawn")


def _pool(processes: int, factory: RulesetFactory, options: Options) -> Pool | None:
    """Worker processes, or None where they cannot be started (then one process checks
    everything: the same result, slower)."""
    try:
        return _mp_context().Pool(processes, initializer=initialize, initargs=(factory, options))
    except (OSError, ValueError):  # no /dev/shm, no semaphores, a sandbox without fork
        return None


def in_order(pool: Pool, tasks: Sequence[Task], window: int) -> Iterator[ShareResult]:
    """The tasks' results in task order, with at most ``window`` tasks given to the workers
    and not yet merged: results wait for the parent in memory (``imap`` queues every result
    a busy parent has not taken yet, so memory would grow with the batch)."""
    pending: deque[AsyncResult[ShareResult]] = deque()
    for task in tasks:
        if len(pending) >= window:
            yield pending.popleft().get()
        pending.append(pool.apply_async(check_task, (task,)))
    while pending:
        yield pending.popleft().get()


def run_parallel(
    paths: Sequence[str],
    ruleset: Ruleset | Router,
    factory: RulesetFactory,
    jobs: int,
    options: Options = Options(),  # noqa: B008 (a frozen dataclass)
    *,
    context: ContextSource | None = None,
    keep_events: bool = False,
    stdin: IO[bytes] | None = None,
    progress: Progress | None = None,
    spill: SpillArea | None = None,
) -> ParallelRun:
    """Check ``paths`` with up to ``jobs`` worker processes.

    ``ruleset`` (or payer router) is this process's (history rules run here); ``factory``
    builds the same one in each worker (it must be picklable: a module-level function, or a
    ``functools.partial`` of one with plain arguments). With one share only, or ``jobs``
    1, the share is checked in this process. ``progress`` is called after each share.
    With a ``spill`` area, findings and events past its threshold wait on disk.
    """
    work = plan(paths, jobs, forced=options.forced, limits=options.limits, stdin=stdin)
    try:
        linter = Linter(ruleset, keep_events=keep_events, spill=spill)
        merger = Merger(linter, findings=FindingSink(spill), encounters=RefSink(spill))
        chart = load_chart(options.charts, options.limits) if options.charts else None
        if chart is not None:
            merger.input_errors(chart.errors)
        options = replace(
            options,
            events=linter.wants_context or keep_events,
            charts=tuple(str(Path(c).absolute()) for c in options.charts),
        )
        processes = min(jobs, len(work.tasks))
        pool = _pool(processes, factory, options) if processes > 1 else None
        if pool is None:
            processes = 1
            worker = Worker(ruleset, options, chart)
            shares: Iterator[ShareResult] = (worker.check(task) for task in work.tasks)
        else:
            shares = in_order(pool, work.tasks, processes + 1)
        try:
            for task, share in zip(work.tasks, shares, strict=True):
                merger.add(task, share)
                if progress is not None:
                    progress(task, share)
        finally:
            if pool is not None:
                pool.terminate()
                pool.join()
        result = merger.finish(context=context, keep_events=keep_events)
        notes: list[str] = []
        if chart is not None:
            chart.used = merger.chart_used
            notes = chart.notes()
        notes += merger.notes
        return ParallelRun(
            result,
            notes=notes,
            encounters=merger.encounters,
            billing=merger.billing,
            redact_ids=merger.redact_ids,
            redact_texts=merger.redact_texts,
            processes=max(1, processes),
        )
    finally:
        work.close()
