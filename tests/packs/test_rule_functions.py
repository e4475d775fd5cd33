"""The domain functions the new rules call from YAML."""

from __future__ import annotations

import datetime as dt

import pytest

from b12lint.engine.functions import (
    FUNCTIONS,
    add_months,
    at_positions,
    find_key,
    get,
    ndc_expected_quantity,
    noc_narrative_gaps,
    one_of,
    remove,
    upper,
)


@pytest.mark.parametrize(
    ("date", "months", "expected"),
    [
        (dt.date(2026, 3, 2), -12, dt.date(2025, 3, 2)),
        (dt.date(2024, 2, 29), -12, dt.date(2023, 2, 28)),
        (dt.date(2026, 3, 31), -1, dt.date(2026, 2, 28)),
        (dt.date(2026, 1, 15), 13, dt.date(2027, 2, 15)),
        (dt.date(1, 1, 1), -1, None),
        ("2026-03-02", -12, None),
        (dt.date(2026, 3, 2), True, None),
    ],
)
def test_add_months(date: object, months: object, expected: object) -> None:
    assert add_months(date, months) == expected


@pytest.mark.parametrize(
    ("description", "ndc", "gaps"),
    [
        ("Hydroxocobalamin 1000mcg/mL 1 mL IM NDC 00591-2888-30", None, []),
        ("hydroxocobalamin 1 mg", "00591288830", []),
        ("hydroxocobalamin 1 mg", "garbage", ["NDC"]),
        ("vitamin B12 injection", None, ["dose", "NDC"]),
        ("1000 mcg N400591288830", None, ["drug name"]),
        ("methylcobalamin 1000 mcg 12345678901", None, ["drug name"]),
        (None, None, ["drug name", "dose", "NDC"]),
        ("", "0591-2888-30", ["drug name", "dose"]),
    ],
)
def test_noc_narrative_gaps(description: object, ndc: object, gaps: list[str]) -> None:
    assert noc_narrative_gaps(description, ndc) == gaps


@pytest.mark.parametrize(
    ("dose", "unit", "strength", "expected"),
    [
        (1000, "ML", 1000, 1),
        (500, "ml", 1000, 0.5),
        (1500, "ML", 1000, 1.5),
        (333, "ML", 1000, 0.333),
        (1000, "ME", None, 1),
        (2000, "GR", None, 0.002),
        (1000, "UN", 1000, None),  # vial size unknown
        (1000, "F2", 1000, None),
        (None, "ML", 1000, None),
        (1000, "ML", None, None),
        (0, "ML", 1000, None),
        (float("nan"), "ML", 1000, None),
    ],
)
def test_ndc_expected_quantity(
    dose: object, unit: object, strength: object, expected: object
) -> None:
    got = ndc_expected_quantity(dose, unit, strength)
    assert got == expected
    if expected is not None and float(expected).is_integer():
        assert isinstance(got, int)


@pytest.mark.parametrize(
    ("dose", "vial", "expected"),
    [(1000, 1, 1), (2000, 1, 2), (1500, 1, 2), (1000, 30, 1), (1000, 0, None), (1000, None, None)],
)
def test_ndc_expected_vials(dose: float, vial: object, expected: object) -> None:
    assert ndc_expected_quantity(dose, "UN", 1000, vial) == expected


def test_table_helpers() -> None:
    units = {"J3420": {"drug": "cyanocobalamin"}, "J3425": {"drug": "hydroxocobalamin"}}
    assert find_key(units, "drug", "hydroxocobalamin") == "J3425"
    assert find_key(units, "drug", "other") is None
    assert find_key(units, "drug", None) is None
    assert find_key(None, "drug", "x") is None
    assert get(units, "J3420") == {"drug": "cyanocobalamin"}
    assert get(units, ["unhashable"]) is None
    assert get("not a mapping", "x") is None
    assert one_of("ML", ("F2", "ML")) == "ML"
    assert one_of("MCG", ("F2", "ML")) is None
    assert one_of(None, ("F2",)) is None
    assert one_of("x", "xyz") is None
    assert remove(["JZ", "25"], "JZ") == ["25"]
    assert remove(None, "JZ") == []
    assert remove("JZ", "JZ") is None
    assert at_positions(["D51.0", "K90.0"], [2, 1, 3, 0, True]) == ["K90.0", "D51.0"]
    assert at_positions(None, [1]) == []
    assert upper(" ml ") == "ML" and upper(3) is None


def test_registry_arity() -> None:
    for name, arity in (("lookup_missing", None), ("find_key", 3), ("add_months", 2)):
        if arity is None:
            assert name not in FUNCTIONS
        else:
            assert FUNCTIONS[name].min_args == FUNCTIONS[name].max_args == arity
