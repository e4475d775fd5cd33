"""Fixtures for the output, suppression and redaction tests: a small batch with known findings.

The batch (``batch.jsonl``) holds, in order:
  1. ENC-ALPHA-0001  PAT-ZETA-0077  clean maintenance injection (free text names "Jane Roe")
  2. ENC-ALPHA-0002  PAT-ZETA-0077  7 days later, maintenance -> B12-FREQ-001 naming ENC-ALPHA-0001
  3. ENC-BRAVO-0003  PAT-YOTA-0100  J3420 x 2 units -> B12-UNITS-001, B12-UNITS-003
  4. ENC-CHARLIE-0004 PAT-XI-0200   bad NPI check digit -> B12-PROV-001
  5. a truncated JSON line (ENC-DELTA-0005) -> B12-INPUT-001
  6. ENC-ECHO-0006   PAT-MU-0400    a flu shot: read, not in B12 scope, no finding
  7. ENC-FOXTROT-0007 PAT-OMEGA-0300 date_of_service is a number -> B12-INPUT-002
"""

from __future__ import annotations

import copy
import json
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner, Result

from b12lint.cli import cli
from b12lint.cli.common import router_from_config
from b12lint.config import Config
from b12lint.engine import Router

REPO = Path(__file__).resolve().parents[2]
SARIF_SCHEMA = REPO.parent / "shared" / "reference" / "sarif-schema-2.1.0.json"
FORMATS = ("text", "json", "jsonl", "sarif", "junit", "github", "csv", "html")

#: Every identifier and free-text value of the batch that --redact must hide.
SECRETS = (
    "ENC-ALPHA-0001",
    "ENC-ALPHA-0002",
    "ENC-BRAVO-0003",
    "ENC-CHARLIE-0004",
    "ENC-ECHO-0006",
    "ENC-FOXTROT-0007",
    "PAT-ZETA-0077",
    "PAT-YOTA-0100",
    "PAT-XI-0200",
    "PAT-MU-0400",
    "PAT-OMEGA-0300",
    "Jane Roe",
    "left deltoid near mole",
)

BASE: dict[str, Any] = {
    "place_of_service": "11",
    "rendering_npi": "1234567893",
    "payer": {"id": "00952", "name": "Medicare Part B", "type": "medicare"},
    "diagnoses": ["D51.0"],
    "documentation": {
        "indication": "pernicious anemia, maintenance",
        "indication_codes": ["D51.0"],
        "phase": "maintenance",
        "monitoring": {"plan": "B12 level every 6 months", "last_b12_lab_date": "2026-01-12"},
        "administrations": [
            {"drug": "cyanocobalamin", "dose": "1000 mcg", "route": "IM", "site": "left deltoid"}
        ],
    },
    "lines": [
        {
            "code": "J3420",
            "units": 1,
            "dx_pointers": [1],
            "ndc": "00517003101",
            "ndc_quantity": 1,
            "ndc_unit": "ML",
        },
        {"code": "96372", "units": 1, "dx_pointers": [1]},
    ],
}


def encounter(encounter_id: str, patient_id: str, dos: str, **changes: Any) -> dict[str, Any]:
    """A clean B12 encounter with ``changes`` applied at the top level."""
    record = copy.deepcopy(BASE)
    record.update(encounter_id=encounter_id, patient_id=patient_id, date_of_service=dos)
    record.update(changes)
    return record


def batch_lines() -> list[str]:
    """The batch's lines (see the module docstring)."""
    first = encounter("ENC-ALPHA-0001", "PAT-ZETA-0077", "2026-03-02")
    first["documentation"]["indication"] = "pernicious anemia; patient Jane Roe prefers mornings"
    first["documentation"]["administrations"][0]["site"] = "left deltoid near mole"
    units = encounter("ENC-BRAVO-0003", "PAT-YOTA-0100", "2026-04-06")
    units["lines"][0]["units"] = 2
    flu = {
        "encounter_id": "ENC-ECHO-0006",
        "patient_id": "PAT-MU-0400",
        "date_of_service": "2026-04-07",
        "lines": [{"code": "90686", "units": 1}, {"code": "G0008", "units": 1}],
    }
    records = [
        first,
        encounter("ENC-ALPHA-0002", "PAT-ZETA-0077", "2026-03-09"),
        units,
        encounter("ENC-CHARLIE-0004", "PAT-XI-0200", "2026-05-04", rendering_npi="1234567890"),
    ]
    lines = [json.dumps(r) for r in records]
    lines.append('{"encounter_id": "ENC-DELTA-0005", "patient_id": "PAT-')
    lines.append(json.dumps(flu))
    lines.append(
        json.dumps(
            {
                "encounter_id": "ENC-FOXTROT-0007",
                "patient_id": "PAT-OMEGA-0300",
                "date_of_service": 123,
            }
        )
    )
    return lines


EXPECTED_RULES = sorted(
    [
        "B12-FREQ-001",
        "B12-UNITS-001",
        "B12-UNITS-003",
        "B12-PROV-001",
        "B12-INPUT-001",
        "B12-INPUT-002",
    ]
)


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


Check = Callable[..., Result]


@pytest.fixture
def check(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Check:
    """``check(*args, env=...)``: run ``b12lint check`` in tmp_path with a clean environment."""
    monkeypatch.chdir(tmp_path)
    # (``b12lint.cli.check`` the attribute is the click command; the module is in sys.modules)
    monkeypatch.setattr(sys.modules["b12lint.cli.check"], "router_from_config", _cached_router)
    for name in ("GITHUB_ACTIONS", "CI", "B12LINT_REDACT_KEY", "B12LINT_CONFIG"):
        monkeypatch.delenv(name, raising=False)

    def run(*args: str, env: dict[str, str] | None = None) -> Result:
        return CliRunner().invoke(cli, ["check", *args], env=env, catch_exceptions=False)

    return run
