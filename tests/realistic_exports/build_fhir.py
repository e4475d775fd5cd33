"""The FHIR R4 files of the realistic export set, with their expectations.

Claims and ExplanationOfBenefits as payer APIs (CARIN Blue Button), EHR claim exports and
Synthea-like generators write them: Bundles (collection, searchset with paging, transaction),
NDJSON, a bulk-export directory and single resources, contained resources and references.
Expectations come from ../shared/DOMAIN.md and FORMATS.md, as for the X12 files.
"""

# ruff: noqa: E501

from __future__ import annotations

import json
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from build_x12 import NPI_CLINIC, NPI_DR_A, NPI_DR_B, NPI_HOSP, Expect

CPT = "http://www.ama-assn.org/go/cpt"
HCPCS = "https://www.cms.gov/Medicare/Coding/HCPCSReleaseCodeSets"
NDC_SYS = "http://hl7.org/fhir/sid/ndc"
ICD10 = "http://hl7.org/fhir/sid/icd-10-cm"
NPI_SYS = "http://hl7.org/fhir/sid/us-npi"
POS_SYS = "https://www.cms.gov/Medicare/Coding/place-of-service-codes/Place_of_Service_Code_Set"
C4BB_ID = "http://hl7.org/fhir/us/carin-bb/CodeSystem/C4BBIdentifierType"
C4BB_ADJ = "http://hl7.org/fhir/us/carin-bb/CodeSystem/C4BBAdjudication"
C4BB_SUPP = "http://hl7.org/fhir/us/carin-bb/CodeSystem/C4BBSupportingInfoType"
C4BB_ROLE = "http://hl7.org/fhir/us/carin-bb/CodeSystem/C4BBClaimCareTeamRole"
C4BB_DXTYPE = "http://hl7.org/fhir/us/carin-bb/CodeSystem/C4BBClaimDiagnosisType"
ADJ = "http://terminology.hl7.org/CodeSystem/adjudication"
CLAIM_TYPE = "http://terminology.hl7.org/CodeSystem/claim-type"
SOPT = "https://nahdo.org/sopt"
SNOMED = "http://snomed.info/sct"
RXNORM = "http://www.nlm.nih.gov/research/umls/rxnorm"
SOPT_TYPE = {"medicare": "121", "medicaid": "2", "commercial": "51", "medicare_advantage": "111"}


@dataclass
class FhirSpec:
    """One FHIR file (or bulk-export directory) of the set."""

    name: str
    kind: str
    description: str
    content: (
        Any  # a resource, a list of resources (NDJSON), or {file name: [resources]} (a directory)
    )
    claims: dict[str, Expect] = field(default_factory=dict)
    fields: dict[str, dict[str, Any]] = field(default_factory=dict)
    deviations: tuple[str, ...] = ()
    """Required R4 elements the real export leaves out (validation tolerates them)."""
    manifest: dict[str, Any] | None = None
    """A bulk export's completion manifest, saved beside its files as manifest.json."""

    def write(self, root: Path) -> None:
        """Write the file, the NDJSON or the directory."""
        path = root / self.name
        if self.kind == "fhir-bulk":
            path.mkdir()
            for fname, resources in self.content.items():
                (path / fname).write_text(
                    "".join(json.dumps(r) + "\n" for r in resources), encoding="utf-8"
                )
            if self.manifest is not None:
                text = json.dumps(self.manifest, indent=2) + "\n"
                (path / "manifest.json").write_text(text, encoding="utf-8")
        elif self.name.endswith(".ndjson"):
            end = "\r\n" if "CRLF" in self.description else "\n"
            path.write_bytes(
                (
                    "".join(json.dumps(r) + end for r in self.content)
                    + (end if end == "\r\n" else "")
                ).encode("utf-8")
            )
        else:
            path.write_text(json.dumps(self.content, indent=2) + "\n", encoding="utf-8")


def collection(
    resources: list[dict[str, Any]], base: str = "https://payer.example.org/fhir"
) -> dict[str, Any]:
    """A collection Bundle of resources, each with its full URL on ``base``."""
    entries = [
        {"fullUrl": f"{base}/{r['resourceType']}/{r['id']}", "resource": r} for r in resources
    ]
    return {"resourceType": "Bundle", "type": "collection", "entry": entries}


def coding(system: str, code: str, display: str | None = None) -> dict[str, Any]:
    """A Coding."""
    c: dict[str, Any] = {"system": system, "code": code}
    if display:
        c["display"] = display
    return c


def cc(
    system: str, code: str, display: str | None = None, text: str | None = None
) -> dict[str, Any]:
    """A CodeableConcept of one coding."""
    out: dict[str, Any] = {"coding": [coding(system, code, display)]}
    if text:
        out["text"] = text
    return out


def patient(pid: str, member: str, family: str, given: str, birth: str) -> dict[str, Any]:
    """A Patient with a member identifier."""
    return {
        "resourceType": "Patient", "id": pid,
        "identifier": [{"type": cc("http://terminology.hl7.org/CodeSystem/v2-0203", "MB"), "system": "https://example-payer.org/member", "value": member}],
        "name": [{"family": family, "given": [given]}], "gender": "female", "birthDate": birth,
    }  # fmt: skip


def practitioner(pid: str, npi: str) -> dict[str, Any]:
    """A Practitioner with an NPI."""
    return {
        "resourceType": "Practitioner",
        "id": pid,
        "identifier": [{"system": NPI_SYS, "value": npi}],
        "name": [{"family": "Welby", "given": ["Marcus"]}],
    }


def organization(
    oid: str, name: str, npi: str | None = None, payer_id: str | None = None
) -> dict[str, Any]:
    """An Organization (a payer or a provider)."""
    ident = (
        [{"system": NPI_SYS, "value": npi}]
        if npi
        else [{"system": "https://www.cms.gov/payer-id", "value": payer_id}]
    )
    return {
        "resourceType": "Organization",
        "id": oid,
        "identifier": ident,
        "name": name,
        "active": True,
    }


def coverage(cid: str, patient_ref: str, payer_ref: str, kind: str) -> dict[str, Any]:
    """A Coverage with a SOPT type."""
    return {
        "resourceType": "Coverage", "id": cid, "status": "active",
        "type": cc(SOPT, SOPT_TYPE[kind]), "beneficiary": {"reference": patient_ref},
        "payor": [{"reference": payer_ref}], "subscriberId": "M" + cid,
    }  # fmt: skip


def item(
    seq: int,
    code: str,
    date: str,
    qty: float = 1,
    mods: tuple[str, ...] = (),
    dxseq: tuple[int, ...] = (1,),
    ndc: str | None = None,
    ndc_where: str = "coding",
    charge: float = 25.0,
    revenue: str | None = None,
    pos: str | None = "11",
    eob: bool = True,
) -> dict[str, Any]:
    """A Claim / EOB item."""
    system = CPT if code[0].isdigit() else HCPCS
    product: dict[str, Any] = {"coding": [coding(system, code)]}
    it: dict[str, Any] = {"sequence": seq}
    if dxseq:
        it["diagnosisSequence"] = list(dxseq)
    if revenue:
        it["revenue"] = cc("https://www.nubc.org/CodeSystem/RevenueCodes", revenue)
    it["productOrService"] = product
    if mods:
        it["modifier"] = [cc(CPT if m.isdigit() else HCPCS, m) for m in mods]
    it["servicedDate"] = date
    if pos:
        it["locationCodeableConcept"] = cc(POS_SYS, pos)
    it["quantity"] = {"value": qty}
    it["net"] = {"value": charge, "currency": "USD"}
    if ndc and ndc_where == "coding":
        product["coding"].append(coding(NDC_SYS, ndc))
    elif ndc and ndc_where == "detail":
        it["detail"] = [
            {
                "sequence": 1,
                "productOrService": cc(NDC_SYS, ndc),
                "quantity": {
                    "value": 1,
                    "unit": "mL",
                    "system": "http://unitsofmeasure.org",
                    "code": "mL",
                },
            }
        ]
    if eob:
        it["adjudication"] = [
            {"category": cc(ADJ, "submitted"), "amount": {"value": charge, "currency": "USD"}},
            {
                "category": cc(C4BB_ADJ, "paidtoprovider"),
                "amount": {"value": round(charge * 0.8, 2), "currency": "USD"},
            },
        ]
    return it


def diagnoses(codes: list[str], carin: bool = True) -> list[dict[str, Any]]:
    """Diagnoses with sequence; the first typed principal."""
    out = []
    for i, code in enumerate(codes, start=1):
        d: dict[str, Any] = {"sequence": i, "diagnosisCodeableConcept": cc(ICD10, code)}
        if carin:
            d["type"] = [
                cc(
                    C4BB_DXTYPE
                    if i > 1
                    else "http://terminology.hl7.org/CodeSystem/ex-diagnosistype",
                    "secondary" if i > 1 else "principal",
                )
            ]
        out.append(d)
    return out


def eob(
    eid: str,
    claim_id: str,
    patient_ref: str,
    cov_ref: str,
    payer_ref: str,
    prov_ref: str,
    dx: list[str],
    items: list[dict[str, Any]],
    institutional: bool = False,
    extra: dict[str, Any] | None = None,
) -> dict[str, Any]:
    """A CARIN-style ExplanationOfBenefit."""
    dates = sorted(i.get("servicedDate") or i["servicedPeriod"]["start"] for i in items)
    r: dict[str, Any] = {
        "resourceType": "ExplanationOfBenefit", "id": eid,
        "meta": {"profile": ["http://hl7.org/fhir/us/carin-bb/StructureDefinition/C4BB-ExplanationOfBenefit-" + ("Outpatient-Institutional" if institutional else "Professional-NonClinician")]},
        "identifier": [{"type": cc(C4BB_ID, "uc"), "system": "https://example-payer.org/claim", "value": claim_id}],
        "status": "active", "type": cc(CLAIM_TYPE, "institutional" if institutional else "professional"), "use": "claim",
        "patient": {"reference": patient_ref}, "billablePeriod": {"start": dates[0], "end": dates[-1]},
        "created": dates[-1] + "T12:00:00Z", "insurer": {"reference": payer_ref}, "provider": {"reference": prov_ref},
        "outcome": "complete",
        "careTeam": [{"sequence": 1, "provider": {"reference": prov_ref}, "role": cc(C4BB_ROLE, "performing")}],
        "supportingInfo": [{"sequence": 1, "category": cc(C4BB_SUPP, "clmrecvddate"), "timingDate": dates[-1]}],
        "insurance": [{"focal": True, "coverage": {"reference": cov_ref}}],
        "diagnosis": diagnoses(dx), "item": items,
        "total": [{"category": cc(ADJ, "submitted"), "amount": {"value": sum(i["net"]["value"] for i in items), "currency": "USD"}}],
    }  # fmt: skip
    if extra:
        r.update(extra)
    return r


def claim(
    cid: str,
    patient_ref: str,
    cov_ref: str,
    prov_ref: str,
    dx: list[str],
    items: list[dict[str, Any]],
    extra: dict[str, Any] | None = None,
) -> dict[str, Any]:
    """An EHR's FHIR Claim (professional)."""
    r: dict[str, Any] = {
        "resourceType": "Claim", "id": cid.lower(),
        "identifier": [{"system": "https://clinic.example.org/claim", "value": cid}],
        "status": "active", "type": cc(CLAIM_TYPE, "professional"), "use": "claim",
        "patient": {"reference": patient_ref}, "created": items[0]["servicedDate"] + "T17:00:00Z",
        "provider": {"reference": prov_ref}, "priority": cc("http://terminology.hl7.org/CodeSystem/processpriority", "normal"),
        "careTeam": [{"sequence": 1, "provider": {"reference": prov_ref}, "role": cc("http://terminology.hl7.org/CodeSystem/claimcareteamrole", "primary")}],
        "insurance": [{"sequence": 1, "focal": True, "coverage": {"reference": cov_ref}}],
        "diagnosis": diagnoses(dx, carin=False), "item": items,
        "total": {"value": sum(i["net"]["value"] for i in items), "currency": "USD"},
    }  # fmt: skip
    if extra:
        r.update(extra)
    return r


def b12_items(
    date: str,
    qty: float = 1,
    ndc: str | None = None,
    ndc_where: str = "coding",
    dxseq: tuple[int, ...] = (1,),
    eob_: bool = True,
) -> list[dict[str, Any]]:
    """J3420 then 96372."""
    return [
        item(
            1,
            "J3420",
            date,
            qty=qty,
            ndc=ndc,
            ndc_where=ndc_where,
            dxseq=dxseq,
            charge=12.0,
            eob=eob_,
        ),
        item(2, "96372", date, dxseq=dxseq, charge=25.0, eob=eob_),
    ]


def native(
    dx: list[str], items: list[dict[str, Any]], payer_type: str | None, rendering: str | None
) -> dict[str, Any]:
    """The native fields the reader must give for a claim."""
    lines = []
    for it in items:
        codes = [c for c in it["productOrService"]["coding"] if c["system"] in (CPT, HCPCS)]
        ndcs = [c["code"] for c in it["productOrService"]["coding"] if c["system"] == NDC_SYS]
        ndcs += [d["productOrService"]["coding"][0]["code"] for d in it.get("detail", [])]
        line: dict[str, Any] = {
            "code": codes[0]["code"],
            "units": float(it["quantity"]["value"]),
            "modifiers": [m["coding"][0]["code"] for m in it.get("modifier", [])],
            "date": it["servicedDate"],
        }
        if "revenue" in it:
            line["revenue_code"] = it["revenue"]["coding"][0]["code"]
        else:
            line["dx_pointers"] = it.get("diagnosisSequence", [])
        if ndcs:
            line["ndc"] = ndcs[0].replace("-", "")
        lines.append(line)
    out: dict[str, Any] = {"diagnoses": [d.replace(".", "") for d in dx], "lines": lines}
    if payer_type:
        out["payer_type"] = payer_type
    if rendering:
        out["rendering_npi"] = rendering
    return out


def record(
    spec: FhirSpec,
    cid: str,
    verdict: str,
    note: str,
    dx: list[str],
    items: list[dict[str, Any]],
    payer_type: str | None,
    rendering: str | None,
    xfail: str | None = None,
) -> None:
    """A claim's expectation and native fields."""
    spec.claims[cid] = Expect(verdict, note, xfail)
    spec.fields[cid] = native(dx, items, payer_type, rendering)


def f01() -> FhirSpec:
    """CARIN Blue Button EOBs in a collection Bundle with referenced Patient, Coverage, providers."""
    spec = FhirSpec(
        "f01_carin_eob_collection.json",
        "fhir",
        "CARIN BB professional EOBs in a Bundle (collection) with Patient, Coverage, Organization, Practitioner by relative reference; HCPCS coded with the CMS HCPCS system URI, NDC as a second coding of productOrService",
        None,
    )
    res = [
        patient("pat-f01a", "MBR1001", "Hartley", "Rose", "1948-03-12"),
        patient("pat-f01b", "MBR1002", "Okafor", "Jim", "1951-01-01"),
        organization("payer-f01", "Acme Health Plan", payer_id="60054"),
        organization("prov-f01", "Sunrise Family Medicine", npi=NPI_CLINIC),
        practitioner("pr-f01", NPI_DR_A),
        coverage("cov-f01a", "Patient/pat-f01a", "Organization/payer-f01", "commercial"),
        coverage("cov-f01b", "Patient/pat-f01b", "Organization/payer-f01", "commercial"),
    ]
    a_items = b12_items("2026-03-02", ndc="00517-0031-01")
    res.append(
        eob(
            "eob-f01a",
            "F01-A",
            "Patient/pat-f01a",
            "Coverage/cov-f01a",
            "Organization/payer-f01",
            "Practitioner/pr-f01",
            ["D51.0"],
            a_items,
        )
    )
    record(
        spec,
        "F01-A",
        "clean",
        "D51.0 covered; J3420 x1 with its NDC, 96372 x1",
        ["D51.0"],
        a_items,
        "commercial",
        NPI_DR_A,
    )
    b_items = [
        item(1, "99213", "2026-03-09", mods=("25",), dxseq=(2,), charge=95.0),
        *b12_items("2026-03-09", ndc="00517-0031-01"),
    ]
    for i, it in enumerate(b_items, start=1):
        it["sequence"] = i
    res.append(
        eob(
            "eob-f01b",
            "F01-B",
            "Patient/pat-f01b",
            "Coverage/cov-f01b",
            "Organization/payer-f01",
            "Practitioner/pr-f01",
            ["D51.0", "I10"],
            b_items,
        )
    )
    record(
        spec,
        "F01-B",
        "clean",
        "99213-25 for hypertension beside 96372 (PTP indicator 1 met); B12 lines point to D51.0",
        ["D51.0", "I10"],
        b_items,
        "commercial",
        NPI_DR_A,
    )
    c_items = [
        item(1, "90686", "2026-03-09", dxseq=(1,), charge=24.0),
        item(2, "90471", "2026-03-09", charge=20.0),
    ]
    res.append(
        eob(
            "eob-f01c",
            "F01-C",
            "Patient/pat-f01a",
            "Coverage/cov-f01a",
            "Organization/payer-f01",
            "Practitioner/pr-f01",
            ["Z23"],
            c_items,
        )
    )
    record(
        spec,
        "F01-C",
        "out_of_scope",
        "flu vaccine and its administration",
        ["Z23"],
        c_items,
        "commercial",
        NPI_DR_A,
    )
    spec.content = {"id": "carin-export-1", "timestamp": "2026-03-20T08:00:00Z", **collection(res)}
    return spec


def f02() -> FhirSpec:
    """A searchset page from a payer API: self/next links, match and include entries."""
    spec = FhirSpec(
        "f02_searchset_page.json",
        "fhir",
        "page 1 of a Patient Access API search (Bundle searchset, total 40, link next): EOBs (search.mode match) with the Patient and Coverage included; NDC in item.detail",
        None,
    )
    res = [
        ("include", patient("pat-f02", "MCD2001", "Nguyen", "Dana", "1979-06-24")),
        ("include", organization("payer-f02", "Oregon Health Plan", payer_id="ORDHS")),
        ("include", coverage("cov-f02", "Patient/pat-f02", "Organization/payer-f02", "medicaid")),
        ("include", practitioner("pr-f02", NPI_DR_B)),
    ]
    a_items = b12_items("2026-02-02", ndc="63323004441", ndc_where="detail")
    res.insert(
        0,
        (
            "match",
            eob(
                "eob-f02a",
                "F02-A",
                "Patient/pat-f02",
                "Coverage/cov-f02",
                "Organization/payer-f02",
                "Practitioner/pr-f02",
                ["E53.8", "K90.0"],
                a_items,
            ),
        ),
    )
    record(
        spec,
        "F02-A",
        "clean",
        "Medicaid B12 line with its NDC given in item.detail (CARIN/Blue Button v1 style): the NDC is there",
        ["E53.8", "K90.0"],
        a_items,
        "medicaid",
        NPI_DR_B,
    )
    b_items = b12_items("2026-03-02", qty=2, ndc="63323004441", ndc_where="detail")
    res.insert(
        1,
        (
            "match",
            eob(
                "eob-f02b",
                "F02-B",
                "Patient/pat-f02",
                "Coverage/cov-f02",
                "Organization/payer-f02",
                "Practitioner/pr-f02",
                ["E53.8", "K90.0"],
                b_items,
            ),
        ),
    )
    record(
        spec,
        "F02-B",
        "units",
        "J3420 quantity 2: over its MUE of 1 per date of service",
        ["E53.8", "K90.0"],
        b_items,
        "medicaid",
        NPI_DR_B,
    )
    spec.content = {
        "resourceType": "Bundle", "id": "search-7781", "type": "searchset", "total": 40,
        "link": [{"relation": "self", "url": "https://payer.example.org/fhir/ExplanationOfBenefit?patient=pat-f02&_include=*&_count=2"},
                 {"relation": "next", "url": "https://payer.example.org/fhir/ExplanationOfBenefit?patient=pat-f02&_include=*&_count=2&page=2"}],
        "entry": [{"fullUrl": f"https://payer.example.org/fhir/{r['resourceType']}/{r['id']}", "resource": r, "search": {"mode": mode}} for mode, r in res]
        + [{"resource": {"resourceType": "OperationOutcome", "id": "warn-1", "issue": [{"severity": "information", "code": "informational", "diagnostics": "results limited to claims processed since 2021-01-01"}]}, "search": {"mode": "outcome"}}],
    }  # fmt: skip
    return spec


def f03() -> FhirSpec:
    """NDJSON of mixed resources, one per line, references by urn:uuid."""
    spec = FhirSpec(
        "f03_mixed_resources.ndjson",
        "fhir",
        "NDJSON with Patient, Organization, Coverage, Practitioner and EOBs on their own lines; servicedPeriod instead of servicedDate; a category code D51",
        None,
    )
    res = [
        patient("pat-f03", "MA3001", "Fox", "Linda", "1950-05-05"),
        organization("payer-f03", "Humana Gold Plus", payer_id="61101"),
        coverage("cov-f03", "Patient/pat-f03", "Organization/payer-f03", "medicare_advantage"),
        practitioner("pr-f03", NPI_DR_A),
    ]
    a_items = b12_items("2026-01-06")
    for it in a_items:
        it["servicedPeriod"] = {"start": it["servicedDate"], "end": it["servicedDate"]}
        del it["servicedDate"]
    res.append(
        eob(
            "eob-f03a",
            "F03-A",
            "Patient/pat-f03",
            "Coverage/cov-f03",
            "Organization/payer-f03",
            "Practitioner/pr-f03",
            ["D51.9"],
            a_items,
            extra={"billablePeriod": {"start": "2026-01-06", "end": "2026-01-06"}},
        )
    )
    fields_items = [{**it, "servicedDate": "2026-01-06"} for it in a_items]
    record(
        spec,
        "F03-A",
        "clean",
        "Medicare Advantage (SOPT 111), D51.9 covered; item.servicedPeriod gives the date",
        ["D51.9"],
        fields_items,
        "medicare_advantage",
        NPI_DR_A,
    )
    b_items = b12_items("2026-02-09")
    res.append(
        eob(
            "eob-f03b",
            "F03-B",
            "Patient/pat-f03",
            "Coverage/cov-f03",
            "Organization/payer-f03",
            "Practitioner/pr-f03",
            ["D51"],
            b_items,
        )
    )
    record(
        spec,
        "F03-B",
        "diagnosis",
        "D51 is a category, not a billable code",
        ["D51"],
        b_items,
        "medicare_advantage",
        NPI_DR_A,
    )
    spec.content = res
    return spec


def f04() -> FhirSpec:
    """A bulk $export directory: one NDJSON per resource type."""
    spec = FhirSpec(
        "f04_bulk_export",
        "fhir-bulk",
        "a $export directory (Patient, Organization, Practitioner, Coverage, ExplanationOfBenefit .ndjson), references across files",
        None,
    )
    pats = [
        patient("pat-f04a", "B4001", "Brooks", "Tanya", "1966-07-21"),
        patient("pat-f04b", "B4002", "Lee", "Mike", "1970-01-30"),
    ]
    orgs = [organization("payer-f04", "Regence BCBS", payer_id="00851")]
    pracs = [practitioner("pr-f04", NPI_DR_B)]
    covs = [
        coverage("cov-f04a", "Patient/pat-f04a", "Organization/payer-f04", "commercial"),
        coverage("cov-f04b", "Patient/pat-f04b", "Organization/payer-f04", "commercial"),
    ]
    a_items = b12_items("2026-03-10", ndc="70710166301")
    b_items = [
        item(1, "99214", "2026-03-10", dxseq=(2,), charge=140.0),
        *b12_items("2026-03-10", ndc="70710166301"),
    ]
    for i, it in enumerate(b_items, start=1):
        it["sequence"] = i
    c_items = [item(1, "99213", "2026-03-11", dxseq=(1,), charge=95.0)]
    eobs = [
        eob(
            "eob-f04a",
            "F04-A",
            "Patient/pat-f04a",
            "Coverage/cov-f04a",
            "Organization/payer-f04",
            "Practitioner/pr-f04",
            ["D51.0"],
            a_items,
        ),
        eob(
            "eob-f04b",
            "F04-B",
            "Patient/pat-f04b",
            "Coverage/cov-f04b",
            "Organization/payer-f04",
            "Practitioner/pr-f04",
            ["D51.0", "E11.9"],
            b_items,
        ),
        eob(
            "eob-f04c",
            "F04-C",
            "Patient/pat-f04a",
            "Coverage/cov-f04a",
            "Organization/payer-f04",
            "Practitioner/pr-f04",
            ["J06.9"],
            c_items,
        ),
    ]
    record(
        spec,
        "F04-A",
        "clean",
        "D51.0, J3420 with NDC and 96372",
        ["D51.0"],
        a_items,
        "commercial",
        NPI_DR_B,
    )
    record(
        spec,
        "F04-B",
        "modifier",
        "99214 without 25 beside 96372 (NCCI PTP indicator 1)",
        ["D51.0", "E11.9"],
        b_items,
        "commercial",
        NPI_DR_B,
    )
    record(
        spec,
        "F04-C",
        "out_of_scope",
        "office visit for a cold",
        ["J06.9"],
        c_items,
        "commercial",
        NPI_DR_B,
    )
    spec.content = {
        "Patient.ndjson": pats,
        "Organization.ndjson": orgs,
        "Practitioner.ndjson": pracs,
        "Coverage.ndjson": covs,
        "ExplanationOfBenefit.ndjson": eobs,
    }
    return spec


def f05() -> FhirSpec:
    """One Claim resource, alone in its file, with contained Patient, Coverage and providers."""
    spec = FhirSpec(
        "f05_single_claim_contained.json",
        "fhir",
        "a single Claim (no Bundle) with contained Patient, Coverage, Organization and Practitioner (#refs); diagnosis sequence 2 listed first; Medicaid with the NDC and its quantity in item.detail",
        None,
    )
    items = b12_items("2026-03-12", ndc="00517003101", ndc_where="detail", dxseq=(1, 2), eob_=False)
    r = claim("F05-A", "#pat", "#cov", "#prac", ["E53.8", "K90.0"], items)
    r["diagnosis"] = list(reversed(r["diagnosis"]))
    r["contained"] = [
        patient("pat", "MCD5001", "Santos", "Maria", "1983-08-08"),
        organization("payer", "Oregon Health Plan", payer_id="ORDHS"),
        coverage("cov", "#pat", "#payer", "medicaid"),
        practitioner("prac", NPI_DR_A),
    ]
    r["careTeam"][0]["provider"] = {"reference": "#prac"}
    record(
        spec,
        "F05-A",
        "clean",
        "E53.8 (sequence 1) with K90.0; diagnosis array written in reverse order, sequence decides; Medicaid line has its NDC",
        ["E53.8", "K90.0"],
        items,
        "medicaid",
        NPI_DR_A,
    )
    spec.content = r
    return spec


def f06() -> FhirSpec:
    """One outpatient institutional EOB, alone, contained resources, type of bill."""
    spec = FhirSpec(
        "f06_single_eob_institutional.json",
        "fhir",
        "a single CARIN outpatient institutional EOB: contained resources, typeofbill 0131 supportingInfo, revenue 0636 J3420 and 0510 96372, no diagnosisSequence",
        None,
    )
    items = [
        item(
            1,
            "J3420",
            "2026-03-13",
            ndc="00517003101",
            revenue="0636",
            dxseq=(),
            charge=40.0,
            pos=None,
        ),
        item(2, "96372", "2026-03-13", revenue="0510", dxseq=(), charge=95.0, pos=None),
    ]
    r = eob(
        "eob-f06", "F06-A", "#pat", "#cov", "#payer", "#hosp", ["D51.0"], items, institutional=True
    )
    r["supportingInfo"].append(
        {
            "sequence": 2,
            "category": cc(C4BB_SUPP, "typeofbill"),
            "code": cc("https://www.nubc.org/CodeSystem/TypeOfBill", "0131"),
        }
    )
    r["careTeam"] = [
        {"sequence": 1, "provider": {"reference": "#att"}, "role": cc(C4BB_ROLE, "attending")}
    ]
    r["contained"] = [
        patient("pat", "MCR6001", "Tate", "Alma", "1938-03-03"),
        organization("payer", "Noridian JF Part A", payer_id="02401"),
        coverage("cov", "#pat", "#payer", "medicare"),
        organization("hosp", "St Mary Outpatient", npi=NPI_HOSP),
        practitioner("att", NPI_DR_A),
    ]
    record(
        spec,
        "F06-A",
        "clean",
        "hospital outpatient clinic: drug on 0636, 96372 on 0510, TOB 0131; institutional lines carry no pointers",
        ["D51.0"],
        items,
        "medicare",
        NPI_DR_A,
    )
    spec.fields["F06-A"]["type_of_bill"] = "0131"
    spec.content = r
    return spec


def med_admin(
    mid: str,
    patient_ref: str,
    date: str,
    dose_value: float,
    dose_unit: str,
    route: str,
    reason: str,
    reason_text: str,
) -> dict[str, Any]:
    """A MedicationAdministration as an EHR writes it."""
    return {
        "resourceType": "MedicationAdministration", "id": mid, "status": "completed",
        "medicationCodeableConcept": {"coding": [coding(RXNORM, "1869", "cyanocobalamin 1 MG/ML Injectable Solution"), coding(NDC_SYS, "00517-0031-01")], "text": "Cyanocobalamin 1,000 mcg/mL injection"},
        "subject": {"reference": patient_ref}, "effectiveDateTime": date + "T10:15:00-08:00",
        "reasonCode": [{"coding": [coding(ICD10, reason)], "text": reason_text}],
        "dosage": {"route": cc(SNOMED, route), "site": {"text": "left deltoid"}, "dose": {"value": dose_value, "unit": dose_unit, "system": "http://unitsofmeasure.org", "code": dose_unit}},
    }  # fmt: skip


def f07() -> FhirSpec:
    """A Synthea-like transaction Bundle: Encounter, Procedure, MedicationAdministration and Claims."""
    spec = FhirSpec(
        "f07_transaction_with_chart.json",
        "fhir",
        "a transaction Bundle (urn:uuid fullUrls, request entries) as Synthea and EHR exports write it: Patient, Encounter, Procedure, MedicationAdministration (the chart) and Claims",
        None,
    )
    ents: list[dict[str, Any]] = []

    def add(r: dict[str, Any]) -> str:
        ents.append(
            {
                "fullUrl": f"urn:uuid:{r['id']}",
                "resource": r,
                "request": {"method": "POST", "url": r["resourceType"]},
            }
        )
        return f"urn:uuid:{r['id']}"

    org = add(
        organization(
            "9c1d0c6e-0000-4000-8000-000000000001", "Sunrise Family Medicine", npi=NPI_CLINIC
        )
    )
    payer = add(organization("9c1d0c6e-0000-4000-8000-000000000002", "Medicare", payer_id="00952"))
    cases = [
        (
            "F07-A",
            "clean",
            "1 mg (= 1,000 mcg) IM for pernicious anemia (D51.0 on the claim and as the reason): J3420 x1 + 96372",
            1.0,
            "mg",
            "78421000",
            "D51.0",
            "pernicious anemia",
            ["D51.0"],
        ),
        (
            "F07-B",
            "route",
            "the chart records the oral route (SNOMED 26643006) for a J3420 + 96372 claim: oral B12 is not a J-code drug nor 96372 (Noridian L33502)",
            1000.0,
            "ug",
            "26643006",
            "D51.0",
            "pernicious anemia",
            ["D51.0"],
        ),
        (
            "F07-C",
            "indication",
            "fatigue R53.83 is the only diagnosis and the charted reason: not covered (general good and welfare)",
            1000.0,
            "ug",
            "78421000",
            "R53.83",
            "fatigue, wants energy shot",
            ["R53.83"],
        ),
    ]
    for n, (cid, verdict, note, value, unit, route, reason, reason_text, dx) in enumerate(
        cases, start=1
    ):
        pid = f"5b2e1a10-0000-4000-8000-00000000000{n}"
        pref = add(patient(pid, f"SYN{n}", "Doe", f"Pat{n}", "1960-01-01"))
        cref = add(coverage(f"7d3c2b20-0000-4000-8000-00000000000{n}", pref, payer, "medicare"))
        enc = add(
            {
                "resourceType": "Encounter",
                "id": f"3f4a5b60-0000-4000-8000-00000000000{n}",
                "status": "finished",
                "class": coding("http://terminology.hl7.org/CodeSystem/v3-ActCode", "AMB"),
                "subject": {"reference": pref},
                "period": {
                    "start": "2026-03-16T10:00:00-08:00",
                    "end": "2026-03-16T10:30:00-08:00",
                },
            }
        )
        add(
            {
                "resourceType": "Procedure",
                "id": f"4e5f6a70-0000-4000-8000-00000000000{n}",
                "status": "completed",
                "code": cc(SNOMED, "76601001", "Intramuscular injection"),
                "subject": {"reference": pref},
                "encounter": {"reference": enc},
                "performedDateTime": "2026-03-16T10:15:00-08:00",
            }
        )
        ma = add(
            med_admin(
                f"6a7b8c90-0000-4000-8000-00000000000{n}",
                pref,
                "2026-03-16",
                value,
                unit,
                route,
                reason,
                reason_text,
            )
        )
        items = b12_items("2026-03-16", eob_=False)
        r = claim(
            cid,
            pref,
            cref,
            org,
            dx,
            items,
            extra={
                "supportingInfo": [
                    {
                        "sequence": 1,
                        "category": cc(
                            "http://terminology.hl7.org/CodeSystem/claiminformationcategory", "info"
                        ),
                        "valueReference": {"reference": ma},
                    }
                ]
            },
        )
        r["id"] = f"8b9c0d10-0000-4000-8000-00000000000{n}"
        for it in r["item"]:
            it["encounter"] = [{"reference": enc}]
        add(r)
        record(spec, cid, verdict, note, dx, items, "medicare", NPI_CLINIC)
    spec.content = {"resourceType": "Bundle", "type": "transaction", "entry": ents}
    return spec


def f08() -> FhirSpec:
    """A Claim and its EOB, a voided Claim and a ClaimResponse in one Bundle."""
    spec = FhirSpec(
        "f08_claim_eob_void.json",
        "fhir",
        "a Claim with the EOB that adjudicates it (EOB.claim), a voided Claim (status entered-in-error) and a ClaimResponse",
        None,
    )
    res = [
        patient("pat-f08", "MBR8001", "Quinn", "Dora", "1941-09-09"),
        organization("payer-f08", "Aetna", payer_id="60054"),
        coverage("cov-f08", "Patient/pat-f08", "Organization/payer-f08", "commercial"),
        practitioner("pr-f08", NPI_DR_A),
    ]
    items = b12_items("2026-03-17", ndc="00517003101", eob_=False)
    res.append(
        claim(
            "F08-A", "Patient/pat-f08", "Coverage/cov-f08", "Practitioner/pr-f08", ["D51.0"], items
        )
    )
    record(
        spec,
        "F08-A",
        "ndc",
        "one visit: the Claim and the EOB that adjudicates it are one encounter, not two injections; the clinic's Claim (to be sent) gives the NDC as a coding with no NDC quantity (no item.detail quantity): the 837 it becomes needs CTP04/CTP05, so the line is rejected",
        ["D51.0"],
        items,
        "commercial",
        NPI_DR_A,
    )
    e_items = b12_items("2026-03-17", ndc="00517003101")
    res.append(
        eob(
            "eob-f08",
            "F08-A",
            "Patient/pat-f08",
            "Coverage/cov-f08",
            "Organization/payer-f08",
            "Practitioner/pr-f08",
            ["D51.0"],
            e_items,
            extra={"claim": {"reference": "Claim/f08-a"}},
        )
    )
    v_items = b12_items("2026-03-03", qty=3, eob_=False)
    res.append(
        claim(
            "F08-V",
            "Patient/pat-f08",
            "Coverage/cov-f08",
            "Practitioner/pr-f08",
            ["D51.0"],
            v_items,
            extra={"status": "entered-in-error"},
        )
    )
    spec.claims["F08-V"] = Expect(
        "void",
        "a Claim entered in error bills nothing: its 3 units are not judged (README: counted, not judged)",
    )
    res.append(
        {
            "resourceType": "ClaimResponse",
            "id": "cr-f08",
            "status": "active",
            "type": cc(CLAIM_TYPE, "professional"),
            "use": "claim",
            "patient": {"reference": "Patient/pat-f08"},
            "created": "2026-03-20T00:00:00Z",
            "insurer": {"reference": "Organization/payer-f08"},
            "request": {"reference": "Claim/f08-a"},
            "outcome": "complete",
        }
    )
    spec.content = collection(res, "https://ehr.example.org/fhir")
    return spec


def f09() -> FhirSpec:
    """EHR and HIE exports: OID code systems, Condition references, no item pointers, CRLF lines."""
    spec = FhirSpec(
        "f09_oids_condition_refs.ndjson",
        "fhir",
        "NDJSON with CRLF line ends and a blank last line; code systems as OIDs (urn:oid: CPT 2.16.840.1.113883.6.12, HCPCS .6.285, NDC .6.69, ICD-10-CM .6.90) as C-CDA-converted exports write them; diagnosisReference to Condition resources; a payer EOB whose items carry no diagnosisSequence",
        None,
    )
    oid_cpt, oid_hcpcs, oid_ndc, oid_icd = (
        "urn:oid:2.16.840.1.113883.6.12",
        "urn:oid:2.16.840.1.113883.6.285",
        "urn:oid:2.16.840.1.113883.6.69",
        "urn:oid:2.16.840.1.113883.6.90",
    )
    res = [
        patient("pat-f09", "MBR9001", "Ortiz", "Rosa", "1957-04-04"),
        organization("payer-f09", "Aetna", payer_id="60054"),
        coverage("cov-f09", "Patient/pat-f09", "Organization/payer-f09", "commercial"),
        practitioner("pr-f09", NPI_DR_B),
    ]
    a_items = b12_items("2026-03-18", ndc="00517003101", ndc_where="detail", eob_=False)
    for it in a_items:
        for c in it["productOrService"]["coding"]:
            c["system"] = oid_cpt if c["code"][0].isdigit() else oid_hcpcs
        for d in it.get("detail", []):
            d["productOrService"]["coding"][0]["system"] = oid_ndc
    a = claim(
        "F09-A", "Patient/pat-f09", "Coverage/cov-f09", "Practitioner/pr-f09", ["D51.0"], a_items
    )
    a["diagnosis"][0]["diagnosisCodeableConcept"]["coding"][0]["system"] = oid_icd
    res.append(a)
    spec.claims["F09-A"] = Expect(
        "clean",
        "the same B12 visit coded with OID code-system URIs (FHIR R4 allows urn:oid: system URIs; C-CDA-derived exports use them): J3420 and 96372 are still HCPCS/CPT, D51.0 still ICD-10-CM",
    )
    spec.fields["F09-A"] = native(
        ["D51.0"],
        [
            {
                **it,
                "productOrService": {
                    "coding": [
                        {**c, "system": CPT if c["code"][0].isdigit() else HCPCS}
                        for c in it["productOrService"]["coding"]
                    ]
                },
                **(
                    {"detail": [{"productOrService": {"coding": [coding(NDC_SYS, "00517003101")]}}]}
                    if "detail" in it
                    else {}
                ),
            }
            for it in a_items
        ],
        "commercial",
        NPI_DR_B,
    )
    cond = {
        "resourceType": "Condition",
        "id": "cond-f09",
        "clinicalStatus": cc("http://terminology.hl7.org/CodeSystem/condition-clinical", "active"),
        "code": {
            "coding": [coding(ICD10, "E53.8", "Deficiency of other specified B group vitamins")],
            "text": "B12 deficiency",
        },
        "subject": {"reference": "Patient/pat-f09"},
    }
    res.append(cond)
    b_items = b12_items("2026-04-15", ndc="00517003101", ndc_where="detail", eob_=False)
    b = claim(
        "F09-B", "Patient/pat-f09", "Coverage/cov-f09", "Practitioner/pr-f09", ["E53.8"], b_items
    )
    b["diagnosis"] = [{"sequence": 1, "diagnosisReference": {"reference": "Condition/cond-f09"}}]
    res.append(b)
    record(
        spec,
        "F09-B",
        "clean",
        "the diagnosis is a reference to a Condition coded E53.8 (Claim.diagnosis.diagnosisReference)",
        ["E53.8"],
        b_items,
        "commercial",
        NPI_DR_B,
    )
    c_items = b12_items("2026-05-13", ndc="00517003101", ndc_where="detail")
    for it in c_items:
        del it["diagnosisSequence"]
    res.append(
        eob(
            "eob-f09c",
            "F09-C",
            "Patient/pat-f09",
            "Coverage/cov-f09",
            "Organization/payer-f09",
            "Practitioner/pr-f09",
            ["D51.0"],
            c_items,
        )
    )
    spec.claims["F09-C"] = Expect(
        "clean",
        "a paid EOB whose items carry no diagnosisSequence (CARIN makes it must-support, not required; many payer exports leave it out): the one diagnosis is D51.0, covered; the pointers were not exported, which is no billing error",
    )
    spec.content = res
    return spec


def f10() -> FhirSpec:
    """A CMS Blue Button 2.0 carrier EOB (Original Medicare Part B) as the API returns it."""
    spec = FhirSpec(
        "f10_bluebutton_carrier.json",
        "fhir",
        "Blue Button 2.0 style carrier EOB: eob-type CARRIER, BB hcpcs code system, line_place_of_srvc_cd, carr_line_mtus_cnt, NDC extension on productOrService, diagnoses coded with the http://hl7.org/fhir/sid/icd-10 system as BB2 writes them",
        None,
    )
    bb = "https://bluebutton.cms.gov/resources"
    items = []
    for seq, code, charge in ((1, "J3420", 12.0), (2, "96372", 25.0)):
        product: dict[str, Any] = {
            "coding": [{"system": f"{bb}/codesystem/hcpcs", "version": "6", "code": code}]
        }
        if code == "J3420":
            product["extension"] = [
                {
                    "url": f"{bb}/variables/line_ndc_cd",
                    "valueCoding": {"system": NDC_SYS, "code": "00517003101"},
                }
            ]
        items.append({
            "sequence": seq, "diagnosisSequence": [2],
            "extension": [{"url": f"{bb}/variables/carr_line_mtus_cnt", "valueQuantity": {"value": 1}}],
            "productOrService": product, "servicedPeriod": {"start": "2026-03-19", "end": "2026-03-19"},
            "locationCodeableConcept": {"coding": [{"system": f"{bb}/variables/line_place_of_srvc_cd", "code": "11", "display": "Office"}]},
            "quantity": {"value": 1},
            "adjudication": [{"category": {"coding": [{"system": f"{bb}/codesystem/adjudication", "code": "https://bluebutton.cms.gov/resources/variables/line_sbmtd_chrg_amt"}]}, "amount": {"value": charge, "currency": "USD"}}],
        })  # fmt: skip
    r = {
        "resourceType": "ExplanationOfBenefit", "id": "carrier-10001234567",
        "identifier": [{"system": f"{bb}/variables/clm_id", "value": "10001234567"}, {"system": f"{bb}/identifier/claim-group", "value": "900001"}],
        "status": "active",
        "type": {"coding": [{"system": f"{bb}/variables/nch_clm_type_cd", "code": "71"}, {"system": f"{bb}/codesystem/eob-type", "code": "CARRIER"}, {"system": CLAIM_TYPE, "code": "professional"}]},
        "use": "claim", "patient": {"reference": "Patient/-10000000001234"},
        "billablePeriod": {"start": "2026-03-19", "end": "2026-03-19"}, "created": "2026-04-01T00:00:00Z",
        "careTeam": [{"sequence": 1, "provider": {"identifier": {"system": NPI_SYS, "value": NPI_DR_A}}, "role": cc("http://hl7.org/fhir/us/carin-bb/CodeSystem/C4BBClaimCareTeamRole", "performing")}],
        "diagnosis": [
            {"sequence": 1, "diagnosisCodeableConcept": {"coding": [{"system": "http://hl7.org/fhir/sid/icd-10", "code": "I10"}]}, "type": [{"coding": [{"system": f"{bb}/codesystem/diagnosis-type", "code": "principal"}]}]},
            {"sequence": 2, "diagnosisCodeableConcept": {"coding": [{"system": "http://hl7.org/fhir/sid/icd-10", "code": "D510"}]}},
        ],
        "insurance": [{"coverage": {"reference": "Coverage/part-b--10000000001234"}}],
        "item": items,
    }  # fmt: skip
    spec.content = {
        "resourceType": "Bundle",
        "type": "searchset",
        "total": 1,
        "entry": [{"resource": r}],
    }
    spec.deviations = ("focal", "insurer", "provider", "outcome")
    spec.claims["10001234567"] = Expect(
        "clean",
        "Original Medicare Part B carrier line: J3420 x1 and 96372 x1 point to D51.0 (the second diagnosis); BB2 codes ICD-10-CM diagnoses under the http://hl7.org/fhir/sid/icd-10 system, without dots",
    )
    line = {"units": 1.0, "modifiers": [], "date": "2026-03-19", "dx_pointers": [2]}
    spec.fields["10001234567"] = {
        "diagnoses": ["I10", "D510"],
        "lines": [{"code": "J3420", **line, "ndc": "00517003101"}, {"code": "96372", **line}],
        "payer_type": "medicare",
        "rendering_npi": NPI_DR_A,
    }
    return spec


def f11() -> FhirSpec:
    """EHR exports with several codings per concept, a chart joined by date, the reader's order."""
    spec = FhirSpec(
        "f11_ehr_codings_chart.ndjson",
        "fhir",
        "NDJSON written claims first and their Patient, Coverage, Practitioner and MedicationAdministrations (the chart of every claim) after them; diagnoses and procedures with a SNOMED CT coding before the ICD-10-CM / HCPCS one; J3420 written under the CPT system URI; a MedicationAdministration with effectivePeriod and a contained Medication, joined to its claim by patient and date; a claim with two dates of service",
        None,
    )
    claims: list[dict[str, Any]] = []
    a_items = b12_items("2026-03-24", ndc="00517003101", ndc_where="detail", eob_=False)
    for it in a_items:
        it["productOrService"]["coding"].insert(
            0, coding(SNOMED, "76601001", "Intramuscular injection")
        )
    a = claim(
        "F11-A", "Patient/pat-f11", "Coverage/cov-f11", "Practitioner/pr-f11", ["D51.0"], a_items
    )
    a["diagnosis"][0]["diagnosisCodeableConcept"]["coding"].insert(
        0, coding(SNOMED, "84027009", "Pernicious anemia")
    )
    claims.append(a)
    spec.claims["F11-A"] = Expect(
        "clean",
        "Medicaid, D51.0 with NDC in item.detail; each concept has a SNOMED CT coding first: the ICD-10-CM and CPT/HCPCS codings are the billing ones",
    )
    b_items = b12_items("2026-03-25", ndc="00517003101", ndc_where="detail", eob_=False)
    b_items[0]["productOrService"]["coding"][0]["system"] = CPT
    claims.append(
        claim(
            "F11-B",
            "Patient/pat-f11b",
            "Coverage/cov-f11",
            "Practitioner/pr-f11",
            ["E53.8"],
            b_items,
        )
    )
    spec.claims["F11-B"] = Expect(
        "clean",
        "J3420 written under the CPT system URI (EHRs label HCPCS Level II codes as CPT): still the B12 drug line; E53.8 covered, NDC present for Medicaid",
    )
    c_items = b12_items("2026-03-26", eob_=False, ndc="00517003101", ndc_where="detail")
    claims.append(
        claim(
            "F11-C",
            "Patient/pat-f11c",
            "Coverage/cov-f11",
            "Practitioner/pr-f11",
            ["D51.0"],
            c_items,
        )
    )
    spec.claims["F11-C"] = Expect(
        "route",
        "the chart (a MedicationAdministration of the same patient on the claim's date, with effectivePeriod and a contained Medication) records the IV route (SNOMED 47625008) for a claim billing 96372 (IM/SC): IV push is 96374 and cyanocobalamin is labelled IM/SC only (DOMAIN Route)",
    )
    d_items = b12_items(
        "2026-01-12", eob_=False, ndc="00517003101", ndc_where="detail"
    ) + b12_items("2026-02-09", eob_=False, ndc="00517003101", ndc_where="detail")
    for i, it in enumerate(d_items, start=1):
        it["sequence"] = i
    claims.append(
        claim(
            "F11-D",
            "Patient/pat-f11d",
            "Coverage/cov-f11",
            "Practitioner/pr-f11",
            ["D51.0"],
            d_items,
        )
    )
    # FORMATS.md: one encounter is one visit on one date: a professional Claim billing two
    # dates is read as F11-D@2026-01-12 and F11-D@2026-02-09 (README), as the 837P reader does
    monthly = "one of two monthly doses 28 days apart on one Claim (items with their own servicedDate): J3420 x1 on its date is within the MUE, and 28 days is the maintenance interval"
    for day in ("2026-01-12", "2026-02-09"):
        spec.claims[f"F11-D@{day}"] = Expect("clean", monthly)
    others = [
        patient("pat-f11", "MCD1101", "Jones", "Amy", "1970-01-01"),
        patient("pat-f11b", "MCD1102", "King", "Bo", "1971-01-01"),
        patient("pat-f11c", "MCD1103", "Lamb", "Cy", "1972-01-01"),
        patient("pat-f11d", "MCD1104", "Moss", "Di", "1973-01-01"),
        organization("payer-f11", "Oregon Health Plan", payer_id="ORDHS"),
        coverage("cov-f11", "Patient/pat-f11", "Organization/payer-f11", "medicaid"),
        practitioner("pr-f11", NPI_DR_B),
        {
            "resourceType": "MedicationAdministration", "id": "ma-f11c", "status": "completed",
            "contained": [{"resourceType": "Medication", "id": "med", "code": {"coding": [coding(RXNORM, "1869", "cyanocobalamin 1 MG/ML Injectable Solution")], "text": "Cyanocobalamin 1,000 mcg/mL"},
                           "ingredient": [{"itemCodeableConcept": cc(RXNORM, "3148", "cyanocobalamin"), "strength": {"numerator": {"value": 1000, "unit": "ug", "system": "http://unitsofmeasure.org", "code": "ug"}, "denominator": {"value": 1, "unit": "mL", "system": "http://unitsofmeasure.org", "code": "mL"}}}]}],
            "medicationReference": {"reference": "#med"}, "subject": {"reference": "Patient/pat-f11c"},
            "effectivePeriod": {"start": "2026-03-26T09:40:00-07:00", "end": "2026-03-26T09:41:00-07:00"},
            "reasonCode": [{"coding": [coding(ICD10, "D51.0")], "text": "pernicious anemia"}],
            "dosage": {"route": cc(SNOMED, "47625008", "Intravenous route"), "dose": {"value": 1, "unit": "mL", "system": "http://unitsofmeasure.org", "code": "mL"}},
        },
    ]  # fmt: skip
    for pid, when, reason in (
        ("pat-f11", "2026-03-24", "D51.0"),
        ("pat-f11b", "2026-03-25", "E53.8"),
        ("pat-f11d", "2026-01-12", "D51.0"),
        ("pat-f11d", "2026-02-09", "D51.0"),
    ):
        others.append(
            med_admin(
                f"ma-{pid}-{when}",
                f"Patient/{pid}",
                when,
                1000.0,
                "ug",
                "78421000",
                reason,
                "B12 deficiency",
            )
        )
    spec.content = claims + others
    for cid, items, dx in (
        ("F11-A", a_items, ["D51.0"]),
        ("F11-B", b_items, ["E53.8"]),
        ("F11-C", c_items, ["D51.0"]),
        ("F11-D", d_items, ["D51.0"]),
    ):
        billing = [
            {
                **it,
                "productOrService": {
                    "coding": [c for c in it["productOrService"]["coding"] if c["system"] != SNOMED]
                },
            }
            for it in items
        ]
        for it in billing:
            it["productOrService"]["coding"] = [
                {**c, "system": HCPCS if c["code"][0] == "J" else CPT}
                for c in it["productOrService"]["coding"]
            ]
        spec.fields[cid] = native(dx, billing, "medicaid", NPI_DR_B)
    whole = spec.fields.pop("F11-D")
    for day in ("2026-01-12", "2026-02-09"):
        lines = [ln for ln in whole["lines"] if ln["date"] == day]
        spec.fields[f"F11-D@{day}"] = {**whole, "lines": lines}
    return spec


def f12() -> FhirSpec:
    """Pharmacy claims for B12 vials the patient injects at home (CARIN pharmacy, Blue Button PDE)."""
    spec = FhirSpec(
        "f12_pharmacy_b12_vials.json",
        "fhir",
        "a CARIN pharmacy EOB (a 30 mL cyanocobalamin vial dispensed: NDC only, days supply, no diagnosis) and a Blue Button 2.0 Part D event (PDE) EOB for 25 x 1 mL vials: B12 dispensed by a pharmacy for self-injection is not an injection billed by a clinic",
        None,
    )
    bb = "https://bluebutton.cms.gov/resources"
    pharmacy = {
        "resourceType": "ExplanationOfBenefit", "id": "eob-f12a",
        "meta": {"profile": ["http://hl7.org/fhir/us/carin-bb/StructureDefinition/C4BB-ExplanationOfBenefit-Pharmacy"]},
        "identifier": [{"type": cc(C4BB_ID, "uc"), "system": "https://example-payer.org/claim", "value": "F12-A"}],
        "status": "active", "type": cc(CLAIM_TYPE, "pharmacy"), "use": "claim",
        "patient": {"reference": "Patient/pat-f12"}, "billablePeriod": {"start": "2026-03-05"}, "created": "2026-03-05T15:00:00Z",
        "insurer": {"reference": "Organization/payer-f12"}, "provider": {"reference": "Organization/pharm-f12"}, "outcome": "complete",
        "careTeam": [{"sequence": 1, "provider": {"reference": "Practitioner/pr-f12"}, "role": cc(C4BB_ROLE, "prescribing")}],
        "supportingInfo": [
            {"sequence": 1, "category": cc(C4BB_SUPP, "dayssupply"), "valueQuantity": {"value": 30}},
            {"sequence": 2, "category": cc(C4BB_SUPP, "refillnum"), "valueQuantity": {"value": 0}},
        ],
        "insurance": [{"focal": True, "coverage": {"reference": "Coverage/cov-f12"}}],
        "item": [{"sequence": 1, "productOrService": {"coding": [coding(NDC_SYS, "69680012130", "Cyanocobalamin 1000 mcg/mL 30 mL vial")]}, "servicedDate": "2026-03-05",
                  "quantity": {"value": 30, "unit": "mL", "system": "http://unitsofmeasure.org", "code": "mL"},
                  "adjudication": [{"category": cc(ADJ, "submitted"), "amount": {"value": 18.5, "currency": "USD"}}]}],
        "total": [{"category": cc(ADJ, "submitted"), "amount": {"value": 18.5, "currency": "USD"}}],
    }  # fmt: skip
    pde = {
        "resourceType": "ExplanationOfBenefit", "id": "pde-3000111222",
        "identifier": [{"system": f"{bb}/variables/pde_id", "value": "3000111222"}],
        "status": "active",
        "type": {"coding": [{"system": f"{bb}/codesystem/eob-type", "code": "PDE"}, {"system": CLAIM_TYPE, "code": "pharmacy"}]},
        "use": "claim", "patient": {"reference": "Patient/-10000000005678"},
        "created": "2026-02-20T00:00:00Z", "billablePeriod": {"start": "2026-02-20"},
        "insurance": [{"coverage": {"reference": "Coverage/part-d--10000000005678"}}],
        "item": [{"sequence": 1, "productOrService": {"coding": [{"system": NDC_SYS, "code": "00517003125"}]}, "servicedDate": "2026-02-20", "quantity": {"value": 25}}],
    }  # fmt: skip
    spec.content = collection([
        pharmacy, pde, patient("pat-f12", "MBR1201", "North", "Lia", "1959-05-05"),
        organization("payer-f12", "Acme Health Plan", payer_id="60054"), organization("pharm-f12", "Main St Pharmacy", npi=NPI_CLINIC),
        coverage("cov-f12", "Patient/pat-f12", "Organization/payer-f12", "commercial"), practitioner("pr-f12", NPI_DR_A),
    ])  # fmt: skip
    spec.deviations = ("focal", "insurer", "provider", "outcome")
    spec.claims["F12-A"] = Expect(
        "out_of_scope",
        "a pharmacy dispensing a 30 mL vial for home injection: no J-code, no administration, no diagnosis pointer to bill; not a clinic's B12 injection claim",
    )
    spec.claims["3000111222"] = Expect(
        "out_of_scope",
        "a Part D prescription drug event for cyanocobalamin vials: pharmacy benefit, not a Part B injection",
    )
    return spec


def f13() -> FhirSpec:
    """A FHIR history Bundle from a payer server: versions of one EOB and a deleted one."""
    spec = FhirSpec(
        "f13_history_bundle.json",
        "fhir",
        "a Bundle of type history (GET ExplanationOfBenefit/_history): the current version 2 of an EOB first, its version 1 after it (FHIR R4 http.html#history: newest first), and a DELETE entry with request and response but no resource, as R4 writes deletions",
        None,
    )
    refs = ("Patient/pat-f13", "Coverage/cov-f13", "Organization/payer-f13", "Practitioner/pr-f13")
    v2_items = b12_items("2026-03-03", ndc="00517003101", ndc_where="detail")
    v2 = eob("eob-f13a", "F13-A", *refs, ["D51.0"], v2_items)
    v2["meta"]["versionId"] = "2"
    v1 = eob(
        "eob-f13a",
        "F13-A",
        *refs,
        ["D51.0"],
        b12_items("2026-03-03", qty=2, ndc="00517003101", ndc_where="detail"),
    )
    v1["meta"]["versionId"] = "1"
    base = "https://payer.example.org/fhir"
    others = [
        patient("pat-f13", "MBR1301", "Reed", "Ona", "1955-05-05"),
        organization("payer-f13", "Acme Health Plan", payer_id="60054"),
        coverage("cov-f13", "Patient/pat-f13", "Organization/payer-f13", "commercial"),
        practitioner("pr-f13", NPI_DR_A),
    ]
    entries = [
        {
            "fullUrl": f"{base}/ExplanationOfBenefit/eob-f13a",
            "resource": v2,
            "request": {"method": "PUT", "url": "ExplanationOfBenefit/eob-f13a"},
            "response": {"status": "200", "lastModified": "2026-03-20T10:00:00Z"},
        },
        {
            "fullUrl": f"{base}/ExplanationOfBenefit/eob-f13z",
            "request": {"method": "DELETE", "url": "ExplanationOfBenefit/eob-f13z"},
            "response": {"status": "204", "lastModified": "2026-03-19T10:00:00Z"},
        },
        {
            "fullUrl": f"{base}/ExplanationOfBenefit/eob-f13a",
            "resource": v1,
            "request": {"method": "POST", "url": "ExplanationOfBenefit"},
            "response": {"status": "201", "lastModified": "2026-03-10T10:00:00Z"},
        },
    ] + [
        {
            "fullUrl": f"{base}/{r['resourceType']}/{r['id']}",
            "resource": r,
            "request": {"method": "PUT", "url": f"{r['resourceType']}/{r['id']}"},
            "response": {"status": "200"},
        }
        for r in others
    ]
    spec.content = {"resourceType": "Bundle", "type": "history", "total": 3, "entry": entries}
    record(
        spec,
        "F13-A",
        "clean",
        "version 2 (current) bills J3420 x1; version 1 (units 2) was superseded by the payer's adjustment and is history, not a second claim; the deleted EOB is no record",
        ["D51.0"],
        v2_items,
        "commercial",
        NPI_DR_A,
    )
    return spec


def f14() -> FhirSpec:
    """A payer's export holding a claim and its adjustment, linked by EOB.related (CARIN)."""
    spec = FhirSpec(
        "f14_adjusted_claim.json",
        "fhir",
        "a CARIN export with an EOB and the EOB of its adjustment (a new claim id): the original says related.relationship replacedby the new one, the new one says prior (C4BBRelatedClaimRelationshipCodes); the payer reprocessed one visit, it did not pay two",
        None,
    )
    refs = ("Patient/pat-f14", "Coverage/cov-f14", "Organization/payer-f14", "Practitioner/pr-f14")
    rel = "http://hl7.org/fhir/us/carin-bb/CodeSystem/C4BBRelatedClaimRelationshipCodes"
    orig_items = b12_items("2026-03-04", qty=2, ndc="00517003101", ndc_where="detail")
    orig = eob("eob-f14a", "F14-A", *refs, ["D51.0"], orig_items)
    orig["related"] = [
        {
            "claim": {
                "identifier": {"system": "https://example-payer.org/claim", "value": "F14-B"}
            },
            "relationship": cc(rel, "replacedby"),
        }
    ]
    new_items = b12_items("2026-03-04", ndc="00517003101", ndc_where="detail")
    new = eob("eob-f14b", "F14-B", *refs, ["D51.0"], new_items)
    new["related"] = [
        {
            "claim": {
                "identifier": {"system": "https://example-payer.org/claim", "value": "F14-A"}
            },
            "relationship": cc(rel, "prior"),
        }
    ]
    res = [
        orig,
        new,
        patient("pat-f14", "MBR1401", "Shaw", "Pia", "1956-06-06"),
        organization("payer-f14", "Acme Health Plan", payer_id="60054"),
        coverage("cov-f14", "Patient/pat-f14", "Organization/payer-f14", "commercial"),
        practitioner("pr-f14", NPI_DR_A),
    ]
    spec.content = collection(res)
    spec.claims["F14-A"] = Expect(
        "void",
        "replaced by F14-B (related replacedby): the superseded adjudication (2 units, corrected to 1) is not a second visit nor a claim to fix",
    )
    record(
        spec,
        "F14-B",
        "clean",
        "the adjustment that replaces F14-A: J3420 x1, D51.0; one visit on 2026-03-04, not a second injection that day",
        ["D51.0"],
        new_items,
        "commercial",
        NPI_DR_A,
    )
    return spec


def f15() -> FhirSpec:
    """A Blue Button 2.0 outpatient (institutional) EOB: revenue centers, NDC and TOB by extension."""
    spec = FhirSpec(
        "f15_bluebutton_outpatient.json",
        "fhir",
        "Blue Button 2.0 style OUTPATIENT EOB: type of bill in the clm_fac_type_cd / clm_srvc_clsfctn_type_cd / clm_freq_cd extensions, revenue centers (rev_cntr) 0636 and 0510, the NDC in rev_cntr_ide_ndc_upc_num with rev_cntr_ndc_qty and its qualifier, attending NPI, icd-10 diagnoses",
        None,
    )
    bb = "https://bluebutton.cms.gov/resources"

    def ext_coding(name: str, value: str) -> dict[str, Any]:
        return {
            "url": f"{bb}/variables/{name}",
            "valueCoding": {"system": f"{bb}/variables/{name}", "code": value},
        }

    items = []
    for seq_, rev, hcpcs, charge in ((1, "0636", "J3420", 40.0), (2, "0510", "96372", 95.0)):
        it: dict[str, Any] = {
            "sequence": seq_,
            "revenue": {"coding": [{"system": f"{bb}/variables/rev_cntr", "code": rev}]},
            "productOrService": {"coding": [{"system": f"{bb}/codesystem/hcpcs", "code": hcpcs}]},
            "servicedDate": "2026-03-27",
            "quantity": {"value": 1},
            "adjudication": [
                {
                    "category": {
                        "coding": [
                            {
                                "system": f"{bb}/codesystem/adjudication",
                                "code": f"{bb}/variables/rev_cntr_tot_chrg_amt",
                            }
                        ]
                    },
                    "amount": {"value": charge, "currency": "USD"},
                }
            ],
        }
        if hcpcs == "J3420":
            it["productOrService"]["extension"] = [
                {
                    "url": f"{bb}/variables/rev_cntr_ide_ndc_upc_num",
                    "valueCoding": {"system": NDC_SYS, "code": "00517003101"},
                }
            ]
            it["extension"] = [
                {"url": f"{bb}/variables/rev_cntr_ndc_qty", "valueQuantity": {"value": 1}},
                {
                    "url": f"{bb}/variables/rev_cntr_ndc_qty_qlfr_cd",
                    "valueCoding": {
                        "system": f"{bb}/variables/rev_cntr_ndc_qty_qlfr_cd",
                        "code": "ML",
                    },
                },
            ]
        items.append(it)
    r = {
        "resourceType": "ExplanationOfBenefit", "id": "outpatient-20000555111",
        "extension": [ext_coding("clm_fac_type_cd", "1"), ext_coding("clm_srvc_clsfctn_type_cd", "3"), ext_coding("clm_freq_cd", "1")],
        "identifier": [{"system": f"{bb}/variables/clm_id", "value": "20000555111"}],
        "status": "active",
        "type": {"coding": [{"system": f"{bb}/codesystem/eob-type", "code": "OUTPATIENT"}, {"system": CLAIM_TYPE, "code": "institutional"}]},
        "use": "claim", "patient": {"reference": "Patient/-10000000009999"},
        "billablePeriod": {"start": "2026-03-27", "end": "2026-03-27"}, "created": "2026-04-10T00:00:00Z",
        "provider": {"identifier": {"system": NPI_SYS, "value": NPI_HOSP}},
        "careTeam": [{"sequence": 1, "provider": {"identifier": {"system": NPI_SYS, "value": NPI_DR_A}}, "role": cc("http://hl7.org/fhir/us/carin-bb/CodeSystem/C4BBClaimCareTeamRole", "attending")}],
        "diagnosis": [{"sequence": 1, "diagnosisCodeableConcept": {"coding": [{"system": "http://hl7.org/fhir/sid/icd-10", "code": "D510"}]}, "type": [{"coding": [{"system": f"{bb}/codesystem/diagnosis-type", "code": "principal"}]}]}],
        "insurance": [{"coverage": {"reference": "Coverage/part-b--10000000009999"}}],
        "item": items,
    }  # fmt: skip
    spec.content = {
        "resourceType": "Bundle",
        "type": "searchset",
        "total": 1,
        "entry": [{"resource": r}],
    }
    spec.deviations = ("focal", "insurer", "outcome")
    spec.claims["20000555111"] = Expect(
        "clean",
        "Original Medicare outpatient hospital visit (TOB 0131): J3420 x1 on 0636 with its NDC and 1 ML, 96372 on 0510, D51.0 principal",
    )
    line = {"units": 1.0, "modifiers": [], "date": "2026-03-27"}
    spec.fields["20000555111"] = {
        "diagnoses": ["D510"],
        "lines": [{"code": "J3420", **line, "revenue_code": "0636", "ndc": "00517003101", "ndc_quantity": 1.0, "ndc_unit": "ML"}, {"code": "96372", **line, "revenue_code": "0510"}],
        "payer_type": "medicare", "rendering_npi": NPI_DR_A, "type_of_bill": "0131",
    }  # fmt: skip
    return spec


def f16() -> FhirSpec:
    """A bulk export saved as the server named its files (opaque ids) with its manifest."""
    spec = FhirSpec(
        "f16_bulk_export_server_names",
        "fhir-bulk",
        "a $export saved with the file names the server gave (opaque ids, as CMS BCDA and other servers name them: the Bulk Data spec makes output URLs opaque and gives each file's type in the manifest), with the completion manifest saved beside them as manifest.json",
        None,
    )
    pats = [
        patient("pat-f16a", "MCD1601", "Vale", "Rhea", "1967-07-07"),
        patient("pat-f16b", "MCD1602", "Wynn", "Sol", "1968-08-08"),
    ]
    orgs = [organization("payer-f16", "Oregon Health Plan", payer_id="ORDHS")]
    pracs = [practitioner("pr-f16", NPI_DR_B)]
    covs = [
        coverage("cov-f16a", "Patient/pat-f16a", "Organization/payer-f16", "medicaid"),
        coverage("cov-f16b", "Patient/pat-f16b", "Organization/payer-f16", "medicaid"),
    ]
    a_items = b12_items("2026-03-30", ndc="00517003101", ndc_where="detail")
    b_items = b12_items("2026-03-30")
    eobs = [
        eob(
            "eob-f16a",
            "F16-A",
            "Patient/pat-f16a",
            "Coverage/cov-f16a",
            "Organization/payer-f16",
            "Practitioner/pr-f16",
            ["D51.0"],
            a_items,
        ),
        eob(
            "eob-f16b",
            "F16-B",
            "Patient/pat-f16b",
            "Coverage/cov-f16b",
            "Organization/payer-f16",
            "Practitioner/pr-f16",
            ["D51.0"],
            b_items,
        ),
    ]
    record(
        spec,
        "F16-A",
        "clean",
        "Medicaid (the Coverage in another file of the export), D51.0, NDC with its quantity in item.detail",
        ["D51.0"],
        a_items,
        "medicaid",
        NPI_DR_B,
    )
    record(
        spec,
        "F16-B",
        "ndc",
        "Medicaid B12 line without an NDC (DRA 2005 / state policy): Medicaid is known only from the Coverage file of the export",
        ["D51.0"],
        b_items,
        "medicaid",
        NPI_DR_B,
    )
    names = {
        "Patient": pats,
        "Organization": orgs,
        "Practitioner": pracs,
        "Coverage": covs,
        "ExplanationOfBenefit": eobs,
    }
    files = {
        f"a5e0c1d2-77b4-4c3e-9f00-00000000000{i}.ndjson": rs
        for i, rs in enumerate(names.values(), start=1)
    }
    base = "https://api.example-payer.org/fhir/jobs/42"
    spec.content = files
    spec.manifest = {
        "transactionTime": "2026-04-01T06:00:00Z",
        "request": "https://api.example-payer.org/fhir/Group/clinic-7/$export?_type=Patient,Organization,Practitioner,Coverage,ExplanationOfBenefit",
        "requiresAccessToken": True,
        "output": [
            {"type": kind, "url": f"{base}/{name}"} for name, kind in zip(files, names, strict=True)
        ],
        "error": [],
    }
    return spec


def f17() -> FhirSpec:
    """A clinic's day as FHIR: a B12 Claim, and another patient's antibiotic with its administration."""
    spec = FhirSpec(
        "f17_other_patients_chart.json",
        "fhir",
        "an EHR export of one clinic day: a B12 Claim of one patient (no MedicationAdministration for her in the export) and another patient's ceftriaxone Claim with the MedicationAdministration of that antibiotic",
        None,
    )
    res = [
        patient("pat-f17a", "MBR1701", "Tran", "Kim", "1961-01-01"),
        patient("pat-f17b", "MBR1702", "Ueda", "Ken", "1962-02-02"),
        organization("payer-f17", "Aetna", payer_id="60054"),
        coverage("cov-f17a", "Patient/pat-f17a", "Organization/payer-f17", "commercial"),
        coverage("cov-f17b", "Patient/pat-f17b", "Organization/payer-f17", "commercial"),
        practitioner("pr-f17", NPI_DR_A),
    ]
    a_items = b12_items("2026-03-31", ndc="00517003101", ndc_where="detail", eob_=False)
    res.append(
        claim(
            "F17-A",
            "Patient/pat-f17a",
            "Coverage/cov-f17a",
            "Practitioner/pr-f17",
            ["D51.0"],
            a_items,
        )
    )
    record(
        spec,
        "F17-A",
        "clean",
        "a correctly billed B12 visit (D51.0, J3420 x1 with NDC, 96372): the export carries no chart for this patient, as a bare claim export carries none; another patient's antibiotic administration does not make her chart missing",
        ["D51.0"],
        a_items,
        "commercial",
        NPI_DR_A,
    )
    b_items = [
        item(
            1,
            "J0696",
            "2026-03-31",
            qty=4,
            dxseq=(1,),
            ndc="60505075000",
            ndc_where="detail",
            charge=15.0,
            eob=False,
        ),
        item(2, "96372", "2026-03-31", charge=25.0, eob=False),
    ]
    res.append(
        claim(
            "F17-B",
            "Patient/pat-f17b",
            "Coverage/cov-f17b",
            "Practitioner/pr-f17",
            ["J18.9"],
            b_items,
        )
    )
    spec.claims["F17-B"] = Expect("out_of_scope", "ceftriaxone 1 g IM for pneumonia: not B12")
    res.append({
        "resourceType": "MedicationAdministration", "id": "ma-f17b", "status": "completed",
        "medicationCodeableConcept": {"coding": [coding(RXNORM, "1665021", "ceftriaxone 1000 MG Injection")], "text": "Ceftriaxone 1 g"},
        "subject": {"reference": "Patient/pat-f17b"}, "effectiveDateTime": "2026-03-31T11:05:00-07:00",
        "dosage": {"route": cc(SNOMED, "78421000"), "dose": {"value": 1, "unit": "g", "system": "http://unitsofmeasure.org", "code": "g"}},
    })  # fmt: skip
    spec.content = collection(res, "https://ehr.example.org/fhir")
    return spec


def ALL() -> list[FhirSpec]:  # noqa: N802
    """Every FHIR file spec."""
    return [
        f01(),
        f02(),
        f03(),
        f04(),
        f05(),
        f06(),
        f07(),
        f08(),
        f09(),
        f10(),
        f11(),
        f12(),
        f13(),
        f14(),
        f15(),
        f16(),
        f17(),
    ]
