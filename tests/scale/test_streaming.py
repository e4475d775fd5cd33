"""Reporters that stream write exactly the bytes of the whole document."""

from __future__ import annotations

import io

import orjson
import pytest

from b12lint.engine.findings import finding
from b12lint.model import Report, Summary
from b12lint.reporters.json_report import render, report_document


@pytest.mark.parametrize("count", [0, 1, 1023, 1024, 1025, 2600])
def test_streamed_json_equals_the_whole_document(count: int) -> None:
    findings = [
        finding(
            "B12-UNITS-001",
            "error",
            "units",
            f"E-{i}" if i % 7 else None,
            f'message {i} with "quotes" and\na line break',
            "batch.jsonl",
            i if i % 5 else None,
            f"/lines/{i % 3}/units",
            (f"/lines/{i % 3}/units", [1, {"a": None}], True) if i % 2 else None,
        )
        for i in range(count)
    ]
    report = Report(
        findings=findings,
        summary=Summary(encounters=count),
        rulesets=[{"name": "b12-core", "version": "1", "rules": 2}],
    )
    out = io.StringIO()
    render(report, out)
    whole = orjson.dumps(
        report_document(report), option=orjson.OPT_INDENT_2 | orjson.OPT_NON_STR_KEYS
    )
    assert out.getvalue() == whole.decode() + "\n"
