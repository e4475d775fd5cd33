"""b12lint's own files (baseline, reports it wrote) are never read as claims, by content."""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner

from b12lint.cli import cli
from b12lint.readers import expand, own_inputs
from b12lint.readers.own import own_file


@pytest.fixture
def claims(
    tmp_path: Path, make_record: Callable[..., dict[str, Any]], monkeypatch: pytest.MonkeyPatch
) -> Path:
    monkeypatch.chdir(tmp_path)
    for name in ("B12LINT_CONFIG", "B12LINT_REDACT_KEY", "GITHUB_ACTIONS"):
        monkeypatch.delenv(name, raising=False)
    folder = tmp_path / "claims"
    folder.mkdir()
    units = make_record("U1")
    units["lines"][0]["units"] = 2
    records = [make_record("A1"), units]
    (folder / "batch.jsonl").write_text("".join(json.dumps(r) + "\n" for r in records))
    return folder


def run(*args: str) -> tuple[int, str, str]:
    result = CliRunner().invoke(cli, list(args), catch_exceptions=False)
    return result.exit_code, result.stdout, result.stderr


def test_the_documented_baseline_workflow(claims: Path) -> None:
    code, _, err = run("check", "claims/", "--write-baseline", "claims/b12lint-baseline.json")
    assert code == 0, err
    code, out, _ = run("check", "claims/", "--baseline", "claims/b12lint-baseline.json")
    assert code == 0, out
    assert "B12-INPUT" not in out and "0 input errors" in out
    assert "2 of 2 encounters" in out
    # named explicitly (a pre-commit hook passes staged files): skipped, with a note
    code, out, _ = run(
        "check", "claims/batch.jsonl", "claims/b12lint-baseline.json", "--baseline",
        "claims/b12lint-baseline.json",
    )  # fmt: skip
    assert code == 0 and "B12-INPUT" not in out
    assert "claims/b12lint-baseline.json is a b12lint baseline, not claims: not read" in out


@pytest.mark.parametrize(
    ("fmt", "name", "kind"),
    [
        ("json", "report.json", "a b12lint JSON report"),
        ("jsonl", "findings.jsonl", "a b12lint JSON-lines report"),
        ("csv", "findings.csv", "a b12lint CSV report"),
        ("sarif", "scan.json", "a SARIF log"),
    ],
)
def test_reports_written_beside_the_claims_are_not_read(
    claims: Path, fmt: str, name: str, kind: str
) -> None:
    target = claims / f"renamed-{name}"  # recognised by content, not by name
    code, _, err = run("check", "claims/", "-f", fmt, "-o", str(target), "--no-redact-shared")
    assert code == 1, err
    assert own_file(target) == kind
    code, out, _ = run("check", "claims/")
    assert code == 1
    assert "B12-INPUT" not in out and "2 of 2 encounters" in out
    assert [d for d, _ in expand(["claims"])] == ["claims/batch.jsonl"]


def test_claim_files_are_not_taken_for_ours(tmp_path: Path) -> None:
    samples = Path(__file__).resolve().parents[2] / "sample_claims"
    files = [p for p in samples.rglob("*") if p.is_file()]
    assert files and [p for p in files if own_file(p)] == []
    lookalike = tmp_path / "claims.json"
    lookalike.write_text('{"encounter_id": "tool", "tool": {"name": "b12lint"}}')
    assert own_file(lookalike) is None
    assert own_inputs([str(lookalike), "-", str(tmp_path)]) == []


def test_a_baseline_with_a_bom_and_blank_lines_is_still_ours(tmp_path: Path) -> None:
    path = tmp_path / "b.json"
    path.write_bytes(b'\xef\xbb\xbf\n\n{ "b12lint-baseline": 1, "entries": [] }')
    assert own_file(path) == "a b12lint baseline"
