"""Payer routing: each encounter judged by its payer's pack, in one mixed batch."""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner

from b12lint.cli import cli
from b12lint.engine import Pack, Router, SelectionError, build_router, combine, run
from b12lint.engine.router import payer_packs
from b12lint.model import Record, Source, validate_encounter

Make = Callable[..., dict[str, Any]]
MEDICARE = {"id": "00952", "name": "Medicare Part B", "type": "medicare"}
ACME = {"id": "60054", "name": "ACME Health", "type": "commercial"}
OTHER = {"id": "77777", "name": "Other Health", "type": "Commercial"}


def bariatric(make: Make, encounter_id: str, payer: dict[str, str] | None) -> dict[str, Any]:
    """Z98.84 only: covered by b12-core, not by the example commercial pack."""
    record = make(encounter_id=encounter_id, payer=payer, diagnoses=["Z98.84"])
    record["documentation"]["indication_codes"] = ["Z98.84"]
    return record


def items(*records: dict[str, Any]) -> list[Record]:
    return [
        Record(validate_encounter(r), Source("batch.jsonl", i + 1)) for i, r in enumerate(records)
    ]


def findings_by_encounter(result: Any) -> dict[str, set[str]]:
    out: dict[str, set[str]] = {}
    for f in result.findings:
        out.setdefault(f.encounter_id, set()).add(f.rule_id)
    return out


@pytest.fixture(scope="module")
def router(packs: dict[str, Pack]) -> Router:
    commercial = packs["b12-commercial-example"]
    return build_router([packs["b12-core"]], {"60054": commercial, "medicare": packs["b12-core"]})


def test_pick_by_id_then_type_then_default(router: Router) -> None:
    commercial = router.by_id["60054"]
    assert router.pick({"payer": ACME}) is commercial
    assert router.pick({"payer": {"id": " 60054 ", "type": "medicare"}}) is commercial  # id first
    assert router.pick({"payer": {"type": "MEDICARE"}}) is router.by_type["medicare"]
    assert router.pick({"payer": OTHER}) is router.default
    assert router.pick({"payer": None}) is router.default
    assert router.pick({}) is router.default
    assert router.pick({"payer": "60054"}) is router.default  # not an object: no routing


def test_mixed_batch_is_judged_encounter_by_encounter(router: Router, clean: Make) -> None:
    result = run(
        items(
            bariatric(clean, "M-1", MEDICARE),
            bariatric(clean, "C-1", ACME),
            bariatric(clean, "O-1", OTHER),
        ),
        router,
    )
    found = findings_by_encounter(result)
    assert "B12-IND-002" in found["C-1"]
    assert "B12-IND-002" not in found.get("M-1", set())
    assert "B12-IND-002" not in found.get("O-1", set())
    assert [r["name"] for r in result.rulesets] == ["b12-core", "b12-commercial-example"]


def test_report_lists_only_the_packs_used(router: Router, clean: Make) -> None:
    result = run(items(bariatric(clean, "M-1", MEDICARE)), router)
    assert [r["name"] for r in result.rulesets] == ["b12-core"]
    result = run(items(bariatric(clean, "C-1", ACME)), router)
    assert [r["name"] for r in result.rulesets] == ["b12-commercial-example"]


def test_severity_override_of_the_payer_pack(router: Router, clean: Make) -> None:
    def no_ndc(encounter_id: str, payer: dict[str, str]) -> dict[str, Any]:
        record = clean(encounter_id=encounter_id, payer=payer)
        for key in ("ndc", "ndc_quantity", "ndc_unit"):
            record["lines"][0].pop(key)
        return record

    result = run(items(no_ndc("M-1", MEDICARE), no_ndc("C-1", ACME)), router)
    severity = {f.encounter_id: f.severity for f in result.findings if f.rule_id == "B12-NDC-008"}
    assert severity == {"M-1": "info", "C-1": "error"}


def test_history_rules_use_the_payer_window(router: Router, clean: Make) -> None:
    """28 days apart: fine for b12-core (28), too soon for the commercial pack (30)."""
    records = []
    for payer, patient in ((MEDICARE, "PM"), (ACME, "PC")):
        for i, date in enumerate(("2026-03-02", "2026-03-30")):
            records.append(
                clean(
                    encounter_id=f"{patient}-{i}",
                    patient_id=patient,
                    date_of_service=date,
                    payer=payer,
                )
            )
    found = findings_by_encounter(run(items(*records), router))
    assert "B12-FREQ-001" in found["PC-1"]
    assert "B12-FREQ-001" not in found.get("PM-1", set())


def test_payer_pack_replaces_what_it_extends_and_keeps_other_packs(packs: dict[str, Pack]) -> None:
    core, commercial = packs["b12-core"], packs["b12-commercial-example"]
    house = Pack("house", "1", "", core.path, ("house",), (), {})
    assert payer_packs([core, house], commercial) == [house, commercial]
    assert payer_packs([core, house], core) == [house, core]


def test_selection_tokens_must_match_some_ruleset(packs: dict[str, Pack]) -> None:
    with pytest.raises(SelectionError):
        build_router([packs["b12-core"]], {}, ignore=["B12-NOPE"])
    router = build_router(
        [packs["b12-core"]],
        {"60054": packs["b12-commercial-example"]},
        ignore=["B12-MON"],
        severity={"B12-NDC-008": "warning"},
    )
    for ruleset in router.rulesets():
        assert not any(r.meta.id.startswith("B12-MON") for r in ruleset.rules)
        assert ruleset.by_id["B12-NDC-008"].meta.severity == "warning"


def test_single_ruleset_needs_no_routing(packs: dict[str, Pack]) -> None:
    router = Router(combine([packs["b12-core"]]))
    assert not router.routed
    assert router.rulesets() == [router.default]


# ---------------------------------------------------------------- command line and config


def write_batch(folder: Path, make: Make) -> Path:
    path = folder / "batch.jsonl"
    lines = [bariatric(make, "M-1", MEDICARE), bariatric(make, "C-1", ACME)]
    path.write_text("".join(json.dumps(r) + "\n" for r in lines), encoding="utf-8")
    return path


def check_json(args: list[str], env: dict[str, str] | None = None) -> tuple[int, Any]:
    result = CliRunner().invoke(cli, ["check", "--format", "json", *args], env=env)
    data = json.loads(result.stdout) if result.exit_code in (0, 1) else result.output
    return result.exit_code, data


def ind002(report: Any) -> set[str]:
    return {f["encounter_id"] for f in report["findings"] if f["rule_id"] == "B12-IND-002"}


def test_config_file_routes_payers(isolated: Path, clean: Make) -> None:
    batch = write_batch(isolated, clean)
    (isolated / "pyproject.toml").write_text(
        '[tool.b12lint.payers]\nmedicare = "b12-core"\n"60054" = "b12-commercial-example"\n',
        encoding="utf-8",
    )
    code, report = check_json([str(batch)])
    assert code == 1
    assert ind002(report) == {"C-1"}
    assert [r["name"] for r in report["rulesets"]] == ["b12-core", "b12-commercial-example"]


def test_cli_and_environment_override_the_file_key_by_key(isolated: Path, clean: Make) -> None:
    batch = write_batch(isolated, clean)
    (isolated / "b12lint.toml").write_text(
        '[payers]\n"60054" = "b12-commercial-example"\n', encoding="utf-8"
    )
    assert ind002(check_json([str(batch)])[1]) == {"C-1"}
    # the environment sends Medicare to the commercial pack too (and keeps 60054)
    env = {"B12LINT_PAYERS": "medicare=b12-commercial-example"}
    assert ind002(check_json([str(batch)], env)[1]) == {"C-1", "M-1"}
    # the command line sends 60054 back to b12-core
    report = check_json([str(batch), "--payer", "60054=b12-core"], env)[1]
    assert ind002(report) == {"M-1"}


@pytest.mark.parametrize(
    ("args", "env", "message"),
    [
        (["--payer", "60054=no-such-pack"], {}, "payers.60054: no pack named 'no-such-pack'"),
        (["--payer", "60054"], {}, "--payer: '60054' is not PAYER=PACK"),
        ([], {"B12LINT_PAYERS": "medicare"}, "B12LINT_PAYERS: 'medicare' is not PAYER=PACK"),
        ([], {"B12LINT_PAYERS": "medicare=Bad/Path"}, "payers.medicare"),
    ],
)
def test_payer_configuration_errors_exit_2_naming_the_key(
    isolated: Path, clean: Make, args: list[str], env: dict[str, str], message: str
) -> None:
    batch = write_batch(isolated, clean)
    code, output = check_json([str(batch), *args], env)
    assert code == 2
    assert message in output


def test_file_payers_must_name_packs(isolated: Path, clean: Make) -> None:
    batch = write_batch(isolated, clean)
    (isolated / "b12lint.toml").write_text('[payers]\n"60054" = 7\n', encoding="utf-8")
    code, output = check_json([str(batch)])
    assert code == 2
    assert "payers.60054" in output


def test_rules_folder_named_in_payers_judges_only_its_payer(isolated: Path, clean: Make) -> None:
    """A pack given with rules= and mapped to a payer does not replace the default pack."""
    batch = write_batch(isolated, clean)
    pack = isolated / "acme"
    (pack / "data").mkdir(parents=True)
    (pack / "pack.yaml").write_text("name: acme\nextends: b12-core\n", encoding="utf-8")
    covered = Path(__file__).resolve().parents[2] / "rules/b12-commercial-example/data"
    (pack / "data" / "covered_icd10.yaml").write_text(
        (covered / "covered_icd10.yaml").read_text(encoding="utf-8"), encoding="utf-8"
    )
    (isolated / "b12lint.toml").write_text(
        'rules = ["acme"]\n[payers]\n"60054" = "acme"\n', encoding="utf-8"
    )
    code, report = check_json([str(batch)])
    assert code == 1
    assert ind002(report) == {"C-1"}
    assert [r["name"] for r in report["rulesets"]] == ["b12-core", "acme"]
    # without the mapping the extending pack is the default for everyone
    (isolated / "b12lint.toml").write_text('rules = ["acme"]\n', encoding="utf-8")
    assert ind002(check_json([str(batch)])[1]) == {"C-1", "M-1"}
