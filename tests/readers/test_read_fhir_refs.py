"""FHIR references: contained resources, bulk exports across files, prescriptions, and the
false frequency errors a careless mapping makes (one patient's visit read twice, two
patients read as one)."""

from __future__ import annotations

import copy

import orjson
import pytest
from fhir_build import (
    B12_LINES,
    admin,
    base,
    bundle,
    claim,
    condition,
    contained_claim,
    dumps,
    entry_bundle,
    eob,
    patient,
    synthea_eob,
    synthea_pharmacy,
)

from b12lint.engine import load_ruleset, run
from b12lint.model import InputError, Record
from b12lint.readers import read_inputs
from b12lint.readers.fhir import read_fhir
from b12lint.readers.fhir_bulk import bulk_siblings, bulk_type, sibling_index
from b12lint.readers.fhir_refs import KEPT, Index, prune
from b12lint.readers.stats import collecting


def records(data: bytes, file: str = "b.json") -> list[Record]:
    items = list(read_fhir(data, file))
    assert all(isinstance(i, Record) for i in items), items
    return items  # type: ignore[return-value]


def frequency(items) -> list[str]:
    return [
        f.encounter_id for f in run(items, load_ruleset()).findings if f.rule_id == "B12-FREQ-001"
    ]


# Contained resources -------------------------------------------------------------------


def test_two_claims_with_contained_patients_are_two_patients():
    one = contained_claim("C-1", "2026-03-02")
    two = contained_claim("C-2", "2026-03-09")  # 7 days later: too soon for one patient
    items = records(dumps(bundle([*base(), one, two])))
    ids = [r.encounter["patient_id"] for r in items]
    assert ids[0] != ids[1]
    assert frequency(items) == []


def test_contained_patients_with_one_identifier_are_one_patient():
    one = contained_claim("C-1", "2026-03-02", patient="MRN-7")
    two = contained_claim("C-2", "2026-03-09", patient="MRN-7")
    items = records(dumps(bundle([*base(), one, two])))
    assert [r.encounter["patient_id"] for r in items] == ["MRN-7", "MRN-7"]
    assert frequency(items) == ["C-2"]  # the control: the same patient 7 days later is judged


def test_contained_coverage_and_practitioner_resolve_within_their_claim_only():
    c = claim("C-1", "p1", "2026-03-02", B12_LINES, ["D51.0"])
    c["contained"] = [
        {"resourceType": "Coverage", "id": "cov", "status": "active",
         "beneficiary": {"reference": "Patient/p1"}, "payor": [{"display": "State Medicaid"}],
         "type": {"coding": [{"system": "https://nahdo.org/sopt", "code": "2"}]}},
        {"resourceType": "Practitioner", "id": "doc",
         "identifier": [{"system": "http://hl7.org/fhir/sid/us-npi", "value": "1497758544"}]},
    ]  # fmt: skip
    c["insurance"][0]["coverage"] = {"reference": "#cov"}
    c["careTeam"][0]["provider"] = {"reference": "#doc"}
    other = claim("C-2", "p1", "2026-04-06", B12_LINES, ["D51.0"])
    other["insurance"][0]["coverage"] = {"reference": "#cov"}  # not contained in C-2
    other["careTeam"][0]["provider"] = {"reference": "#doc"}
    first, second = records(dumps(bundle([*base(), c, other])))
    assert first.encounter["payer"] == {"name": "State Medicaid", "type": "medicaid"}
    assert first.encounter["rendering_npi"] == "1497758544"
    assert "payer" not in second.encounter
    assert second.encounter["rendering_npi"] == "1234567893"  # Claim.provider, not C-1's #doc


def test_contained_that_is_not_a_list_or_names_nothing_is_not_a_crash():
    c = contained_claim("C-1", "2026-03-02")
    c["patient"] = {"reference": "#nobody"}
    (record,) = records(dumps(bundle([*base(), c])))
    assert record.encounter["patient_id"] == "Claim/c-1#nobody"
    index = Index()
    assert index.resolve({"reference": "#x"}, {"contained": "not a list"}) is None


# The false frequency error: one visit read as two encounters -----------------------------


def test_a_claim_and_its_eob_are_one_visit_not_two_injections():
    c = claim("C-1", "p1", "2026-03-02", B12_LINES, ["D51.0"])
    e = eob("EOB-9", "p1", "2026-03-02", B12_LINES, ["D51.0"])
    e["claim"] = {"reference": "urn:example:Claim/c-1"}  # the claim's fullUrl
    later = claim("C-2", "p1", "2026-04-06", B12_LINES, ["D51.0"])  # 35 days on: fine
    items = records(dumps(bundle([*base(), c, e, later])))
    assert [r.encounter["encounter_id"] for r in items] == ["C-1", "C-2"]
    assert frequency(items) == []


def test_synthea_claims_and_eobs_by_urn_uuid_give_one_encounter_per_visit():
    pid = "3f1c5a2e-0000-4000-8000-000000000001"
    person = patient(pid, "synthea-1")
    first, order1 = synthea_pharmacy("a1", pid, "2026-03-02")
    second, order2 = synthea_pharmacy("a2", pid, "2026-04-06")
    data = dumps(entry_bundle([person, order1, first, synthea_eob(first), order2, second,
                               synthea_eob(second)]))  # fmt: skip
    with collecting() as tally:
        items = records(data, "synthea.json")
    assert [r.encounter["encounter_id"] for r in items] == ["claim-a1", "claim-a2"]
    assert {r.encounter["patient_id"] for r in items} == {"synthea-1"}
    assert tally.not_judged["ExplanationOfBenefit"] == 2
    assert tally.not_judged["MedicationRequest"] == 2


def test_an_administration_on_another_day_does_not_join_a_claim():
    data = [*base(), condition("cond1", "p1", "D51.0", "pernicious anemia"),
            admin("ma1", "p1", "2026-03-01", "78421000", reason="cond1"),
            claim("C-1", "p1", "2026-03-02", B12_LINES, ["D51.0"])]  # fmt: skip
    (record,) = records(dumps(bundle(data)))
    assert record.chart_missing and "documentation" not in record.encounter


def _two_date_claim(support: list[str] | None = None) -> dict:
    """A Claim billing one monthly dose on 2026-03-02 and one on 2026-03-30 (items dated)."""
    c = claim("C-2", "p1", "2026-03-02", B12_LINES + B12_LINES, ["D51.0"])
    for item in c["item"][2:]:
        item["servicedDate"] = "2026-03-30"
    if support:
        c["supportingInfo"] = [
            {"sequence": n, "category": {"coding": [{"code": "info"}]},
             "valueReference": {"reference": f"MedicationAdministration/{m}"}}
            for n, m in enumerate(support, 1)
        ]  # fmt: skip
    return c


@pytest.mark.parametrize("support", [None, ["ma1", "ma2"]])
def test_a_claim_over_two_dates_is_one_encounter_per_date_with_that_days_chart(support):
    """One encounter is one visit on one date (as the 837P reader reads such a claim): each
    date is its own encounter ``id@date`` with its own lines and administrations (no false
    2,000 mcg 'documented on 2026-03-02' against J3420 x1 on each date), so the frequency rules
    see both visits."""
    data = [*base(), condition("cond1", "p1", "D51.0", "pernicious anemia"),
            admin("ma1", "p1", "2026-03-02", "78421000", reason="cond1"),
            admin("ma2", "p1", "2026-03-30", "78421000", reason="cond1"),
            _two_date_claim(support)]  # fmt: skip
    first, second = records(dumps(bundle(data)))
    for record, date in ((first, "2026-03-02"), (second, "2026-03-30")):
        assert record.encounter["encounter_id"] == f"C-2@{date}"
        assert str(record.encounter["date_of_service"]) == date
        assert len(record.encounter["lines"]) == 2
        (given,) = record.encounter["documentation"]["administrations"]
        assert given["time"].startswith(date)
    findings = run([first, second], load_ruleset()).findings
    assert not {f.rule_id for f in findings if f.severity in ("error", "warning")}


def test_weekly_doses_on_one_fhir_claim_reach_the_frequency_rules():
    """Four weekly maintenance doses billed on one Claim, no phase charted: B12-FREQ-001 on
    the later visits, as for four claims."""
    c = claim("C-4", "p1", "2026-03-02", B12_LINES * 4, ["D51.0"])
    for n, item in enumerate(c["item"]):
        item["servicedDate"] = ("2026-03-02", "2026-03-09", "2026-03-16", "2026-03-23")[n // 2]
    parts = records(dumps(bundle([*base(), c])))
    assert [p.encounter["encounter_id"] for p in parts] == [
        "C-4@2026-03-02", "C-4@2026-03-09", "C-4@2026-03-16", "C-4@2026-03-23"
    ]  # fmt: skip
    found = [f for f in run(parts, load_ruleset()).findings if f.rule_id == "B12-FREQ-001"]
    assert [f.encounter_id for f in found] == ["C-4@2026-03-09", "C-4@2026-03-16", "C-4@2026-03-23"]


# Prescriptions: the drug billed, never chart evidence -------------------------------------


def test_a_prescription_is_the_drug_billed_and_never_an_administration():
    pid = "3f1c5a2e-0000-4000-8000-000000000002"
    c, order = synthea_pharmacy("b1", pid, "2026-03-02")
    (record,) = records(dumps(entry_bundle([patient(pid, "synthea-2"), order, c])))
    (line,) = record.encounter["lines"]
    assert line["ndc"] == "00517003101"
    assert line["description"] == "cyanocobalamin 1 MG/ML Injectable Solution"
    assert "documentation" not in record.encounter and not record.has_chart


def test_a_dispense_gives_the_quantity_and_a_chart_file_stays_missing_for_it():
    pid = "3f1c5a2e-0000-4000-8000-000000000003"
    c, dispense = synthea_pharmacy("d1", pid, "2026-03-02", kind="MedicationDispense")
    given = admin("ma9", pid, "2026-02-02", "78421000")  # the patient's chart, another day
    (record,) = records(dumps(entry_bundle([patient(pid, "synthea-3"), dispense, c, given])))
    (line,) = record.encounter["lines"]
    assert (line["ndc_quantity"], line["ndc_unit"]) == (1, "ML")
    assert record.chart_missing  # her chart is in the file, none of it for this claim


def test_another_patients_administration_does_not_make_a_claims_chart_missing():
    """An export of one clinic day: one patient's administration says nothing about another
    patient's claim (no chart for her in the export: not a documentation gap)."""
    others = admin("ma9", "p2", "2026-03-02", "78421000")
    data = [*base(), patient("p2", "MRN-2"), others,
            claim("C-1", "p1", "2026-03-02", B12_LINES, ["D51.0"])]  # fmt: skip
    (record,) = records(dumps(bundle(data)))
    assert not record.has_chart and not record.chart_missing
    findings = run([record], load_ruleset()).findings
    assert "B12-IND-003" not in {f.rule_id for f in findings}
    # the patient's own administration after the claim in the file still counts as her chart
    data.append(admin("ma1", "p1", "2026-02-02", "78421000"))
    (record,) = records(dumps(bundle(data)))
    assert record.chart_missing


def test_a_prescription_fills_the_j_code_line_not_the_administration_line():
    pid = "p1"
    c = claim("C-1", pid, "2026-03-02", B12_LINES, ["D51.0"])
    for item in c["item"]:
        item.pop("detail", None)
    _, order = synthea_pharmacy("e1", pid, "2026-03-02")
    order["id"] = "rx1"
    c["prescription"] = {"reference": "MedicationRequest/rx1"}
    (record,) = records(dumps(bundle([*base(), order, c])))
    drug, injection = record.encounter["lines"]
    assert drug["ndc"] == "00517003101" and "description" not in drug
    assert "ndc" not in injection


def test_a_prescription_that_names_no_order_is_ignored():
    c = claim("C-1", "p1", "2026-03-02", B12_LINES, ["D51.0"])
    c["prescription"] = {"reference": "Patient/p1"}
    (record,) = records(dumps(bundle([*base(), c])))
    assert record.encounter["lines"][1].get("ndc") is None


# Bulk export directories -------------------------------------------------------------------


def write_ndjson(path, resources):
    path.write_bytes(b"".join(orjson.dumps(r) + b"\n" for r in resources))


def bulk_export(tmp_path):
    out = tmp_path / "export"
    out.mkdir()
    people = [patient(f"p{i}", f"MBR{i:04d}") for i in range(1, 4)]
    people[0]["name"] = [{"family": "Kept", "given": ["Out"]}]
    write_ndjson(out / "Patient.ndjson", people)
    resources = base()
    write_ndjson(out / "Practitioner.ndjson", [resources[1]])
    write_ndjson(out / "Organization.ndjson", [resources[2]])
    write_ndjson(out / "Coverage.ndjson", [resources[3]])
    claims = [claim(f"C-{i}", f"p{i}", "2026-03-02", B12_LINES, ["D51.0"]) for i in range(1, 4)]
    write_ndjson(out / "Claim.ndjson", claims)
    eobs = []
    for i in range(1, 4):
        e = eob(f"EOB-{i}", f"p{i}", "2026-03-02", B12_LINES, ["D51.0"])
        e["claim"] = {"reference": f"Claim/c-{i}"}
        eobs.append(e)
    eobs.append(eob("EOB-ONLY", "p2", "2026-05-04", B12_LINES, ["D51.0"]))  # no claim
    write_ndjson(out / "ExplanationOfBenefit.ndjson", eobs)
    observation = {"resourceType": "Observation", "id": "o1", "status": "final",
                   "code": {"text": "B12"}}  # fmt: skip
    write_ndjson(out / "Observation.ndjson", [observation])
    return out


def test_a_bulk_export_is_resolved_across_its_files(tmp_path):
    out = bulk_export(tmp_path)
    with collecting() as tally:
        items = list(read_inputs([str(out)]))
    assert all(isinstance(i, Record) for i in items), items
    got = sorted((r.encounter["encounter_id"], r.encounter["patient_id"], r.source.file)
                 for r in items)  # fmt: skip
    assert got == [
        ("C-1", "MBR0001", f"{out.as_posix()}/Claim.ndjson"),
        ("C-2", "MBR0002", f"{out.as_posix()}/Claim.ndjson"),
        ("C-3", "MBR0003", f"{out.as_posix()}/Claim.ndjson"),
        ("EOB-ONLY", "MBR0002", f"{out.as_posix()}/ExplanationOfBenefit.ndjson"),
    ]
    first = next(r for r in items if r.encounter["encounter_id"] == "C-1").encounter
    assert first["payer"] == {"name": "Medicare Part B", "id": "00952", "type": "medicare"}
    assert first["rendering_npi"] == "1234567893"
    expected = {"Patient": 3, "Practitioner": 1, "Organization": 1, "Coverage": 1,
                "ExplanationOfBenefit": 3, "Observation": 1}  # fmt: skip
    assert tally.not_judged == expected
    assert tally.notes == []  # every file is part of an export that has claims


def test_a_broken_line_of_a_bulk_file_is_reported_once_at_its_own_file(tmp_path):
    out = bulk_export(tmp_path)
    with (out / "Patient.ndjson").open("ab") as handle:
        handle.write(b'{"resourceType": "Patient", "id": \n')
        handle.write(orjson.dumps({"resourceType": "Patient", "id": 5}) + b"\n")
    items = list(read_inputs([str(out)]))
    errors = [i for i in items if isinstance(i, InputError)]
    assert [(e.source.file.rsplit("/", 1)[-1], e.source.line) for e in errors] == [
        ("Patient.ndjson", 4),
        ("Patient.ndjson", 5),
    ]
    assert len([i for i in items if isinstance(i, Record)]) == 4


def test_a_broken_claim_line_is_an_input_error_and_the_other_claims_are_read(tmp_path):
    out = bulk_export(tmp_path)
    lines = (out / "Claim.ndjson").read_bytes().splitlines()
    broken = claim("C-X", "p1", "2026-03-02", B12_LINES, ["D51.0"]) | {"status": 5}
    lines.insert(1, orjson.dumps(broken))
    (out / "Claim.ndjson").write_bytes(b"\n".join(lines) + b"\n")
    items = list(read_inputs([str(out / "Claim.ndjson")]))
    (error,) = [i for i in items if isinstance(i, InputError)]
    assert error.source.line == 2 and error.pointer == "/status"
    assert len([i for i in items if isinstance(i, Record)]) == 3


def test_bulk_names_and_siblings(tmp_path):
    out = bulk_export(tmp_path)
    (out / "notes.txt").write_text("x")
    assert bulk_type(out / "Claim.ndjson") == "Claim"
    assert bulk_type(out / "1.ExplanationOfBenefit_2.ndjson") == "ExplanationOfBenefit"
    assert bulk_type(out / "claims.ndjson") is None
    names = [p.name for p in bulk_siblings(out / "Claim.ndjson")]
    assert "Claim.ndjson" not in names and "notes.txt" not in names and "Patient.ndjson" in names


def server_named_export(tmp_path, manifest: bool):
    """The bulk export with the server's own file names (CMS BCDA: ``<job>-<n>.ndjson``),
    with or without its ``$export`` completion manifest saved beside the files."""
    out = bulk_export(tmp_path)
    outputs = []
    for n, named in enumerate(sorted(out.iterdir()), 1):
        opaque = out / f"a5e0c1d2-77b4-{n:04d}.ndjson"
        named.rename(opaque)
        outputs.append({"type": named.stem, "url": f"https://api.example/jobs/42/{opaque.name}"})
    if manifest:
        doc = {"transactionTime": "2026-04-01T06:00:00Z", "request": "https://api.example/$export",
               "requiresAccessToken": True, "output": outputs, "error": []}  # fmt: skip
        (out / "manifest.json").write_text(orjson.dumps(doc, option=orjson.OPT_INDENT_2).decode())
    return out


@pytest.mark.parametrize("listed", [True, False])
def test_a_bulk_export_with_server_file_names_is_resolved_across_its_files(tmp_path, listed):
    """With its manifest beside the files; ``listed`` False: the manifest lists none of them
    by name (a renamed download), so each file's first line gives its type."""
    out = server_named_export(tmp_path, manifest=True)
    if not listed:
        doc = orjson.loads((out / "manifest.json").read_bytes())
        doc["output"] = [{"type": o["type"], "url": o["url"] + ".gz"} for o in doc["output"]]
        (out / "manifest.json").write_bytes(orjson.dumps(doc))
    with collecting() as tally:
        items = list(read_inputs([str(out)]))
    assert all(isinstance(i, Record) for i in items), items  # the manifest is no input error
    by_id = {r.encounter["encounter_id"]: r.encounter for r in items}
    assert sorted(by_id) == ["C-1", "C-2", "C-3", "EOB-ONLY"]
    assert by_id["C-1"]["patient_id"] == "MBR0001"  # the Patient file resolved
    assert by_id["C-1"]["rendering_npi"] == "1234567893"  # the Practitioner file
    assert by_id["EOB-ONLY"]["payer"]["type"] == "medicare"  # the Coverage file
    assert tally.not_judged["ExplanationOfBenefit"] == 3  # the EOBs of the Claims
    assert not [n for n in tally.notes if "no FHIR Claim" in n]  # parts of an export
    assert [n for n in tally.notes if "bulk export manifest" in n] == [
        f"{(out / 'manifest.json').as_posix()}: a FHIR bulk export manifest (transactionTime, "
        "output), not records: not read as such; the export's files take their types from it"
    ]


def test_ndjson_files_that_only_share_a_directory_are_no_export(tmp_path):
    out = server_named_export(tmp_path, manifest=False)
    assert bulk_type(sorted(out.glob("*.ndjson"))[0]) is None
    with collecting() as tally:
        items = list(read_inputs([str(out)]))
    records = {r.encounter["encounter_id"]: r.encounter for r in items}
    assert records["C-1"]["patient_id"] == "p1"  # the reference's id: nothing resolved
    assert "rendering_npi" not in records["C-1"]
    assert [n for n in tally.notes if "no FHIR Claim" in n]  # each file judged on its own


def test_the_manifest_names_a_files_type_before_its_first_line(tmp_path):
    out = server_named_export(tmp_path, manifest=True)
    first = sorted(out.glob("*.ndjson"))[0]
    assert bulk_type(first) == "Claim"  # from the manifest
    doc = orjson.loads((out / "manifest.json").read_bytes())
    doc["output"] = [o for o in doc["output"] if o["type"] != "Claim"]
    (out / "manifest.json").write_bytes(orjson.dumps(doc))
    assert bulk_type(first) == "Claim"  # not listed: from its first line
    first.write_text("not json\n")
    assert bulk_type(first) is None
    (out / "manifest.json").unlink()
    assert bulk_type(sorted(out.glob("*.ndjson"))[1]) is None  # no manifest: no export
    assert bulk_type(out / "missing.ndjson") is None and bulk_type(out / "x.json") is None


@pytest.mark.parametrize(
    "doc",
    [
        {"transactionTime": "2026-04-01T06:00:00Z", "output": "Patient.ndjson"},  # not a list
        {"transactionTime": 5, "output": []},
        {"encounter_id": "E-1", "transactionTime": "2026-04-01", "output": []},  # a record
    ],
)
def test_a_document_that_is_not_a_manifest_is_still_reported(tmp_path, doc):
    path = tmp_path / "manifest.json"
    path.write_bytes(orjson.dumps(doc))
    items = list(read_inputs([str(path)]))
    assert len(items) == 1 and isinstance(items[0], InputError)


def test_the_index_holds_small_facts_not_whole_resources(tmp_path):
    out = bulk_export(tmp_path)
    index = sibling_index(bulk_siblings(out / "ExplanationOfBenefit.ndjson"))
    kept = index.by_ref["Patient/p1"]
    assert kept == {"resourceType": "Patient", "id": "p1",
                    "identifier": [{"system": "urn:example:mrn", "value": "MBR0001"}]}  # fmt: skip
    assert "Observation/o1" not in index.by_ref  # a type no reference needs is not indexed
    assert "Claim/c-1" in index.claim_keys and "id:C-1" in index.claim_keys
    assert all(set(v) <= {"resourceType", "id", *KEPT[v["resourceType"]]}
               for v in index.by_ref.values())  # fmt: skip
    assert prune({"resourceType": "Encounter", "id": "e"}) is None


def test_a_claim_ndjson_file_is_streamed_not_read_whole(tmp_path, monkeypatch):
    out = bulk_export(tmp_path)
    from pathlib import Path

    def no_whole_read(self):
        raise AssertionError(f"{self} read whole")

    monkeypatch.setattr(Path, "read_bytes", no_whole_read)
    items = list(read_inputs([str(out / "ExplanationOfBenefit.ndjson")]))
    assert [i.encounter["encounter_id"] for i in items] == ["EOB-ONLY"]


def test_an_ndjson_file_alone_with_no_claims_is_said_to_be_unchecked(tmp_path):
    path = tmp_path / "people.ndjson"
    write_ndjson(path, [patient("p1", "A"), patient("p2", "B")])
    with collecting() as tally:
        assert list(read_inputs([str(path)])) == []
    assert tally.notes and "no FHIR Claim or ExplanationOfBenefit" in tally.notes[0]
    assert tally.not_judged == {"Patient": 2}


def test_bundle_and_bulk_read_the_same_encounters(tmp_path):
    out = bulk_export(tmp_path)
    resources = []
    for name in ("Patient", "Practitioner", "Organization", "Coverage", "Claim"):
        resources += [orjson.loads(x) for x in (out / f"{name}.ndjson").read_bytes().splitlines()]
    resources = [r for r in resources if "name" not in r or r["resourceType"] != "Patient"] + [
        copy.deepcopy(patient("p1", "MBR0001"))
    ]
    from_bundle = {
        r.encounter["encounter_id"]: r.encounter for r in records(dumps(bundle(resources)))
    }
    from_bulk = {i.encounter["encounter_id"]: i.encounter
                 for i in read_inputs([str(out / "Claim.ndjson")])}  # fmt: skip
    assert from_bulk == from_bundle


def test_malformed_bulk_claim_files(tmp_path):
    from b12lint.readers.base import Limits

    out = bulk_export(tmp_path)
    path = out / "Claim.ndjson"
    data = path.read_bytes()
    first = data.splitlines()[0]
    path.write_bytes(b"\xef\xbb\xbf" + data + b"\r\n" + b"[1, 2]\n" + b'"text"\n' + b"\xff\xfe\n")
    items = list(read_inputs([str(path)]))
    errors = [i for i in items if isinstance(i, InputError)]
    assert [e.source.line for e in errors] == [5, 6, 7]  # line 4 is blank (\r\n)
    assert "no resourceType" in errors[0].message and "UTF-8" in errors[2].message
    assert len([i for i in items if isinstance(i, Record)]) == 3  # the BOM line still read
    small = Limits(max_record_bytes=len(first) - 1)
    from b12lint.readers.fhir_bulk import read_fhir_path

    too_big = [i for i in read_fhir_path(path, "Claim.ndjson", small) if isinstance(i, InputError)]
    assert any("byte limit" in e.message and e.source.line == 1 for e in too_big)


def test_an_eob_whose_items_are_not_a_list_is_an_input_error():
    e = eob("C-1", "p1", "2026-03-02", B12_LINES, ["D51.0"])
    e["item"] = {"sequence": 1}
    e["careTeam"] = "nobody"
    (error,) = list(read_fhir(dumps(bundle([*base(), e])), "b.json"))
    assert isinstance(error, InputError) and error.encounter_id == "C-1"
    assert error.rule_id == "B12-INPUT-002" and error.message.startswith("invalid FHIR")


def test_contained_orders_and_medications_resolve_in_their_container():
    c = claim("C-1", "p1", "2026-03-02", B12_LINES, ["D51.0"])
    for item in c["item"]:
        item.pop("detail", None)
    ndc = {"system": "http://hl7.org/fhir/sid/ndc", "code": "70710166301"}
    medication = {"resourceType": "Medication", "id": "med",
                  "code": {"coding": [ndc], "text": "cyanocobalamin"}}  # fmt: skip
    order = {"resourceType": "MedicationRequest", "id": "rx", "status": "completed",
             "intent": "order", "subject": {"reference": "Patient/p1"},
             "medicationReference": {"reference": "#med"}}  # fmt: skip
    c["contained"] = [order, medication]
    c["prescription"] = {"reference": "#rx"}
    standalone = copy.deepcopy(order)
    standalone["id"] = "rx2"
    standalone["contained"] = [medication | {"id": "m2"}]
    standalone["medicationReference"] = {"reference": "#m2"}
    other = claim("C-2", "p1", "2026-04-06", B12_LINES, ["D51.0"])
    for item in other["item"]:
        item.pop("detail", None)
    other["prescription"] = {"reference": "MedicationRequest/rx2"}
    first, second = records(dumps(bundle([*base(), standalone, c, other])))
    assert first.encounter["lines"][0]["ndc"] == "70710166301"
    assert second.encounter["lines"][0]["ndc"] == "70710166301"
    assert "documentation" not in first.encounter and "documentation" not in second.encounter


def test_an_export_in_several_claim_files_is_indexed_once(tmp_path):
    out = bulk_export(tmp_path)
    eobs = (out / "ExplanationOfBenefit.ndjson").read_bytes().splitlines(keepends=True)
    (out / "ExplanationOfBenefit.ndjson").unlink()
    (out / "ExplanationOfBenefit_1.ndjson").write_bytes(b"".join(eobs[:2]))
    (out / "ExplanationOfBenefit_2.ndjson").write_bytes(b"".join(eobs[2:]))
    files = sorted(out.iterdir())
    assert sibling_index(files) is sibling_index(list(files))  # the same export: reused
    items = list(read_inputs([str(out)]))
    assert sorted(i.encounter["encounter_id"] for i in items) == ["C-1", "C-2", "C-3", "EOB-ONLY"]
    with (out / "Patient.ndjson").open("ab") as handle:
        handle.write(orjson.dumps(patient("p9", "MBR0009")) + b"\n")
    fresh = sibling_index(files)
    assert "Patient/p9" in fresh.by_ref  # a changed file is indexed again


def test_a_real_synthea_bulk_export_without_claims_says_nothing_was_checked():
    from pathlib import Path

    export = Path(__file__).parent / "fixtures" / "fhir" / "synthea-bulk"
    with collecting() as tally:
        items = list(read_inputs([str(export)]))
    assert items == []  # clinical resources only: no Claim, no EOB, no error
    assert tally.not_judged == {"Condition": 2, "MedicationRequest": 2}
    assert len(tally.notes) == 2 and all("nothing in it was checked" in n for n in tally.notes)
