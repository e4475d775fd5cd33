"""Payer-aware rules (issue 11, item 4): ABN logic for Original Medicare only, the Medicaid NDC
requirement, and payer types as FORMATS.md spells them."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
import yaml
from coverage_claims import claim

import b12lint
from b12lint.engine import Ruleset, combine, load_pack
from b12lint.engine.functions import payer_kind
from b12lint.engine.pack import builtin_pack_paths

ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture(scope="module")
def core() -> Ruleset:
    return b12lint.load_ruleset()


@pytest.fixture(scope="module")
def commercial() -> Ruleset:
    path = next(p for p in builtin_pack_paths() if p.name == "b12-commercial-example")
    return combine([load_pack(path)])


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("medicare", "medicare"),
        (" Medicare ", "medicare"),
        ("Medicare Advantage", "medicare_advantage"),
        ("medicare-advantage", "medicare_advantage"),
        ("MEDICARE_ADVANTAGE", "medicare_advantage"),
        ("Medicaid", "medicaid"),
        ("", None),
        (None, None),
        (3, None),
    ],
)
def test_payer_kind(text: Any, expected: str | None) -> None:
    assert payer_kind(text) == expected


def fatigue(payer: dict[str, str] | None, mods: list[str]) -> dict[str, Any]:
    record = claim("PAY-1", ["R53.83"], "fatigue, requests energy shot")
    record["payer"] = payer
    for line in record["lines"]:
        line["modifiers"] = list(mods)
    return record


def found(ruleset: Ruleset, record: dict[str, Any]) -> list[tuple[str, str]]:
    return sorted(
        (f.rule_id, f.severity)
        for f in b12lint.lint([record], ruleset)
        if f.category in {"indication", "modifier"}
    )


ORIGINAL = {"id": "00952", "name": "Medicare Part B", "type": "medicare"}
ADVANTAGE = {"id": "87726", "name": "MA HMO", "type": "medicare_advantage"}


@pytest.mark.parametrize(
    ("payer", "mods", "expected"),
    [
        (ORIGINAL, [], [("B12-IND-002", "error")]),
        (ORIGINAL, ["GA"], [("B12-IND-005", "info")] * 2),
        (ORIGINAL, ["GZ"], [("B12-IND-004", "warning")] * 2),
        (ORIGINAL, ["GY"], [("B12-MOD-009", "error")] * 2),
        (ORIGINAL, ["GX"], [("B12-MOD-009", "error")] * 2),
        (None, ["GA"], [("B12-IND-005", "info")] * 2),  # no payer: judged as Original Medicare
        (ADVANTAGE, [], [("B12-IND-002", "error")]),
        (ADVANTAGE, ["GA"], [("B12-IND-002", "error")]),  # no ABN for Medicare Advantage
        (ADVANTAGE, ["GZ"], [("B12-IND-002", "error")]),
        (ADVANTAGE, ["GY"], [("B12-IND-002", "error")]),
        ({"type": "Medicare Advantage"}, ["GA"], [("B12-IND-002", "error")]),
        ({"type": "medicaid"}, ["GA"], [("B12-IND-002", "error")]),
        ({"type": "commercial"}, ["GY"], [("B12-IND-002", "error")]),
    ],
)
def test_abn_modifiers_by_payer(
    core: Ruleset,
    payer: dict[str, str] | None,
    mods: list[str],
    expected: list[tuple[str, str]],
) -> None:
    assert found(core, fatigue(payer, mods)) == expected


def test_covered_claim_with_gy_is_the_wrong_modifier_not_a_coverage_finding(core: Ruleset) -> None:
    record = claim("PAY-2", ["D51.0"], "pernicious anemia")
    record["lines"][0]["modifiers"] = ["GY"]
    assert found(core, record) == [("B12-MOD-009", "error")]


def ndc_findings(ruleset: Ruleset, payer: dict[str, str]) -> list[tuple[str, str, str]]:
    record = claim("NDC-1", ["D51.0"], "pernicious anemia", payer=payer)
    for key in ("ndc", "ndc_quantity", "ndc_unit"):
        record["lines"][0].pop(key, None)
    return sorted(
        (f.rule_id, f.severity, f.location.pointer)
        for f in b12lint.lint([record], ruleset)
        if f.category == "ndc"
    )


def test_medicaid_drug_line_without_ndc_is_an_error(core: Ruleset) -> None:
    got = ndc_findings(core, {"id": "77027", "name": "State Medicaid", "type": "Medicaid"})
    assert got == [("B12-NDC-009", "error", "/lines/0/ndc")]  # and no contradicting info note


def test_medicare_drug_line_without_ndc_is_a_note(core: Ruleset) -> None:
    assert ndc_findings(core, ORIGINAL) == [("B12-NDC-008", "info", "/lines/0/code")]
    assert ndc_findings(core, ADVANTAGE) == [("B12-NDC-008", "info", "/lines/0/code")]


def test_commercial_ndc_policy_is_the_payer_pack(core: Ruleset, commercial: Ruleset) -> None:
    acme = {"id": "60054", "name": "ACME Health", "type": "commercial"}
    assert ndc_findings(core, acme) == [("B12-NDC-008", "info", "/lines/0/code")]
    assert ndc_findings(commercial, acme) == [("B12-NDC-008", "error", "/lines/0/code")]


def test_medicaid_ndc_requirement_is_dated(core: Ruleset) -> None:
    record = claim("NDC-2", ["D51.0"], "pernicious anemia", payer={"type": "medicaid"})
    record["date_of_service"] = "2007-12-31"
    record["lines"][0].pop("ndc")
    rules = {f.rule_id for f in b12lint.lint([record], core) if f.category == "ndc"}
    assert "B12-NDC-009" not in rules and "B12-NDC-008" in rules


def test_what_a_modifier_means_to_a_payer_is_pack_data(tmp_path: Path, core: Ruleset) -> None:
    """A payer pack that lists its own payer type in modifiers.abn_payers gets the ABN logic
    (here a commercial plan whose contract has a signed-waiver process like the ABN)."""
    core_data = ROOT / "rules" / "b12-core" / "data" / "modifiers.yaml"
    table = yaml.safe_load(core_data.read_text(encoding="utf-8"))
    table["values"]["abn_payers"] = ["medicare", "commercial"]
    table["source"] = "Example payer: its member waiver works as the ABN (test only)."
    pack = tmp_path / "waiver-plan"
    (pack / "data").mkdir(parents=True)
    (pack / "pack.yaml").write_text("name: waiver-plan\nextends: b12-core\n", encoding="utf-8")
    (pack / "data" / "modifiers.yaml").write_text(yaml.safe_dump(table), encoding="utf-8")
    plan = combine([load_pack(pack)])
    record = fatigue({"id": "X1", "type": "commercial"}, ["GA"])
    assert found(core, record) == [("B12-IND-002", "error")]
    assert found(plan, record) == [("B12-IND-005", "info")] * 2
