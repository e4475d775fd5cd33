"""Shared fixtures: a clean B12 encounter, rule documents, rule packs written to tmp_path."""

from __future__ import annotations

import copy
import json
from collections.abc import Callable, Iterable, Mapping
from pathlib import Path
from typing import Any

import pytest
import yaml

ROOT = Path(__file__).resolve().parents[1]
RULES_DIR = ROOT / "rules"
CORE_PACK = RULES_DIR / "b12-core"
SCHEMAS_DIR = ROOT / "schemas"

#: The example record of FORMATS.md section 1: a B12 encounter every built-in rule accepts.
CLEAN_RECORD: dict[str, Any] = {
    "encounter_id": "ENC-1001",
    "patient_id": "PT-0077",
    "date_of_service": "2026-03-02",
    "place_of_service": "11",
    "rendering_npi": "1234567893",
    "payer": {"id": "00952", "name": "Medicare Part B", "type": "medicare"},
    "diagnoses": ["D51.0", "K90.0"],
    "documentation": {
        "indication": "pernicious anemia, maintenance",
        "indication_codes": ["D51.0"],
        "phase": "maintenance",
        "monitoring": {
            "plan": "B12 level and CBC every 6 months",
            "last_b12_lab_date": "2026-01-12",
        },
        "administrations": [
            {
                "drug": "cyanocobalamin",
                "dose": "1000 mcg",
                "route": "IM",
                "site": "left deltoid",
                "ndc": "0517-0031-25",
                "supplied_by": "clinic",
                "time": "2026-03-02T10:15:00",
            }
        ],
    },
    "lines": [
        {
            "code": "J3420",
            "units": 1,
            "modifiers": [],
            "dx_pointers": [1],
            "date": "2026-03-02",
            "ndc": "00517003125",
            "ndc_quantity": 1,
            "ndc_unit": "ML",
            "charge": 12.00,
        },
        {
            "code": "96372",
            "units": 1,
            "modifiers": [],
            "dx_pointers": [1],
            "date": "2026-03-02",
            "charge": 25.00,
        },
    ],
}

#: A flu shot visit: no B12 drug line, no B12 administration (out of scope).
FLU_RECORD: dict[str, Any] = {
    "encounter_id": "FLU-1",
    "patient_id": "PT-FLU",
    "date_of_service": "2026-03-02",
    "rendering_npi": "0000000000",  # invalid NPI: would be a finding if it were in scope
    "diagnoses": ["Z23", "NOT-A-CODE"],
    "lines": [{"code": "90686", "units": 1}, {"code": "G0008", "units": 0}],
}


def _make(template: Mapping[str, Any]) -> Callable[..., dict[str, Any]]:
    def make(encounter_id: str | None = None, **changes: Any) -> dict[str, Any]:
        record = copy.deepcopy(dict(template))
        if encounter_id is not None:
            record["encounter_id"] = encounter_id
            record["patient_id"] = f"PT-{encounter_id}"
        record.update(copy.deepcopy(changes))
        return record

    return make


@pytest.fixture
def make_record() -> Callable[..., dict[str, Any]]:
    """``make_record("E1", **changes)``: the clean B12 record, its own patient, changed."""
    return _make(CLEAN_RECORD)


@pytest.fixture
def make_flu() -> Callable[..., dict[str, Any]]:
    """``make_flu("F1")``: an out-of-scope (non-B12) encounter."""
    return _make(FLU_RECORD)


def _jsonl(records: Iterable[Any]) -> str:
    return "".join(
        (r if isinstance(r, str) else json.dumps(r, separators=(",", ":"))) + "\n" for r in records
    )


@pytest.fixture
def write_jsonl(tmp_path: Path) -> Callable[..., Path]:
    """``write_jsonl(records, name)``: a ``.jsonl`` file; strings are written as raw lines."""

    def write(records: Iterable[Any], name: str = "batch.jsonl") -> Path:
        path = tmp_path / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(_jsonl(records), encoding="utf-8")
        return path

    return write


BASE_RULE: dict[str, Any] = {
    "id": "T-RULE-001",
    "name": "test-rule",
    "severity": "error",
    "category": "units",
    "summary": "A test rule",
    "message": "encounter {encounter_id} is flagged",
    "rationale": "Tests need a rule.",
    "references": [{"title": "The test suite"}],
    "effective": {"from": "2000-01-01"},
    "when": {"eq": ["$patient_id", "FLAG"]},
    "examples": {
        "fail": [{"patient_id": "FLAG", "lines": [{"code": "J3420", "units": 1}]}],
        "pass": [{"patient_id": "OK", "lines": [{"code": "J3420", "units": 1}]}],
    },
}


@pytest.fixture
def rule_doc() -> Callable[..., dict[str, Any]]:
    """``rule_doc(**keys)``: a valid rule mapping (flags patient_id FLAG) with keys replaced."""

    def make(**changes: Any) -> dict[str, Any]:
        doc = copy.deepcopy(BASE_RULE)
        doc.update(copy.deepcopy(changes))
        return doc

    return make


def _dump(doc: Any) -> str:
    return doc if isinstance(doc, str) else yaml.safe_dump(doc, sort_keys=False)


@pytest.fixture
def make_pack(tmp_path: Path) -> Callable[..., Path]:
    """``make_pack(name, rules, manifest=None, data=None)``: a pack folder under tmp_path/packs.

    ``rules`` is a list of rule mappings (written as ``<id>.yaml``) or a mapping of relative
    file name to a mapping or raw YAML text; ``data`` maps table names to table documents.
    """
    root = tmp_path / "packs"

    def make(
        name: str,
        rules: Iterable[Mapping[str, Any]] | Mapping[str, Any] = (),
        *,
        manifest: Mapping[str, Any] | str | None = None,
        data: Mapping[str, Any] | None = None,
    ) -> Path:
        folder = root / name
        folder.mkdir(parents=True)
        if manifest is not None:
            (folder / "pack.yaml").write_text(_dump(manifest), encoding="utf-8")
        files = (
            dict(rules)
            if isinstance(rules, Mapping)
            else {f"{doc['id']}.yaml": doc for doc in rules}
        )
        for rel, doc in files.items():
            path = folder / rel
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_text(_dump(doc), encoding="utf-8")
        for table, doc in (data or {}).items():
            (folder / "data").mkdir(exist_ok=True)
            (folder / "data" / f"{table}.yaml").write_text(_dump(doc), encoding="utf-8")
        return folder

    return make


def data_table(values: Any) -> dict[str, Any]:
    """A valid data table document holding ``values``."""
    return {
        "description": "test table",
        "source": "the test suite",
        "effective": {"from": "2000-01-01"},
        "values": values,
    }


@pytest.fixture
def make_table() -> Callable[[Any], dict[str, Any]]:
    """``make_table(values)``: a valid data table document."""
    return data_table


@pytest.fixture(scope="session")
def core_ruleset() -> Any:
    """The built-in ruleset, loaded once."""
    from b12lint.engine import load_ruleset

    return load_ruleset()


def run_b12lint(
    *args: str,
    cwd: Path,
    timeout: float = 120,
    stdin: Any = None,
    env: Mapping[str, str] | None = None,
) -> Any:
    """Run the installed ``b12lint`` in a child process: a crash shows as a traceback on
    stderr, a hang as ``subprocess.TimeoutExpired``. ``B12LINT_*`` variables are cleared."""
    import os
    import subprocess
    import sys

    base = {k: v for k, v in os.environ.items() if not k.startswith("B12LINT_")}
    base["NO_COLOR"] = "1"
    return subprocess.run(
        [sys.executable, "-m", "b12lint", *args],
        cwd=cwd,
        env={**base, **(env or {})},
        input=stdin,
        capture_output=True,
        timeout=timeout,
        check=False,
    )


@pytest.fixture(scope="session")
def b12lint_process() -> Callable[..., Any]:
    """``b12lint_process(*args, cwd=..., stdin=b"...")``: a completed b12lint child process
    (bytes stdout and stderr)."""
    return run_b12lint
