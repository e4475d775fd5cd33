"""Build 837P 5010 (005010X222A1) interchanges for tests, with any delimiters.

Claims are given as small dicts in the native record's vocabulary; the builder writes every
segment the implementation guide requires, so that pyx12 validates the result.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import Any


@dataclass(frozen=True)
class Delims:
    element: str = "*"
    component: str = ":"
    repetition: str = "^"
    segment: str = "~"
    newline: str = "\n"


@dataclass
class Subscriber:
    member_id: str = "MBR0001"
    last: str = "DOE"
    first: str = "JANE"
    dob: str = "19500101"
    sex: str = "F"
    filing: str = "MB"
    payer_name: str = "MEDICARE PART B"
    payer_id: str = "00952"
    claims: list[dict[str, Any]] = field(default_factory=list)


def _seg(d: Delims, *elements: str) -> str:
    while len(elements) > 1 and elements[-1] == "":
        elements = elements[:-1]
    return d.element.join(elements) + d.segment + d.newline


def isa(d: Delims, control: str = "000000001") -> str:
    e = d.element
    fields = [
        "ISA",
        "00",
        " " * 10,
        "00",
        " " * 10,
        "ZZ",
        "SUBMITTER".ljust(15),
        "ZZ",
        "RECEIVER".ljust(15),
        "260302",
        "1200",
        d.repetition,
        "00501",
        control,
        "0",
        "T",
        d.component,
    ]
    text = e.join(fields) + d.segment
    assert len(text) == 106, len(text)
    return text + d.newline


def claim_segments(d: Delims, claim: dict[str, Any]) -> list[str]:
    c = d.component
    dx = claim.get("diagnoses", ["D510"])
    quals = ["ABK"] + ["ABF"] * (len(dx) - 1)
    total = sum(line.get("charge", 10.0) for line in claim["lines"])
    pos = claim.get("place_of_service", "11")
    out = [
        _seg(
            d,
            "CLM",
            claim["id"],
            f"{total:.2f}",
            "",
            "",
            f"{pos}{c}B{c}{claim.get('frequency', '1')}",
            "Y",
            "A",
            "Y",
            "Y",
        ),
    ]
    if claim.get("frequency", "1") in ("7", "8"):
        out.append(_seg(d, "REF", "F8", f"PAYER{claim['id']}"))
    if claim.get("note"):
        out.append(_seg(d, "NTE", "ADD", claim["note"]))
    out.append(_seg(d, "HI", *[f"{q}{c}{code}" for q, code in zip(quals, dx, strict=True)]))
    if claim.get("rendering_npi"):
        out.append(
            _seg(d, "NM1", "82", "1", "SMITH", "ANNA", "", "", "", "XX", claim["rendering_npi"])
        )
        out.append(_seg(d, "PRV", "PE", "PXC", "207Q00000X"))
    for number, line in enumerate(claim["lines"], 1):
        mods = line.get("modifiers", [])
        composite = c.join(["HC", line["code"], *mods])
        if line.get("description"):
            composite = c.join(
                ["HC", line["code"], *(mods + [""] * (4 - len(mods))), line["description"]]
            )
        pointers = c.join(str(p) for p in line.get("dx_pointers", [1]))
        units = line.get("units", 1)
        out.append(_seg(d, "LX", str(number)))
        out.append(
            _seg(
                d,
                "SV1",
                composite,
                f"{line.get('charge', 10.0):.2f}",
                "UN",
                f"{units}",
                line.get("place_of_service", ""),
                "",
                pointers,
            )
        )
        date = line.get("date", claim["date"])
        if "-" in date:
            out.append(_seg(d, "DTP", "472", "RD8", date))
        else:
            out.append(_seg(d, "DTP", "472", "D8", date))
        if line.get("note"):
            out.append(_seg(d, "NTE", "ADD", line["note"]))
        if line.get("ndc"):
            out.append(_seg(d, "LIN", "", "N4", line["ndc"]))
            out.append(
                _seg(
                    d,
                    "CTP",
                    "",
                    "",
                    "",
                    f"{line.get('ndc_quantity', 1)}",
                    line.get("ndc_unit", "ML"),
                )
            )
    return out


ClaimSegments = Callable[[Delims, dict[str, Any]], list[str]]


def transaction(
    d: Delims,
    control: str,
    subscribers: Sequence[Subscriber],
    version: str,
    claims: ClaimSegments | None = None,
    billing_zip: str = "33111",
) -> list[str]:
    """One ST..SE: the billing provider, then each subscriber and its claims (``claims``
    writes a claim's segments: 837P by default, :func:`x12i_build.claim_segments` for 837I)."""
    write_claim = claims or claim_segments
    body = [
        _seg(d, "BHT", "0019", "00", "BATCH" + control, "20260302", "1200", "CH"),
        _seg(d, "NM1", "41", "2", "CLINIC BILLING", "", "", "", "", "46", "TGJ23"),
        _seg(d, "PER", "IC", "JERRY", "TE", "3055552222"),
        _seg(d, "NM1", "40", "2", "MEDICARE", "", "", "", "", "46", "00952"),
        _seg(d, "HL", "1", "", "20", "1"),
        _seg(d, "NM1", "85", "2", "B12 CLINIC", "", "", "", "", "XX", "1234567893"),
        _seg(d, "N3", "1 MAIN ST"),
        _seg(d, "N4", "MIAMI", "FL", billing_zip),
        _seg(d, "REF", "EI", "123456789"),
    ]
    hl = 1
    for sub in subscribers:
        hl += 1
        body += [
            _seg(d, "HL", str(hl), "1", "22", "0"),
            _seg(d, "SBR", "P", "18", "", "", "", "", "", "", sub.filing),
            _seg(d, "NM1", "IL", "1", sub.last, sub.first, "", "", "", "MI", sub.member_id),
            _seg(d, "N3", "2 OAK ST"),
            _seg(d, "N4", "MIAMI", "FL", "33111"),
            _seg(d, "DMG", "D8", sub.dob, sub.sex),
            _seg(d, "NM1", "PR", "2", sub.payer_name, "", "", "", "", "PI", sub.payer_id),
        ]
        for claim in sub.claims:
            body += write_claim(d, claim)
    head = _seg(d, "ST", "837", control, version)
    count = len(body) + 2
    return [head, *body, _seg(d, "SE", str(count), control)]


def interchange(
    transactions: Sequence[Sequence[Subscriber]],
    d: Delims = Delims(),
    version: str = "005010X222A1",
    control: str = "000000001",
    claims: ClaimSegments | None = None,
    billing_zip: str = "33111",
) -> str:
    """One ISA with one GS holding a transaction per item of ``transactions``."""
    out = [
        isa(d, control),
        _seg(d, "GS", "HC", "SUBMITTER", "RECEIVER", "20260302", "1200", "1", "X", version),
    ]
    for i, subs in enumerate(transactions, 1):
        out += transaction(d, f"{i:04d}", subs, version, claims, billing_zip)
    out.append(_seg(d, "GE", str(len(transactions)), "1"))
    out.append(_seg(d, "IEA", "1", control))
    return "".join(out)


def b12_claim(claim_id: str = "CLM0042", date: str = "20260302", **extra: Any) -> dict[str, Any]:
    """A typical B12 claim: J3420 with its NDC and 96372, pointing at D51.0."""
    claim: dict[str, Any] = {
        "id": claim_id,
        "date": date,
        "diagnoses": ["D510"],
        "rendering_npi": "1234567893",
        "lines": [
            {"code": "J3420", "units": 1, "charge": 12.0, "ndc": "00517003101", "ndc_quantity": 1},
            {"code": "96372", "units": 1, "charge": 25.0},
        ],
    }
    claim.update(extra)
    return claim
