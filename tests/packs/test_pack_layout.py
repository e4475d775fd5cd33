"""Pack folders: manifests, built-in names, example sets for inherited rules, load errors."""

from __future__ import annotations

from pathlib import Path

import pytest
from click.testing import CliRunner

from b12lint.cli import cli
from b12lint.engine import PackError, load_pack, load_ruleset
from b12lint.engine.pack import locate_pack

ROOT = Path(__file__).resolve().parents[2]
PROV_003 = (ROOT / "rules/b12-core/provider/B12-PROV-003.yaml").read_text(encoding="utf-8")


def child_pack(root: Path, name: str = "child") -> Path:
    pack = root / name
    (pack / "examples").mkdir(parents=True)
    (pack / "pack.yaml").write_text(f"name: {name}\nextends: b12-core\n", encoding="utf-8")
    return pack


def test_folder_without_manifest_is_a_pack_named_after_it(tmp_path: Path) -> None:
    pack = tmp_path / "house-rules"
    pack.mkdir()
    (pack / "B12-PROV-003.yaml").write_text(PROV_003, encoding="utf-8")
    loaded = load_pack(pack)
    assert loaded.name == "house-rules" and [r.meta.id for r in loaded.rules] == ["B12-PROV-003"]


def test_builtin_packs_by_name(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    assert locate_pack("b12-commercial-example").name == "b12-commercial-example"
    ruleset = load_ruleset(["b12-commercial-example"])
    assert [p.name for p in ruleset.packs] == ["b12-commercial-example"]  # replaces b12-core
    with pytest.raises(PackError, match="no such rule pack folder or built-in pack"):
        locate_pack("no-such-pack")
    result = CliRunner().invoke(cli, ["rules", "--rules", "no-such-pack"])
    assert result.exit_code == 2 and "no-such-pack" in result.output


def test_examples_replace_those_of_an_inherited_rule(tmp_path: Path) -> None:
    pack = child_pack(tmp_path)
    (pack / "examples" / "B12-PROV-003.yaml").write_text(
        "fail:\n  - {place_of_service: '1', lines: [{code: J3420, units: 1}]}\n"
        "pass:\n  - {place_of_service: '12', lines: [{code: J3420, units: 1}]}\n",
        encoding="utf-8",
    )
    loaded = load_pack(pack)
    rule = next(r for r in loaded.rules if r.meta.id == "B12-PROV-003")
    assert rule.meta.examples["fail"][0]["place_of_service"] == "1"
    assert rule.meta.examples_file.endswith("B12-PROV-003.yaml")
    result = CliRunner().invoke(cli, ["test", str(pack)])
    assert result.exit_code == 0, result.output


@pytest.mark.parametrize(
    ("name", "text", "problem"),
    [
        ("B12-NOPE-001.yaml", "fail: [{}]\npass: [{}]\n", "no rule 'B12-NOPE-001' in this pack"),
        ("B12-PROV-003.yaml", "fail: []\npass: [{}]\n", "fail"),
        ("B12-PROV-003.yaml", "fail: [{}]\npass: [{}]\nextra: 1\n", "extra"),
    ],
)
def test_bad_example_files_are_load_errors(
    tmp_path: Path, name: str, text: str, problem: str
) -> None:
    pack = child_pack(tmp_path)
    (pack / "examples" / name).write_text(text, encoding="utf-8")
    with pytest.raises(PackError) as err:
        load_pack(pack)
    assert name in str(err.value) and problem in str(err.value)


def test_redefined_rule_keeps_its_own_examples(tmp_path: Path) -> None:
    """A child that redefines a rule drops example sets inherited for it."""
    base = child_pack(tmp_path, "base")
    (base / "examples" / "B12-PROV-003.yaml").write_text(
        "fail: [{place_of_service: '1'}]\npass: [{place_of_service: '11'}]\n", encoding="utf-8"
    )
    top = tmp_path / "top"
    top.mkdir()
    (top / "pack.yaml").write_text("name: top\nextends: base\n", encoding="utf-8")
    (top / "B12-PROV-003.yaml").write_text(PROV_003, encoding="utf-8")
    rule = next(r for r in load_pack(top).rules if r.meta.id == "B12-PROV-003")
    assert rule.meta.examples_file == ""
    assert rule.meta.examples["fail"][0]["place_of_service"] == "office"


def test_severity_override_for_an_unknown_rule_is_an_error(tmp_path: Path) -> None:
    pack = child_pack(tmp_path)
    (pack / "pack.yaml").write_text(
        "name: child\nextends: b12-core\nseverity: {B12-NOPE-001: error}\n", encoding="utf-8"
    )
    with pytest.raises(PackError, match="no rule 'B12-NOPE-001'"):
        load_pack(pack)


def test_builtin_pack_named_in_the_environment(isolated: Path) -> None:
    env = {"B12LINT_RULES": "b12-commercial-example"}
    result = CliRunner().invoke(cli, ["rule", "B12-NDC-008"], env=env)
    assert result.exit_code == 0, result.output
    assert "Severity: error" in result.output and "Pack: b12-commercial-example" in result.output
