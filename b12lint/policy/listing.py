"""``b12lint data list PACK``: each table's versions, and the dates of service none covers.

A table of imported ICD-10-CM releases (``icd10cm``) takes over from the shipped releases on
its dates only (:mod:`b12lint.engine.codesets`): its listing names the shipped releases as
what judges the other dates, and its gaps are the dates neither covers (the dates on which
``B12-DX-001`` and ``B12-DX-002`` report "not checked").
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from b12lint.domain import icd10_releases
from b12lint.engine.codesets import ICD10_TABLE
from b12lint.engine.datatable import DataTable
from b12lint.engine.pack import read_pack

_DAY = dt.timedelta(days=1)
#: A span of dates of service, both ends inclusive (None: unbounded on that side).
Span = tuple[dt.date | None, dt.date | None]


@dataclass(frozen=True)
class TableListing:
    """One table: where it comes from, its versions (label, source), what judges the other
    dates (None: nothing), and the dates nothing covers."""

    name: str
    file: str
    versions: tuple[tuple[str, str], ...]
    gaps: tuple[str, ...]
    fallback: str | None = None


def _uncovered(covered: Sequence[Span]) -> list[Span]:
    """The dates none of ``covered`` (sorted, not overlapping) contains."""
    out: list[Span] = []
    cursor: dt.date | None = None  # the first date not yet accounted for (None: the start)
    for start, end in covered:
        if start is not None and (cursor is None or cursor < start):
            out.append((cursor, start - _DAY))
        if end is None:
            return out
        cursor = end + _DAY if cursor is None else max(cursor, end + _DAY)
    out.append((cursor, None))
    return out


def _merge(spans: Sequence[Span]) -> list[Span]:
    """Sorted spans, overlapping or adjacent ones joined."""
    ordered = sorted(spans, key=lambda s: s[0] or dt.date.min)
    out: list[Span] = []
    for start, end in ordered:
        if out:
            last_start, last_end = out[-1]
            if last_end is None or start is None or start <= last_end + _DAY:
                joined = None if last_end is None or end is None else max(last_end, end)
                out[-1] = (last_start, joined)
                continue
        out.append((start, end))
    return out


def _label(span: Span) -> str:
    start, end = span
    if start is None:
        return f"before {end + _DAY}" if end is not None else "every date"
    if end is None:
        return f"after {start - _DAY}"
    return f"{start} to {end}"


def gaps(table: DataTable, also: Sequence[Span] = ()) -> tuple[str, ...]:
    """The dates of service no version (nor any of ``also``) covers: before the first,
    between, after the last."""
    spans: list[Span] = [(v.start, v.end) for v in table.versions]
    return tuple(_label(s) for s in _uncovered(_merge([*spans, *also])))


def _shipped_icd10() -> tuple[str, Span]:
    releases = icd10_releases()
    first, last = releases[0].start, releases[-1].end
    return f"the shipped ICD-10-CM releases ({first} to {last})", (first, last)


def list_pack(path: Path) -> list[TableListing]:
    """Every data table of a pack (inherited ones included), by name."""
    pack = read_pack(path)
    out = []
    for name in sorted(pack.data):
        table = pack.data[name]
        versions = tuple((v.label(), " ".join(v.source.split())) for v in table.versions)
        if name == ICD10_TABLE:
            fallback, shipped = _shipped_icd10()
            out.append(TableListing(name, table.file, versions, gaps(table, [shipped]), fallback))
        else:
            out.append(TableListing(name, table.file, versions, gaps(table)))
    return out


def render_listing(listings: list[TableListing], width: int = 160) -> str:
    """The text ``data list`` prints."""
    lines = []
    for listing in listings:
        lines.append(f"{listing.name}  ({listing.file})")
        for label, source in listing.versions:
            text = f"  {label}: {source}"
            lines.append(text if len(text) <= width else text[: width - 3] + "...")
        if listing.fallback:
            lines.append(f"  other dates: {listing.fallback}")
        lines.append(f"  no version: {'; '.join(listing.gaps) or 'none'}")
    return "\n".join(lines) + "\n"
