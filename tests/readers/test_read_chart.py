"""Chart files joined to claims (--documentation), and the chart-gap finding."""

from __future__ import annotations

import json

import orjson
from click.testing import CliRunner
from x12_build import Subscriber, b12_claim, interchange

from b12lint.cli import cli
from b12lint.engine import load_ruleset, run
from b12lint.model import InputError, Record
from b12lint.readers import join, load_chart, read_inputs

DOC = {
    "indication": "pernicious anemia",
    "indication_codes": ["D51.0"],
    "monitoring": {"plan": "B12 and CBC every 6 months", "last_b12_lab_date": "2026-01-05"},
    "administrations": [{"drug": "cyanocobalamin", "dose": "1000 mcg", "route": "IM"}],
}


def write_claims(tmp_path, *claim_ids: str):
    dates = ["20260105", "20260209", "20260316", "20260420"]  # monthly: no frequency finding
    claims = [b12_claim(cid, dates[i]) for i, cid in enumerate(claim_ids)]
    path = tmp_path / "claims.837"
    path.write_text(interchange([[Subscriber(claims=claims)]]), encoding="latin-1")
    return path


def write_chart(tmp_path, records, name="chart.jsonl"):
    path = tmp_path / name
    path.write_bytes(b"".join(orjson.dumps(r) + b"\n" for r in records))
    return path


def test_chart_records_join_their_claims(tmp_path):
    claims = write_claims(tmp_path, "C1", "C2")
    chart = load_chart([str(write_chart(tmp_path, [{"encounter_id": "C1", "documentation": DOC}]))])
    first, second = join(read_inputs([str(claims)]), chart)
    assert isinstance(first, Record) and isinstance(second, Record)
    assert first.has_chart and first.encounter["documentation"]["indication"] == "pernicious anemia"
    assert not second.has_chart and second.chart_missing
    assert chart.unmatched() == []


def test_a_claim_without_chart_record_is_one_gap_finding_and_chart_rules_are_skipped(tmp_path):
    claims = write_claims(tmp_path, "C1", "C2")
    chart = load_chart([str(write_chart(tmp_path, [{"encounter_id": "C1", "documentation": DOC}]))])
    result = run(join(read_inputs([str(claims)]), chart), load_ruleset())
    assert [(f.encounter_id, f.rule_id) for f in result.findings] == [("C2", "B12-IND-003")]
    assert result.summary.without_chart == 1
    # The same claims with no chart at all: no gap finding, both counted without chart.
    bare = run(read_inputs([str(claims)]), load_ruleset())
    assert bare.findings == [] and bare.summary.without_chart == 2


def test_native_records_keep_their_own_documentation(tmp_path):
    native = tmp_path / "native.jsonl"
    native.write_text(
        json.dumps(
            {
                "encounter_id": "N1",
                "date_of_service": "2026-03-02",
                "diagnoses": ["D51.0"],
                "documentation": {**DOC, "phase": "maintenance"},
                "lines": [{"code": "J3420", "units": 1}, {"code": "96372", "units": 1}],
            }
        )
        + "\n",
        encoding="utf-8",
    )
    chart = load_chart(
        [
            str(
                write_chart(
                    tmp_path,
                    [{"encounter_id": "N1", "documentation": {"indication": "B12 deficiency"}}],
                )
            )
        ]
    )
    (record,) = join(read_inputs([str(native)]), chart)
    doc = record.encounter["documentation"]
    assert doc["indication"] == "B12 deficiency" and doc["phase"] == "maintenance"
    unknown = load_chart([str(write_chart(tmp_path, [], name="empty.jsonl"))])
    (record,) = join(read_inputs([str(native)]), unknown)
    assert record.has_chart and not record.chart_missing  # it carried its own chart


def test_bad_and_duplicate_chart_records_are_input_errors_in_the_chart_file(tmp_path):
    path = write_chart(
        tmp_path,
        [
            {"encounter_id": "C1", "documentation": DOC},
            {"encounter_id": "C2", "documentation": "see paper chart"},
            {"encounter_id": "C1", "documentation": DOC},
            {"documentation": DOC},
        ],
    )
    with path.open("ab") as handle:
        handle.write(b"{not json\n")
    chart = load_chart([str(path)])
    assert [(e.source.line, e.rule_id, e.pointer) for e in chart.errors] == [
        (2, "B12-INPUT-002", "/documentation"),
        (3, "B12-INPUT-003", "/encounter_id"),
        (4, "B12-INPUT-002", "/encounter_id"),
        (5, "B12-INPUT-001", ""),
    ]
    assert list(chart.records) == ["C1"]
    items = list(join(iter(()), chart))
    assert all(isinstance(i, InputError) for i in items) and len(items) == 4


def test_yaml_and_json_charts_and_unmatched_notes(tmp_path):
    yaml_chart = tmp_path / "chart.yaml"
    yaml_chart.write_text(
        "- encounter_id: C1\n  documentation: {indication: pernicious anemia}\n"
        "- encounter_id: C9\n  documentation: {indication: pernicious anemia}\n",
        encoding="utf-8",
    )
    json_chart = tmp_path / "chart.json"
    json_chart.write_text(
        json.dumps({"encounter_id": "C8", "documentation": DOC}), encoding="utf-8"
    )
    chart = load_chart([str(yaml_chart), str(json_chart)])
    assert sorted(chart.records) == ["C1", "C8", "C9"]
    list(join(read_inputs([str(write_claims(tmp_path, "C1"))]), chart))
    notes = chart.notes()
    assert len(notes) == 2
    assert "1 chart record matched no claim" in notes[0] and "line 3, C9" in notes[0]


def test_cli_documentation_option(tmp_path):
    claims = write_claims(tmp_path, "C1", "C2")
    chart = write_chart(
        tmp_path,
        [
            {"encounter_id": "C1", "documentation": DOC},
            {"encounter_id": "C7", "documentation": DOC},
        ],
    )
    runner = CliRunner()
    result = runner.invoke(cli, ["check", str(claims), "--documentation", str(chart), "-f", "json"])
    assert result.exit_code == 1, result.output
    report = json.loads(result.stdout)
    assert report["summary"]["without_chart"] == 1
    assert "C7" in result.stderr  # the unmatched chart record is a note on stderr
    assert [f["rule_id"] for f in report["findings"]] == ["B12-IND-003"]
    text = runner.invoke(cli, ["check", str(claims), "--documentation", str(chart)])
    assert "note:" in text.output and "C7" in text.output
    missing = runner.invoke(
        cli, ["check", str(claims), "--documentation", str(tmp_path / "nope.jsonl")]
    )
    assert missing.exit_code == 2 and "nope.jsonl" in missing.output
    bare = runner.invoke(cli, ["check", str(claims), "-f", "json"])
    assert bare.exit_code == 0 and json.loads(bare.stdout)["summary"]["without_chart"] == 2


def test_cli_input_format_and_csv_config(tmp_path):
    export = tmp_path / "export.txt"
    export.write_text(
        "ClaimNo,DOS,CPT,Qty\nC1,2026-03-02,J3420,0\nC1,2026-03-02,96372,1\n", encoding="utf-8"
    )
    config = tmp_path / "b12lint.toml"
    config.write_text(
        '[csv.columns]\nencounter_id = "ClaimNo"\ndate_of_service = "DOS"\n'
        'code = "CPT"\nunits = "Qty"\n',
        encoding="utf-8",
    )
    runner = CliRunner()
    result = runner.invoke(
        cli, ["check", str(export), "--input-format", "csv", "--config", str(config), "-f", "json"]
    )
    report = json.loads(result.output)
    assert report["summary"]["encounters"] == 1
    assert "B12-UNITS-002" in [f["rule_id"] for f in report["findings"]]
    bad = tmp_path / "bad.toml"
    bad.write_text('[csv]\ndelimiter = ";;"\n', encoding="utf-8")
    result = runner.invoke(
        cli, ["check", str(export), "--input-format", "csv", "--config", str(bad)]
    )
    assert result.exit_code == 2 and "delimiter" in result.output


def test_rule_examples_can_state_the_chart_status():
    from b12lint.engine.selftest import findings_for, run_rule_examples

    ruleset = load_ruleset()
    rule = ruleset.by_id["B12-IND-003"]
    pack = ruleset.packs[0]
    results = run_rule_examples(rule, pack)
    assert results and all(r.ok for r in results)
    record = {"encounter_id": "E", "date_of_service": "2026-03-02", "lines": [{"code": "J3420"}]}
    missing = findings_for(rule, pack, [{**record, "x-chart": "missing"}], "t")
    assert [f.rule_id for f in missing] == ["B12-IND-003"]
    assert findings_for(rule, pack, [{**record, "x-chart": "absent"}], "t") == []
    (bad,) = findings_for(rule, pack, [{**record, "x-chart": "maybe"}], "t")
    assert bad.category == "input" and "x-chart" in bad.message


def test_a_claim_split_by_date_takes_that_day_of_its_chart(tmp_path):
    claim = b12_claim("S1", "20260302")
    claim["lines"] += [
        {"code": "J3420", "units": 1, "date": "20260309", "ndc": "00517003101"},
        {"code": "96372", "units": 1, "date": "20260309"},
    ]
    path = tmp_path / "series.837"
    path.write_text(interchange([[Subscriber(claims=[claim])]]), encoding="latin-1")
    given = [
        {"drug": "cyanocobalamin", "dose": "1000 mcg", "route": "IM", "time": day}
        for day in ("2026-03-02T10:00:00", "2026-03-09T10:00:00")
    ]
    doc = {**DOC, "phase": "repletion", "administrations": given}
    chart = load_chart([str(write_chart(tmp_path, [{"encounter_id": "S1", "documentation": doc}]))])
    first, second = join(read_inputs([str(path)]), chart)
    assert isinstance(first, Record) and isinstance(second, Record)
    assert [first.encounter["encounter_id"], second.encounter["encounter_id"]] == [
        "S1@2026-03-02",
        "S1@2026-03-09",
    ]
    assert first.has_chart and second.has_chart
    assert [a["time"] for a in first.encounter["documentation"]["administrations"]] == [
        "2026-03-02T10:00:00"
    ]
    assert [a["time"] for a in second.encounter["documentation"]["administrations"]] == [
        "2026-03-09T10:00:00"
    ]
    assert chart.unmatched() == []
    result = run(join(read_inputs([str(path)]), chart), load_ruleset())
    assert [f.rule_id for f in result.findings if f.severity != "info"] == []


def test_a_fresh_process_validates_charts_before_any_encounter(tmp_path):
    """The encounter model's pydantic types are made on first use: a chart validator built
    before any encounter was validated by pydantic (a YAML or JSON record takes msgspec) must
    make them itself."""
    import subprocess
    import sys

    chart = tmp_path / "c.chart.jsonl"
    chart.write_text(json.dumps({"encounter_id": "C-1", "documentation": DOC}) + "\n")
    code = (
        "import sys\n"
        "from b12lint.readers import load_chart\n"
        "chart = load_chart([sys.argv[1]])\n"
        "assert not chart.errors and 'C-1' in chart.records, chart.errors\n"
        "assert 'pydantic' in sys.modules\n"
    )
    done = subprocess.run([sys.executable, "-c", code, str(chart)], capture_output=True)
    assert done.returncode == 0, done.stderr.decode()
