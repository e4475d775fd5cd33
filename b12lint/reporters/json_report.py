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


_OPTIONS = orjson.OPT_INDENT_2 | orjson.OPT_NON_STR_KEYS
_EMPTY = b"[]\n}"
_BATCH = 1024


def render(report: Report, stream: TextIO, color: bool = False) -> None:
    """Write the JSON report (2-space indent, trailing newline).

    The findings are written as they are turned into JSON, a batch at a time, never as one
    document in memory: the bytes are those of ``orjson.dumps(report_document(report))``.
    """
    head = report_document(
        Report(
            findings=[],
            summary=report.summary,
            rulesets=report.rulesets,
            tool_version=report.tool_version,
        )
    )
    text = orjson.dumps(head, option=_OPTIONS)
    if not report.findings:
        stream.write(text.decode("utf-8"))
        stream.write("\n")
        return
    assert text.endswith(_EMPTY)
    stream.write(text[: -len(_EMPTY)].decode("utf-8") + "[\n")
    batch: list[bytes] = []
    first = True
    for finding in report.findings:
        item = orjson.dumps(finding.report_dict(), option=_OPTIONS)
        batch.append(b"    " + item.replace(b"\n", b"\n    "))  # nested two levels deep
        if len(batch) == _BATCH:
            stream.write(("" if first else ",\n") + b",\n".join(batch).decode("utf-8"))
            batch, first = [], False
    if batch:
        stream.write(("" if first else ",\n") + b",\n".join(batch).decode("utf-8"))
    stream.write("\n  ]\n}\n")
