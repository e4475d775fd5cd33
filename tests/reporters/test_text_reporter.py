"""Text output: ``file:line: ENCOUNTER RULE-ID severity message`` then a summary line."""

from __future__ import annotations

import io
import re
from typing import Any

import pytest

from b12lint.model import Finding, Fix, Location, Report, Summary
from b12lint.reporters import get_reporter
from b12lint.reporters.text import format_finding, render


def finding(**changes: Any) -> Finding:
    data: dict[str, Any] = {
        "rule_id": "B12-UNITS-001",
        "severity": "error",
        "category": "units",
        "encounter_id": "ENC-1001",
        "message": "J3420 billed 2 units but 1,000 mcg is documented (1 unit expected)",
        "location": Location(file="batch.jsonl", line=14, pointer="/lines/0/units"),
    }
    data.update(changes)
    return Finding(**data)


def report(findings: list[Finding], **summary: Any) -> Report:
    counts = {"error": 0, "warning": 0, "info": 0}
    for f in findings:
        counts[f.severity] += 1
    s = Summary(findings=len(findings), by_severity=counts, **summary)
    return Report(findings=findings, summary=s, rulesets=[])


def rendered(rep: Report, color: bool = False) -> str:
    out = io.StringIO()
    render(rep, out, color)
    return out.getvalue()


def test_one_finding_per_line_in_the_documented_shape() -> None:
    assert format_finding(finding()) == (
        "batch.jsonl:14: ENC-1001 B12-UNITS-001 error "
        "J3420 billed 2 units but 1,000 mcg is documented (1 unit expected)"
    )


def test_unknown_line_and_encounter() -> None:
    f = finding(
        rule_id="B12-INPUT-001",
        category="input",
        encounter_id=None,
        message="file larger than 10 bytes",
        location=Location(file="big.json", line=None),
    )
    assert format_finding(f) == "big.json: - B12-INPUT-001 error file larger than 10 bytes"


@pytest.mark.parametrize("severity", ["error", "warning", "info"])
def test_every_severity(severity: str) -> None:
    assert f" B12-UNITS-001 {severity} J3420" in format_finding(finding(severity=severity))


def test_colour_only_when_asked() -> None:
    plain = format_finding(finding())
    coloured = format_finding(finding(), color=True)
    assert "\x1b[" not in plain
    assert "\x1b[31merror\x1b[0m" in coloured
    assert re.sub(r"\x1b\[[0-9;]*m", "", coloured) == plain


def test_render_lists_findings_then_a_summary_that_accounts_for_every_record() -> None:
    findings = [
        finding(),
        finding(severity="warning", rule_id="B12-FREQ-002", category="frequency", message="m"),
    ]
    rep = report(findings, encounters=120, b12_encounters=64, input_errors=1)
    text = rendered(rep)
    lines = text.splitlines()
    assert lines[0] == format_finding(findings[0])
    assert lines[1] == format_finding(findings[1])
    assert lines[2] == ""
    assert lines[3] == (
        "2 findings (1 error, 1 warning, 0 info); 64 of 120 encounters in B12 scope; 1 input error."
    )
    assert "\x1b[" not in text


def test_summary_only_when_clean() -> None:
    text = rendered(report([], encounters=1, b12_encounters=1))
    assert text == (
        "0 findings (0 error, 0 warning, 0 info); 1 of 1 encounter in B12 scope; 0 input errors.\n"
    )


def test_notes_suppressed_and_without_chart_are_shown() -> None:
    rep = report([], encounters=3, b12_encounters=2, suppressed=4, without_chart=2)
    rep.notes.append("baseline entry X is stale")
    text = rendered(rep)
    assert "note: baseline entry X is stale\n" in text
    assert "4 suppressed" in text
    assert "2 without chart" in text


def test_fixable_findings_are_counted() -> None:
    fix = Fix(pointer="/lines/0/units", value=1)
    unsafe = Fix(pointer="/lines/1/code", value="96374", safe=False)
    text = rendered(report([finding(fix=fix), finding(fix=unsafe), finding()]))
    assert "1 finding can be fixed" in text


def test_the_registry_knows_text_and_json() -> None:
    assert get_reporter("text") is render
    assert callable(get_reporter("json"))
    with pytest.raises(KeyError, match="unknown format 'nope'"):
        get_reporter("nope")
