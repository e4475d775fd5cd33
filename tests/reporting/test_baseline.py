"""Baselines: write, re-run with nothing new, change a record, stale entries, bad files."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from report_batch import Check

from b12lint.model import Finding, Location, fingerprint
from b12lint.suppress.baseline import Baseline, BaselineError, match, parse


def findings_of(check: Check, *args: str) -> list[dict[str, object]]:
    result = check(*args, "-f", "json")
    return json.loads(result.stdout)["findings"]


def test_round_trip(check: Check, batch: Path, tmp_path: Path) -> None:
    written = check(str(batch), "--write-baseline", "base.json")
    assert written.exit_code == 0, written.output  # written findings are accepted at once
    assert "wrote baseline base.json (6 findings)" in written.stderr
    doc = json.loads((tmp_path / "base.json").read_text())
    assert doc["b12lint-baseline"] == 1 and len(doc["entries"]) == 6

    again = check(str(batch), "--baseline", "base.json", "-f", "json")
    assert again.exit_code == 0
    report = json.loads(again.stdout)
    assert report["findings"] == []
    assert report["summary"]["suppressed"] == 6
    assert report["summary"]["findings"] == 0
    assert report["summary"]["input_errors"] == 2  # still counted: nothing is hidden

    # One record changes: only its new finding comes back; the others stay accepted.
    text = batch.read_text().replace('"rendering_npi": "1234567893"', '"rendering_npi": "1"', 1)
    batch.write_text(text)
    changed = check(str(batch), "--baseline", "base.json", "-f", "json")
    assert changed.exit_code == 1
    new = json.loads(changed.stdout)["findings"]
    assert [(f["rule_id"], f["encounter_id"]) for f in new] == [("B12-PROV-001", "ENC-ALPHA-0001")]


def test_moved_records_stay_suppressed(check: Check, batch: Path) -> None:
    check(str(batch), "--write-baseline", "base.json")
    lines = batch.read_text().splitlines()
    batch.write_text("\n".join(["", "", *reversed(lines)]) + "\n")
    result = check(str(batch), "--baseline", "base.json")
    assert result.exit_code == 0, result.stdout
    assert "0 findings" in result.stdout and "6 suppressed" in result.stdout


def test_changed_unreadable_record_returns(check: Check, batch: Path) -> None:
    check(str(batch), "--write-baseline", "base.json")
    batch.write_text(batch.read_text().replace('"PAT-\n', '"PAT-X\n'))
    new = findings_of(check, str(batch), "--baseline", "base.json")
    assert [f["rule_id"] for f in new] == ["B12-INPUT-001"]  # other bytes, new digest


def test_stale_entries_are_reported(check: Check, batch: Path) -> None:
    check(str(batch), "--write-baseline", "base.json")
    batch.write_text(batch.read_text().replace('"units": 2', '"units": 1'))
    result = check(str(batch), "--baseline", "base.json")
    assert result.exit_code == 0
    assert (
        "note: baseline: 2 accepted findings no longer found (fixed or changed): "
        "B12-UNITS-001 ENC-BRAVO-0003 (claims/batch.jsonl), "
        "B12-UNITS-003 ENC-BRAVO-0003 (claims/batch.jsonl); refresh it with --write-baseline"
    ) in result.stdout
    as_json = check(str(batch), "--baseline", "base.json", "-f", "json")
    assert "accepted findings no longer found" in as_json.stderr  # notes: stderr, not the JSON
    assert "no longer found" not in as_json.stdout


def test_show_suppressed(check: Check, batch: Path) -> None:
    check(str(batch), "--write-baseline", "base.json")
    hidden = check(str(batch), "--baseline", "base.json")
    assert "suppressed (baseline)" not in hidden.stdout
    shown = check(str(batch), "--baseline", "base.json", "--show-suppressed")
    lines = [x for x in shown.stdout.splitlines() if x.startswith("suppressed (baseline): ")]
    assert len(lines) == 6
    assert shown.exit_code == 0


def test_config_baseline_relative_to_config_file(check: Check, batch: Path, tmp_path: Path) -> None:
    (tmp_path / "claims" / "b12lint.toml").write_text('baseline = "accepted.json"\n')
    check(str(batch), "--write-baseline", "claims/accepted.json")
    result = check(str(batch), "--config", "claims/b12lint.toml")
    assert result.exit_code == 0 and "6 suppressed" in result.stdout


def test_duplicate_fingerprints_are_counted() -> None:
    f = Finding(
        rule_id="R-1",
        severity="error",
        category="units",
        encounter_id="E",
        message="m",
        location=Location(file="a", line=1, pointer="/x"),
        subject="2",
    )
    baseline = Baseline.of([f])
    outcome = match(
        [f, f.model_copy(update={"location": Location(file="a", line=9, pointer="/x")})], baseline
    )
    # same content twice, accepted once: the second is new (fingerprints ignore lines)
    assert len(outcome.suppressed) == 1 and len(outcome.kept) == 1
    assert fingerprint(outcome.kept[0]) == fingerprint(f)


@pytest.mark.parametrize(
    ("content", "problem"),
    [
        (b"{not json", "not valid JSON"),
        (b"[]", "not a b12lint baseline"),
        (b'{"b12lint-baseline": 99, "entries": []}', "format 99 is not supported"),
        (b'{"b12lint-baseline": 1, "entries": {}}', "'entries' must be a list"),
        (b'{"b12lint-baseline": 1, "entries": [3]}', "entries[0]: expected an object"),
        (b'{"b12lint-baseline": 1, "entries": [{"count": 1}]}', "'fingerprint' must be"),
        (
            b'{"b12lint-baseline": 1, "entries": [{"fingerprint": "a", "count": 0}]}',
            "'count' must be a positive integer",
        ),
    ],
)
def test_malformed_baseline_is_exit_2(
    content: bytes, problem: str, check: Check, batch: Path, tmp_path: Path
) -> None:
    (tmp_path / "bad.json").write_bytes(content)
    result = check(str(batch), "--baseline", "bad.json")
    assert result.exit_code == 2
    assert result.stderr.startswith("b12lint: error: bad.json: ")
    assert problem in result.stderr
    assert "Traceback" not in result.output
    with pytest.raises(BaselineError, match=r"x\.json: "):
        parse(content, "x.json")


def test_missing_baseline_is_exit_2(check: Check, batch: Path) -> None:
    result = check(str(batch), "--baseline", "nope.json")
    assert result.exit_code == 2
    assert "nope.json: cannot read baseline" in result.stderr
    assert "--write-baseline" in result.stderr


def test_unwritable_baseline_is_exit_2(check: Check, batch: Path) -> None:
    result = check(str(batch), "--write-baseline", "no/such/dir/base.json")
    assert result.exit_code == 2
    assert "cannot write baseline no/such/dir/base.json" in result.stderr


def test_baseline_bytes_are_deterministic(check: Check, batch: Path, tmp_path: Path) -> None:
    check(str(batch), "--write-baseline", "a.json")
    check(str(batch), "--write-baseline", "b.json")
    assert (tmp_path / "a.json").read_bytes() == (tmp_path / "b.json").read_bytes()
