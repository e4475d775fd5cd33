"""The pre-commit hooks and the example GitHub Actions workflow work with this b12lint."""

from __future__ import annotations

import re
import shlex
import tomllib
from pathlib import Path
from typing import Any

import pytest
import yaml
from report_batch import REPO, Check

from b12lint.cli.check import pair_outputs
from b12lint.reporters import REPORTERS

HOOKS = REPO / ".pre-commit-hooks.yaml"
WORKFLOW = REPO / "docs" / "ci" / "github-actions.yml"


def hooks() -> list[dict[str, Any]]:
    if not HOOKS.is_file():
        pytest.skip("not a source checkout (.pre-commit-hooks.yaml absent)")
    data = yaml.safe_load(HOOKS.read_text(encoding="utf-8"))
    assert isinstance(data, list)
    return data


def test_hooks_are_well_formed() -> None:
    scripts = tomllib.loads((REPO / "pyproject.toml").read_text())["project"]["scripts"]
    for hook in hooks():
        assert {"id", "name", "entry", "language"} <= set(hook)
        assert hook["language"] == "python"  # pre-commit pip-installs this repository
        assert shlex.split(hook["entry"])[0] in scripts
        pattern = re.compile(hook["files"])
        assert pattern.search("claims/2026-03/batch.jsonl")
        assert not pattern.search("pyproject.toml")


def test_hook_entry_runs(check: Check, batch: Path) -> None:
    """pre-commit runs ``entry`` + args + the staged file names."""
    for hook in hooks():
        args = shlex.split(hook["entry"])[1:]
        result = check(*args[1:], str(batch)) if args[0] == "check" else None
        assert result is not None and result.exit_code == 1  # findings fail the commit
        assert "B12-UNITS-001" in result.stdout


def workflow() -> dict[Any, Any]:
    if not WORKFLOW.is_file():
        pytest.skip("not a source checkout (docs/ci/github-actions.yml absent)")
    return yaml.safe_load(WORKFLOW.read_text(encoding="utf-8"))


def test_workflow_example_is_not_active_here() -> None:
    assert not (REPO / ".github" / "workflows" / WORKFLOW.name).exists()


def test_workflow_example_uploads_the_sarif_it_writes() -> None:
    flow = workflow()
    assert flow["permissions"]["security-events"] == "write"
    steps = flow["jobs"]["b12lint"]["steps"]
    run = next(s["run"] for s in steps if "b12lint check" in s.get("run", ""))
    argv = shlex.split(run)
    assert argv[:2] == ["b12lint", "check"] and "--redact" in argv
    fmts = [argv[i + 1] for i, a in enumerate(argv) if a == "--format"]
    outs = [argv[i + 1] for i, a in enumerate(argv) if a == "--output"]
    assert set(fmts) <= set(REPORTERS)
    pairs = dict(pair_outputs(fmts, outs))
    assert pairs["github"] is None  # annotations go to the log
    upload = next(s for s in steps if "upload-sarif" in s.get("uses", ""))
    assert upload["with"]["sarif_file"] == pairs["sarif"]
    assert upload.get("if") == "always()"  # findings exit 1: upload anyway
    env = next(s["env"] for s in steps if "b12lint check" in s.get("run", ""))
    assert "secrets.B12LINT_REDACT_KEY" in env["B12LINT_REDACT_KEY"]


def test_readme_documents_both() -> None:
    readme = (REPO / "README.md").read_text(encoding="utf-8")
    assert ".pre-commit-hooks.yaml" in readme and "docs/ci/github-actions.yml" in readme


def test_hook_with_the_baseline_among_the_staged_files(check: Check, batch: Path) -> None:
    """The README's pre-commit example passes claims/b12lint-baseline.json as a staged file
    (it matches ``files``): it is recognised as b12lint's own and not read as claims."""
    assert check(str(batch), "--write-baseline", "claims/b12lint-baseline.json").exit_code == 0
    for hook in hooks():
        args = shlex.split(hook["entry"])[2:]
        staged = [str(batch), "claims/b12lint-baseline.json"]
        result = check(*args, "--baseline", "claims/b12lint-baseline.json", *staged)
        assert result.exit_code == 0, result.stdout
        assert "B12-INPUT" not in result.stdout
        assert "claims/b12lint-baseline.json is a b12lint baseline, not claims" in result.stdout
