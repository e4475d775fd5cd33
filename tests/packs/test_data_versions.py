"""Dated policy data: table versions, the version a date of service reads, load-time errors."""

from __future__ import annotations

import datetime as dt
import textwrap
from pathlib import Path

import pytest

from b12lint.engine import PackError, combine, lint, load_pack
from b12lint.engine.datatable import DatedValue, Version, check_versions

RULE = """\
id: T-DATA-001
name: units-over-limit
severity: error
category: units
summary: units over the dated limit
message: "{line.code} billed {line.units} units, limit {limit}"
rationale: test
references: [{title: test}]
effective: {from: 2000-01-01}
for_each: {of: $lines, as: line}
let:
  limit: {lookup: [limits, $line.code]}
when: {gt: [$line.units, $limit]}
at: $line.units
examples:
  fail: [{lines: [{code: J3420, units: 9}]}]
  pass: [{lines: [{code: J3420, units: 1}]}]
"""

TABLE = """\
description: dated limits
source: test source
versions:
  - effective: {from: 2020-01-01, to: 2023-12-31}
    values: {J3420: 1}
  - effective: {from: 2024-01-01}
    source: the 2024 table
    values: {J3420: 2, J3425: 300}
"""


def write_pack(root: Path, rule: str = RULE, table: str = TABLE, name: str = "p") -> Path:
    pack = root / name
    (pack / "data").mkdir(parents=True)
    (pack / "T-DATA-001.yaml").write_text(rule, encoding="utf-8")
    (pack / "data" / "limits.yaml").write_text(table, encoding="utf-8")
    return pack


def record(date: str, units: float, code: str = "J3420") -> dict[str, object]:
    return {
        "encounter_id": f"E-{date}",
        "date_of_service": date,
        "lines": [{"code": code, "units": units}, {"code": "96372", "units": 1}],
    }


def fired(pack: Path, *records: dict[str, object]) -> list[str]:
    ruleset = combine([load_pack(pack)])
    return [f.encounter_id or "" for f in lint(list(records), ruleset)]


def test_a_rule_reads_the_version_of_the_date_of_service(tmp_path: Path) -> None:
    pack = write_pack(tmp_path)
    assert fired(pack, record("2023-12-31", 2)) == ["E-2023-12-31"]  # limit 1
    assert fired(pack, record("2024-01-01", 2)) == []  # limit 2
    assert fired(pack, record("2024-01-01", 3)) == ["E-2024-01-01"]


def test_outside_every_version_the_value_is_unknown(tmp_path: Path) -> None:
    pack = write_pack(tmp_path)
    # 2019: no version -> limit unknown -> no judgment, only a "not checked" info
    ruleset = combine([load_pack(pack)])
    found = list(lint([record("2019-12-31", 99)], ruleset))
    assert [(f.severity, f.location.pointer) for f in found] == [("info", "/date_of_service")]
    assert fired(pack, record("2020-01-01", 99)) == ["E-2020-01-01"]


def test_a_key_missing_from_one_version_is_unknown_there(tmp_path: Path) -> None:
    pack = write_pack(tmp_path)
    assert fired(pack, record("2023-06-01", 500, "J3425")) == []
    assert fired(pack, record("2024-06-01", 500, "J3425")) == ["E-2024-06-01"]


def test_versions_keep_their_own_source(tmp_path: Path) -> None:
    table = load_pack(write_pack(tmp_path)).data["limits"]
    assert [v.source for v in table.versions] == ["test source", "the 2024 table"]
    assert table.effective_from == dt.date(2020, 1, 1) and table.effective_to is None
    assert table.values == {"J3420": 2, "J3425": 300}


@pytest.mark.parametrize(
    ("table", "problem"),
    [
        (TABLE.replace("to: 2023-12-31", "to: 2024-01-01"), "overlap"),
        (TABLE.replace("from: 2024-01-01", "from: 2019-01-01"), "date order"),
        (TABLE.replace("to: 2023-12-31", "to: 2019-12-31"), "effective.to is before"),
        ("description: x\nsource: y\nvalues: [1]\n", "effective"),
        (
            "description: x\nsource: y\neffective: {from: 2020-01-01}\nvalues: 1\nversions: []\n",
            "not both",
        ),
        ("description: x\nsource: y\n", "values (or versions) is required"),
        ("description: x\nsource: y\nversions:\n  - values: {J3420: 1}\n", "effective"),
        (
            "description: x\nsource: y\neffective: {from: 2020-13-01}\nvalues: {}\n",
            "invalid YAML value",
        ),
    ],
)
def test_bad_tables_are_load_errors_naming_the_file(
    tmp_path: Path, table: str, problem: str
) -> None:
    with pytest.raises(PackError) as err:
        load_pack(write_pack(tmp_path, table=table))
    assert "limits.yaml" in str(err.value)
    assert problem in str(err.value)


@pytest.mark.parametrize(
    ("change", "problem"),
    [
        ("{lookup: [limits, $line.code]}", None),
        ("{lookup: [nosuch, $line.code]}", "unknown data table 'nosuch'"),
        ("{lookup: [limits.J3420, $line.code]}", "is not a mapping"),
        ("{data: limits.J9999}", "no key 'J9999' in any version of limits"),
        ("{lookup: [limits]}", "lookup takes"),
    ],
)
def test_data_references_are_checked_at_load(
    tmp_path: Path, change: str, problem: str | None
) -> None:
    rule = RULE.replace("{lookup: [limits, $line.code]}", change)
    pack = write_pack(tmp_path, rule=rule)
    if problem is None:
        load_pack(pack)
        return
    with pytest.raises(PackError) as err:
        load_pack(pack)
    assert "T-DATA-001" in str(err.value) and problem in str(err.value)


def test_row_fields_are_checked_against_the_table(tmp_path: Path) -> None:
    table = """\
description: rows
source: s
effective: {from: 2000-01-01}
values:
  J3420: {drug: cyanocobalamin, per: 1000}
"""
    good = RULE.replace("{lookup: [limits, $line.code]}", "{lookup: [limits, $line.code]}").replace(
        'message: "{line.code} billed {line.units} units, limit {limit}"',
        'message: "{line.code} is {limit.drug}"',
    )
    good = good.replace(
        "when: {gt: [$line.units, $limit]}", "when: {gt: [$line.units, $limit.per]}"
    )
    load_pack(write_pack(tmp_path / "a", rule=good, table=table))
    bad = good.replace("$limit.per", "$limit.strength")
    with pytest.raises(PackError) as err:
        load_pack(write_pack(tmp_path / "b", rule=bad, table=table))
    assert "unknown field 'strength' of limits rows (known: drug, per)" in str(err.value)


def test_constant_checks_cover_every_version(tmp_path: Path) -> None:
    """An invalid ICD-10 pattern in any version of a table is a load error."""
    table = textwrap.dedent(
        """\
        description: covered
        source: s
        versions:
          - effective: {from: 2015-10-01, to: 2019-12-31}
            values: [D51]
          - effective: {from: 2020-01-01}
            values: [D51, "not a code"]
        """
    )
    rule = (
        RULE.replace("let:\n  limit: {lookup: [limits, $line.code]}\n", "")
        .replace(
            "when: {gt: [$line.units, $limit]}",
            "when: {call: {fn: any_icd10_in, args: [$diagnosis_codes, {data: limits}]}}",
        )
        .replace(", limit {limit}", "")
    )
    with pytest.raises(PackError) as err:
        load_pack(write_pack(tmp_path, rule=rule, table=table))
    assert "invalid ICD-10-CM pattern list" in str(err.value)


def test_dated_value_boundaries() -> None:
    versions = [
        Version(dt.date(2020, 1, 1), dt.date(2020, 6, 30), {}, "a"),
        Version(dt.date(2021, 1, 1), None, {}, "b"),
    ]
    assert check_versions(versions) is None
    dated = DatedValue(versions, ["first", "second"])
    assert dated.at(dt.date(2019, 12, 31)) is None
    assert dated.at(dt.date(2020, 1, 1)) == "first"
    assert dated.at(dt.date(2020, 6, 30)) == "first"
    assert dated.at(dt.date(2020, 7, 1)) is None  # the gap between versions
    assert dated.at(dt.date(2021, 1, 1)) == "second"
    assert dated.at(dt.date(9999, 12, 31)) == "second"
    assert dated.at(None) is None
