"""Fixtures for the rule-pack tests: the built-in packs, loaded once, and a record builder."""

from __future__ import annotations

import copy
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from b12lint.engine import Pack, Ruleset, combine, load_pack
from b12lint.engine.pack import builtin_pack_paths

ROOT = Path(__file__).resolve().parents[2]

CLEAN: dict[str, Any] = {
    "encounter_id": "T-1",
    "patient_id": "PT-T1",
    "date_of_service": "2026-06-01",
    "place_of_service": "11",
    "rendering_npi": "1234567893",
    "payer": {"id": "00952", "name": "Medicare Part B", "type": "medicare"},
    "diagnoses": ["D51.0"],
    "documentation": {
        "indication": "pernicious anemia, maintenance",
        "indication_codes": ["D51.0"],
        "phase": "maintenance",
        "monitoring": {"plan": "B12 and CBC every 6 months", "last_b12_lab_date": "2026-01-12"},
        "administrations": [
            {
                "drug": "cyanocobalamin",
                "dose": "1000 mcg",
                "route": "IM",
                "ndc": "0517-0031-01",
                "supplied_by": "clinic",
            }
        ],
    },
    "lines": [
        {
            "code": "J3420",
            "units": 1,
            "modifiers": [],
            "dx_pointers": [1],
            "ndc": "00517003101",
            "ndc_quantity": 1,
            "ndc_unit": "ML",
        },
        {"code": "96372", "units": 1, "modifiers": [], "dx_pointers": [1]},
    ],
}


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
        record = copy.deepcopy(CLEAN)
        record.update(overrides)
        if "patient_id" not in overrides:
            record["patient_id"] = "PT-" + record["encounter_id"]
        return record

    return make
