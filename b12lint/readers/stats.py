"""What readers saw but did not turn into records, for the run summary: resources read but not
judged (a FHIR ``ClaimResponse`` or ``Coverage`` is read, never checked as an encounter).

A reader reports them with :func:`not_judged` wherever it reads them; the run that wants the
counts reads its inputs inside :func:`collecting`. Outside it, the calls cost nothing and
count nothing (a library caller that reads records only).
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass, field


@dataclass(slots=True)
class ReadStats:
    """Counts of one run's reading (``summary.not_judged`` of the JSON report), and what the
    readers have to say about a file (``export.json: no Claim ...: nothing checked``)."""

    not_judged: Counter[str] = field(default_factory=Counter)
    """Resources read but not judged, by kind (FHIR resource type, e.g. ``ClaimResponse``)."""
    notes: list[str] = field(default_factory=list)

    @property
    def total(self) -> int:
        """Every resource read but not judged."""
        return sum(self.not_judged.values())

    def merge(self, other: ReadStats) -> None:
        """Add another run's stats (e.g. a worker's) to these."""
        self.not_judged.update(other.not_judged)
        self.notes.extend(other.notes)


_CURRENT: ContextVar[ReadStats | None] = ContextVar("b12lint_read_stats", default=None)


def not_judged(kind: str, count: int = 1) -> None:
    """Count ``count`` resources of ``kind`` that were read but are not judged."""
    stats = _CURRENT.get()
    if stats is not None and count > 0:
        stats.not_judged[kind] += count


def current() -> ReadStats:
    """The stats being collected, or a fresh one nobody reads (outside :func:`collecting`)."""
    found = _CURRENT.get()
    return found if found is not None else ReadStats()


@contextmanager
def collecting() -> Iterator[ReadStats]:
    """Collect the counts of the reading done inside the block (items consumed in it)."""
    stats = ReadStats()
    token = _CURRENT.set(stats)
    try:
        yield stats
    finally:
        _CURRENT.reset(token)


__all__ = ["ReadStats", "collecting", "current", "not_judged"]
