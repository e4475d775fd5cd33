"""normalize_ndc and ndc_is_malformed."""

import pytest
from hypothesis import given
from hypothesis import strategies as st

from b12lint.domain import NDC_UNIT_QUALIFIERS, ndc_is_malformed, normalize_ndc


@pytest.mark.parametrize(
    ("value", "ndc11"),
    [
        ("0517-0031-01", "00517003101"),  # 4-4-2
        ("70710-1663-1", "70710166301"),  # 5-4-1
        ("0591-2888-30", "00591288830"),  # 4-4-2
        ("63323-044-41", "63323004441"),  # 5-3-2
        ("50633-310-11", "50633031011"),  # 5-3-2
        ("00517-0031-01", "00517003101"),  # 5-4-2
        ("00517003101", "00517003101"),
        (" 00517003101 ", "00517003101"),
        ("\t0517-0031-25\n", "00517003125"),
        ("N400517003125", "00517003125"),
        ("n400517003125", "00517003125"),
        ("N4 00517003125", "00517003125"),
    ],
)
def test_normalizes(value: str, ndc11: str) -> None:
    assert normalize_ndc(value) == ndc11
    assert not ndc_is_malformed(value)


@pytest.mark.parametrize(
    "value",
    [
        "0517003101",  # bare 10 digits: ambiguous
        "517003101",
        "005170031011",
        "00000000000",
        "0000-0000-00",
        "00000-0000-00",
        "0517-031-01",  # 4-3-2
        "00517-031-1",  # 5-3-1
        "0517-0031-1",  # 4-4-1
        "005170-031-01",
        "00517-0031-001",
        "0517 0031 01",
        "0517-0031-0A",
        "ABCDE-FGHI-JK",
        "0517--0031-01",
        "N40517-0031-25",  # N4 takes only 11 bare digits
        "N4",
        "\u0660\u0665\u0661\u0667\u0660\u0660\u0660\u0663\u0661\u0660\u0661",  # Arabic-Indic
        "0517\u20110031\u201101",  # non-breaking hyphens
    ],
)
def test_malformed(value: str) -> None:
    assert normalize_ndc(value) is None
    assert ndc_is_malformed(value)


@pytest.mark.parametrize("value", [517003101, 517003101.0, True, ["00517003101"], {"ndc": "x"}])
def test_non_text_is_malformed(value: object) -> None:
    assert normalize_ndc(value) is None
    assert ndc_is_malformed(value)


@pytest.mark.parametrize("value", [None, "", "   "])
def test_missing_is_not_malformed(value: object) -> None:
    assert normalize_ndc(value) is None
    assert not ndc_is_malformed(value)


def test_unit_qualifiers() -> None:
    assert frozenset({"F2", "GR", "ME", "ML", "UN"}) == NDC_UNIT_QUALIFIERS


@given(st.text(alphabet="0123456789", min_size=11, max_size=11))
def test_eleven_digits_round_trip(digits: str) -> None:
    expected = None if digits == "0" * 11 else digits
    assert normalize_ndc(digits) == expected
    hyphenated = f"{digits[:5]}-{digits[5:9]}-{digits[9:]}"
    assert normalize_ndc(hyphenated) == expected


@given(
    st.text(alphabet="0123456789", min_size=10, max_size=10), st.sampled_from(["442", "532", "541"])
)
def test_ten_digit_forms_pad_the_short_group(digits: str, shape: str) -> None:
    a, b, _ = (int(c) for c in shape)
    labeler, product, package = digits[:a], digits[a : a + b], digits[a + b :]
    padded = labeler.zfill(5) + product.zfill(4) + package.zfill(2)
    expected = None if padded == "0" * 11 else padded
    assert normalize_ndc(f"{labeler}-{product}-{package}") == expected
