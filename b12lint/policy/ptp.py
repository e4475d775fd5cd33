"""NCCI procedure-to-procedure (PTP) edit files: practitioner, hospital outpatient, Medicaid.

The quarterly files (tab-delimited TXT, or the same columns in CSV/XLSX) open with preamble
lines (title, CPT copyright notice), then a header row::

    Column 1 | Column 2 | * = In existence prior to 1996 | Effective Date |
    Deletion Date *=no data | Modifier 0=not allowed 1=allowed 9=not applicable |
    PTP Edit Rationale

then one row per code pair. Dates are ``YYYYMMDD``; a deletion date of ``*`` means the pair is
not deleted; the deletion date is read as the last date of service the pair applies to.
Anything else is a :class:`~b12lint.policy.errors.LayoutError` at its line and column.
"""

from __future__ import annotations

import datetime as dt
import itertools
import re
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

from b12lint.policy.errors import LayoutError
from b12lint.policy.tabular import Column, Row, Table, parse_yyyymmdd, read_table

_LEGEND = re.compile(r"(\*|[0-9])\s*=.*")
#: A CPT or HCPCS Level II code: five characters, digits and capitals.
CODE = re.compile(r"[0-9A-Z]{4}[0-9A-Z]")

COLUMNS = (
    Column("column1", "Column 1", r"column\s*1"),
    Column("column2", "Column 2", r"column\s*2"),
    Column("prior_1996", "* = In existence prior to 1996", r"\*\s*=\s*in existence prior to 1996"),
    Column("effective", "Effective Date", r"effective date"),
    Column("deletion", "Deletion Date *=no data", r"deletion date(\s*\*\s*=\s*no data)?"),
    Column(
        "modifier",
        "Modifier 0=not allowed 1=allowed 9=not applicable",
        r"modifier(\s*0\s*=\s*not allowed\s*1\s*=\s*allowed\s*9\s*=\s*not applicable)?",
    ),
    Column("rationale", "PTP Edit Rationale", r"ptp edit rationale"),
)


@dataclass(frozen=True, slots=True)
class PtpEdit:
    """One code pair: column 2 is not paid with column 1 on one day unless the modifier
    indicator allows a modifier (0 never, 1 with a modifier, 9 not applicable)."""

    column1: str
    column2: str
    prior_1996: bool
    effective: dt.date
    deletion: dt.date | None
    modifier: int
    rationale: str
    line: int

    def in_force(self, date: dt.date) -> bool:
        """Whether the pair applies on a date of service."""
        return self.effective <= date and (self.deletion is None or date <= self.deletion)


_KEYS = tuple(column.key for column in COLUMNS)
_MODIFIERS = {"0": 0, "1": 1, "9": 9}


def _edit(table: Table, row: Row, indexes: tuple[int, ...]) -> PtpEdit:
    column1, column2, prior, effective_text, deletion_text, modifier, rationale = table.pick(
        row, indexes
    )
    for key, code in (("column1", column1), ("column2", column2)):
        if CODE.fullmatch(code) is None:
            raise table.error(row, key, f"{code!r} is not a 5-character CPT/HCPCS code")
    if prior not in ("", "*"):
        raise table.error(row, "prior_1996", f"{prior!r} is not * or empty")
    effective = parse_yyyymmdd(table, row, "effective", text=effective_text)
    deletion = parse_yyyymmdd(table, row, "deletion", star=True, text=deletion_text)
    assert effective is not None
    if deletion is not None and deletion < effective:
        raise table.error(row, "deletion", "the deletion date is before the effective date")
    indicator = _MODIFIERS.get(modifier)
    if indicator is None:
        raise table.error(row, "modifier", f"{modifier!r} is not a modifier indicator 0, 1 or 9")
    return PtpEdit(
        column1, column2, prior == "*", effective, deletion, indicator, rationale, row.line
    )


def _header_continuation(table: Table, row: Row) -> bool:
    """The header's second line some editions have (``*=no data`` under Deletion Date,
    ``0=not allowed ...`` under Modifier): no codes, and only ``x=...`` legends."""
    if row.line != table.header_line + 1 or table.get(row, "column1") or table.get(row, "column2"):
        return False
    cells = [c for c in row.cells if c]
    return bool(cells) and all(_LEGEND.fullmatch(c) for c in cells)


def _key(edit: PtpEdit) -> int:
    """A pair and its effective date as one integer (exact: codes in base 36, the day)."""
    return (int(edit.column1, 36) * 36**5 + int(edit.column2, 36)) << 20 | (
        edit.effective.toordinal()
    )


def _rows(path: Path) -> Iterator[tuple[Row, PtpEdit]]:
    table = read_table(path, COLUMNS, exact=True)
    rows = table.rows
    first = next(rows, None)
    if first is None:
        return
    if not _header_continuation(table, first):
        rows = itertools.chain((first,), rows)
    indexes = table.indexes(_KEYS)
    for row in rows:
        yield row, _edit(table, row, indexes)


def iter_ptp(path: Path) -> Iterator[PtpEdit]:
    """Every code pair of one PTP file, in file order, read as it is iterated; a pair listed
    twice (same codes and effective date) is an error naming both lines. Only a set of
    integers is kept for that (a quarter's file has about a million rows)."""
    seen: set[int] = set()
    for row, edit in _rows(path):
        key = _key(edit)
        if key in seen:
            first = next(r.line for r, e in _rows(path) if _key(e) == key)
            raise LayoutError(
                str(path),
                f"pair {edit.column1} x {edit.column2} effective {edit.effective} is already "
                f"on line {first}",
                row.line,
                1,
            )
        seen.add(key)
        yield edit


def parse_ptp(path: Path) -> list[PtpEdit]:
    """Every code pair of one PTP file (:func:`iter_ptp` as a list)."""
    return list(iter_ptp(path))
