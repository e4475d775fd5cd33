"""The CMS HCPCS Level II quarterly file, as its CSV/XLSX export with the record layout's
named columns (HCPC, SEQNUM, RECID, LONG DESCRIPTION, SHORT DESCRIPTION, ..., ADD DT,
ACT EFF DT, TERM DT, ACTION CD; other columns of the layout are allowed and not kept).

RECID 3 is a procedure code's first line and 4 its continuation lines (the rest of a long
description); 7 and 8 are the same for a modifier. Dates are ``YYYYMMDD`` or empty. A
continuation line without its first line, or any cell that does not fit, is an error.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass
from pathlib import Path

from b12lint.policy.errors import LayoutError
from b12lint.policy.tabular import Column, Row, Table, parse_yyyymmdd, read_table

_PROCEDURE = re.compile(r"[A-Z][0-9]{4}")
_MODIFIER = re.compile(r"[0-9A-Z]{2}")
_ACTIONS = frozenset("ABCDFNPRST")

COLUMNS = (
    Column("code", "HCPC", r"hcpcs?"),
    Column("seq", "SEQNUM", r"seq ?num"),
    Column("recid", "RECID", r"rec ?id"),
    Column("long", "LONG DESCRIPTION", r"long description"),
    Column("short", "SHORT DESCRIPTION", r"short description"),
    Column("added", "ADD DT", r"add dt"),
    Column("effective", "ACT EFF DT", r"act eff dt"),
    Column("terminated", "TERM DT", r"term dt"),
    Column("action", "ACTION CD", r"action cd"),
)


@dataclass(frozen=True, slots=True)
class HcpcsCode:
    """One HCPCS code (or modifier) with its whole long descriptor."""

    code: str
    modifier: bool
    long_description: str
    short_description: str
    added: dt.date | None
    effective: dt.date | None
    terminated: dt.date | None
    action: str
    line: int


def _first(table: Table, row: Row, recid: str) -> HcpcsCode:
    code = table.get(row, "code")
    modifier = recid == "7"
    shape = _MODIFIER if modifier else _PROCEDURE
    if shape.fullmatch(code) is None:
        kind = "modifier" if modifier else "HCPCS Level II code"
        raise table.error(row, "code", f"{code!r} is not a {kind}")
    action = table.get(row, "action")
    if action and action not in _ACTIONS:
        raise table.error(row, "action", f"{action!r} is not an action code")
    return HcpcsCode(
        code,
        modifier,
        table.get(row, "long"),
        table.get(row, "short"),
        parse_yyyymmdd(table, row, "added", star=True),
        parse_yyyymmdd(table, row, "effective", star=True),
        parse_yyyymmdd(table, row, "terminated", star=True),
        action,
        row.line,
    )


def parse_hcpcs(path: Path) -> list[HcpcsCode]:
    """Every code of one HCPCS file, continuation lines joined to their long descriptor."""
    table = read_table(path, COLUMNS, exact=False)
    codes: list[HcpcsCode] = []
    index: dict[str, int] = {}
    for row in table.rows:
        recid = table.get(row, "recid")
        if recid not in ("3", "4", "7", "8"):
            raise table.error(row, "recid", f"{recid!r} is not a record id 3, 4, 7 or 8")
        seq = table.get(row, "seq")
        if not seq.isdigit():
            raise table.error(row, "seq", f"{seq!r} is not a sequence number")
        code = table.get(row, "code")
        if recid in ("4", "8"):
            previous = codes[-1] if codes else None
            if previous is None or previous.code != code:
                raise table.error(
                    row, "recid", f"a continuation line of {code!r} without its first line"
                )
            joined = f"{previous.long_description} {table.get(row, 'long')}".strip()
            codes[-1] = HcpcsCode(
                previous.code,
                previous.modifier,
                joined,
                previous.short_description,
                previous.added,
                previous.effective,
                previous.terminated,
                previous.action,
                previous.line,
            )
            continue
        entry = _first(table, row, recid)
        if code in index:
            raise LayoutError(
                str(path), f"{code} is already on line {codes[index[code]].line}", row.line, 1
            )
        index[code] = len(codes)
        codes.append(entry)
    if not codes:
        raise LayoutError(str(path), "no code", table.header_line)
    return codes
