"""Rows of a published table, each cell with its line and column: TXT (tab), CSV or XLSX.

A published file starts with preamble lines (titles, copyright text), then a header row, then
data rows. :func:`read_table` finds the header by the column names a layout expects and
refuses a file without one, naming the line that came closest and the column it lacked.
XLSX is read with openpyxl (the ``policy`` extra), imported only when an XLSX file is given.
"""

from __future__ import annotations

import csv
import datetime as dt
import re
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from b12lint.policy.errors import LayoutError

#: How many lines a preamble may take before the header must have come.
MAX_PREAMBLE = 200
_SPACES = re.compile(r"\s+")


@dataclass(frozen=True, slots=True)
class Column:
    """A column a layout expects: its key, its header as published, and optionally a regex
    for the header texts it accepts (default: the label itself)."""

    key: str
    label: str
    pattern: str | None = None
    required: bool = True

    def matches(self, text: str) -> bool:
        """Whether a header cell (spaces collapsed, any case) is this column."""
        pattern = self.pattern if self.pattern is not None else re.escape(self.label)
        return re.fullmatch(pattern, text, flags=re.IGNORECASE) is not None


@dataclass(frozen=True, slots=True)
class Row:
    """One data row: its 1-based line (spreadsheet row) and its cells."""

    line: int
    cells: tuple[str, ...]


@dataclass(frozen=True)
class Table:
    """A published table: the header's line and names, column positions, data rows."""

    file: str
    header_line: int
    header: tuple[str, ...]
    positions: dict[str, int]
    """Column key -> 0-based position (absent: an optional column the file lacks)."""
    rows: Iterator[Row]
    """The data rows, read as they are iterated (once)."""

    def get(self, row: Row, key: str) -> str:
        """The cell of ``key`` in ``row`` ("" when the row is short or the column absent)."""
        i = self.positions.get(key)
        if i is None or i >= len(row.cells):
            return ""
        return row.cells[i]

    def indexes(self, keys: Sequence[str]) -> tuple[int, ...]:
        """The positions of ``keys`` for :meth:`pick` (an absent column reads as "")."""
        return tuple(self.positions.get(key, 1 << 30) for key in keys)

    @staticmethod
    def pick(row: Row, indexes: Sequence[int]) -> list[str]:
        """The cells at ``indexes`` ("" past the row's end): one call a row, not one a cell."""
        values = row.cells
        n = len(values)
        return [values[i] if i < n else "" for i in indexes]

    def error(self, row: Row, key: str, message: str) -> LayoutError:
        """A :class:`LayoutError` at ``row``'s line and ``key``'s column."""
        i = self.positions.get(key)
        column = None if i is None else i + 1
        name = None if i is None else self.header[i]
        return LayoutError(self.file, message, row.line, column, name)


def normalise(text: str) -> str:
    """A header cell as compared: spaces (line breaks too) collapsed, trimmed."""
    return _SPACES.sub(" ", text).strip()


def decode(data: bytes) -> str:
    """UTF-8 (a BOM dropped), else Windows-1252 (CMS files), else Latin-1."""
    for encoding in ("utf-8-sig", "cp1252"):
        try:
            return data.decode(encoding)
        except UnicodeDecodeError:
            continue
    return data.decode("latin-1")


def _cell_text(value: object) -> str:
    if value is None:
        return ""
    if isinstance(value, dt.datetime | dt.date):
        return value.strftime("%Y%m%d")
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value).strip()


def _xlsx_rows(path: Path) -> Iterator[tuple[int, list[str]]]:
    try:
        import openpyxl
    except ImportError:  # pragma: no cover - depends on the environment
        raise LayoutError(
            str(path), "reading XLSX needs openpyxl: pip install 'b12lint[policy]'"
        ) from None
    try:
        workbook = openpyxl.load_workbook(path, read_only=True, data_only=True)
    except Exception as exc:  # openpyxl raises many types for a damaged workbook
        raise LayoutError(str(path), f"not a readable XLSX workbook: {exc}") from None
    try:
        sheet = workbook.worksheets[0]
        for number, values in enumerate(sheet.iter_rows(values_only=True), start=1):
            yield number, [_cell_text(v) for v in values]
    finally:
        workbook.close()


def decoded_lines(path: Path) -> Iterator[str]:
    """The lines of a text file, endings kept, read one at a time and each decoded as UTF-8
    (a BOM dropped), else Windows-1252 (CMS files), else Latin-1: a quarter's million-row file
    is never held in memory whole."""
    try:
        handle = path.open("rb")
    except OSError as exc:
        raise LayoutError(str(path), f"cannot read: {exc.strerror or exc}") from None
    with handle:
        for raw in handle:
            yield decode(raw)


def _csv_rows(path: Path) -> Iterator[tuple[int, list[str]]]:
    reader = csv.reader(decoded_lines(path), strict=True)
    while True:
        try:
            cells = next(reader)
        except StopIteration:
            return
        except csv.Error as exc:
            raise LayoutError(str(path), f"not valid CSV: {exc}", reader.line_num) from None
        yield reader.line_num, [c.strip() for c in cells]


def _tab_rows(path: Path) -> Iterator[tuple[int, list[str]]]:
    for number, line in enumerate(decoded_lines(path), start=1):
        yield number, [c.strip() for c in line.rstrip("\r\n").split("\t")]


def raw_rows(path: Path) -> Iterator[tuple[int, list[str]]]:
    """Every line of a TXT (tab-delimited), CSV or XLSX file as (line, cells), lazily."""
    suffix = path.suffix.lower()
    if suffix == ".xlsx":
        yield from _xlsx_rows(path)
    elif suffix == ".csv":
        yield from _csv_rows(path)
    elif suffix in (".txt", ".tsv"):
        yield from _tab_rows(path)
    else:
        raise LayoutError(str(path), f"unknown file type {suffix or '(none)'}: txt, csv or xlsx")


def _match_header(cells: Sequence[str], columns: Sequence[Column]) -> dict[str, int]:
    found: dict[str, int] = {}
    for i, cell in enumerate(cells):
        text = normalise(cell)
        for column in columns:
            if column.key not in found and column.matches(text):
                found[column.key] = i
                break
    return found


def read_table(path: Path, columns: Sequence[Column], *, exact: bool) -> Table:
    """The header (within :data:`MAX_PREAMBLE` lines) and the data rows after it.

    ``exact``: every non-empty header cell must be one of ``columns`` (else the extra column
    is an error); otherwise other columns are allowed and ignored. Blank rows are skipped; a
    data row with a value beyond the header's last column is an error at that column.
    """
    rows = raw_rows(path)
    best: tuple[int, int, list[str], dict[str, int]] | None = None
    header: tuple[int, list[str], dict[str, int]] | None = None
    required = [c for c in columns if c.required]
    for line, cells in rows:
        found = _match_header(cells, columns)
        if all(c.key in found for c in required):
            header = (line, cells, found)
            break
        if best is None or len(found) > best[1]:
            best = (line, len(found), cells, found)
        if line >= MAX_PREAMBLE:
            break
    if header is None:
        wanted = ", ".join(repr(c.label) for c in required)
        if best is not None and best[1] >= 2:
            missing = next(c for c in required if c.key not in best[3])
            raise LayoutError(
                str(path),
                f"the header has no column {missing.label!r}",
                best[0],
            )
        raise LayoutError(
            str(path), f"no header row with the columns {wanted} in the first {MAX_PREAMBLE} lines"
        )
    line, cells, found = header
    names = tuple(normalise(c) for c in cells)
    if exact:
        for i, name in enumerate(names):
            if name and i not in found.values():
                raise LayoutError(
                    str(path), "a column this layout does not have", line, i + 1, name
                )
    width = max(i for i, name in enumerate(names) if name) + 1
    return Table(str(path), line, names, found, _data_rows(path, rows, width))


def _data_rows(path: Path, rows: Iterator[tuple[int, list[str]]], width: int) -> Iterator[Row]:
    """The rows after the header: blank ones skipped, a value past ``width`` refused."""
    for number, values in rows:
        if not any(values):
            continue
        if len(values) > width and any(values[width:]):
            extra = next(i for i in range(width, len(values)) if values[i])
            raise LayoutError(
                str(path), "a value beyond the header's last column", number, extra + 1
            )
        yield Row(number, tuple(values))


@lru_cache(maxsize=4096)
def yyyymmdd(text: str) -> dt.date | None:
    """``YYYYMMDD`` as a date, None when it is not one (a file has few distinct dates)."""
    if len(text) != 8 or not text.isdigit():
        return None
    try:
        return dt.date(int(text[:4]), int(text[4:6]), int(text[6:]))
    except ValueError:
        return None


def parse_yyyymmdd(
    table: Table, row: Row, key: str, *, star: bool = False, text: str | None = None
) -> dt.date | None:
    """A ``YYYYMMDD`` date cell (``*`` or empty is None when ``star``), else an error.
    ``text``: the cell when the caller already picked it."""
    if text is None:
        text = table.get(row, key)
    if star and text in ("*", ""):
        return None
    date = yyyymmdd(text)
    if date is None:
        expected = "a date YYYYMMDD" + (" or *" if star else "")
        raise table.error(row, key, f"{text!r} is not {expected}")
    return date
