"""A pack's data table files as written by ``b12lint data import``: read, add versions, write.

A table file is read with the project's safe YAML loader and written back with
``yaml.safe_dump`` in one deterministic layout (description, source, notes, then ``versions``
in date order, each with effective, source, notes and values, mapping keys sorted). Comment
lines at the top of the file are kept; comments elsewhere are not (the whole file is
regenerated). Writing is atomic (a temporary file renamed over the table).
"""

from __future__ import annotations

import datetime as dt
import os
import tempfile
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml

from b12lint import safeyaml
from b12lint.policy.errors import PackImportError


@dataclass(frozen=True)
class NewVersion:
    """A version an import adds: dates of service (``end`` inclusive, None: open), source,
    optional notes, values."""

    start: dt.date
    end: dt.date | None
    source: str
    values: Any
    notes: str | None = None

    def as_doc(self) -> dict[str, Any]:
        """The version as it is written in the table file."""
        effective: dict[str, Any] = {"from": self.start}
        if self.end is not None:
            effective["to"] = self.end
        doc: dict[str, Any] = {"effective": effective, "source": self.source}
        if self.notes:
            doc["notes"] = self.notes
        doc["values"] = sorted_values(self.values)
        return doc


def sorted_values(value: Any) -> Any:
    """Mapping keys sorted at every level (lists keep their order)."""
    if isinstance(value, Mapping):
        return {k: sorted_values(value[k]) for k in sorted(value, key=str)}
    if isinstance(value, list | tuple):
        return [sorted_values(v) for v in value]
    return value


def as_date(value: Any) -> dt.date | None:
    """A YAML date or ISO text as a date (None stays None)."""
    if value is None or isinstance(value, dt.date):
        return value
    return dt.date.fromisoformat(str(value))


def label(start: dt.date, end: dt.date | None) -> str:
    """``2024-07-01 to 2024-09-30`` / ``from 2024-07-01``."""
    return f"from {start}" if end is None else f"{start} to {end}"


@dataclass
class TableFile:
    """A table file's document, its leading comment lines, and its versions as documents."""

    path: Path
    comments: str
    doc: dict[str, Any]
    versions: list[dict[str, Any]]

    @classmethod
    def read(cls, path: Path, description: str, source: str) -> TableFile:
        """The table at ``path``, or a new empty one with this description and source."""
        if not path.is_file():
            return cls(path, "", {"description": description, "source": source}, [])
        text = path.read_text(encoding="utf-8")
        doc = safeyaml.load(text)
        if not isinstance(doc, dict) or "source" not in doc:
            raise PackImportError(f"{path}: not a data table (no source)")
        comments = "".join(line + "\n" for line in _leading_comments(text.splitlines()))
        if "versions" in doc:
            versions = [dict(v) for v in doc["versions"]]
        else:
            single = {"effective": doc.pop("effective"), "values": doc.pop("values")}
            versions = [single]
        doc.pop("versions", None)
        return cls(path, comments, doc, versions)

    def spans(self) -> list[tuple[dt.date, dt.date | None]]:
        """Each version's dates of service."""
        out = []
        for version in self.versions:
            effective = version["effective"]
            start = as_date(effective["from"])
            assert start is not None
            out.append((start, as_date(effective.get("to"))))
        return out

    def add(self, new: Sequence[NewVersion]) -> tuple[bool, list[str]]:
        """Add versions (contiguous, in date order): whether they were added (False: all
        already there), and what was done to existing versions.

        Versions equal to existing ones (dates, source, values) are already there: adding
        them again changes nothing. An open-ended last version that starts before the new
        ones is closed the day before them (reported); any other overlap is an
        :class:`PackImportError` naming both versions.
        """
        docs = [v.as_doc() for v in new]
        existing = [_comparable(v) for v in self.versions]
        fresh = [d for d in docs if _comparable(d) not in existing]
        if not fresh:
            return False, []
        if len(fresh) != len(docs):
            raise PackImportError(
                f"{self.path}: some of the versions this import makes are already there and "
                "some are not: remove the old ones first"
            )
        done: list[str] = []
        first, last = new[0].start, new[-1].end
        spans = self.spans()
        for i, (start, end) in enumerate(spans):
            if not _overlaps(start, end, first, last):
                continue
            if end is None and start < first and i == len(spans) - 1:
                closed = first - dt.timedelta(days=1)
                self.versions[i]["effective"] = {"from": start, "to": closed}
                done.append(f"closed the version {label(start, None)} on {closed}")
                continue
            old_source = " ".join(str(self.versions[i].get("source", self.doc["source"])).split())
            raise PackImportError(
                f"{self.path}: the new version {label(first, last)} ({new[0].source[:120]}) "
                f"overlaps the version {label(start, end)} ({old_source[:120]}): give "
                "--effective dates that do not overlap, or remove the old version first"
            )
        self.versions.extend(docs)
        self.versions.sort(key=lambda v: as_date(v["effective"]["from"]) or dt.date.min)
        return True, done

    def render(self) -> str:
        """The whole file, deterministic."""
        doc: dict[str, Any] = {}
        for key in ("description", "source", "notes"):
            if key in self.doc:
                doc[key] = _text(self.doc[key])
        doc["versions"] = [_ordered(v) for v in self.versions]
        body = yaml.safe_dump(doc, sort_keys=False, allow_unicode=True, width=100)
        return self.comments + body

    def write(self) -> None:
        """Write the file atomically."""
        write_atomic(self.path, self.render().encode("utf-8"))


def _leading_comments(lines: list[str]) -> list[str]:
    out = []
    for line in lines:
        if not line.startswith("#"):
            break
        out.append(line)
    return out


def _ordered(version: Mapping[str, Any]) -> dict[str, Any]:
    out: dict[str, Any] = {}
    for key in ("effective", "source", "notes", "values"):
        if key in version:
            out[key] = _text(version[key]) if key in ("source", "notes") else version[key]
    return out


def _text(value: Any) -> Any:
    """A folded YAML text without the trailing line break ``>`` leaves (read the same)."""
    return value.strip() if isinstance(value, str) else value


def _comparable(version: Mapping[str, Any]) -> Any:
    effective = version["effective"]
    return (
        as_date(effective["from"]),
        as_date(effective.get("to")),
        " ".join(str(version.get("source", "")).split()),
        repr(sorted_values(_thaw(version["values"]))),
    )


def _thaw(value: Any) -> Any:
    if isinstance(value, Mapping):
        return {k: _thaw(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [_thaw(v) for v in value]
    return value


def _overlaps(a: dt.date, b: dt.date | None, c: dt.date, d: dt.date | None) -> bool:
    return (b is None or c <= b) and (d is None or a <= d)


def write_atomic(path: Path, data: bytes) -> None:
    """Write ``data`` to ``path`` through a temporary file in the same folder."""
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", dir=path.parent)
    try:
        with os.fdopen(fd, "wb") as out:
            out.write(data)
        Path(tmp).replace(path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise
