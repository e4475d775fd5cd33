"""Fixtures for the rule-pack tests: the built-in packs, loaded once, and a record builder."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from b12_records import clean_record

from b12lint.engine import Pack, Ruleset, combine, load_pack
from b12lint.engine.pack import builtin_pack_paths

ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture
def isolated(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A working directory with no configuration file and no B12LINT_* variables."""
    import os

    for key in list(os.environ):
        if key.startswith("B12LINT_"):
            monkeypatch.delenv(key)
    monkeypatch.chdir(tmp_path)
    return tmp_path


@pytest.fixture(scope="session")
def packs() -> dict[str, Pack]:
    """Every built-in pack by name."""
    return {p.name: load_pack(p) for p in builtin_pack_paths()}


@pytest.fixture(scope="session")
def core(packs: dict[str, Pack]) -> Ruleset:
    """The b12-core ruleset."""
    return combine([packs["b12-core"]])


@pytest.fixture
def clean() -> Callable[..., dict[str, Any]]:
    """A clean Medicare maintenance encounter (a fresh copy each call), with top-level overrides.

    The patient id follows the encounter id unless given, so records do not share a history.
    """

    def make(**overrides: Any) -> dict[str, Any]:
        fields = {"encounter_id": "T-1", "date_of_service": "2026-06-01", **overrides}
        fields.setdefault("patient_id", "PT-" + fields["encounter_id"])
        return clean_record(**fields)

    return make
