"""NCCI Medically Unlikely Edit (MUE) tables: practitioner, outpatient hospital, Medicaid.

A CSV or XLSX file: preamble lines (the CPT copyright notice), then a header row::

    HCPCS/CPT Code | <Practitioner|Outpatient Hospital|DME Supplier> Services MUE Values |
    MUE Adjudication Indicator | MUE Rationale

(the adjudication indicator column is absent from some files), then one row per code. The
indicator reads like ``3 Date of Service Edit: Clinical``: its leading digit (1 line edit,
2 date of service edit: policy, 3 date of service edit: clinical) is what is kept.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

from b12lint.policy.errors import LayoutError
from b12lint.policy.ptp import CODE
from b12lint.policy.tabular import Column, Row, Table, read_table

#: Provider type of an MUE file -> the words of its values column.
SERVICES = {
    "practitioner": "Practitioner",
    "outpatient": "Outpatient Hospital",
    "dme": "DME Supplier",
}
_VALUES = r"(practitioner|outpatient hospital|dme supplier) services mue values?"
_INDICATOR = re.compile(r"([123])(\D.*)?")

COLUMNS = (
    Column("code", "HCPCS/CPT Code", r"hcpcs\s*/\s*cpt code"),
    Column("value", "<Practitioner|Outpatient Hospital|DME Supplier> Services MUE Values", _VALUES),
    Column(
        "indicator", "MUE Adjudication Indicator", r"mue adjudication indicator", required=False
    ),
    Column("rationale", "MUE Rationale", r"mue rationale"),
)


@dataclass(frozen=True, slots=True)
class MueRow:
    """One code's MUE: at most ``value`` units (per line, or per date of service)."""

    code: str
    value: int
    indicator: int | None
    rationale: str
    line: int


def services(table: Table) -> str:
    """The provider type the header's values column names (a key of :data:`SERVICES`)."""
    header = table.header[table.positions["value"]].lower()
    return next(key for key, words in SERVICES.items() if header.startswith(words.lower()))


def _row(table: Table, row: Row) -> MueRow:
    code = table.get(row, "code")
    if CODE.fullmatch(code) is None:
        raise table.error(row, "code", f"{code!r} is not a 5-character CPT/HCPCS code")
    value = table.get(row, "value")
    if not value.isdigit():
        raise table.error(row, "value", f"{value!r} is not a whole number of units")
    indicator: int | None = None
    if "indicator" in table.positions:
        text = table.get(row, "indicator")
        match = _INDICATOR.fullmatch(text)
        if match is None:
            raise table.error(row, "indicator", f"{text!r} is not an adjudication indicator 1-3")
        indicator = int(match.group(1))
    return MueRow(code, int(value), indicator, table.get(row, "rationale"), row.line)


def parse_mue(path: Path, expected: str | None = None) -> tuple[str, list[MueRow]]:
    """The provider type and every row of one MUE file; ``expected`` (a key of
    :data:`SERVICES`) refuses a file for another provider type at its header cell."""
    table = read_table(path, COLUMNS, exact=True)
    kind = services(table)
    if expected is not None and kind != expected:
        column = table.positions["value"] + 1
        raise LayoutError(
            str(path),
            f"a {SERVICES[kind]} Services MUE file, not {SERVICES[expected]} Services",
            table.header_line,
            column,
        )
    rows: list[MueRow] = []
    seen: dict[str, int] = {}
    for row in table.rows:
        mue = _row(table, row)
        if mue.code in seen:
            raise LayoutError(
                str(path), f"{mue.code} is already on line {seen[mue.code]}", row.line, 1
            )
        seen[mue.code] = row.line
        rows.append(mue)
    return kind, rows
