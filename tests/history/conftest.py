"""Fixtures of the history tests: a SQLite file or a PostgreSQL schema, and record builders.

PostgreSQL tests run against the real server named by ``B12LINT_TEST_POSTGRES_URL`` (CI
starts one with ``.ci/postgres start``); each test gets a schema of its own, dropped after.
Without the variable they skip, saying so.
"""

from __future__ import annotations

import secrets
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

PG_ENV = "B12LINT_TEST_POSTGRES_URL"
PG_SKIP = (
    f'PostgreSQL history tests need a server: set {PG_ENV} (e.g. eval "$(.ci/postgres start)")'
)
KEY = "k" * 16 + secrets.token_hex(16)


@pytest.fixture(autouse=True)
def _clean_env(monkeypatch: pytest.MonkeyPatch) -> None:
    """No history setting of the developer's shell leaks into a test."""
    for name in (
        "B12LINT_HISTORY",
        "B12LINT_HISTORY_KEY",
        "B12LINT_HISTORY_KEY_FILE",
        "B12LINT_CONFIG",
    ):
        monkeypatch.delenv(name, raising=False)


_RULESETS: dict[tuple[object, ...], object] = {}


@pytest.fixture(autouse=True)
def _reuse_rulesets(monkeypatch: pytest.MonkeyPatch) -> None:
    """The CLI tests check many small batches: compile each ruleset once (it is immutable)."""
    import b12lint.cli.common as common

    load = common.load_packs

    def cached(packs: Any = (), builtin: bool = True, engine: str = "generated") -> Any:
        key = (tuple(str(p) for p in packs), builtin, engine)
        if key not in _RULESETS:
            _RULESETS[key] = load(packs, builtin=builtin, engine=engine)
        return _RULESETS[key]

    monkeypatch.setattr(common, "load_packs", cached)


@pytest.fixture
def pg_url(request: pytest.FixtureRequest) -> Iterator[str]:
    """A PostgreSQL URL whose search_path is a fresh schema (dropped after the test)."""
    import os

    base = os.environ.get(PG_ENV)
    if not base:
        if os.environ.get("B12LINT_REQUIRE_POSTGRES"):
            pytest.fail(f"B12LINT_REQUIRE_POSTGRES is set but {PG_ENV} is not")
        pytest.skip(PG_SKIP)
    psycopg = pytest.importorskip("psycopg", reason="PostgreSQL tests need psycopg")
    schema = f"t_{secrets.token_hex(6)}"
    with psycopg.connect(base, autocommit=True) as conn:
        conn.execute(f"CREATE SCHEMA {schema}")
    sep = "&" if "?" in base else "?"
    try:
        yield f"{base}{sep}options=-csearch_path%3D{schema}"
    finally:
        with psycopg.connect(base, autocommit=True) as conn:
            conn.execute(f"DROP SCHEMA {schema} CASCADE")


@pytest.fixture(params=["sqlite", "postgresql"])
def target(request: pytest.FixtureRequest, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> str:
    """A history target of each backend (PostgreSQL with the team key in the environment)."""
    if request.param == "sqlite":
        return str(tmp_path / "history.db")
    monkeypatch.setenv("B12LINT_HISTORY_KEY", KEY)
    url: str = request.getfixturevalue("pg_url")
    return url
