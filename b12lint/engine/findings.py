"""Findings and their reporter context, built without re-validation and as small as they go.

A batch can hold hundreds of thousands of findings and a history event per in-scope
encounter: every finding shares one set of "fields given" with every other (pydantic keeps
one per model instance, the largest part of an empty model), and an event keeps its
reporter context as a shared tuple, made into a :class:`~b12lint.model.Context` only for the
few events a history rule reports on.
"""

from __future__ import annotations

from typing import Any

from b12lint.model import Category, Context, Finding, Fix, Location, Severity

# One "fields set" per model class, shared by every instance built here (pydantic copies it
# before any change, in ``model_copy``; the models are frozen).
_FINDING_FIELDS = {
    "rule_id",
    "severity",
    "category",
    "encounter_id",
    "message",
    "location",
    "fix",
    "subject",
    "context",
}
_LOCATION_FIELDS = {"file", "line", "pointer"}
_FIX_FIELDS = {"pointer", "value", "safe"}
_CONTEXT_FIELDS = {"patient_id", "rendering_npi", "date_of_service", "payer", "pack"}

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
    return Finding.model_construct(
        _FINDING_FIELDS,
        rule_id=rule_id,
        severity=severity,
        category=category,
        encounter_id=encounter_id,
        message=message,
        location=Location.model_construct(_LOCATION_FIELDS, file=file, line=line, pointer=pointer),
        fix=None
        if fix is None
        else Fix.model_construct(_FIX_FIELDS, pointer=fix[0], value=fix[1], safe=fix[2]),
        subject=subject,
        context=context,
    )


def context(
    patient_id: Any, npi: Any, date_of_service: str | None, payer: Any, pack: Any
) -> Context:
    """The reporter context of an encounter."""
    return Context.model_construct(
        _CONTEXT_FIELDS,
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
