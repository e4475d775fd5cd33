"""The JSON report of FORMATS.md section 2: same input, same bytes."""

from __future__ import annotations

from typing import Any, TextIO

import orjson

from b12lint.model import Report


def report_document(report: Report) -> dict[str, Any]:
    """The report as plain data, keys in contract order."""
    return {
        "tool": {"name": "b12lint", "version": report.tool_version},
        "rulesets": [dict(r) for r in report.rulesets],
        "summary": report.summary.report_dict(),
        "findings": [f.report_dict() for f in report.findings],
    }


def render(report: Report, stream: TextIO, color: bool = False) -> None:
    """Write the JSON report (2-space indent, trailing newline)."""
    options = orjson.OPT_INDENT_2 | orjson.OPT_NON_STR_KEYS
    data = orjson.dumps(report_document(report), option=options)
    stream.write(data.decode("utf-8"))
    stream.write("\n")
