"""The JSON report: valid against schemas/report.schema.json; same input, same bytes."""

from __future__ import annotations

import io
import json
from collections.abc import Callable
from pathlib import Path
from typing import Any

import jsonschema
import pytest

from b12lint.engine import Ruleset, run
from b12lint.model import Report
from b12lint.readers import read_inputs
from b12lint.reporters import get_reporter
from b12lint.reporters.json_report import render, report_document

ROOT = Path(__file__).resolve().parents[2]
MakeRecord = Callable[..., dict[str, Any]]


@pytest.fixture(scope="module")
def validator() -> Any:
    schema = json.loads((ROOT / "schemas" / "report.schema.json").read_text(encoding="utf-8"))
    cls = jsonschema.validators.validator_for(schema)
    cls.check_schema(schema)
    return cls(schema, format_checker=cls.FORMAT_CHECKER)


@pytest.fixture
def batch(tmp_path: Path, make_record: MakeRecord, make_flu: MakeRecord) -> Path:
    records = [
        make_record("A"),
        make_record("B", lines=[{"code": "J3420", "units": 2, "ndc": "0517-0031-25"}]),
        make_record("C", rendering_npi="0000000000", documentation={"phase": "loading-ish"}),
        make_flu("F"),
    ]
    lines = [json.dumps(r) for r in records]
    lines.insert(2, '{"encounter_id": "broken"')
    lines.append(json.dumps(make_record("A")))  # duplicate
    path = tmp_path / "batch.jsonl"
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


def build(path: Path, ruleset: Ruleset) -> Report:
    result = run(read_inputs([str(path)]), ruleset)
    return Report(findings=result.findings, summary=result.summary, rulesets=ruleset.info())


def render_bytes(report: Report) -> bytes:
    out = io.StringIO()
    render(report, out)
    return out.getvalue().encode("utf-8")


def test_the_report_validates_against_the_schema(
    batch: Path, core_ruleset: Ruleset, validator: Any
) -> None:
    document = json.loads(render_bytes(build(batch, core_ruleset)))
    errors = sorted(validator.iter_errors(document), key=lambda e: list(e.path))
    assert errors == [], [e.message for e in errors]
    assert document["findings"], "the batch has findings to validate"
    assert {f["category"] for f in document["findings"]} >= {"units", "input", "provider", "ndc"}
    assert any("fix" in f for f in document["findings"])
    assert any("fix" not in f for f in document["findings"])


def test_the_report_follows_the_contract(batch: Path, core_ruleset: Ruleset) -> None:
    document = json.loads(render_bytes(build(batch, core_ruleset)))
    assert list(document) == ["tool", "rulesets", "summary", "findings"]
    assert document["tool"] == {"name": "b12lint", "version": "0.1.0"}
    assert document["rulesets"] == [
        {"name": "b12-core", "version": "2026.11", "rules": len(core_ruleset.rules)}
    ]
    summary = document["summary"]
    assert (summary["encounters"], summary["b12_encounters"], summary["input_errors"]) == (4, 3, 2)
    assert summary["findings"] == len(document["findings"])
    assert summary["by_severity"] == {
        sev: sum(f["severity"] == sev for f in document["findings"])
        for sev in ("error", "warning", "info")
    }
    assert summary["suppressed"] == 0
    keys = [
        (f["location"]["file"], f["location"]["line"], f["encounter_id"] or "", f["rule_id"])
        for f in document["findings"]
    ]
    assert keys == sorted(keys)
    units = next(f for f in document["findings"] if f["rule_id"] == "B12-UNITS-001")
    assert units == {
        "rule_id": "B12-UNITS-001",
        "severity": "error",
        "category": "units",
        "encounter_id": "B",
        "message": "J3420 billed 2 units but 1,000 mcg is documented (1 unit expected)",
        "location": {"file": str(batch), "line": 2, "pointer": "/lines/0/units"},
        "fix": {"pointer": "/lines/0/units", "value": 1},
    }
    broken = next(f for f in document["findings"] if f["category"] == "input")
    assert broken["location"]["line"] == 3 and broken["encounter_id"] is None


def test_same_input_same_bytes(batch: Path, core_ruleset: Ruleset) -> None:
    first = render_bytes(build(batch, core_ruleset))
    second = render_bytes(build(batch, core_ruleset))
    assert first == second
    assert first.endswith(b"}\n")
    assert b'\n  "tool": {' in first  # 2-space indent


def test_the_document_holds_no_internal_fields(batch: Path, core_ruleset: Ruleset) -> None:
    text = render_bytes(build(batch, core_ruleset)).decode()
    for internal in ('"context"', '"subject"', '"safe"', '"digest"', "PT-"):
        assert internal not in text


def test_report_document_of_an_empty_run(core_ruleset: Ruleset, validator: Any) -> None:
    result = run([], core_ruleset)
    document = report_document(
        Report(findings=result.findings, summary=result.summary, rulesets=core_ruleset.info())
    )
    assert document["findings"] == []
    assert document["summary"]["encounters"] == 0
    assert "without_chart" not in document["summary"]
    assert list(validator.iter_errors(document)) == []


def test_the_registry_serves_the_json_reporter() -> None:
    assert get_reporter("json") is render
