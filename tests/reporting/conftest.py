"""Fixtures for the output, suppression and redaction tests: the batch of ``report_batch``
written to tmp_path, and ``check`` running ``b12lint check`` there."""

from __future__ import annotations

import importlib
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner, Result
from report_batch import Check, batch_lines

from b12lint.cli import cli
from b12lint.cli.common import router_from_config
from b12lint.config import Config
from b12lint.engine import Router


@pytest.fixture
def batch(tmp_path: Path) -> Path:
    """The batch file, in its own folder; relative to tmp_path (the ``check`` fixture's cwd)."""
    path = tmp_path / "claims" / "batch.jsonl"
    path.parent.mkdir()
    path.write_text("\n".join(batch_lines()) + "\n", encoding="utf-8")
    return path.relative_to(tmp_path)


@pytest.fixture
def empty_batch(tmp_path: Path) -> Path:
    """An input with no records at all."""
    path = tmp_path / "empty.jsonl"
    path.write_text("", encoding="utf-8")
    return path.relative_to(tmp_path)


_ROUTERS: dict[str, Router] = {}


def _cached_router(config: Config, *args: Any) -> Router:
    """Loading b12-core takes ~150 ms (YAML parsing): load each configuration once per session."""
    key = repr((config.path, sorted(config.values.items()), args))
    if key not in _ROUTERS:
        _ROUTERS[key] = router_from_config(config, *args)
    return _ROUTERS[key]


@pytest.fixture
def check(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Check:
    """``check(*args, env=...)``: run ``b12lint check`` in tmp_path with a clean environment."""
    monkeypatch.chdir(tmp_path)
    # (the packs are loaded by b12lint.cli.setup.load_setup, for check and serve alike)
    setup = importlib.import_module("b12lint.cli.setup")  # loaded lazily by the CLI
    monkeypatch.setattr(setup, "router_from_config", _cached_router)
    for name in ("GITHUB_ACTIONS", "CI", "B12LINT_REDACT_KEY", "B12LINT_CONFIG"):
        monkeypatch.delenv(name, raising=False)

    def run(*args: str, env: dict[str, str] | None = None) -> Result:
        return CliRunner().invoke(cli, ["check", *args], env=env, catch_exceptions=False)

    return run
