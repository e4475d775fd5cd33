"""SARIF 2.1.0: valid against the official OASIS schema, rules documented, stable fingerprints."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import jsonschema
import pytest
from report_batch import SARIF_SCHEMA, Check, batch_lines


@pytest.fixture(scope="module")
def validator() -> Any:
    if not SARIF_SCHEMA.is_file():
        pytest.skip(f"official SARIF schema not found at {SARIF_SCHEMA} (../shared/reference)")
    schema = json.loads(SARIF_SCHEMA.read_text(encoding="utf-8"))
    if "properties" not in schema and "Root" in schema.get("definitions", {}):
        # This copy keeps the log's own schema under definitions/Root: without the $ref the
        # top level would accept any document at all.
        schema = {**schema, "$ref": "#/definitions/Root"}
    cls = jsonschema.validators.validator_for(schema)
    return cls(schema, format_checker=cls.FORMAT_CHECKER)


def test_validator_rejects_invalid_sarif(validator: Any) -> None:
    bad = {
        "version": "2.1.0",
        "runs": [
            {
                "tool": {"driver": {"name": "b12lint"}},
                "results": [{"message": {"text": "x"}, "level": "fatal"}],
            }
        ],
    }
    assert list(validator.iter_errors(bad))
    assert list(validator.iter_errors({"version": "2.1.0"}))  # runs is required


def sarif(check: Check, *args: str) -> dict[str, Any]:
    result = check(*args, "--format", "sarif")
    assert result.exit_code in (0, 1), result.output
    return json.loads(result.stdout)


def assert_valid(validator: Any, doc: dict[str, Any]) -> None:
    errors = sorted(validator.iter_errors(doc), key=lambda e: list(e.absolute_path))
    assert not errors, "\n".join(f"{list(e.absolute_path)}: {e.message}" for e in errors[:5])


def test_valid_against_official_schema(validator: Any, check: Check, batch: Path) -> None:
    doc = sarif(check, str(batch))
    assert_valid(validator, doc)
    assert doc["version"] == "2.1.0"


def test_empty_run_is_valid(validator: Any, check: Check, empty_batch: Path) -> None:
    doc = sarif(check, str(empty_batch), "--allow-empty")
    assert_valid(validator, doc)
    assert doc["runs"][0]["results"] == []
    assert len(doc["runs"][0]["tool"]["driver"]["rules"]) > 20  # rules documented anyway


def test_suppressed_and_redacted_run_is_valid(validator: Any, check: Check, batch: Path) -> None:
    check(str(batch), "--write-baseline", "base.json")
    doc = sarif(check, str(batch), "--baseline", "base.json", "--show-suppressed", "--redact")
    assert_valid(validator, doc)
    results = doc["runs"][0]["results"]
    assert len(results) == 6
    assert all(r["suppressions"][0]["justification"] == "baseline" for r in results)
    assert doc["runs"][0]["properties"]["redacted"] is True


def test_rules_and_results(check: Check, batch: Path) -> None:
    run = sarif(check, str(batch), "--no-redact-shared")["runs"][0]
    rules = run["tool"]["driver"]["rules"]
    ids = [r["id"] for r in rules]
    assert ids == sorted(ids)
    units = rules[ids.index("B12-UNITS-001")]
    assert units["name"] == "j3420-units-match-dose"
    assert units["shortDescription"]["text"].startswith("J3420 units must equal")
    assert "ceil(mcg / 1000)" in units["fullDescription"]["text"]
    assert units["defaultConfiguration"]["level"] == "error"
    assert "Sources" in units["help"]["text"] and units["help"]["markdown"]
    freq = rules[ids.index("B12-FREQ-001")]
    assert freq["helpUri"].startswith("https://www.cms.gov/")

    result = next(r for r in run["results"] if r["ruleId"] == "B12-UNITS-001")
    assert result["level"] == "error"
    assert result["ruleIndex"] == ids.index("B12-UNITS-001")
    assert result["message"]["text"].startswith("ENC-BRAVO-0003: J3420 billed 2 units")
    loc = result["locations"][0]
    artifact = loc["physicalLocation"]["artifactLocation"]
    assert (artifact["uri"], artifact["uriBaseId"]) == ("claims/batch.jsonl", "%SRCROOT%")
    assert loc["physicalLocation"]["region"] == {"startLine": 3}
    assert loc["logicalLocations"][0]["fullyQualifiedName"] == "ENC-BRAVO-0003/lines/0/units"
    assert result["properties"]["fix"] == {"pointer": "/lines/0/units", "value": 1}
    unreadable = next(r for r in run["results"] if r["ruleId"] == "B12-INPUT-001")
    assert "logicalLocations" not in unreadable["locations"][0]
    notes = run["invocations"][0]["toolExecutionNotifications"]
    assert "--redact" in notes[0]["message"]["text"]  # unredacted: redaction advised


def fingerprints(doc: dict[str, Any]) -> dict[tuple[str, str], tuple[str, int]]:
    out = {}
    for r in doc["runs"][0]["results"]:
        key = (r["ruleId"], r["properties"]["encounterId"] or r["message"]["text"])
        line = r["locations"][0]["physicalLocation"]["region"]["startLine"]
        out[key] = (next(iter(r["partialFingerprints"].values())), line)
    return out


def test_fingerprints_survive_moving_records(check: Check, batch: Path, tmp_path: Path) -> None:
    before = fingerprints(sarif(check, str(batch), "--no-redact-shared"))
    lines = batch_lines()
    moved = tmp_path / "claims" / "moved.jsonl"
    blank = json.dumps({"encounter_id": "NEW-1", "date_of_service": "2026-01-01"})
    moved.write_text("\n".join([blank, *reversed(lines)]) + "\n", encoding="utf-8")
    after = fingerprints(sarif(check, "claims/moved.jsonl", "--no-redact-shared"))
    # the input-error fingerprint includes its file; compare the encounter findings
    same = {k: v for k, v in before.items() if not k[0].startswith("B12-INPUT")}
    assert same.keys() <= after.keys()
    for key, (fp, line) in same.items():
        assert after[key][0] == fp, key
        assert after[key][1] != line, key  # it did move
    assert len({fp for fp, _ in before.values()}) == len(before)  # all distinct


def test_fingerprint_changes_with_the_value(check: Check, batch: Path, tmp_path: Path) -> None:
    before = fingerprints(sarif(check, str(batch), "--no-redact-shared"))
    changed = batch.read_text().replace('"units": 2', '"units": 3')
    (tmp_path / batch).write_text(changed)
    after = fingerprints(sarif(check, str(batch), "--no-redact-shared"))
    key = ("B12-UNITS-001", "ENC-BRAVO-0003")
    assert after[key][0] != before[key][0]
    assert (
        after[("B12-PROV-001", "ENC-CHARLIE-0004")] == before[("B12-PROV-001", "ENC-CHARLIE-0004")]
    )


def test_every_rule_has_a_help_uri(check: Check, empty_batch: Path) -> None:
    rules = sarif(check, str(empty_batch), "--allow-empty")["runs"][0]["tool"]["driver"]["rules"]
    assert rules and all(r["helpUri"].startswith("https://") for r in rules)
    by_id = {r["id"]: r for r in rules}
    # a rule whose sources carry no URL links to its entry in the rules reference
    assert by_id["B12-INPUT-001"]["helpUri"].endswith("/rules#b12-input-001")


def test_inputs_under_the_working_directory_are_relative_to_srcroot(
    validator: Any, check: Check, batch: Path, tmp_path: Path
) -> None:
    outside = tmp_path.parent / f"{tmp_path.name}-outside" / "other batch.jsonl"
    outside.parent.mkdir()
    outside.write_text(batch_lines()[2] + "\n", encoding="utf-8")
    doc = sarif(check, str(batch), str(outside), "--no-redact-shared")
    assert_valid(validator, doc)
    run = doc["runs"][0]
    assert run["originalUriBaseIds"] == {"%SRCROOT%": {"uri": tmp_path.as_uri() + "/"}}
    locations = {a["location"]["uri"]: a["location"].get("uriBaseId") for a in run["artifacts"]}
    assert locations == {
        "claims/batch.jsonl": "%SRCROOT%",
        outside.as_uri(): None,  # file:// URI, "other%20batch.jsonl"
    }
    assert "%20" in outside.as_uri()
    for result in run["results"]:
        uri = result["locations"][0]["physicalLocation"]["artifactLocation"]["uri"]
        assert uri in locations


def test_absolute_paths_under_the_working_directory_are_relative_too(
    check: Check, batch: Path, tmp_path: Path
) -> None:
    run = sarif(check, str(tmp_path / batch), "--no-redact-shared")["runs"][0]
    assert [a["location"] for a in run["artifacts"]] == [
        {"uri": "claims/batch.jsonl", "uriBaseId": "%SRCROOT%"}
    ]
