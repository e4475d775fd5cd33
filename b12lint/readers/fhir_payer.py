"""The payer of a FHIR Claim or ExplanationOfBenefit, with its FORMATS.md payer type.

The focal ``insurance`` (else the first) names a Coverage; its payor Organization gives the
name and id. The type, first found wins:

1. ``Coverage.type`` in the Source of Payment Typology (SOPT; US Core's Coverage guidance:
   Medicare Part A/B = 121 FFS, Part C = 111/112/113, Part D = 122): Medicare managed care
   (11x) and Medicare MSA (123, an MA plan) → ``medicare_advantage``; Medicare FFS and
   non-managed (1, 12, 121, 129), hospice (13) and other Medicare (19) → ``medicare``;
   Part D (122), dual-eligible organizations (14) and pharmacy benefit managers (191) →
   ``other``; Medicaid (2x) → ``medicaid``; private insurance and BCBS (5x, 6x) →
   ``commercial``; anything else → ``other``.
2. Blue Button's Coverage ``class`` (``Medicare`` / ``Part A`` … ``Part D``) or its Coverage
   id (``part-b--…``): Part A/B → ``medicare``, Part C → ``medicare_advantage``, Part D →
   ``other``.
3. Blue Button's EOB type (``.../codesystem/eob-type``): CARRIER, DME, HHA, HOSPICE,
   INPATIENT, OUTPATIENT and SNF are Original Medicare fee-for-service claims (``medicare``);
   PDE is a Part D event (``other``).
"""

from __future__ import annotations

from typing import Any

from b12lint.readers.fhir_codes import as_dict, as_list, code
from b12lint.readers.fhir_refs import Index

SOPT = frozenset(
    {"https://nahdo.org/sopt", "urn:oid:2.16.840.1.113883.3.221.5", "http://nahdo.org/sopt"}
)
EOB_TYPE = "https://bluebutton.cms.gov/resources/codesystem/eob-type"
_FFS_EOB_TYPES = frozenset({"CARRIER", "DME", "HHA", "HOSPICE", "INPATIENT", "OUTPATIENT", "SNF"})
_PARTS = {"part a": "medicare", "part b": "medicare", "part c": "medicare_advantage"}


def sopt_type(value: str) -> str:
    """The payer type of a SOPT code (see the module docstring)."""
    if value.startswith("11") or value == "123":
        return "medicare_advantage"
    if value in {"122", "14", "191"}:
        return "other"
    if value.startswith("1"):
        return "medicare"
    if value.startswith("2"):
        return "medicaid"
    if value[:1] in {"5", "6"}:
        return "commercial"
    return "other"


def _part(value: Any) -> str | None:
    if not isinstance(value, str):
        return None
    lowered = value.strip().lower().replace("-", " ")
    for part, kind in _PARTS.items():
        if lowered.startswith(part):
            return kind
    return "other" if lowered.startswith("part d") else None


def _coverage_type(coverage: dict[str, Any], reference: Any) -> str | None:
    sopt = code(coverage.get("type"), SOPT)
    if sopt:
        return sopt_type(sopt)
    for item in as_list(coverage.get("class")):
        found = _part(as_dict(item).get("value"))
        if found:
            return found
    ref = as_dict(reference).get("reference")
    if isinstance(ref, str) and "/" in ref:
        return _part(ref.rsplit("/", 1)[-1])
    return None


def payer(index: Index, claim: dict[str, Any]) -> dict[str, str] | None:
    """The native ``payer`` object of a Claim or EOB (None when it names none)."""
    insurances = [as_dict(i) for i in as_list(claim.get("insurance"))]
    chosen = next((i for i in insurances if i.get("focal") is True), None)
    if chosen is None and insurances:
        chosen = insurances[0]
    found: dict[str, str] = {}
    kind: str | None = None
    if chosen is not None:
        reference = as_dict(chosen.get("coverage"))
        coverage = index.resolve(reference, claim)
        if coverage is not None:
            for payor_ref in as_list(coverage.get("payor"))[:1]:
                org = index.resolve(payor_ref, claim) or {}
                name = org.get("name") or as_dict(payor_ref).get("display")
                if isinstance(name, str) and name:
                    found["name"] = name
                for identifier in as_list(org.get("identifier"))[:1]:
                    value = as_dict(identifier).get("value")
                    if isinstance(value, str) and value:
                        found["id"] = value
        elif isinstance(reference.get("display"), str) and reference["display"]:
            found["name"] = reference["display"]
        kind = _coverage_type(coverage or {}, reference)
    eob_type = code(claim.get("type"), [EOB_TYPE])
    if kind is None and eob_type:
        kind = "medicare" if eob_type.upper() in _FFS_EOB_TYPES else "other"
    if kind:
        found["type"] = kind
    return found or None


__all__ = ["EOB_TYPE", "SOPT", "payer", "sopt_type"]
