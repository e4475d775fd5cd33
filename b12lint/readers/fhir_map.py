"""FHIR R4 Claims and ExplanationOfBenefits, with their chart, as native encounter records.

Claim and ExplanationOfBenefit share their billing elements in R4 and map alike:

- Encounter id: the identifier typed ``uc`` (CARIN's unique claim id), else the first
  identifier's value, else the resource id. Patient id: the Patient's first identifier
  value, else its id (a contained Patient is its claim's own: :mod:`fhir_refs`).
- Date of service: the earliest item ``servicedDate`` / ``servicedPeriod.start``, else
  ``billablePeriod.start``.
- Diagnoses: the one whose ``diagnosis.type`` says ``principal`` first (CARIN: the
  sequence implies no order), then the others in ``sequence`` order; ICD-10-CM coding, or the
  referenced Condition's. An item's ``diagnosisSequence`` becomes a 1-based pointer into
  that list (a sequence that names no diagnosis is kept as written, for the pointer rules).
- Lines: :mod:`b12lint.readers.fhir_lines` (one per item; details never add lines).
- Claim type: ``type`` institutional (HL7 claim-type; Blue Button's INPATIENT, OUTPATIENT,
  HHA, HOSPICE, SNF) → ``institutional``, with ``type_of_bill`` from a ``typeofbill``
  supportingInfo code (3 or 4 digits) or Blue Button's facility type + service classification
  + frequency extensions (``0`` + the three digits); professional → ``professional``.
- Rendering NPI: the ``careTeam`` member (in sequence) with role performing, rendering or
  primary (institutional: also attending) and an NPI, else ``provider``. An identifier typed
  ``npi`` without a system counts.
- Payer: :mod:`b12lint.readers.fhir_payer`.
- ``adjudicated: true`` on an ExplanationOfBenefit's record: a payer's export of the
  adjudicated claim, which carries no NDC quantity (outside ``item.detail``) and may leave out
  ``item.diagnosisSequence`` (0..*): rules do not judge those as missing.
- Drug billed: ``prescription`` → MedicationRequest / MedicationDispense (Synthea records
  drugs this way): its medication's NDC (and a dispense's quantity) on the lines that bill
  no CPT/HCPCS code or a J code, its name as their narrative. An order or a dispense is not
  an administration: it never becomes chart documentation.
- Chart: MedicationAdministrations the ``supportingInfo`` references, else those of the same
  patient on the claim's date of service; of either, only those given on that date (or
  undated): one encounter is one visit on one date (FORMATS.md), so a Claim whose items span
  several dates joins the chart of its date of service (the earliest), never the sum of every
  date's doses. Not-done and entered-in-error ones are not administrations.
  ``dosage.dose`` (UCUM ug, mg, mL: a volume takes the Medication's strength as its
  concentration), ``dosage.route`` (SNOMED CT), ``dosage.site``, the
  medication's text or display (drug) and NDC coding, ``effectiveDateTime``; ``reasonCode``
  and ``reasonReference`` Conditions give the indication text and ICD-10-CM codes.

An input with no MedicationAdministration of a claim's patient carries no chart for that
claim (chart rules do not run, as for an 837P; ``--documentation`` joins one): another
patient's administrations say nothing about it. When it has some of the patient's but none
for the claim (none it references, none on its service dates), that claim's chart is
missing (one documentation-gap finding). Findings point into the record built here
(``/lines/0`` is the item of lowest sequence).
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from typing import Any

from b12lint.model import InputError, Record
from b12lint.readers.base import DEFAULT_LIMITS, Item, Limits, to_item
from b12lint.readers.fhir_codes import (
    ICD10,
    NDC,
    POS,
    SNOMED,
    as_dict,
    as_list,
    code,
    day,
    has_code,
    npi,
    number,
    seq,
    text,
)
from b12lint.readers.fhir_lines import billing_ndc, is_procedure_coded, item_line, ndc_unit
from b12lint.readers.fhir_payer import EOB_TYPE, payer
from b12lint.readers.fhir_refs import Index, Resource, encounter_id, patient_id

CLAIM_TYPE = "http://terminology.hl7.org/CodeSystem/claim-type"
RENDERING_ROLES = frozenset({"performing", "primary", "rendering"})
NOT_GIVEN = frozenset({"not-done", "entered-in-error"})
_INSTITUTIONAL_EOB = frozenset({"INPATIENT", "OUTPATIENT", "HHA", "HOSPICE", "SNF"})
_PROFESSIONAL_EOB = frozenset({"CARRIER", "DME"})
_TOB_PARTS = ("clm_fac_type_cd", "clm_srvc_clsfctn_type_cd", "clm_freq_cd")
_ML = frozenset({"ml", "milliliter", "millilitre", "cc"})


def _scope(claim: dict[str, Any]) -> str:
    return f"{claim.get('resourceType')}/{claim.get('id') or encounter_id(claim)}"


def label(claim: dict[str, Any]) -> str:
    """``ExplanationOfBenefit/eob-1`` (the resource type alone without an id)."""
    kind = str(claim.get("resourceType"))
    rid = claim.get("id")
    return f"{kind}/{rid}" if isinstance(rid, str) and rid else kind


def _provider_npi(index: Index, reference: Any, within: dict[str, Any]) -> str | None:
    ref = as_dict(reference)
    found = npi([ref.get("identifier")])
    if found:
        return found
    data = index.resolve(ref, within)
    if data is None:
        return None
    if data.get("resourceType") == "PractitionerRole":
        return npi(data.get("identifier")) or _provider_npi(index, data.get("practitioner"), within)
    return npi(data.get("identifier"))


def _rendering(index: Index, claim: dict[str, Any], institutional: bool) -> str | None:
    team = sorted(
        (as_dict(m) for m in as_list(claim.get("careTeam"))),
        key=lambda m: seq(m.get("sequence")),
    )
    roles = [RENDERING_ROLES, frozenset({"attending"})] if institutional else [RENDERING_ROLES]
    for wanted in roles:
        for member in team:
            if any(has_code(member.get("role"), role) for role in wanted):
                found = _provider_npi(index, member.get("provider"), claim)
                if found:
                    return found
    return _provider_npi(index, claim.get("provider"), claim)


def _diagnosis_code(index: Index, claim: dict[str, Any], diagnosis: dict[str, Any]) -> str | None:
    concept = diagnosis.get("diagnosisCodeableConcept")
    if concept is None:
        condition = index.resolve(diagnosis.get("diagnosisReference"), claim)
        concept = (condition or {}).get("code")
    return code(concept, ICD10) or code(concept)


def _is_principal(diagnosis: dict[str, Any]) -> bool:
    return any(has_code(kind, "principal") for kind in as_list(diagnosis.get("type")))


def _diagnoses(index: Index, claim: dict[str, Any]) -> tuple[list[str], dict[int, int]]:
    """Codes in pointer order (the principal first) and each sequence's 1-based position."""
    diagnoses = sorted(
        (as_dict(d) for d in as_list(claim.get("diagnosis"))),
        key=lambda d: (
            not _is_principal(d),
            seq(d.get("sequence")),
        ),
    )
    positions: dict[int, int] = {}
    codes: list[str] = []
    for diagnosis in diagnoses:
        found = _diagnosis_code(index, claim, diagnosis)
        if found:
            codes.append(found)
            if isinstance(diagnosis.get("sequence"), int):
                positions[diagnosis["sequence"]] = len(codes)
    return codes, positions


def claim_type(claim: dict[str, Any]) -> str | None:
    """``institutional`` or ``professional`` from the claim's ``type`` (None for others)."""
    concept = claim.get("type")
    hl7 = code(concept, [CLAIM_TYPE])
    if hl7 in {"institutional", "professional"}:
        return hl7
    bb = (code(concept, [EOB_TYPE]) or "").upper()
    if bb in _INSTITUTIONAL_EOB:
        return "institutional"
    if bb in _PROFESSIONAL_EOB:
        return "professional"
    return None


def type_of_bill(claim: dict[str, Any]) -> str | None:
    """The 3- or 4-digit type of bill a claim carries, if any (see the module docstring)."""
    for info in as_list(claim.get("supportingInfo")):
        info = as_dict(info)
        if has_code(info.get("category"), "typeofbill"):
            for coding in as_list(as_dict(info.get("code")).get("coding")):
                value = as_dict(coding).get("code")
                if isinstance(value, str) and value.isdigit() and len(value) in (3, 4):
                    return value
    parts = []
    for suffix in _TOB_PARTS:
        found = None
        for ext in as_list(claim.get("extension")):
            ext = as_dict(ext)
            url = ext.get("url")
            if isinstance(url, str) and url.endswith("/" + suffix):
                found = as_dict(ext.get("valueCoding")).get("code")
        if not isinstance(found, str) or len(found) != 1 or not found.isdigit():
            return None
        parts.append(found)
    return "0" + "".join(parts)


def _medication(
    index: Index, holder: dict[str, Any], within: dict[str, Any]
) -> tuple[Any, dict[str, Any] | None]:
    """The medication concept of an order, dispense or administration, and its Medication.

    ``within`` holds the ``#id`` resources it may name: the holder itself, or the claim when
    the holder is contained in the claim (contained resources share their container's list).
    """
    medication = index.resolve(holder.get("medicationReference"), within)
    concept = holder.get("medicationCodeableConcept") or (medication or {}).get("code")
    return concept, medication


def _named(concept: Any, name_key: str) -> dict[str, Any]:
    """A medication's name (under ``name_key``) and NDC, where the concept has them."""
    out: dict[str, Any] = {}
    name = text(concept)
    if name:
        out[name_key] = name
    found = code(concept, NDC)
    if found:
        out["ndc"] = billing_ndc(found)
    return out


def prescribed_drug(index: Index, claim: dict[str, Any]) -> dict[str, Any] | None:
    """What ``Claim.prescription`` names as the drug billed: name, NDC, quantity and unit."""
    reference = as_dict(claim.get("prescription")).get("reference")
    order = index.resolve(claim.get("prescription"), claim)
    if order is None or order.get("resourceType") not in {
        "MedicationRequest",
        "MedicationDispense",
    }:
        return None
    inside = isinstance(reference, str) and reference.startswith("#")
    concept, _ = _medication(index, order, claim if inside else order)
    drug = _named(concept, "description")
    if "ndc" in drug:
        quantity = as_dict(order.get("quantity")) or as_dict(
            as_dict(order.get("dispenseRequest")).get("quantity")
        )
        value = number(quantity.get("value"))
        unit = ndc_unit(quantity)
        if value is not None and unit:
            drug["ndc_quantity"] = value
            drug["ndc_unit"] = unit
    return drug or None


def _apply_drug(
    lines: list[dict[str, Any]], items: list[dict[str, Any]], drug: dict[str, Any]
) -> None:
    """Fill the drug's NDC (and quantity) into the lines that bill it: those with no CPT/HCPCS
    code or a J code, and no other NDC; its name only where the line has no procedure code
    (a J3490 narrative must come from the claim itself)."""
    for line, item in zip(lines, items, strict=True):
        if "ndc" in line and line["ndc"] != drug.get("ndc"):
            continue
        coded = is_procedure_coded(item)
        if coded and not str(line.get("code", "")).upper().startswith("J"):
            continue
        for key, value in drug.items():
            if key != "description" or not coded:
                line.setdefault(key, value)


def _concentration(medication: dict[str, Any] | None) -> str | None:
    """``"1000 ug/mL"`` from a Medication's first ingredient strength, if it is per mL."""
    if medication is None:
        return None
    for ingredient in as_list(medication.get("ingredient"))[:1]:
        strength = as_dict(as_dict(ingredient).get("strength"))
        num = as_dict(strength.get("numerator"))
        den = as_dict(strength.get("denominator"))
        value = number(num.get("value"))
        per = number(den.get("value"))
        unit = num.get("code") or num.get("unit")
        den_unit = str(den.get("code") or den.get("unit") or "").lower()
        if value is None or not per or not isinstance(unit, str) or den_unit not in _ML:
            return None
        amount = number(value / per)
        return f"{amount} {unit}/mL"
    return None


def _dose(dosage: dict[str, Any], medication: dict[str, Any] | None) -> Any:
    dose = as_dict(dosage.get("dose"))
    value = number(dose.get("value"))
    unit = dose.get("unit") if isinstance(dose.get("unit"), str) else None
    unit_code = dose.get("code") if isinstance(dose.get("code"), str) else None
    if value is None:
        written = dosage.get("text")
        return written if isinstance(written, str) and written else None
    chosen = unit_code or unit
    if chosen and chosen.lower() in _ML:
        concentration = _concentration(medication)
        if concentration:
            return {"volume_ml": value, "concentration": concentration}
    return {"value": value, "unit": chosen} if chosen else {"value": value}


def _administration(
    index: Index,
    linked: tuple[dict[str, Any], dict[str, Any]],
    indication: list[str],
    codes: list[str],
) -> dict[str, Any]:
    data, within = linked
    concept, medication = _medication(index, data, within)
    admin = _named(concept, "drug")
    dosage = as_dict(data.get("dosage"))
    dose = _dose(dosage, medication)
    if dose is not None:
        admin["dose"] = dose
    route = as_dict(dosage.get("route"))
    route_value = code(route, [SNOMED]) or text(route) or code(route)
    if route_value:
        admin["route"] = route_value
    site = text(dosage.get("site"))
    if site:
        admin["site"] = site
    time = data.get("effectiveDateTime") or as_dict(data.get("effectivePeriod")).get("start")
    if isinstance(time, str):
        admin["time"] = time
    reasons = list(as_list(data.get("reasonCode")))
    for ref in as_list(data.get("reasonReference")):
        condition = index.resolve(ref, within)
        if condition is not None:
            reasons.append(condition.get("code"))
    for concept in reasons:
        written = text(concept)
        if written and written not in indication:
            indication.append(written)
        found = code(concept, ICD10)
        if found and found not in codes:
            codes.append(found)
    return admin


def _linked(
    index: Index, claim: dict[str, Any], dates: set[str]
) -> list[tuple[dict[str, Any], dict[str, Any]]]:
    """The claim's administrations, each with the resource its ``#id`` references live in."""
    linked = []
    for info in as_list(claim.get("supportingInfo")):
        reference = as_dict(as_dict(info).get("valueReference"))
        data = index.resolve(reference, claim)
        if data is not None and data.get("resourceType") == "MedicationAdministration":
            inside = str(reference.get("reference", "")).startswith("#")
            linked.append((data, claim if inside else data))
    if linked:
        return linked
    scope = _scope(claim)
    patient = index.patient_key(claim.get("patient"), claim, scope)
    out = []
    for when in sorted(dates):
        for data in index.administrations.get(when, ()):
            if index.patient_key(data.get("subject"), data, "") == patient:
                out.append((data, data))
    return out


def _given_on(administration: dict[str, Any], dos: str | None) -> bool:
    """Whether an administration belongs to the encounter's date (undated ones do)."""
    effective = administration.get("effectiveDateTime") or as_dict(
        administration.get("effectivePeriod")
    ).get("start")
    when = day(effective)
    return when is None or dos is None or when == dos


def claim_record(
    index: Index, claim: dict[str, Any], on: str | None = None
) -> tuple[dict[str, Any], bool]:
    """The native record of one Claim or ExplanationOfBenefit, and whether it has a chart.

    ``on``: only the visit of that date (a professional claim billing several dates is read
    as one encounter per date, ``id@YYYY-MM-DD``, as the 837P reader reads one; items without
    a date belong to the earliest)."""
    record: dict[str, Any] = {"encounter_id": encounter_id(claim)}
    if on is not None and record["encounter_id"]:
        record["encounter_id"] = f"{record['encounter_id']}@{on}"
    if claim.get("resourceType") == "ExplanationOfBenefit":
        record["adjudicated"] = True
    scope = _scope(claim)
    patient = patient_id(index, claim.get("patient"), claim, scope)
    if patient:
        record["patient_id"] = patient
    codes, positions = _diagnoses(index, claim)
    record["diagnoses"] = codes
    items = sorted(
        (as_dict(i) for i in as_list(claim.get("item"))),
        key=lambda i: seq(i.get("sequence")),
    )
    lines = [item_line(item, positions) for item in items]
    drug = prescribed_drug(index, claim)
    if drug:
        _apply_drug(lines, items, drug)
    if on is not None:
        earliest = min(line["date"] for line in lines if "date" in line)
        lines = [line for line in lines if line.get("date", earliest) == on]
    record["lines"] = lines
    kind = claim_type(claim)
    if kind:
        record["claim_type"] = kind
    if kind == "institutional":
        bill = type_of_bill(claim)
        if bill:
            record["type_of_bill"] = bill
    dates = sorted({line["date"] for line in lines if "date" in line})
    dos = dates[0] if dates else day(as_dict(claim.get("billablePeriod")).get("start"))
    if dos:
        record["date_of_service"] = dos
    for item in items:
        location = item.get("locationCodeableConcept")
        pos = code(location, POS) or code(location)
        if pos:
            record["place_of_service"] = pos
            break
    rendering = _rendering(index, claim, kind == "institutional")
    if rendering:
        record["rendering_npi"] = rendering
    found = payer(index, claim)
    if found:
        record["payer"] = found
    administrations = [
        pair
        for pair in _linked(index, claim, {dos} if dos else set())
        if pair[0].get("status") not in NOT_GIVEN and _given_on(pair[0], dos)
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


def unmappable(claim: dict[str, Any], record: dict[str, Any]) -> str | None:
    """Why a claim gives no checkable record (no id, no service date), in FHIR terms."""
    if not record.get("encounter_id"):
        return f"{label(claim)}: no identifier or id to report it by: not checked"
    if not record.get("date_of_service"):
        return (
            f"{label(claim)}: no service date (item servicedDate / servicedPeriod or "
            "billablePeriod.start): not checked"
        )
    return None


def encounter_items(
    index: Index, claims: Iterable[Resource], limits: Limits = DEFAULT_LIMITS
) -> Iterator[Item]:
    """One record (or input error) per claim, in the order given, with its linked chart."""
    charted = index.charted_patients() if index.has_administrations else frozenset()
    for resource in claims:
        record, linked = claim_record(index, resource.data)
        dates = visit_dates(record)
        if len(dates) < 2:
            yield from _items(index, resource, record, linked, charted, limits)
            continue
        for on in dates:
            part, part_linked = claim_record(index, resource.data, on)
            yield from _items(index, resource, part, part_linked, charted, limits)


def visit_dates(record: dict[str, Any]) -> list[str]:
    """The dates of service a professional record's lines bill (an institutional bill covers
    its statement period: one encounter)."""
    if record.get("claim_type") == "institutional":
        return []
    return sorted({line["date"] for line in record.get("lines") or () if line.get("date")})


def _items(
    index: Index,
    resource: Resource,
    record: dict[str, Any],
    linked: bool,
    charted: frozenset[str | None],
    limits: Limits,
) -> Iterator[Item]:
    """The record of one claim (or one of its visits) as an item, or its input error."""
    problem = unmappable(resource.data, record)
    if problem is not None:
        yield InputError(
            resource.source,
            problem,
            encounter_id=record.get("encounter_id"),
            rule_id="B12-INPUT-002",
        )
        return
    item = to_item(record, resource.source, has_chart=linked, limits=limits, check_depth=False)
    if isinstance(item, Record) and charted and not linked:
        data = resource.data
        patient = index.patient_key(data.get("patient"), data, _scope(data))
        item.chart_missing = patient in charted
    yield item


__all__ = [
    "Index",
    "Resource",
    "claim_record",
    "claim_type",
    "encounter_items",
    "label",
    "prescribed_drug",
    "type_of_bill",
    "unmappable",
]
