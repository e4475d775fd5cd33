"""Spilling to disk: a private temporary folder, and rows that travel through it as JSON.

A big batch's findings and history events do not stay in memory: past a threshold they are
sorted and written to files (runs) in a folder only the user can read (0700, files 0600: they
hold claim data), read back merged in order, and removed with the folder on every exit path
(:meth:`SpillArea.close`, a context manager; a finalizer as the last resort). Rows are JSON
arrays (data, never code); a value JSON cannot carry exactly (a tuple, a date, a non-finite
float) is never written: its owner keeps it in memory instead (:func:`plain`).
"""

from __future__ import annotations

import contextlib
import heapq
import os
import shutil
import tempfile
import weakref
from collections.abc import Callable, Collection, Iterable, Iterator
from pathlib import Path
from typing import IO, Any, Generic, TypeVar

import orjson

#: How many findings (or history events) stay in memory before a sorted run is written.
DEFAULT_THRESHOLD = 8192

_BUFFER = 1 << 16
_MIN_BUFFER = 1 << 12
#: What the read buffers of one merge may hold together (bytes), down to 4 KiB a run.
MERGE_BUFFERS = 2 << 20
T = TypeVar("T")


def plain(value: object) -> bool:
    """Whether JSON gives ``value`` back exactly (same types): None, bool, str, finite float,
    int within 64 bits, and lists and str-keyed dicts of those."""
    kind = type(value)
    if value is None or kind is bool or kind is str:
        return True
    if kind is int:
        return -(1 << 63) <= value < (1 << 64)  # type: ignore[operator]
    if kind is float:
        return value == value and value not in (float("inf"), float("-inf"))
    if kind is list:
        return all(plain(v) for v in value)  # type: ignore[attr-defined]
    if kind is dict:
        return all(type(k) is str and plain(v) for k, v in value.items())  # type: ignore[attr-defined]
    return False


def _remove(path: str) -> None:
    shutil.rmtree(path, ignore_errors=True)


class SpillArea:
    """A private temporary folder, made on first use and removed by :meth:`close`.

    ``threshold`` is how many findings or events a sink keeps in memory before writing a run.
    """

    def __init__(self, threshold: int = DEFAULT_THRESHOLD, parent: str | None = None) -> None:
        if threshold < 1:
            raise ValueError("the spill threshold must be at least 1")
        self.threshold = threshold
        self._parent = parent
        self._path: str | None = None
        self._count = 0
        self._handles: list[IO[bytes]] = []
        self._finalizer: Any = None

    @property
    def path(self) -> Path | None:
        """The folder, once something was spilled (None before)."""
        return None if self._path is None else Path(self._path)

    def new_file(self, prefix: str) -> tuple[Path, IO[bytes]]:
        """A new owner-only file in the folder, open for writing."""
        if self._path is None:
            self._path = tempfile.mkdtemp(prefix="b12lint-spill-", dir=self._parent)  # 0700
            Path(self._path).chmod(0o700)
            self._finalizer = weakref.finalize(self, _remove, self._path)
        self._count += 1
        path = Path(self._path) / f"{prefix}-{self._count}"
        fd = os.open(path, os.O_RDWR | os.O_CREAT | os.O_EXCL, 0o600)
        handle = os.fdopen(fd, "wb", buffering=_BUFFER)
        self._handles.append(handle)
        return path, handle

    def close(self) -> None:
        """Close the files still open and remove the folder with everything in it (safe to
        call twice)."""
        for handle in self._handles:
            with contextlib.suppress(OSError):
                handle.close()
        self._handles = []
        if self._finalizer is not None:
            self._finalizer()
        self._path = None

    def __enter__(self) -> SpillArea:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()


def write_rows(area: SpillArea, prefix: str, rows: Iterable[T]) -> tuple[Path, list[T]]:
    """Write rows to a new file, one JSON array a line; the rows JSON cannot hold (a string
    with a lone surrogate, an integer past 64 bits) are returned, not written."""
    path, handle = area.new_file(prefix)
    rejected: list[T] = []
    with handle:
        dumps = orjson.dumps
        for row in rows:
            try:
                line = dumps(row)
            except orjson.JSONEncodeError:
                rejected.append(row)
                continue
            handle.write(line)
            handle.write(b"\n")
    return path, rejected


def read_rows(path: Path, buffering: int = _BUFFER) -> Iterator[Any]:
    """The rows of a file written by :func:`write_rows`, in order."""
    loads = orjson.loads
    with path.open("rb", buffering=buffering) as handle:
        for line in handle:
            yield loads(line)


def merge_buffer(runs: int) -> int:
    """The read buffer of each of ``runs`` files merged at once: 64 KiB, less when there are
    many, so that the merge's buffers stay within :data:`MERGE_BUFFERS` (runs grow with the
    batch: a million records spill some 140)."""
    return max(_MIN_BUFFER, min(_BUFFER, MERGE_BUFFERS // max(runs, 1)))


class Runs(Generic[T]):
    """Sorted runs of rows: files on disk and lists kept in memory, merged when read.

    ``key`` orders decoded items; ``decode`` turns a file row back into an item. Items of
    memory runs are already decoded. Every run is sorted by ``key``, and keys are unique (they
    end with a sequence number), so the merge is the order a single sort would give.
    """

    def __init__(
        self,
        files: list[Path],
        memory: list[list[T]],
        decode: Callable[[Any], T],
        key: Callable[[T], Any],
    ) -> None:
        self.files = files
        self.memory = memory
        self._decode = decode
        self._key = key

    def __iter__(self) -> Iterator[T]:
        decode = self._decode
        size = merge_buffer(len(self.files))
        streams: list[Iterable[T]] = [map(decode, read_rows(p, size)) for p in self.files]
        streams += [run for run in self.memory if run]
        if len(streams) == 1:
            return iter(streams[0])
        return heapq.merge(*streams, key=self._key)


class Spilled(Collection[T]):
    """Items in order, read back from sorted runs of (key, item) each time they are
    iterated; ``area`` is where what is derived from them may be spilled in turn."""

    def __init__(self, runs: Runs[tuple[Any, T]], count: int, area: SpillArea | None) -> None:
        self._runs = runs
        self._count = count
        self.area = area

    def __iter__(self) -> Iterator[T]:
        for _, item in self._runs:
            yield item

    def __len__(self) -> int:
        return self._count

    def __contains__(self, item: object) -> bool:
        return any(x == item for x in self)


@contextlib.contextmanager
def spill_area(threshold: int = DEFAULT_THRESHOLD) -> Iterator[SpillArea]:
    """A :class:`SpillArea`, removed when the block ends (also on Ctrl-C or an error)."""
    area = SpillArea(threshold)
    try:
        yield area
    finally:
        area.close()
