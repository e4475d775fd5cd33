"""Findings of a big batch, spilled to disk in sorted runs and streamed back in report order.

:class:`FindingSink` collects a batch's findings: in memory up to the spill area's threshold,
then as sorted runs on disk. :meth:`FindingSink.sorted` gives them in report order: a list
when nothing was spilled (exactly as before), else :class:`SpilledFindings`, a collection
that merges the runs every time it is iterated (suppression, redaction, each reporter), so
memory stays flat whatever the batch. :class:`FindingWriter` keeps findings that are already
in order (what suppression keeps or suppresses) the same way. The order is the one a stable
sort of every finding gives (ties keep the order findings were produced in).
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

import orjson

from b12lint.engine.findings import finding_row, from_row
from b12lint.engine.spill import Runs, SpillArea, Spilled, plain, write_rows
from b12lint.model import Finding

Keyed = tuple[Any, Finding]
"""A finding with its merge key (its sort key and sequence number, or its position)."""


def _row(key: Any, f: Finding) -> list[Any] | None:
    """A finding as a JSON row (None when JSON cannot give it back exactly)."""
    parts = finding_row(f)
    fix, ctx = parts[8], parts[10]
    if fix is not None and not plain(fix[1]):
        return None
    if ctx is not None and not all(v is None or type(v) is str for v in ctx):
        return None
    return [key, *parts, f.suppressed_by]


def _sort_keyed(row: list[Any]) -> Keyed:
    """A row of :class:`FindingSink` back as (sort key with sequence number, finding)."""
    f = _finding(row)
    key = row[0]
    return (f.sort_key(), key), f


def _position_keyed(row: list[Any]) -> Keyed:
    """A row of :class:`FindingWriter` back as (position, finding)."""
    return row[0], _finding(row)


def _finding(row: list[Any]) -> Finding:
    found = from_row(tuple(row[1:12]))
    by = row[12]
    return found if by is None else found.model_copy(update={"suppressed_by": by})


def _key(item: Keyed) -> Any:
    return item[0]


class SpilledFindings(Spilled[Finding]):
    """Findings in report order, read back from sorted runs each time they are iterated
    (``area``: where findings derived from these, suppression's, are spilled in turn)."""


class FindingSink:
    """A batch's findings as they are produced; :meth:`sorted` gives them in report order.

    Without a spill area every finding stays in memory (and :meth:`sorted` is a list).
    """

    def __init__(self, area: SpillArea | None = None) -> None:
        self._area = area
        self._buffer: list[tuple[int, Finding]] = []
        self._files: list[Any] = []
        self._memory: list[list[Keyed]] = []
        self._count = 0

    def __len__(self) -> int:
        return self._count

    def extend(self, findings: Iterable[Finding]) -> None:
        """Add findings (in the order they were produced)."""
        buffer = self._buffer
        limit = self._area.threshold if self._area is not None else None
        for f in findings:  # a long stream (the history rules' findings) spills as it goes
            buffer.append((self._count, f))
            self._count += 1
            if limit is not None and len(buffer) >= limit:
                self._spill()
                buffer = self._buffer

    def _spill(self) -> None:
        assert self._area is not None
        keyed = sorted(((f.sort_key(), seq), f) for seq, f in self._buffer)
        self._buffer = []
        rows: list[list[Any]] = []
        kept: list[Keyed] = []
        for key, f in keyed:
            row = _row(key[1], f)
            if row is None:
                kept.append((key, f))
            else:
                rows.append(row)
        path, rejected = write_rows(self._area, "findings", rows)
        self._files.append(path)
        if rejected:
            kept = sorted([*kept, *(_sort_keyed(row) for row in rejected)], key=_key)
        if kept:
            self._memory.append(kept)

    def sorted(self) -> list[Finding] | SpilledFindings:
        """Every finding in report order (file, line, encounter, rule, pointer, message)."""
        if not self._files:
            findings = [f for _, f in self._buffer]
            findings.sort(key=Finding.sort_key)
            return findings
        if self._buffer:
            self._spill()
        runs = Runs(self._files, self._memory, _sort_keyed, _key)
        return SpilledFindings(runs, self._count, self._area)


class FindingWriter:
    """Findings given in their final order, kept in memory or, past the threshold, on disk."""

    def __init__(self, area: SpillArea | None) -> None:
        self._area = area
        self._items: list[Finding] = []
        self._handle: Any = None
        self._file: Any = None
        self._memory: list[Keyed] = []
        self._count = 0

    def add(self, f: Finding) -> None:
        """Add the next finding."""
        self._count += 1
        if self._handle is None:
            self._items.append(f)
            if self._area is not None and len(self._items) >= self._area.threshold:
                self._file, self._handle = self._area.new_file("ordered")
                items, self._items = self._items, []
                for position, each in enumerate(items):
                    self._write(position, each)
            return
        self._write(self._count - 1, f)

    def _write(self, position: int, f: Finding) -> None:
        row = _row(position, f)
        try:
            line = None if row is None else orjson.dumps(row)
        except orjson.JSONEncodeError:
            line = None
        if line is None:
            self._memory.append((position, f))
        else:
            self._handle.write(line + b"\n")

    def done(self) -> list[Finding] | SpilledFindings:
        """The findings written, in the order given."""
        if self._handle is None:
            return self._items
        self._handle.close()
        runs = Runs([self._file], [self._memory], _position_keyed, _key)
        return SpilledFindings(runs, self._count, self._area)


def ordered(area: SpillArea | None, findings: Iterable[Finding]) -> list[Finding] | SpilledFindings:
    """Findings already in their final order, kept as :class:`FindingWriter` keeps them."""
    writer = FindingWriter(area)
    for f in findings:
        writer.add(f)
    return writer.done()
