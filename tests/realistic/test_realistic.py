"""The built-in pack on realistic encounters: no error or warning on correctly billed claims,
and each known defect found in its FORMATS.md category.

Expectations come from ``../shared/DOMAIN.md`` policy (``expected.yaml``, written by
``build_set.py``); an ``xfail`` names the issue-11 item whose fix makes the pack right.
"""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest
from realistic_eval import Case, Verdict, judge, load_cases, load_records

from b12lint.model.finding import CATEGORIES as FINDING_CATEGORIES

CATEGORIES = {"clean", *FINDING_CATEGORIES} - {"input"}  # a rule category or clean


@pytest.fixture(scope="module")
def verdicts() -> dict[str, Verdict]:
    """The whole set checked once, as one batch."""
    return {v.case.encounter_id: v for v in judge()}


def _param(case: Case) -> object:
    marks = [pytest.mark.xfail(reason=case.xfail, strict=True)] if case.xfail else []
    return pytest.param(case, id=case.encounter_id, marks=marks)


def test_the_set_is_realistic_in_size_and_mix() -> None:
    cases = load_cases()
    records = load_records()
    assert [r["encounter_id"] for r in records] == [c.encounter_id for c in cases]
    assert len(cases) >= 70
    clean = [c for c in cases if c.expect == "clean"]
    assert len(clean) * 2 >= len(cases), "at least half correctly billed and documented"
    assert {c.expect for c in cases} <= CATEGORIES
    payers = {r["payer"]["type"] for r in records}
    assert {"medicare", "medicare_advantage", "medicaid", "commercial"} <= payers


@pytest.mark.parametrize("case", [_param(c) for c in load_cases()])
def test_encounter(case: Case, verdicts: dict[str, Verdict]) -> None:
    verdict = verdicts[case.encounter_id]
    shown = [f"{f.rule_id} {f.severity}: {f.message}" for f in verdict.blocking]
    if case.expect == "clean":
        assert not verdict.blocking, f"false findings on a clean claim ({case.note}): {shown}"
    else:
        assert verdict.ok, f"{case.expect} defect not found ({case.note}); found: {shown}"


def test_recall_script_reports_what_the_test_judges(verdicts: dict[str, Verdict]) -> None:
    root = Path(__file__).resolve().parents[2]
    done = subprocess.run(
        [sys.executable, str(root / "bench" / "realistic_recall.py")],
        capture_output=True,
        text=True,
        check=False,
    )
    assert done.returncode == 0, done.stderr
    defects = [v for v in verdicts.values() if v.case.expect != "clean"]
    found = sum(v.ok for v in defects)
    assert f"{'all':<16}{found:>7}{len(defects):>5}" in done.stdout
    false = sum(1 for v in verdicts.values() if v.case.expect == "clean" and not v.ok)
    assert f"clean encounters with a false error or warning: {false} of " in done.stdout


def test_context_benchmark_runs() -> None:
    root = Path(__file__).resolve().parents[2]
    done = subprocess.run(
        [sys.executable, str(root / "bench" / "bench_context.py"), "--records", "40",
         "--repeat", "1"],
        capture_output=True,
        text=True,
        check=False,
    )  # fmt: skip
    assert done.returncode == 0, done.stderr
    assert "x substring" in done.stdout and "times a record" in done.stdout
