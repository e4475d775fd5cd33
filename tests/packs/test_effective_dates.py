"""Findings change at each policy date: one test on each side of every date the pack encodes.

Dates of service: JZ/JW from 2023-07-01; J3425 from 2024-01-01; NCCI MUE/PTP tables from
2024-07-01; ICD-10-CM from 2015-10-01 (the FY2026 code set from 2025-10-01); telehealth POS 10
from 2022-01-01.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import Any

import pytest

from b12lint.engine import Ruleset, lint

Make = Callable[..., dict[str, Any]]


def rule_ids(core: Ruleset, record: dict[str, Any]) -> set[str]:
    return {f.rule_id for f in lint([record], core)}


def day_before(date: str) -> str:
    return (dt.date.fromisoformat(date) - dt.timedelta(days=1)).isoformat()


def hydroxo_j3425(rec: dict[str, Any], units: int = 100) -> None:
    adm = rec["documentation"]["administrations"][0]
    adm.update(drug="hydroxocobalamin", ndc="0591-2888-30")
    rec["lines"][0].update(code="J3425", units=units, ndc="00591288830")


def hydroxo_j3490(rec: dict[str, Any]) -> None:
    hydroxo_j3425(rec)
    rec["lines"][0].update(code="J3490", units=1, description="hydroxocobalamin 1000 mcg/mL 1 mL")


def jw_and_jz(rec: dict[str, Any]) -> None:
    rec["lines"][0].update(modifiers=["JW", "JZ"])


def jz_multi_dose(rec: dict[str, Any]) -> None:
    rec["lines"][0].update(modifiers=["JZ"])


def unknown_container(rec: dict[str, Any]) -> None:
    rec["lines"][0].update(ndc="70756063510")


def two_units(rec: dict[str, Any]) -> None:
    rec["lines"][0].update(units=2)


def five_injections(rec: dict[str, Any]) -> None:
    rec["lines"][1].update(units=5)
    rec["documentation"]["administrations"] += [
        {"drug": "other injectable", "dose": "1 mg", "route": "IM"} for _ in range(4)
    ]


def dose_2000(rec: dict[str, Any]) -> None:
    rec["documentation"]["phase"] = "repletion"
    rec["documentation"]["administrations"][0]["dose"] = "2000 mcg"
    rec["lines"][0].update(ndc_quantity=2)


def nurse_visit(rec: dict[str, Any]) -> None:
    rec["lines"].append({"code": "99211", "units": 1, "dx_pointers": [1]})


def iv_push_and_injection(rec: dict[str, Any]) -> None:
    rec["documentation"]["administrations"].append(
        {"drug": "ondansetron", "dose": "4 mg", "route": "IV"}
    )
    rec["lines"].append({"code": "96374", "units": 1, "dx_pointers": [1]})


def fatigue_only(rec: dict[str, Any]) -> None:
    rec["diagnoses"] = ["R53.83"]
    rec["documentation"]["indication_codes"] = ["R53.83"]


def neuropathy_only(rec: dict[str, Any]) -> None:
    rec["diagnoses"] = ["R53.83", "G63"]
    rec["documentation"]["indication_codes"] = ["R53.83"]


def not_a_code(rec: dict[str, Any]) -> None:
    rec["diagnoses"] = ["D51.0", "K90.Z9"]


def telehealth_home(rec: dict[str, Any]) -> None:
    rec["place_of_service"] = "10"


CASES: list[tuple[str, str, Callable[[dict[str, Any]], None], bool]] = [
    # (date, rule, change, fires from the date on (True) or before it (False))
    ("2024-01-01", "B12-DRUG-003", hydroxo_j3425, False),
    ("2024-01-01", "B12-UNITS-004", lambda r: hydroxo_j3425(r, units=1), True),
    ("2024-01-01", "B12-DRUG-004", hydroxo_j3490, True),
    ("2023-07-01", "B12-MOD-003", jw_and_jz, True),
    ("2023-07-01", "B12-MOD-005", jz_multi_dose, True),
    ("2023-07-01", "B12-MOD-006", unknown_container, True),
    ("2024-07-01", "B12-UNITS-003", two_units, True),
    ("2024-07-01", "B12-UNITS-005", five_injections, True),
    ("2024-07-01", "B12-DOSE-004", dose_2000, True),
    ("2024-07-01", "B12-ADMIN-004", nurse_visit, True),
    ("2024-07-01", "B12-MOD-007", iv_push_and_injection, True),
    ("2015-10-01", "B12-IND-002", fatigue_only, True),
    ("2015-10-01", "B12-IND-008", neuropathy_only, True),
    ("2025-10-01", "B12-DX-001", not_a_code, True),
    ("2022-01-01", "B12-PROV-004", telehealth_home, True),
]


@pytest.mark.parametrize(("date", "rule_id", "change", "from_date"), CASES)
def test_both_sides_of_each_policy_date(
    core: Ruleset,
    clean: Make,
    date: str,
    rule_id: str,
    change: Callable[[dict[str, Any]], None],
    from_date: bool,
) -> None:
    found = {}
    for when in (day_before(date), date):
        record = clean(date_of_service=when, encounter_id=f"{rule_id}-{when}")
        record["documentation"]["monitoring"]["last_b12_lab_date"] = day_before(when)
        change(record)
        found[when] = rule_id in rule_ids(core, record)
    assert found == {day_before(date): not from_date, date: from_date}


def test_clean_encounter_is_clean_on_every_date(core: Ruleset, clean: Make) -> None:
    for date in ("2016-03-01", "2023-06-30", "2023-12-31", "2024-06-30", "2026-06-01"):
        record = clean(date_of_service=date)
        record["documentation"]["monitoring"]["last_b12_lab_date"] = day_before(date)
        assert rule_ids(core, record) == set(), date
