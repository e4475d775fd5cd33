"""b12lint fix IN --output OUT: safe fixes only, a new file, every change reported."""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
import yaml
from click.testing import CliRunner

from b12lint.cli import cli
from b12lint.fix.plan import plan_fixes
from b12lint.model import Finding, Fix, Location

Make = Callable[..., dict[str, Any]]


def broken_records(make: Make) -> list[dict[str, Any]]:
    units = make(encounter_id="U-1", patient_id="P1")
    units["lines"][0]["units"] = 2  # B12-UNITS-001: safe fix 1
    ndc = make(encounter_id="N-1", patient_id="P2")
    ndc["lines"][0]["ndc"] = "0517-0031-01"  # B12-NDC-002: safe fix 00517003101
    ndc["lines"][0]["ndc_quantity"] = 30  # B12-NDC-004: safe fix 1
    em = make(encounter_id="M-1", patient_id="P3")
    # B12-MOD-001: reported, never fixed (modifier 25 asserts a documented separate service)
    em["lines"].append({"code": "99213", "units": 1, "dx_pointers": [1]})
    clean = make(encounter_id="C-1", patient_id="P4")
    return [units, ndc, em, clean]


def run_fix(*args: str) -> Any:
    return CliRunner().invoke(cli, ["fix", *args])


def test_jsonl_safe_fixes_applied_and_reported(isolated: Path, clean: Make) -> None:
    records = broken_records(clean)
    source = isolated / "in.jsonl"
    lines = [json.dumps(r) for r in records]
    lines.insert(2, "{not json")  # an unreadable line is kept as it is
    source.write_text("\n".join(lines) + "\n\n", encoding="utf-8")
    before = source.read_bytes()
    result = run_fix(str(source), "--output", str(isolated / "out.jsonl"))
    assert result.exit_code == 0, result.output
    assert source.read_bytes() == before  # never edited in place
    out = (isolated / "out.jsonl").read_text(encoding="utf-8").split("\n")
    assert out[2] == "{not json" and out[-2:] == ["", ""]
    fixed = [json.loads(line) for line in out if line.startswith('{"')]
    assert fixed[0]["lines"][0]["units"] == 1
    assert fixed[1]["lines"][0]["ndc"] == "00517003101"
    assert fixed[1]["lines"][0]["ndc_quantity"] == 1
    assert "25" not in (fixed[2]["lines"][2].get("modifiers") or [])  # never added
    assert out[3] == lines[3] and out[4] == lines[4]  # untouched records: same bytes
    text = result.output
    assert "in.jsonl:1: U-1 /lines/0/units: 2 -> 1 (B12-UNITS-001)" in text
    assert "N-1 /lines/0/ndc: '0517-0031-01' -> '00517003101' (B12-NDC-002)" in text
    assert "N-1 /lines/0/ndc_quantity: 30 -> 1 (B12-NDC-004)" in text
    assert "3 fixes applied to 2 encounters" in text
    assert "needs review" not in text  # B12-MOD-001 proposes no fix at all
    # the output has no safe fix left
    again = CliRunner().invoke(cli, ["check", str(isolated / "out.jsonl"), "-f", "json"])
    report = json.loads(again.stdout)
    assert not [f for f in report["findings"] if f.get("fix") and f["rule_id"] != "B12-MOD-001"]


def test_json_and_yaml_round_trip(isolated: Path, clean: Make) -> None:
    records = broken_records(clean)
    (isolated / "in.json").write_text(json.dumps(records, indent=4), encoding="utf-8")
    result = run_fix("in.json", "-o", "out.json")
    assert result.exit_code == 0, result.output
    fixed = json.loads((isolated / "out.json").read_text(encoding="utf-8"))
    assert [r["encounter_id"] for r in fixed] == ["U-1", "N-1", "M-1", "C-1"]
    assert fixed[0]["lines"][0]["units"] == 1 and fixed[3] == records[3]

    (isolated / "in.yaml").write_text(
        "# a comment\n" + yaml.safe_dump(records[0]) + "---\n" + yaml.safe_dump(records[1:]),
        encoding="utf-8",
    )
    result = run_fix("in.yaml", "-o", "out.yml")
    assert result.exit_code == 0, result.output
    docs = list(yaml.safe_load_all((isolated / "out.yml").read_text(encoding="utf-8")))
    assert docs[0]["lines"][0]["units"] == 1
    assert [r["encounter_id"] for r in docs[1]] == ["N-1", "M-1", "C-1"]
    assert docs[1][0]["lines"][0]["ndc"] == "00517003101"


def test_nothing_to_fix_copies_the_file(isolated: Path, clean: Make) -> None:
    text = json.dumps([clean()], indent=3) + "\n"
    (isolated / "in.json").write_text(text, encoding="utf-8")
    result = run_fix("in.json", "-o", "out.json")
    assert result.exit_code == 0
    assert "0 fixes applied to 0 encounters" in result.output
    assert (isolated / "out.json").read_text(encoding="utf-8") == text


def test_duplicate_ids_fix_only_the_checked_record(isolated: Path, clean: Make) -> None:
    first = clean(encounter_id="D-1")
    first["lines"][0]["units"] = 2
    second = clean(encounter_id="D-1")
    second["lines"][0]["units"] = 3
    (isolated / "in.jsonl").write_text(
        json.dumps(first) + "\n" + json.dumps(second) + "\n", encoding="utf-8"
    )
    assert run_fix("in.jsonl", "-o", "out.jsonl").exit_code == 0
    out = [json.loads(x) for x in (isolated / "out.jsonl").read_text().splitlines()]
    assert [r["lines"][0]["units"] for r in out] == [1, 3]


@pytest.mark.parametrize(
    ("files", "args", "message"),
    [
        ({"in.jsonl": "{}\n"}, ["in.jsonl", "-o", "in.jsonl"], "never edits in place"),
        ({"in.jsonl": "{}\n"}, ["in.jsonl", "-o", "./sub/../in.jsonl"], "never edits in place"),
        ({"in.jsonl": "{}\n"}, ["in.jsonl", "-o", "out.json"], "same format"),
        ({"in.txt": "{}\n"}, ["in.txt", "-o", "out.txt"], "unknown file type"),
        ({}, ["missing.jsonl", "-o", "out.jsonl"], "no such file"),
        ({"in.json": '[{"encounter_id": '}, ["in.json", "-o", "out.json"], "not valid JSON"),
        ({"in.yaml": "a: &x 1\nb: *x\n"}, ["in.yaml", "-o", "out.yaml"], "not valid YAML"),
        ({"in.jsonl": "{}\n"}, ["in.jsonl", "-o", "nodir/out.jsonl"], "cannot write"),
        ({"in.jsonl": "{}\n"}, ["in.jsonl", "-o", "."], "is a directory"),
    ],
)
def test_bad_usage_exits_2(
    isolated: Path, files: dict[str, str], args: list[str], message: str
) -> None:
    (isolated / "sub").mkdir()
    for name, text in files.items():
        (isolated / name).write_text(text, encoding="utf-8")
    result = run_fix(*args)
    assert result.exit_code == 2, result.output
    assert message in result.output
    assert not (isolated / "out.jsonl").exists()


def test_missing_output_option_exits_2(isolated: Path) -> None:
    (isolated / "in.jsonl").write_text("{}\n", encoding="utf-8")
    assert run_fix("in.jsonl").exit_code == 2


def _finding(rule: str, pointer: str, value: Any, safe: bool = True) -> Finding:
    return Finding(
        rule_id=rule,
        severity="error",
        category="units",
        encounter_id="E-1",
        message="m",
        location=Location(file="f", line=1, pointer=pointer),
        fix=Fix(pointer=pointer, value=value, safe=safe),
    )


def test_plan_keeps_agreeing_fixes_and_drops_conflicts() -> None:
    plan = plan_fixes(
        [
            _finding("R-1", "/lines/0/units", 1),
            _finding("R-2", "/lines/0/units", 1),
            _finding("R-3", "/lines/1/units", 1),
            _finding("R-4", "/lines/1/units", 2),
            _finding("R-5", "/lines/2/code", "96374", safe=False),
        ]
    )
    assert [(c.pointer, c.value, c.rules) for c in plan.changes["E-1"]] == [
        ("/lines/0/units", 1, ("R-1", "R-2"))
    ]
    assert plan.conflicts == [("E-1", "/lines/1/units", ("R-3", "R-4"))]
    assert [f.rule_id for f in plan.needs_review] == ["R-5"]
    assert plan.count == 1
