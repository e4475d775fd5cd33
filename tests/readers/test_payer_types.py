"""Readers map their payer codes to the payer types of FORMATS.md (issue 11, item 4):
Original Medicare is ``medicare``, a Medicare Advantage plan ``medicare_advantage``."""

from __future__ import annotations

import io
from typing import Any

import pytest
from fhir_build import admin, base, bundle, claim, condition, dumps
from x12_build import Delims, Subscriber, b12_claim, interchange

from b12lint.model import Record
from b12lint.readers.fhir import read_fhir
from b12lint.readers.x12 import read_x12


@pytest.mark.parametrize(
    ("filing", "expected"),
    [
        ("MB", "medicare"),
        ("MA", "medicare"),
        ("16", "medicare_advantage"),
        ("MC", "medicaid"),
        ("CI", "commercial"),
        ("HM", "commercial"),
        ("ZZ", "other"),
    ],
)
def test_x12_sbr09_claim_filing_indicator_maps_to_payer_type(filing: str, expected: str) -> None:
    text = interchange([[Subscriber(filing=filing, claims=[b12_claim("CLM0001")])]], Delims())
    (record,) = list(read_x12(io.BytesIO(text.encode("latin-1")), "t.837"))
    assert isinstance(record, Record)
    assert record.encounter["payer"]["type"] == expected


def _fhir_with_sopt(code: str) -> list[dict[str, Any]]:
    resources = [
        *base(),
        condition("cond1", "p1", "D51.0", "pernicious anemia"),
        admin("ma1", "p1", "2026-03-02", "78421000", reason="cond1"),
        claim("C-1", "p1", "2026-03-02", [("J3420", 1, 12.0), ("96372", 1, 25.0)], ["D51.0"]),
    ]
    for resource in resources:
        if resource["resourceType"] == "Coverage":
            resource["type"] = {"coding": [{"system": "https://nahdo.org/sopt", "code": code}]}
    return resources


@pytest.mark.parametrize(
    ("sopt", "expected"),
    [
        ("121", "medicare"),  # Medicare fee for service
        ("1", "medicare"),
        ("11", "medicare_advantage"),  # Medicare (managed care)
        ("111", "medicare_advantage"),  # Medicare HMO
        ("112", "medicare_advantage"),  # Medicare PPO
        ("2", "medicaid"),
        ("5", "commercial"),
        ("6", "commercial"),
        ("8", "other"),
    ],
)
def test_fhir_coverage_sopt_maps_to_payer_type(sopt: str, expected: str) -> None:
    (record,) = list(read_fhir(dumps(bundle(_fhir_with_sopt(sopt))), "b.json"))
    assert isinstance(record, Record)
    assert record.encounter["payer"]["type"] == expected


@pytest.mark.parametrize(
    ("written", "expected"),
    [
        ("Medicare Part B", "medicare"),
        ("MB", "medicare"),
        ("Original Medicare", "medicare"),
        ("Medicare HMO", "medicare_advantage"),
        ("16", "medicare_advantage"),
        ("HM", "commercial"),
        ("Medicare Advantage", "medicare_advantage"),
        ("Medi-Cal", "medicaid"),
        ("MC", "medicaid"),
        ("BCBS", "commercial"),
        ("commercial", "commercial"),
        ("MA", "ma"),  # SBR09 Part A or Medicare Advantage: not guessed
        ("Acme Health Plan", "acme_health_plan"),
    ],
)
def test_csv_payer_type_as_exports_write_it(written: str, expected: str) -> None:
    from b12lint.readers.csv_reader import read_csv

    text = (
        "encounter_id,patient_id,date_of_service,diagnoses,code,units,payer_type\n"
        f"E1,P1,2026-03-02,D51.0,J3420,1,{written}\n"
        f"E1,P1,2026-03-02,D51.0,96372,1,{written}\n"
    )
    (record,) = list(read_csv(io.BytesIO(text.encode()), "t.csv"))
    assert isinstance(record, Record)
    assert record.encounter["payer"]["type"] == expected


def test_rules_and_routing_read_written_payer_types_as_their_type() -> None:
    """A native record saying "Medicare Part B" is Original Medicare to the rules (GA/GZ,
    the Medicaid NDC policy) and to payer routing."""
    from b12lint.engine.functions import payer_kind
    from b12lint.engine.router import Router

    assert payer_kind("Medicare Part B") == "medicare"
    assert payer_kind("medicare-advantage") == "medicare_advantage"
    assert payer_kind("  ") is None
    default, medicaid = object(), object()
    router = Router(default, {}, {"medicaid": medicaid})  # type: ignore[arg-type]
    assert router.pick({"payer": {"type": "Medi-Cal"}}) is medicaid
    assert router.pick({"payer": {"type": "Medicaid"}}) is medicaid
    assert router.pick({"payer": {"type": "BCBS"}}) is default
