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
            entry["fullUrl"] = f"urn:example:{r['resourceType']}/{r.get('id', len(entries))}"
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


B12_LINES = [("J3420", 1, 12.0), ("96372", 1, 25.0)]

# ExplanationOfBenefit shapes: CARIN Blue Button and CMS Blue Button 2.0 (v2).
BB_VAR = "https://bluebutton.cms.gov/resources/variables/"
BB_HCPCS = "https://bluebutton.cms.gov/resources/codesystem/hcpcs"
BB_EOB_TYPE = "https://bluebutton.cms.gov/resources/codesystem/eob-type"
C4BB_ID = "http://hl7.org/fhir/us/carin-bb/CodeSystem/C4BBIdentifierType"
C4BB_ROLE = "http://hl7.org/fhir/us/carin-bb/CodeSystem/C4BBClaimCareTeamRole"
CLAIM_TYPE = "http://terminology.hl7.org/CodeSystem/claim-type"


def npi_ref(value):
    """A provider reference by an identifier typed npi, without a system (Blue Button)."""
    return {
        "identifier": {
            "type": {"coding": [{"system": C4BB_ID, "code": "npi"}]},
            "value": value,
        }
    }


def eob(cid, pid, date, items, dx, *, bb=False, coverage="Coverage/cov1", npi="1234567893"):
    """An ExplanationOfBenefit billing ``items`` ((code, units, charge) like :func:`claim`).

    ``bb``: the CMS Blue Button 2.0 carrier shape (Blue Button code systems, the units
    extension instead of ``quantity``, the NDC as an extension on ``productOrService``, no
    insurer, provider, outcome or ``insurance.focal``); else the CARIN shape.
    """
    e = {
        "resourceType": "ExplanationOfBenefit",
        "id": f"carrier-{cid.lower()}",
        "identifier": [
            {
                "type": {"coding": [{"system": C4BB_ID, "code": "uc"}]},
                "system": BB_VAR + "clm_id" if bb else "urn:example:claims",
                "value": cid,
            },
            {
                "type": {"coding": [{"system": C4BB_ID, "code": "uc"}]},
                "system": "https://bluebutton.cms.gov/resources/identifier/claim-group",
                "value": "G-" + cid,
            },
        ],
        "status": "active",
        "type": {
            "coding": [
                {"system": BB_VAR + "nch_clm_type_cd", "code": "71"},
                {"system": BB_EOB_TYPE, "code": "CARRIER"},
                {"system": CLAIM_TYPE, "code": "professional"},
            ]
        },
        "use": "claim",
        "patient": {"reference": f"Patient/{pid}"},
        "billablePeriod": {"start": date, "end": date},
        "created": "2026-04-01T00:00:00+00:00",
        "careTeam": [
            {
                "sequence": 1,
                "provider": npi_ref("1497758544"),
                "role": {"coding": [{"system": C4BB_ROLE, "code": "referring"}]},
            },
            {
                "sequence": 2,
                "provider": npi_ref(npi),
                "responsible": True,
                "role": {"coding": [{"system": C4BB_ROLE, "code": "performing"}]},
            },
        ],
        "diagnosis": [
            {
                "sequence": i + 1,
                "diagnosisCodeableConcept": {"coding": [{"system": ICD, "code": d}]},
            }
            for i, d in enumerate(dx)
        ],
        "insurance": [{"coverage": {"reference": coverage}}],
        "item": [],
    }
    if not bb:
        e["insurer"] = {"display": "Medicare Part B"}
        e["provider"] = {"display": "Clinic"}
        e["outcome"] = "complete"
        e["insurance"][0]["focal"] = True
    for n, it in enumerate(items, 1):
        item = {
            "sequence": n,
            "careTeamSequence": [2],
            "diagnosisSequence": [1],
            "productOrService": {
                "coding": [
                    {
                        "system": BB_HCPCS if bb else HCPCS if it[0].startswith("J") else CPT,
                        "code": it[0],
                    }
                ]
            },
            "servicedPeriod" if bb else "servicedDate": {"start": date, "end": date}
            if bb
            else date,
            "locationCodeableConcept": {
                "coding": [
                    {"system": BB_VAR + "line_place_of_srvc_cd" if bb else POS, "code": "11"}
                ]
            },
            "adjudication": [
                {
                    "category": {
                        "coding": [
                            {
                                "system": "http://terminology.hl7.org/CodeSystem/adjudication",
                                "code": "submitted",
                            }
                        ]
                    },
                    "amount": {"value": it[2], "currency": "USD"},
                }
            ],
            "net": {"value": it[2], "currency": "USD"},
        }
        if bb:
            item["extension"] = [
                {"url": BB_VAR + "carr_line_mtus_cnt", "valueQuantity": {"value": it[1]}},
                {
                    "url": BB_VAR + "carr_line_mtus_cnt",
                    "valueCoding": {"system": BB_VAR + "carr_line_mtus_cnt", "code": "3"},
                },
            ]
        else:
            item["quantity"] = {"value": it[1]}
        if it[0] == "J3420":
            if bb:
                item["productOrService"]["extension"] = [
                    {"url": NDC, "valueCoding": {"system": NDC, "code": "00517003101"}}
                ]
            else:
                item["detail"] = [
                    {
                        "sequence": 1,
                        "productOrService": {"coding": [{"system": NDC, "code": "00517003101"}]},
                        "quantity": {"value": 1, "unit": "mL", "code": "mL"},
                    }
                ]
        e["item"].append(item)
    return e


def contained_claim(cid, date, patient=None, items=(("J3420", 1, 12.0), ("96372", 1, 25.0))):
    """A claim whose patient is contained in it as ``#pat`` (``patient``: its identifier)."""
    c = claim(cid, "unused", date, list(items), ["D51.0"])
    pat: dict[str, Any] = {"resourceType": "Patient", "id": "pat"}
    if patient:
        pat["identifier"] = [{"system": "urn:example:mrn", "value": patient}]
    c["contained"] = [pat]
    c["patient"] = {"reference": "#pat"}
    return c


RXNORM = "http://www.nlm.nih.gov/research/umls/rxnorm"


def synthea_pharmacy(uid, patient_uuid, date, kind="MedicationRequest"):
    """Synthea's R4 medication claim: an item naming the drug by RxNorm, ``prescription``
    referring to the order by ``urn:uuid``; and the order (or a dispense) it names."""
    drug = {
        "coding": [
            {
                "system": RXNORM,
                "code": "1855722",
                "display": "cyanocobalamin 1 MG/ML Injectable Solution",
            },
            {"system": NDC, "code": "00517003101"},
        ],
        "text": "cyanocobalamin 1 MG/ML Injectable Solution",
    }
    order: dict[str, Any] = {
        "resourceType": kind,
        "id": f"rx-{uid}",
        "status": "completed",
        "medicationCodeableConcept": drug,
        "subject": {"reference": f"urn:uuid:{patient_uuid}"},
    }
    if kind == "MedicationRequest":
        order["intent"] = "order"
        order["authoredOn"] = f"{date}T09:00:00-05:00"
    else:
        order["quantity"] = {"value": 1, "unit": "mL", "code": "mL"}
        order["whenHandedOver"] = f"{date}T09:00:00-05:00"
    c = {
        "resourceType": "Claim",
        "id": f"claim-{uid}",
        "status": "active",
        "type": {"coding": [{"system": CLAIM_TYPE, "code": "pharmacy"}]},
        "use": "claim",
        "patient": {"reference": f"urn:uuid:{patient_uuid}"},
        "billablePeriod": {"start": f"{date}T09:00:00-05:00", "end": f"{date}T09:30:00-05:00"},
        "created": f"{date}T09:30:00-05:00",
        "provider": {"display": "Synthea clinic"},
        "priority": {"coding": [{"code": "normal"}]},
        "prescription": {"reference": f"urn:uuid:rx-{uid}"},
        "insurance": [{"sequence": 1, "focal": True, "coverage": {"display": "Medicare"}}],
        "item": [{"sequence": 1, "productOrService": drug}],
        "total": {"value": 12.0, "currency": "USD"},
    }
    return c, order


def synthea_eob(claim_resource):
    """Synthea's EOB of a claim: the same items, ``claim`` referring to it by ``urn:uuid``."""
    return {
        "resourceType": "ExplanationOfBenefit",
        "id": "eob-" + claim_resource["id"],
        "identifier": [{"system": "https://bluebutton.cms.gov/resources/variables/clm_id",
                        "value": "eob-" + claim_resource["id"]}],
        "status": "active",
        "type": claim_resource["type"],
        "use": "claim",
        "patient": claim_resource["patient"],
        "billablePeriod": claim_resource["billablePeriod"],
        "created": claim_resource["created"],
        "insurer": {"display": "Medicare"},
        "provider": claim_resource["provider"],
        "claim": {"reference": f"urn:uuid:{claim_resource['id']}"},
        "outcome": "complete",
        "insurance": [{"focal": True, "coverage": {"display": "Medicare"}}],
        "item": claim_resource["item"],
    }  # fmt: skip


def entry_bundle(resources, urn=True):
    """A Synthea-style transaction bundle: every fullUrl ``urn:uuid:<id>``."""
    return {
        "resourceType": "Bundle",
        "type": "transaction",
        "entry": [
            {"fullUrl": f"urn:uuid:{r['id']}" if urn else None, "resource": r} for r in resources
        ],
    }
