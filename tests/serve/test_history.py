"""The history store behind the check API: read on every check, written only on ?record=true,
safe with the bounded worker pool, and the same store ``check --history`` reads and writes."""

from __future__ import annotations

import json
import secrets
import threading
from pathlib import Path
from typing import Any

import httpx
import pytest
from click.testing import CliRunner
from configured import configured
from serve_support import CLEAN

from b12lint.cli import cli

HISTORY_KEY = "h" * 16 + secrets.token_hex(16)


def encounter(encounter_id: str, patient: str, day: str) -> dict[str, Any]:
    record = json.loads(json.dumps(CLEAN))
    record.update(encounter_id=encounter_id, patient_id=patient, date_of_service=day)
    return record


def check(url: str, *records: dict[str, Any], query: str = "") -> httpx.Response:
    body = "".join(json.dumps(r) + "\n" for r in records)
    return httpx.post(
        f"{url}/v1/check{query}",
        content=body,
        headers={"content-type": "application/x-ndjson"},
        timeout=60,
    )


def frequency(response: httpx.Response) -> list[tuple[str, str]]:
    assert response.status_code == 200, response.text
    return [
        (f["encounter_id"], f["message"])
        for f in response.json()["findings"]
        if f["rule_id"] == "B12-FREQ-001"
    ]


def stored(config: Path) -> int:
    result = CliRunner().invoke(
        cli, ["history", "stats", "--config", str(config), "--format", "json"]
    )
    assert result.exit_code == 0, result.output
    return int(json.loads(result.stdout)["events"])


@pytest.fixture(autouse=True)
def _clean_env(monkeypatch: pytest.MonkeyPatch) -> None:
    for name in ("B12LINT_CONFIG", "B12LINT_HISTORY", "B12LINT_HISTORY_KEY", "B12LINT_REDACT_KEY"):
        monkeypatch.delenv(name, raising=False)


@pytest.fixture(params=["sqlite", "postgresql"])
def config(request: pytest.FixtureRequest, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A configuration naming a history of each backend (PostgreSQL with the team key)."""
    if request.param == "sqlite":
        target = "history.db"  # relative to the configuration file, as check reads it
    else:
        monkeypatch.setenv("B12LINT_HISTORY_KEY", HISTORY_KEY)
        target = request.getfixturevalue("pg_url")
    path = tmp_path / "b12lint.toml"
    path.write_text(f"history = {json.dumps(target)}\n", encoding="utf-8")
    return path


def test_earlier_requests_are_history_only_when_recorded(config: Path) -> None:
    with configured(config) as (url, history):
        assert history is not None
        # a pre-submission check (no ?record) writes nothing
        assert frequency(check(url, encounter("D-1", "P-9", "2026-03-02"))) == []
        assert frequency(check(url, encounter("D-2", "P-9", "2026-03-09"))) == []
        assert stored(config) == 0
        # recorded: the next request's maintenance injection 7 days later is judged against it
        assert (
            frequency(check(url, encounter("E-1", "P-1", "2026-03-02"), query="?record=true")) == []
        )
        found = frequency(check(url, encounter("E-2", "P-1", "2026-03-09")))
        assert len(found) == 1 and found[0][0] == "E-2" and "E-1" in found[0][1]
        # E-2 was only read: checked again it is still judged against E-1 alone
        assert len(frequency(check(url, encounter("E-2", "P-1", "2026-03-09")))) == 1
        assert stored(config) == 1
        # re-checking the recorded encounter never compares it with its own stored copy
        again = check(url, encounter("E-1", "P-1", "2026-03-02"), query="?record=1")
        assert frequency(again) == []
        assert stored(config) == 1


def test_check_and_serve_share_the_store(config: Path, tmp_path: Path) -> None:
    with configured(config) as (url, history):
        assert history is not None
        assert check(url, encounter("C-1", "P-7", "2026-04-01"), query="?record=true").is_success
        batch = tmp_path / "later.jsonl"
        batch.write_text(json.dumps(encounter("C-2", "P-7", "2026-04-06")) + "\n")
        result = CliRunner().invoke(
            cli, ["check", "--config", str(config), "--no-record", "-f", "json", str(batch)]
        )
        report = json.loads(result.stdout)
        assert [
            f["encounter_id"] for f in report["findings"] if f["rule_id"] == "B12-FREQ-001"
        ] == ["C-2"]
        # and what check records, the service reads
        batch.write_text(json.dumps(encounter("C-3", "P-8", "2026-04-01")) + "\n")
        result = CliRunner().invoke(cli, ["check", "--config", str(config), str(batch)])
        assert result.exit_code in (0, 1), result.output
        found = frequency(check(url, encounter("C-4", "P-8", "2026-04-08")))
        assert [e for e, _ in found] == ["C-4"]


def test_concurrent_recording_checks_lose_nothing(config: Path) -> None:
    clients = 16
    with configured(config, small_slots=4) as (url, history):
        assert history is not None
        statuses: list[int] = []

        def client(n: int) -> None:
            records = [
                encounter(f"K-{n}-{i}", f"P-K{n}", f"2026-05-{1 + 7 * i:02d}") for i in (0, 1)
            ]
            statuses.append(check(url, *records, query="?record=true").status_code)

        threads = [threading.Thread(target=client, args=(n,)) for n in range(clients)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join(timeout=120)
        assert statuses == [200] * clients
        assert stored(config) == 2 * clients
        # one connection per worker at most (4 small slots, 1 large), reused across requests
        assert 1 <= history.connections <= 5


def test_record_parameter_problems(tmp_path: Path) -> None:
    config = tmp_path / "b12lint.toml"
    config.write_text("", encoding="utf-8")
    with configured(config) as (url, history):
        assert history is None
        r = check(url, CLEAN, query="?record=true")
        assert r.status_code == 409 and r.headers["content-type"] == "application/problem+json"
        assert "--history" in r.json()["detail"]
        assert check(url, CLEAN, query="?record=false").status_code == 200
    config.write_text('history = "h.db"\n', encoding="utf-8")
    with configured(config) as (url, _):
        r = check(url, CLEAN, query="?record=maybe")
        assert r.status_code == 400 and r.json()["title"] == "Bad record parameter"


def test_a_failing_store_is_a_503_problem_not_a_silent_pass(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from b12lint.history import HistoryError
    from b12lint.history.session import HistorySession

    config = tmp_path / "b12lint.toml"
    config.write_text('history = "h.db"\n', encoding="utf-8")

    def broken(*args: object, **kwargs: object) -> Any:
        raise HistoryError("h.db: disk I/O error")

    with configured(config) as (url, history):
        assert history is not None
        with monkeypatch.context() as patch:
            patch.setattr(HistorySession, "record", broken)
            r = check(url, encounter("F-1", "P-3", "2026-03-02"), query="?record=true")
            assert r.status_code == 503 and "not recorded" in r.json()["detail"]
        with monkeypatch.context() as patch:
            patch.setattr(HistorySession, "context", broken)
            r = check(url, encounter("F-2", "P-3", "2026-03-09"))
            assert r.status_code == 503 and "not checked" in r.json()["detail"]
            assert "P-3" not in r.text  # no claim data in the problem
        # the failed connections were closed; the store still serves
        assert history.connections == 0
        assert frequency(check(url, encounter("F-3", "P-4", "2026-03-09"))) == []
        assert history.connections == 1


def test_a_bad_history_stops_serve_before_it_binds(tmp_path: Path) -> None:
    (tmp_path / "dir.db").mkdir()
    result = CliRunner().invoke(
        cli, ["serve", "--history", str(tmp_path / "dir.db"), "--port", "1"]
    )
    assert result.exit_code == 2 and "history" in result.output
