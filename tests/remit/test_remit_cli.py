"""``b12lint remit``: the sample batch and its 835, JSON against its schema, exit codes."""

from __future__ import annotations

import json
from pathlib import Path

import jsonschema
from click.testing import CliRunner
from era_build import Clp, Svc, interchange, transaction

from b12lint.cli import cli

REPO = Path(__file__).resolve().parents[2]
CLAIMS = str(REPO / "sample_claims" / "clinic-e-2026-06.837")
CHART = str(REPO / "sample_claims" / "charts" / "clinic-e-2026-06.chart.jsonl")
ERA = str(REPO / "sample_claims" / "remittance")
SCHEMA = json.loads((REPO / "schemas" / "scorecard.schema.json").read_text())


def remit(*args: str):
    return CliRunner().invoke(cli, ["remit", *args], catch_exceptions=False)


def test_sample_scorecard_text() -> None:
    result = remit(CLAIMS, "--documentation", CHART, "--remit", ERA)
    assert result.exit_code == 0, result.output
    out = result.output
    assert "4 claims matched to remittances (1 reversal, 0 from other payers)" in out
    assert "B12-UNITS-003" in out and "B12-MOD-001" in out
    assert "Chart rules (the payer never sees the chart" in out
    assert "CO-50 N115" in out  # denied, no rule flagged it
    assert "Provider-level adjustments (not matched to a claim): WO 15.00" in out
    assert "Remittances that match no checked claim: 1 (E-499)" in out


def test_sample_scorecard_json_matches_its_schema_and_counts() -> None:
    result = remit(CLAIMS, "--documentation", CHART, "--remit", ERA, "-f", "json")
    assert result.exit_code == 0
    doc = json.loads(result.output)
    jsonschema.validate(doc, SCHEMA)
    by_rule = {r["rule_id"]: r for r in doc["rules"]}
    units = by_rule["B12-UNITS-003"]
    assert (units["group"], units["denied"], units["predicted"], units["dollars"]) == (
        "claim",
        1,
        1,
        12.0,
    )
    mod = by_rule["B12-MOD-001"]
    assert (mod["denied"], mod["predicted"], mod["dollars"]) == (1, 1, 90.0)
    assert by_rule["B12-IND-003"]["group"] == "chart"
    assert doc["lines"]["denied_not_flagged"] == 1
    assert doc["claims"]["reversed"] == 1 and doc["unmatched_remittances"] == ["E-499"]


def test_native_records_match_by_encounter_id(tmp_path: Path) -> None:
    record = {
        "encounter_id": "N-1",
        "patient_id": "P-1",
        "date_of_service": "2026-06-01",
        "payer": {"id": "00952", "type": "medicare"},
        "diagnoses": ["D51.0"],
        "documentation": {
            "indication": "pernicious anemia",
            "phase": "maintenance",
            "administrations": [{"drug": "cyanocobalamin", "dose": "1000 mcg", "route": "IM"}],
        },
        "lines": [
            {"code": "J3420", "units": 3, "dx_pointers": [1]},
            {"code": "96372", "units": 1, "dx_pointers": [1]},
        ],
    }
    claims = tmp_path / "batch.jsonl"
    claims.write_text(json.dumps(record) + "\n")
    era = tmp_path / "era.835"
    denied = Svc("J3420", 36, 0, units=3, cas=[("CO", "151", 36)], remarks=["N362"])
    era.write_text(
        interchange([transaction([Clp("N-1", "1", 61, 12, 0, [denied, Svc("96372", 25, 12)])])])
    )
    result = remit(str(claims), "--remit", str(era), "-f", "json")
    doc = json.loads(result.output)
    assert doc["claims"]["matched"] == 1
    units = [r for r in doc["rules"] if r["category"] == "units" and r["denied"]]
    assert units and all(r["predicted"] == 1 for r in units)


def test_unreadable_remittance_is_reported_and_exits_1(tmp_path: Path) -> None:
    era = tmp_path / "bad.835"
    era.write_text("not an X12 file at all")
    result = CliRunner().invoke(cli, ["remit", CLAIMS, "--remit", str(era)])
    assert result.exit_code == 1
    assert "remittance input error" in result.output and "bad.835" in result.output


def test_missing_remittance_path_or_empty_directory_exits_2(tmp_path: Path) -> None:
    result = CliRunner().invoke(cli, ["remit", CLAIMS, "--remit", str(tmp_path / "nope.835")])
    assert result.exit_code == 2 and "no such remittance file" in result.output
    result = CliRunner().invoke(cli, ["remit", CLAIMS, "--remit", str(tmp_path)])
    assert result.exit_code == 2 and "no remittance file" in result.output


def test_check_of_the_sample_directory_does_not_read_the_remittance() -> None:
    result = CliRunner().invoke(cli, ["check", str(REPO / "sample_claims"), "-f", "json"])
    doc = json.loads(result.stdout)
    assert not any("remittance" in f["location"]["file"] for f in doc["findings"])


def test_history_accumulates_outcomes_across_batches_without_double_counting(
    tmp_path: Path,
) -> None:
    store = str(tmp_path / "history.sqlite")
    args = [CLAIMS, "--documentation", CHART, "--remit", ERA, "-f", "json", "--history", store]
    first = json.loads(remit(*args).stdout)
    jsonschema.validate(first, SCHEMA)
    hist = {r["rule_id"]: r for r in first["history"]}
    assert hist["B12-UNITS-003"]["denied"] == 1
    # the same batch again replaces its outcomes: the totals do not double
    again = json.loads(remit(*args).stdout)
    assert again["history"] == first["history"]
    # a dry run reads the totals and records nothing
    dry = json.loads(remit(*args, "--no-record").stdout)
    assert dry["history"] == first["history"]
    text = remit(CLAIMS, "--remit", ERA, "--history", store).output
    assert "Across every batch recorded in the history" in text


def test_without_history_the_json_says_null() -> None:
    doc = json.loads(remit(CLAIMS, "--remit", ERA, "-f", "json").output)
    assert doc["history"] is None


def test_html_report_has_the_scorecard_and_paid_amounts_at_risk(tmp_path: Path) -> None:
    out = tmp_path / "remit.html"
    result = remit(CLAIMS, "--documentation", CHART, "--remit", ERA, "-f", "html", "-o", str(out))
    assert result.exit_code == 0
    html = out.read_text()
    assert '<section id="scorecard">' in html and "Denied or adjusted, no rule flagged it" in html
    assert "Paid amounts at risk" in html  # the remittance's paid amounts, not billed charges
    assert "CO-50 N115" in html and "B12-UNITS-003" in html
    assert "http://" not in html.replace("http://www.w3.org", "")  # self-contained


def test_a_remit_directory_says_how_many_files_it_skipped(tmp_path: Path) -> None:
    folder = tmp_path / "eras"
    folder.mkdir()
    (folder / "era.835").write_text(
        (REPO / "sample_claims" / "remittance" / "clinic-e-2026-06.835").read_text()
    )
    (folder / "notes.md").write_text("# not a remittance\n")
    result = CliRunner().invoke(cli, ["remit", CLAIMS, "--remit", str(folder)])
    assert result.exit_code == 0
    assert "1 file(s) skipped" in result.stderr


def test_a_claim_read_as_one_encounter_per_date_is_matched_line_by_date(tmp_path: Path) -> None:
    """An 837P claim with two dates of service is read as ``CLM01@date`` encounters; the 835
    remits CLP01 = CLM01: each service line judges the encounter of its date."""

    def visit(date: str, units: int) -> dict[str, object]:
        return {
            "encounter_id": f"W-7@{date}",
            "patient_id": "P-7",
            "date_of_service": date,
            "payer": {"id": "00952", "type": "medicare"},
            "diagnoses": ["D51.0"],
            "lines": [
                {"code": "J3420", "units": units, "dx_pointers": [1]},
                {"code": "96372", "units": 1, "dx_pointers": [1]},
            ],
        }

    claims = tmp_path / "batch.jsonl"
    claims.write_text(
        "\n".join(json.dumps(visit(d, u)) for d, u in (("2026-06-01", 1), ("2026-06-08", 2))) + "\n"
    )
    era = tmp_path / "era.835"
    first = [Svc("J3420", 12, 12, date="20260601"), Svc("96372", 25, 25, date="20260601")]
    denied = Svc("J3420", 24, 0, units=2, date="20260608", cas=[("CO", "151", 24)])
    second = [denied, Svc("96372", 25, 25, date="20260608")]
    era.write_text(interchange([transaction([Clp("W-7", "1", 86, 62, 0, first + second)])]))
    result = remit(str(claims), "--remit", str(era), "-f", "json")
    doc = json.loads(result.output)
    assert doc["claims"]["matched"] == 2 and doc["unmatched_remittances"] == []
    assert doc["claims"]["unmatched_lines"] == 0 and doc["not_remitted"] == []
    units = {r["rule_id"]: r for r in doc["rules"] if r["category"] == "units"}
    assert units["B12-UNITS-003"]["denied"] == 1, units


def test_a_remittance_in_another_encoding_or_compressed_reads_as_the_plain_one(
    tmp_path: Path,
) -> None:
    import bz2
    import gzip

    plain = (REPO / "sample_claims" / "remittance" / "clinic-e-2026-06.835").read_bytes()
    expected = json.loads(
        remit(CLAIMS, "--documentation", CHART, "--remit", ERA, "-f", "json").output
    )
    copies = {
        "utf16.835": b"\xff\xfe" + plain.decode().encode("utf-16-le"),
        "cr.835": plain.replace(b"\n", b"\r"),
        "era.835.gz": gzip.compress(plain),
        "era.835.bz2": bz2.compress(plain),
    }
    for name, data in copies.items():
        folder = tmp_path / name.replace(".", "-")
        folder.mkdir()
        (folder / name).write_bytes(data)
        for given in (folder / name, folder):  # the file, and a directory holding it
            result = remit(CLAIMS, "--documentation", CHART, "--remit", str(given), "-f", "json")
            assert result.exit_code == 0, (name, result.output)
            doc = json.loads(result.stdout)
            assert doc["claims"] == expected["claims"] and doc["rules"] == expected["rules"], name
