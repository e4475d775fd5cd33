"""The same encounter written natively, as 837P + chart, as a FHIR Claim and as a FHIR
ExplanationOfBenefit + chart gives the same findings."""

from __future__ import annotations

import copy

import orjson
import x12i_build as x12i
from fhir_build import admin, base, bundle, claim, condition, dumps, eob
from x12_build import Subscriber, b12_claim, interchange

from b12lint.engine import load_ruleset, run
from b12lint.model import Finding
from b12lint.readers import join, load_chart, read_inputs

DOC = {
    "indication": "fatigue",
    "indication_codes": ["R53.83"],
    "administrations": [
        {
            "drug": "cyanocobalamin",
            "dose": {"value": 1000, "unit": "ug"},
            "route": "78421000",
            "ndc": "00517003101",
            "time": "2026-03-02T10:15:00-05:00",
        }
    ],
}
NATIVE = {
    "encounter_id": "CLM0042",
    "patient_id": "MBR0001",
    "date_of_service": "2026-03-02",
    "place_of_service": "11",
    "rendering_npi": "1234567893",
    "payer": {"id": "00952", "name": "MEDICARE PART B", "type": "medicare"},
    "diagnoses": ["R53.83"],
    "documentation": DOC,
    "lines": [
        {"code": "J3420", "units": 2, "modifiers": [], "dx_pointers": [1], "date": "2026-03-02",
         "ndc": "00517003101", "ndc_quantity": 1, "ndc_unit": "ML", "charge": 12.0},
        {"code": "96372", "units": 1, "modifiers": [], "dx_pointers": [1], "date": "2026-03-02",
         "charge": 25.0},
        {"code": "99213", "units": 1, "modifiers": [], "dx_pointers": [1], "date": "2026-03-02",
         "charge": 90.0},
    ],
}  # fmt: skip


def key(findings: list[Finding]) -> list[tuple[str, str, object]]:
    return sorted((f.rule_id, f.location.pointer, f.fix.value if f.fix else None) for f in findings)


def native_findings(tmp_path) -> list[Finding]:
    path = tmp_path / "native.jsonl"
    path.write_bytes(orjson.dumps(NATIVE) + b"\n")
    return run(read_inputs([str(path)]), load_ruleset()).findings


def x12_findings(tmp_path) -> list[Finding]:
    x12 = b12_claim("CLM0042", diagnoses=["R5383"])
    x12["lines"][0]["units"] = 2
    x12["lines"].append({"code": "99213", "units": 1, "charge": 90.0})
    path = tmp_path / "claims.837"
    path.write_text(interchange([[Subscriber(claims=[x12])]]), encoding="latin-1")
    chart = tmp_path / "chart.jsonl"
    chart.write_bytes(orjson.dumps({"encounter_id": "CLM0042", "documentation": DOC}) + b"\n")
    items = join(read_inputs([str(path)]), load_chart([str(chart)]))
    return run(items, load_ruleset()).findings


def fhir_findings(tmp_path) -> list[Finding]:
    resources = [
        *base(),
        condition("cond1", "p1", "R53.83", "fatigue"),
        admin("ma1", "p1", "2026-03-02", "78421000", reason="cond1"),
        claim(
            "CLM0042",
            "p1",
            "2026-03-02",
            [("J3420", 2, 12.0), ("96372", 1, 25.0), ("99213", 1, 90.0)],
            ["R53.83"],
            support="ma1",
        ),
    ]
    path = tmp_path / "bundle.json"
    path.write_bytes(dumps(bundle(copy.deepcopy(resources))))
    return run(read_inputs([str(path)]), load_ruleset()).findings


def eob_findings(tmp_path, bb: bool) -> list[Finding]:
    """The encounter as an ExplanationOfBenefit (CARIN or Blue Button shape) + the chart."""
    items = [("J3420", 2, 12.0), ("96372", 1, 25.0), ("99213", 1, 90.0)]
    resource = eob("CLM0042", "p1", "2026-03-02", items, ["R53.83"], bb=bb)
    path = tmp_path / f"eob-{bb}.json"
    path.write_bytes(dumps(bundle([*base(), resource])))
    chart = tmp_path / "eob.chart.jsonl"
    chart.write_bytes(orjson.dumps({"encounter_id": "CLM0042", "documentation": DOC}) + b"\n")
    return run(join(read_inputs([str(path)]), load_chart([str(chart)])), load_ruleset()).findings


def test_native_x12_with_chart_and_fhir_give_the_same_findings(tmp_path):
    native = native_findings(tmp_path)
    x12 = x12_findings(tmp_path)
    fhir = fhir_findings(tmp_path)
    carin = eob_findings(tmp_path, bb=False)
    blue_button = eob_findings(tmp_path, bb=True)
    rules = {f.rule_id for f in native}
    assert {"B12-UNITS-001", "B12-UNITS-003", "B12-MOD-001", "B12-IND-002"} <= rules
    assert key(x12) == key(native)
    assert key(fhir) == key(native)
    assert key(carin) == key(native)
    # Blue Button carries no payer name or id: the payer type (Original Medicare) is the same.
    # Its carrier lines carry the NDC but not its quantity (the CCW keeps no NDC quantity for
    # carrier and DME lines): the record is adjudicated, B12-NDC-007 does not judge it (below).
    assert key(blue_button) == key(native)
    # Where the records are the same, so are the messages (the native record has dots).
    assert sorted(f.message for f in fhir) == sorted(f.message for f in native)
    assert sorted(f.message for f in carin) == sorted(f.message for f in native)
    assert all(f.encounter_id == "CLM0042" for f in native + x12 + fhir + carin + blue_button)


def test_blue_button_ndc_without_a_quantity_field_is_not_an_error(tmp_path):
    """Blue Button carrier/DME lines carry an NDC but no NDC quantity (the format has no field
    for it): the EOB's record is adjudicated and B12-NDC-007 does not ask for the quantity."""
    found = eob_findings(tmp_path, bb=True)
    assert "B12-NDC-007" not in {f.rule_id for f in found}
    assert "B12-UNITS-003" in {f.rule_id for f in found}  # the EOB is still judged


def institutional_native() -> dict[str, object]:
    """NATIVE as a hospital outpatient claim: type of bill, revenue codes, no POS or pointers."""
    record = copy.deepcopy(NATIVE)
    record.pop("place_of_service")
    record.update(claim_type="institutional", type_of_bill="0131")
    for line, revenue in zip(record["lines"], ("0636", "0510", "0510"), strict=True):  # type: ignore[call-overload]
        line.pop("dx_pointers")
        line["revenue_code"] = revenue
    return record


def x12i_findings(tmp_path) -> list[Finding]:
    claim = x12i.b12_claim("CLM0042", diagnoses=["R5383"], attending_npi="1234567893")
    claim["lines"][0]["units"] = 2
    claim["lines"].append({"code": "99213", "units": 1, "charge": 90.0, "revenue_code": "0510"})
    path = tmp_path / "facility.837"
    path.write_text(x12i.interchange([[Subscriber(claims=[claim])]]), encoding="latin-1")
    chart = tmp_path / "chart.jsonl"
    chart.write_bytes(orjson.dumps({"encounter_id": "CLM0042", "documentation": DOC}) + b"\n")
    items = join(read_inputs([str(path)]), load_chart([str(chart)]))
    return run(items, load_ruleset()).findings


def test_native_institutional_and_837i_with_chart_give_the_same_findings(tmp_path):
    path = tmp_path / "facility.jsonl"
    path.write_bytes(orjson.dumps(institutional_native()) + b"\n")
    native = run(read_inputs([str(path)]), load_ruleset()).findings
    x12 = x12i_findings(tmp_path)
    assert key(x12) == key(native)
    # the messages too, but for the dot X12 does not write in R53.83
    undotted = sorted(f.message.replace("R53.83", "R5383") for f in native)
    assert sorted(f.message for f in x12) == undotted
    # The professional claim of the same encounter differs only by the professional-only
    # rules (pointers, place of service, practitioner MUEs) and the facility MUE.
    professional = {f.rule_id for f in native_findings(tmp_path)}
    facility = {f.rule_id for f in native}
    assert "B12-UNITS-003" in professional and "B12-UNITS-003" not in facility
    assert professional - facility <= {"B12-UNITS-003", "B12-DOSE-004", "B12-DX-004"}
    assert facility - professional <= {"B12-UNITS-007", "B12-UNITS-008"}
    assert {"B12-UNITS-001", "B12-MOD-001", "B12-IND-002"} <= facility
