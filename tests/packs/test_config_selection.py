"""Configuration reaches the report: ignored rules report nothing, severities are overridden."""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner

from b12lint.cli import cli
from b12lint.engine import Ruleset

Make = Callable[..., dict[str, Any]]


def batch(folder: Path, make: Make) -> Path:
    record = make()
    record["lines"][0]["units"] = 2  # B12-UNITS-001 and B12-UNITS-003 (error)
    record["documentation"].pop("monitoring")  # B12-MON-001 (info)
    path = folder / "b.jsonl"
    path.write_text(json.dumps(record) + "\n", encoding="utf-8")
    return path


def check(*args: str, env: dict[str, str] | None = None) -> tuple[int, dict[str, Any]]:
    result = CliRunner().invoke(cli, ["check", "-f", "json", *args], env=env)
    assert result.exit_code in (0, 1), result.output
    return result.exit_code, json.loads(result.stdout)


def found(report: dict[str, Any]) -> dict[str, str]:
    return {f["rule_id"]: f["severity"] for f in report["findings"]}


def test_without_configuration(isolated: Path, clean: Make) -> None:
    code, report = check(str(batch(isolated, clean)))
    assert code == 1
    assert found(report) == {
        "B12-UNITS-001": "error",
        "B12-UNITS-003": "error",
        "B12-MON-001": "info",
    }


@pytest.mark.parametrize("name", ["pyproject.toml", "b12lint.toml"])
def test_ignored_rule_reports_nothing_and_severity_override_shows(
    isolated: Path, clean: Make, name: str, core: Ruleset
) -> None:
    path = batch(isolated, clean)
    body = (
        'ignore = ["B12-UNITS-003"]\n'
        'fail-on = "warning"\n'
        '[severity]\n"B12-UNITS-001" = "warning"\n"B12-MON-001" = "off"\n'
    )
    if name == "pyproject.toml":
        body = "[tool.b12lint]\n" + body.replace("[severity]", "[tool.b12lint.severity]")
    (isolated / name).write_text(body, encoding="utf-8")
    code, report = check(str(path))
    assert found(report) == {"B12-UNITS-001": "warning"}
    assert code == 1  # fail-on warning
    assert report["summary"]["by_severity"] == {"error": 0, "warning": 1, "info": 0}
    rules = {r["name"]: r["rules"] for r in report["rulesets"]}
    assert rules["b12-core"] == len(core.rules) - 2  # one ignored, one off


def test_config_file_is_found_walking_up(
    isolated: Path, clean: Make, monkeypatch: pytest.MonkeyPatch
) -> None:
    path = batch(isolated, clean)
    (isolated / "b12lint.toml").write_text('select = ["units"]\n', encoding="utf-8")
    deep = isolated / "a" / "b"
    deep.mkdir(parents=True)
    monkeypatch.chdir(deep)
    assert set(found(check(str(path))[1])) == {"B12-UNITS-001", "B12-UNITS-003"}


def test_cli_over_environment_over_file(isolated: Path, clean: Make) -> None:
    path = batch(isolated, clean)
    (isolated / "b12lint.toml").write_text('ignore = ["units"]\n', encoding="utf-8")
    assert set(found(check(str(path))[1])) == {"B12-MON-001"}
    env = {"B12LINT_IGNORE": "monitoring"}
    assert set(found(check(str(path), env=env)[1])) == {"B12-UNITS-001", "B12-UNITS-003"}
    cli_wins = check(str(path), "--ignore", "B12-UNITS-001", env=env)[1]
    assert set(found(cli_wins)) == {"B12-UNITS-003", "B12-MON-001"}


@pytest.mark.parametrize(
    ("body", "key"),
    [
        ('selct = ["units"]\n', "selct"),
        ('[severity]\n"B12-UNITS-001" = "loud"\n', "severity.B12-UNITS-001"),
        ('[payers]\nmedicare = "Not A Pack"\n', "payers.medicare"),
        ('ignore = ["B12-NOPE"]\n', "B12-NOPE"),
    ],
)
def test_config_errors_exit_2_naming_the_key(
    isolated: Path, clean: Make, body: str, key: str
) -> None:
    path = batch(isolated, clean)
    (isolated / "b12lint.toml").write_text(body, encoding="utf-8")
    result = CliRunner().invoke(cli, ["check", str(path)])
    assert result.exit_code == 2
    assert key in result.output
