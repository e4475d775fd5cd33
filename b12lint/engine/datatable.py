"""Policy data tables: values with provenance, in versions by date of service.

A table file (``rules/<pack>/data/<name>.yaml``, schema ``schemas/data.schema.json``) is either
one version::

    description: ...
    source: ...
    effective: {from: 2024-07-01}          # dates of service; ``to`` is inclusive
    values: {J3420: 1, "96372": 4}

or several, each with its own dates (and source, when it differs from the table's)::

    description: ...
    source: ...
    versions:
      - effective: {from: 2000-01-01, to: 2023-12-31}
        values: {J3420: {...}}
      - effective: {from: 2024-01-01}
        source: CMS HCPCS 2024 file
        values: {J3420: {...}, J3425: {...}}

Rules read a table through the encounter's date of service: outside every version's dates a
value is unknown (``None``), so a rule never judges a date the policy does not cover, and the
rule reports that it could not check it (:mod:`b12lint.engine.coverage`).
"""

from __future__ import annotations

import bisect
import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

MISSING: Any = object()
"""A key a version of the table does not have (distinct from a stored ``null``)."""

OUTSIDE: Any = object()
"""What :meth:`DatedValue.lookup` returns for a date of service no version covers."""


@dataclass(frozen=True, slots=True)
class Version:
    """The values of a table for the dates of service ``start`` to ``end`` (inclusive)."""

    start: dt.date
    end: dt.date | None
    values: Any
    source: str

    def covers(self, date: dt.date) -> bool:
        """Whether a date of service falls in this version."""
        return self.start <= date and (self.end is None or date <= self.end)

    def label(self) -> str:
        """``2024-01-01 to 2024-06-30`` / ``from 2024-07-01``."""
        if self.end is None:
            return f"from {self.start.isoformat()}"
        return f"{self.start.isoformat()} to {self.end.isoformat()}"


@dataclass(frozen=True)
class DataTable:
    """A named policy table of a pack, with its provenance and dated versions."""

    name: str
    description: str
    source: str
    versions: tuple[Version, ...]
    file: str

    @property
    def effective_from(self) -> dt.date:
        """The first date of service any version covers."""
        return self.versions[0].start

    @property
    def effective_to(self) -> dt.date | None:
        """The last date of service covered (None: open-ended)."""
        return self.versions[-1].end

    def covered(self) -> str:
        """The dates of service the versions cover, for messages (``from 2024-07-01``)."""
        return ", ".join(v.label() for v in self.versions)

    @property
    def values(self) -> Any:
        """The values of the latest version."""
        return self.versions[-1].values

    def resolve(self, keys: Sequence[str]) -> list[Any]:
        """The value at ``keys`` in each version (:data:`MISSING` where a version lacks it)."""
        out = []
        for version in self.versions:
            value = version.values
            for key in keys:
                if isinstance(value, dict) and key in value:
                    value = value[key]
                else:
                    value = MISSING
                    break
            out.append(value)
        return out


def freeze(value: Any) -> Any:
    """Lists become tuples (hashable constants for ``in``); mappings keep their keys."""
    if isinstance(value, list | tuple):
        return tuple(freeze(v) for v in value)
    if isinstance(value, dict):
        return {k: freeze(v) for k, v in value.items()}
    return value


class DatedValue:
    """Selects one of a table's per-version values by date of service."""

    __slots__ = ("_ends", "_seen", "_starts", "_values")

    def __init__(self, versions: Sequence[Version], values: Sequence[Any]) -> None:
        self._starts = [v.start for v in versions]
        self._ends = [v.end for v in versions]
        self._values = [None if value is MISSING else value for value in values]
        self._seen: dict[dt.date | None, Any] = {}

    @property
    def seen(self) -> dict[dt.date | None, Any]:
        """The values looked up so far, by date (:data:`OUTSIDE` for a date no version
        covers); cleared, never replaced, when it grows past its bound."""
        return self._seen

    def at(self, date: dt.date | None) -> Any:
        """The value for a date of service, or None outside every version."""
        value = self.lookup(date)
        return None if value is OUTSIDE else value

    def lookup(self, date: dt.date | None) -> Any:
        """The value for a date of service, or :data:`OUTSIDE` when no version covers it
        (remembered per date: a batch has a few hundred dates and millions of lookups)."""
        try:
            return self._seen[date]
        except KeyError:
            value = self._seen[date] = self._find(date)
            if len(self._seen) > 65536:
                self._seen.clear()
            return value

    def _find(self, date: dt.date | None) -> Any:
        if date is None:
            return OUTSIDE
        i = bisect.bisect_right(self._starts, date) - 1
        if i < 0:
            return OUTSIDE
        end = self._ends[i]
        if end is not None and date > end:
            return OUTSIDE
        return self._values[i]


def check_versions(versions: Sequence[Version]) -> str | None:
    """A problem with the dates of a table's versions (order, overlap), or None."""
    previous: Version | None = None
    for version in versions:
        if version.end is not None and version.end < version.start:
            return f"version {version.label()}: effective.to is before effective.from"
        if previous is not None:
            if version.start <= previous.start:
                return "versions must be listed in date order"
            if previous.end is None or previous.end >= version.start:
                return f"versions {previous.label()} and {version.label()} overlap"
        previous = version
    return None
