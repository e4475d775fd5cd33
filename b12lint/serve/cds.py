"""The CDS Hooks 2.0 service: what the chart must show for a B12 injection order to be billable.

On ``order-sign`` and ``order-select`` the draft MedicationRequests for injectable B12 are read
with the prefetched Patient, active Conditions, recent MedicationAdministrations and Coverage;
each order becomes a draft encounter (the order's dose, route, reason and phase as the chart,
J3420/J3425 + 96372 as the claim it would produce) and earlier B12 administrations become the
patient's earlier encounters. The same rule packs as the CLI judge it, and the findings of the
chart categories (indication, dose, route, frequency) become cards naming their rule and source.
For an Original Medicare patient whose documented indication is not covered, an ABN card says
so: order time is when an ABN must be given. Cards ask for documentation; a rule message never
proposes a diagnosis.
"""

from __future__ import annotations

import datetime as dt
import math
import uuid
from collections.abc import Mapping
from typing import Any

from b12lint.domain import drug_kind, parse_dose
from b12lint.engine import Router, run
from b12lint.model import Finding, RuleInfo

SERVICE_ID = "b12lint-b12-injection"
HOOKS = ("order-sign", "order-select")
ICD10 = "http://hl7.org/fhir/sid/icd-10-cm"
SOPT = ("https://nahdo.org/sopt", "urn:oid:2.16.840.1.113883.3.221.5")
CARD_CATEGORIES = frozenset({"indication", "dose", "route", "frequency"})
INDICATORS = {"error": "warning", "warning": "warning", "info": "info"}
REPLETION = ("repletion", "loading", "initial", "induction", "acute")
MAINTENANCE = ("maintenance", "monthly")
ABN_SOURCE = {
    "label": "CMS: Advance Beneficiary Notice of Non-coverage (CMS-R-131)",
    "url": "https://www.cms.gov/medicare/forms-notices/beneficiary-notices-initiative/ffs-abn",
}
PREFETCH = {
    "patient": "Patient/{{context.patientId}}",
    "conditions": "Condition?patient={{context.patientId}}&clinical-status=active",
    "administrations": "MedicationAdministration?patient={{context.patientId}}&_count=50",
    "coverage": "Coverage?patient={{context.patientId}}&status=active",
}


class HookError(ValueError):
    """A hook request that is not what the service serves (400)."""


def discovery() -> dict[str, Any]:
    """The ``/cds-services`` document."""
    return {
        "services": [
            {
                "hook": hook,
                "id": SERVICE_ID if hook == "order-sign" else f"{SERVICE_ID}-select",
                "title": "B12 injection billing documentation",
                "description": "What the chart must show for a vitamin B12 injection to be "
                "billable: a covered indication, a dose in mcg, an IM/SC route, the phase, the "
                "days since the last injection in maintenance; an ABN card for Original "
                "Medicare when the indication is not covered.",
                "prefetch": PREFETCH,
            }
            for hook in HOOKS
        ]
    }


def _resources(bundle: Any, kind: str | None = None) -> list[dict[str, Any]]:
    if isinstance(bundle, Mapping) and bundle.get("resourceType") == "Bundle":
        found = [e.get("resource") for e in bundle.get("entry") or [] if isinstance(e, Mapping)]
    elif isinstance(bundle, Mapping) and "resourceType" in bundle:
        found = [bundle]
    else:
        found = []
    return [
        r for r in found if isinstance(r, dict) and (kind is None or r.get("resourceType") == kind)
    ]


def _codings(concept: Any) -> list[Mapping[str, Any]]:
    if not isinstance(concept, Mapping):
        return []
    return [c for c in concept.get("coding") or [] if isinstance(c, Mapping)]


def _text(concept: Any) -> str:
    if not isinstance(concept, Mapping):
        return ""
    parts = [str(concept.get("text") or "")]
    parts += [str(c.get("display") or "") for c in _codings(concept)]
    return " ".join(p for p in parts if p)


def _icd10(concept: Any) -> list[str]:
    return [str(c["code"]) for c in _codings(concept) if c.get("system") == ICD10 and c.get("code")]


def payer_type(coverages: list[dict[str, Any]]) -> str | None:
    """FORMATS.md payer type of the first active Coverage (SOPT codes)."""
    for coverage in coverages:
        for coding in _codings(coverage.get("type")):
            if coding.get("system") not in SOPT:
                continue
            code = str(coding.get("code") or "")
            if code.startswith("11"):
                return "medicare_advantage"
            if code.startswith("1"):
                return "medicare"
            if code.startswith("2"):
                return "medicaid"
            if code[:1] in ("5", "6"):
                return "commercial"
            return "other"
    return None


def _medication_text(resource: Mapping[str, Any]) -> str:
    return _text(resource.get("medicationCodeableConcept"))


def _dose(dosage: Mapping[str, Any]) -> dict[str, Any] | None:
    for rate in dosage.get("doseAndRate") or []:
        quantity = rate.get("doseQuantity") if isinstance(rate, Mapping) else None
        if isinstance(quantity, Mapping) and isinstance(quantity.get("value"), int | float):
            unit = quantity.get("code") or quantity.get("unit") or ""
            return {"value": quantity["value"], "unit": str(unit).replace("ug", "mcg")}
    quantity = dosage.get("dose")  # MedicationAdministration.dosage.dose
    if isinstance(quantity, Mapping) and isinstance(quantity.get("value"), int | float):
        unit = quantity.get("code") or quantity.get("unit") or ""
        return {"value": quantity["value"], "unit": str(unit).replace("ug", "mcg")}
    return None


def _route(dosage: Mapping[str, Any]) -> Any:
    route = dosage.get("route")
    for coding in _codings(route):
        if coding.get("code"):
            return str(coding["code"])
    return _text(route) or None


def _phase(text: str) -> str | None:
    lowered = text.lower()
    if any(word in lowered for word in REPLETION):
        return "repletion"
    if any(word in lowered for word in MAINTENANCE):
        return "maintenance"
    return None


def _lines(drug: str, dose: Any, pointers: list[int]) -> list[dict[str, Any]]:
    parsed = parse_dose(dose)
    mcg = parsed.mcg if parsed is not None else None
    code, size = ("J3425", 10) if drug == "hydroxocobalamin" else ("J3420", 1000)
    units = max(1, math.ceil(mcg / size)) if isinstance(mcg, int | float) and mcg > 0 else 1
    lines = [{"code": code, "units": units, "dx_pointers": pointers}]
    lines.append({"code": "96372", "units": 1, "dx_pointers": pointers})
    return lines


def _day(value: Any) -> str | None:
    return value[:10] if isinstance(value, str) and len(value) >= 10 else None


def draft_records(
    request: Mapping[str, Any], today: dt.date
) -> tuple[list[dict[str, Any]], list[str]]:
    """The draft encounter of each B12 injection order, then the patient's earlier B12
    administrations as encounters; and which prefetch keys were missing."""
    context = request.get("context")
    if not isinstance(context, Mapping):
        raise HookError("the request has no context")
    patient = str(context.get("patientId") or "patient")
    prefetch = request.get("prefetch") or {}
    if not isinstance(prefetch, Mapping):
        raise HookError("prefetch must be an object")
    missing = [key for key in ("conditions", "administrations", "coverage") if key not in prefetch]
    conditions = _resources(prefetch.get("conditions"), "Condition")
    diagnoses = [code for c in conditions for code in _icd10(c.get("code"))]
    payer = payer_type(_resources(prefetch.get("coverage"), "Coverage"))
    orders = [
        order
        for order in _resources(context.get("draftOrders"), "MedicationRequest")
        if drug_kind(_medication_text(order)) in ("cyanocobalamin", "hydroxocobalamin")
    ]
    records: list[dict[str, Any]] = []
    for n, order in enumerate(orders, start=1):
        reasons = [code for r in order.get("reasonCode") or [] for code in _icd10(r)]
        codes = list(dict.fromkeys([*reasons, *diagnoses]))
        pointers = list(range(1, min(len(codes), 4) + 1))
        dosages = [d for d in order.get("dosageInstruction") or [] if isinstance(d, Mapping)]
        dosage: Mapping[str, Any] = dosages[0] if dosages else {}
        drug = drug_kind(_medication_text(order)) or "cyanocobalamin"
        dose = _dose(dosage)
        notes = " ".join(str(n.get("text") or "") for n in order.get("note") or [])
        reason_text = " ".join(_text(r) for r in order.get("reasonCode") or [])
        record: dict[str, Any] = {
            "encounter_id": f"order-{order.get('id') or n}",
            "patient_id": patient,
            "date_of_service": (_day(order.get("authoredOn")) or today.isoformat()),
            "diagnoses": codes,
            "documentation": {
                "indication": reason_text or None,
                "indication_codes": reasons,
                "phase": _phase(f"{notes} {dosage.get('text') or ''}"),
                "administrations": [
                    {"drug": drug, "dose": dose, "route": _route(dosage)},
                ],
            },
            "lines": _lines(drug, dose, pointers),
        }
        if payer:
            record["payer"] = {"type": payer}
        records.append(record)
    for n, given in enumerate(_resources(prefetch.get("administrations"))):
        if given.get("resourceType") != "MedicationAdministration":
            continue
        given_drug = drug_kind(_medication_text(given))
        day = _day(given.get("effectiveDateTime")) or _day(
            (given.get("effectivePeriod") or {}).get("start")
        )
        if given_drug not in ("cyanocobalamin", "hydroxocobalamin") or day is None:
            continue
        raw_dosage = given.get("dosage")
        dosage = raw_dosage if isinstance(raw_dosage, Mapping) else {}
        records.append(
            {
                "encounter_id": f"given-{n}",
                "patient_id": patient,
                "date_of_service": day,
                "documentation": {
                    "administrations": [
                        {"drug": given_drug, "dose": _dose(dosage), "route": _route(dosage)}
                    ]
                },
                "lines": _lines(given_drug, _dose(dosage), []),
            }
        )
    return records, missing


def _card(finding: Finding, info: RuleInfo | None) -> dict[str, Any]:
    summary = (info.summary if info else finding.message)[:140]
    references = info.references if info else ()
    url = next((r.get("url") for r in references if isinstance(r, Mapping) and r.get("url")), None)
    source: dict[str, Any] = {"label": f"b12lint {finding.rule_id}"}
    if url:
        source["url"] = url
    return {
        "uuid": str(uuid.uuid4()),
        "summary": summary,
        "detail": finding.message,
        "indicator": INDICATORS[finding.severity],
        "source": source,
    }


def cards(
    request: Mapping[str, Any],
    router: Router,
    rules: Mapping[str, RuleInfo],
    today: dt.date | None = None,
) -> dict[str, Any]:
    """The CDS Hooks response (``{"cards": [...]}``) for one hook request."""
    if request.get("hook") not in HOOKS:
        raise HookError(f"this service answers {', '.join(HOOKS)}")
    records, missing = draft_records(request, today or dt.date.today())
    drafts = {r["encounter_id"]: r for r in records if r["encounter_id"].startswith("order-")}
    if not drafts:
        return {"cards": []}
    result = run(records, router)
    out: list[dict[str, Any]] = []
    abn = False
    for finding in result.findings:
        if finding.encounter_id not in drafts or finding.category not in CARD_CATEGORIES:
            continue
        out.append(_card(finding, rules.get(finding.rule_id)))
        payer = drafts[finding.encounter_id].get("payer") or {}
        if (
            finding.category == "indication"
            and finding.severity == "error"
            and payer.get("type") == "medicare"
        ):
            abn = True
    if abn:
        out.append(
            {
                "uuid": str(uuid.uuid4()),
                "summary": "Original Medicare: give an ABN before this B12 injection",
                "detail": "The documented indication is not one Medicare covers for B12 "
                "injections. If the injection is still to be given, the patient must receive "
                "an Advance Beneficiary Notice (CMS-R-131) before it, and the claim then carries "
                "modifier GA. Document the indication that supports the injection if there is "
                "one.",
                "indicator": "warning",
                "source": ABN_SOURCE,
            }
        )
    if missing:
        out.append(
            {
                "uuid": str(uuid.uuid4()),
                "summary": "Some checks were not run: prefetch data missing",
                "detail": "The EHR did not send: " + ", ".join(missing) + ". b12lint "
                "fetches nothing itself; the checks that need them were not run.",
                "indicator": "info",
                "source": {"label": "b12lint"},
            }
        )
    return {"cards": out}
