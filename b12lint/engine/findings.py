"""Findings and their reporter context, built without re-validation and as small as they go.

A batch can hold hundreds of thousands of findings and a history event per in-scope
encounter: a finding is a slotted value object (:mod:`b12lint.model.value`) whose
constructor sets its fields without checks, and an event keeps its reporter context as a
shared tuple, made into a :class:`~b12lint.model.Context` only for the few events a history
rule reports on.
"""

from __future__ import annotations

from typing import Any

from b12lint.model import Category, Context, Finding, Fix, Location, Severity

ContextKey = tuple[Any, Any, Any, Any]
"""What an event keeps for its context: (patient id, rendering NPI, payer, pack)."""


def finding(
    rule_id: str,
    severity: Severity,
    category: Category,
    encounter_id: str | None,
    message: str,
    file: str,
    line: int | None,
    pointer: str,
    fix: tuple[str, Any, bool] | None = None,
    subject: str | None = None,
    context: Context | None = None,
) -> Finding:
    """A finding from checked parts; ``fix`` is (pointer, value, safe)."""
    return Finding(
        rule_id=rule_id,
        severity=severity,
        category=category,
        encounter_id=encounter_id,
        message=message,
        location=Location(file=file, line=line, pointer=pointer),
        fix=None if fix is None else Fix(pointer=fix[0], value=fix[1], safe=fix[2]),
        subject=subject,
        context=context,
    )


def context(
    patient_id: Any, npi: Any, date_of_service: str | None, payer: Any, pack: Any
) -> Context:
    """The reporter context of an encounter."""
    return Context(
        patient_id=patient_id,
        rendering_npi=npi,
        date_of_service=date_of_service,
        payer=payer,
        pack=pack,
    )


def record_context(raw: dict[str, Any], pack: str | None) -> Context:
    """The context of an encounter record: patient, provider, date, payer and pack."""
    patient, npi, payer, pack = context_key(raw, pack)
    dos = raw.get("date_of_service")
    return context(patient, npi, dos.isoformat() if dos is not None else None, payer, pack)


def context_key(raw: dict[str, Any], pack: str | None) -> ContextKey:
    """The parts of an encounter's context an event keeps (its date is the event's)."""
    payer = raw.get("payer") or {}
    label = payer.get("type") or payer.get("id") or payer.get("name")
    return (raw.get("patient_id"), raw.get("rendering_npi"), label, pack)


def event_context(key: object, date_of_service: str) -> Context | None:
    """An event's context back as a :class:`~b12lint.model.Context` (None if it has none)."""
    if isinstance(key, Context):
        return key
    if not isinstance(key, tuple) or len(key) != 4:
        return None
    patient, npi, payer, pack = key
    return context(patient, npi, date_of_service, payer, pack)


FindingRow = tuple[Any, ...]
ContextRow = tuple[str | None, str | None, str | None, str | None, str | None] | None


def _context_row(context: object) -> ContextRow:
    if not isinstance(context, Context):
        return None
    c = context
    return (c.patient_id, c.rendering_npi, c.date_of_service, c.payer, c.pack)


def _context(row: ContextRow) -> Context | None:
    return None if row is None else context(*row)


def finding_row(f: Finding) -> FindingRow:
    """A finding as a tuple (its location's line as it was read)."""
    loc, fix = f.location, f.fix
    return (
        f.rule_id,
        f.severity,
        f.category,
        f.encounter_id,
        f.message,
        loc.file,
        loc.line,
        loc.pointer,
        None if fix is None else (fix.pointer, fix.value, fix.safe),
        f.subject,
        _context_row(f.context),
    )


def from_row(row: FindingRow, offset: int = 0) -> Finding:
    """The finding of a row, its line moved down by ``offset`` lines."""
    rule_id, severity, category, eid, message, file, line, pointer, fix, subject, ctx = row
    if line is not None:
        line += offset
    return finding(
        rule_id,
        severity,
        category,
        eid,
        message,
        file,
        line,
        pointer,
        None if fix is None else (fix[0], fix[1], fix[2]),
        subject,
        _context(ctx),
    )
