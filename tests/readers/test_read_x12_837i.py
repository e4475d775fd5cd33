"""The 837I institutional reader (005010X223A2): pyx12-validated fixtures with B12 lines,
what each segment maps to, and broken claims."""

from __future__ import annotations

import datetime as dt
import io
from pathlib import Path

import pytest
from x12_build import Delims, Subscriber
from x12i_build import b12_claim, interchange

from b12lint.engine import load_ruleset, run
from b12lint.model import InputError, Record
from b12lint.readers import read_inputs
from b12lint.readers.x12 import read_x12


def read(text: str) -> list[Record | InputError]:
    return list(read_x12(io.BytesIO(text.encode("latin-1")), "t.837"))


def records(items: list[Record | InputError]) -> list[Record]:
    return [i for i in items if isinstance(i, Record)]


def errors(items: list[Record | InputError]) -> list[InputError]:
    return [i for i in items if isinstance(i, InputError)]


def facility_batch() -> list[list[Subscriber]]:
    second = b12_claim(
        "CLM0002",
        "20260330",
        type_of_bill="851",  # critical access hospital, outpatient
        diagnoses=["D510", "K900"],
        rendering_npi="1245319599",
        operating_npi="1003000126",
    )
    second["lines"].append({"code": "", "revenue_code": "0250", "charge": 3.0, "units": 2})
    third = b12_claim("CLM0003", attending_npi="")
    third["lines"][1]["line_rendering_npi"] = "1003000126"
    return [[Subscriber(claims=[b12_claim("CLM0001"), second]),
             Subscriber(member_id="MBR0002", filing="16", claims=[third])]]  # fmt: skip


@pytest.mark.parametrize(
    "delims", [Delims(), Delims("|", ">", "!", "\n", "")], ids=["usual", "pipe-newline"]
)
def test_fixture_is_valid_837i_and_maps_every_field(tmp_path, delims, assert_pyx12_valid):
    path = tmp_path / "facility.837"
    path.write_text(interchange(facility_batch(), delims), encoding="latin-1")
    assert_pyx12_valid(path)
    items = list(read_inputs([str(path)]))
    assert errors(items) == []
    first, second, third = (r.encounter for r in records(items))
    assert first == {
        "encounter_id": "CLM0001",
        "patient_id": "MBR0001",
        "date_of_service": dt.date(2026, 3, 2),
        "claim_type": "institutional",
        "type_of_bill": "0131",
        "rendering_npi": "1234567893",  # the attending: no rendering provider on the claim
        "payer": {"id": "00952", "name": "MEDICARE PART B", "type": "medicare"},
        "diagnoses": ["D510"],
        "lines": [
            {"code": "J3420", "modifiers": [], "units": 1, "charge": 12, "revenue_code": "0636",
             "date": dt.date(2026, 3, 2), "ndc": "00517003101", "ndc_quantity": 1,
             "ndc_unit": "ML"},
            {"code": "96372", "modifiers": [], "units": 1, "charge": 25, "revenue_code": "0510",
             "date": dt.date(2026, 3, 2)},
        ],
    }  # fmt: skip
    assert "place_of_service" not in first  # CLM05 is a type of bill, never a POS
    assert all("dx_pointers" not in line for line in first["lines"])
    assert second["type_of_bill"] == "0851"
    assert second["diagnoses"] == ["D510", "K900"]  # ABK principal first, then ABF
    assert second["rendering_npi"] == "1245319599"  # 2310D rendering wins over the attending
    assert second["lines"][2] == {
        "modifiers": [], "units": 2, "charge": 3, "revenue_code": "0250",
        "date": dt.date(2026, 3, 30),
    }  # fmt: skip
    assert third["rendering_npi"] == "1003000126"  # 2420C line rendering, no 2310 provider
    assert third["payer"]["type"] == "medicare_advantage"


def test_b12_facility_claim_is_judged_without_professional_only_rules(tmp_path):
    claim = b12_claim("CLM0009")
    claim["lines"][1]["units"] = 6
    path = tmp_path / "facility.837"
    path.write_text(interchange([[Subscriber(claims=[claim])]]), encoding="latin-1")
    result = run(read_inputs([str(path)]), load_ruleset())
    assert result.summary.b12_encounters == 1
    ids = {f.rule_id for f in result.findings}
    assert "B12-UNITS-007" in ids  # outpatient hospital MUE: 96372 = 5
    assert not ids & {"B12-DX-007", "B12-DX-003", "B12-UNITS-005", "B12-PROV-003"}


@pytest.mark.parametrize(
    ("type_of_bill", "admin_finding"), [("111", False), ("211", False), ("131", True)]
)
def test_inpatient_stay_needs_no_administration_line(tmp_path, type_of_bill, admin_finding):
    """Part A inpatient (11x, 21x) is paid per stay: the J3420 line stands without a 96372;
    an outpatient bill (13x) without its injection line is still a finding."""
    claim = b12_claim("CLM0011", type_of_bill=type_of_bill)
    claim["lines"] = claim["lines"][:1]
    path = tmp_path / "stay.837"
    path.write_text(interchange([[Subscriber(claims=[claim])]]), encoding="latin-1")
    result = run(read_inputs([str(path)]), load_ruleset())
    assert result.summary.b12_encounters == 1
    ids = {f.rule_id for f in result.findings}
    assert ("B12-ADMIN-001" in ids) is admin_finding


def test_statement_date_stands_in_when_lines_have_no_service_date():
    text = interchange([[Subscriber(claims=[b12_claim("S1", "20260305")])]])
    text = text.replace("DTP*472*D8*20260305~", "")
    (record,) = records(read(text))
    assert record.encounter["date_of_service"] == dt.date(2026, 3, 5)


def test_revenue_code_without_its_leading_zero_is_padded():
    text = interchange([[Subscriber(claims=[b12_claim("R1")])]]).replace("SV2*0636*", "SV2*636*")
    (record,) = records(read(text))
    assert record.encounter["lines"][0]["revenue_code"] == "0636"


@pytest.mark.parametrize(
    ("old", "new", "says"),
    [
        ("SV2*0636*HC:J3420*12.00*", "SV2*0636*HC:J3420*twelve*", "SV203 (charge)"),
        ("SV2*0510*HC:96372*25.00*UN*1", "SV2*0510*HC:96372*25.00*UN*one", "SV205 (units)"),
        ("SV2*0636*HC:J3420*", "SV2**HC:J3420*", "SV201 (revenue code) is empty"),
        ("SV2*0636*HC:J3420*", "SV2*0636*J3420*", "SV202 is not 'HC:code"),
        ("SV2*0636*HC:J3420*12.00*UN*1~", "SV1*HC:J3420*12.00*UN*1***1~", "SV1 is an 837P"),
        ("DTP*472*D8*20260302~\nLIN", "DTP*472*D8*20261302~\nLIN", "DTP03 is not a D8 date"),
    ],
)
def test_a_broken_line_makes_its_claim_an_input_error(old, new, says):
    text = interchange([[Subscriber(claims=[b12_claim("BAD1"), b12_claim("OK2")])]])
    assert old in text
    items = read(text.replace(old, new, 1))
    assert [r.encounter["encounter_id"] for r in records(items)] == ["OK2"]
    (error,) = errors(items)
    assert error.encounter_id == "BAD1" and says in error.message
    assert error.source.line == 20  # located at the claim's CLM segment


def test_truncated_837i_reports_the_cut_claim():
    text = interchange([[Subscriber(claims=[b12_claim("A1"), b12_claim("A2")])]])
    items = read(text[: text.index("SV2*0510", text.index("CLM*A2"))])
    assert [r.encounter["encounter_id"] for r in records(items)] == ["A1"]
    (error,) = errors(items)
    assert error.encounter_id == "A2" and "cut off" in error.message


def test_sample_837i_is_valid_and_flags_the_facility_mue(assert_pyx12_valid):
    path = Path(__file__).resolve().parents[2] / "sample_claims" / "hospital-h-2026-06.837"
    assert_pyx12_valid(path)
    result = run(read_inputs([str(path)]), load_ruleset())
    assert result.summary.encounters == 2 and result.summary.input_errors == 0
    assert [(f.encounter_id, f.rule_id) for f in result.findings] == [("H-801", "B12-UNITS-007")]
