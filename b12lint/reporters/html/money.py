"""**Billed charges at risk**: the money behind the error findings, for the audit report.

A line is at risk when an error finding is on it (its pointer is ``/lines/N``) or on its
encounter as a whole (any other pointer): an encounter-level finding covers the encounter's B12
drug and administration lines. Each line is counted once in the total and once per provider;
under each rule it counts once for that rule (a line two rules flag is under both, so the rule
rows may add up to more than the total). The amount is the line's billed ``charge``, or, when a
remittance gave them, what was paid (else allowed): the section is then labelled so.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from b12lint.model import ADMINISTRATION, DRUG, BilledLine, EncounterBilling, Finding
from b12lint.reporters.html.aggregate import NO_PROVIDER

_LINE = re.compile(r"^/lines/(\d+)(?:/|$)")


@dataclass(frozen=True)
class Share:
    """An amount at risk under one rule or provider, and how many lines make it."""

    key: str
    amount: float
    lines: int


@dataclass(frozen=True)
class AtRisk:
    """Everything the "billed charges at risk" section shows."""

    label: str
    """``billed charges at risk`` (or ``paid amounts at risk`` / ``allowed amounts at risk``)."""
    total: float
    lines: int
    encounters: int
    by_rule: list[Share]
    by_provider: list[Share]
    unpriced: int
    """Lines at risk that carry no amount (counted in ``lines``, not in ``total``)."""


def _basis(billing: Sequence[EncounterBilling]) -> str:
    lines = [line for b in billing for line in b.lines]
    if any(line.paid is not None for line in lines):
        return "paid"
    if any(line.allowed is not None for line in lines):
        return "allowed"
    return "charge"


def _amount(line: BilledLine, basis: str) -> float | None:
    if basis == "paid":
        return line.paid
    if basis == "allowed":
        return line.allowed
    return line.charge


def covered_lines(finding: Finding, billing: EncounterBilling) -> list[BilledLine]:
    """The lines a finding puts at risk (see the module docstring)."""
    match = _LINE.match(finding.location.pointer)
    if match is not None:
        index = int(match.group(1))
        return [line for line in billing.lines if line.index == index]
    return [line for line in billing.lines if line.role in (DRUG, ADMINISTRATION)]


def _ranked(amounts: dict[str, float], counts: dict[str, int]) -> list[Share]:
    shares = [Share(k, amounts[k], counts[k]) for k in counts]
    return sorted(shares, key=lambda s: (-s.amount, -s.lines, s.key))


def at_risk(findings: Iterable[Finding], billing: Sequence[EncounterBilling]) -> AtRisk:
    """Total, by rule and by provider, of the lines error findings put at risk."""
    basis = _basis(billing)
    by_key = {b.key: b for b in billing}
    flagged: dict[tuple[tuple[str, int | None, str], int], tuple[BilledLine, str]] = {}
    rule_lines: dict[str, set[tuple[tuple[str, int | None, str], int]]] = {}
    for f in findings:
        if f.severity != "error" or f.encounter_id is None:
            continue
        enc = by_key.get((f.location.file, f.location.line, f.encounter_id))
        if enc is None:
            continue
        provider = enc.rendering_npi or NO_PROVIDER
        for line in covered_lines(f, enc):
            ident = (enc.key, line.index)
            flagged[ident] = (line, provider)
            rule_lines.setdefault(f.rule_id, set()).add(ident)
    total = 0.0
    unpriced = 0
    prov_amount: dict[str, float] = {}
    prov_count: dict[str, int] = {}
    for line, provider in flagged.values():
        amount = _amount(line, basis)
        prov_count[provider] = prov_count.get(provider, 0) + 1
        prov_amount[provider] = prov_amount.get(provider, 0.0) + (amount or 0.0)
        if amount is None:
            unpriced += 1
        else:
            total += amount
    rule_amount = {
        rule: sum(_amount(flagged[i][0], basis) or 0.0 for i in idents)
        for rule, idents in rule_lines.items()
    }
    rule_count = {rule: len(idents) for rule, idents in rule_lines.items()}
    label = "billed charges" if basis == "charge" else f"{basis} amounts"
    return AtRisk(
        label=f"{label} at risk",
        total=total,
        lines=len(flagged),
        encounters=len({ident[0] for ident in flagged}),
        by_rule=_ranked(rule_amount, rule_count),
        by_provider=_ranked(prov_amount, prov_count),
        unpriced=unpriced,
    )
