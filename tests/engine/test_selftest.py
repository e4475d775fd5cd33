"""Rule examples (``b12lint test``): failing examples must trigger, passing ones must not."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from b12lint.engine import load_pack
from b12lint.engine.selftest import example_date, run_pack_examples

MakePack = Callable[..., Path]
RuleDoc = Callable[..., dict[str, Any]]

FLAGGED = {"patient_id": "FLAG", "lines": [{"code": "J3420", "units": 1}]}
CLEAN = {"patient_id": "OK", "lines": [{"code": "J3420", "units": 1}]}


def problems(make_pack: MakePack, doc: dict[str, Any]) -> list[tuple[str, str]]:
    pack = load_pack(make_pack("p", [doc]))
    return [(r.label, r.problem) for r in run_pack_examples(pack) if not r.ok]


def test_good_examples_pass(make_pack: MakePack, rule_doc: RuleDoc) -> None:
    pack = load_pack(make_pack("p", [rule_doc()]))
    results = run_pack_examples(pack)
    assert [(r.label, r.ok) for r in results] == [
        ("T-RULE-001 fail[0]", True),
        ("T-RULE-001 pass[0]", True),
    ]


@pytest.mark.parametrize(
    ("examples", "expected"),
    [
        (
            {"fail": [CLEAN], "pass": [CLEAN]},
            [("T-RULE-001 fail[0]", "failing example did not trigger the rule")],
        ),
        (
            {"fail": [FLAGGED], "pass": [CLEAN, FLAGGED]},
            [("T-RULE-001 pass[1]", "passing example triggered the rule: encounter")],
        ),
        (
            {"fail": [{**FLAGGED, "lines": "J3420"}], "pass": [CLEAN]},
            [("T-RULE-001 fail[0]", "example is not a valid record: invalid example record")],
        ),
        (
            {"fail": [{**FLAGGED, "x-expect": {"count": 2}}], "pass": [CLEAN]},
            [("T-RULE-001 fail[0]", "expected 2 finding(s), got 1")],
        ),
        (
            {"fail": [{**FLAGGED, "x-expect": {"pointer": "/lines"}}], "pass": [CLEAN]},
            [("T-RULE-001 fail[0]", "expected pointer '/lines', got ''")],
        ),
        (
            {"fail": [{**FLAGGED, "x-expect": {"fix": 1}}], "pass": [CLEAN]},
            [("T-RULE-001 fail[0]", "expected fix 1, got None")],
        ),
        (
            {"fail": [{**FLAGGED, "x-expect": {"message": "nope"}}], "pass": [CLEAN]},
            [("T-RULE-001 fail[0]", "expected message containing 'nope'")],
        ),
        (
            {"fail": [{**FLAGGED, "x-expect": {"encounter_id": "X"}}], "pass": [CLEAN]},
            [("T-RULE-001 fail[0]", "expected encounter 'X', got 'T-RULE-001:fail[0]-1'")],
        ),
    ],
)
def test_broken_examples_are_reported(
    make_pack: MakePack,
    rule_doc: RuleDoc,
    examples: dict[str, Any],
    expected: list[tuple[str, str]],
) -> None:
    found = problems(make_pack, rule_doc(examples=examples))
    assert [label for label, _ in found] == [label for label, _ in expected]
    for (_, problem), (_, fragment) in zip(found, expected, strict=True):
        assert problem.startswith(fragment) or fragment in problem, problem


def test_expectations_that_hold(make_pack: MakePack, rule_doc: RuleDoc) -> None:
    expect = {"count": 1, "pointer": "", "message": "is flagged", "encounter_id": "T-1"}
    doc = rule_doc(
        examples={"fail": [{**FLAGGED, "encounter_id": "T-1", "x-expect": expect}], "pass": [CLEAN]}
    )
    assert problems(make_pack, doc) == []


def test_examples_are_dated_inside_the_rule_window(make_pack: MakePack, rule_doc: RuleDoc) -> None:
    future = rule_doc(effective={"from": "2030-01-01"})
    past = rule_doc(id="T-RULE-002", effective={"from": "2001-01-01", "to": "2001-12-31"})
    pack = load_pack(make_pack("p", [future, past]))
    dates = {r.meta.id: example_date(r.meta).isoformat() for r in pack.rules}
    assert dates == {"T-RULE-001": "2030-01-01", "T-RULE-002": "2001-12-31"}
    assert all(r.ok for r in run_pack_examples(pack))


def test_history_examples_with_several_records(make_pack: MakePack, rule_doc: RuleDoc) -> None:
    visit = {"lines": [{"code": "J3420", "units": 1}], "patient_id": "P"}
    doc = rule_doc(
        kind="history",
        category="frequency",
        when={"exists": "$previous"},
        message="after {previous.encounter_id}",
        examples={
            "fail": [
                {
                    "records": [
                        {**visit, "encounter_id": "B", "date_of_service": "2026-03-09"},
                        {**visit, "encounter_id": "A", "date_of_service": "2026-03-02"},
                    ],
                    "x-expect": {"count": 1, "encounter_id": "B", "message": "after A"},
                }
            ],
            "pass": [{"records": [visit]}],
        },
    )
    assert problems(make_pack, doc) == []
