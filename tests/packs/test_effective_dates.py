"""Findings change at each policy date: one test on each side of every date the pack encodes.

Dates of service: JZ/JW from 2023-07-01; J3425 from 2024-01-01; NCCI MUE/PTP tables from
2024-07-01 (before it the rules say they could not check); ICD-10-CM from 2015-10-01, each code
judged by its release (an April 1 addition, a deletion, a code that became a category);
telehealth POS 10 from 2022-01-01.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import Any

import pytest

from b12lint.engine import Ruleset, lint

Make = Callable[..., dict[str, Any]]


def rule_ids(core: Ruleset, record: dict[str, Any]) -> set[str]:
    """The rules that judged the record (every finding but "not checked" ones)."""
    return {f.rule_id for f in lint([record], core) if not f.message.startswith("Not checked")}


def not_checked(core: Ruleset, record: dict[str, Any]) -> set[str]:
    """The rules that said they could not check the record."""
    return {f.rule_id for f in lint([record], core) if f.message.startswith("Not checked")}


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


def april_2022_code(rec: dict[str, Any]) -> None:
    rec["diagnoses"] = ["D51.0", "Z28.310"]  # unvaccinated for COVID-19: April 1, 2022


def april_2023_code(rec: dict[str, Any]) -> None:
    rec["diagnoses"] = ["D51.0", "T74.A1XA"]  # April 1, 2023 addition


def deleted_2018_code(rec: dict[str, Any]) -> None:
    rec["diagnoses"] = ["D51.0", "T81.4XXA"]  # deleted on 2018-10-01 (expanded to T81.40-49)


def expanded_2016_code(rec: dict[str, Any]) -> None:
    rec["diagnoses"] = ["D51.0", "D49.5"]  # a category from 2016-10-01 (D49.511 ... D49.59)


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
    ("2022-04-01", "B12-DX-001", april_2022_code, False),
    ("2023-04-01", "B12-DX-001", april_2023_code, False),
    ("2018-10-01", "B12-DX-001", deleted_2018_code, True),
    ("2016-10-01", "B12-DX-002", expanded_2016_code, True),
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


#: (date, change, the rules that cannot check it): dates before the sourced NCCI tables
#: (2024-07-01) and outside the shipped ICD-10-CM releases (2015-10-01 to 2027-03-31).
NOT_CHECKED: list[tuple[str, Callable[[dict[str, Any]], None], set[str]]] = [
    ("2024-06-30", lambda r: None, {"B12-UNITS-003", "B12-UNITS-005", "B12-MOD-007"}),
    ("2024-06-30", nurse_visit, {"B12-UNITS-003", "B12-UNITS-005", "B12-ADMIN-004"}),
    ("2024-06-30", dose_2000, {"B12-UNITS-003", "B12-UNITS-005", "B12-DOSE-004"}),
    ("2015-09-30", lambda r: None, {"B12-UNITS-003", "B12-UNITS-005", "B12-DX-001"}),
    ("2027-04-01", lambda r: None, {"B12-DX-001", "B12-DX-002"}),
]


@pytest.mark.parametrize(("date", "change", "rules"), NOT_CHECKED)
def test_dates_no_data_covers_are_not_checked_infos(
    core: Ruleset,
    clean: Make,
    date: str,
    change: Callable[[dict[str, Any]], None],
    rules: set[str],
) -> None:
    record = clean(date_of_service=date)
    record["documentation"]["monitoring"]["last_b12_lab_date"] = day_before(date)
    change(record)
    assert rules <= not_checked(core, record)
    assert rule_ids(core, record) & rules == set()
