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


@dataclass
class ReadStats:
    """Counts of one run's reading (``summary.not_judged`` of the JSON report)."""

    not_judged: Counter[str] = field(default_factory=Counter)
    """Resources read but not judged, by kind (FHIR resource type, e.g. ``ClaimResponse``)."""


_CURRENT: ContextVar[ReadStats | None] = ContextVar("b12lint_read_stats", default=None)


def not_judged(kind: str, count: int = 1) -> None:
    """Count ``count`` resources of ``kind`` that were read but are not judged."""
    stats = _CURRENT.get()
    if stats is not None and count > 0:
        stats.not_judged[kind] += count


@contextmanager
def collecting() -> Iterator[ReadStats]:
    """Collect the counts of the reading done inside the block (items consumed in it)."""
    stats = ReadStats()
    token = _CURRENT.set(stats)
    try:
        yield stats
    finally:
        _CURRENT.reset(token)


__all__ = ["ReadStats", "collecting", "not_judged"]
