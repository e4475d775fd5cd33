"""The built-in packs: size, metadata, their own examples, data provenance, sample coverage."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from click.testing import CliRunner

from b12lint.cli import cli
from b12lint.engine import Pack, Ruleset, run
from b12lint.engine.selftest import run_pack_examples
from b12lint.readers import read_inputs

ROOT = Path(__file__).resolve().parents[2]


def test_rules_json_lists_at_least_40_rules_with_references_and_effective(isolated: Path) -> None:
    result = CliRunner().invoke(cli, ["rules", "--format", "json"])
    assert result.exit_code == 0, result.output
    rules = json.loads(result.output)
    pack_rules = [r for r in rules if r["pack"] == "b12-core"]
    assert len(pack_rules) >= 40
    for rule in rules:
        assert rule["references"], rule["id"]
        assert rule["effective"]["from"], rule["id"]


@pytest.mark.parametrize("name", ["b12-core", "b12-commercial-example"])
def test_every_example_of_the_builtin_packs_passes(packs: dict[str, Pack], name: str) -> None:
    results = run_pack_examples(packs[name])
    failures = [f"{r.label}: {r.problem}" for r in results if not r.ok]
    assert not failures
    assert len(results) >= 2 * len(packs[name].rules)


def test_b12lint_test_command_exit_codes(tmp_path: Path) -> None:
    runner = CliRunner()
    ok = runner.invoke(cli, ["test"])
    assert ok.exit_code == 0, ok.output
    assert "b12-commercial-example:" in ok.output and "0 failed" in ok.output
    # A pack whose example does not trigger its rule fails the command.
    pack = tmp_path / "broken"
    pack.mkdir()
    rule = (ROOT / "rules/b12-core/provider/B12-PROV-003.yaml").read_text(encoding="utf-8")
    (pack / "B12-PROV-003.yaml").write_text(
        rule.replace("place_of_service: office", "place_of_service: '11'"), encoding="utf-8"
    )
    (pack / "data").mkdir()
    bad = runner.invoke(cli, ["test", str(pack)])
    assert bad.exit_code == 1
    assert "FAIL broken B12-PROV-003 fail[0]" in bad.output


def test_every_rule_has_failing_and_passing_examples(packs: dict[str, Pack]) -> None:
    for rule in packs["b12-core"].rules:
        assert rule.meta.examples["fail"] and rule.meta.examples["pass"], rule.meta.id


def test_policy_tables_carry_source_and_dates(packs: dict[str, Pack]) -> None:
    core = packs["b12-core"]
    expected = {
        "covered_icd10", "premedication", "hcpcs_units", "mue", "codes", "frequency", "ptp",
        "jw_jz", "ndc_products", "ndc_units", "modifiers", "dose", "monitoring", "code_first",
        "place_of_service", "non_covered", "ndc_required",
    }  # fmt: skip
    assert expected <= set(core.data)
    for table in core.data.values():
        assert table.source and table.description, table.name
        assert table.versions[0].start.year >= 2000, table.name


def test_policy_values_from_domain_md(packs: dict[str, Pack]) -> None:
    data = packs["b12-core"].data
    assert data["mue"].values == {"J3420": 1, "96372": 4, "96374": 1}
    ptp = data["ptp"].values
    assert ptp["96372"]["99211"] == 0
    assert {ptp["96372"][c] for c in ("99202", "99212", "99213", "99214", "99215", "G0463")} == {1}
    assert ptp["96374"]["96372"] == ptp["96401"]["96372"] == 1
    units = data["hcpcs_units"]
    assert [v.label() for v in units.versions] == ["2000-01-01 to 2023-12-31", "from 2024-01-01"]
    assert "J3425" not in units.versions[0].values
    assert units.versions[1].values["J3425"] == {"drug": "hydroxocobalamin", "mcg_per_unit": 10}
    assert units.versions[1].values["J3420"]["mcg_per_unit"] == 1000
    assert data["jw_jz"].effective_from.isoformat() == "2023-07-01"
    assert data["ndc_units"].values == ("F2", "GR", "ME", "ML", "UN")


#: Rules that read a table only to cap their fix (no MUE known: no fix, the finding stands).
FIX_CAP_ONLY = {("B12-UNITS-001", "mue"), ("B12-UNITS-004", "mue")}
#: Rules in effect before their table's first sourced version: the NCCI edits exist from 2007
#: (MUE) and for 96372 from 2009 (PTP), the sourced tables start 2024-07-01; on the dates
#: between, these rules report "not checked" (tests/packs/test_not_checked.py).
NOT_CHECKED_BEFORE_DATA = {
    ("B12-ADMIN-004", "ptp"),
    ("B12-MOD-007", "ptp"),
    ("B12-UNITS-003", "mue"),
    ("B12-UNITS-005", "mue"),
    ("B12-DOSE-004", "mue"),
}


def test_rules_read_only_tables_that_cover_their_dates(packs: dict[str, Pack]) -> None:
    """A rule runs on dates its policy tables do not cover only where that is intended (and
    it then says it could not check, never passes in silence)."""
    gaps = {
        (rule.meta.id, name)
        for pack in packs.values()
        for rule in pack.rules
        for name in rule.meta.data_tables
        if pack.data[name].effective_from > rule.meta.effective_from
        and (rule.meta.id, name) not in FIX_CAP_ONLY
    }
    assert gaps == NOT_CHECKED_BEFORE_DATA


def test_every_builtin_rule_fires_in_sample_claims(core: Ruleset) -> None:
    result = run(read_inputs([str(ROOT / "sample_claims")]), core)
    fired = {f.rule_id for f in result.findings}
    assert {r.meta.id for r in core.rules} <= fired
    readme = (ROOT / "sample_claims" / "README.md").read_text(encoding="utf-8")
    for rule_id in fired:
        assert rule_id in readme, rule_id


def test_guards_change_no_finding(
    core: Ruleset, packs: dict[str, Pack], monkeypatch: pytest.MonkeyPatch
) -> None:
    """Rules skipped for encounters that lack the facts their guards need report the same."""
    from b12lint.engine import combine, load_pack
    from b12lint.engine import rule as rule_module

    guarded = [r.meta.id for r in core.rules if r.guard is not None]
    assert {"B12-UNITS-001", "B12-DRUG-003", "B12-MOD-001"} <= set(guarded)
    monkeypatch.setattr(rule_module, "rule_guard", lambda doc, scope: None)
    unguarded = combine([load_pack(packs["b12-core"].path)])
    assert all(r.guard is None for r in unguarded.rules)
    inputs = [str(ROOT / "sample_claims")]

    def keys(ruleset: Ruleset) -> list[tuple[object, ...]]:
        result = run(read_inputs(inputs), ruleset)
        return [(f.encounter_id, f.rule_id, f.location.pointer, f.message) for f in result.findings]

    assert keys(core) == keys(unguarded)
