"""The built-in pack: every file valid against its JSON Schema, every rule's examples pass."""

from __future__ import annotations

import json
from functools import cache
from pathlib import Path
from typing import Any

import jsonschema
import pytest
import yaml
from click.testing import CliRunner

from b12lint.cli import cli
from b12lint.engine import load_pack
from b12lint.engine.selftest import run_rule_examples
from b12lint.model import CATEGORIES

ROOT = Path(__file__).resolve().parents[1]
PACK = ROOT / "rules" / "b12-core"
RULE_FILES = sorted(
    p
    for p in PACK.rglob("*.y*ml")
    if p.name != "pack.yaml" and "data" not in p.relative_to(PACK).parts
)
DATA_FILES = sorted((PACK / "data").glob("*.y*ml"))


@cache
def validator(name: str) -> Any:
    schema = json.loads((ROOT / "schemas" / f"{name}.schema.json").read_text(encoding="utf-8"))
    cls = jsonschema.validators.validator_for(schema)
    cls.check_schema(schema)
    return cls(schema, format_checker=cls.FORMAT_CHECKER)


def as_json(value: Any) -> Any:
    """YAML dates as ISO strings, the way JSON Schema sees rule files."""
    return json.loads(json.dumps(value, default=str))


def load(path: Path) -> Any:
    return yaml.safe_load(path.read_text(encoding="utf-8"))


def problems(doc: Any, schema: str) -> list[str]:
    errors = validator(schema).iter_errors(as_json(doc))
    return [f"{'/'.join(map(str, e.absolute_path))}: {e.message}" for e in errors]


def test_the_pack_has_rules_and_data() -> None:
    assert len(RULE_FILES) >= 20
    assert DATA_FILES


@pytest.mark.parametrize("name", ["rule", "pack", "data", "report", "encounter"])
def test_the_schemas_are_valid_json_schemas(name: str) -> None:
    assert validator(name) is not None


@pytest.mark.parametrize("path", RULE_FILES, ids=lambda p: p.stem)
def test_rule_file_validates_against_the_rule_schema(path: Path) -> None:
    doc = load(path)
    assert problems(doc, "rule") == []
    assert path.stem == doc["id"], "a rule file is named after its rule id"
    assert doc["category"] in CATEGORIES and doc["category"] != "input"


@pytest.mark.parametrize("path", DATA_FILES, ids=lambda p: p.stem)
def test_data_file_validates_against_the_data_schema(path: Path) -> None:
    assert problems(load(path), "data") == []


def test_manifest_validates_against_the_pack_schema() -> None:
    manifest = load(PACK / "pack.yaml")
    assert problems(manifest, "pack") == []
    assert manifest["name"] == PACK.name


def test_rule_ids_are_unique() -> None:
    ids = [load(p)["id"] for p in RULE_FILES]
    assert len(ids) == len(set(ids))


@pytest.fixture(scope="module")
def core_pack() -> Any:
    return load_pack(PACK)


def test_every_rule_file_is_loaded(core_pack: Any) -> None:
    assert sorted(r.meta.id for r in core_pack.rules) == sorted(p.stem for p in RULE_FILES)


@pytest.mark.parametrize("rule_id", [p.stem for p in RULE_FILES])
def test_rule_examples(core_pack: Any, rule_id: str) -> None:
    rule = next(r for r in core_pack.rules if r.meta.id == rule_id)
    results = run_rule_examples(rule, core_pack)
    assert {r.kind for r in results} == {"fail", "pass"}
    failures = [f"{r.label}: {r.problem}" for r in results if not r.ok]
    assert failures == []


def test_b12lint_test_passes_on_the_builtin_pack() -> None:
    result = CliRunner().invoke(cli, ["test", str(PACK)])
    assert result.exit_code == 0, result.output
    assert result.output.rstrip().endswith(", 0 failed")
