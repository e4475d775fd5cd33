"""parse_dose and mcg_to_units."""

import math

import pytest
from hypothesis import given
from hypothesis import strategies as st

from b12lint.domain import Dose, mcg_to_units, parse_dose, strength_in_name


@pytest.mark.parametrize(
    ("value", "mcg"),
    [
        ("1000 mcg", 1000.0),
        ("1,000 mcg", 1000.0),
        ("1000mcg", 1000.0),
        ("1 mg", 1000.0),
        ("0.5 mg", 500.0),
        (".5 mg", 500.0),
        ("1000 \u00b5g", 1000.0),  # MICRO SIGN
        ("1000 \u03bcg", 1000.0),  # GREEK SMALL LETTER MU
        ("1000 ug", 1000.0),
        ("1000 MCG", 1000.0),
        ("1000 Mcg.", 1000.0),
        ("1 g", 1_000_000.0),
        ("1 gram", 1_000_000.0),
        ("2 grams", 2_000_000.0),
        ("1000 micrograms", 1000.0),
        ("1 microgram", 1.0),
        ("1 milligram", 1000.0),
        ("2 milligrams", 2000.0),
        ("  1000   mcg  ", 1000.0),
        ("1000\u00a0mcg", 1000.0),  # no-break space
        ("+1000 mcg", 1000.0),
        ("1,000.5 mcg", 1000.5),
        ("100 mcg", 100.0),
        ("1.1 mg", 1100.0),
        ("1000 mcg (1 mL)", 1000.0),
        ("1 mL of 1000 mcg/mL", 1000.0),
        ("1 ml of 1 mg/ml", 1000.0),
        ("1.5 mL x 1000 mcg/mL", 1500.0),
        ("1.5mLx1000mcg/mL", 1500.0),
        ("0.5 mL \u00d7 1000 mcg/mL", 500.0),
        ("2 cc @ 1000 mcg/cc", 2000.0),
        ("1 mL of 1000 mcg/1 mL", 1000.0),
        ("1 mL of 1000 mcg per mL", 1000.0),
        ("1000 mcg/mL x 1 mL", 1000.0),
        ("0.1 mL of 1000 mcg/mL", 100.0),
    ],
)
def test_text_doses(value: str, mcg: float) -> None:
    assert parse_dose(value) == Dose(mcg, None)


@pytest.mark.parametrize(
    ("value", "mcg"),
    [
        ({"value": 1000, "unit": "mcg"}, 1000.0),
        ({"value": 1000.0, "unit": "MCG"}, 1000.0),
        ({"value": "1000", "unit": "mcg"}, 1000.0),
        ({"value": "1,000", "unit": "mcg"}, 1000.0),
        ({"value": 1, "unit": "mg"}, 1000.0),
        ({"value": 1000, "unit": "\u00b5g"}, 1000.0),
        ({"value": 1000, "code": "ug", "system": "http://unitsofmeasure.org"}, 1000.0),
        ({"value": "1000 mcg"}, 1000.0),
        ({"volume_ml": 1.5, "concentration": "1000 mcg/mL"}, 1500.0),
        ({"volume_ml": 1, "concentration": "1000 mcg/mL"}, 1000.0),
        ({"volume_ml": "1.5", "concentration": "1000 mcg/mL"}, 1500.0),
        ({"volume_ml": 1, "concentration": "1 mg/mL"}, 1000.0),
        ({"volume_ml": 2, "concentration": {"value": 1000, "unit": "mcg/mL"}}, 2000.0),
        ({"volume_ml": 1, "concentration": {"value": "1", "unit": "mg/ml"}}, 1000.0),
    ],
)
def test_object_doses(value: object, mcg: float) -> None:
    assert parse_dose(value) == Dose(mcg, None)


@pytest.mark.parametrize("value", [None, "", "   ", {}, [], (), {"value": None, "unit": None}])
def test_nothing_documented(value: object) -> None:
    assert parse_dose(value) is None


@pytest.mark.parametrize(
    ("value", "error"),
    [
        ("1000", "dose has no unit"),
        (1000, "dose has no unit"),
        (1000.0, "dose has no unit"),
        ({"value": 1000}, "dose has no unit"),
        ({"value": 1000, "unit": ""}, "dose has no unit"),
        ("1000 tabs", "unknown unit 'tabs'"),
        ({"value": 1, "unit": "tabs"}, "unknown unit 'tabs'"),
        ("1000 mcg shot", "unknown unit 'mcg shot'"),
        ("1000 tabs IM", "unknown unit 'tabs'"),
        ("1000 mcg/0 mL", "volume must be positive"),
        ("1 cc", "dose in mL needs a concentration"),
        ("1 mL (2 tabs)", "unknown unit 'mL (2 tabs)'"),
        ("5 units", "unknown unit 'units'"),
        ("0 mcg", "dose must be positive"),
        ("-1000 mcg", "dose must be positive"),
        ("- 1 mg", "dose must be positive"),
        ({"value": 0, "unit": "mcg"}, "dose must be positive"),
        ({"value": -5, "unit": "mg"}, "dose must be positive"),
        (math.nan, "dose is not a finite number"),
        (math.inf, "dose is not a finite number"),
        ({"value": math.nan, "unit": "mcg"}, "dose is not a finite number"),
        ({"value": math.inf, "unit": "mcg"}, "dose is not a finite number"),
        ({"value": 10**400, "unit": "mcg"}, "dose is not a finite number"),
        ({"value": 1e308, "unit": "g"}, "dose is not a finite number"),
        (True, "unreadable dose value"),
        (False, "unreadable dose value"),
        ({"value": True, "unit": "mg"}, "unreadable dose value"),
        ({"value": "lots", "unit": "mg"}, "unreadable dose value"),
        ({"value": [1], "unit": "mg"}, "unreadable dose value"),
        ({"value": 1, "unit": 5}, "unreadable dose object"),
        ({"amount": 1000}, "unreadable dose object"),
        ([1000, "mcg"], "unreadable dose value"),
        (object(), "unreadable dose value"),
        ("abc", "unreadable dose text"),
        ("mcg 1000", "unreadable dose text"),
        ("0,5 mg", "unreadable dose text"),
        ("1e3 mcg", "unknown unit 'e3 mcg'"),
        ("1000 1000 mcg", "unreadable dose text"),
        ("1 mL", "dose in mL needs a concentration"),
        ({"value": 1, "unit": "mL"}, "dose in mL needs a concentration"),
        ("1000 mcg/mL", "concentration without a volume"),
        ({"value": 1000, "unit": "mcg/mL"}, "concentration without a volume"),
        ("1 mL of lots", "concentration unreadable"),
        ("1 mL of 1000 tabs/mL", "concentration unreadable"),
        ("1 mL of 0 mcg/mL", "concentration unreadable"),
        ({"volume_ml": 1, "concentration": "strong"}, "concentration unreadable"),
        ({"volume_ml": 1, "concentration": None}, "concentration unreadable"),
        (
            {"volume_ml": 1, "concentration": {"value": 1000, "unit": "mcg"}},
            "concentration unreadable",
        ),
        ({"volume_ml": 1, "concentration": 1000}, "concentration unreadable"),
        ({"volume_ml": 0, "concentration": "1000 mcg/mL"}, "volume must be positive"),
        ({"volume_ml": -1, "concentration": "1000 mcg/mL"}, "volume must be positive"),
        ({"volume_ml": math.nan, "concentration": "1000 mcg/mL"}, "volume must be positive"),
        ({"volume_ml": "a lot", "concentration": "1000 mcg/mL"}, "volume unreadable"),
        ({"volume_ml": True, "concentration": "1000 mcg/mL"}, "volume unreadable"),
        ({"concentration": "1000 mcg/mL"}, "dose volume missing"),
        # what chart words and equivalents never make readable
        ("1 vial", "unknown unit 'vial'"),
        ("1000 mcg x2", "unknown unit 'mcg x2'"),
        ("1000 mcg (2 mg)", "two doses that differ"),
        ("1 mL = 2 mL", "unknown unit 'mL = 2 mL'"),
        ("once", "unreadable dose text"),
    ],
)
def test_errors(value: object, error: str) -> None:
    assert parse_dose(value) == Dose(None, error)


def test_unknown_unit_echo_is_truncated_to_20_characters() -> None:
    dose = parse_dose("1000 of the patient John Smith's own vial")
    assert dose is not None and dose.error is not None
    echoed = dose.error.removeprefix("unknown unit '").removesuffix("'")
    assert len(echoed) == 20
    assert echoed.endswith("…")
    assert "Smith" not in dose.error


def test_unknown_unit_echo_is_printable() -> None:
    dose = parse_dose("1 t\x00ab")
    assert dose == Dose(None, "unknown unit 't?ab'")


def test_result_is_float() -> None:
    dose = parse_dose({"value": 1000, "unit": "mcg"})
    assert dose is not None and type(dose.mcg) is float


def test_bool_and_int_are_not_confused_by_caches() -> None:
    assert parse_dose({"value": 1, "unit": "mg"}) == Dose(1000.0, None)
    assert parse_dose({"value": True, "unit": "mg"}) == Dose(None, "unreadable dose value")
    assert parse_dose({"value": 1, "unit": "mg"}) == Dose(1000.0, None)


def test_dose_requires_exactly_one_field() -> None:
    with pytest.raises(ValueError, match="exactly one"):
        Dose(None, None)
    with pytest.raises(ValueError, match="exactly one"):
        Dose(1.0, "both")


@given(
    st.decimals(min_value="0.001", max_value="100000", places=3),
    st.sampled_from([("mcg", 1), ("mg", 1000), ("ug", 1), ("g", 1_000_000)]),
)
def test_any_positive_amount_parses(amount: object, unit: tuple[str, int]) -> None:
    name, factor = unit
    dose = parse_dose(f"{amount} {name}")
    assert dose is not None and dose.mcg is not None
    assert dose.mcg == pytest.approx(float(str(amount)) * factor, rel=1e-9)


@pytest.mark.parametrize(
    ("mcg", "per_unit", "units"),
    [
        (1000.0, 1000.0, 1),
        (1000.0000001, 1000.0, 1),
        (999.9999999, 1000.0, 1),
        (1001.0, 1000.0, 2),
        (1500.0, 1000.0, 2),
        (2000.0, 1000.0, 2),
        (100.0, 1000.0, 1),
        (0.001, 1000.0, 1),
        (1e-12, 1000.0, 1),
        (1000.0, 10.0, 100),
        (1005.0, 10.0, 101),
        (0.1 * 3 * 1000, 100.0, 3),  # 300.00000000000006
        (1.1 * 1000, 100.0, 11),
        (0.0, 1000.0, 0),
    ],
)
def test_mcg_to_units(mcg: float, per_unit: float, units: int) -> None:
    assert mcg_to_units(mcg, per_unit) == units


@pytest.mark.parametrize(
    ("mcg", "per_unit"),
    [(-1.0, 1000.0), (math.nan, 1000.0), (math.inf, 1000.0), (1000.0, 0.0), (1000.0, -1.0)],
)
def test_mcg_to_units_rejects_bad_input(mcg: float, per_unit: float) -> None:
    with pytest.raises(ValueError, match="must be"):
        mcg_to_units(mcg, per_unit)


@given(st.integers(min_value=1, max_value=10**6), st.sampled_from([10.0, 1000.0]))
def test_mcg_to_units_is_ceiling(mcg: int, per_unit: float) -> None:
    assert mcg_to_units(float(mcg), per_unit) == -(-mcg // int(per_unit))


@pytest.mark.parametrize(
    ("value", "mcg"),
    [
        ("1000 mcg/1 mL", 1000.0),
        ("1,000 mcg/1mL", 1000.0),
        ("2000 mcg/2 mL", 2000.0),
        ("1 mg/1 mL", 1000.0),
        ("1,000 mcg IM", 1000.0),
        ("1000 mcg IM (L deltoid)", 1000.0),
        ("1000 mcg, IM", 1000.0),
        ("1000mcg deep IM", 1000.0),
        ("500 mcg SQ", 500.0),
        ("1 mL of 1000 mcg/mL IM", 1000.0),
        ("1 mL (1000 mcg)", 1000.0),
        ("1 mL (1,000 mcg) IM", 1000.0),
        ("1000 mcg/mL, 1 mL", 1000.0),
        ("1000 mcg/mL 1 mL", 1000.0),
        ("0.5 mL, 1000 mcg/mL", 500.0),
        ("1000 mcg/ml 1 ml IM", 1000.0),
        # a count of one and words about the act or the vial (read only when the dose as
        # written cannot be read)
        ("1000mcg x1", 1000.0),
        ("1000 mcg x 1", 1000.0),
        ("1000 mcg once", 1000.0),
        ("1000 mcg given IM", 1000.0),
        ("1000 mcg/1 mL vial, 1 mL given", 1000.0),
        ("1 mL administered (1000 mcg)", 1000.0),
        # one dose written two ways
        ("1000 mcg = 1 mL", 1000.0),
        ("1 mL = 1000 mcg", 1000.0),
        ("1000 mcg (1 mg)", 1000.0),
        ("1 mg (1,000 mcg)", 1000.0),
        # the strength inside a drug name after "of"
        ("1 mL of B12 (1000mcg/mL)", 1000.0),
        ("1 mL of cyanocobalamin 1000 mcg/mL", 1000.0),
    ],
)
def test_doses_as_charts_write_them(value: str, mcg: float) -> None:
    assert parse_dose(value) == Dose(mcg, None)


@pytest.mark.parametrize(
    ("value", "mcg"),
    [
        ("1 mL", 1000.0),
        ("1cc", 1000.0),
        ("0.5 mL", 500.0),
        ("1 mL IM", 1000.0),
        ({"value": 1, "unit": "mL"}, 1000.0),
        ({"value": "1 mL"}, 1000.0),
        ({"volume_ml": 1}, 1000.0),
        ({"volume_ml": 1, "concentration": ""}, 1000.0),
    ],
)
def test_volume_reads_with_a_known_strength(value: object, mcg: float) -> None:
    assert parse_dose(value, 1000.0) == Dose(mcg, None)


@pytest.mark.parametrize("strength", [None, 0.0, -1.0, math.nan, math.inf])
def test_volume_without_a_usable_strength_stays_unreadable(strength: float | None) -> None:
    dose = parse_dose("1 mL", strength)
    assert dose is not None and dose.mcg is None


def test_strength_does_not_override_a_mass_dose_or_a_charted_concentration() -> None:
    assert parse_dose("500 mcg", 1000.0) == Dose(500.0, None)
    assert parse_dose("1 mL of 100 mcg/mL", 1000.0) == Dose(100.0, None)
    assert parse_dose("1000 mcg/mL", 1000.0) == Dose(None, "concentration without a volume")
    assert parse_dose("0 mL", 1000.0) == Dose(None, "volume must be positive")


@pytest.mark.parametrize(
    ("name", "strength"),
    [
        ("Cyanocobalamin 1,000 mcg/mL", 1000.0),
        ("B12 1000mcg/ml inj", 1000.0),
        ("cyanocobalamin 1 mg/mL injection", 1000.0),
        ("Hydroxocobalamin 1000 mcg per mL", 1000.0),
        ("vitamin B12 1000 mcg/mL (1 mL vial), 1000mcg/ml", 1000.0),
        ("cyanocobalamin", None),
        ("B12 1000 mcg", None),
        ("B12 1000 mcg/mL or 100 mcg/mL", None),
        ("B12 1000 tabs/mL", None),
        ("B12 1000 mcg/mlx", None),
        (None, None),
        (1000, None),
        ("1000 mcg/mL " * 30, None),
    ],
)
def test_strength_in_name(name: object, strength: float | None) -> None:
    assert strength_in_name(name) == strength


@given(
    st.one_of(st.text(max_size=250), st.sampled_from(["1 mL", "1cc", "1000 mcg IM", "1 mL IM"])),
    st.one_of(st.none(), st.floats(), st.sampled_from([1000.0, 100.0])),
)
def test_parse_with_a_strength_never_raises(text: str, strength: float | None) -> None:
    dose = parse_dose(text, strength)
    assert dose is None or (dose.mcg is None) != (dose.error is None)


def test_bounded_time_on_long_dose_text() -> None:
    import time

    worst = [
        "1 " * 99 + "mcg",
        "1000 mcg" + " IM" * 60,
        "1 mL " + "x " * 95,
        "1000 mcg " + "(L deltoid) " * 15,
        "1,000" * 39 + " mcg",
    ]
    start = time.process_time()
    for text in worst:
        parse_dose(text, 1000.0)
        strength_in_name(text)
    assert time.process_time() - start < 0.5
