"""``applies_to.claim_type``: rules about diagnosis pointers, place of service and practitioner
MUEs judge professional claims only; the outpatient hospital MUE judges institutional ones."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest

from b12lint.engine import Ruleset, run
from b12lint.engine.errors import RuleError
from b12lint.engine.rule import build_meta, claim_type_of
from b12lint.model import Record, Source, validate_encounter

MakeRecord = Callable[..., dict[str, Any]]
PROFESSIONAL_ONLY = {
    "B12-DX-003",
    "B12-DX-004",
    "B12-DX-005",
    "B12-DX-007",
    "B12-PROV-002",
    "B12-PROV-003",
    "B12-PROV-004",
    "B12-UNITS-003",
    "B12-UNITS-005",
    "B12-DOSE-004",
}


def ids(data: dict[str, Any]) -> set[str]:
    return {f.rule_id for f in findings(data)}


def findings(data: dict[str, Any]) -> list[Any]:
    from b12lint.engine import load_ruleset

    record = Record(validate_encounter(data), Source("t.jsonl", 1))
    return run([record], load_ruleset()).findings


def test_the_pack_declares_which_rules_are_professional_only(core_ruleset: Ruleset) -> None:
    marked = {r.meta.id for r in core_ruleset.rules if r.meta.claim_types == {"professional"}}
    assert marked == PROFESSIONAL_ONLY
    facility = {r.meta.id for r in core_ruleset.rules if r.meta.claim_types == {"institutional"}}
    assert facility == {"B12-UNITS-007", "B12-UNITS-008"}


def test_the_same_pointerless_facility_claim_is_judged_by_claim_type(
    make_record: MakeRecord,
) -> None:
    lines = [
        {"code": "J3420", "units": 1, "revenue_code": "0636"},
        {"code": "96372", "units": 5, "revenue_code": "0510"},
    ]
    professional = make_record("P-1", lines=lines, place_of_service="22")
    institutional = make_record("I-1", lines=lines, claim_type="institutional",
                                type_of_bill="0131", place_of_service=None)  # fmt: skip
    assert {"B12-DX-007", "B12-UNITS-005", "B12-PROV-002"} <= ids(professional)
    got = ids(institutional)
    assert not got & PROFESSIONAL_ONLY, got
    assert "B12-UNITS-007" not in got  # 5 is the outpatient hospital MUE: payable


def test_the_outpatient_hospital_mue_applies_to_facility_claims(make_record: MakeRecord) -> None:
    lines = [{"code": "J3420", "units": 1}, {"code": "96372", "units": 6}]
    institutional = make_record("I-2", lines=lines, claim_type="Institutional")
    mue = {"B12-UNITS-005", "B12-UNITS-007"}
    (finding,) = [f for f in findings(institutional) if f.rule_id in mue]
    assert finding.rule_id == "B12-UNITS-007" and "MUE is 5" in finding.message
    assert finding.location.pointer == "/lines/1/units"


@pytest.mark.parametrize(
    ("value", "expected"),
    [(None, "professional"), ("", "professional"), (" Institutional ", "institutional"),
     ("professional", "professional")],
)  # fmt: skip
def test_claim_type_defaults_to_professional(value: Any, expected: str) -> None:
    assert claim_type_of({"claim_type": value}) == expected
    assert claim_type_of({}) == "professional"


def test_a_type_of_bill_without_claim_type_is_institutional() -> None:
    assert claim_type_of({"type_of_bill": "0131"}) == "institutional"
    assert claim_type_of({"type_of_bill": " "}) == "professional"
    assert claim_type_of({"type_of_bill": "0131", "claim_type": "professional"}) == "professional"


def test_applies_to_is_refused_on_history_rules() -> None:
    doc = {
        "id": "X-HIST-001",
        "name": "x",
        "severity": "info",
        "category": "frequency",
        "summary": "s",
        "message": "m",
        "rationale": "r",
        "references": [{"title": "t"}],
        "effective": {"from": "2020-01-01"},
        "kind": "history",
        "applies_to": {"claim_type": ["professional"]},
    }
    with pytest.raises(RuleError, match="applies_to is for encounter rules"):
        build_meta(doc, "p", "f.yaml")
    doc["kind"] = "encounter"
    assert build_meta(doc, "p", "f.yaml").claim_types == {"professional"}
