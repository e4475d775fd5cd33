"""A family practice's B12 nurse visits as its EHR charts them and its coder bills them.

``expected.yaml`` gives per encounter ``clean`` (no error or warning) or the FORMATS.md category
of its one defect (``also``: other categories that same defect raises), written from
``../shared/DOMAIN.md`` before the rules were read. ``encounters.jsonl`` is checked as one batch
(the frequency rules see each patient's months), ``claims.csv`` with its nurse charts
(``claims.chart.jsonl``, ``--documentation``), both through ``b12lint check -f json`` as a user
runs it. An ``xfail`` entry names the rule or parser that is wrong on that encounter and why.
"""

from __future__ import annotations

import csv
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
CLAIMS_CSV = HERE / "claims.csv"
CHART = HERE / "claims.chart.jsonl"
EXPECTED = HERE / "expected.yaml"
CATEGORIES = {"clean", *FINDING_CATEGORIES} - {"input"}  # a rule category or clean
BLOCKING = {"error", "warning"}


@dataclass(frozen=True)
class Case:
    """One encounter's expectation; ``source`` is ``encounters`` (JSONL) or ``csv``."""

    source: str
    encounter_id: str
    expect: str
    also: frozenset[str]
    note: str
    xfail: str | None
    info: str | None = None
    """A category in which a 'not checked' info must be reported (a check that could not run)."""


def load_cases() -> list[Case]:
    """The expectations, in file order (native records first, then the CSV export)."""
    data = yaml.safe_load(EXPECTED.read_text(encoding="utf-8"))
    cases = []
    for src in ("encounters", "csv"):
        for eid, e in data[src].items():
            also = frozenset(e.get("also", []))
            note, xfail, info = str(e["note"]), e.get("xfail"), e.get("info")
            cases.append(Case(src, eid, str(e["expect"]), also, note, xfail, info))
    return cases


def load_records() -> list[dict[str, Any]]:
    """The native encounters, in file order."""
    lines = ENCOUNTERS.read_text(encoding="utf-8").splitlines()
    return [json.loads(line) for line in lines if line.strip()]


def csv_encounter_ids() -> list[str]:
    """The CSV export's encounter ids, in row order, once each."""
    with CLAIMS_CSV.open(encoding="utf-8", newline="") as fh:
        return list(dict.fromkeys(row["encounter_id"] for row in csv.DictReader(fh)))


def _check(*args: str) -> dict[str, Any]:
    result = CliRunner().invoke(cli, ["check", *args, "-f", "json"])
    assert result.exit_code in (0, 1), result.output
    parsed: dict[str, Any] = json.loads(result.stdout)
    return parsed


@pytest.fixture(scope="module")
def reports() -> dict[str, dict[str, Any]]:
    """The JSON reports of the native batch and of the CSV export with its charts."""
    return {
        "encounters": _check(str(ENCOUNTERS)),
        "csv": _check(str(CLAIMS_CSV), "--documentation", str(CHART)),
    }


@pytest.fixture(scope="module")
def infos(reports: dict[str, dict[str, Any]]) -> dict[tuple[str, str], set[str]]:
    """The categories of info findings per (source, encounter id)."""
    found: dict[tuple[str, str], set[str]] = defaultdict(set)
    for source, report in reports.items():
        for finding in report["findings"]:
            if finding["severity"] == "info":
                found[(source, finding["encounter_id"])].add(finding["category"])
    return found


@pytest.fixture(scope="module")
def blocking(reports: dict[str, dict[str, Any]]) -> dict[tuple[str, str], list[dict[str, Any]]]:
    """Error and warning findings per (source, encounter id)."""
    found: dict[tuple[str, str], list[dict[str, Any]]] = defaultdict(list)
    for source, report in reports.items():
        for finding in report["findings"]:
            if finding["severity"] in BLOCKING:
                found[(source, finding["encounter_id"])].append(finding)
    return found


def _param(case: Case) -> object:
    marks = [pytest.mark.xfail(reason=case.xfail, strict=True)] if case.xfail else []
    return pytest.param(case, id=case.encounter_id, marks=marks)


def test_the_set_is_a_busy_practice_in_size_and_mix() -> None:
    cases = load_cases()
    records = load_records()
    native = [c.encounter_id for c in cases if c.source == "encounters"]
    assert [r["encounter_id"] for r in records] == native
    assert [c.encounter_id for c in cases if c.source == "csv"] == csv_encounter_ids()
    assert len(cases) >= 60
    clean = [c for c in cases if c.expect == "clean"]
    assert len(cases) * 6 <= len(clean) * 10 <= len(cases) * 8, "about two thirds clean"
    assert {c.expect for c in cases} <= CATEGORIES
    assert all(c.note for c in cases)
    assert all(c.expect != "clean" for c in cases if c.also)
    payers = {r["payer"]["type"] for r in records if "payer" in r}
    assert {"medicare", "medicare_advantage", "medicaid", "commercial"} <= payers
    places = {r.get("place_of_service") for r in records}
    assert {"11", "12", "20", "22", "32", "71"} <= places


def test_every_record_is_read_and_none_is_an_input_error(
    reports: dict[str, dict[str, Any]],
) -> None:
    native, export = reports["encounters"]["summary"], reports["csv"]["summary"]
    assert native["encounters"] == len(load_records())
    assert export["encounters"] == len(csv_encounter_ids())
    for report in reports.values():
        assert report["summary"]["input_errors"] == 0
        assert not [f for f in report["findings"] if f["category"] == "input"]
    # the non-B12 visits (vaccines, ketorolac, Depo-Provera, E/M only) are read, not judged
    not_b12 = [r for r in load_records() if r["encounter_id"].startswith("CL-N")]
    assert native["b12_encounters"] == len(load_records()) - len(not_b12)
    assert export["b12_encounters"] == len(csv_encounter_ids()) - 1


@pytest.mark.parametrize("case", [_param(c) for c in load_cases()])
def test_encounter(
    case: Case,
    blocking: dict[tuple[str, str], list[dict[str, Any]]],
    infos: dict[tuple[str, str], set[str]],
) -> None:
    found = blocking.get((case.source, case.encounter_id), [])
    shown = [f"{f['rule_id']} {f['severity']}: {f['message']}" for f in found]
    if case.info is not None:
        noted = infos.get((case.source, case.encounter_id), set())
        assert case.info in noted, f"no 'not checked' info in {case.info} ({case.note})"
    if case.expect == "clean":
        assert not found, f"false findings on a payable claim ({case.note}): {shown}"
        return
    categories = {f["category"] for f in found}
    assert case.expect in categories, f"{case.expect} defect not found ({case.note}): {shown}"
    errors = {f["category"] for f in found if f["severity"] == "error"}
    other = errors - {case.expect} - case.also
    assert not other, f"errors beside the one defect ({case.note}): {shown}"
