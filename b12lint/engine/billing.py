"""What an encounter bills (:class:`~b12lint.model.EncounterBilling`), for the audit report's
charges at risk and provider comparison: B12 scope and drug lines as the rules see them."""

from __future__ import annotations

from b12lint.engine.view import EncounterView
from b12lint.model import ADMINISTRATION, DRUG, OTHER, BilledLine, EncounterBilling, Record

#: Administration codes of a B12 injection (rules/b12-core/data/codes.yaml ``admin_injection``:
#: CPT 96372 SC/IM injection, 96374 IV push).
ADMINISTRATION_CODES = frozenset({"96372", "96374"})


def _amount(value: object) -> float | None:
    if isinstance(value, bool) or not isinstance(value, int | float):
        return None
    return float(value)


def billing_of(record: Record) -> EncounterBilling:
    """A record's billing: provider, B12 scope and each line's code, role and charge."""
    view = EncounterView(record.encounter, record.has_chart, record.chart_missing)
    lines = []
    for line in view.lines:
        if line.is_b12_drug:
            role = DRUG
        elif line.code in ADMINISTRATION_CODES:
            role = ADMINISTRATION
        else:
            role = OTHER
        # paid / allowed stay None: they come from a remittance, not from the claim
        lines.append(BilledLine(line.index, line.code or "", _amount(line.raw.get("charge")), role))
    npi = view.raw.get("rendering_npi")
    return EncounterBilling(
        file=record.source.file,
        line=record.source.line,
        encounter_id=record.encounter["encounter_id"],
        rendering_npi=npi if isinstance(npi, str) and npi else None,
        b12=view.is_b12,
        lines=tuple(lines),
    )
