""" "Not checked" findings: dated data no version covers, and unreadable chart values."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from b12lint.engine import Ruleset, combine, lint, load_pack, load_ruleset
from b12lint.engine.datatable import OUTSIDE, DatedValue, Version
from b12lint.model import Finding

RULE = """\
id: T-GAP-001
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
when:
  all:
    - eq: [$line.code, J3420]
    - gt: [$line.units, $limit]
at: $line.units
examples:
  fail: [{lines: [{code: J3420, units: 9}]}]
  pass: [{lines: [{code: J3420, units: 1}]}]
"""

MESSAGE_ONLY = """\
id: T-GAP-002
name: limit-in-message-only
severity: warning
category: units
summary: two J3420 lines
message: "two J3420 lines (limit {limit})"
rationale: test
references: [{title: test}]
effective: {from: 2000-01-01}
let:
  limit: {data: limits.J3420}
when: {gt: [{count: {of: $lines, as: l, where: {eq: [$l.code, J3420]}}}, 1]}
examples:
  fail: [{lines: [{code: J3420, units: 1}, {code: J3420, units: 1}]}]
  pass: [{lines: [{code: J3420, units: 1}]}]
"""

TABLE = """\
description: dated limits
source: test source
versions:
  - effective: {from: 2020-01-01, to: 2023-12-31}
    values: {J3420: 1}
  - effective: {from: 2024-07-01}
    values: {J3420: 2}
"""


def pack_with(root: Path, *rules: str) -> Path:
    pack = root / "p"
    (pack / "data").mkdir(parents=True)
    for rule in rules:
        rule_id = rule.split("\n", 1)[0].removeprefix("id: ")
        (pack / f"{rule_id}.yaml").write_text(rule, encoding="utf-8")
    (pack / "data" / "limits.yaml").write_text(TABLE, encoding="utf-8")
    return pack


def record(date: str, *lines: tuple[str, int]) -> dict[str, object]:
    return {
        "encounter_id": f"E-{date}",
        "date_of_service": date,
        "lines": [{"code": code, "units": units} for code, units in lines],
    }


def run(pack: Path, rec: dict[str, object], severity: str | None = None) -> list[Finding]:
    ruleset = combine([load_pack(pack)])
    if severity is not None:
        ruleset = ruleset.select(severity={"T-GAP-001": severity})
    return list(lint([rec], ruleset))


@pytest.mark.parametrize("date", ["2019-12-31", "2024-01-01", "2024-06-30"])
def test_a_date_no_version_covers_is_one_info_in_the_rules_category(
    tmp_path: Path, date: str
) -> None:
    found = run(pack_with(tmp_path, RULE), record(date, ("J3420", 9), ("J3420", 9)))
    assert [(f.rule_id, f.severity, f.category) for f in found] == [("T-GAP-001", "info", "units")]
    info = found[0]
    assert info.location.pointer == "/date_of_service"
    assert info.fix is None
    assert "Not checked (units over the dated limit)" in info.message
    assert f"the data table 'limits' has no version for the date of service {date}" in info.message
    assert "2020-01-01 to 2023-12-31, from 2024-07-01" in info.message


def test_inside_a_version_the_rule_judges_by_that_version(tmp_path: Path) -> None:
    pack = pack_with(tmp_path, RULE)
    assert [f.severity for f in run(pack, record("2023-12-31", ("J3420", 2)))] == ["error"]
    assert run(pack, record("2024-07-01", ("J3420", 2))) == []
    assert [f.message for f in run(pack, record("2024-07-01", ("J3420", 3)))] == [
        "J3420 billed 3 units, limit 2"
    ]


def test_no_info_when_the_rule_did_not_need_the_table(tmp_path: Path) -> None:
    # the condition stops at the code: the limit is never read for a 96372 line
    assert run(pack_with(tmp_path, RULE), record("2019-06-01", ("96372", 1))) == []


def test_data_read_only_for_a_message_is_not_a_check(tmp_path: Path) -> None:
    found = run(pack_with(tmp_path, MESSAGE_ONLY), record("2019-06-01", ("J3420", 1), ("J3420", 1)))
    assert [(f.rule_id, f.severity, f.message) for f in found] == [
        ("T-GAP-002", "warning", "two J3420 lines (limit none)")
    ]


BOTH = """\
id: T-GAP-003
name: judged-and-not-checked
severity: error
category: units
summary: units over 5 or over the dated limit
message: "{line.units} units (other limit {other})"
rationale: test
references: [{title: test}]
effective: {from: 2000-01-01}
for_each: {of: $lines, as: line}
let:
  other: {data: others.J3420}
when:
  any:
    - gt: [$line.units, {data: limits.J3420}]
    - gt: [$line.units, 5]
at: $line.units
examples:
  fail: [{lines: [{code: J3420, units: 9}]}]
  pass: [{lines: [{code: J3420, units: 1}]}]
"""


def test_a_judged_finding_and_the_info_of_what_was_not_checked(tmp_path: Path) -> None:
    pack = pack_with(tmp_path, BOTH)
    (pack / "data" / "others.yaml").write_text(TABLE.replace("limits", "others"), "utf-8")
    found = run(pack, record("2019-06-01", ("J3420", 9)))
    assert [(f.severity, f.location.pointer) for f in found] == [
        ("error", "/lines/0/units"),
        ("info", "/date_of_service"),
    ]
    # the table read for the message ('others') is not named: only the one the check needed
    assert "'limits'" in found[1].message and "'others'" not in found[1].message


def test_a_severity_override_does_not_change_the_info(tmp_path: Path) -> None:
    found = run(pack_with(tmp_path, RULE), record("2019-06-01", ("J3420", 9)), "warning")
    assert [f.severity for f in found] == ["info"]


def test_the_dated_lookup_says_outside() -> None:
    versions = [Version(dt.date(2020, 1, 1), dt.date(2020, 12, 31), {"a": 1}, "s")]
    dated = DatedValue(versions, [1])
    assert dated.lookup(dt.date(2019, 12, 31)) is OUTSIDE
    assert dated.lookup(dt.date(2021, 1, 1)) is OUTSIDE
    assert dated.lookup(None) is OUTSIDE
    assert dated.lookup(dt.date(2020, 6, 1)) == 1
    assert dated.at(dt.date(2019, 12, 31)) is None


# ---------------------------------------------------------------- the built-in pack


@pytest.fixture(scope="module")
def core() -> Ruleset:
    return load_ruleset()


def b12_record(date: str, dose: object, **line: object) -> dict[str, object]:
    return {
        "encounter_id": "E-1",
        "patient_id": "P-1",
        "date_of_service": date,
        "diagnoses": ["D51.0"],
        "documentation": {
            "indication": "pernicious anemia",
            "phase": "maintenance",
            "administrations": [{"drug": "cyanocobalamin", "dose": dose, "route": "IM"}],
            "monitoring": {"plan": "B12 level yearly", "last_b12_lab_date": "2025-06-01"},
        },
        "lines": [
            {"code": "J3420", "units": 2, "dx_pointers": [1], **line},
            {"code": "96372", "units": 1, "dx_pointers": [1]},
        ],
    }


def infos(findings: list[Finding]) -> list[tuple[str, str, str]]:
    return [(f.rule_id, f.category, f.location.pointer) for f in findings if f.severity == "info"]


def test_an_unreadable_dose_says_which_checks_did_not_run(core: Ruleset) -> None:
    rec = b12_record("2026-03-02", "one vial", ndc="00517003101", ndc_quantity=2, ndc_unit="ML")
    found = list(lint([rec], core))
    dose = "/documentation/administrations/0/dose"
    # the dose error itself, once; then one info per other category that needed the dose
    assert [(f.rule_id, f.severity) for f in found if f.category == "dose"] == [
        ("B12-DOSE-002", "error")
    ]
    assert infos(found) == [("B12-NDC-004", "ndc", dose), ("B12-UNITS-001", "units", dose)]
    units = next(f for f in found if f.rule_id == "B12-UNITS-001")
    assert "Not checked (J3420 units must equal" in units.message
    assert "the charted B12 dose cannot be read" in units.message


def test_a_readable_dose_is_checked_without_infos(core: Ruleset) -> None:
    rec = b12_record("2026-03-02", "1000 mcg", ndc="00517003101", ndc_quantity=2, ndc_unit="ML")
    found = list(lint([rec], core))
    assert infos(found) == []
    assert {"B12-UNITS-001", "B12-NDC-004"} <= {f.rule_id for f in found}


def test_a_dose_info_is_kept_when_the_dose_error_is_switched_off(core: Ruleset) -> None:
    rec = b12_record("2026-03-02", "one vial")
    rec["documentation"]["administrations"][0]["dose"] = "1 vial"  # type: ignore[index]
    found = list(lint([rec], core.select(ignore=["B12-DOSE-002"])))
    # nothing else reports the dose in its category, so the dose checks say they did not run
    assert ("B12-UNITS-001", "units", "/documentation/administrations/0/dose") in infos(found)
