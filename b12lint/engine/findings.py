"""Findings and their reporter context, built without re-validation and as small as they go.

A batch can hold hundreds of thousands of findings and a history event per in-scope
encounter: every finding shares one set of "fields given" with every other (pydantic keeps
one per model instance, the largest part of an empty model), and an event keeps its
reporter context as a shared tuple, made into a :class:`~b12lint.model.Context` only for the
few events a history rule reports on.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, TypeVar

from pydantic import BaseModel

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

_set = object.__setattr__
M = TypeVar("M", bound=BaseModel)


def _direct(cls: type[M], fields: set[str]) -> Callable[..., M]:
    """A constructor doing what ``cls.model_construct(fields, **values)`` does for these
    models (every field given, no alias, no post-init), without its per-field bookkeeping:
    ``model_construct`` costs most of a finding. Checked against ``model_construct`` when
    this module loads; if pydantic ever builds models differently, ``model_construct`` it is.
    """

    def build(**values: Any) -> M:
        model = cls.__new__(cls)
        _set(model, "__dict__", values)
        _set(model, "__pydantic_fields_set__", fields)
        _set(model, "__pydantic_extra__", None)
        _set(model, "__pydantic_private__", None)
        return model

    def slow(**values: Any) -> M:
        return cls.model_construct(fields, **values)

    sample = {name: None for name in cls.model_fields}
    fast, reference = build(**sample), slow(**sample)
    same = all(
        getattr(fast, attr, None) == getattr(reference, attr, None)
        for attr in ("__dict__", "__pydantic_fields_set__", "__pydantic_extra__")
    ) and set(vars(fast)) == set(vars(reference))
    usable = same and not cls.__pydantic_post_init__ and not cls.__pydantic_root_model__
    return build if usable else slow


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
    return _FINDING(
        rule_id=rule_id,
        severity=severity,
        category=category,
        encounter_id=encounter_id,
        message=message,
        location=_LOCATION(file=file, line=line, pointer=pointer),
        fix=None if fix is None else _FIX(pointer=fix[0], value=fix[1], safe=fix[2]),
        subject=subject,
        context=context,
        suppressed_by=None,
    )


def context(
    patient_id: Any, npi: Any, date_of_service: str | None, payer: Any, pack: Any
) -> Context:
    """The reporter context of an encounter."""
    return _CONTEXT(
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


_FINDING = _direct(Finding, _FINDING_FIELDS)
_LOCATION = _direct(Location, _LOCATION_FIELDS)
_FIX = _direct(Fix, _FIX_FIELDS)
_CONTEXT = _direct(Context, _CONTEXT_FIELDS)
