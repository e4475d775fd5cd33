"""sample_claims/README.md agrees with the output: every row's expected findings are exactly
what ``b12lint check sample_claims/`` reports for that encounter, and every finding of the
run is in a row. (Findings that need an option, "with the chart …" or "with `--payer` …",
are the part of a cell after a ``;``.)"""

from __future__ import annotations

import json
import os
import re
from collections import Counter
from pathlib import Path

import pytest
from click.testing import CliRunner

from b12lint.cli import cli

ROOT = Path(__file__).resolve().parents[1]
README = ROOT / "sample_claims" / "README.md"
RULE = re.compile(r"(B12-[A-Z]+-\d{3})(?:\s*\((?:[^)]*?)?\u00d7\s*(\d+))?")  # "(\u00d7 2)"
ON = re.compile(r"\(on ([A-Z]-\d+)\)")
RANGE = re.compile(r"^([A-Z])-(\d+) … \1-(\d+)$")

Key = str


def table_rows(text: str) -> list[tuple[str, str]]:
    """(encounter cell, expected-finding cell) of the Encounters table."""
    section = text.split("## Encounters", 1)[1]
    rows = []
    for line in section.splitlines():
        cells = [c.strip() for c in line.strip().strip("|").split("|")]
        if len(cells) == 4 and cells[0] not in ("encounter", "---"):
            rows.append((cells[0], cells[3]))
    return rows


def keys(cell: str) -> list[Key]:
    """The encounters a row is about (``A-100 … A-103`` is four)."""
    match = RANGE.match(cell)
    if match:
        letter, first, last = match.group(1), int(match.group(2)), int(match.group(3))
        return [f"{letter}-{n}" for n in range(first, last + 1)]
    if cell.endswith("(again)"):
        return [cell.split()[0] + " (again)"]
    if cell.startswith("line "):
        return [cell]
    return [cell]


def expected(chart: bool = False) -> dict[Key, Counter[str]]:
    """What the README says each encounter gets, without options (or with the chart of the
    837P batch: the cell's "with the chart also …" added)."""
    out: dict[Key, Counter[str]] = {}
    for enc_cell, finding_cell in table_rows(README.read_text(encoding="utf-8")):
        if enc_cell.startswith("("):
            continue  # a chart-only record: shows only with --documentation
        plain, _, extra = finding_cell.partition(";")
        if plain.startswith("with "):
            plain = ""
        if chart and extra.strip().startswith("with the chart also"):
            plain += ", " + extra
        rules: Counter[str] = Counter()
        for rule, times in RULE.findall(plain):
            rules[rule] += int(times or 1)
        encounters = keys(enc_cell)
        on = ON.search(plain)
        for key in encounters:
            assert key not in out, f"sample_claims/README.md lists {key} twice"
            out[key] = rules if on is None or on.group(1) == key else Counter()
        if on is not None:
            assert on.group(1) in encounters, f"{enc_cell}: (on {on.group(1)}) is not in the row"
    return out


def findings_by_encounter(*args: str) -> dict[Key, Counter[str]]:
    """``b12lint check ARGS -f json`` from the repository root, rules by encounter."""
    old = Path.cwd()
    os.chdir(ROOT)
    try:
        env = {"B12LINT_CONFIG": None, "B12LINT_SELECT": None, "B12LINT_IGNORE": None}
        result = CliRunner().invoke(cli, ["check", *args, "-f", "json"], env=env)
    finally:
        os.chdir(old)
    assert result.exit_code == 1, result.output
    out: dict[Key, Counter[str]] = {}
    for f in json.loads(result.stdout)["findings"]:
        if f["rule_id"] == "B12-INPUT-003":
            key = f"{f['encounter_id']} (again)"
        elif f["encounter_id"] is None:
            key = f"line {f['location']['line']}"
        else:
            key = f["encounter_id"]
        out.setdefault(key, Counter())[f["rule_id"]] += 1
    return out


@pytest.fixture(scope="module")
def actual() -> dict[Key, Counter[str]]:
    return findings_by_encounter("sample_claims")


def test_the_readme_table_parses() -> None:
    rows = expected()
    assert len(rows) > 80
    assert rows["A-131"] == Counter({"B12-UNITS-001": 1, "B12-UNITS-003": 1})
    assert rows["D-519"] == Counter({"B12-DX-004": 2})
    assert rows["A-102"] == Counter()


def test_every_row_matches_the_output(actual: dict[Key, Counter[str]]) -> None:
    documented = expected()
    wrong = {
        key: (dict(rules), dict(actual.get(key, Counter())))
        for key, rules in documented.items()
        if rules != actual.get(key, Counter())
    }
    assert wrong == {}, "sample_claims/README.md row: (README, output)"


def test_every_finding_is_documented(actual: dict[Key, Counter[str]]) -> None:
    missing = sorted(set(actual) - set(expected()))
    assert missing == [], "findings for encounters sample_claims/README.md does not list"


def test_the_837p_rows_with_their_chart() -> None:
    chart = "sample_claims/charts/clinic-e-2026-06.chart.jsonl"
    found = findings_by_encounter("sample_claims/clinic-e-2026-06.837", "--documentation", chart)
    documented = {k: v for k, v in expected(chart=True).items() if k.startswith("E-")}
    assert documented["E-501"]["B12-UNITS-001"] == 1  # the chart's part of the cell counts
    assert {k: v for k, v in documented.items() if v} == found
