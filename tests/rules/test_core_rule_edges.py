"""Edge cases of the built-in b12-core rules, beyond each rule's own examples."""

from __future__ import annotations

from typing import Any

import pytest
from b12_records import clean_record

import b12lint
from b12lint.engine import Ruleset


@pytest.fixture(scope="module")
def ruleset() -> Ruleset:
    return b12lint.load_ruleset()


def base(**overrides: Any) -> dict[str, Any]:
    """A clean maintenance encounter, one diagnosis; keyword arguments replace top-level keys."""
    return clean_record(**{"diagnoses": ["D51.0"], **overrides})


def with_admins(*admins: dict[str, Any], **overrides: Any) -> dict[str, Any]:
    record = base(**overrides)
    record["documentation"]["administrations"] = list(admins)
    return record


def findings(ruleset: Ruleset, *records: dict[str, Any]) -> list[tuple[str, str, str]]:
    return sorted(
        (f.rule_id, f.encounter_id or "", f.location.pointer)
        for f in b12lint.lint(list(records), ruleset)
    )


def rule_ids(ruleset: Ruleset, *records: dict[str, Any]) -> set[str]:
    return {rule for rule, _, _ in findings(ruleset, *records)}


def test_clean_encounter_has_no_finding(ruleset: Ruleset) -> None:
    assert findings(ruleset, base()) == []


@pytest.mark.parametrize(
    ("dose", "units", "expected_rules"),
    [
        # 2 units is right for the dose, but over the MUE: the units and the dose are findings
        ("1500 mcg", 2, {"B12-UNITS-003", "B12-DOSE-004"}),
        # 1,500 mcg needs 2 units, above the MUE: a dose finding, never "2 units expected"
        ("1500 mcg", 1, {"B12-DOSE-004"}),
        ("500 mcg", 2, {"B12-UNITS-001", "B12-UNITS-003"}),
        ({"volume_ml": 1, "concentration": "1000 mcg/mL"}, 1, set()),
        ("0.5 mg", 1, set()),
        ("100 mcg", 1, set()),
        # unknown dose: no units verdict, the units rule says it could not check (info)
        ("one vial", 3, {"B12-DOSE-002", "B12-UNITS-003", "B12-UNITS-001"}),
    ],
)
def test_units_against_dose(
    ruleset: Ruleset, dose: Any, units: int, expected_rules: set[str]
) -> None:
    record = base()
    record["documentation"]["administrations"][0]["dose"] = dose
    record["lines"][0]["units"] = units
    units_rules = {"B12-UNITS-001", "B12-UNITS-003", "B12-DOSE-002", "B12-DOSE-004"}
    assert rule_ids(ruleset, record) & units_rules == expected_rules


def test_units_sum_two_cyanocobalamin_administrations(ruleset: Ruleset) -> None:
    record = with_admins(
        {"drug": "cyanocobalamin", "dose": "500 mcg", "route": "IM"},
        {"drug": "cyanocobalamin", "dose": "500 mcg", "route": "IM"},
    )
    assert "B12-UNITS-001" not in rule_ids(ruleset, record)


def test_units_never_expected_above_mue(ruleset: Ruleset) -> None:
    record = base()
    record["documentation"]["administrations"][0]["dose"] = "2000 mcg"
    found = {f.rule_id: f for f in b12lint.lint([record], ruleset)}
    # 2 units would itself deny (MUE 1): no "2 units expected", a dose finding instead
    assert "B12-UNITS-001" not in found
    assert "B12-DOSE-004" in found and found["B12-DOSE-004"].fix is None


def test_units_fix_is_the_expected_units(ruleset: Ruleset) -> None:
    record = base()
    record["lines"][0]["units"] = 3
    found = [f for f in b12lint.lint([record], ruleset) if f.rule_id == "B12-UNITS-001"]
    assert found[0].fix is not None
    assert found[0].fix.value == 1
    assert found[0].fix.pointer == "/lines/0/units"


def test_mue_is_per_date_of_service(ruleset: Ruleset) -> None:
    record = base()
    record["lines"] = [
        {"code": "J3420", "units": 1, "date": "2026-03-02"},
        {"code": "96372", "units": 1, "date": "2026-03-02"},
        {"code": "J3420", "units": 1, "date": "2026-03-03"},
        {"code": "96372", "units": 1, "date": "2026-03-03"},
    ]
    assert "B12-UNITS-003" not in rule_ids(ruleset, record)


def test_mue_rule_says_it_cannot_check_before_its_table(ruleset: Ruleset) -> None:
    for date, severity in (("2024-06-30", "info"), ("2024-07-01", "error")):
        record = base(date_of_service=date)
        record["lines"][0]["units"] = 2
        record["documentation"]["administrations"][0]["dose"] = "2000 mcg"
        found = [f for f in b12lint.lint([record], ruleset) if f.rule_id == "B12-UNITS-003"]
        assert [f.severity for f in found] == [severity]
        assert found[0].message.startswith("Not checked") is (severity == "info")


@pytest.mark.parametrize("route", ["nasal", "46713006", "PO", "oral", "sublingual"])
def test_self_administered_routes(ruleset: Ruleset, route: str) -> None:
    record = with_admins({"drug": "cyanocobalamin", "dose": "500 mcg", "route": route})
    assert "B12-ROUTE-002" in rule_ids(ruleset, record)


@pytest.mark.parametrize("route", ["IM", "SC", "SQ", "subq", "78421000", "34206005"])
def test_injectable_routes_pass(ruleset: Ruleset, route: str) -> None:
    record = with_admins({"drug": "cyanocobalamin", "dose": "1000 mcg", "route": route})
    assert not rule_ids(ruleset, record) & {"B12-ROUTE-001", "B12-ROUTE-002", "B12-ROUTE-004"}


def test_iv_with_an_im_administration_is_not_flagged(ruleset: Ruleset) -> None:
    record = with_admins(
        {"drug": "cyanocobalamin", "dose": "1000 mcg", "route": "IV"},
        {"drug": "cyanocobalamin", "dose": "1000 mcg", "route": "IM"},
    )
    assert "B12-ROUTE-003" not in rule_ids(ruleset, record)


def test_96374_satisfies_the_administration_line(ruleset: Ruleset) -> None:
    record = with_admins({"drug": "cyanocobalamin", "dose": "1000 mcg", "route": "IV"})
    record["lines"][1]["code"] = "96374"
    assert not rule_ids(ruleset, record) & {"B12-ADMIN-001", "B12-ROUTE-003"}


def test_96372_for_another_drug_is_not_a_missing_b12_line(ruleset: Ruleset) -> None:
    record = base()
    record["lines"] = [{"code": "J1885", "units": 2}, {"code": "96372", "units": 1}]
    # B12 documented, clinic supplied, but the claim's drug line is another J-code that date.
    assert "B12-ADMIN-002" not in rule_ids(ruleset, record)


def test_mixed_drugs_are_not_hydroxocobalamin_only(ruleset: Ruleset) -> None:
    record = with_admins(
        {"drug": "hydroxocobalamin", "dose": "1000 mcg", "route": "IM"},
        {"drug": "cyanocobalamin", "dose": "1000 mcg", "route": "IM"},
    )
    assert "B12-DRUG-001" not in rule_ids(ruleset, record)


def test_patient_and_clinic_supplied_mix_is_not_flagged(ruleset: Ruleset) -> None:
    record = with_admins(
        {"drug": "cyanocobalamin", "dose": "500 mcg", "route": "IM", "supplied_by": "patient"},
        {"drug": "cyanocobalamin", "dose": "500 mcg", "route": "IM", "supplied_by": "clinic"},
    )
    assert "B12-DRUG-002" not in rule_ids(ruleset, record)


@pytest.mark.parametrize(
    ("ndc", "rule", "fix"),
    [
        ("63323-044-41", "B12-NDC-002", "63323004441"),  # 5-3-2 padded
        ("0517-0031-01", "B12-NDC-002", "00517003101"),  # 4-4-2 padded
        ("0517003101", "B12-NDC-001", None),  # bare 10 digits: ambiguous
        ("ABCDE-1234-12", "B12-NDC-001", None),
    ],
)
def test_line_ndc_forms(ruleset: Ruleset, ndc: str, rule: str, fix: str | None) -> None:
    record = base()
    record["lines"][0]["ndc"] = ndc
    found = [f for f in b12lint.lint([record], ruleset) if f.category == "ndc"]
    assert [f.rule_id for f in found] == [rule]
    assert (found[0].fix.value if found[0].fix else None) == fix


@pytest.mark.parametrize(
    ("em", "modifiers", "fires"),
    [
        ("99213", [], True),
        ("G0463", [], True),
        ("99204", ["59"], True),
        ("99213", ["25"], False),
        ("99213", ["25", "GA"], False),
    ],
)
def test_em_modifier_25(ruleset: Ruleset, em: str, modifiers: list[str], fires: bool) -> None:
    record = base()
    record["lines"].append({"code": em, "units": 1, "modifiers": modifiers})
    assert ("B12-MOD-001" in rule_ids(ruleset, record)) is fires


def test_em_on_another_date_needs_no_modifier(ruleset: Ruleset) -> None:
    record = base()
    record["lines"].append({"code": "99213", "units": 1, "date": "2026-03-03"})
    assert "B12-MOD-001" not in rule_ids(ruleset, record)


def test_99211_with_96372_fires_even_with_modifier_25(ruleset: Ruleset) -> None:
    record = base()
    record["lines"].append({"code": "99211", "units": 1, "modifiers": ["25"]})
    assert "B12-ADMIN-004" in rule_ids(ruleset, record)


@pytest.mark.parametrize(
    ("codes", "expected"),
    [
        (["d51.0"], set()),
        (["D51.00"], {"B12-DX-001"}),
        (["E53"], {"B12-DX-002", "B12-IND-002"}),  # E53 may be E53.0 (riboflavin)
        (["R53.83", "K90.0"], set()),
        (["Z98.84"], set()),
        (["R53.83"], {"B12-IND-002"}),
        (["R63.4", "Z00.00"], {"B12-IND-002"}),
    ],
)
def test_diagnosis_codes(ruleset: Ruleset, codes: list[str], expected: set[str]) -> None:
    record = base(diagnoses=codes)
    got = rule_ids(ruleset, record) & {"B12-DX-001", "B12-DX-002", "B12-IND-002"}
    assert got == expected


def test_premedication_brand_name_supports_the_injection(ruleset: Ruleset) -> None:
    record = base(diagnoses=["C45.0"])
    record["documentation"]["indication"] = "B12 before Alimta, mesothelioma"
    assert "B12-IND-002" not in rule_ids(ruleset, record)


@pytest.mark.parametrize(
    ("pointers", "expected"),
    [
        ([0], {"B12-DX-005"}),  # outside 1-12: malformed
        ([2], {"B12-DX-003"}),  # within 1-12 but the claim has one diagnosis
        ([1], set()),
    ],
)
def test_pointer_range(ruleset: Ruleset, pointers: list[int], expected: set[str]) -> None:
    record = base()
    record["lines"][0]["dx_pointers"] = pointers
    assert rule_ids(ruleset, record) & {"B12-DX-003", "B12-DX-005"} == expected


def test_missing_npi_is_not_an_invalid_npi(ruleset: Ruleset) -> None:
    record = base()
    del record["rendering_npi"]
    assert "B12-PROV-001" not in rule_ids(ruleset, record)


def _visit(eid: str, date: str, phase: str | None = "maintenance", **kw: Any) -> dict[str, Any]:
    record = base(encounter_id=eid, date_of_service=date, **kw)
    if phase is None:
        del record["documentation"]["phase"]
    else:
        record["documentation"]["phase"] = phase
    return record


@pytest.mark.parametrize(("second", "fires"), [("2026-03-29", True), ("2026-03-30", False)])
def test_frequency_boundary_is_28_days(ruleset: Ruleset, second: str, fires: bool) -> None:
    got = findings(ruleset, _visit("V1", "2026-03-02"), _visit("V2", second))
    assert (("B12-FREQ-001", "V2", "/date_of_service") in got) is fires


def test_frequency_undocumented_phase_counts_as_maintenance(ruleset: Ruleset) -> None:
    got = findings(ruleset, _visit("V1", "2026-03-02", None), _visit("V2", "2026-03-09", None))
    assert ("B12-FREQ-001", "V2", "/date_of_service") in got


def test_frequency_is_independent_of_record_order(ruleset: Ruleset) -> None:
    visits = [
        _visit(f"V{i}", f"2026-0{m}-0{d}") for i, (m, d) in enumerate([(3, 2), (3, 9), (4, 6)])
    ]
    forward = findings(ruleset, *visits)
    backward = findings(ruleset, *reversed(visits))
    assert forward == backward
    assert [f for f in forward if f[0] == "B12-FREQ-001"] == [
        ("B12-FREQ-001", "V1", "/date_of_service")
    ]


def test_frequency_ignores_other_patients_and_oral_doses(ruleset: Ruleset) -> None:
    other = _visit("V2", "2026-03-09", patient_id="P-2")
    oral = _visit("V3", "2026-03-05")
    oral["documentation"]["administrations"][0]["route"] = "PO"
    oral["lines"] = [{"code": "99213", "units": 1}]
    got = findings(ruleset, _visit("V1", "2026-03-02"), other, oral)
    assert not [f for f in got if f[0] == "B12-FREQ-001"]


def test_frequency_repletion_is_exempt(ruleset: Ruleset) -> None:
    visits = [_visit(f"R{d}", f"2026-03-{d:02d}", "repletion") for d in (2, 9, 16, 23)]
    assert not [f for f in findings(ruleset, *visits) if f[0] == "B12-FREQ-001"]


def test_non_b12_encounter_gets_no_finding(ruleset: Ruleset) -> None:
    flu = {
        "encounter_id": "FLU",
        "date_of_service": "2026-03-02",
        "diagnoses": ["Z23", "NOT-A-CODE"],
        "rendering_npi": "1234567890",
        "lines": [{"code": "90686", "units": 0}, {"code": "G0008", "units": 1, "dx_pointers": [7]}],
    }
    assert findings(ruleset, flu) == []
