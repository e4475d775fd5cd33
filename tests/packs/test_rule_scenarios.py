"""Realistic encounters through the whole b12-core pack: correct coding stays quiet, each
defect reports what it should (and only that)."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from b12lint.engine import Ruleset, lint

Make = Callable[..., dict[str, Any]]


def rule_ids(core: Ruleset, *records: dict[str, Any]) -> list[str]:
    """The rules that judged the records ("not checked" infos aside)."""
    found = lint(list(records), core)
    return sorted(f.rule_id for f in found if not f.message.startswith("Not checked"))


def not_checked(core: Ruleset, *records: dict[str, Any]) -> list[str]:
    found = lint(list(records), core)
    return sorted(f.rule_id for f in found if f.message.startswith("Not checked"))


def test_correct_codings_report_nothing(core: Ruleset, clean: Make) -> None:
    hydroxo = clean(encounter_id="H")
    hydroxo["documentation"]["administrations"][0].update(
        drug="hydroxocobalamin", ndc="0591-2888-30"
    )
    hydroxo["lines"][0].update(code="J3425", units=100, ndc="00591288830")

    hydroxo_2023 = clean(encounter_id="H23", date_of_service="2023-11-06")
    hydroxo_2023["documentation"]["monitoring"]["last_b12_lab_date"] = "2023-09-01"
    hydroxo_2023["documentation"]["administrations"][0].update(drug="hydroxocobalamin")
    hydroxo_2023["lines"][0].update(
        code="J3490",
        units=1,
        ndc="00591288830",
        description="hydroxocobalamin 1000 mcg/mL, 1 mL IM, NDC 00591-2888-30",
    )

    premed = clean(encounter_id="P", diagnoses=["C34.90"])
    premed["documentation"].update(
        indication="premedication before pemetrexed cycle 1", indication_codes=["C34.90"]
    )

    em25 = clean(encounter_id="EM")
    em25["lines"].append({"code": "99213", "units": 1, "modifiers": ["25"], "dx_pointers": [1]})

    patient_vial = clean(encounter_id="PV")
    patient_vial["documentation"]["administrations"][0]["supplied_by"] = "patient"
    patient_vial["lines"] = [patient_vial["lines"][1]]

    sc_500 = clean(encounter_id="SC")
    sc_500["documentation"]["administrations"][0].update(dose="0.5 mL of 1000 mcg/mL", route="SQ")
    sc_500["lines"][0]["ndc_quantity"] = 0.5

    big_vial = clean(encounter_id="BV")
    big_vial["lines"][0]["ndc"] = "69680012130"  # 30 mL multi-dose vial, 1 mL given

    ga_covered = clean(encounter_id="GA")
    ga_covered["lines"][0]["modifiers"] = ["GA"]

    ketorolac = clean(encounter_id="K", diagnoses=["D51.0", "M54.50"])
    ketorolac["documentation"]["administrations"].append(
        {"drug": "ketorolac", "dose": "60 mg", "route": "IM", "supplied_by": "clinic"}
    )
    ketorolac["lines"] += [
        {"code": "J3490", "units": 1, "dx_pointers": [2], "description": "ketorolac 60 mg"},
    ]
    ketorolac["lines"][1].update(units=2, dx_pointers=[1, 2])

    flu = {
        "encounter_id": "FLU",
        "date_of_service": "2026-06-01",
        "diagnoses": ["Z23"],
        "lines": [{"code": "90686", "units": 1}, {"code": "G0008", "units": 1}],
    }
    records = [
        hydroxo, hydroxo_2023, premed, patient_vial, sc_500, big_vial, ga_covered, ketorolac, flu,
    ]  # fmt: skip
    assert rule_ids(core, *records) == []
    assert rule_ids(core, em25) == ["B12-MOD-008"]  # an info-level audit note only
    # 2023-11-06 is before the sourced NCCI tables (2024-07-01): the PTP and MUE checks say so
    assert not_checked(core, *records) == [
        "B12-ADMIN-004",
        "B12-DOSE-004",
        "B12-MOD-007",
        "B12-UNITS-005",
    ]


def test_b12_by_iv_push_is_coded_right_but_off_label(core: Ruleset, clean: Make) -> None:
    """96374 matches an IV push, but B12's labels say IM or SC: a warning, not an error."""
    iv_push = clean(encounter_id="IV")
    iv_push["documentation"]["administrations"][0]["route"] = "IV push"
    iv_push["lines"][1]["code"] = "96374"
    found = list(lint([iv_push], core))
    assert [(f.rule_id, f.severity) for f in found] == [("B12-ROUTE-006", "warning")]


def test_monthly_maintenance_after_weekly_repletion_is_quiet(core: Ruleset, clean: Make) -> None:
    dates = ["2026-01-05", "2026-01-12", "2026-01-19", "2026-01-26", "2026-02-23", "2026-03-23"]
    records = []
    for i, date in enumerate(dates):
        record = clean(encounter_id=f"R{i}", patient_id="PT-R", date_of_service=date)
        record["documentation"]["phase"] = "repletion" if i < 4 else "maintenance"
        record["documentation"]["monitoring"]["last_b12_lab_date"] = "2025-12-29"
        records.append(record)
    assert rule_ids(core, *records) == []
    late = clean(encounter_id="R9", patient_id="PT-R", date_of_service="2026-03-30")  # R5 + 7
    late["documentation"]["monitoring"]["last_b12_lab_date"] = "2025-12-29"
    assert rule_ids(core, *records, late) == ["B12-FREQ-001"]


def test_dose_above_the_mue_is_a_documentation_finding_not_a_fix(
    core: Ruleset, clean: Make
) -> None:
    record = clean()
    record["documentation"]["phase"] = "repletion"
    record["documentation"]["administrations"][0]["dose"] = "2 mg"
    record["lines"][0]["ndc_quantity"] = 2
    findings = {f.rule_id: f for f in lint([record], core)}
    # 2 units would deny: never expected, never proposed; the dose is the finding
    assert set(findings) == {"B12-DOSE-004"}
    assert findings["B12-DOSE-004"].fix is None


def test_units_fix_within_the_mue(core: Ruleset, clean: Make) -> None:
    record = clean()
    record["lines"][0]["units"] = 3
    findings = {f.rule_id: f for f in lint([record], core)}
    assert set(findings) == {"B12-UNITS-001", "B12-UNITS-003"}
    fix = findings["B12-UNITS-001"].fix
    assert fix is not None and (fix.pointer, fix.value, fix.safe) == ("/lines/0/units", 1, True)


def test_abn_modifiers_change_the_coverage_finding(core: Ruleset, clean: Make) -> None:
    def fatigue(mods: list[str]) -> dict[str, Any]:
        record = clean(encounter_id="F-" + "".join(mods), diagnoses=["R53.83"])
        record["documentation"].update(indication="fatigue", indication_codes=["R53.83"])
        for line in record["lines"]:
            line["modifiers"] = list(mods)
        return record

    assert rule_ids(core, fatigue([])) == ["B12-IND-002"]
    assert rule_ids(core, fatigue(["GZ"])) == ["B12-IND-004", "B12-IND-004"]
    assert rule_ids(core, fatigue(["GA"])) == ["B12-IND-005", "B12-IND-005"]
    # GY declares a statutory exclusion: the wrong modifier for a medical-necessity denial
    assert rule_ids(core, fatigue(["GY"])) == ["B12-MOD-009", "B12-MOD-009"]
    severities = {f.rule_id: f.severity for f in lint([fatigue(["GZ"]), fatigue(["GA"])], core)}
    assert severities == {"B12-IND-004": "warning", "B12-IND-005": "info"}
    partial = fatigue([])
    partial["lines"][0]["modifiers"] = ["GA"]  # 96372 without an ABN modifier: still an error
    assert "B12-IND-002" in rule_ids(core, partial)


def test_drug_and_ndc_mismatches(core: Ruleset, clean: Make) -> None:
    hydroxo_ndc_on_j3420 = clean()
    hydroxo_ndc_on_j3420["lines"][0]["ndc"] = "00591288830"
    assert rule_ids(core, hydroxo_ndc_on_j3420) == ["B12-NDC-005"]

    cyano_as_j3425 = clean()
    cyano_as_j3425["lines"][0].update(code="J3425", units=100)
    assert rule_ids(core, cyano_as_j3425) == ["B12-DRUG-006", "B12-NDC-005"]


def test_pointer_rules_do_not_double_report(core: Ruleset, clean: Make) -> None:
    beyond = clean()
    beyond["lines"][0]["dx_pointers"] = [3]  # beyond the 1 diagnosis: DX-003 only
    assert rule_ids(core, beyond) == ["B12-DX-003"]
    zero = clean()
    zero["lines"][0]["dx_pointers"] = [0]  # outside 1-12: DX-005 only
    assert rule_ids(core, zero) == ["B12-DX-005"]
    elsewhere = clean(diagnoses=["R53.83", "D51.0"])
    assert rule_ids(core, elsewhere) == ["B12-DX-004", "B12-DX-004"]
