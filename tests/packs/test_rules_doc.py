"""docs/rules.md stays generated from the YAML; b12lint rule explains one rule."""

from __future__ import annotations

from pathlib import Path

from click.testing import CliRunner

from b12lint.cli import cli
from b12lint.cli.rules_doc import other_builtin_packs, render_markdown
from b12lint.engine import Pack, Ruleset

ROOT = Path(__file__).resolve().parents[2]
DOC = ROOT / "docs" / "rules.md"


def test_docs_rules_md_is_up_to_date(core: Ruleset, packs: dict[str, Pack]) -> None:
    expected = render_markdown(core, other_builtin_packs(core, packs.values()))
    assert DOC.read_text(encoding="utf-8") == expected, (
        "docs/rules.md is out of date: run `b12lint rules --format markdown > docs/rules.md`"
    )


def test_docs_have_one_section_per_rule_and_table(core: Ruleset) -> None:
    text = DOC.read_text(encoding="utf-8")
    for rule in core.rules:
        assert text.count(f"\n## {rule.meta.id}\n") == 1, rule.meta.id
    for name in core.packs[0].data:
        assert f"### `{name}`" in text
    assert "### b12-commercial-example" in text
    assert "Severity overrides: B12-NDC-008 → error" in text


def test_cli_markdown_matches_the_renderer(
    isolated: Path, core: Ruleset, packs: dict[str, Pack]
) -> None:
    result = CliRunner().invoke(cli, ["rules", "--format", "markdown"])
    assert result.exit_code == 0
    assert result.output == render_markdown(core, other_builtin_packs(core, packs.values()))


def test_rule_command_shows_source_dates_data_fix_and_examples(isolated: Path) -> None:
    result = CliRunner().invoke(cli, ["rule", "B12-UNITS-004"])
    assert result.exit_code == 0
    text = result.output
    for part in (
        "B12-UNITS-004 (j3425-units-match-dose)",
        "Effective (date of service): from 2024-01-01",
        "## What it does",
        "## Why",
        "## Source",
        "CMS HCPCS Level II 2024 file",
        "## Policy data",
        "hcpcs_units (rules/b12-core/data/hcpcs_units.yaml)",
        "Version 2000-01-01 to 2023-12-31",
        "## Fix",
        "## Example that triggers it",
        "## Example that passes",
    ):
        assert part in text, part
    by_name = CliRunner().invoke(cli, ["rule", "j3425-units-match-dose"])
    assert by_name.output == text
    payer = CliRunner().invoke(cli, ["rule", "B12-NDC-008", "--rules", "b12-commercial-example"])
    assert "Severity: error" in payer.output
    assert CliRunner().invoke(cli, ["rule", "B12-NOPE-001"]).exit_code == 2
