"""The FHIR R4 reader: Bundles and NDJSON that fhir.resources validates, and broken ones."""

from __future__ import annotations

import copy
import datetime as dt

import orjson
import pytest
from fhir_build import admin, base, bundle, claim, condition, dumps

from b12lint.engine import load_ruleset, run
from b12lint.model import Finding, InputError, Record
from b12lint.readers import read_inputs
from b12lint.readers.fhir import looks_like_fhir, read_fhir, validation_error
from b12lint.readers.sniff import detect


def above_info(findings: list[Finding]) -> list[Finding]:
    """Findings that make a claim wrong (FHIR carries no monitoring plan: an info note)."""
    return [f for f in findings if f.severity != "info"]


def resources() -> list[dict]:
    return [
        *base(),
        condition("cond1", "p1", "D51.0", "pernicious anemia"),
        admin("ma1", "p1", "2026-03-02", "78421000", reason="cond1"),
        claim(
            "C-1",
            "p1",
            "2026-03-02",
            [("J3420", 1, 12.0), ("96372", 1, 25.0)],
            ["D51.0"],
            support="ma1",
        ),
    ]


def items_of(data: bytes, file: str = "b.json") -> list[Record | InputError]:
    return list(read_fhir(data, file))


def test_fixture_resources_are_valid_fhir():
    for resource in resources():
        assert validation_error(resource) is None, resource["resourceType"]


def test_claim_and_linked_chart_map_to_the_native_record():
    (record,) = items_of(dumps(bundle(resources())))
    assert isinstance(record, Record)
    assert record.has_chart and not record.chart_missing
    enc = record.encounter
    assert enc["encounter_id"] == "C-1"
    assert enc["patient_id"] == "PT-0601"
    assert enc["date_of_service"] == dt.date(2026, 3, 2)
    assert enc["diagnoses"] == ["D51.0"]
    assert enc["rendering_npi"] == "1234567893"
    assert enc["place_of_service"] == "11"
    assert enc["payer"] == {"name": "Medicare Part B", "id": "00952", "type": "medicare"}
    drug, injection = enc["lines"]
    assert drug["code"] == "J3420" and drug["units"] == 1 and drug["dx_pointers"] == [1]
    assert drug["ndc"] == "00517003101" and drug["ndc_quantity"] == 1 and drug["ndc_unit"] == "ML"
    assert injection["code"] == "96372" and "ndc" not in injection
    doc = enc["documentation"]
    assert doc["indication"] == "pernicious anemia"
    assert doc["indication_codes"] == ["D51.0"]
    (adm,) = doc["administrations"]
    assert adm["drug"] == "cyanocobalamin"
    assert adm["dose"] == {"value": 1000, "unit": "ug"}
    assert adm["route"] == "78421000"
    assert adm["ndc"] == "00517003101"
    assert above_info(run([record], load_ruleset()).findings) == []


def test_ndjson_reads_the_same_records_at_their_lines():
    ndjson = b"\n".join(orjson.dumps(r) for r in resources()) + b"\n"
    (from_ndjson,) = items_of(ndjson, "r.ndjson")
    (from_bundle,) = items_of(dumps(bundle(resources())))
    assert from_ndjson.encounter == from_bundle.encounter
    assert from_ndjson.source.line == len(resources())


def test_resources_are_located_at_their_bundle_entry():
    text = dumps(bundle(resources()))
    (record,) = items_of(text)
    lines = text.decode().splitlines()
    assert '"resource"' in lines[record.source.line] or '"fullUrl"' in lines[record.source.line]
    assert '"resourceType": "Claim"' in "\n".join(
        lines[record.source.line : record.source.line + 4]
    )


def test_an_invalid_claim_is_an_input_error_and_the_rest_is_checked():
    data = resources()
    broken = copy.deepcopy(data[-1])
    broken["identifier"][0]["value"] = "C-2"
    broken["status"] = 5
    second_ok = copy.deepcopy(data[-1])
    second_ok["identifier"][0]["value"] = "C-3"
    second_ok["id"] = "c-3"
    items = items_of(dumps(bundle([*data, broken, second_ok])))
    errors = [i for i in items if isinstance(i, InputError)]
    assert [e.encounter_id for e in errors] == ["C-2"]
    assert errors[0].pointer == "/status" and errors[0].rule_id == "B12-INPUT-002"
    assert errors[0].source.line is not None
    assert [i.encounter["encounter_id"] for i in items if isinstance(i, Record)] == ["C-1", "C-3"]


def test_an_invalid_administration_leaves_the_claim_without_chart():
    data = resources()
    data[5]["dosage"]["dose"]["value"] = "a lot"  # the MedicationAdministration
    items = items_of(dumps(bundle(data)))
    (error,) = [i for i in items if isinstance(i, InputError)]
    assert "MedicationAdministration/ma1" in error.message
    (record,) = [i for i in items if isinstance(i, Record)]
    assert not record.has_chart and not record.chart_missing  # no valid administration left


def test_broken_json_and_non_resources():
    (error,) = items_of(b'{"resourceType": "Bundle", "entry": [{"resource": {')
    assert isinstance(error, InputError) and "not valid JSON" in error.message
    ndjson = b'{"resourceType": "Patient", "id": "p"}\n{"no": "type"}\nnot json\n'
    errors = items_of(ndjson)
    assert [e.source.line for e in errors] == [2, 3]


def test_link_by_patient_and_date_and_not_done_administrations():
    data = resources()
    data[-1].pop("supportingInfo")
    (record,) = items_of(dumps(bundle(data)))
    assert record.has_chart and len(record.encounter["documentation"]["administrations"]) == 1
    data[5]["status"] = "not-done"
    (record,) = items_of(dumps(bundle(data)))
    assert not record.has_chart and record.chart_missing


def test_a_claim_without_administration_in_a_bundle_that_has_some_is_a_chart_gap():
    data = resources()
    data.append(
        claim("C-9", "p1", "2026-04-06", [("J3420", 1, 12.0), ("96372", 1, 25.0)], ["D51.0"])
    )
    items = items_of(dumps(bundle(data)))
    gap = next(i for i in items if i.encounter["encounter_id"] == "C-9")
    assert gap.chart_missing
    findings = above_info(run(items, load_ruleset()).findings)
    assert [(f.encounter_id, f.rule_id) for f in findings] == [("C-9", "B12-IND-003")]


def test_a_bundle_of_bare_claims_carries_no_chart():
    data = [r for r in resources() if r["resourceType"] != "MedicationAdministration"]
    data[-1].pop("supportingInfo")
    (record,) = items_of(dumps(bundle(data)))
    assert not record.has_chart and not record.chart_missing
    assert run([record], load_ruleset()).summary.without_chart == 1


def test_volume_doses_take_the_medication_strength():
    data = resources()
    data.append(
        {
            "resourceType": "Medication",
            "id": "med1",
            "code": {"text": "cyanocobalamin"},
            "ingredient": [
                {
                    "itemCodeableConcept": {"text": "cyanocobalamin"},
                    "strength": {
                        "numerator": {"value": 1000, "unit": "ug", "code": "ug"},
                        "denominator": {"value": 1, "unit": "mL", "code": "mL"},
                    },
                }
            ],
        }
    )
    ma = data[5]
    ma.pop("medicationCodeableConcept")
    ma["medicationReference"] = {"reference": "Medication/med1"}
    ma["dosage"]["dose"] = {"value": 1, "unit": "mL", "code": "mL"}
    (record,) = items_of(dumps(bundle(data)))
    (adm,) = record.encounter["documentation"]["administrations"]
    assert adm["dose"] == {"volume_ml": 1, "concentration": "1000 ug/mL"}
    assert adm["drug"] == "cyanocobalamin"
    assert above_info(run([record], load_ruleset()).findings) == []


@pytest.mark.parametrize(
    ("head", "expected"),
    [
        (b'{"resourceType": "Bundle", "entry": []}', True),
        (b'{\n  "id": "x", "meta": {"resourceType": 1},\n  "resourceType": "Claim"}', True),
        (b'{"encounter_id": "E1", "x-note": {"resourceType": "Bundle"}}', False),
        (b'[{"resourceType": "Claim"}]', False),
        (b"ISA*00*", False),
    ],
)
def test_looks_like_fhir(head, expected):
    assert looks_like_fhir(head) is expected


def test_detection_by_content_and_extension(tmp_path):
    assert detect(dumps(bundle(resources()))) == "fhir"
    path = tmp_path / "export.json"
    path.write_bytes(dumps(bundle(resources())))
    (record,) = list(read_inputs([str(path)]))
    assert isinstance(record, Record) and record.encounter["encounter_id"] == "C-1"
    ndjson = tmp_path / "export.ndjson"
    ndjson.write_bytes(b"\n".join(orjson.dumps(r) for r in resources()))
    (record,) = list(read_inputs([str(ndjson)]))
    assert isinstance(record, Record)


def test_an_stu3_claim_is_an_input_error_that_names_the_fhir_version() -> None:
    """HL7's STU3 Claim example (item.service, diagnosis.diagnosis, organization): R4
    renamed these, so the claim is not read, and the message says why."""
    stu3 = {
        "resourceType": "Claim",
        "id": "860150",
        "status": "active",
        "type": {"system": "http://hl7.org/fhir/ex-claimtype", "code": "professional"},
        "organization": {"reference": "Organization/1"},
        "use": "complete",
        "patient": {"reference": "Patient/1"},
        "diagnosis": [{"sequence": 1, "diagnosis": {"code": "654456"}}],
        "item": [{"sequence": 1, "service": {"code": "exam"}, "servicedDate": "2014-08-16"}],
    }
    (error,) = items_of(orjson.dumps(stu3))
    assert isinstance(error, InputError)
    assert "FHIR STU3 or DSTU2" in error.message
    r4 = copy.deepcopy(stu3)
    del r4["organization"]
    r4["diagnosis"] = [{"sequence": 1, "diagnosisCodeableConcept": {"text": "x"}}]
    r4["item"][0]["productOrService"] = {"text": "exam"}
    del r4["item"][0]["service"]
    r4["type"] = {"coding": [{"code": "professional"}]}
    for error in items_of(orjson.dumps(r4)):
        assert "STU3" not in getattr(error, "message", "")
