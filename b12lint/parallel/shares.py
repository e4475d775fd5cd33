"""Shares of the input for ``--jobs``: ``.jsonl`` files cut at line starts, other files whole.

A share is a :class:`Task`. Big ``.jsonl`` files (and ``.jsonl`` on stdin, spilled to a
temporary file first) are cut into byte ranges that each start at the beginning of a line, so
that a worker reads its range with the ordinary reader and numbers its lines from 1; the
parent adds the lines of the ranges before it. Every other format is read whole by one worker.
Tasks are in input order: the order in which the results are merged.
"""

from __future__ import annotations

import itertools
import math
import os
import shutil
import sys
import tempfile
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import IO

from b12lint.readers import DEFAULT_LIMITS, Limits, expand, file_format, stdin_format
from b12lint.readers.streams import plain

#: A range is at least this big: smaller work is not worth a worker's time.
MIN_SHARE_BYTES = 4 << 20
#: And at most this big: a worker's memory and the latency of its result stay bounded, and
#: the parent, which holds up to N + 1 results not yet merged (about 45 MB of rows for 64 MB
#: of input), keeps flat memory: 8 MB ranges (issue 13; 16 MB ones left the largest process
#: at 124.5 MB instead of 105.9 MB on 400,000 records with ``--jobs 2``).
MAX_SHARE_BYTES = 8 << 20
#: Ranges per job: a few each, so that a slow range does not leave the other workers idle.
SHARES_PER_JOB = 4
_SCAN = 1 << 16


@dataclass(frozen=True, slots=True)
class Task:
    """One share of the input: a byte range of a ``.jsonl`` file, or a whole file."""

    index: int
    display: str
    path: str
    """The file's absolute path (workers may run in another folder)."""
    fmt: str | None
    """``jsonl`` for a range; for a whole file the forced format, or None to detect it."""
    start: int = 0
    size: int | None = None
    """Bytes of the range; None: the whole file, read by its format's reader."""
    stdin: bool = False
    """The file holds what was read from stdin (detected as stdin content is)."""

    @property
    def ranged(self) -> bool:
        """Whether this task is a byte range whose lines are numbered from its start."""
        return self.size is not None


@dataclass
class Plan:
    """The tasks of a run and the temporary file stdin was spilled to (if any)."""

    tasks: list[Task]
    spill: Path | None = None
    total_bytes: int = 0
    pipes: list[Path] = field(default_factory=list)
    """Temporary copies of the pipes named on the command line (read once, like stdin)."""

    @property
    def parallel(self) -> bool:
        """Whether there is enough work for several processes."""
        return len(self.tasks) > 1

    def close(self) -> None:
        """Remove the stdin spill file."""
        if self.spill is not None:
            self.spill.unlink(missing_ok=True)
            self.spill = None
        for pipe in self.pipes:
            pipe.unlink(missing_ok=True)
        self.pipes.clear()


def default_jobs() -> int:
    """The CPUs this process may run on."""
    try:
        return max(1, len(os.sched_getaffinity(0)))
    except AttributeError:  # not on Linux
        return max(1, os.cpu_count() or 1)


def spill_stdin(stdin: IO[bytes] | None = None) -> Path:
    """Copy stdin to a private temporary file (``--jobs`` needs to seek in its input)."""
    source = stdin or sys.stdin.buffer
    handle = tempfile.NamedTemporaryFile(prefix="b12lint-stdin-", delete=False)  # noqa: SIM115
    with handle:
        shutil.copyfileobj(source, handle, 1 << 20)
    return Path(handle.name)


def line_starts(path: Path, targets: Sequence[int], size: int) -> list[int]:
    """For each target offset, the first line start at or after it (0 and ``size`` kept)."""
    out = [0]
    with path.open("rb") as handle:
        for target in targets:
            if target <= out[-1]:
                continue
            handle.seek(target - 1)
            position = target - 1
            while True:
                block = handle.read(_SCAN)
                if not block:
                    position = size
                    break
                newline = block.find(b"\n")
                if newline >= 0:
                    position += newline + 1
                    break
                position += len(block)
            if out[-1] < position < size:
                out.append(position)
    out.append(size)
    return out


def share_bytes(total: int, jobs: int) -> int:
    """The size to cut ranges at for ``total`` bytes of ``.jsonl`` and ``jobs`` workers."""
    wanted = math.ceil(total / max(1, jobs * SHARES_PER_JOB))
    return max(MIN_SHARE_BYTES, min(MAX_SHARE_BYTES, wanted))


def plan(
    paths: Sequence[str],
    jobs: int,
    *,
    forced: str | None = None,
    limits: Limits = DEFAULT_LIMITS,
    stdin: IO[bytes] | None = None,
) -> Plan:
    """The tasks for ``paths`` (checked: :class:`~b12lint.readers.InputPathError`)."""
    files = expand(paths)
    result = Plan([])
    entries: list[tuple[str, Path, str | None, bool, int]] = []
    for display, path in files:
        is_stdin = path is None
        if path is None:
            if result.spill is None:
                result.spill = spill_stdin(stdin)
            path = result.spill
        elif not path.is_file() and path.exists():  # a pipe: it can be read only once
            with path.open("rb") as pipe:
                result.pipes.append(spill_stdin(pipe))
            path, is_stdin = result.pipes[-1], True
        try:
            size = path.stat().st_size
            if is_stdin:
                with path.open("rb") as handle:
                    fmt: str | None = stdin_format(handle, forced, limits)
            else:
                fmt = file_format(path, forced, limits)
        except OSError:
            size, fmt = 0, forced  # the worker reports what it cannot read
        entries.append((display, path, fmt, is_stdin, size))
    splittable = sum(size for _, _, fmt, _, size in entries if fmt == "jsonl")
    result.total_bytes = sum(size for *_, size in entries)
    cut = share_bytes(splittable, jobs)
    for display, given, fmt, is_stdin, size in entries:
        path = given.absolute()
        if fmt == "jsonl" and size > cut and plain(path):
            count = math.ceil(size / cut)
            bounds = line_starts(path, [size * i // count for i in range(1, count)], size)
            for start, end in itertools.pairwise(bounds):
                result.tasks.append(
                    Task(len(result.tasks), display, str(path), "jsonl", start, end - start)
                )
            continue
        result.tasks.append(Task(len(result.tasks), display, str(path), forced, stdin=is_stdin))
    return result
