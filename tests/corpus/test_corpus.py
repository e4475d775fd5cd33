"""The malformed-input corpus: every file gives clean ``input`` findings at the right lines,
never a traceback or a hang, and the good records around the broken ones are checked.

The files and their expectations are made by ``make_corpus.py`` (see its docstring). The
whole corpus is checked by one ``b12lint`` process (with a timeout: a hang fails the test);
each file is also checked on its own in-process for its exit code.
"""

from __future__ import annotations

import json
from collections import Counter
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner

from b12lint.cli import cli

HERE = Path(__file__).resolve().parent
FILES = HERE / "files"
EXPECTED: dict[str, dict[str, Any]] = json.loads((HERE / "expected.json").read_text("utf-8"))
CANARY = "b12lint-corpus-canary"
INPUT = "input"


@pytest.fixture(scope="module")
def corpus_run(
    tmp_path_factory: pytest.TempPathFactory, b12lint_process: Callable[..., Any]
) -> tuple[dict[str, Any], str, Path]:
    cwd = tmp_path_factory.mktemp("corpus-run")
    done = b12lint_process("check", "--format", "json", str(FILES), cwd=cwd)
    stderr = done.stderr.decode()
    assert "Traceback" not in stderr, stderr
    assert done.returncode == 1, stderr
    return json.loads(done.stdout), stderr, cwd


def by_file(report: dict[str, Any]) -> dict[str, list[dict[str, Any]]]:
    out: dict[str, list[dict[str, Any]]] = {}
    for finding in report["findings"]:
        out.setdefault(Path(finding["location"]["file"]).name, []).append(finding)
    return out


def test_every_corpus_file_is_in_the_manifest_and_the_other_way_round() -> None:
    assert sorted(p.name for p in FILES.iterdir()) == sorted(EXPECTED)


def test_the_whole_corpus_runs_clean_and_accounts_for_every_record(corpus_run) -> None:
    report, stderr, cwd = corpus_run
    kinds = Counter(r["kind"] for case in EXPECTED.values() for r in case["records"])
    summary = report["summary"]
    assert summary["input_errors"] == kinds["bad"]
    assert summary["encounters"] == kinds["good"] + kinds["read"]
    assert summary["encounters"] + summary["input_errors"] == sum(kinds.values())
    # nothing on stderr but b12lint's own one-line notes
    assert all(line.startswith("b12lint") for line in stderr.splitlines() if line.strip())
    assert not (cwd / CANARY).exists(), "a YAML tag ran code"


@pytest.mark.parametrize("name", sorted(EXPECTED))
def test_each_file_reports_its_broken_records_and_checks_its_good_ones(
    name: str, corpus_run
) -> None:
    report, _, _ = corpus_run
    findings = by_file(report).get(name, [])
    records = EXPECTED[name]["records"]
    got_inputs = sorted(
        (f["location"]["line"], f["rule_id"]) for f in findings if f["category"] == INPUT
    )
    want_inputs = sorted((r["line"], r["detail"]) for r in records if r["kind"] == "bad")
    assert got_inputs == want_inputs, [f["message"] for f in findings if f["category"] == INPUT]
    checked = {(f["encounter_id"], f["location"]["line"]) for f in findings}
    for record in records:
        if record["kind"] == "good":
            assert (record["detail"], record["line"]) in checked, record


@pytest.mark.parametrize("name", sorted(EXPECTED))
def test_each_file_alone_has_its_exit_code(
    name: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    result = CliRunner().invoke(cli, ["check", "--format", "json", str(FILES / name)])
    assert result.exception is None or isinstance(result.exception, SystemExit), result.exception
    assert result.exit_code == EXPECTED[name]["exit"], result.output
    if result.exit_code == 2:  # no record at all: named, and accepted with --allow-empty
        assert f"no record found in {FILES / name}" in result.output
        args = ["check", "--format", "json", "--allow-empty", str(FILES / name)]
        result = CliRunner().invoke(cli, args)
        assert result.exit_code == 0, result.output
    report = json.loads(result.stdout)
    want = Counter(r["kind"] for r in EXPECTED[name]["records"])
    assert report["summary"]["input_errors"] == want["bad"]
    assert report["summary"]["encounters"] == want["good"] + want["read"]
    assert not (tmp_path / CANARY).exists()


def test_input_error_messages_are_one_line_and_name_no_record_content(corpus_run) -> None:
    report, _, _ = corpus_run
    for finding in report["findings"]:
        if finding["category"] != INPUT:
            continue
        message = finding["message"]
        assert "\n" not in message and len(message) < 300, message
        # the corpus's free text never reaches an input error (PHI: location only)
        for text in ("pernicious", "deltoid", "P-JL", "cyanocobalamin 1000"):
            assert text not in message, message


def test_the_corpus_gives_the_same_report_with_two_jobs(
    corpus_run, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, parallel_processes: list[int]
) -> None:
    """Broken records read in worker processes (and in shares of files) are reported exactly
    as in one process: same findings, same lines, same summary."""
    import os

    from b12lint.parallel import shares as shares_module

    monkeypatch.setattr(shares_module, "MIN_SHARE_BYTES", 1 << 10)  # cut files small
    monkeypatch.chdir(corpus_run[2])
    for name in [n for n in os.environ if n.startswith("B12LINT_")]:
        monkeypatch.delenv(name)
    result = CliRunner().invoke(cli, ["check", "--jobs", "2", "--format", "json", str(FILES)])
    assert result.exit_code == 1, result.stderr
    assert "Traceback" not in result.stderr
    assert parallel_processes == [2], "the corpus was not checked by two worker processes"
    assert json.loads(result.stdout) == corpus_run[0]
