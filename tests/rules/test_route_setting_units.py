"""Issue 11 items 5-6 through the whole b12-core pack: route, setting, units, NDC padding, and
charts as clinics write them. Realistic, correctly billed claims must stay quiet (no error or
warning); each defect reports what it should, with an actionable message."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from b12_records import clean_record

import b12lint
from b12lint.engine import Ruleset
from b12lint.model import Finding

BLOCKING = ("error", "warning")


@pytest.fixture(scope="module")
def core() -> Ruleset:
    return b12lint.load_ruleset()


def lint(core: Ruleset, *records: dict[str, Any]) -> list[Finding]:
    return list(b12lint.lint(list(records), core))


def blocking(core: Ruleset, *records: dict[str, Any]) -> list[tuple[str, str, str]]:
    return sorted(
        (f.encounter_id or "", f.rule_id, f.severity)
        for f in lint(core, *records)
        if f.severity in BLOCKING
    )


def by_rule(core: Ruleset, *records: dict[str, Any]) -> dict[str, Finding]:
    return {f.rule_id: f for f in lint(core, *records)}


def admin(record: dict[str, Any], **fields: Any) -> dict[str, Any]:
    record["documentation"]["administrations"][0].update(fields)
    return record


# --- realistic claims as coders bill them: no error, no warning --------------------------


def monthly_maintenance(eid: str = "M1", dos: str = "2026-03-02") -> dict[str, Any]:
    record = clean_record(encounter_id=eid, date_of_service=dos)
    record["documentation"]["phase"] = "monthly"
    record["documentation"]["monitoring"]["last_b12_lab_date"] = "2025-12-01"
    return admin(record, drug="Cyanocobalamin 1,000 mcg/mL", dose="1 mL", route="IM (L deltoid)")


def loading_visit(eid: str, dos: str, labs: list[dict[str, Any]] | None = None) -> dict[str, Any]:
    record = clean_record(encounter_id=eid, patient_id="PT-LOAD", date_of_service=dos)
    record["documentation"]["phase"] = "Loading"
    record["documentation"]["monitoring"]["last_b12_lab_date"] = "2026-02-27"
    if labs is not None:
        record["documentation"]["labs"] = labs
    return admin(record, dose="1000 mcg/1 mL", route="IM - right gluteal")


LOW_B12 = [{"test": "B12", "value": 148, "unit": "pg/mL", "date": "2026-02-27"}]


@pytest.mark.parametrize(
    ("drug", "dose", "route"),
    [
        ("cyanocobalamin", "1000 mcg", "IM (L deltoid)"),
        ("cyanocobalamin", "1000 mcg/1 mL", "deep IM"),
        ("Cyanocobalamin 1,000 mcg/mL", "1 mL", "intramuscular injection"),
        ("B12 1000mcg/ml inj", "1cc", "IM (R deltoid)"),
        ("vitamin B12", "1,000 mcg IM", "IM"),
        ("cyanocobalamin", "1000 mcg", "SQ"),
        ("cyanocobalamin", "1 mL of 1000 mcg/mL", "subQ"),
        ("cyanocobalamin", {"value": 1, "unit": "mL"}, "Sub-Q, L upper arm"),
    ],
)
def test_maintenance_charted_as_written_is_clean(
    core: Ruleset, drug: str, dose: object, route: str
) -> None:
    record = clean_record()
    record["documentation"]["phase"] = "maint."
    admin(record, drug=drug, dose=dose, route=route)
    assert blocking(core, record) == []


def test_monthly_maintenance_over_months_is_clean(core: Ruleset) -> None:
    dates = ["2026-01-05", "2026-02-02", "2026-03-02", "2026-03-30"]
    records = [monthly_maintenance(f"M{i}", d) for i, d in enumerate(dates)]
    assert blocking(core, *records) == []


def test_loading_week_3_with_low_labs_is_clean(core: Ruleset) -> None:
    dates = ["2026-03-02", "2026-03-09", "2026-03-16"]
    records = [loading_visit(f"L{i}", d, LOW_B12) for i, d in enumerate(dates)]
    assert blocking(core, *records) == []


def test_long_loading_course_with_a_low_recheck_is_clean(core: Ruleset) -> None:
    """Repletion ends on labs, not on a day count (B12-FREQ-003 stays quiet)."""
    dates = ["2026-03-02", "2026-03-09", "2026-03-16", "2026-03-23", "2026-03-30", "2026-04-13"]
    recheck = [*LOW_B12, {"test": "MMA", "value": 0.71, "unit": "µmol/L", "date": "2026-04-10"}]
    records = [loading_visit(f"L{i}", d) for i, d in enumerate(dates[:-1])]
    records.append(loading_visit("L5", dates[-1], recheck))
    assert blocking(core, *records) == []
    # without the labs the same course is a phase-length finding on the last visit
    records[-1] = loading_visit("L5", dates[-1])
    assert blocking(core, *records) == [("L5", "B12-FREQ-003", "warning")]


def test_long_loading_course_with_a_normal_recheck_is_a_finding(core: Ruleset) -> None:
    normal = [
        *LOW_B12,
        {"test": "B12", "value": 410, "unit": "pg/mL", "date": "2026-04-10"},
    ]
    dates = ["2026-03-02", "2026-03-09", "2026-03-16", "2026-03-23", "2026-03-30"]
    records = [loading_visit(f"L{i}", d) for i, d in enumerate(dates)]
    records.append(loading_visit("L5", "2026-04-13", normal))
    found = by_rule(core, *records)
    # the recheck drawn during the loading phase is normal: B12-FREQ-004 says so, and
    # B12-FREQ-003 (the day count alone) defers to it
    assert "B12-FREQ-004" in found and "B12-FREQ-003" not in found
    assert (
        "the latest B12 result charted since the loading phase began"
        in found["B12-FREQ-004"].message
    )


@pytest.mark.parametrize(
    "lab",
    [
        {"test": "B12", "value": 148, "date": "2026-02-27"},  # no unit: not evidence
        {"test": "B12", "value": 148, "unit": "mg/dL", "date": "2026-02-27"},  # unknown unit
        {"test": "B12", "value": 180, "unit": "pmol/L", "date": "2026-02-27"},  # 244 pg/mL
        {"test": "B12", "value": 148, "unit": "pg/mL", "date": "2026-05-01"},  # after the visit
    ],
)
def test_labs_that_are_no_evidence_leave_the_finding(core: Ruleset, lab: dict[str, Any]) -> None:
    dates = ["2026-03-02", "2026-03-09", "2026-03-16", "2026-03-23", "2026-03-30"]
    records = [loading_visit(f"L{i}", d) for i, d in enumerate(dates)]
    records.append(loading_visit("L5", "2026-04-13", [lab]))
    assert "B12-FREQ-003" in by_rule(core, *records)


def test_hydroxocobalamin_j3425_100_units_is_clean(core: Ruleset) -> None:
    record = clean_record()
    admin(
        record,
        drug="hydroxocobalamin",
        dose="1000 mcg",
        route="IM (L deltoid)",
        ndc="0591-2888-30",
    )
    record["lines"][0].update(code="J3425", units=100, ndc="00591288830")
    assert blocking(core, record) == []


def test_unknown_phase_text_is_undocumented_not_guessed(core: Ruleset) -> None:
    first = clean_record(encounter_id="P1", date_of_service="2026-03-02")
    second = clean_record(encounter_id="P2", date_of_service="2026-03-09")
    for record in (first, second):
        record["documentation"]["phase"] = "per protocol"
    found = blocking(core, first, second)
    assert ("P2", "B12-FREQ-001", "error") in found
    assert ("P2", "B12-FREQ-002", "warning") in found


# --- 1. IV push against the labels --------------------------------------------------------


@pytest.mark.parametrize("route", ["IV push", "IV", "intravenous", "47625008", "IVP"])
def test_b12_charted_iv_is_an_off_label_warning(core: Ruleset, route: str) -> None:
    record = admin(clean_record(), route=route)
    record["lines"][1]["code"] = "96374"
    found = by_rule(core, record)
    assert set(found) == {"B12-ROUTE-006"}
    finding = found["B12-ROUTE-006"]
    assert finding.severity == "warning"
    assert finding.location.pointer == "/documentation/administrations/0/route"
    assert "avoid the intravenous route" in finding.message
    assert "bill 96372" in finding.message  # what to do


def test_hydroxocobalamin_sc_is_off_label_but_cyanocobalamin_sc_is_not(core: Ruleset) -> None:
    hydroxo = admin(clean_record(), drug="hydroxocobalamin", route="SQ", ndc="0591-2888-30")
    hydroxo["lines"][0].update(code="J3425", units=100, ndc="00591288830")
    found = by_rule(core, hydroxo)
    assert set(found) == {"B12-ROUTE-006"}
    assert "documented by the SC route" in found["B12-ROUTE-006"].message
    assert "if it was IM, correct the charted route" in found["B12-ROUTE-006"].message
    assert "B12-ROUTE-006" not in by_rule(core, admin(clean_record(), route="SQ"))


def test_iv_charted_but_96372_billed_reports_both_without_contradiction(core: Ruleset) -> None:
    record = admin(clean_record(), route="IV push")
    found = by_rule(core, record)
    assert set(found) == {"B12-ROUTE-003", "B12-ROUTE-006"}
    # both ask to confirm the route; neither says the IV push is fine
    assert "correct the charted route" in found["B12-ROUTE-003"].message
    assert "correct the charted route" in found["B12-ROUTE-006"].message


def test_96374_billed_with_b12_only_and_no_charted_route(core: Ruleset) -> None:
    record = admin(clean_record(), route=None)
    record["lines"][1]["code"] = "96374"
    found = by_rule(core, record)
    assert found["B12-ROUTE-007"].severity == "warning"
    assert found["B12-ROUTE-007"].location.pointer == "/lines/1/code"
    assert "B12-ROUTE-006" not in found


def test_96374_for_another_drug_is_not_a_b12_finding(core: Ruleset) -> None:
    record = clean_record(diagnoses=["D51.0", "R11.2"])
    record["documentation"]["administrations"].append(
        {"drug": "ondansetron", "dose": "4 mg", "route": "IV push", "supplied_by": "clinic"}
    )
    record["lines"] += [
        {"code": "J2405", "units": 1, "dx_pointers": [2]},
        {"code": "96374", "units": 1, "dx_pointers": [2]},
    ]
    record["lines"][1]["modifiers"] = ["XU"]
    found = by_rule(core, record)
    assert not {"B12-ROUTE-005", "B12-ROUTE-006", "B12-ROUTE-007"} & set(found)


# --- 2. facility place of service on a professional claim ---------------------------------


@pytest.mark.parametrize("pos", ["19", "21", "22", "23", "24", "31", "51", "52", "61"])
def test_facility_pos_on_a_professional_claim_is_an_error(core: Ruleset, pos: str) -> None:
    record = clean_record(place_of_service=pos)
    found = by_rule(core, record)
    assert found["B12-PROV-002"].severity == "error"
    assert "bills J3420, 96372" in found["B12-PROV-002"].message
    assert [f.rule_id for f in lint(core, record)].count("B12-PROV-002") == 1


@pytest.mark.parametrize("claim_type", [None, "professional", "Professional"])
def test_professional_or_unmarked_claims_are_judged(core: Ruleset, claim_type: str | None) -> None:
    record = clean_record(place_of_service="22", claim_type=claim_type)
    assert "B12-PROV-002" in by_rule(core, record)


def test_injection_alone_at_a_facility_is_an_error(core: Ruleset) -> None:
    record = admin(clean_record(place_of_service="22"), supplied_by="patient")
    record["lines"] = [record["lines"][1]]
    found = by_rule(core, record)
    assert found["B12-PROV-002"].location.pointer == "/lines/0/code"


@pytest.mark.parametrize(
    "overrides",
    [
        {"place_of_service": "22", "claim_type": "institutional", "type_of_bill": "0131"},
        {"place_of_service": "22", "claim_type": "institutional"},
        {"place_of_service": "22", "type_of_bill": "0131"},
        {"place_of_service": "11"},
        {"place_of_service": "12"},  # home: a practitioner may inject and bill there
        {"place_of_service": None},
    ],
)
def test_institutional_claims_and_office_settings_pass(
    core: Ruleset, overrides: dict[str, Any]
) -> None:
    record = clean_record(**overrides)
    assert "B12-PROV-002" not in by_rule(core, record)


def test_one_facility_list_in_the_pack_data(core: Ruleset) -> None:
    """The POS rule reads the pack's place_of_service table: no code list in the rule."""
    import yaml

    from b12lint.engine.pack import builtin_pack_paths

    (path,) = [p for p in builtin_pack_paths() if p.name == "b12-core"]
    rule = yaml.safe_load((path / "provider" / "B12-PROV-002.yaml").read_text(encoding="utf-8"))
    assert "place_of_service.facility" in str(rule["when"])
    assert '"22"' not in str(rule["when"]) and "'22'" not in str(rule["when"])


# --- 3. 96372 units vs documented injections ----------------------------------------------


def test_more_96372_units_than_injections_is_an_error(core: Ruleset) -> None:
    record = clean_record()
    record["lines"][1]["units"] = 3
    found = by_rule(core, record)
    assert found["B12-UNITS-006"].severity == "error"
    assert "bill one unit per documented injection" in found["B12-UNITS-006"].message


def test_other_injectables_count_as_injections(core: Ruleset) -> None:
    record = clean_record(diagnoses=["D51.0", "M54.50"])
    record["documentation"]["administrations"].append(
        {"drug": "ketorolac", "dose": "60 mg", "route": "IM (R gluteal)", "supplied_by": "clinic"}
    )
    record["lines"][1]["units"] = 2
    assert "B12-UNITS-006" not in by_rule(core, record)
    record["lines"][1]["units"] = 3
    assert "B12-UNITS-006" in by_rule(core, record)


# --- 4. NDC padded in the wrong place -----------------------------------------------------


def test_ndc_padded_in_the_wrong_place_has_the_charted_fix(core: Ruleset) -> None:
    record = admin(clean_record(), ndc="0517-0031-25")
    record["lines"][0]["ndc"] = "05170003125"  # 4-4-2 padded as 5-3-2
    found = by_rule(core, record)
    finding = found["B12-NDC-010"]
    assert finding.severity == "error"
    assert finding.fix is not None and finding.fix.value == "00517003125"
    assert finding.location.pointer == "/lines/0/ndc"


def test_right_ndc_is_not_a_padding_finding(core: Ruleset) -> None:
    assert "B12-NDC-010" not in by_rule(core, clean_record())


# --- 5. units never expect units above the MUE --------------------------------------------


@pytest.mark.parametrize("dose", ["1500 mcg", "2000 mcg", "2 mg", "2 mL of 1000 mcg/mL"])
@pytest.mark.parametrize("units", [1, 2, 3])
def test_units_findings_never_expect_above_the_mue(core: Ruleset, dose: str, units: int) -> None:
    record = admin(clean_record(), dose=dose)
    record["lines"][0]["units"] = units
    found = by_rule(core, record)
    assert "B12-UNITS-001" not in found  # the expected units (2+) would exceed the MUE of 1
    assert "B12-DOSE-004" in found  # the dose is the finding: documentation, necessity
    for finding in found.values():
        if finding.category == "units" and finding.fix is not None:
            assert finding.fix.value <= 1


def test_hydroxocobalamin_units_never_expected_above_a_j3425_mue(tmp_path: Path) -> None:
    """With an MUE for J3425 in a payer pack's data, B12-UNITS-004 caps its expectation too."""
    pack = tmp_path / "mue-pack"
    (pack / "data").mkdir(parents=True)
    (pack / "pack.yaml").write_text("name: mue-pack\nextends: b12-core\n", encoding="utf-8")
    (pack / "data" / "mue.yaml").write_text(
        "description: MUEs with a J3425 limit (test)\n"
        "source: test table\n"
        "effective: {from: 2024-07-01}\n"
        'values: {J3420: 1, J3425: 100, "96372": 4, "96374": 1}\n',
        encoding="utf-8",
    )
    ruleset = b12lint.load_ruleset([pack])
    record = admin(clean_record(), drug="hydroxocobalamin", dose="1500 mcg", ndc="0591-2888-30")
    record["lines"][0].update(code="J3425", units=100, ndc="00591288830")
    found = {f.rule_id: f for f in b12lint.lint([record], ruleset)}
    assert "B12-UNITS-004" not in found  # 150 units expected would exceed the MUE of 100
    assert "B12-DOSE-004" in found
    record["lines"][0]["units"] = 90  # 1,000 mcg documented, 90 billed: within the MUE
    admin(record, dose="1000 mcg")
    found = {f.rule_id: f for f in b12lint.lint([record], ruleset)}
    assert found["B12-UNITS-004"].fix is not None and found["B12-UNITS-004"].fix.value == 100
