"""FHIR versions: history Bundles, DELETE entries and adjusted claims (``related``)."""

from __future__ import annotations

import copy
import json

import pytest
from fhir_build import B12_LINES, base, bundle, dumps, eob

from b12lint.engine import load_ruleset, run
from b12lint.model import InputError, Record
from b12lint.readers import read_inputs
from b12lint.readers.fhir import read_fhir
from b12lint.readers.fhir_versions import deleted_type
from b12lint.readers.stats import collecting

C4BB_RELATED = "http://hl7.org/fhir/us/carin-bb/CodeSystem/C4BBRelatedClaimRelationshipCodes"
HL7_RELATED = "http://terminology.hl7.org/CodeSystem/ex-relatedclaimrelationship"


def read(data: dict | bytes, file: str = "b.json") -> tuple[list[object], dict[str, int]]:
    raw = data if isinstance(data, bytes) else dumps(data)
    with collecting() as tally:
        items = list(read_fhir(raw, file))
    return items, dict(tally.not_judged)


def history(entries: list[dict]) -> dict:
    return {"resourceType": "Bundle", "id": "h1", "type": "history", "entry": entries}


def version(resource: dict, number: str | None, modified: str, method: str = "PUT") -> dict:
    resource = copy.deepcopy(resource)
    if number is not None:
        resource["meta"] = {"versionId": number}
    kind, rid = resource["resourceType"], resource["id"]
    return {
        "fullUrl": f"https://payer.example/fhir/{kind}/{rid}",
        "resource": resource,
        "request": {"method": method, "url": f"{kind}/{rid}"},
        "response": {"status": "200", "lastModified": modified},
    }


def deletion(kind: str, rid: str, modified: str, etag: str | None = None) -> dict:
    response = {"status": "204", "lastModified": modified}
    if etag:
        response["etag"] = etag
    return {
        "fullUrl": f"https://payer.example/fhir/{kind}/{rid}",
        "request": {"method": "DELETE", "url": f"{kind}/{rid}"},
        "response": response,
    }


def others() -> list[dict]:
    return [
        {"resource": r, "request": {"method": "PUT", "url": f"{r['resourceType']}/{r['id']}"},
         "response": {"status": "200"}}
        for r in base()
    ]  # fmt: skip


def two_versions() -> tuple[dict, dict]:
    """Version 1 bills J3420 x2 (an MUE error), version 2 corrects it to x1."""
    old = eob("EOB-1", "p1", "2026-03-02", [("J3420", 2, 24.0), ("96372", 1, 25.0)], ["D51.0"])
    new = eob("EOB-1", "p1", "2026-03-02", B12_LINES, ["D51.0"])
    return old, new


def units(items: list[object]) -> list[float]:
    return [i.encounter["lines"][0]["units"] for i in items if isinstance(i, Record)]


def test_a_history_bundle_reads_the_newest_version_and_skips_deletes():
    old, new = two_versions()
    entries = [
        version(new, "2", "2026-03-20T10:00:00Z"),
        deletion("ExplanationOfBenefit", "gone", "2026-03-19T10:00:00Z"),
        version(old, "1", "2026-03-10T10:00:00Z", method="POST"),
        *others(),
    ]
    items, not_judged = read(history(entries))
    assert not [i for i in items if isinstance(i, InputError)]
    assert units(items) == [1]  # version 2, once: no duplicate id, no "not a FHIR resource"
    assert not_judged["ExplanationOfBenefit"] == 2  # version 1 and the deletion
    findings = run(items, load_ruleset()).findings
    assert not [f for f in findings if f.severity in ("error", "warning")]


@pytest.mark.parametrize(
    ("numbers", "stamps", "expect"),
    [
        (("1", "2"), ("2026-03-20", "2026-03-10"), 1),  # oldest listed first: the number decides
        ((None, None), ("2026-03-10", "2026-03-20"), 1),  # no numbers: lastModified decides
        ((None, "2"), ("", ""), 2),  # neither on every version: the first listed (newest first)
    ],
)
def test_the_newest_version_is_chosen_by_number_then_time_then_order(numbers, stamps, expect):
    old, new = two_versions()
    first = version(old, numbers[0], stamps[0])
    second = version(new, numbers[1], stamps[1])
    for entry in (first, second):
        if not entry["response"]["lastModified"]:
            del entry["response"]["lastModified"]
    items, _ = read(history([first, second, *others()]))
    assert units(items) == ([1] if expect == 1 else [2])


def test_a_resource_whose_newest_entry_deletes_it_is_not_read():
    old, _ = two_versions()
    entries = [
        deletion("ExplanationOfBenefit", old["id"], "2026-03-20T10:00:00Z", etag='W/"2"'),
        version(old, "1", "2026-03-10T10:00:00Z"),
        *others(),
    ]
    items, not_judged = read(history(entries))
    assert items == []
    assert not_judged["ExplanationOfBenefit"] == 2


def test_a_delete_entry_in_a_transaction_is_no_input_error():
    _, new = two_versions()
    doc = bundle([*base(), new])
    doc["type"] = "transaction"
    doc["entry"].append({"request": {"method": "DELETE", "url": "Claim/c-9"}})
    items, not_judged = read(doc)
    assert units(items) == [1] and not_judged["Claim"] == 1
    # an entry with no resource that is not a DELETE is still reported
    doc["entry"].append({"request": {"method": "PUT", "url": "Claim/c-9"}})
    errors = [i for i in read(doc)[0] if isinstance(i, InputError)]
    assert [e.message for e in errors] == ["not a FHIR resource (no resourceType)"]


@pytest.mark.parametrize(
    "entry",
    [{}, {"request": "DELETE"}, {"request": {"method": 3}}, {"request": {"method": "DELETE"}}],
)
def test_deleted_type_of_malformed_entries(entry):
    found = deleted_type(entry)
    assert found == ("DELETE" if entry.get("request") == {"method": "DELETE"} else None)


def related(code: str, system: str = C4BB_RELATED, **claim: object) -> list[dict]:
    return [{"claim": claim, "relationship": {"coding": [{"system": system, "code": code}]}}]


def adjusted_pair() -> tuple[dict, dict]:
    """An original EOB (J3420 x2) and the payer's adjustment of it (x1), a week later."""
    original, adjustment = two_versions()
    adjustment["id"] = "carrier-eob-2"
    adjustment["identifier"][0]["value"] = "EOB-2"
    adjustment["identifier"][1]["value"] = "G-EOB-2"
    return original, adjustment


def test_an_adjusted_claim_supersedes_the_original_either_way_it_is_said():
    original, adjustment = adjusted_pair()
    original["related"] = related("replacedby", identifier={"value": "EOB-2"})
    adjustment["related"] = related("prior", identifier={"value": "EOB-1"})
    items, not_judged = read(bundle([*base(), original, adjustment]))
    assert [i.encounter["encounter_id"] for i in items] == ["EOB-2"]
    assert not_judged["ExplanationOfBenefit"] == 1
    findings = run(items, load_ruleset()).findings
    assert not [f for f in findings if f.severity in ("error", "warning")]  # no FREQ-001


@pytest.mark.parametrize("said_by", ["original", "adjustment"])
def test_one_side_of_the_relation_is_enough(said_by):
    original, adjustment = adjusted_pair()
    if said_by == "original":
        original["related"] = related("replacedby", reference="ExplanationOfBenefit/x")
    else:  # HL7's code system, the original named by its reference
        adjustment["related"] = related(
            "prior",
            HL7_RELATED,
            reference=f"https://payer.example/fhir/ExplanationOfBenefit/{original['id']}",
        )
    items, _ = read(bundle([*base(), original, adjustment]))
    assert [i.encounter["encounter_id"] for i in items] == ["EOB-2"]


def test_adjustments_are_read_from_ndjson_streamed_twice(tmp_path):
    original, adjustment = adjusted_pair()
    adjustment["related"] = related("prior", identifier={"value": "EOB-1"})
    path = tmp_path / "eobs.ndjson"
    lines = [json.dumps(r) for r in [adjustment, *base(), original]]  # the original last
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    items = list(read_inputs([str(path)]))
    assert [i.encounter["encounter_id"] for i in items] == ["EOB-2"]


def test_a_prior_that_names_the_claim_itself_or_nothing_supersedes_nothing():
    original, adjustment = adjusted_pair()
    adjustment["related"] = [
        *related("prior", identifier={"value": "EOB-2"}),  # its own number
        *related("prior"),  # no claim named
        *related("associated", identifier={"value": "EOB-1"}),  # not a replacement
    ]
    items, _ = read(bundle([*base(), original, adjustment]))
    assert sorted(i.encounter["encounter_id"] for i in items) == ["EOB-1", "EOB-2"]
