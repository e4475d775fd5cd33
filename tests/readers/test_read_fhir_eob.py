"""FHIR ExplanationOfBenefit: CARIN Blue Button and CMS Blue Button 2.0 shapes."""

from __future__ import annotations

import copy
import datetime as dt
import json
from pathlib import Path

import pytest
from fhir_build import base, bundle, claim, dumps, eob

from b12lint.engine import load_ruleset, run
from b12lint.model import InputError, Record
from b12lint.readers import read_inputs
from b12lint.readers.fhir import read_fhir, validation_error
from b12lint.readers.fhir_payer import sopt_type
from b12lint.readers.stats import collecting

FIXTURES = Path(__file__).parent / "fixtures" / "fhir"
B12 = [("J3420", 1, 12.0), ("96372", 1, 25.0)]
NDC_SYSTEM = "http://hl7.org/fhir/sid/ndc"


def read(resources, file="b.json"):
    return list(read_fhir(dumps(bundle(resources)), file))


def only_record(items) -> Record:
    (record,) = items
    assert isinstance(record, Record), record
    return record


def test_carin_professional_example_maps_every_field_it_carries():
    data = json.loads((FIXTURES / "carin-eob-professional1.json").read_text())
    assert validation_error(data) is None
    record = only_record(read_fhir(json.dumps(data).encode(), "carin.json"))
    enc = record.encounter
    assert enc["encounter_id"] == "AW123412341234123412341234123413"  # the uc identifier
    assert enc["patient_id"] == "Patient2"  # not in the file: the reference's id
    assert enc["date_of_service"] == dt.date(2019, 7, 2)  # the item date, not billablePeriod
    assert enc["diagnoses"] == ["S06.0X1A"]
    assert enc["claim_type"] == "professional"
    assert enc["place_of_service"] == "11"
    (line,) = enc["lines"]
    assert line["code"] == "97110" and line["dx_pointers"] == []
    assert not record.has_chart and not record.chart_missing  # an EOB carries no chart


def test_carin_outpatient_institutional_example():
    data = json.loads((FIXTURES / "carin-eob-outpatient-institutional1.json").read_text())
    record = only_record(read_fhir(json.dumps(data).encode(), "carin.json"))
    enc = record.encounter
    assert enc["claim_type"] == "institutional"
    assert "type_of_bill" not in enc  # the IG's "Dummy" code is no type of bill
    (line,) = enc["lines"]
    assert "code" not in line  # a data-absent reason is no procedure code
    assert line["revenue_code"] == "Dummy"
    assert enc["date_of_service"] == dt.date(2019, 11, 2)
    assert "place_of_service" not in enc


def test_blue_button_carrier_eob_with_a_b12_line():
    resource = eob("22639159481", "-20140000008325", "2026-03-02", B12, ["D51.0"], bb=True,
                   coverage="Coverage/part-b--20140000008325")  # fmt: skip
    assert validation_error(resource) is None  # no insurer, provider, outcome, focal: tolerated
    enc = only_record(read([resource])).encounter
    assert enc["encounter_id"] == "22639159481"  # the first unique-claim-id identifier
    assert enc["patient_id"] == "-20140000008325"
    assert enc["rendering_npi"] == "1234567893"  # performing, typed npi without a system
    assert enc["payer"] == {"type": "medicare"}  # Part B coverage, not in the file
    assert enc["place_of_service"] == "11"
    drug, admin = enc["lines"]
    assert drug["code"] == "J3420" and drug["units"] == 1 and drug["ndc"] == "00517003101"
    assert drug["dx_pointers"] == [1] and drug["date"] == dt.date(2026, 3, 2)
    assert admin["code"] == "96372" and admin["units"] == 1 and "ndc" not in admin


def test_blue_button_units_extension_gives_the_units_and_the_rules_judge_them():
    resource = eob("C-7", "b1", "2026-03-02", [("J3420", 3, 12.0), ("96372", 1, 25.0)],
                   ["D51.0"], bb=True)  # fmt: skip
    record = only_record(read([resource]))
    assert record.encounter["lines"][0]["units"] == 3
    rules = {f.rule_id for f in run([record], load_ruleset()).findings}
    assert "B12-UNITS-003" in rules  # 3 units of J3420 is over its MUE of 1


def test_a_wrong_value_type_in_an_eob_is_an_input_error_and_the_next_is_read():
    bad = eob("C-1", "p1", "2026-03-02", B12, ["D51.0"])
    bad["item"][0]["quantity"] = {"value": "two"}
    good = eob("C-2", "p1", "2026-04-06", B12, ["D51.0"])
    items = read([*base(), bad, good])
    error, record = items
    assert isinstance(error, InputError) and error.encounter_id == "C-1"
    assert error.pointer == "/item/0/quantity/value" and error.source.line is not None
    assert isinstance(record, Record) and record.encounter["encounter_id"] == "C-2"


def test_an_eob_without_a_service_date_or_an_id_is_an_input_error_naming_why():
    no_date = eob("C-1", "p1", "2026-03-02", B12, ["D51.0"])
    no_date.pop("billablePeriod")
    for item in no_date["item"]:
        item.pop("servicedDate")
    no_id = eob("C-2", "p1", "2026-03-02", B12, ["D51.0"])
    no_id.pop("identifier")
    no_id.pop("id")
    first, second = read([*base(), no_date, no_id])
    assert isinstance(first, InputError) and "no service date" in first.message
    assert first.encounter_id == "C-1"
    assert isinstance(second, InputError) and "no identifier or id" in second.message


def test_the_principal_diagnosis_comes_first_whatever_its_sequence():
    resource = eob("C-1", "p1", "2026-03-02", B12, ["R53.83", "D51.0"])
    resource["diagnosis"][1]["type"] = [
        {
            "coding": [
                {
                    "system": "http://terminology.hl7.org/CodeSystem/ex-diagnosistype",
                    "code": "principal",
                }
            ]
        }
    ]
    for item in resource["item"]:
        item["diagnosisSequence"] = [2]  # the covering diagnosis, D51.0
    enc = only_record(read([*base(), resource])).encounter
    assert enc["diagnoses"] == ["D51.0", "R53.83"]
    assert [line["dx_pointers"] for line in enc["lines"]] == [[1], [1]]


@pytest.mark.parametrize(
    ("code", "kind"),
    [
        ("121", "medicare"),
        ("1", "medicare"),
        ("111", "medicare_advantage"),
        ("112", "medicare_advantage"),
        ("123", "medicare_advantage"),
        ("122", "other"),
        ("2", "medicaid"),
        ("21", "medicaid"),
        ("5", "commercial"),
        ("62", "commercial"),
        ("32", "other"),
    ],
)
def test_sopt_payer_types(code, kind):
    assert sopt_type(code) == kind


def test_coverage_gives_the_payer_type():
    resources = base()
    coverage = resources[3]
    coverage["type"]["coding"][0]["code"] = "111"  # Medicare HMO: Medicare Advantage
    enc = only_record(read([*resources, eob("C-1", "p1", "2026-03-02", B12, ["D51.0"])])).encounter
    assert enc["payer"] == {"name": "Medicare Part B", "id": "00952", "type": "medicare_advantage"}


@pytest.mark.parametrize(
    ("plan", "kind"),
    [("Part B", "medicare"), ("Part C", "medicare_advantage"), ("Part D", "other")],
)
def test_blue_button_coverage_class_gives_the_payer_type(plan, kind):
    coverage = {
        "resourceType": "Coverage",
        "id": "part-x--1",
        "status": "active",
        "beneficiary": {"reference": "Patient/p1"},
        "payor": [{"identifier": {"value": "Centers for Medicare and Medicaid Services"}}],
        "class": [
            {"type": {"coding": [{"code": "subgroup"}]}, "value": "Medicare"},
            {"type": {"coding": [{"code": "subplan"}]}, "value": plan},
        ],
    }
    resource = eob(
        "C-1", "p1", "2026-03-02", B12, ["D51.0"], bb=True, coverage="Coverage/part-x--1"
    )
    resource["type"]["coding"] = resource["type"]["coding"][2:]  # no Blue Button EOB type
    enc = only_record(read([coverage, resource])).encounter
    assert enc["payer"] == {"type": kind}


def test_institutional_eob_type_of_bill_revenue_codes_and_attending_npi():
    resource = eob("C-1", "p1", "2026-03-02", B12, ["D51.0"])
    resource["type"] = {"coding": [{"system": "http://terminology.hl7.org/CodeSystem/claim-type",
                                     "code": "institutional"}]}  # fmt: skip
    resource["careTeam"][1]["role"]["coding"][0]["code"] = "attending"
    resource["supportingInfo"] = [
        {
            "sequence": 1,
            "category": {"coding": [{"code": "typeofbill"}]},
            "code": {"coding": [{"system": "https://www.nubc.org/CodeSystem/TypeOfBill",
                                 "code": "0131"}]},
        }
    ]  # fmt: skip
    resource["item"][0]["revenue"] = {"coding": [{"code": "636"}]}
    resource["item"][1]["revenue"] = {"coding": [{"code": "0510"}]}
    enc = only_record(read([*base(), resource])).encounter
    assert enc["claim_type"] == "institutional" and enc["type_of_bill"] == "0131"
    assert [line["revenue_code"] for line in enc["lines"]] == ["0636", "0510"]
    assert enc["rendering_npi"] == "1234567893"  # the attending, as 837I's


def test_blue_button_type_of_bill_extensions():
    resource = eob("C-1", "p1", "2026-03-02", B12, ["D51.0"], bb=True)
    resource["type"]["coding"][1]["code"] = "OUTPATIENT"
    resource["type"]["coding"] = resource["type"]["coding"][:2]
    resource["extension"] = [
        {"url": f"https://bluebutton.cms.gov/resources/variables/{name}",
         "valueCoding": {"code": value}}
        for name, value in [("clm_fac_type_cd", "1"), ("clm_srvc_clsfctn_type_cd", "3"),
                            ("clm_freq_cd", "1")]
    ]  # fmt: skip
    enc = only_record(read([resource])).encounter
    assert enc["claim_type"] == "institutional" and enc["type_of_bill"] == "0131"
    assert enc["payer"] == {"type": "medicare"}  # an OUTPATIENT Blue Button claim is FFS


def test_an_eob_of_a_claim_in_the_same_bundle_is_not_a_second_encounter():
    c = claim("C-1", "p1", "2026-03-02", B12, ["D51.0"])
    e = eob("EOB-1", "p1", "2026-03-02", B12, ["D51.0"])
    e["claim"] = {"reference": "Claim/c-1"}
    same_id = eob("C-1", "p1", "2026-03-02", B12, ["D51.0"])  # no claim reference, same id
    with collecting() as tally:
        items = read([*base(), c, e, same_id])
    (record,) = items
    assert record.encounter["encounter_id"] == "C-1"
    assert tally.not_judged["ExplanationOfBenefit"] == 2
    assert tally.not_judged["Patient"] == 1 and tally.not_judged["Coverage"] == 1


def test_a_file_with_no_claim_or_eob_is_said_to_be_unchecked():
    response = {"resourceType": "ClaimResponse", "id": "cr1", "status": "active"}
    with collecting() as tally:
        items = read([*base(), response], "no-claims.json")
    assert items == []
    assert tally.not_judged == {"Patient": 1, "Practitioner": 1, "Organization": 1,
                                "Coverage": 1, "ClaimResponse": 1}  # fmt: skip
    (note,) = tally.notes
    assert note.startswith("no-claims.json: no FHIR Claim or ExplanationOfBenefit")
    assert "ClaimResponse 1" in note and "nothing in it was checked" in note


def test_eob_detail_lines_never_become_claim_lines():
    resource = eob("C-1", "p1", "2026-03-02", B12, ["D51.0"])
    drug = resource["item"][0]
    drug["detail"].append(copy.deepcopy(drug["detail"][0]) | {"sequence": 2})
    drug["detail"].append(
        {"sequence": 3, "productOrService": {"coding": [{"system": "http://www.ama-assn.org/go/cpt",
                                                          "code": "96372"}]}}
    )  # fmt: skip
    enc = only_record(read([*base(), resource])).encounter
    assert [line["code"] for line in enc["lines"]] == ["J3420", "96372"]
    assert enc["lines"][0]["ndc_quantity"] == 1 and enc["lines"][0]["ndc_unit"] == "ML"


def test_documentation_joins_a_chart_to_an_eob(tmp_path):
    from b12lint.readers import join, load_chart

    path = tmp_path / "eob.json"
    path.write_bytes(dumps(bundle([*base(), eob("C-1", "p1", "2026-03-02", B12, ["D51.0"])])))
    chart = tmp_path / "chart.jsonl"
    given = {"drug": "cyanocobalamin", "dose": "1000 mcg", "route": "IM"}
    doc = {
        "indication": "pernicious anemia",
        "indication_codes": ["D51.0"],
        "administrations": [given],
    }
    chart.write_text(json.dumps({"encounter_id": "C-1", "documentation": doc}) + "\n")
    (record,) = list(join(read_inputs([str(path)]), load_chart([str(chart)])))
    assert record.has_chart and record.encounter["documentation"]["indication"]
    findings = [f for f in run([record], load_ruleset()).findings if f.severity != "info"]
    assert findings == []


def test_check_says_a_fhir_file_without_claims_was_not_checked(tmp_path):
    from click.testing import CliRunner

    from b12lint.cli import cli

    path = tmp_path / "people.ndjson"
    path.write_text(
        '{"resourceType": "Patient", "id": "p1"}\n{"resourceType": "Patient", "id": "p2"}\n'
    )
    result = CliRunner().invoke(cli, ["check", str(path)], catch_exceptions=False)
    # no record at all: exit 2 naming the input and what was read (FORMATS.md section 3)
    assert result.exit_code == 2
    assert "no record found in" in result.output and "Patient 2" in result.output
    allowed = CliRunner().invoke(cli, ["check", str(path), "--allow-empty"])
    assert allowed.exit_code == 0
    assert "no FHIR Claim or ExplanationOfBenefit (resources read: Patient 2)" in allowed.output
    assert "nothing in it was checked" in allowed.output


def test_voided_claims_and_preauthorizations_bill_nothing():
    voided = eob("C-1", "p1", "2026-03-02", B12, ["D51.0"]) | {"status": "cancelled"}
    replacement = eob("C-1R", "p1", "2026-03-02", B12, ["D51.0"])  # the corrected claim
    asked = claim("C-9", "p1", "2026-03-09", B12, ["D51.0"]) | {"use": "preauthorization"}
    with collecting() as tally:
        items = read([*base(), voided, replacement, asked])
    assert [r.encounter["encounter_id"] for r in items] == ["C-1R"]
    assert tally.not_judged["ExplanationOfBenefit"] == 1 and tally.not_judged["Claim"] == 1
    assert not [f for f in run(items, load_ruleset()).findings if f.category == "frequency"]


def test_an_eob_is_adjudicated_and_a_claim_is_not():
    """An EOB is the payer's adjudicated claim (FHIR carries no NDC quantity outside details,
    diagnosisSequence is 0..*): its record says so; a Claim is the claim as submitted."""
    e = eob("EOB-9", "p1", "2026-03-02", B12, ["D51.0"])
    c = claim("C-9", "p1", "2026-03-02", B12, ["D51.0"])
    by_id = {r.encounter["encounter_id"]: r.encounter for r in read([*base(), e, c])}
    assert by_id["EOB-9"]["adjudicated"] is True
    assert "adjudicated" not in by_id["C-9"]


def _coded_ndc_eob(ndc: str) -> dict:
    """A CARIN EOB whose J3420 item names the NDC as a productOrService coding (no quantity)."""
    e = eob("EOB-N", "p1", "2026-03-02", B12, ["D51.0"])
    drug = e["item"][0]
    drug.pop("detail")
    drug["productOrService"]["coding"].append({"system": NDC_SYSTEM, "code": ndc})
    return e


@pytest.mark.parametrize(
    ("written", "billed"),
    [
        ("0517-0031-01", "00517003101"),  # 4-4-2: the labeler padded
        ("70710-166-01", "70710016601"),  # 5-3-2: the product padded
        ("70710-1663-1", "70710166301"),  # 5-4-1: the package padded
        ("00517-0031-01", "00517003101"),  # 5-4-2 hyphenated
        ("00517003101", "00517003101"),  # the billing form as is
        ("0517003101", "0517003101"),  # bare 10 digits: ambiguous, kept for the NDC rules
        ("0517-31-01", "0517-31-01"),  # not an NDC shape: kept for the NDC rules
    ],
)
def test_fhir_ndc_codings_are_read_in_the_11_digit_billing_form(written, billed):
    enc = only_record(read([*base(), _coded_ndc_eob(written)])).encounter
    assert enc["lines"][0]["ndc"] == billed


def test_a_paid_eob_with_an_ndc_coding_and_no_quantity_passes_the_ndc_rules():
    """FHIR writes the NDC hyphenated and has no quantity for a productOrService coding: no
    B12-NDC-002 (form) or B12-NDC-007 (quantity) on the EOB; the same line on a Claim (the
    claim as submitted, with no detail quantity) still needs its quantity."""
    e = _coded_ndc_eob("0517-0031-01")
    c = claim("C-N", "p1", "2026-03-02", B12, ["D51.0"])
    c["item"][0]["detail"][0].pop("quantity")
    findings = run(read([*base(), e, c]), load_ruleset()).findings
    ndc_rules = {(f.encounter_id, f.rule_id) for f in findings if f.category == "ndc"}
    assert ("EOB-N", "B12-NDC-002") not in ndc_rules
    assert ("EOB-N", "B12-NDC-007") not in ndc_rules
    assert ("C-N", "B12-NDC-007") in ndc_rules


def test_an_eob_without_diagnosis_sequences_gets_no_pointer_warning():
    e = eob("EOB-P", "p1", "2026-03-02", B12, ["D51.0"])
    c = claim("C-P", "p1", "2026-03-02", B12, ["D51.0"])
    for item in e["item"] + c["item"]:
        item.pop("diagnosisSequence", None)
    findings = run(read([*base(), e, c]), load_ruleset()).findings
    pointer_warnings = {f.encounter_id for f in findings if f.rule_id == "B12-DX-007"}
    assert pointer_warnings == {"C-P"}  # the submitted Claim still needs its pointers
