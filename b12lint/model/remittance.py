"""What a payer's remittance (X12 835) says happened to each claim and service line."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from b12lint.model.record import Source

#: CLP02 claim status codes (005010X221A1).
CLAIM_STATUS = {
    "1": "processed as primary",
    "2": "processed as secondary",
    "3": "processed as tertiary",
    "4": "denied",
    "19": "processed as primary, forwarded to additional payer(s)",
    "20": "processed as secondary, forwarded to additional payer(s)",
    "21": "processed as tertiary, forwarded to additional payer(s)",
    "22": "reversal of previous payment",
    "23": "not our claim, forwarded to additional payer(s)",
    "25": "predetermination pricing only, no payment",
}
REVERSAL = "22"


@dataclass(frozen=True, slots=True)
class Adjustment:
    """One CAS reason: group (CO, PR, OA, PI), CARC, amount and (optional) units."""

    group: str
    reason: str
    amount: float
    quantity: float | None = None

    @property
    def code(self) -> str:
        """``CO-50``: the group and reason as remittance users write them."""
        return f"{self.group}-{self.reason}"


@dataclass(slots=True)
class RemitLine:
    """One SVC service line as the payer adjudicated it."""

    code: str
    modifiers: list[str]
    charge: float
    paid: float
    units: float
    segment: int
    """The SVC's segment number in its file."""
    original_code: str | None = None
    """SVC06: the code as submitted, when the payer adjudicated another code."""
    original_units: float | None = None
    date: dt.date | None = None
    control_number: str | None = None
    """REF*6R: the line item control number the provider sent."""
    adjustments: list[Adjustment] = field(default_factory=list)
    remarks: list[str] = field(default_factory=list)
    """RARC remark codes (LQ*HE)."""
    policies: list[str] = field(default_factory=list)
    """REF*0K: the payer policy applied."""

    @property
    def billed_code(self) -> str:
        """The code the provider billed (SVC06 when the payer changed it, else SVC01)."""
        return self.original_code or self.code

    @property
    def billed_units(self) -> float:
        """The units the provider billed (SVC07 when given, else SVC05)."""
        return self.original_units if self.original_units is not None else self.units


@dataclass(slots=True)
class RemitClaim:
    """One CLP claim payment: the claim-level facts, adjustments and service lines."""

    claim_id: str
    status: str
    charge: float
    paid: float
    source: Source
    patient_responsibility: float | None = None
    payer_claim_number: str | None = None
    payer_id: str | None = None
    payer_name: str | None = None
    date: dt.date | None = None
    """The statement/service date of the claim (DTM*232, else DTM*472 of its first line)."""
    adjustments: list[Adjustment] = field(default_factory=list)
    remarks: list[str] = field(default_factory=list)
    """Claim-level remark codes (MOA/MIA)."""
    policies: list[str] = field(default_factory=list)
    lines: list[RemitLine] = field(default_factory=list)

    @property
    def reversal(self) -> bool:
        """Whether this CLP reverses an earlier payment of the same claim."""
        return self.status == REVERSAL


@dataclass(frozen=True, slots=True)
class ProviderAdjustment:
    """A PLB provider-level adjustment: money not tied to one claim (recoupments, interest)."""

    reason: str
    amount: float
    source: Source
    reference: str | None = None
