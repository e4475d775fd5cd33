"""The X12 835 reader: what it reads, checked against pyx12, and malformed remittances."""

from __future__ import annotations

import io
from pathlib import Path

import pytest
from era_build import Clp, Svc, interchange, sample_era, transaction

from b12lint.model import InputError
from b12lint.model.remittance import ProviderAdjustment, RemitClaim
from b12lint.readers.x12_835 import read_835

REPO = Path(__file__).resolve().parents[2]
SAMPLE = REPO / "sample_claims" / "remittance" / "clinic-e-2026-06.835"


def read(text: str) -> list[object]:
    return list(read_835(io.BytesIO(text.encode()), "era.835"))


def test_sample_era_is_the_builder_output_and_valid_per_pyx12(assert_pyx12_835) -> None:
    assert SAMPLE.read_text() == sample_era()
    assert_pyx12_835(SAMPLE)


def test_reads_claims_lines_adjustments_and_remarks() -> None:
    items = read(sample_era())
    claims = [i for i in items if isinstance(i, RemitClaim)]
    assert [c.claim_id for c in claims] == [
        "E-500",
        "E-501",
        "E-502",
        "E-500",
        "E-500",
        "E-503",
        "E-499",
    ]
    assert not [i for i in items if isinstance(i, InputError)]
    e501 = claims[1]
    assert (e501.status, e501.charge, e501.paid, e501.payer_id) == ("1", 37.0, 12.0, "00952")
    assert e501.payer_name == "MEDICARE PART B"
    j3420 = e501.lines[0]
    assert (j3420.code, j3420.units, j3420.paid, str(j3420.date)) == (
        "J3420",
        2.0,
        0.0,
        "2026-06-29",
    )
    assert [a.code for a in j3420.adjustments] == ["CO-151"]
    assert j3420.remarks == ["N362"]
    assert claims[3].reversal and claims[3].paid == -12.4
    plb = [i for i in items if isinstance(i, ProviderAdjustment)]
    assert [(p.reason, p.amount, p.reference) for p in plb] == [("WO", 15.0, "PCN0400")]


def test_svc06_keeps_the_code_as_billed() -> None:
    line = Svc("J3420", 12, 0.4, original="J3490")
    [claim] = [i for i in read(interchange([transaction([Clp("C-1", "1", 12, 0.4, 0, [line])])]))]
    assert isinstance(claim, RemitClaim)
    assert (claim.lines[0].code, claim.lines[0].billed_code) == ("J3420", "J3490")


def test_claim_level_cas_moa_and_line_control_number() -> None:
    claim = Clp(
        "C-2",
        "4",
        37,
        0,
        0,
        cas=[("CO", "16", 37)],
        remarks=["MA130", "M119"],
        lines=[Svc("J3420", 12, 0, control="LN1")],
    )
    [item] = read(interchange([transaction([claim])]))
    assert isinstance(item, RemitClaim)
    assert [a.code for a in item.adjustments] == ["CO-16"]
    assert item.remarks == ["MA130", "M119"]
    assert item.lines[0].control_number == "LN1"


def _era(*segments: str) -> str:
    """A one-claim 835 with its CLP part replaced by ``segments``."""
    tx = transaction([Clp("C-9", "1", 12, 12, 0, [Svc("J3420", 12, 12)])])
    start = next(i for i, s in enumerate(tx) if s.startswith("CLP"))
    end = next(i for i, s in enumerate(tx) if s.startswith("SE"))
    body = tx[:start] + list(segments) + tx[end:-1]
    body.append(f"SE*{len(body) + 1}*0001")
    return interchange([body])


@pytest.mark.parametrize(
    ("segments", "message"),
    [
        (["CLP*C-9*1*twelve*12"], "CLP03: amount not a number"),
        (["CLP**1*12*12"], "CLP01: no patient control number"),
        (["CLP*C-9*1*12*12", "CAS*XX*45*1"], "unknown adjustment group"),
        (["CLP*C-9*1*12*12", "CAS*CO"], "no adjustment reason"),
        (["CLP*C-9*1*12*12", "SVC*HC*12*12"], "no procedure code"),
        (["CLP*C-9*1*12*12", "SVC*HC:J3420*12*12**x"], "SVC05: units not a number"),
        (["CLP*C-9*1*12*12", "SVC*HC:J3420*12*12", "DTM*472*2026"], "not a CCYYMMDD date"),
    ],
)
def test_a_claim_that_cannot_be_read_is_an_input_error_at_its_clp(
    segments: list[str], message: str
) -> None:
    items = read(_era(*segments, "CLP*C-10*1*5*5"))
    errors = [i for i in items if isinstance(i, InputError)]
    assert len(errors) == 1 and message in errors[0].message
    assert errors[0].source.line is not None
    # the next claim is still read
    assert [i.claim_id for i in items if isinstance(i, RemitClaim)] == ["C-10"]


def test_an_837_given_as_a_remittance_is_named() -> None:
    text = (REPO / "sample_claims" / "clinic-e-2026-06.837").read_text()
    items = read(text)
    assert items and all(isinstance(i, InputError) for i in items)
    assert "is not an 835 remittance" in items[0].message  # type: ignore[union-attr]


def test_se_count_mismatch_truncation_garbage_and_empty() -> None:
    good = sample_era()
    wrong_count = good.replace("SE*", "SE*9", 1)
    assert any("SE01 counts" in i.message for i in read(wrong_count) if isinstance(i, InputError))
    truncated = good[: good.index("SE*")]
    errors = [i for i in read(truncated) if isinstance(i, InputError)]
    assert errors and ("truncated" in errors[-1].message)
    assert isinstance(read("hello, this is not X12")[0], InputError)
    [empty] = read("")
    assert isinstance(empty, InputError) and "empty file" in empty.message


def test_bad_plb_amount_is_an_input_error_and_the_claims_stand() -> None:
    tx = transaction([Clp("C-1", "1", 12, 12, 0, [Svc("J3420", 12, 12)])], plb=[("WO:X", 5)])
    text = interchange([tx]).replace("WO:X*5", "WO:X*five")
    items = read(text)
    assert [type(i).__name__ for i in items] == ["RemitClaim", "InputError"]


def test_check_names_an_835_given_as_claims_and_points_to_remit() -> None:
    from b12lint.readers import read_inputs

    [first, *_] = list(read_inputs([str(SAMPLE)]))
    assert isinstance(first, InputError)
    assert "is a remittance, not a claim" in first.message and "b12lint remit" in first.message
