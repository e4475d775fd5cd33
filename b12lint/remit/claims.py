"""What the remittance matching keeps of each checked encounter: its id, payer and lines."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from typing import Any

from b12lint.engine.billing import billing_of
from b12lint.engine.view import EncounterView
from b12lint.model import EncounterBilling, EncounterDict, InputError, Record
from b12lint.remit.adjustments import AdjustmentMap

Item = Record | InputError

ADMINISTRATION_CODES = frozenset({"96372", "96374"})


@dataclass(frozen=True, slots=True)
class ClaimLine:
    """One billed line: enough to find it in a remittance and to count its money."""

    index: int
    code: str
    units: float | None
    date: dt.date
    charge: float | None
    b12: bool
    """A B12 drug line or an injection administration line of a B12 encounter."""


@dataclass(slots=True)
class ClaimInfo:
    """One checked encounter, as the remittance matching sees it."""

    encounter_id: str
    payer_id: str | None
    date: dt.date
    is_b12: bool
    lines: list[ClaimLine] = field(default_factory=list)
    file: str = ""


def claim_info(record: Record) -> ClaimInfo:
    """The compact facts of one encounter (built from the same view the rules read)."""
    view = EncounterView(record.encounter, record.has_chart, record.chart_missing)
    raw: dict[str, Any] = view.raw
    payer = raw.get("payer") or {}
    payer_id = payer.get("id") if isinstance(payer, dict) else None
    b12_drugs = {line.index for line in view.b12_drug_lines}
    lines = [
        ClaimLine(
            index=line.index,
            code=line.code or "",
            units=line.raw.get("units"),
            date=line.service_date,
            charge=line.raw.get("charge"),
            b12=line.index in b12_drugs or (view.is_b12 and line.code in ADMINISTRATION_CODES),
        )
        for line in view.lines
    ]
    return ClaimInfo(
        encounter_id=raw["encounter_id"],
        payer_id=payer_id.strip() if isinstance(payer_id, str) and payer_id.strip() else None,
        date=raw["date_of_service"],
        is_b12=view.is_b12,
        lines=lines,
        file=record.source.file,
    )


class ClaimCollector:
    """A tap for the check pipeline: keeps :class:`ClaimInfo` of every record that passes, and
    the adjustment map of the pack that judges it (``table_of``)."""

    def __init__(
        self, table_of: Callable[[EncounterDict], AdjustmentMap], *, billing: bool = False
    ) -> None:
        self.claims: dict[str, ClaimInfo] = {}
        self.tables: dict[str, AdjustmentMap] = {}
        self.table_of = table_of
        self.input_errors = 0
        self.billing: list[EncounterBilling] | None = [] if billing else None
        """Each record's billing, for the HTML report (``billing=True``)."""

    def __call__(self, items: Iterator[Item]) -> Iterator[Item]:
        for item in items:
            if isinstance(item, Record):
                info = claim_info(item)
                if info.encounter_id not in self.claims:  # a duplicate is the engine's error
                    self.claims[info.encounter_id] = info
                    self.tables[info.encounter_id] = self.table_of(item.encounter)
                    if self.billing is not None:
                        self.billing.append(billing_of(item))
            else:
                self.input_errors += 1
            yield item
