"""FHIR ``Claim.item`` / ``ExplanationOfBenefit.item`` as native claim lines.

One item is one line, in ``sequence`` order; an item's ``detail`` (and sub-detail) never
becomes a line of its own: it only gives the NDC, its quantity and unit. Read per item:

- ``productOrService``: the CPT/HCPCS coding (also Blue Button's ``.../codesystem/hcpcs``),
  else the first coding not from NDC, RxNorm, SNOMED CT or data-absent-reason; ``text`` as
  the narrative. ``modifier`` codes.
- ``quantity.value``, else Blue Button's units extension (``carr_line_mtus_cnt`` /
  ``dmerc_line_mtus_cnt`` with a ``valueQuantity``; its ``valueCoding`` twin is an indicator).
- ``servicedDate`` / ``servicedPeriod.start``; ``net`` / ``unitPrice`` as the charge.
- ``diagnosisSequence`` → 1-based pointers into the record's diagnoses.
- ``revenue`` (NUBC revenue code, 4 digits) on institutional items.
- the NDC: an NDC coding of ``productOrService``, an NDC extension on it (Blue Button v2) or
  on the item (v1), else a detail's NDC coding with its quantity; Blue Button's
  ``rev_cntr_ndc_qty`` and ``rev_cntr_ndc_qty_qlfr_cd`` extensions give quantity and unit.
  A hyphenated NDC (FHIR writes the labelled 10-digit form) becomes the 11-digit billing form
  (:func:`billing_ndc`).
"""

from __future__ import annotations

from typing import Any

from b12lint.domain.ndc import normalize_ndc
from b12lint.readers.fhir_codes import (
    NDC,
    PROCEDURE,
    SNOMED,
    as_dict,
    as_list,
    code,
    day,
    extension_values,
    number,
    text,
)

REVENUE = frozenset(
    {
        "https://www.nubc.org/CodeSystem/RevenueCodes",
        "http://www.nubc.org/CodeSystem/RevenueCodes",
        "https://bluebutton.cms.gov/resources/variables/rev_cntr",
    }
)
#: UCUM / display units of a drug quantity → the 837 NDC unit qualifiers.
NDC_UNITS = {
    "ml": "ML",
    "milliliter": "ML",
    "millilitre": "ML",
    "un": "UN",
    "unit": "UN",
    "{unit}": "UN",
    "each": "UN",
    "ea": "UN",
    "g": "GR",
    "gr": "GR",
    "f2": "F2",
    "me": "ME",
}
DATA_ABSENT = "http://terminology.hl7.org/CodeSystem/data-absent-reason"
"""CARIN writes ``not-applicable`` from this system where an item has no product code."""
RXNORM = "http://www.nlm.nih.gov/research/umls/rxnorm"
#: Systems whose codes are never a line's procedure code (a drug, an encounter type, none).
NOT_PROCEDURES = frozenset({*NDC, DATA_ABSENT, RXNORM, SNOMED})
_UNIT_EXTENSIONS = ("carr_line_mtus_cnt", "dmerc_line_mtus_cnt")


def ndc_unit(quantity: dict[str, Any]) -> str | None:
    """The 837 unit qualifier of a FHIR Quantity's ``code`` or ``unit`` (as written if unknown)."""
    unit = quantity.get("code") or quantity.get("unit")
    if not isinstance(unit, str) or not unit.strip():
        return None
    return NDC_UNITS.get(unit.strip().lower(), unit.strip().upper())


def billing_ndc(written: str) -> str:
    """An NDC coding as a claim bills it: FHIR's NDC system writes the labelled, hyphenated
    10-digit form (4-4-2, 5-3-2, 5-4-1), claims the 11-digit 5-4-2 form without hyphens; a
    hyphenated NDC is padded as the 837 carries it, anything else is kept as written (a bare
    10-digit NDC is ambiguous: the NDC rules report it)."""
    return normalize_ndc(written) or written


def _ndc_coding(value: Any) -> str | None:
    coding = as_dict(value)
    found = coding.get("code")
    if coding.get("system") in NDC and isinstance(found, str) and found:
        return found
    return code(value, NDC)


def _extension_ndc(element: Any) -> str | None:
    for ext in as_list(as_dict(element).get("extension")):
        ext = as_dict(ext)
        for key in ("valueCoding", "valueCodeableConcept"):
            found = _ndc_coding(ext.get(key))
            if found:
                return found
    return None


def _units(item: dict[str, Any]) -> float | int | None:
    units = number(as_dict(item.get("quantity")).get("value"))
    if units is not None:
        return units
    for suffix in _UNIT_EXTENSIONS:
        for value in extension_values(item, suffix):
            found = number(as_dict(value).get("value"))
            if found is not None:
                return found
    return None


def _revenue(item: dict[str, Any]) -> str | None:
    value = code(item.get("revenue"), REVENUE) or code(item.get("revenue"))
    if value and value.isdigit() and len(value) == 3:
        return "0" + value
    return value


def _ndc(item: dict[str, Any], line: dict[str, Any]) -> None:
    product = as_dict(item.get("productOrService"))
    found = code(product, NDC) or _extension_ndc(product) or _extension_ndc(item)
    if found:
        line["ndc"] = billing_ndc(found)
        for value in extension_values(item, "rev_cntr_ndc_qty"):
            quantity = number(as_dict(value).get("value"))
            if quantity is not None:
                line["ndc_quantity"] = quantity
        for value in extension_values(item, "rev_cntr_ndc_qty_qlfr_cd"):
            unit = code({"coding": [value]}) if isinstance(value, dict) else None
            if unit:
                line["ndc_unit"] = unit.upper()
        return
    for detail in as_list(item.get("detail")):
        detail = as_dict(detail)
        detail_ndc = code(detail.get("productOrService"), NDC)
        if detail_ndc:
            line["ndc"] = billing_ndc(detail_ndc)
            amount = as_dict(detail.get("quantity"))
            value = number(amount.get("value"))
            if value is not None:
                line["ndc_quantity"] = value
            unit = ndc_unit(amount)
            if unit:
                line["ndc_unit"] = unit
            return


def item_line(item: dict[str, Any], positions: dict[int, int]) -> dict[str, Any]:
    """The native line of one item; ``positions`` maps diagnosis sequences to pointers."""
    line: dict[str, Any] = {}
    product = as_dict(item.get("productOrService"))
    found = code(product, PROCEDURE)
    if found is None:
        found = next(
            (
                as_dict(c).get("code")
                for c in as_list(product.get("coding"))
                if as_dict(c).get("system") not in NDC and as_dict(c).get("system") != DATA_ABSENT
            ),
            None,
        )
    if isinstance(found, str) and found:
        line["code"] = found
    narrative = text({"text": product.get("text")})
    if narrative:
        line["description"] = narrative
    line["modifiers"] = [m for m in (code(mod) for mod in as_list(item.get("modifier"))) if m]
    units = _units(item)
    if units is not None:
        line["units"] = units
    line["dx_pointers"] = [
        positions.get(seq, seq) for seq in as_list(item.get("diagnosisSequence")) if _int(seq)
    ]
    date = day(item.get("servicedDate")) or day(as_dict(item.get("servicedPeriod")).get("start"))
    if date:
        line["date"] = date
    charge = number(as_dict(item.get("net")).get("value"))
    if charge is None:
        charge = number(as_dict(item.get("unitPrice")).get("value"))
    if charge is not None:
        line["charge"] = charge
    revenue = _revenue(item)
    if revenue:
        line["revenue_code"] = revenue
    _ndc(item, line)
    return line


def _int(value: Any) -> bool:
    return isinstance(value, int) and not isinstance(value, bool)


def is_procedure_coded(item: dict[str, Any]) -> bool:
    """Whether an item bills a CPT/HCPCS code (else it names a product some other way)."""
    return code(item.get("productOrService"), PROCEDURE) is not None


__all__ = ["NDC_UNITS", "REVENUE", "billing_ndc", "is_procedure_coded", "item_line", "ndc_unit"]
