"""CSV for spreadsheets: a header row, then one finding a row (RFC 4180, UTF-8).

Cells that a spreadsheet would read as a formula (starting with ``=``, ``+``, ``-``, ``@``, a
tab or a carriage return) are prefixed with ``'``: encounter ids and messages come from claim
data, and a crafted value must not run in an auditor's spreadsheet (OWASP "CSV injection").
"""

from __future__ import annotations

import csv
from typing import Any, TextIO

import orjson

from b12lint.model import Finding, Report

COLUMNS = (
    "file",
    "line",
    "encounter_id",
    "rule_id",
    "severity",
    "category",
    "message",
    "pointer",
    "fix_value",
    "suppressed",
)
_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def safe_cell(value: Any) -> str:
    """A cell's text, defused if a spreadsheet would evaluate it."""
    if value is None:
        return ""
    if isinstance(value, bool | int | float):
        return str(value)
    text = str(value)
    return "'" + text if text.startswith(_FORMULA_START) else text


def _row(finding: Finding) -> list[str]:
    fix_value: Any = None
    if finding.fix is not None:
        value = finding.fix.value
        scalar = isinstance(value, str | int | float | bool)
        fix_value = value if scalar else orjson.dumps(value).decode("utf-8")
    cells: list[Any] = [
        finding.location.file,
        finding.location.line,
        finding.encounter_id,
        finding.rule_id,
        finding.severity,
        finding.category,
        finding.message,
        finding.location.pointer,
        fix_value,
        finding.suppressed_by,
    ]
    return [safe_cell(c) for c in cells]


def render(report: Report, stream: TextIO, color: bool = False) -> None:
    """Write the header and one row per finding (then suppressed ones, when shown)."""
    writer = csv.writer(stream, lineterminator="\r\n")
    writer.writerow(COLUMNS)
    for finding in (*report.findings, *report.suppressed):
        writer.writerow(_row(finding))
