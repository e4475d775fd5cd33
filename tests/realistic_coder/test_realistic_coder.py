"""A coder's second look at the built-in pack: realistic encounters written from
``../shared/DOMAIN.md`` and ``../shared/FORMATS.md`` before the rules were read.

``expected.yaml`` gives per encounter ``clean`` (no error or warning) or the FORMATS.md category
of its one defect, with the policy fact it rests on. An ``xfail`` entry names the rule that is
wrong on that encounter and why; the set is checked once, as one batch, the way
``b12lint check tests/realistic_coder/encounters.jsonl -f json`` checks it.
"""

from __future__ import annotations

import json
from collections import defaultdict
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
import yaml
from click.testing import CliRunner

from b12lint.cli import cli
from b12lint.model.finding import CATEGORIES as FINDING_CATEGORIES

HERE = Path(__file__).resolve().parent
ENCOUNTERS = HERE / "encounters.jsonl"
EXPECTED = HERE / "expected.yaml"
CATEGORIES = {"clean", *FINDING_CATEGORIES} - {"input"}  # a rule category or clean
BLOCKING = {"error", "warning"}


@dataclass(frozen=True)
class Case:
    """One encounter's expectation."""

    encounter_id: str
    expect: str
    note: str
    xfail: str | None


def load_cases() -> list[Case]:
    """The expectations, in file order."""
    data = yaml.safe_load(EXPECTED.read_text(encoding="utf-8"))["encounters"]
    return [Case(eid, str(e["expect"]), str(e["note"]), e.get("xfail")) for eid, e in data.items()]


def load_records() -> list[dict[str, Any]]:
    """The encounters, in file order."""
    lines = ENCOUNTERS.read_text(encoding="utf-8").splitlines()
    return [json.loads(line) for line in lines if line.strip()]


@pytest.fixture(scope="module")
def report() -> dict[str, Any]:
    """The JSON report of the whole set, through the CLI as a user runs it."""
    result = CliRunner().invoke(cli, ["check", str(ENCOUNTERS), "-f", "json"])
    assert result.exit_code in (0, 1), result.output
    parsed: dict[str, Any] = json.loads(result.stdout)
    return parsed


@pytest.fixture(scope="module")
def blocking(report: dict[str, Any]) -> dict[str, list[dict[str, Any]]]:
    """Error and warning findings per encounter id."""
    found: dict[str, list[dict[str, Any]]] = defaultdict(list)
    for finding in report["findings"]:
        if finding["severity"] in BLOCKING:
            found[finding["encounter_id"]].append(finding)
    return found


def _param(case: Case) -> object:
    marks = [pytest.mark.xfail(reason=case.xfail, strict=True)] if case.xfail else []
    return pytest.param(case, id=case.encounter_id, marks=marks)


def test_the_set_is_realistic_in_size_and_mix() -> None:
    cases = load_cases()
    records = load_records()
    assert [r["encounter_id"] for r in records] == [c.encounter_id for c in cases]
    assert len(cases) >= 80
    clean = [c for c in cases if c.expect == "clean"]
    assert len(clean) * 10 >= len(cases) * 6, "at least 60% correctly billed and documented"
    assert {c.expect for c in cases} <= CATEGORIES
    assert all(c.note for c in cases)
    payers = {r["payer"]["type"] for r in records if "payer" in r}
    assert {"medicare", "medicare_advantage", "medicaid", "commercial"} <= payers
    years = {int(r["date_of_service"][:4]) for r in records}
    assert min(years) <= 2016 and max(years) >= 2026


def test_every_record_is_read_and_none_is_an_input_error(report: dict[str, Any]) -> None:
    summary = report["summary"]
    assert summary["encounters"] == len(load_records())
    assert summary["input_errors"] == 0
    assert not [f for f in report["findings"] if f["category"] == "input"]


@pytest.mark.parametrize("case", [_param(c) for c in load_cases()])
def test_encounter(case: Case, blocking: dict[str, list[dict[str, Any]]]) -> None:
    found = blocking.get(case.encounter_id, [])
    shown = [f"{f['rule_id']} {f['severity']}: {f['message']}" for f in found]
    if case.expect == "clean":
        assert not found, f"false findings on a clean claim ({case.note}): {shown}"
    else:
        categories = {f["category"] for f in found}
        assert case.expect in categories, f"{case.expect} defect not found ({case.note}): {shown}"
