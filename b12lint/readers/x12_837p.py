"""The 837P professional guide (005010X222A1 and its X222A2 errata): CLM05 place of service,
2400 ``SV1`` lines with diagnosis pointers and their own place of service (SV105),
2310B/2420A ``NM1*82`` rendering provider."""

from __future__ import annotations

from typing import Any, ClassVar

from b12lint.readers.x12_claim import (
    ClaimError,
    Composites,
    Guide,
    amount,
    number,
)
from b12lint.readers.x12_segments import Segment


class Professional(Guide):
    """An 837P claim: one CMS-1500 claim of a practitioner."""

    name = "837P"
    versions = frozenset({"005010X222", "005010X222A1", "005010X222A2"})
    service_id = "SV1"
    roles: ClassVar[dict[str, str]] = {"82": "rendering"}
    npi_order = ("rendering",)

    def clm(self, record: dict[str, Any], seg: Segment, composites: Composites) -> None:
        record["claim_type"] = "professional"
        pos = composites.split(seg, 5)[0]
        if pos:
            record["place_of_service"] = pos

    def new_line(self) -> dict[str, Any]:
        return {"modifiers": [], "dx_pointers": []}

    def service(
        self, line: dict[str, Any], seg: Segment, composites: Composites, index: int
    ) -> None:
        sv1(line, seg, composites, index)


def sv1(line: dict[str, Any], seg: Segment, composites: Composites, index: int) -> None:
    """SV1: procedure, modifiers and narrative, charge (SV102), units (SV104), the line's place of
    service (SV105), pointers (SV107)."""
    ptr = f"/lines/{index}"
    composites.procedure(seg, 1, line, ptr)
    charge = amount(seg, 2, "charge", f"{ptr}/charge")
    if charge is not None:
        line["charge"] = charge
    units = amount(seg, 4, "units", f"{ptr}/units")
    if units is not None:
        line["units"] = units
    pos = seg.get(5)
    if pos:  # the TR3 requires SV105 when the line's place differs from CLM05-1
        line["place_of_service"] = pos
    pointers: list[int] = line["dx_pointers"]
    for pointer in composites.split(seg, 7, detect=False):
        if not pointer:
            continue
        value = number(pointer)  # "1", or "1.00" as some senders write it
        if not isinstance(value, int):
            raise ClaimError(
                seg, "SV107 (diagnosis pointer) is not a whole number", f"{ptr}/dx_pointers"
            )
        pointers.append(value)


PROFESSIONAL = Professional()
