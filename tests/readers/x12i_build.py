"""Build 837I institutional 5010 (005010X223A2) interchanges for tests, with any delimiters.

Claims are small dicts in the native record's vocabulary plus ``type_of_bill`` (facility
type code + frequency, e.g. ``131``) and ``attending_npi``; the builder writes every segment
the implementation guide requires for an outpatient claim, so that pyx12 validates the result.

Revenue codes of the B12 lines: ``0636`` (pharmacy, drugs requiring detailed coding: the
line carries the HCPCS J3420, as CMS asks for drugs with a HCPCS code) and ``0510`` (clinic,
general: the injection 96372 given in the hospital's outpatient clinic, type of bill 013x).
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import x12_build
from x12_build import Delims, Subscriber, _seg

VERSION = "005010X223A2"
USUAL = Delims()
REVENUE = {"J3420": "0636", "J3425": "0636", "96372": "0510", "96374": "0260"}


def claim_segments(d: Delims, claim: dict[str, Any]) -> list[str]:
    c = d.component
    dx = claim.get("diagnoses", ["D510"])
    total = sum(line.get("charge", 10.0) for line in claim["lines"])
    tob = claim.get("type_of_bill", "131")
    facility, frequency = tob[:2], tob[2:]
    first = claim["date"].split("-")[0]
    out = [
        _seg(d, "CLM", claim["id"], f"{total:.2f}", "", "", f"{facility}{c}A{c}{frequency}",
             "", "A", "Y", "Y"),
        _seg(d, "DTP", "434", "RD8", f"{first}-{first}"),
        _seg(d, "CL1", "", "", "01"),
        _seg(d, "HI", f"ABK{c}{dx[0]}"),
    ]  # fmt: skip
    if len(dx) > 1:
        out.append(_seg(d, "HI", *[f"ABF{c}{code}" for code in dx[1:]]))
    if claim.get("attending_npi"):
        out.append(
            _seg(d, "NM1", "71", "1", "JONES", "AMY", "", "", "", "XX", claim["attending_npi"])
        )
    if claim.get("operating_npi"):
        out.append(
            _seg(d, "NM1", "72", "1", "OWEN", "OLGA", "", "", "", "XX", claim["operating_npi"])
        )
    if claim.get("rendering_npi"):
        out.append(
            _seg(d, "NM1", "82", "1", "SMITH", "ANNA", "", "", "", "XX", claim["rendering_npi"])
        )
    for number, line in enumerate(claim["lines"], 1):
        revenue = line.get("revenue_code", REVENUE.get(line.get("code", ""), "0510"))
        out.append(_seg(d, "LX", str(number)))
        composite = ""
        if line.get("code"):
            composite = c.join(["HC", line["code"], *line.get("modifiers", [])])
        unit = line.get("unit_basis", "UN")
        out.append(
            _seg(d, "SV2", revenue, composite, f"{line.get('charge', 10.0):.2f}", unit,
                 f"{line.get('units', 1)}")
        )  # fmt: skip
        date = line.get("date", claim["date"])
        out.append(_seg(d, "DTP", "472", "RD8" if "-" in date else "D8", date))
        if line.get("ndc"):
            out.append(_seg(d, "LIN", "", "N4", line["ndc"]))
            out.append(
                _seg(d, "CTP", "", "", "", f"{line.get('ndc_quantity', 1)}",
                     line.get("ndc_unit", "ML"))
            )  # fmt: skip
        if line.get("line_rendering_npi"):
            out.append(
                _seg(d, "NM1", "82", "1", "LINE", "LEE", "", "", "", "XX",
                     line["line_rendering_npi"])
            )  # fmt: skip
    return out


def interchange(
    transactions: Sequence[Sequence[Subscriber]],
    d: Delims = USUAL,
    control: str = "000000001",
) -> str:
    """One ISA with one GS holding an 837I transaction per item of ``transactions``."""
    # X223A2 wants the billing provider's ZIP+4
    return x12_build.interchange(transactions, d, VERSION, control, claim_segments, "331110000")


def b12_claim(claim_id: str = "CLM0042", date: str = "20260302", **extra: Any) -> dict[str, Any]:
    """A hospital outpatient B12 claim: 0636 J3420 with its NDC and 0510 96372 for D51.0."""
    claim: dict[str, Any] = {
        "id": claim_id,
        "date": date,
        "type_of_bill": "131",
        "diagnoses": ["D510"],
        "attending_npi": "1234567893",
        "lines": [
            {"code": "J3420", "units": 1, "charge": 12.0, "ndc": "00517003101", "ndc_quantity": 1},
            {"code": "96372", "units": 1, "charge": 25.0},
        ],
    }
    claim.update(extra)
    return claim
