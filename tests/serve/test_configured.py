"""The service reads the configuration ``check`` reads and applies it the same way: the
exceptions, baseline and redaction of a response are those of ``b12lint check`` on the same
input."""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any

import httpx
import pytest
from click.testing import CliRunner
from configured import configured
from serve_support import CLEAN

from b12lint.cli import cli

KEY = "a-redaction-key-of-the-practice-0123"


def records() -> list[dict[str, Any]]:
    """Two encounters with a units defect (2 units for 1,000 mcg) and one clean encounter."""
    out = []
    for n, units in ((1, 2), (2, 2), (3, 1)):
        record = json.loads(json.dumps(CLEAN))
        record["encounter_id"] = f"S-{n}"
        record["patient_id"] = f"P-{n}"
        record["lines"][0]["units"] = units
        out.append(record)
    return out


@pytest.fixture
def batch(tmp_path: Path) -> Path:
    path = tmp_path / "batch.jsonl"
    path.write_text("".join(json.dumps(r) + "\n" for r in records()), encoding="utf-8")
    return path


@pytest.fixture(autouse=True)
def _clean_env(monkeypatch: pytest.MonkeyPatch) -> None:
    for name in ("B12LINT_CONFIG", "B12LINT_REDACT_KEY", "B12LINT_HISTORY", "GITHUB_ACTIONS"):
        monkeypatch.delenv(name, raising=False)


def cli_report(config: Path, batch: Path, *args: str, env: dict[str, str] | None = None) -> Any:
    result = CliRunner().invoke(
        cli, ["check", "--config", str(config), "-f", "json", *args, str(batch)], env=env
    )
    assert result.exit_code in (0, 1), result.output
    return json.loads(result.stdout)


def api_report(url: str, batch: Path, accept: str = "application/json") -> Any:
    r = httpx.post(
        f"{url}/v1/check",
        content=batch.read_bytes(),
        headers={"content-type": "application/x-ndjson", "accept": accept},
        timeout=30,
    )
    assert r.status_code == 200, r.text
    return r.json()


def comparable(report: dict[str, Any], display: str) -> dict[str, Any]:
    """A JSON report without what names the input (the file, or the API's "request")."""
    out = json.loads(json.dumps(report).replace(json.dumps(display)[1:-1], "<input>"))
    out.pop("inputs", None)
    return out


def test_an_exception_suppresses_in_the_api_as_in_check(tmp_path: Path, batch: Path) -> None:
    config = tmp_path / "b12lint.toml"
    config.write_text(
        '[[exceptions]]\nrule = "B12-UNITS"\nencounter = "S-1"\n'
        'reason = "payer confirmed the 2,000 mcg order in writing"\n',
        encoding="utf-8",
    )
    expected = cli_report(config, batch)
    with configured(config) as (url, _):
        got = api_report(url, batch)
    assert comparable(got, "request") == comparable(expected, str(batch))
    units = [(f["rule_id"], f["encounter_id"]) for f in got["findings"] if "UNITS" in f["rule_id"]]
    assert ("B12-UNITS-001", "S-2") in units  # S-2's units findings stay
    assert {encounter for _, encounter in units} == {"S-2"}  # S-1's are suppressed
    assert got["summary"]["suppressed"] == len(units)


def test_a_baseline_suppresses_in_the_api_as_in_check(tmp_path: Path, batch: Path) -> None:
    config = tmp_path / "b12lint.toml"
    config.write_text('baseline = "baseline.json"\n', encoding="utf-8")
    result = CliRunner().invoke(
        cli,
        [
            "check",
            "--config",
            str(config),
            "--write-baseline",
            str(tmp_path / "baseline.json"),
            str(batch),
        ],
    )
    assert result.exit_code == 0, result.output
    expected = cli_report(config, batch)
    with configured(config) as (url, _):
        got = api_report(url, batch)
    assert comparable(got, "request") == comparable(expected, str(batch))
    assert got["summary"]["suppressed"] >= 2 and got["summary"]["by_severity"]["error"] == 0


def test_redaction_applies_in_the_api_as_in_check(
    tmp_path: Path, batch: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    config = tmp_path / "b12lint.toml"
    config.write_text("redact = true\n", encoding="utf-8")
    expected = cli_report(config, batch, env={"B12LINT_REDACT_KEY": KEY})
    monkeypatch.setenv("B12LINT_REDACT_KEY", KEY)
    with configured(config) as (url, _):
        got = api_report(url, batch)
        text = httpx.post(
            f"{url}/v1/check",
            content=batch.read_bytes(),
            headers={"content-type": "application/x-ndjson", "accept": "text/plain"},
            timeout=30,
        ).text
    assert comparable(got, "request") == comparable(expected, str(batch))
    assert got["findings"] and all(f["encounter_id"].startswith("ID-") for f in got["findings"])
    for raw in ("S-1", "S-2", "P-1", "pernicious anemia"):
        assert raw not in json.dumps(got) and raw not in text


def test_sarif_is_redacted_by_default_and_json_is_not(tmp_path: Path, batch: Path) -> None:
    config = tmp_path / "b12lint.toml"
    config.write_text("", encoding="utf-8")
    with configured(config) as (url, _):
        sarif = api_report(url, batch, "application/sarif+json")
        plain = api_report(url, batch)
    results = json.dumps(sarif["runs"][0]["results"])
    assert results != "[]" and "ID-" in results
    assert not re.search(r"\b[SP]-[123]\b", results)
    assert {f["encounter_id"] for f in plain["findings"]} >= {"S-1", "S-2"}


def test_selection_severity_and_input_format_come_from_the_configuration(
    tmp_path: Path, batch: Path
) -> None:
    config = tmp_path / "b12lint.toml"
    config.write_text(
        'ignore = ["B12-UNITS"]\ninput-format = "jsonl"\nseverity = { "B12-MON" = "off" }\n',
        encoding="utf-8",
    )
    expected = cli_report(config, batch)
    with configured(config) as (url, _):
        # text/plain says nothing of the format: the configuration's input-format reads it
        r = httpx.post(
            f"{url}/v1/check",
            content=batch.read_bytes(),
            headers={"content-type": "text/plain"},
            timeout=30,
        )
    got = r.json()
    assert comparable(got, "request") == comparable(expected, str(batch))
    assert got["summary"]["encounters"] == 3
    assert not any(f["rule_id"].startswith(("B12-UNITS", "B12-MON")) for f in got["findings"])


def test_payer_routing_comes_from_the_configuration(tmp_path: Path, batch: Path) -> None:
    config = tmp_path / "b12lint.toml"
    config.write_text('payers = { medicare = "b12-commercial-example" }\n', encoding="utf-8")
    expected = cli_report(config, batch)
    with configured(config) as (url, _):
        got = api_report(url, batch)
    assert comparable(got, "request") == comparable(expected, str(batch))
    assert "b12-commercial-example" in {r["name"] for r in got["rulesets"]}


def test_a_bad_configuration_stops_serve_before_it_binds(tmp_path: Path) -> None:
    config = tmp_path / "b12lint.toml"
    config.write_text('[[exceptions]]\nrule = "B12-UNITS"\n', encoding="utf-8")  # no reason
    result = CliRunner().invoke(cli, ["serve", "--config", str(config), "--port", "1"])
    assert result.exit_code == 2 and "reason" in result.output


def test_a_request_is_told_only_of_its_own_encounters_baseline_and_exceptions(
    tmp_path: Path, batch: Path
) -> None:
    """check reads the whole backlog: a baseline entry no finding matched is stale there. A
    request sends a few encounters: the rest of the baseline and the exceptions of other
    encounters are neither stale nor unused, and no response names them."""
    config = tmp_path / "b12lint.toml"
    config.write_text(
        'baseline = "baseline.json"\n[[exceptions]]\nrule = "B12-UNITS"\nencounter = "S-3"\n'
        'reason = "accepted for S-3 only"\n',
        encoding="utf-8",
    )
    args = ["check", "--config", str(config), "--write-baseline", str(tmp_path / "baseline.json")]
    assert CliRunner().invoke(cli, [*args, str(batch)]).exit_code == 0
    s1, s2, _ = records()
    fixed = json.loads(json.dumps(s1))
    fixed["lines"][0]["units"] = 1
    with configured(config) as (url, _):
        only_s2 = api_report_of(url, [s2])
        only_s2_text = api_report_of(url, [s2], "text/plain")
        s1_fixed_text = api_report_of(url, [fixed], "text/plain")
    # S-2's accepted findings are suppressed; nothing about S-1 or S-3 is said
    assert only_s2["findings"] == [] and only_s2["summary"]["suppressed"] >= 1
    assert "note" not in only_s2_text and "baseline" not in only_s2_text
    for text in (json.dumps(only_s2), only_s2_text):
        assert "S-1" not in text and "S-3" not in text
    # S-1 checked again with its units fixed: its accepted units findings are no longer found
    assert "no longer found" in s1_fixed_text and "S-1" in s1_fixed_text
    assert "S-3" not in s1_fixed_text


def api_report_of(url: str, batch: list[dict[str, Any]], accept: str = "application/json") -> Any:
    r = httpx.post(
        f"{url}/v1/check",
        content="".join(json.dumps(r) + "\n" for r in batch),
        headers={"content-type": "application/x-ndjson", "accept": accept},
        timeout=30,
    )
    assert r.status_code == 200, r.text
    return r.json() if accept == "application/json" else r.text


def test_the_readme_practice_configuration_is_valid(tmp_path: Path) -> None:
    from b12lint.config import read_file

    readme = (Path(__file__).resolve().parents[2] / "README.md").read_text(encoding="utf-8")
    block = readme.split("# /etc/b12lint/b12lint.toml\n", 1)[1].split("```", 1)[0]
    path = tmp_path / "b12lint.toml"
    path.write_text(block, encoding="utf-8")
    values = read_file(path)  # raises ConfigError naming a bad key
    assert values["history"] and values["exceptions"][0]["reason"]
