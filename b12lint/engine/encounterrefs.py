"""The encounters a batch read (JUnit lists every one), kept in place order, spilled past the
threshold.

:class:`RefSink` collects :class:`~b12lint.model.EncounterRef` as records are read: in memory
up to the spill area's threshold, then as sorted runs on disk. :meth:`RefSink.sorted` gives
them in place order (file, line: -1 for none, then the order read): a list when nothing was
spilled, else :class:`SpilledRefs`, which merges the runs each time it is iterated. Place
order does not depend on the encounter id, so ids may be rewritten on the way out
(redaction) without sorting again.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from b12lint.engine.spill import Runs, SpillArea, Spilled, write_rows
from b12lint.model import EncounterRef

Keyed = tuple[tuple[str, int, int], EncounterRef]
"""A ref with its merge key: (file, line or -1, sequence)."""


def place(ref: EncounterRef) -> tuple[str, int]:
    """Where a ref sorts: its file, then its line (-1 for none)."""
    return (ref.file, ref.line if ref.line is not None else -1)


def _decode(row: list[Any]) -> Keyed:
    file, line, seq, eid = row
    return (file, -1 if line is None else line, seq), EncounterRef(file, line, eid)


def _key(item: Keyed) -> tuple[str, int, int]:
    return item[0]


class SpilledRefs(Spilled[EncounterRef]):
    """Encounter refs in place order, read back from sorted runs each time they are
    iterated."""


class RefSink:
    """Encounter refs as records are read; :meth:`sorted` gives them in place order."""

    def __init__(self, area: SpillArea | None = None) -> None:
        self._area = area
        self._buffer: list[EncounterRef] = []
        self._files: list[Any] = []
        self._memory: list[list[Keyed]] = []
        self._count = 0

    def __len__(self) -> int:
        return self._count

    def append(self, ref: EncounterRef) -> None:
        """Add the next ref read."""
        self._buffer.append(ref)
        self._count += 1
        if self._area is not None and len(self._buffer) >= self._area.threshold:
            self._spill()

    def extend(self, refs: Iterable[EncounterRef]) -> None:
        """Add refs in the order read."""
        for ref in refs:
            self.append(ref)

    def _spill(self) -> None:
        assert self._area is not None
        first = self._count - len(self._buffer)
        keyed = sorted(
            (((*place(ref), first + i), ref) for i, ref in enumerate(self._buffer)), key=_key
        )
        self._buffer = []
        rows = [[ref.file, ref.line, key[2], ref.encounter_id] for key, ref in keyed]
        path, rejected = write_rows(self._area, "encounters", rows)
        self._files.append(path)
        if rejected:  # ids JSON cannot carry (a lone surrogate) stay in memory
            self._memory.append(sorted(map(_decode, rejected), key=_key))

    def sorted(self) -> list[EncounterRef] | SpilledRefs:
        """Every ref in place order."""
        if not self._files:
            return sorted(self._buffer, key=place)
        if self._buffer:
            self._spill()
        return SpilledRefs(Runs(self._files, self._memory, _decode, _key), self._count, self._area)
