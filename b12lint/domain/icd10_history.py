"""ICD-10-CM by date of service: every release from FY2016 (2015-10-01), one per release.

A code is judged by the release in force on the date of service: a code added on April 1 is
invalid for the October-March before it, a deleted code is invalid after its deletion, and a
code that gained children is a category (not billable) from then on. Dates no shipped release
covers (before 2015-10-01, ICD-9-CM; after the newest release's end) have no status (None): the
rules that need one report that they could not check.

``data/icd10cm_history.txt.gz`` (built by ``scripts/build_icd10_history.py``) lists the releases,
each with its dates, name and source, and the codes in which each differs from its neighbour
nearer the base release, the full table of :mod:`b12lint.domain.icd10` (FY2026, April 1, 2026
update). Format, gzip'd ASCII:

- ``#`` lines: header;
- ``@ TAB start TAB end TAB name TAB source``: a release (dates inclusive). The base comes
  first, then the newer releases in date order, then the older ones newest first;
- ``CODE TAB B|C|-``: a code (no dot) that is billable / a category / absent in this release
  and not so in the release before it on its side of the base.

Loading is lazy: the file is read on the first dated lookup (≈5 ms), and a release's changes
against the base are put together the first time one of its dates is asked for.
"""

from __future__ import annotations

import bisect
import datetime as dt
import itertools
from dataclasses import dataclass
from functools import lru_cache

from b12lint.domain._data import read_data
from b12lint.domain.icd10 import BILLABLE, CATEGORY, INVALID, bare_code, base_status

__all__ = ["Release", "icd10_coverage", "icd10_release_on", "icd10_releases", "icd10_status_on"]

HISTORY_FILE = "icd10cm_history.txt.gz"
_FORMAT_HEADER = "# b12lint ICD-10-CM release history, format 1\n"
_STATES = {"B": True, "C": False, "-": None}


@dataclass(frozen=True, slots=True)
class Release:
    """One ICD-10-CM release: the dates of service it governs (inclusive), name and source."""

    start: dt.date
    end: dt.date
    name: str
    source: str

    def covers(self, date: dt.date) -> bool:
        """Whether a date of service falls in this release."""
        return self.start <= date <= self.end


@dataclass(frozen=True, slots=True)
class _History:
    releases: tuple[Release, ...]
    """In date order."""
    parents: tuple[int | None, ...]
    """For each release, the index of the release its changes are against (None: the base)."""
    changes: tuple[str, ...]
    """Each release's change lines, parsed only when one of its dates is asked for."""
    starts: tuple[dt.date, ...]


def _parse(text: str) -> _History:
    if not text.startswith(_FORMAT_HEADER):
        raise ValueError(f"{HISTORY_FILE}: not a format-1 b12lint ICD-10-CM release history")
    listed: list[tuple[Release, str]] = []
    for block in text.split("\n@\t")[1:]:
        head, _, lines = block.partition("\n")
        fields = head.split("\t")
        if len(fields) != 4:
            raise ValueError(f"{HISTORY_FILE}: malformed release line {head[:80]!r}")
        start, end, name, source = fields
        first, last = dt.date.fromisoformat(start), dt.date.fromisoformat(end)
        listed.append((Release(first, last, name, source), lines))
    if not listed:
        raise ValueError(f"{HISTORY_FILE}: no release")
    base = listed[0][0].start
    order = sorted(range(len(listed)), key=lambda i: listed[i][0].start)
    position = {file_index: sorted_index for sorted_index, file_index in enumerate(order)}
    parents: list[int | None] = [None] * len(listed)
    previous: dict[bool, int | None] = {True: None, False: None}
    for file_index, (release, _) in enumerate(listed[1:], start=1):
        side = release.start > base
        parents[position[file_index]] = previous[side]
        previous[side] = position[file_index]
    releases = tuple(listed[i][0] for i in order)
    for earlier, later in itertools.pairwise(releases):
        if earlier.end >= later.start:
            raise ValueError(f"{HISTORY_FILE}: releases {earlier.name} and {later.name} overlap")
    return _History(
        releases,
        tuple(parents),
        tuple(listed[i][1] for i in order),
        tuple(r.start for r in releases),
    )


def _changes(lines: str) -> dict[str, bool | None]:
    """``CODE TAB B|C|-`` lines as code -> billable (None: absent)."""
    changes: dict[str, bool | None] = {}
    for line in lines.splitlines():
        code, _, state = line.partition("\t")
        if state not in _STATES:
            raise ValueError(f"{HISTORY_FILE}: malformed change line {line[:80]!r}")
        changes[code] = _STATES[state]
    return changes


@lru_cache(maxsize=1)
def _history() -> _History:
    import gzip  # lazy: only when a dated lookup first happens

    return _parse(gzip.decompress(read_data(HISTORY_FILE)).decode("ascii"))


def icd10_releases() -> tuple[Release, ...]:
    """Every shipped release, in date order."""
    return _history().releases


def _index_on(date: dt.date) -> int | None:
    history = _history()
    i = bisect.bisect_right(history.starts, date) - 1
    if i < 0 or not history.releases[i].covers(date):
        return None
    return i


def icd10_release_on(date: dt.date) -> Release | None:
    """The release in force on a date of service (None when no shipped release covers it)."""
    i = _index_on(date)
    return None if i is None else _history().releases[i]


@lru_cache(maxsize=64)
def _overlay(index: int) -> dict[str, bool | None]:
    """A release's codes that differ from the base: code -> billable (None: absent)."""
    history = _history()
    parent = history.parents[index]
    overlay = {} if parent is None else dict(_overlay(parent))
    overlay.update(_changes(history.changes[index]))
    return overlay


@lru_cache(maxsize=8192)
def _status_in(index: int, code: str) -> str:
    bare = bare_code(code)
    if bare is None:
        return INVALID
    overlay = _overlay(index)
    if bare not in overlay:
        return base_status(bare)
    state = overlay[bare]
    if state is None:
        return INVALID
    return BILLABLE if state else CATEGORY


def icd10_status_on(code: object, date: object) -> str | None:
    """``billable``, ``category`` or ``invalid`` in the release in force on ``date``; None
    when no shipped release covers the date (or it is not a date)."""
    if not isinstance(date, dt.date) or isinstance(date, dt.datetime):
        return None
    index = _index_on(date)
    if index is None:
        return None
    if not isinstance(code, str):
        return INVALID
    return _status_in(index, code)


@lru_cache(maxsize=1)
def icd10_coverage() -> str:
    """The dates of service the shipped releases cover (``2015-10-01 to 2027-03-31``)."""
    releases = icd10_releases()
    return f"{releases[0].start} to {releases[-1].end}"
