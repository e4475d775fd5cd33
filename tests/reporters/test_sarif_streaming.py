"""SARIF written as its results are made (findings streamed from disk): the same bytes as the
whole document dumped at once, across write batches, with suppressed results and with none."""

from __future__ import annotations

import io
from pathlib import Path

import orjson
import pytest

from b12lint.engine.findings import context, finding
from b12lint.engine.spill import SpillArea
from b12lint.engine.spilled import FindingSink, SpilledFindings
from b12lint.model import Finding, Report, Summary
from b12lint.reporters.sarif import document, render


def findings(n: int) -> list[Finding]:
    ctx = context("PT-1", "1234567890", "2026-01-02", "medicare", None)
    return [
        finding(
            f"B12-T-00{i % 3}",
            ("error", "warning", "info")[i % 3],
            "dose",
            f"E{i % 97}" if i % 5 else None,
            f"message {i} \u00e9",
            ("a.jsonl", "dir/b c.jsonl", "<stdin>")[i % 3],
            i % 50 or None,
            "/lines/0",
            ("/lines/0/units", i, True) if i % 7 == 0 else None,
            None,
            ctx if i % 2 else None,
        )
        for i in range(n)
    ]


def whole(report: Report) -> str:
    option = orjson.OPT_INDENT_2 | orjson.OPT_NON_STR_KEYS
    return orjson.dumps(document(report), option=option).decode("utf-8") + "\n"


def streamed(report: Report) -> str:
    out = io.StringIO()
    render(report, out)
    return out.getvalue()


@pytest.mark.parametrize(("count", "quiet"), [(0, 0), (0, 3), (5, 0), (1024, 0), (2600, 40)])
def test_streamed_sarif_is_the_whole_document(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, count: int, quiet: int
) -> None:
    monkeypatch.chdir(tmp_path)
    made = findings(count + quiet)
    shown, suppressed = made[:count], made[count:]
    suppressed = [f.model_copy(update={"suppressed_by": "baseline"}) for f in suppressed]
    with SpillArea(100) as area:
        sink = FindingSink(area)
        sink.extend(shown)
        spilled = sink.sorted()
        assert isinstance(spilled, SpilledFindings) or count < 100
        report = Report(
            findings=spilled,
            summary=Summary(findings=count),
            rulesets=[],
            notes=['a note with "results": [] in it'],
            suppressed=suppressed,
            root=str(tmp_path),
        )
        text = streamed(report)
        assert text == whole(report)
    data = orjson.loads(text)
    assert len(data["runs"][0]["results"]) == count + quiet
    assert data["runs"][0]["columnKind"] == "unicodeCodePoints"
