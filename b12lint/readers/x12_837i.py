"""The 837I institutional guide (005010X223A2, and X223A1 before its errata).

- ``CLM05`` is the type of bill: facility type code (CLM05-1, e.g. ``13`` hospital
  outpatient), qualifier ``A``, claim frequency (CLM05-3): ``type_of_bill`` is ``0`` + both
  (``0131``). It is never a place of service: an institutional record has none.
- 2300 ``DTP*434`` statement dates: the claim's date when no line carries ``DTP*472``.
- 2400 ``SV2``: revenue code (SV201, 4 digits), the optional HCPCS composite with modifiers
  (SV202; a pharmacy line may carry a revenue code only), charge (SV203), units (SV205 with
  SV204 ``UN`` or ``DA``). SV2 lines carry no diagnosis pointers: the record's lines have none.
- Providers: 2310A attending ``NM1*71``, 2310B operating ``NM1*72``, 2310C other operating
  ``NM1*ZZ``, 2310D rendering ``NM1*82`` (and their 2420 line counterparts). ``rendering_npi``
  is the rendering NPI, else the attending, else the operating, else the billing provider's.
"""

from __future__ import annotations

from typing import Any, ClassVar

from b12lint.readers.x12_claim import (
    Claim,
    ClaimError,
    Composites,
    Guide,
    amount,
    dtp_date,
)
from b12lint.readers.x12_segments import Segment


class Institutional(Guide):
    """An 837I claim: one UB-04 claim of a facility."""

    name = "837I"
    versions = frozenset({"005010X223", "005010X223A1", "005010X223A2", "005010X223A3"})
    service_id = "SV2"
    roles: ClassVar[dict[str, str]] = {
        "71": "attending",
        "72": "operating",
        "ZZ": "other_operating",
        "82": "rendering",
    }
    npi_order = ("rendering", "attending", "operating", "other_operating")

    def clm(self, record: dict[str, Any], seg: Segment, composites: Composites) -> None:
        record["claim_type"] = "institutional"
        parts = composites.split(seg, 5)
        facility = parts[0]
        frequency = parts[2] if len(parts) > 2 else ""
        if facility:
            prefix = "0" if len(facility) == 2 else ""
            record["type_of_bill"] = f"{prefix}{facility}{frequency}"

    def service(
        self, line: dict[str, Any], seg: Segment, composites: Composites, index: int
    ) -> None:
        sv2(line, seg, composites, index)

    def other(self, claim: Claim, seg: Segment) -> bool:
        """2300 ``DTP*434`` statement dates: the claim's date when its lines have none."""
        if seg.id == "DTP" and seg.get(1) == "434" and claim.sub_loop == "2300":
            claim.date = claim.date or dtp_date(seg)
            return True
        return False


def sv2(line: dict[str, Any], seg: Segment, composites: Composites, index: int) -> None:
    """SV2: revenue code, procedure composite, charge (SV203), units (SV205)."""
    ptr = f"/lines/{index}"
    revenue = seg.get(1).strip()
    if not revenue:
        raise ClaimError(seg, "SV201 (revenue code) is empty", f"{ptr}/revenue_code")
    # written without its leading zero by some senders (636 for 0636)
    line["revenue_code"] = revenue.zfill(4) if revenue.isdigit() else revenue
    if seg.get(2):
        composites.procedure(seg, 2, line, ptr)
    charge = amount(seg, 3, "charge", f"{ptr}/charge")
    if charge is not None:
        line["charge"] = charge
    units = amount(seg, 5, "units", f"{ptr}/units")
    if units is not None:
        line["units"] = units


INSTITUTIONAL = Institutional()
