"""Chart files joined to claims (``b12lint check claims.837 --documentation chart.jsonl``).

A chart record is an ``encounter_id`` (the claim id) and a native ``documentation`` object,
nothing else required: ``{"encounter_id": "CLM0042", "documentation": {...}}``, in ``.jsonl``,
``.json`` (one record or a list) or ``.yaml``. Every chart file is read before the claims;
each claim then takes the documentation of its chart record (keys of the chart win over the
same keys of documentation the input carried). A claim that carried no chart and has no chart
record is marked ``chart_missing``: a documentation gap that one rule reports, instead of every
chart rule reporting its own part of it. A chart record that cannot be read is an input error
at its file and line; a second record for the same encounter is a duplicate (not used).
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path
from typing import Annotated, Any, Required

from pydantic import ConfigDict, Field, StrictStr, TypeAdapter, ValidationError, with_config
from typing_extensions import TypedDict

from b12lint.model import InputError, Record, Source
from b12lint.model.encounter import Documentation, validation_types
from b12lint.readers.base import DEFAULT_LIMITS, Item, Limits, Parsed, shape_error, unreadable
from b12lint.readers.discover import EXTENSIONS, expand
from b12lint.readers.native import PARSERS, parse_jsonl
from b12lint.readers.sniff import detect


@with_config(ConfigDict(extra="ignore", strict=True))
class ChartRecord(TypedDict):
    """One chart record: the documentation of one encounter (claim)."""

    encounter_id: Required[Annotated[StrictStr, Field(min_length=1)]]
    documentation: Required[Documentation]


@cache
def _adapter() -> TypeAdapter[ChartRecord]:
    """The validator of chart records (built on first use: it costs a few milliseconds)."""
    validation_types()  # the encounter model's pydantic types, which Documentation names
    return TypeAdapter(ChartRecord)


CHART_FORMATS = ("json", "jsonl", "yaml")


@dataclass
class Chart:
    """Chart records by encounter id, the input errors of the chart files, what was used."""

    records: dict[str, tuple[dict[str, Any], Source]] = field(default_factory=dict)
    errors: list[InputError] = field(default_factory=list)
    used: set[str] = field(default_factory=set)

    def unmatched(self) -> list[tuple[str, Source]]:
        """Chart records that no claim of the input took, in file order."""
        return [(eid, src) for eid, (_, src) in self.records.items() if eid not in self.used]

    def notes(self) -> list[str]:
        """One note per chart file with records that matched no claim (they are not checked)."""
        by_file: dict[str, list[tuple[str, Source]]] = {}
        for eid, source in self.unmatched():
            by_file.setdefault(source.file, []).append((eid, source))
        out = []
        for file, entries in by_file.items():
            eid, source = entries[0]
            count = len(entries)
            out.append(
                f"{file}: {count} chart record{'s' if count != 1 else ''} matched no claim "
                f"of the input (first: line {source.line}, {eid})"
            )
        return out


def _pointer(loc: tuple[int | str, ...]) -> str:
    return "".join("/" + str(p).replace("~", "~0").replace("/", "~1") for p in loc)


def _validate(parsed: Parsed, chart: Chart, limits: Limits) -> None:
    obj = parsed.obj
    source = parsed.source
    eid = obj.get("encounter_id") if isinstance(obj, dict) else None
    eid = eid if isinstance(eid, str) and eid else None
    unusable = shape_error(
        obj, source, limits, raw=parsed.raw, json_text=parsed.json, what="chart record"
    )
    if unusable is not None:
        chart.errors.append(unusable)
        return
    try:
        record = _adapter().validate_python(obj)
    except ValidationError as exc:
        first = exc.errors(include_input=False, include_url=False)[0]
        message = str(first["msg"]).removeprefix("Value error, ")
        pointer = _pointer(first["loc"])
        chart.errors.append(
            InputError(
                source,
                f"invalid chart record: {pointer or '/'}: {message}",
                pointer,
                encounter_id=eid,
                rule_id="B12-INPUT-002",
            )
        )
        return
    encounter_id = record["encounter_id"]
    if encounter_id in chart.records:
        first_line = chart.records[encounter_id][1].line
        chart.errors.append(
            InputError(
                source,
                f"duplicate chart record for {encounter_id!r} (first at line {first_line}): "
                "not used",
                "/encounter_id",
                encounter_id=encounter_id,
                rule_id="B12-INPUT-003",
            )
        )
        return
    chart.records[encounter_id] = (dict(record["documentation"]), source)


def _parse(display: str, path: Path, limits: Limits) -> Iterator[Parsed | InputError]:
    fmt = EXTENSIONS.get(path.suffix.lower())
    if fmt not in CHART_FORMATS:
        with path.open("rb") as handle:
            fmt = detect(handle.read(4096))
    if fmt not in CHART_FORMATS:
        yield unreadable(Source(display, None), "a chart file must be .json, .jsonl or .yaml")
        return
    if fmt == "jsonl":
        with path.open("rb") as handle:
            yield from parse_jsonl(handle, display, limits)
        return
    if path.stat().st_size > limits.max_file_bytes:
        yield unreadable(Source(display, None), f"file larger than {limits.max_file_bytes:,} bytes")
        return
    yield from PARSERS[fmt](path.read_bytes(), display, limits)


def load_chart(paths: Sequence[str], limits: Limits = DEFAULT_LIMITS) -> Chart:
    """Read every chart file (directories recursively); raise InputPathError for a bad path."""
    chart = Chart()
    for display, path in expand(paths):
        if path is None:
            chart.errors.append(
                unreadable(Source(display, None), "a chart cannot be read from stdin")
            )
            continue
        try:
            for parsed in _parse(display, path, limits):
                if isinstance(parsed, InputError):
                    chart.errors.append(parsed)
                else:
                    _validate(parsed, chart, limits)
        except OSError as exc:
            chart.errors.append(
                unreadable(Source(display, None), f"cannot read file: {exc.strerror or exc}")
            )
    return chart


#: The id of one date of a claim read as one record per date (837P ``CLM01@YYYY-MM-DD``).
_SPLIT = re.compile(r"(.+)@(\d{4}-\d{2}-\d{2})")


def _on_day(documentation: dict[str, Any], day: str) -> dict[str, Any]:
    """A claim's chart for one of its dates: the administrations given that day (and those
    with no time, which could be any day's)."""
    given = documentation.get("administrations")
    if not given:
        return documentation
    kept = [
        a
        for a in given
        if not isinstance(a, dict) or a.get("time") is None or str(a["time"])[:10] == day
    ]
    return {**documentation, "administrations": kept}


def join(items: Iterable[Item], chart: Chart) -> Iterator[Item]:
    """The chart's input errors, then every item with its chart record merged in (a claim
    split by date, ``CLM01@YYYY-MM-DD``, takes the chart of ``CLM01``: that day's part)."""
    yield from chart.errors
    records = chart.records
    for item in items:
        if isinstance(item, Record):
            encounter: dict[str, Any] = item.encounter  # type: ignore[assignment]
            eid = encounter["encounter_id"]
            entry = records.get(eid)
            if entry is None and (split := _SPLIT.match(eid)) is not None:
                eid, day = split.groups()
                entry = records.get(eid)
                if entry is not None:
                    entry = (_on_day(entry[0], day), entry[1])
            if entry is not None:
                existing = encounter.get("documentation")
                encounter["documentation"] = {**existing, **entry[0]} if existing else entry[0]
                item.has_chart = True
                item.chart_missing = False
                chart.used.add(eid)
            elif not item.has_chart:
                item.chart_missing = True
        yield item


__all__ = ["Chart", "ChartRecord", "join", "load_chart"]
