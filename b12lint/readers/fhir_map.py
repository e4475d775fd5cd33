"""FHIR R4 Claims and their chart (MedicationAdministration, Medication, Condition) as records.

- Encounter id: ``Claim.identifier[0].value``, else ``Claim.id``. Patient id: the Patient's
  ``identifier[0].value``, else the id in the reference. Date of service: the earliest item
  ``servicedDate`` / ``servicedPeriod.start``, else ``billablePeriod.start``.
- Diagnoses: ``Claim.diagnosis`` in ``sequence`` order (ICD-10-CM coding, or the referenced
  Condition's); an item's ``diagnosisSequence`` becomes a 1-based pointer into that list (a
  sequence that names no diagnosis is kept as written, for the pointer rules to judge).
- Lines: ``Claim.item`` in ``sequence`` order: the CPT/HCPCS coding of ``productOrService``
  (its ``text`` as the narrative), ``modifier``, ``quantity``, ``net``/``unitPrice``; the NDC
  from an NDC coding of the item or of a ``detail`` (with the detail's quantity and unit).
- Rendering NPI: the ``careTeam`` member with role performing/primary/rendering, else
  ``Claim.provider`` (a us-npi identifier on the reference or on the resource).
- Payer: the focal ``insurance`` Coverage's payor Organization; ``Coverage.type`` SOPT codes
  give the payer type (11x Medicare managed care: medicare_advantage; other 1x Medicare:
  medicare, i.e. Original Medicare; 2 Medicaid; 5/6 commercial).
- Chart: MedicationAdministrations the Claim's ``supportingInfo`` references, else those of
  the same patient on a service date of the Claim. Not-done and entered-in-error ones are not
  administrations. ``dosage.dose`` (UCUM ug, mg, mL: a volume takes the Medication's
  strength as its concentration), ``dosage.route`` (SNOMED CT), ``dosage.site``, the
  medication's text or display (drug) and NDC coding, ``effectiveDateTime``; ``reasonCode``
  and ``reasonReference`` Conditions give the indication text and ICD-10-CM codes.

A file with no MedicationAdministration carries no chart (chart rules do not run); when it has
some but none for a Claim, that Claim's chart is missing (one documentation-gap finding).
Findings point into the record built here (``/lines/0`` is the item of lowest sequence).
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from typing import Any

from b12lint.model import Record, Source
from b12lint.readers.base import DEFAULT_LIMITS, Item, Limits, to_item

NPI = "http://hl7.org/fhir/sid/us-npi"
NDC = frozenset({"http://hl7.org/fhir/sid/ndc", "urn:oid:2.16.840.1.113883.6.69"})
ICD10 = frozenset(
    {
        "http://hl7.org/fhir/sid/icd-10-cm",
        "http://hl7.org/fhir/sid/icd-10",
        "urn:oid:2.16.840.1.113883.6.90",
    }
)
PROCEDURE = frozenset(
    {
        "http://www.ama-assn.org/go/cpt",
        "urn:oid:2.16.840.1.113883.6.12",
        "https://www.cms.gov/Medicare/Coding/HCPCSReleaseCodeSets",
        "http://www.cms.gov/Medicare/Coding/HCPCSReleaseCodeSets",
        "urn:oid:2.16.840.1.113883.6.285",
    }
)
POS = "https://www.cms.gov/Medicare/Coding/place-of-service-codes/Place_of_Service_Code_Set"
SNOMED = "http://snomed.info/sct"
SOPT = frozenset({"https://nahdo.org/sopt", "urn:oid:2.16.840.1.113883.3.221.5"})
SOPT_TYPES = {"1": "medicare", "2": "medicaid", "5": "commercial", "6": "commercial"}
#: PHDSC Source of Payment Typology: 11 Medicare (managed care), 111-119 Medicare HMO, PPO,
#: POS, other managed care = Medicare Advantage; 12x Medicare (non-managed care) and 1 / 19
#: stay ``medicare`` (Original Medicare).
SOPT_MEDICARE_ADVANTAGE = "11"


def _sopt_payer_type(code: str) -> str:
    """The FORMATS.md payer type of a SOPT code (``other`` when it is not one we map)."""
    if code.startswith(SOPT_MEDICARE_ADVANTAGE):
        return "medicare_advantage"
    return SOPT_TYPES.get(code[:1], "other")


RENDERING_ROLES = frozenset({"performing", "primary", "rendering"})
NOT_GIVEN = frozenset({"not-done", "entered-in-error"})
_ML = frozenset({"ml", "milliliter", "millilitre", "cc"})


@dataclass(frozen=True, slots=True)
class Resource:
    """A validated resource and the line of the file it starts at."""

    data: dict[str, Any]
    source: Source
    url: str | None = None
    """The bundle entry's ``fullUrl`` (references may use it)."""


def _list(value: Any) -> list[Any]:
    return value if isinstance(value, list) else []


def _dict(value: Any) -> dict[str, Any]:
    return value if isinstance(value, dict) else {}


def _day(value: Any) -> str | None:
    """The date part of a FHIR date or dateTime (``2026-03-02T10:15:00Z`` → ``2026-03-02``)."""
    if isinstance(value, str) and len(value) >= 10:
        return value[:10]
    return None


def _code(concept: Any, systems: Iterable[str] | None = None) -> str | None:
    """The code of the first coding in ``systems`` (or the first coding at all)."""
    codings = _list(_dict(concept).get("coding"))
    wanted = frozenset(systems) if systems is not None else None
    for coding in codings:
        coding = _dict(coding)
        if wanted is None or coding.get("system") in wanted:
            code = coding.get("code")
            if isinstance(code, str) and code:
                return code
    return None


def _text(concept: Any) -> str | None:
    """A CodeableConcept's text, else its first coding's display."""
    concept = _dict(concept)
    if isinstance(concept.get("text"), str) and concept["text"].strip():
        return str(concept["text"])
    for coding in _list(concept.get("coding")):
        display = _dict(coding).get("display")
        if isinstance(display, str) and display.strip():
            return display
    return None


def _npi(identifiers: Any) -> str | None:
    for identifier in _list(identifiers):
        identifier = _dict(identifier)
        if identifier.get("system") == NPI and isinstance(identifier.get("value"), str):
            return str(identifier["value"])
    return None


def _number(value: Any) -> float | int | None:
    if isinstance(value, bool) or not isinstance(value, int | float):
        return None
    return int(value) if float(value).is_integer() else value


class Index:
    """Resources by every reference that can name them (``Type/id`` and the ``fullUrl``)."""

    def __init__(self, resources: Iterable[Resource]) -> None:
        self.by_ref: dict[str, dict[str, Any]] = {}
        self.claims: list[Resource] = []
        self.administrations: list[dict[str, Any]] = []
        for resource in resources:
            data = resource.data
            kind = data["resourceType"]
            if isinstance(data.get("id"), str):
                self.by_ref[f"{kind}/{data['id']}"] = data
            if resource.url:
                self.by_ref[resource.url] = data
            if kind == "Claim":
                self.claims.append(resource)
            elif kind == "MedicationAdministration":
                self.administrations.append(data)

    def resolve(self, reference: Any) -> dict[str, Any] | None:
        """The resource a Reference names (relative, absolute or ``urn:uuid``), if present."""
        ref = _dict(reference).get("reference")
        if not isinstance(ref, str):
            return None
        found = self.by_ref.get(ref)
        if found is None and "/" in ref:
            parts = ref.rstrip("/").split("/")
            if len(parts) >= 2:
                found = self.by_ref.get(f"{parts[-2]}/{parts[-1]}")
            if found is None and len(parts) >= 4 and parts[-2] == "_history":
                found = self.by_ref.get(f"{parts[-4]}/{parts[-3]}")
        return found

    def patient_key(self, reference: Any) -> str | None:
        """A comparable key for a patient Reference."""
        data = self.resolve(reference)
        if data is not None:
            return f"Patient/{data.get('id')}"
        ref = _dict(reference).get("reference")
        return ref if isinstance(ref, str) else None


def _patient_id(index: Index, reference: Any) -> str | None:
    data = index.resolve(reference)
    if data is not None:
        for identifier in _list(data.get("identifier")):
            value = _dict(identifier).get("value")
            if isinstance(value, str) and value:
                return value
        return data.get("id") if isinstance(data.get("id"), str) else None
    ref = _dict(reference)
    value = _dict(ref.get("identifier")).get("value")
    if isinstance(value, str) and value:
        return value
    text = ref.get("reference")
    return text.rstrip("/").rsplit("/", 1)[-1] if isinstance(text, str) and text else None


def _provider_npi(index: Index, reference: Any) -> str | None:
    ref = _dict(reference)
    npi = _npi([ref.get("identifier")])
    if npi:
        return npi
    data = index.resolve(ref)
    if data is None:
        return None
    if data.get("resourceType") == "PractitionerRole":
        return _npi(data.get("identifier")) or _provider_npi(index, data.get("practitioner"))
    return _npi(data.get("identifier"))


def _rendering(index: Index, claim: dict[str, Any]) -> str | None:
    team = sorted(
        (_dict(m) for m in _list(claim.get("careTeam"))), key=lambda m: m.get("sequence") or 0
    )
    for member in team:
        if _code(member.get("role")) in RENDERING_ROLES:
            npi = _provider_npi(index, member.get("provider"))
            if npi:
                return npi
    return _provider_npi(index, claim.get("provider"))


def _payer(index: Index, claim: dict[str, Any]) -> dict[str, str] | None:
    insurances = [_dict(i) for i in _list(claim.get("insurance"))]
    chosen = next((i for i in insurances if i.get("focal") is True), None)
    if chosen is None and insurances:
        chosen = insurances[0]
    if chosen is None:
        return None
    payer: dict[str, str] = {}
    coverage_ref = _dict(chosen.get("coverage"))
    coverage = index.resolve(coverage_ref)
    if coverage is not None:
        for payor_ref in _list(coverage.get("payor"))[:1]:
            org = index.resolve(payor_ref)
            name = (org or {}).get("name") or _dict(payor_ref).get("display")
            if isinstance(name, str) and name:
                payer["name"] = name
            for identifier in _list((org or {}).get("identifier"))[:1]:
                value = _dict(identifier).get("value")
                if isinstance(value, str) and value:
                    payer["id"] = value
        sopt = _code(coverage.get("type"), SOPT)
        if sopt:
            payer["type"] = _sopt_payer_type(sopt)
    elif isinstance(coverage_ref.get("display"), str):
        payer["name"] = coverage_ref["display"]
    return payer or None


def _diagnosis_code(index: Index, diagnosis: dict[str, Any]) -> str | None:
    concept = diagnosis.get("diagnosisCodeableConcept")
    if concept is None:
        condition = index.resolve(diagnosis.get("diagnosisReference"))
        concept = (condition or {}).get("code")
    return _code(concept, ICD10) or _code(concept)


def _line(item: dict[str, Any], positions: dict[int, int]) -> dict[str, Any]:
    line: dict[str, Any] = {}
    product = _dict(item.get("productOrService"))
    code = _code(product, PROCEDURE)
    if code is None:
        code = next(
            (
                _dict(c).get("code")
                for c in _list(product.get("coding"))
                if _dict(c).get("system") not in NDC
            ),
            None,
        )
    if code:
        line["code"] = code
    if isinstance(product.get("text"), str) and product["text"]:
        line["description"] = product["text"]
    line["modifiers"] = [m for m in (_code(mod) for mod in _list(item.get("modifier"))) if m]
    units = _number(_dict(item.get("quantity")).get("value"))
    if units is not None:
        line["units"] = units
    pointers = []
    for seq in _list(item.get("diagnosisSequence")):
        if isinstance(seq, int):
            pointers.append(positions.get(seq, seq))
    line["dx_pointers"] = pointers
    date = _day(item.get("servicedDate")) or _day(_dict(item.get("servicedPeriod")).get("start"))
    if date:
        line["date"] = date
    charge = _number(_dict(item.get("net")).get("value"))
    if charge is None:
        charge = _number(_dict(item.get("unitPrice")).get("value"))
    if charge is not None:
        line["charge"] = charge
    ndc = _code(product, NDC)
    if ndc:
        line["ndc"] = ndc
    for detail in _list(item.get("detail")):
        detail = _dict(detail)
        detail_ndc = _code(detail.get("productOrService"), NDC)
        if detail_ndc:
            line["ndc"] = detail_ndc
            quantity = _dict(detail.get("quantity"))
            value = _number(quantity.get("value"))
            if value is not None:
                line["ndc_quantity"] = value
            unit = quantity.get("code") or quantity.get("unit")
            if isinstance(unit, str) and unit:
                line["ndc_unit"] = unit.upper()
            break
    return line


def _concentration(medication: dict[str, Any] | None) -> str | None:
    """``"1000 ug/mL"`` from a Medication's first ingredient strength, if it is per mL."""
    if medication is None:
        return None
    for ingredient in _list(medication.get("ingredient"))[:1]:
        strength = _dict(_dict(ingredient).get("strength"))
        num = _dict(strength.get("numerator"))
        den = _dict(strength.get("denominator"))
        value = _number(num.get("value"))
        per = _number(den.get("value"))
        unit = num.get("code") or num.get("unit")
        den_unit = str(den.get("code") or den.get("unit") or "").lower()
        if value is None or not per or not isinstance(unit, str) or den_unit not in _ML:
            return None
        amount = _number(value / per)
        return f"{amount} {unit}/mL"
    return None


def _dose(dosage: dict[str, Any], medication: dict[str, Any] | None) -> Any:
    dose = _dict(dosage.get("dose"))
    value = _number(dose.get("value"))
    unit = dose.get("unit") if isinstance(dose.get("unit"), str) else None
    code = dose.get("code") if isinstance(dose.get("code"), str) else None
    if value is None:
        text = dosage.get("text")
        return text if isinstance(text, str) and text else None
    chosen = code or unit
    if chosen and chosen.lower() in _ML:
        concentration = _concentration(medication)
        if concentration:
            return {"volume_ml": value, "concentration": concentration}
    return {"value": value, "unit": chosen} if chosen else {"value": value}


def _administration(
    index: Index, data: dict[str, Any], indication: list[str], codes: list[str]
) -> dict[str, Any]:
    medication = index.resolve(data.get("medicationReference"))
    concept = data.get("medicationCodeableConcept") or (medication or {}).get("code")
    admin: dict[str, Any] = {}
    drug = _text(concept)
    if drug:
        admin["drug"] = drug
    ndc = _code(concept, NDC)
    if ndc:
        admin["ndc"] = ndc
    dosage = _dict(data.get("dosage"))
    dose = _dose(dosage, medication)
    if dose is not None:
        admin["dose"] = dose
    route = _dict(dosage.get("route"))
    route_value = _code(route, [SNOMED]) or _text(route) or _code(route)
    if route_value:
        admin["route"] = route_value
    site = _text(dosage.get("site"))
    if site:
        admin["site"] = site
    time = data.get("effectiveDateTime") or _dict(data.get("effectivePeriod")).get("start")
    if isinstance(time, str):
        admin["time"] = time
    reasons = list(_list(data.get("reasonCode")))
    for ref in _list(data.get("reasonReference")):
        condition = index.resolve(ref)
        if condition is not None:
            reasons.append(condition.get("code"))
    for concept in reasons:
        text = _text(concept)
        if text and text not in indication:
            indication.append(text)
        code = _code(concept, ICD10)
        if code and code not in codes:
            codes.append(code)
    return admin


def _linked(index: Index, claim: dict[str, Any], dates: set[str]) -> list[dict[str, Any]]:
    linked = []
    for info in _list(claim.get("supportingInfo")):
        data = index.resolve(_dict(info).get("valueReference"))
        if data is not None and data.get("resourceType") == "MedicationAdministration":
            linked.append(data)
    if linked:
        return linked
    patient = index.patient_key(claim.get("patient"))
    out = []
    for data in index.administrations:
        when = data.get("effectiveDateTime") or _dict(data.get("effectivePeriod")).get("start")
        if _day(when) in dates and index.patient_key(data.get("subject")) == patient:
            out.append(data)
    return out


def claim_record(index: Index, claim: dict[str, Any]) -> tuple[dict[str, Any], bool]:
    """The native record of one Claim, and whether it has a linked chart."""
    record: dict[str, Any] = {}
    identifiers = _list(claim.get("identifier"))
    first_value = _dict(identifiers[0]).get("value") if identifiers else None
    record["encounter_id"] = first_value if isinstance(first_value, str) else claim.get("id")
    patient = _patient_id(index, claim.get("patient"))
    if patient:
        record["patient_id"] = patient
    diagnoses = sorted(
        (_dict(d) for d in _list(claim.get("diagnosis"))), key=lambda d: d.get("sequence") or 0
    )
    positions: dict[int, int] = {}
    codes: list[str] = []
    for diagnosis in diagnoses:
        code = _diagnosis_code(index, diagnosis)
        if code:
            codes.append(code)
            if isinstance(diagnosis.get("sequence"), int):
                positions[diagnosis["sequence"]] = len(codes)
    record["diagnoses"] = codes
    items = sorted(
        (_dict(i) for i in _list(claim.get("item"))), key=lambda i: i.get("sequence") or 0
    )
    lines = [_line(item, positions) for item in items]
    record["lines"] = lines
    dates = sorted({line["date"] for line in lines if "date" in line})
    dos = dates[0] if dates else _day(_dict(claim.get("billablePeriod")).get("start"))
    if dos:
        record["date_of_service"] = dos
    for item in items:
        pos = _code(item.get("locationCodeableConcept"), [POS]) or _code(
            item.get("locationCodeableConcept")
        )
        if pos:
            record["place_of_service"] = pos
            break
    npi = _rendering(index, claim)
    if npi:
        record["rendering_npi"] = npi
    payer = _payer(index, claim)
    if payer:
        record["payer"] = payer
    administrations = [
        a
        for a in _linked(index, claim, set(dates) or ({dos} if dos else set()))
        if a.get("status") not in NOT_GIVEN
    ]
    if not administrations:
        return record, False
    indication: list[str] = []
    indication_codes: list[str] = []
    documented = [_administration(index, a, indication, indication_codes) for a in administrations]
    documentation: dict[str, Any] = {"administrations": documented}
    if indication:
        documentation["indication"] = "; ".join(indication)
    if indication_codes:
        documentation["indication_codes"] = indication_codes
    record["documentation"] = documentation
    return record, True


def encounters(
    resources: list[Resource], file: str, limits: Limits = DEFAULT_LIMITS
) -> Iterator[Item]:
    """One record per Claim, in file order, with its linked chart."""
    index = Index(resources)
    carries_chart = bool(index.administrations)
    for resource in index.claims:
        record, linked = claim_record(index, resource.data)
        item = to_item(record, resource.source, has_chart=linked, limits=limits, check_depth=False)
        if isinstance(item, Record) and carries_chart and not linked:
            item.chart_missing = True
        yield item


__all__ = ["Index", "Resource", "claim_record", "encounters"]
