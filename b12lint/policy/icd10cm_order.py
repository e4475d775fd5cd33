"""The ICD-10-CM order file (``icd10cm_order_YYYY.txt``): the whole code set, fixed width.

Each line: order number in columns 1-5 (zero-filled), a blank, the code in columns 7-13
(left-justified, no dot), a blank, in column 15 ``0`` (a header: a category or subcategory
with children, not billable) or ``1`` (billable), a blank, the short title in columns 17-76,
a blank, the long title from column 78. Every line must fit; the codes' billable flags must
agree with the tree (a code is billable exactly when no other code extends it).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

from b12lint.policy.errors import LayoutError
from b12lint.policy.tabular import decoded_lines

_CODE = re.compile(r"[A-Z][0-9A-Z]{2}[0-9A-Z]{0,4}")


@dataclass(frozen=True, slots=True)
class OrderLine:
    """One code of the order file."""

    order: int
    code: str
    billable: bool
    short_title: str
    long_title: str
    line: int


def order_line(order: int, code: str, billable: bool, short: str, long: str) -> str:
    """One line of the order file in its published layout (a writer for tests and tools)."""
    return f"{order:05d} {code:<7} {int(billable)} {short[:60]:<60} {long}"


def _blank(path: Path, number: int, text: str, column: int) -> None:
    if len(text) < column or text[column - 1] != " ":
        raise LayoutError(str(path), f"expected a blank in column {column}", number, column)


def _line(path: Path, number: int, text: str) -> OrderLine:
    if len(text) < 78:
        raise LayoutError(
            str(path), "shorter than 78 columns (no long title)", number, len(text) + 1
        )
    order = text[0:5]
    if not order.isdigit():
        raise LayoutError(str(path), f"{order!r} is not a 5-digit order number", number, 1)
    _blank(path, number, text, 6)
    code = text[6:13].rstrip()
    if _CODE.fullmatch(code) is None or text[6:13] != code.ljust(7):
        raise LayoutError(str(path), f"{text[6:13]!r} is not an ICD-10-CM code", number, 7)
    _blank(path, number, text, 14)
    flag = text[14]
    if flag not in "01":
        raise LayoutError(str(path), f"{flag!r} is not a billable flag 0 or 1", number, 15)
    _blank(path, number, text, 16)
    _blank(path, number, text, 77)
    short_title = text[16:76].rstrip()
    long_title = text[77:].rstrip()
    if not short_title:
        raise LayoutError(str(path), "no short title", number, 17)
    if not long_title:
        raise LayoutError(str(path), "no long title", number, 78)
    return OrderLine(int(order), code, flag == "1", short_title, long_title, number)


def parse_order_file(path: Path) -> list[OrderLine]:
    """Every code of one order file, in order; any line that does not fit is an error."""
    lines: list[OrderLine] = []
    seen: dict[str, int] = {}
    previous = 0
    for number, text in enumerate(decoded_lines(path), start=1):
        raw = text.rstrip("\r\n")
        if not raw.strip():
            continue
        entry = _line(path, number, raw)
        if entry.order <= previous:
            raise LayoutError(str(path), "order numbers must increase", number, 1)
        if entry.code in seen:
            raise LayoutError(
                str(path), f"{entry.code} is already on line {seen[entry.code]}", number, 7
            )
        previous = entry.order
        seen[entry.code] = number
        lines.append(entry)
    if not lines:
        raise LayoutError(str(path), "no code")
    _check_tree(path, lines)
    return lines


def _check_tree(path: Path, lines: list[OrderLine]) -> None:
    prefixes = {e.code[:n] for e in lines for n in range(3, len(e.code))}
    listed = {e.code for e in lines}
    for entry in lines:
        if entry.code[:3] not in listed:
            raise LayoutError(
                str(path),
                f"{entry.code}: its category {entry.code[:3]} is not listed",
                entry.line,
                7,
            )
        if entry.billable == (entry.code in prefixes):
            said = "billable (1)" if entry.billable else "a header (0)"
            has = "has" if entry.code in prefixes else "has no"
            raise LayoutError(
                str(path),
                f"{entry.code} is flagged {said} but {has} codes below it",
                entry.line,
                15,
            )
