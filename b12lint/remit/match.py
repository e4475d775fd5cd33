"""Match remitted claims and service lines to the checked encounters and their lines.

A claim is matched by its id (the 835's CLP01 is the 837's CLM01, the encounter id) and payer:
coordination of benefits sends one 835 per payer, so when the encounter names its payer only
that payer's remittances judge it (the others are counted). A reversal (CLP02 = 22) cancels
the payer's earlier payment of the claim; a corrected claim after it stands. A service line is
matched by its billed code (SVC06 when the payer changed it) and date and units, then code and
date, then code alone; each billed line is matched once.

An 837P claim whose lines carry several dates is read as one encounter per date
(``CLM01@YYYY-MM-DD``), and a CLM01 a practice system reused for another visit as
``CLM01@date`` too: a remittance of CLP01 then judges those encounters, each remitted service
line going to the encounter of its date (a claim-level remittance to the one of its date, else
to each).
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field, replace

from b12lint.model import EncounterBilling
from b12lint.model.remittance import Adjustment, RemitClaim, RemitLine
from b12lint.remit.adjustments import AdjustmentMap
from b12lint.remit.claims import ClaimInfo, ClaimLine

DENIED_STATUS = "4"


@dataclass(slots=True)
class LineOutcome:
    """What the payer did with one billed line."""

    line: ClaimLine
    paid: float
    denied: bool
    amount: float
    """Dollars adjusted for other than routine reasons (the denied or reduced amount)."""
    categories: set[str]
    codes: list[str]
    """The non-routine adjustments and remark codes, as ``CO-50`` / ``N362``."""


@dataclass(slots=True)
class ClaimOutcome:
    """One encounter and the remittances that judged it."""

    claim: ClaimInfo
    remits: list[RemitClaim]
    other_payers: int = 0
    reversed: int = 0
    lines: dict[int, LineOutcome] = field(default_factory=dict)
    unmatched_lines: list[RemitLine] = field(default_factory=list)
    """Remitted service lines that match no billed line."""


@dataclass(slots=True)
class Matching:
    """Every claim outcome, and what matched nothing."""

    outcomes: dict[str, ClaimOutcome]
    unmatched_remits: list[RemitClaim]
    reversed: int


def _net(remits: list[RemitClaim]) -> tuple[list[RemitClaim], int]:
    """The payments that stand after reversals (each cancels its payer's latest payment)."""
    standing: list[RemitClaim] = []
    reversed_count = 0
    for remit in remits:
        if not remit.reversal:
            standing.append(remit)
            continue
        reversed_count += 1
        for i in range(len(standing) - 1, -1, -1):
            if standing[i].payer_id == remit.payer_id:
                del standing[i]
                break
    return standing, reversed_count


def _find_line(remit_line: RemitLine, lines: list[ClaimLine], used: set[int]) -> ClaimLine | None:
    code = remit_line.billed_code
    candidates = [line for line in lines if line.index not in used and line.code == code]
    if not candidates:
        return None
    same_date = [c for c in candidates if remit_line.date is None or c.date == remit_line.date]
    for candidate in same_date:
        if candidate.units == remit_line.billed_units:
            return candidate
    return same_date[0] if same_date else candidates[0]


def _outcome(
    line: ClaimLine,
    adjustments: list[Adjustment],
    remarks: list[str],
    policies: list[str],
    paid: float,
    table: AdjustmentMap,
    *,
    denied_claim: bool,
) -> LineOutcome:
    denials = [a for a in adjustments if table.is_denial(a)]
    amount = sum(a.amount for a in denials)
    denied = bool(denials) or (denied_claim and paid == 0)
    if denied_claim and not denials and paid == 0:
        amount = float(line.charge or 0)
    categories = table.categories(denials, remarks, policies) if denied else set()
    codes = sorted({a.code for a in denials} | ({r.upper() for r in remarks} if denied else set()))
    return LineOutcome(line, paid, denied, amount, categories, codes)


def _judge(outcome: ClaimOutcome, table: AdjustmentMap) -> None:
    claim = outcome.claim
    for remit in outcome.remits:
        claim_denials = [a for a in remit.adjustments if table.is_denial(a)]
        denied_claim = remit.status == DENIED_STATUS
        if not remit.lines:
            # no line detail: the claim-level adjustments speak for every billed line
            for line in claim.lines:
                _add(
                    outcome,
                    _outcome(
                        line,
                        claim_denials,
                        remit.remarks,
                        remit.policies,
                        0.0 if denied_claim else float(line.charge or 0),
                        table,
                        denied_claim=denied_claim or bool(claim_denials),
                    ),
                )
            continue
        used: set[int] = set()
        for remit_line in remit.lines:
            found = _find_line(remit_line, claim.lines, used)
            if found is None:
                outcome.unmatched_lines.append(remit_line)
                continue
            used.add(found.index)
            _add(
                outcome,
                _outcome(
                    found,
                    remit_line.adjustments + claim_denials,
                    remit_line.remarks + remit.remarks,
                    remit_line.policies + remit.policies,
                    remit_line.paid,
                    table,
                    denied_claim=denied_claim,
                ),
            )


def _add(outcome: ClaimOutcome, line: LineOutcome) -> None:
    """Record a line's outcome; several remittances of one line (split or secondary
    payments) add up."""
    known = outcome.lines.get(line.line.index)
    if known is None:
        outcome.lines[line.line.index] = line
        return
    known.paid += line.paid
    known.amount += line.amount
    known.denied = known.denied or line.denied
    known.categories |= line.categories
    known.codes = sorted(set(known.codes) | set(line.codes))


def paid_billing(billing: list[EncounterBilling], matching: Matching) -> list[EncounterBilling]:
    """The records' billing with each remitted line's paid amount filled in (the HTML report
    then counts paid amounts at risk)."""
    out = []
    for record in billing:
        outcome = matching.outcomes.get(record.encounter_id)
        if outcome is None:
            out.append(record)
            continue
        lines = tuple(
            replace(line, paid=outcome.lines[line.index].paid)
            if line.index in outcome.lines
            else line
            for line in record.lines
        )
        out.append(replace(record, lines=lines))
    return out


_PART = re.compile(r"(.+)@(\d{4}-\d{2}-\d{2})")


def _parts(claims: Mapping[str, ClaimInfo]) -> dict[str, list[ClaimInfo]]:
    """The encounters read from one CLM01 under ``CLM01@date`` ids, by that CLM01."""
    found: dict[str, list[ClaimInfo]] = {}
    for encounter_id, claim in claims.items():
        part = _PART.fullmatch(encounter_id)
        if part is not None:
            found.setdefault(part.group(1), []).append(claim)
    return found


def _route(group: list[RemitClaim], candidates: list[ClaimInfo]) -> dict[str, list[RemitClaim]]:
    """Each candidate encounter's share of the remittances of one CLP01: a service line goes
    to the encounter of its date (the earliest when it has none or another); a remittance
    without line detail to the encounter of its date, else to every candidate."""
    by_date = {c.date: c for c in candidates}
    first = candidates[0]
    routed: dict[str, list[RemitClaim]] = {c.encounter_id: [] for c in candidates}
    for remit in group:
        if not remit.lines:
            target = by_date.get(remit.date) if remit.date is not None else None
            for claim in [target] if target is not None else candidates:
                routed[claim.encounter_id].append(remit)
            continue
        shares: dict[str, list[RemitLine]] = {}
        for line in remit.lines:
            home = by_date.get(line.date, first) if line.date is not None else first
            shares.setdefault(home.encounter_id, []).append(line)
        for encounter_id, lines in shares.items():
            routed[encounter_id].append(replace(remit, lines=lines))
    return routed


def match(
    claims: Mapping[str, ClaimInfo],
    remits: Iterable[RemitClaim],
    tables: Mapping[str, AdjustmentMap],
    default: AdjustmentMap,
) -> Matching:
    """Match remittances to encounters; ``tables`` gives each encounter's adjustment map."""
    by_claim: dict[str, list[RemitClaim]] = {}
    for remit in remits:
        by_claim.setdefault(remit.claim_id, []).append(remit)
    outcomes: dict[str, ClaimOutcome] = {}
    unmatched: list[RemitClaim] = []
    total_reversed = 0
    parts = _parts(claims)
    for claim_id, group in by_claim.items():
        exact = claims.get(claim_id)
        candidates = ([exact] if exact is not None else []) + sorted(
            parts.get(claim_id, ()), key=lambda c: c.date
        )
        if not candidates:
            unmatched.extend(group)
            continue
        if len(candidates) == 1:
            routed = {candidates[0].encounter_id: group}
        else:
            routed = _route(group, candidates)
        for claim in candidates:
            mine = routed[claim.encounter_id]
            if not mine:
                continue
            own = [r for r in mine if claim.payer_id is not None and r.payer_id == claim.payer_id]
            chosen = own or mine
            standing, reversed_count = _net(chosen)
            total_reversed += reversed_count
            outcome = ClaimOutcome(
                claim, standing, other_payers=len(mine) - len(chosen), reversed=reversed_count
            )
            _judge(outcome, tables.get(claim.encounter_id, default))
            outcomes[claim.encounter_id] = outcome
    return Matching(outcomes, unmatched, total_reversed)
