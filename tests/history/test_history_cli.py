"""``check --history`` end to end, and ``b12lint history stats|export|prune``."""

from __future__ import annotations

import json
import stat
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner, Result
from history_records import encounter, write_jsonl

from b12lint.cli import cli

PATIENT = "PT-0077"
NAME = "Jane Q Doe"


def b12(*args: str, env: dict[str, str] | None = None) -> Result:
    return CliRunner().invoke(cli, list(args), env=env, catch_exceptions=False)


def check_json(batch: Path, *options: str) -> tuple[Result, dict[str, Any]]:
    result = b12("check", str(batch), "--format", "json", *options)
    assert result.exit_code in (0, 1), result.output
    return result, json.loads(result.stdout)


def frequency(report: dict[str, Any]) -> list[tuple[str, str]]:
    return [
        (f["encounter_id"], f["message"])
        for f in report["findings"]
        if f["category"] == "frequency"
    ]


@pytest.fixture
def batches(tmp_path: Path) -> tuple[Path, Path]:
    one = write_jsonl(
        tmp_path / "batch1.jsonl",
        [
            encounter("E-1", PATIENT, "2026-03-02", **{"x-patient-name": NAME}),
            encounter("E-5", "PT-0500", "2026-03-02"),
        ],
    )
    two = write_jsonl(
        tmp_path / "batch2.jsonl",
        [
            encounter("E-2", PATIENT, "2026-03-09", **{"x-patient-name": NAME}),
            encounter("E-6", "PT-0600", "2026-03-09"),
        ],
    )
    return one, two


def export(target: str) -> list[dict[str, Any]]:
    result = b12("history", "export", "--history", target)
    assert result.exit_code == 0, result.output
    return [json.loads(line) for line in result.stdout.splitlines()]


def test_batch_two_finds_the_injection_of_batch_one(
    batches: tuple[Path, Path], target: str
) -> None:
    one, two = batches
    _, alone = check_json(two)
    assert frequency(alone) == []  # today's file alone misses it
    _, first = check_json(one, "--history", target)
    assert frequency(first) == []
    result, second = check_json(two, "--history", target)
    assert result.exit_code == 1
    (finding,) = [f for f in second["findings"] if f["category"] == "frequency"]
    assert finding["rule_id"] == "B12-FREQ-001"
    assert finding["encounter_id"] == "E-2"
    assert "7 days after the previous one (E-1 on 2026-03-02)" in finding["message"]
    assert finding["location"] == {"file": str(two), "line": 1, "pointer": "/date_of_service"}
    assert second["summary"]["encounters"] == 2  # stored events are not counted or reported
    assert sorted(e["encounter_id"] for e in export(target)) == ["E-1", "E-2", "E-5", "E-6"]


def test_rechecking_updates_instead_of_duplicating(
    batches: tuple[Path, Path], target: str, tmp_path: Path
) -> None:
    one, two = batches
    check_json(one, "--history", target)
    for _ in range(2):
        _, report = check_json(two, "--history", target)
        assert [e for e, _ in frequency(report)] == ["E-2"]  # never against its own copy
    assert sorted(e["encounter_id"] for e in export(target)) == ["E-1", "E-2", "E-5", "E-6"]
    # A corrected date of service for E-1 replaces the stored one: 36 days, no finding.
    fixed = write_jsonl(tmp_path / "fix.jsonl", [encounter("E-1", PATIENT, "2026-02-01")])
    check_json(fixed, "--history", target)
    _, report = check_json(two, "--history", target)
    assert frequency(report) == []
    dates = {e["encounter_id"]: e["date"] for e in export(target)}
    assert dates["E-1"] == "2026-02-01" and len(dates) == 4


def test_an_encounter_rechecked_out_of_scope_is_forgotten(
    batches: tuple[Path, Path], target: str, tmp_path: Path
) -> None:
    one, two = batches
    check_json(one, "--history", target)
    flu = write_jsonl(tmp_path / "flu.jsonl", [encounter("E-1", PATIENT, "2026-03-02", b12=False)])
    check_json(flu, "--history", target)
    assert sorted(e["encounter_id"] for e in export(target)) == ["E-5"]
    _, report = check_json(two, "--history", target)
    assert frequency(report) == []


def test_no_record_reads_but_does_not_write(batches: tuple[Path, Path], target: str) -> None:
    one, two = batches
    result, _ = check_json(one, "--history", target, "--no-record")
    assert "checked without a history (--no-record creates none)" in result.stderr
    stats = b12("history", "stats", "--history", target)
    assert stats.exit_code == 2  # not even an empty history or a key was created
    assert "no such history" in stats.stderr or "no b12lint history" in stats.stderr
    if not target.startswith("postgresql"):
        assert not Path(target).exists() and not Path(target + ".key").exists()
    check_json(one, "--history", target)
    _, report = check_json(two, "--history", target, "--no-record")
    assert [e for e, _ in frequency(report)] == ["E-2"]
    assert sorted(e["encounter_id"] for e in export(target)) == ["E-1", "E-5"]


def test_only_keyed_hashes_dates_and_codes_are_stored(
    batches: tuple[Path, Path], tmp_path: Path
) -> None:
    one, _ = batches
    db = tmp_path / "h.db"
    result, _ = check_json(one, "--history", str(db))
    key = (tmp_path / "h.db.key").read_text().strip()
    assert stat.S_IMODE((tmp_path / "h.db.key").stat().st_mode) == 0o600
    assert "created history key" in result.stderr and key not in result.output
    data = db.read_bytes()
    for secret in (PATIENT, "PT-0500", NAME, "pernicious", "deltoid", key):
        assert secret.encode() not in data
    exported = json.dumps(export(str(db)))
    stats = b12("history", "stats", "--history", str(db), "--format", "json").stdout
    for secret in (PATIENT, NAME, "pernicious"):
        assert secret not in exported and secret not in stats
    assert json.loads(stats)["patients"] == 2
    again, _ = check_json(one, "--history", str(db))
    assert "created history key" not in again.stderr  # told once


def test_history_from_configuration_and_environment(
    batches: tuple[Path, Path], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    one, two = batches
    project = tmp_path / "project"
    (project / "var").mkdir(parents=True)
    (project / "b12lint.toml").write_text('history = "var/h.db"\n')
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    monkeypatch.chdir(elsewhere)
    config = str(project / "b12lint.toml")
    check_json(one, "--config", config)
    assert (project / "var" / "h.db").is_file()  # relative to the configuration file
    _, report = check_json(two, "--config", config)
    assert [e for e, _ in frequency(report)] == ["E-2"]
    stats = b12("history", "stats", "--config", config)
    assert stats.exit_code == 0 and "events:       4" in stats.stdout
    monkeypatch.setenv("B12LINT_HISTORY", "env.db")  # relative to the working directory
    check_json(one)
    assert (elsewhere / "env.db").is_file()


def test_history_commands(batches: tuple[Path, Path], tmp_path: Path) -> None:
    one, two = batches
    db = str(tmp_path / "h.db")
    check_json(one, "--history", db)
    check_json(two, "--history", db)
    text = b12("history", "stats", "--history", db)
    assert text.exit_code == 0
    assert "events:       4 (4 injections)" in text.stdout
    assert "patients:     3" in text.stdout and "2026-03   4" in text.stdout
    out = tmp_path / "export.jsonl"
    assert b12("history", "export", "--history", db, "-o", str(out)).exit_code == 0
    rows = [json.loads(line) for line in out.read_text().splitlines()]
    assert len(rows) == 4 and set(rows[0]) == {
        "encounter_id",
        "patient_hash",
        "date",
        "phase",
        "codes",
        "drugs",
        "dose_mcg",
        "injection",
    }
    pruned = b12("history", "prune", "--history", db, "--before", "2026-03-05")
    assert pruned.exit_code == 0 and "pruned 2 events dated before 2026-03-05" in pruned.stdout
    assert sorted(e["encounter_id"] for e in export(db)) == ["E-2", "E-6"]


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["history", "stats"], "no history: give --history TARGET"),
        (["history", "stats", "--history", "{tmp}/none.db"], "no such history"),
        (["history", "export", "--history", "{tmp}"], "is a directory"),
        (["history", "prune", "--history", "{tmp}/none.db"], "Missing option '--before'"),
        (["history", "prune", "--history", "x.db", "--before", "March"], "'March' does not"),
        (["check", "{batch}", "--history", "{batch}"], "not a usable SQLite database"),
        (["check", "{batch}", "--history", "redis://x"], "unsupported history URL scheme"),
        (["check", "{batch}", "--history", "{tmp}/no/h.db"], "does not exist"),
    ],
)
def test_unusable_targets_exit_2_with_a_message(
    args: list[str], message: str, batches: tuple[Path, Path], tmp_path: Path
) -> None:
    one, _ = batches
    before = one.read_bytes()
    argv = [a.format(tmp=tmp_path, batch=one) for a in args]
    result = b12(*argv)
    assert result.exit_code == 2
    assert message in result.stderr
    assert one.read_bytes() == before


def test_a_postgresql_history_needs_the_team_key(batches: tuple[Path, Path], pg_url: str) -> None:
    one, _ = batches
    result = b12("check", str(one), "--history", pg_url)
    assert result.exit_code == 2
    assert "needs the team's key: set B12LINT_HISTORY_KEY" in result.stderr
    assert pg_url.split("@")[0].split(":")[-1] not in result.stderr  # no password


def test_a_different_key_is_refused(
    batches: tuple[Path, Path], target: str, tmp_path: Path
) -> None:
    one, _ = batches
    check_json(one, "--history", target)
    other = tmp_path / "other.key"
    other.write_text("z" * 40)
    other.chmod(0o600)
    result = b12("check", str(one), "--history", target, env={"B12LINT_HISTORY_KEY": "y" * 40})
    assert result.exit_code == 2
    assert "recorded with a different key than B12LINT_HISTORY_KEY" in result.stderr
    if not target.startswith("postgresql"):
        keyfile = Path(target + ".key")
        keyfile.rename(tmp_path / "lost.key")
        lost = b12("check", str(one), "--history", target)
        assert lost.exit_code == 2 and "key file" in lost.stderr and "is missing" in lost.stderr
        assert not keyfile.exists()  # not silently replaced by a new key


def test_a_failed_record_is_exit_2_after_the_report(
    batches: tuple[Path, Path], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from b12lint.history import HistoryError
    from b12lint.history.sqlite import SqliteStore

    def broken(self: object, *args: object, **kwargs: object) -> int:
        raise HistoryError("disk full")

    monkeypatch.setattr(SqliteStore, "record", broken)
    one, _ = batches
    result = b12("check", str(one), "--history", str(tmp_path / "h.db"), "--format", "json")
    assert result.exit_code == 2
    assert json.loads(result.stdout)["summary"]["encounters"] == 2
    assert "reports were written but the batch was not recorded: disk full" in result.stderr


def test_input_errors_and_records_without_patient_are_not_recorded(tmp_path: Path) -> None:
    batch = tmp_path / "b.jsonl"
    batch.write_text(
        json.dumps(encounter("E-1", "P1", "2026-03-02"))
        + "\n{not json\n"
        + json.dumps(encounter("E-2", None, "2026-03-03"))
        + "\n"
    )
    db = str(tmp_path / "h.db")
    result = b12("check", str(batch), "--history", db)
    assert result.exit_code == 1
    assert [e["encounter_id"] for e in export(db)] == ["E-1"]


def test_a_key_file_from_configuration_or_environment(
    batches: tuple[Path, Path], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    one, two = batches
    (tmp_path / "team.key").write_text("t" * 48 + "\n")
    (tmp_path / "team.key").chmod(0o600)
    config = tmp_path / "b12lint.toml"
    config.write_text('history = "h.db"\nhistory-key-file = "team.key"\n')
    result, _ = check_json(one, "--config", str(config))
    assert result.stderr == ""  # no key generated, nothing to tell
    assert not (tmp_path / "h.db.key").exists()
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("B12LINT_HISTORY_KEY_FILE", "team.key")
    _, report = check_json(two, "--history", "h.db")  # the same key: the same patients
    assert [e for e, _ in frequency(report)] == ["E-2"]
    (tmp_path / "other.key").write_text("o" * 48)
    monkeypatch.setenv("B12LINT_HISTORY_KEY_FILE", "other.key")
    refused = b12("check", str(two), "--history", "h.db")
    assert refused.exit_code == 2 and "different key than" in refused.stderr
    assert "other.key" in refused.stderr and "o" * 48 not in refused.stderr


@pytest.mark.parametrize(
    ("toml", "message"),
    [
        ("history = 5\n", "key 'history'"),
        ('history = ""\n', "key 'history'"),
        ("history-key-file = []\n", "key 'history-key-file'"),
        ('historyy = "h.db"\n', "unknown key 'historyy'"),
    ],
)
def test_invalid_history_settings_exit_2(
    toml: str, message: str, batches: tuple[Path, Path], tmp_path: Path
) -> None:
    config = tmp_path / "b12lint.toml"
    config.write_text(toml)
    result = b12("check", str(batches[0]), "--config", str(config))
    assert result.exit_code == 2 and message in result.stderr
