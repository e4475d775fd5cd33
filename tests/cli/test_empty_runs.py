"""No silent empties: a run that reads no record exits 2 naming its inputs (unless
--allow-empty); directory reads count what they skip; resources read but not judged are
counted in the summary (``summary.skipped_files``, ``summary.not_judged``)."""

from __future__ import annotations

import json
from pathlib import Path

import jsonschema
import pytest
from cli_isolation import isolated  # noqa: F401 (an autouse fixture)
from click.testing import CliRunner, Result

from b12lint.cli import cli
from b12lint.readers.stats import collecting, not_judged

REPO = Path(__file__).resolve().parents[2]
RECORD = {"encounter_id": "E1", "date_of_service": "2026-03-02",
          "lines": [{"code": "99213", "units": 1}]}  # fmt: skip


def invoke(*args: str) -> Result:
    return CliRunner().invoke(cli, ["check", *args], catch_exceptions=False)


def report(result: Result) -> dict[str, object]:
    doc = json.loads(result.stdout)
    schema = json.loads((REPO / "schemas" / "report.schema.json").read_text())
    jsonschema.validate(doc, schema)
    return doc


def exported(tmp_path: Path, *, records: bool) -> Path:
    root = tmp_path / "export"
    root.mkdir()
    (root / "README").write_text("Claims exported on 2026-03-03.\n")
    (root / "scan.pdf").write_bytes(b"%PDF-1.7\n")
    (root / ".DS_Store").write_bytes(b"\x00\x00")
    if records:
        (root / "batch.txt").write_text(json.dumps(RECORD) + "\n")
    return root


def test_an_empty_file_exits_2_naming_it(tmp_path: Path) -> None:
    Path("empty.jsonl").write_text("")
    result = invoke("empty.jsonl")
    assert result.exit_code == 2
    assert "no record found in empty.jsonl" in result.output
    assert "--allow-empty" in result.output


def test_allow_empty_reports_the_empty_run(tmp_path: Path) -> None:
    Path("empty.jsonl").write_text("\n")
    result = invoke("empty.jsonl", "--allow-empty", "--format", "json")
    assert result.exit_code == 0, result.output
    assert report(result)["summary"]["encounters"] == 0  # type: ignore[index]


def test_a_directory_of_nothing_readable_exits_2_saying_what_it_skipped(tmp_path: Path) -> None:
    root = exported(tmp_path, records=False)
    result = invoke(str(root))
    assert result.exit_code == 2
    assert f"no record found in {root}" in result.output
    assert "skipped 3 files" in result.output
    assert "1 holding no claim data" in result.output and "1 hidden" in result.output
    allowed = invoke(str(root), "--allow-empty", "--format", "json")
    assert allowed.exit_code == 0
    summary = report(allowed)["summary"]
    assert summary["skipped_files"] == {"content": 1, "extension": 1, "hidden": 1}  # type: ignore[index]


def test_a_directory_read_counts_skips_beside_its_records(tmp_path: Path) -> None:
    root = exported(tmp_path, records=True)
    result = invoke(str(root), "--format", "json")
    assert result.exit_code == 0, result.output
    summary = report(result)["summary"]
    assert summary["encounters"] == 1  # type: ignore[index]
    assert summary["skipped_files"] == {"content": 1, "extension": 1, "hidden": 1}  # type: ignore[index]
    assert "note: directory reads skipped 3 files" in result.stderr
    text = invoke(str(root))
    assert "3 files skipped" in text.stdout and "note: directory reads skipped" in text.stdout


def test_a_run_of_input_errors_only_is_not_empty(tmp_path: Path) -> None:
    Path("junk.txt").write_text("hello\n")
    result = invoke("junk.txt", "--format", "json")
    assert result.exit_code == 1
    (finding,) = report(result)["findings"]  # type: ignore[misc]
    assert finding["message"].startswith("not a format b12lint reads")
    assert "skipped_files" not in report(result)["summary"]  # type: ignore[operator]


def fhir_bundle(kind: str, count: int) -> str:
    """A FHIR Bundle holding ``count`` resources of ``kind`` and no claim (read, not judged)."""
    entries = [{"resource": {"resourceType": kind, "id": f"r{i}"}} for i in range(count)]
    return json.dumps({"resourceType": "Bundle", "type": "collection", "entry": entries})


def test_resources_read_but_not_judged_are_counted(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    Path("eob.json").write_text(fhir_bundle("ClaimResponse", 3))
    result = invoke("eob.json")
    assert result.exit_code == 2
    assert "read but not judged: ClaimResponse 3" in result.output
    allowed = invoke("eob.json", "--allow-empty", "--format", "json")
    assert report(allowed)["summary"]["not_judged"] == {"ClaimResponse": 3}  # type: ignore[index]


def test_not_judged_counts_nothing_outside_a_collecting_run() -> None:
    not_judged("Coverage")  # a library caller reading records: no error, nothing kept
    with collecting() as stats:
        not_judged("Coverage", 2)
        not_judged("ClaimResponse")
        not_judged("Coverage", 0)
    assert stats.not_judged == {"Coverage": 2, "ClaimResponse": 1}


def test_workers_carry_not_judged_counts_to_the_merged_summary(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from b12lint.engine import Linter, load_ruleset
    from b12lint.parallel.merge import Merger
    from b12lint.parallel.shares import Task
    from b12lint.parallel.worker import Options, Worker

    path = tmp_path / "eob.json"
    path.write_text(fhir_bundle("ClaimResponse", 2))
    ruleset = load_ruleset()
    worker = Worker(ruleset, Options())
    merger = Merger(Linter(ruleset))
    for index in range(2):
        task = Task(index, "eob.json", str(path), None)
        share = worker.check(task)
        assert share.not_judged == {"ClaimResponse": 2}
        merger.add(task, share)
    assert merger.summary.not_judged == {"ClaimResponse": 4}


def test_reasons_without_a_skip_are_not_reported(tmp_path: Path) -> None:
    from b12lint.readers import expand_inputs

    root = tmp_path / "plain"
    root.mkdir()
    (root / "a.jsonl").write_text(json.dumps(RECORD) + "\n")
    assert expand_inputs([str(root)]).skipped == {}
    (root / "sub").mkdir()
    (root / "sub" / "notes.md").write_text("# notes\n")
    assert expand_inputs([str(root)]).skipped == {"extension": 1}
