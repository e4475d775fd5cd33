"""Lab readings and the deficiency reference: units matter, unreadable labs are no evidence."""

import datetime as dt
import math

import pytest
from hypothesis import given
from hypothesis import strategies as st

from b12lint.domain import deficient_tests, lab_reading
from b12lint.domain.labs import normalize_lab_test, normalize_lab_unit

REFERENCE = {
    "B12": {"direction": "below", "limits": {"pg/mL": 200, "ng/L": 200, "pmol/L": 148}},
    "MMA": {"direction": "above", "limits": {"umol/L": 0.4, "nmol/L": 400}},
    "homocysteine": {"direction": "above", "limits": {"umol/L": 15}},
    "MCV": {"direction": "above", "limits": {"fL": 100}},
}
DOS = dt.date(2026, 3, 2)


def lab(test: object, value: object, unit: object, date: object = None) -> dict[str, object]:
    return {"test": test, "value": value, "unit": unit, "date": date}


def low(*labs: dict[str, object], on: dt.date = DOS) -> list[str]:
    readings = [r for r in map(lab_reading, labs) if r is not None]
    return deficient_tests(readings, REFERENCE, on)


@pytest.mark.parametrize(
    ("text", "test"),
    [
        ("B12", "B12"),
        ("Vitamin B-12", "B12"),
        ("serum B12", "B12"),
        ("vit. B12", "B12"),
        ("MMA", "MMA"),
        ("Methylmalonic acid", "MMA"),
        ("Hcy", "homocysteine"),
        ("Homocysteine", "homocysteine"),
        ("Hgb", "hemoglobin"),
        ("MCV", "MCV"),
        # a report's words around the name
        ("Vit B12 level", "B12"),
        ("B12, serum", "B12"),
        ("Vitamin B12 (serum)", "B12"),
        ("MMA, plasma", "MMA"),
        ("homocysteine level", "homocysteine"),
        ("level", None),
        ("serum", None),
        ("B12/folate", None),
        ("ferritin", None),
        ("", None),
        (None, None),
        (12, None),
    ],
)
def test_test_names(text: object, test: str | None) -> None:
    assert normalize_lab_test(text) == test


@pytest.mark.parametrize(
    ("text", "unit"),
    [
        ("pg/mL", "pg/mL"),
        ("PG/ML", "pg/mL"),
        ("pmol/L", "pmol/L"),
        ("µmol/L", "umol/L"),
        ("μmol/L", "umol/L"),
        ("umol/L", "umol/L"),
        ("micromol/L", "umol/L"),
        ("nmol/L", "nmol/L"),
        ("fL", "fL"),
        ("mg/dL", None),
        ("", None),
        (None, None),
    ],
)
def test_units(text: object, unit: str | None) -> None:
    assert normalize_lab_unit(text) == unit


def test_low_b12_in_either_unit() -> None:
    assert low(lab("B12", 150, "pg/mL")) == ["B12"]
    assert low(lab("B12", 120, "pmol/L")) == ["B12"]
    # 180 pmol/L is about 244 pg/mL: not deficient (read in its own unit, not as pg/mL)
    assert low(lab("B12", 180, "pmol/L")) == []
    assert low(lab("B12", 250, "pg/mL")) == []  # borderline alone is not deficiency
    assert low(lab("B12", 200, "pg/mL")) == []  # the limit itself is not below it


def test_elevated_metabolites_and_macrocytosis() -> None:
    assert low(lab("MMA", 0.6, "umol/L")) == ["MMA"]
    assert low(lab("MMA", 600, "nmol/L")) == ["MMA"]
    assert low(lab("MMA", 0.3, "umol/L")) == []
    assert low(lab("homocysteine", 22, "µmol/L")) == ["homocysteine"]
    assert low(lab("MCV", 108, "fL")) == ["MCV"]
    assert low(lab("B12", 150, "pg/mL"), lab("MMA", 0.9, "umol/L")) == ["B12", "MMA"]


@pytest.mark.parametrize(
    "entry",
    [
        lab("B12", 150, None),
        lab("B12", 150, ""),
        lab("B12", 150, "mg/dL"),  # a unit the table has no limit for: no conversion guessed
        lab("B12", None, "pg/mL"),
        lab("B12", "150", "pg/mL"),
        lab("B12", True, "pg/mL"),
        lab("B12", math.nan, "pg/mL"),
        lab("ferritin", 5, "ng/mL"),
        lab("hemoglobin", 9, "g/dL"),  # no sex in the record: no limit in the table
        lab(None, 150, "pg/mL"),
        "B12 150",
        None,
    ],
)
def test_unreadable_or_unlisted_labs_are_not_evidence(entry: object) -> None:
    readings = [r for r in [lab_reading(entry)] if r is not None]
    assert deficient_tests(readings, REFERENCE, DOS) == []


def test_latest_result_per_test_counts() -> None:
    early = lab("B12", 120, "pg/mL", dt.date(2026, 1, 5))
    recheck = lab("B12", 450, "pg/mL", dt.date(2026, 2, 20))
    assert low(early, recheck) == []
    assert low(recheck, early) == []  # order in the chart does not matter
    still_low = lab("B12", 180, "pg/mL", dt.date(2026, 2, 20))
    assert low(early, still_low) == ["B12"]


def test_results_after_the_date_of_service_are_ignored_undated_count_as_charted() -> None:
    future = lab("B12", 120, "pg/mL", dt.date(2026, 4, 1))
    assert low(future) == []
    assert low(lab("B12", 120, "pg/mL")) == ["B12"]
    # an undated result is as of the visit: it is the latest
    assert low(lab("B12", 120, "pg/mL", dt.date(2026, 2, 1)), lab("B12", 400, "pg/mL")) == []


def test_latest_readable_result_wins_over_a_later_unit_less_one() -> None:
    assert low(lab("B12", 120, "pg/mL", dt.date(2026, 2, 1)), lab("B12", 400, None)) == ["B12"]


def test_bad_reference_entries_are_not_evidence() -> None:
    reading = lab_reading(lab("B12", 100, "pg/mL"))
    assert reading is not None
    for reference in (
        {},
        {"B12": "low"},
        {"B12": {"direction": "below"}},
        {"B12": {"direction": "sideways", "limits": {"pg/mL": 200}}},
        {"B12": {"direction": "below", "limits": {"pg/mL": "200"}}},
    ):
        assert deficient_tests([reading], reference, DOS) == []


_PART = st.one_of(
    st.none(),
    st.sampled_from(["B12", "MMA", "pg/mL", "umol/L", "µmol/L", ""]),
    st.text(max_size=20),
    st.floats(),
    st.integers(),
    st.booleans(),
)


@given(st.fixed_dictionaries({"test": _PART, "value": _PART, "unit": _PART}))
def test_lab_reading_never_raises(entry: dict[str, object]) -> None:
    reading = lab_reading(entry)
    if reading is not None:
        assert deficient_tests([reading], REFERENCE, DOS) in ([], [reading[0]])
