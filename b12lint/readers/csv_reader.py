"""CSV claim exports: one row per claim line, the encounter's columns repeated on each row.

Columns are found by header name (case and surrounding spaces ignored). The default header of
each field is the field's own name (:data:`FIELDS`); ``[tool.b12lint.csv] columns`` maps a field
to another header, and a list field (``diagnoses``, ``modifiers``, ``dx_pointers``) to one
header or a list of them (``diagnoses = ["DX1", "DX2", "DX3", "DX4"]``). In one cell a list is
split on ``;``, ``,``, ``|`` or spaces; pointers are numbers (``1;2``) or CMS-1500 letters
(``A;B`` or ``AB``). Dates are ISO (``2026-03-02``), ISO date-times (``2026-03-02T10:15:00``,
with or without an offset: the date as written) or ``date-format`` (a ``strptime`` pattern such
as ``%m/%d/%Y``). ``filter`` keeps only the rows whose named columns hold one of the values
given (``filter = {TYPE = "CHARGE"}`` for a ledger that mixes charges and payments); the rows
it leaves out are counted (``summary.not_judged.csv_filtered_rows``), never read as claims.

Rows of one encounter must be consecutive, as claim exports write them: the file streams in
bounded memory. An encounter id that comes back after other rows is a second record, reported
as a duplicate (B12-INPUT-003): sort the export by encounter. The encounter is located at its
first row; a row that cannot be read makes its encounter an input error at that row's line.
The date of service is the earliest row's; a row's own date is its line date unless a
``line_date`` column is mapped. Other encounter columns must agree between rows.
"""

from __future__ import annotations

import csv
import datetime as dt
import itertools
import re
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from typing import IO, Any

from b12lint.model import InputError, Source
from b12lint.model.payer import payer_type
from b12lint.readers.base import DEFAULT_LIMITS, Item, Limits, digest, to_item, unreadable
from b12lint.readers.stats import not_judged

ENCOUNTER_FIELDS = (
    "encounter_id",
    "patient_id",
    "date_of_service",
    "place_of_service",
    "rendering_npi",
    "payer_id",
    "payer_name",
    "payer_type",
    "diagnoses",
)
LINE_FIELDS = (
    "code",
    "units",
    "modifiers",
    "dx_pointers",
    "line_date",
    "description",
    "ndc",
    "ndc_quantity",
    "ndc_unit",
    "charge",
)
FIELDS = ENCOUNTER_FIELDS + LINE_FIELDS
LIST_FIELDS = frozenset({"diagnoses", "modifiers", "dx_pointers"})
REQUIRED = ("encounter_id", "date_of_service", "code")
_SPLIT = re.compile(r"[;,|\s]+")
_THOUSANDS = re.compile(r"[0-9]{1,3}(?:,[0-9]{3})+(?:\.[0-9]*)?")
_LETTERS = "ABCDEFGHIJKL"
FILTERED = "csv_filtered_rows"
"""The ``summary.not_judged`` key of the rows a CSV ``filter`` leaves out."""


class CsvConfigError(ValueError):
    """A ``[tool.b12lint.csv]`` setting that cannot be used."""


@dataclass(frozen=True)
class CsvOptions:
    """How to read a CSV export: headers per field, delimiter, date format, row filter."""

    columns: Mapping[str, tuple[str, ...]] = field(
        default_factory=lambda: {name: (name,) for name in FIELDS}
    )
    delimiter: str = ","
    date_format: str | None = None
    row_filter: Mapping[str, frozenset[str]] = field(default_factory=dict)
    """Header (lower-cased) → the values (case-folded) a kept row holds in that column."""

    @classmethod
    def from_config(cls, section: Mapping[str, Any]) -> CsvOptions:
        """Options from ``[tool.b12lint.csv]`` (already checked against the config schema)."""
        columns: dict[str, tuple[str, ...]] = {name: (name,) for name in FIELDS}
        for name, value in (section.get("columns") or {}).items():
            if name not in FIELDS:
                raise CsvConfigError(f"csv.columns: unknown field {name!r}")
            headers = (value,) if isinstance(value, str) else tuple(value)
            if len(headers) != 1 and name not in LIST_FIELDS:
                raise CsvConfigError(f"csv.columns.{name}: one header only (not a list field)")
            columns[name] = headers
        delimiter = section.get("delimiter", ",")
        if len(delimiter) != 1 or delimiter in '\r\n"':
            raise CsvConfigError("csv.delimiter: one character, not a quote or line break")
        date_format = section.get("date-format")
        if date_format is not None:
            try:
                dt.datetime.strptime(dt.date(2026, 3, 2).strftime(date_format), date_format)
            except ValueError:
                raise CsvConfigError(
                    f"csv.date-format: {date_format!r} cannot read back the dates it writes"
                ) from None
        row_filter: dict[str, frozenset[str]] = {}
        for header, wanted in (section.get("filter") or {}).items():
            values = (wanted,) if isinstance(wanted, str) else tuple(wanted)
            key = header.strip().lower()
            if not key or key in row_filter:
                raise CsvConfigError(f"csv.filter: column {header!r} is empty or given twice")
            row_filter[key] = frozenset(v.strip().casefold() for v in values)
        return cls(columns, delimiter, date_format, row_filter)


DEFAULT_OPTIONS = CsvOptions()


class RowError(ValueError):
    """A cell that cannot be read; ``pointer`` is where it would go in the record."""

    def __init__(self, message: str, pointer: str) -> None:
        super().__init__(message)
        self.pointer = pointer


def _number(text: str, what: str, pointer: str) -> float | int:
    value = text.strip().removeprefix("$")
    if _THOUSANDS.fullmatch(value):
        value = value.replace(",", "")
    try:
        number = float(value)
    except ValueError:
        raise RowError(f"{what} is not a number", pointer) from None
    if number != number or number in (float("inf"), float("-inf")):
        raise RowError(f"{what} is not a finite number", pointer)
    return int(number) if number.is_integer() else number


def _pointers(cells: list[str], pointer: str) -> list[int]:
    out: list[int] = []
    for token in cells:
        if token.isdigit():
            out.append(int(token))
        elif token.isalpha() and all(ch in _LETTERS for ch in token.upper()):
            out.extend(_LETTERS.index(ch) + 1 for ch in token.upper())
        else:
            raise RowError("dx_pointers holds something that is not a pointer", pointer)
    return out


class _Layout:
    """Column indexes of each field in one file's header."""

    def __init__(self, header: list[str], options: CsvOptions) -> None:
        names = [name.strip().lstrip("\ufeff").lower() for name in header]
        positions = {name: i for i, name in enumerate(names)}
        self.width = len(header)
        self.index: dict[str, tuple[int, ...]] = {}
        self.missing: list[str] = []
        self.twice: list[str] = []
        """Headers of the fields (or of the row filter) that name two columns."""
        for name, headers in options.columns.items():
            found = tuple(positions[h.lower()] for h in headers if h.lower() in positions)
            for h in headers:
                if names.count(h.lower()) > 1:
                    self.twice.append(repr(h))
            if found:
                self.index[name] = found
            elif name in REQUIRED:
                self.missing.append(f"{name} (header {' or '.join(repr(h) for h in headers)})")
        self.date_format = options.date_format
        self.filter: list[tuple[int, frozenset[str]]] = []
        for column, values in options.row_filter.items():
            if names.count(column) > 1:
                self.twice.append(repr(column))
            if column in positions:
                self.filter.append((positions[column], values))
            else:
                self.missing.append(f"{column!r} (a column of the row filter)")

    def keep(self, row: list[str]) -> bool:
        """Whether a row passes the row filter (every filter column holds a wanted value)."""
        for index, values in self.filter:
            cell = row[index] if index < len(row) else ""
            if cell.strip().casefold() not in values:
                return False
        return True

    def cell(self, row: list[str], name: str) -> str:
        idx = self.index.get(name)
        if not idx:
            return ""
        i = idx[0]
        return row[i].strip() if i < len(row) else ""

    def cells(self, row: list[str], name: str) -> list[str]:
        out: list[str] = []
        for i in self.index.get(name, ()):
            if i < len(row) and row[i].strip():
                out.extend(t for t in _SPLIT.split(row[i].strip()) if t)
        return out

    def date(self, text: str, pointer: str) -> dt.date:
        try:
            return dt.date.fromisoformat(text)
        except ValueError:
            pass
        if len(text) > 10 and text[10] in "T ":
            try:  # an ISO date-time: the date as written (no time zone conversion)
                return dt.datetime.fromisoformat(text).date()
            except ValueError:
                pass
        if self.date_format:
            try:
                return dt.datetime.strptime(text, self.date_format).date()
            except ValueError:
                pass
        fmt = f" or {self.date_format}" if self.date_format else ""
        raise RowError(f"the date is not YYYY-MM-DD (or an ISO date-time){fmt}", pointer)


class _Encounter:
    """The rows of one encounter, turned into a record when the next encounter starts."""

    def __init__(self, layout: _Layout, file: str, line: int, row: list[str]) -> None:
        self.layout = layout
        self.file = file
        self.first_line = line
        self.first = row
        self.encounter_id = layout.cell(row, "encounter_id")
        self.lines: list[dict[str, Any]] = []
        self.dates: list[dt.date] = []
        self.error: InputError | None = None
        self.cells: list[str] = []
        self.size = 0

    def fail(self, line: int, message: str, pointer: str, rule_id: str) -> None:
        if self.error is None:
            self.error = InputError(
                Source(self.file, line),
                message,
                pointer,
                encounter_id=self.encounter_id,
                rule_id=rule_id,
            )

    def add(self, line: int, row: list[str], limits: Limits) -> None:
        if self.error is not None:
            return
        self.size += sum(len(c) for c in row)
        if self.size > limits.max_record_bytes:
            self.fail(
                line,
                f"encounter larger than the {limits.max_record_bytes:,}-byte limit: not read",
                "",
                "B12-INPUT-004",
            )
            return
        self.cells.extend(row)
        try:
            self._add(line, row)
        except RowError as exc:
            self.fail(line, f"{exc}: encounter not checked", exc.pointer, "B12-INPUT-002")

    def _add(self, line: int, row: list[str]) -> None:
        layout = self.layout
        for name in ENCOUNTER_FIELDS:
            if name in ("encounter_id", "date_of_service", "diagnoses"):
                continue
            value = layout.cell(row, name)
            if value and value != layout.cell(self.first, name):
                raise RowError(
                    f"column for {name} differs from the encounter's first row "
                    f"(line {self.first_line})",
                    f"/{name}",
                )
        if layout.cells(row, "diagnoses") and (
            layout.cells(row, "diagnoses") != layout.cells(self.first, "diagnoses")
        ):
            raise RowError(
                f"diagnoses differ from the encounter's first row (line {self.first_line})",
                "/diagnoses",
            )
        index = len(self.lines)
        ptr = f"/lines/{index}"
        dos_text = layout.cell(row, "date_of_service")
        if not dos_text:
            raise RowError("date_of_service is empty", "/date_of_service")
        dos = layout.date(dos_text, "/date_of_service")
        self.dates.append(dos)
        out: dict[str, Any] = {}
        code = layout.cell(row, "code")
        if code:
            out["code"] = code
        for name, what in (("units", "units"), ("ndc_quantity", "ndc_quantity")):
            text = layout.cell(row, name)
            if text:
                out[name] = _number(text, what, f"{ptr}/{name}")
        charge = layout.cell(row, "charge")
        if charge:
            out["charge"] = _number(charge, "charge", f"{ptr}/charge")
        out["modifiers"] = [m.upper() for m in layout.cells(row, "modifiers")]
        out["dx_pointers"] = _pointers(layout.cells(row, "dx_pointers"), f"{ptr}/dx_pointers")
        line_date = layout.cell(row, "line_date")
        out["date"] = layout.date(line_date, f"{ptr}/date") if line_date else dos
        for name in ("description", "ndc", "ndc_unit"):
            value = layout.cell(row, name)
            if value:
                out[name] = value
        self.lines.append(out)

    def finish(self, limits: Limits) -> Item:
        if self.error is not None:
            return self.error
        layout = self.layout
        first = self.first
        record: dict[str, Any] = {
            "encounter_id": self.encounter_id,
            "date_of_service": min(self.dates),
            "diagnoses": layout.cells(first, "diagnoses"),
            "lines": self.lines,
        }
        for name in ("patient_id", "place_of_service", "rendering_npi"):
            value = layout.cell(first, name)
            if value:
                record[name] = value
        payer = {
            key: layout.cell(first, f"payer_{key}")
            for key in ("id", "name", "type")
            if layout.cell(first, f"payer_{key}")
        }
        if payer:
            if "type" in payer:  # "Medicare Part B", "MB", "Medi-Cal": FORMATS.md's types
                payer["type"] = payer_type(payer["type"]) or payer["type"]
            record["payer"] = payer
        item = to_item(
            record,
            Source(self.file, self.first_line),
            has_chart=False,
            limits=limits,
            check_depth=False,
        )
        if isinstance(item, InputError):
            raw = "\x1f".join(self.cells).encode("utf-8")
            return InputError(
                item.source,
                item.message,
                item.pointer,
                encounter_id=item.encounter_id,
                rule_id=item.rule_id,
                digest=digest(raw),
            )
        return item


_BOM = b"\xef\xbb\xbf"
_BAD_BYTE = re.compile("[\udc80-\udcff]")
#: Control characters no claim text holds (a NUL from a binary or UTF-16 file read as bytes):
#: a cell with one is not read as written (``G-700\x00`` would be an encounter of its own).
#: Not VT and FF, which Office writes for line and page breaks inside a cell.
_CONTROL = re.compile("[\x00-\x08\x0e-\x1f\x7f]")
#: DOS's end-of-file mark (Ctrl-Z), which old tools write after the last line: a row of only
#: that is blank.
_BLANK_CELL = " \t\r\n\x1a"
#: Excel's first line naming the delimiter (``sep=;``): not a header.
_SEP_LINE = re.compile(r"sep=(.)\r?\n?")
#: Delimiters a header line is tried with when the configured one finds no required column
#: (European Excel writes ``;``, "Unicode text" and TSV exports a tab).
_DELIMITERS = (",", ";", "\t", "|")


def _bad_text(row: list[str]) -> str | None:
    """Why a row's text cannot be read as written (None: it can)."""
    for cell in row:
        if _BAD_BYTE.search(cell):
            return "is not valid UTF-8 text"
        if _CONTROL.search(cell):
            return "holds a control character (a NUL or another non-text byte)"
    return None


def _delimiter(header: str, options: CsvOptions) -> str:
    """The delimiter of a file: the configured one, unless only another one splits the header
    line into the required columns (``;`` or a tab from Excel, ``|``)."""
    for delimiter in (options.delimiter, *_DELIMITERS):
        try:
            cells = next(csv.reader([header], delimiter=delimiter, strict=True))
        except (csv.Error, StopIteration):
            continue
        if not _Layout(cells, options).missing:
            return delimiter
    return options.delimiter


@dataclass
class _LineState:
    """What the line reader saw: lines too long to read (their numbers)."""

    overlong: list[int] = field(default_factory=list)


def _lines(stream: IO[bytes], limits: Limits, state: _LineState) -> Iterator[str]:
    """The physical lines of the file, decoded; read in bounded memory.

    Bytes that are not UTF-8 are kept as escapes (the row holding one is refused); a line
    longer than the record size limit is skipped and noted (an empty line stands in for it,
    so that line numbers stay right).
    """
    number = 0
    while True:
        line = stream.readline(limits.max_record_bytes + 1)
        if not line:
            return
        number += 1
        if number == 1 and line.startswith(_BOM):
            line = line[len(_BOM) :]
        if len(line) > limits.max_record_bytes and not line.endswith(b"\n"):
            while line and not line.endswith(b"\n"):
                line = stream.readline(1 << 20)
            state.overlong.append(number)
            yield "\n"
            continue
        yield line.decode("utf-8", "surrogateescape")


def read_csv(
    stream: IO[bytes],
    file: str,
    limits: Limits = DEFAULT_LIMITS,
    options: CsvOptions = DEFAULT_OPTIONS,
) -> Iterator[Item]:
    """Every encounter of a CSV export, streamed (rows of one encounter consecutive).

    A row that cannot be read as CSV, holds bytes that are not UTF-8, or is longer than the
    record size limit makes the encounter it sits in (or follows) an input error at its
    line; reading goes on with the next row.
    """
    state = _LineState()
    lines = _lines(stream, limits, state)
    first = next(lines, "")
    offset = 0
    """Lines before the header that are not rows (Excel's ``sep=`` line)."""
    delimiter = options.delimiter
    sep = _SEP_LINE.fullmatch(first)
    if sep is not None and sep.group(1) not in '\r\n"':
        delimiter, offset = sep.group(1), 1
        first = next(lines, "")
    elif first:
        delimiter = _delimiter(first, options)
    rows = csv.reader(
        itertools.chain([first] if first else [], lines), delimiter=delimiter, strict=True
    )
    current: _Encounter | None = None
    layout: _Layout | None = None
    broken: int | None = None
    """The line of an unreadable row right after the current encounter's rows."""
    line = 0
    filtered = 0
    while True:
        start = line + 1
        try:
            row = next(rows)
        except StopIteration:
            break
        except csv.Error as exc:
            line = rows.line_num + offset
            span = f"line {start}" if line <= start else f"lines {start}-{line}"
            unread: InputError | None = unreadable(
                Source(file, start), f"{span} cannot be read as CSV ({exc})"
            )
        else:
            line = rows.line_num + offset
            unread = None
            if state.overlong:
                at = state.overlong.pop()
                unread = InputError(
                    Source(file, at),
                    f"line {at} is larger than the {limits.max_record_bytes:,}-byte limit: "
                    "not read",
                    rule_id="B12-INPUT-004",
                )
        if unread is not None:
            # Its encounter is unknown: an error of its own; the encounter around it, if its
            # rows go on after it, is not checked either (it would be checked without a row).
            yield unread
            if layout is None:
                return  # no header: nothing after it can be read
            broken = broken or start
            continue
        if layout is None:
            layout = _Layout(row, options)
            if layout.missing or layout.twice:
                yield unreadable(
                    Source(file, start),
                    "the CSV header has no column for " + ", ".join(layout.missing)
                    if layout.missing
                    else "the CSV header names a column twice: "
                    + ", ".join(layout.twice)
                    + " (which one holds the value is not known): file not read",
                )
                return
            continue
        if not any(cell.strip(_BLANK_CELL) for cell in row):
            continue
        if not layout.keep(row):
            filtered += 1
            continue
        eid = layout.cell(row, "encounter_id")
        bad_id = _bad_text([eid])
        if not eid or bad_id:
            yield InputError(
                Source(file, start),
                "encounter_id is empty: row not checked"
                if not eid
                else f"line {start}: the encounter_id {bad_id}: row not checked",
                "/encounter_id",
                rule_id="B12-INPUT-002" if not eid else "B12-INPUT-001",
            )
            continue
        if current is None or eid != current.encounter_id:
            if current is not None:
                yield current.finish(limits)
            current = _Encounter(layout, file, start, row)
        elif broken is not None:
            current.fail(
                broken,
                f"line {broken}, among this encounter's rows, cannot be read: "
                "encounter not checked",
                "",
                "B12-INPUT-001",
            )
        broken = None
        bad = _bad_text(row)
        if bad:
            current.fail(start, f"line {start} {bad}: encounter not checked", "", "B12-INPUT-001")
        if len(row) > layout.width and any(cell.strip() for cell in row[layout.width :]):
            current.fail(
                start,
                f"line {start} has {len(row)} cells, the header {layout.width}: its columns do "
                "not line up (a delimiter in an unquoted cell?): encounter not checked",
                "",
                "B12-INPUT-002",
            )
        current.add(start, row, limits)
    if current is not None:
        yield current.finish(limits)
    not_judged(FILTERED, filtered)


__all__ = [
    "DEFAULT_OPTIONS",
    "FIELDS",
    "CsvConfigError",
    "CsvOptions",
    "read_csv",
]
