"""Build FHIR R4 resources and bundles for tests (valid per fhir.resources R4B)."""

from __future__ import annotations

import json
from typing import Any

HCPCS = "https://www.cms.gov/Medicare/Coding/HCPCSReleaseCodeSets"
CPT = "http://www.ama-assn.org/go/cpt"
ICD = "http://hl7.org/fhir/sid/icd-10-cm"
NDC = "http://hl7.org/fhir/sid/ndc"
SCT = "http://snomed.info/sct"
POS = "https://www.cms.gov/Medicare/Coding/place-of-service-codes/Place_of_Service_Code_Set"


def patient(pid, ident):
    return {
        "resourceType": "Patient",
        "id": pid,
        "identifier": [{"system": "urn:example:mrn", "value": ident}],
    }


def condition(cid, pid, code, text):
    return {
        "resourceType": "Condition",
        "id": cid,
        "subject": {"reference": f"Patient/{pid}"},
        "code": {"coding": [{"system": ICD, "code": code}], "text": text},
    }


def admin(
    mid,
    pid,
    date,
    route,
    dose=1000,
    unit="ug",
    reason=None,
    status="completed",
    drug="cyanocobalamin",
):
    ma = {
        "resourceType": "MedicationAdministration",
        "id": mid,
        "status": status,
        "medicationCodeableConcept": {
            "coding": [
                {
                    "system": NDC,
                    "code": "00517003101",
                    "display": "cyanocobalamin 1000 mcg/mL injection",
                }
            ],
            "text": drug,
        },
        "subject": {"reference": f"Patient/{pid}"},
        "effectiveDateTime": f"{date}T10:15:00-05:00",
        "dosage": {
            "route": {"coding": [{"system": SCT, "code": route}]},
            "dose": {
                "value": dose,
                "unit": unit,
                "system": "http://unitsofmeasure.org",
                "code": unit,
            },
        },
    }
    if reason:
        ma["reasonReference"] = [{"reference": f"Condition/{reason}"}]
    return ma


def claim(cid, pid, date, items, dx, support=None):
    c = {
        "resourceType": "Claim",
        "id": cid.lower(),
        "identifier": [{"system": "urn:example:claims", "value": cid}],
        "status": "active",
        "type": {
            "coding": [
                {
                    "system": "http://terminology.hl7.org/CodeSystem/claim-type",
                    "code": "professional",
                }
            ]
        },
        "use": "claim",
        "patient": {"reference": f"Patient/{pid}"},
        "created": date,
        "provider": {"reference": "Practitioner/pr1"},
        "priority": {"coding": [{"code": "normal"}]},
        "careTeam": [
            {
                "sequence": 1,
                "provider": {"reference": "Practitioner/pr1"},
                "role": {
                    "coding": [
                        {
                            "system": "http://terminology.hl7.org/CodeSystem/claimcareteamrole",
                            "code": "primary",
                        }
                    ]
                },
            }
        ],
        "diagnosis": [
            {
                "sequence": i + 1,
                "diagnosisCodeableConcept": {"coding": [{"system": ICD, "code": d}]},
            }
            for i, d in enumerate(dx)
        ],
        "insurance": [{"sequence": 1, "focal": True, "coverage": {"reference": "Coverage/cov1"}}],
        "item": [],
    }
    for n, it in enumerate(items, 1):
        item = {
            "sequence": n,
            "productOrService": {
                "coding": [{"system": HCPCS if it[0].startswith("J") else CPT, "code": it[0]}]
            },
            "servicedDate": date,
            "quantity": {"value": it[1]},
            "diagnosisSequence": [1],
            "locationCodeableConcept": {"coding": [{"system": POS, "code": "11"}]},
            "net": {"value": it[2], "currency": "USD"},
        }
        if it[0] == "J3420":
            item["detail"] = [
                {
                    "sequence": 1,
                    "productOrService": {"coding": [{"system": NDC, "code": "00517003101"}]},
                    "quantity": {"value": 1, "unit": "mL", "code": "ML"},
                }
            ]
        c["item"].append(item)
    if support:
        c["supportingInfo"] = [
            {
                "sequence": 1,
                "category": {
                    "coding": [
                        {
                            "system": "http://terminology.hl7.org/CodeSystem/claiminformationcategory",
                            "code": "info",
                        }
                    ]
                },
                "valueReference": {"reference": f"MedicationAdministration/{support}"},
            }
        ]
    return c


def bundle(resources: list[dict[str, Any]], urls: bool = True) -> dict[str, Any]:
    entries = []
    for r in resources:
        entry: dict[str, Any] = {"resource": r}
        if urls:
            entry["fullUrl"] = f"urn:example:{r['resourceType']}/{r['id']}"
        entries.append(entry)
    return {"resourceType": "Bundle", "id": "b1", "type": "collection", "entry": entries}


def base() -> list[dict[str, Any]]:
    """Patient, practitioner, payer and coverage every claim here refers to."""
    return [
        patient("p1", "PT-0601"),
        {
            "resourceType": "Practitioner",
            "id": "pr1",
            "identifier": [{"system": "http://hl7.org/fhir/sid/us-npi", "value": "1234567893"}],
        },
        {
            "resourceType": "Organization",
            "id": "org1",
            "name": "Medicare Part B",
            "identifier": [{"system": "urn:example:payer", "value": "00952"}],
        },
        {
            "resourceType": "Coverage",
            "id": "cov1",
            "status": "active",
            "beneficiary": {"reference": "Patient/p1"},
            "payor": [{"reference": "Organization/org1"}],
            "type": {"coding": [{"system": "https://nahdo.org/sopt", "code": "121"}]},
        },
    ]


def dumps(data: Any) -> bytes:
    return json.dumps(data, indent=1).encode()
