"""Fixtures for the scale tests: the benchmark's batch generator, generated batches."""

from __future__ import annotations

import importlib.util
import os
import sys
from collections.abc import Iterator
from pathlib import Path
from types import ModuleType

import pytest

ROOT = Path(__file__).resolve().parents[2]


def load_bench(name: str) -> ModuleType:
    """A module of ``bench/`` (scripts, not part of the installed package), by path."""
    module_name = f"b12lint_bench_{name}"
    if module_name in sys.modules:
        return sys.modules[module_name]
    spec = importlib.util.spec_from_file_location(module_name, ROOT / "bench" / f"{name}.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules[module_name] = module
    spec.loader.exec_module(module)
    return module


@pytest.fixture
def clean_env(monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    """No configuration or variables from the developer's environment change the output."""
    for name in list(os.environ):
        if name.startswith("B12LINT_") or name in ("GITHUB_ACTIONS", "NO_COLOR", "CI"):
            monkeypatch.delenv(name)
    # SARIF and GitHub output are redacted by default: a fixed key keeps their bytes stable
    monkeypatch.setenv("B12LINT_REDACT_KEY", "golden-test-key-not-a-secret")
    yield


@pytest.fixture(scope="session")
def generator() -> ModuleType:
    """``bench/generate.py``."""
    return load_bench("generate")


@pytest.fixture(scope="session")
def batch_dir(tmp_path_factory: pytest.TempPathFactory, generator: ModuleType) -> Path:
    """A folder holding ``batch.jsonl``: 3,000 generated records (the golden batch)."""
    folder = tmp_path_factory.mktemp("batch")
    with (folder / "batch.jsonl").open("wb") as out:
        generator.write(out, 3000, seed=6)
    return folder
