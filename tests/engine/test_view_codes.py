"""A claim line's code as exports write it: a code with its modifiers ("J3420-JZ")."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner

from b12lint.cli import cli
from b12lint.engine.view import EncounterView
from b12lint.model import validate_encounter


def _line(code: object, modifiers: list[str] | None = None) -> Any:
    record = {
        "encounter_id": "E",
        "date_of_service": "2026-03-02",
        "lines": [{"code": code, "units": 1, "modifiers": modifiers or []}],
    }
    return EncounterView(validate_encounter(record)).lines[0]


@pytest.mark.parametrize(
    ("code", "modifiers", "read", "mods"),
    [
        ("J3420", [], "J3420", []),
        (" j3420 ", [], "J3420", []),
        ("J3420-JZ", [], "J3420", ["JZ"]),
        ("99213-25", [], "99213", ["25"]),
        ("96372:59", [], "96372", ["59"]),
        ("96372-59-XU", [], "96372", ["59", "XU"]),
        ("J3420 GA GZ", [], "J3420", ["GA", "GZ"]),
        ("J3420-JZ", ["JZ"], "J3420", ["JZ"]),  # not twice
        ("J3420-KX", ["GA"], "J3420", ["GA", "KX"]),
        # not a code and its modifiers: kept as written, for the rules to judge
        ("J3420-J", [], "J3420-J", []),
        ("J34200", [], "J34200", []),
        ("J342-JZ", [], "J342-JZ", []),
        ("J3420 JZ extra", [], "J3420 JZ EXTRA", []),
    ],
)
def test_code_written_with_its_modifiers(
    code: str, modifiers: list[str], read: str, mods: list[str]
) -> None:
    line = _line(code, modifiers)
    assert line.code == read
    assert line.modifiers == mods


def test_a_claim_billing_j3420_jz_is_judged_not_skipped(tmp_path: Path) -> None:
    record = {
        "encounter_id": "C-1",
        "patient_id": "P-1",
        "date_of_service": "2026-03-02",
        "diagnoses": ["D51.0"],
        "lines": [
            {"code": "J3420-JZ", "units": 2, "dx_pointers": [1]},
            {"code": "96372", "units": 1, "dx_pointers": [1]},
        ],
    }
    path = tmp_path / "claim.json"
    path.write_text(json.dumps(record), encoding="utf-8")
    result = CliRunner().invoke(cli, ["check", str(path), "-f", "json"])
    report = json.loads(result.stdout)
    assert report["summary"]["b12_encounters"] == 1
    assert "B12-UNITS-003" in {f["rule_id"] for f in report["findings"]}
