"""Fixtures of the history tests: a SQLite file or a PostgreSQL schema, and record builders.

PostgreSQL tests run against the real server named by ``B12LINT_TEST_POSTGRES_URL`` (the
``pg_url`` fixture of tests/conftest.py, shared with the serve tests).
"""

from __future__ import annotations

import secrets
from pathlib import Path
from typing import Any

import pytest

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


@pytest.fixture(params=["sqlite", "postgresql"])
def target(request: pytest.FixtureRequest, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> str:
    """A history target of each backend (PostgreSQL with the team key in the environment)."""
    if request.param == "sqlite":
        return str(tmp_path / "history.db")
    monkeypatch.setenv("B12LINT_HISTORY_KEY", KEY)
    url: str = request.getfixturevalue("pg_url")
    return url
