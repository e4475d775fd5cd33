"""``check --jobs N``: the report of a run checked in several processes (:mod:`b12lint.parallel`).

What the record taps of a one-process run see (``--redact``'s ids and free text, JUnit's
encounter list, the progress line) is collected by the workers and handed to the
:class:`~b12lint.cli.audit.Audit` here, so every output is the same as with ``--jobs 1``.
"""

from __future__ import annotations

import functools
import os
import sys
from collections.abc import Callable, Sequence
from typing import TYPE_CHECKING, Any, TypeVar

import click

from b12lint.cli.audit import Audit
from b12lint.cli.common import fail, router_from_config
from b12lint.cli.progress import Progress, wanted
from b12lint.config import Config
from b12lint.engine import Router, Ruleset
from b12lint.engine.spill import SpillArea
from b12lint.history import HistoryError
from b12lint.model import Report
from b12lint.readers import CsvOptions, InputPathError, Limits, expand

if TYPE_CHECKING:
    from b12lint.history.session import HistorySession
    from b12lint.parallel import RulesetFactory, Task
    from b12lint.parallel.worker import ShareResult

#: Less input than this is checked in this process whatever --jobs says: starting workers
#: would cost more than they save (the parallel machinery is not even imported).
SMALL_INPUT_BYTES = 4 << 20

F = TypeVar("F", bound=Callable[..., Any])


def jobs_option(fn: F) -> F:
    """``--jobs/-j N``."""
    return click.option(
        "--jobs",
        "-j",
        type=click.IntRange(min=1),
        default=None,
        metavar="N",
        help="Check in N processes (default: the CPUs available) [config: jobs]; "
        "the output is the same for every N.",
    )(fn)


def resolve_jobs(given: int | None, config: Config) -> int:
    """``--jobs``, else ``jobs`` of the configuration, else the CPUs this process may use."""
    if given is not None:
        return given
    configured = config.get("jobs")
    return int(configured) if configured is not None else cpus()


def cpus() -> int:
    """The CPUs this process may run on."""
    try:
        return max(1, len(os.sched_getaffinity(0)))
    except AttributeError:  # not on Linux
        return max(1, os.cpu_count() or 1)


def worth_parallel(paths: Sequence[str]) -> bool:
    """Whether the inputs are big enough for worker processes (stdin: maybe, it is spilled).

    A path that cannot be read is left for the reader to report.
    """
    total = 0
    try:
        for _, path in expand(paths):
            if path is None:
                return True
            total += path.stat().st_size
    except (InputPathError, OSError):
        return False
    return total >= SMALL_INPUT_BYTES


def ruleset_factory(
    config: Config,
    rule_dirs: Sequence[str],
    no_builtin: bool,
    select: Sequence[str],
    ignore: Sequence[str],
    payers: Sequence[str] = (),
) -> RulesetFactory:
    """How a worker builds the run's rules: the same packs, payer routes and selection, from
    the same configuration and options (a picklable partial, never compiled rules)."""
    return functools.partial(
        router_from_config,
        config,
        tuple(rule_dirs),
        no_builtin,
        tuple(select),
        tuple(ignore),
        tuple(payers),
    )


class _ShareProgress:
    """Advances the progress line as shares finish, in input order."""

    def __init__(self, progress: Progress) -> None:
        self.progress = progress
        self.lines: dict[str, int] = {}

    def __call__(self, task: Task, share: ShareResult) -> None:
        line: int | None = None
        if task.ranged:
            line = self.lines[task.display] = self.lines.get(task.display, 0) + share.lines
        self.progress.advance(share.encounters + share.input_errors, task.display, line)


def parallel_report(
    paths: Sequence[str],
    ruleset: Ruleset | Router,
    factory: RulesetFactory,
    jobs: int,
    input_format: str | None,
    limits: Limits,
    audit: Audit,
    assemble: Callable[..., Report],
    *,
    charts: Sequence[str] = (),
    csv: CsvOptions | None = None,
    history: HistorySession | None = None,
    spill: SpillArea | None = None,
) -> Report:
    """Read and lint ``paths`` with ``jobs`` processes; the report a single process makes."""
    from b12lint.parallel import Options, run_parallel

    options = Options(
        forced=input_format,
        limits=limits,
        csv=csv,
        charts=tuple(charts),
        encounters=audit.collect_encounters,
        redact=audit.redactor is not None,
        billing=audit.collect_billing,
    )
    progress = None
    try:
        if wanted(sys.stderr):
            progress = Progress(sys.stderr, expand(paths))
        run = run_parallel(
            paths,
            ruleset,
            factory,
            jobs,
            options,
            context=history.context if history is not None else None,
            keep_events=history is not None,
            spill=spill,
            progress=_ShareProgress(progress) if progress is not None else None,
        )
    except InputPathError as exc:
        fail(str(exc))
    except HistoryError as exc:
        fail(f"history: {exc}")
    finally:
        if progress is not None:
            progress.clear()
    audit.encounters = run.encounters  # the workers read the records: none tapped here
    audit.billing.extend(run.billing)
    if audit.redactor is not None:
        audit.redactor.absorb(run.redact_ids, run.redact_texts)
    if history is not None:
        history.checked(run.result)
    return assemble(paths, ruleset, run.result, run.notes)
