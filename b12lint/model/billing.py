"""What an encounter bills, line by line: the money side of the HTML audit report.

Collected only when the audit report is written (``check -f html``): each record's rendering
provider, whether it is in B12 scope, and its lines' codes and billed charges. A remittance
(835 or a payer's export; no reader exists yet) would fill :attr:`BilledLine.paid` and
:attr:`BilledLine.allowed`: the report then counts paid (else allowed) amounts instead of
billed charges.
"""

from __future__ import annotations

from dataclasses import dataclass

#: What a line is to a B12 encounter: its drug supply line, its administration, or else.
DRUG, ADMINISTRATION, OTHER = "drug", "administration", "other"


@dataclass(frozen=True, slots=True)
class BilledLine:
    """One claim line: its index in ``lines``, code, billed charge and (remittance) amounts."""

    index: int
    code: str
    charge: float | None
    role: str = OTHER
    paid: float | None = None
    allowed: float | None = None


@dataclass(frozen=True, slots=True)
class EncounterBilling:
    """One record's billing, keyed like its findings (file, line, encounter id)."""

    file: str
    line: int | None
    encounter_id: str
    rendering_npi: str | None
    b12: bool
    lines: tuple[BilledLine, ...] = ()

    @property
    def key(self) -> tuple[str, int | None, str]:
        """The (file, line, encounter id) its findings carry."""
        return (self.file, self.line, self.encounter_id)
