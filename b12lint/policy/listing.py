"""``b12lint data list PACK``: each table's versions, and the dates of service none covers."""

from __future__ import annotations

import datetime as dt
import itertools
from dataclasses import dataclass
from pathlib import Path

from b12lint.engine.datatable import DataTable
from b12lint.engine.pack import read_pack

_DAY = dt.timedelta(days=1)


@dataclass(frozen=True)
class TableListing:
    """One table: where it comes from, its versions (label, source) and its gaps."""

    name: str
    file: str
    versions: tuple[tuple[str, str], ...]
    gaps: tuple[str, ...]


def gaps(table: DataTable) -> tuple[str, ...]:
    """The dates of service no version covers: before the first, between, after the last."""
    out = [f"before {table.versions[0].start}"]
    for earlier, later in itertools.pairwise(table.versions):
        if earlier.end is not None and earlier.end + _DAY < later.start:
            out.append(f"{earlier.end + _DAY} to {later.start - _DAY}")
    last = table.versions[-1].end
    if last is not None:
        out.append(f"after {last}")
    return tuple(out)


def list_pack(path: Path) -> list[TableListing]:
    """Every data table of a pack (inherited ones included), by name."""
    pack = read_pack(path)
    out = []
    for name in sorted(pack.data):
        table = pack.data[name]
        versions = tuple((v.label(), " ".join(v.source.split())) for v in table.versions)
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
        lines.append(f"  no version: {'; '.join(listing.gaps)}")
    return "\n".join(lines) + "\n"
