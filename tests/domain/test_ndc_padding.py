"""An 11-digit NDC padded in the wrong place: re-paddings and product-table matches."""

import pytest
from hypothesis import given
from hypothesis import strategies as st

from b12lint.domain import padding_matches, repaddings, same_ten_digits


def test_repaddings_of_a_4_4_2_code_padded_as_5_3_2() -> None:
    # 0517-0031-01 (4-4-2) is 00517003101; padded as if 5-3-2 it becomes 05170003101
    assert "00517003101" in repaddings("05170003101")
    assert "05170003101" not in repaddings("05170003101")
    assert same_ten_digits("05170003101", "00517003101")
    assert same_ten_digits("00517003101", "05170003101")


def test_table_match_decides() -> None:
    assert padding_matches("05170003101") == ("00517003101",)
    # 70710-1663-1 (5-4-1) is 70710166301; padded as if 5-3-2 it becomes 70710016631
    assert padding_matches("70710016631") == ("70710166301",)


@pytest.mark.parametrize(
    "ndc",
    [
        "00517003101",  # right: a product of the table
        "70710166301",
        "70710999901",  # a known labeler's product the table lacks: not a padding error
        "12345678901",  # no zero where padding goes
        "0517003101",  # 10 digits
        "0517-0031-01",
        "",
        None,
        17003101,
        "٠٠٥١٧٠٠٣١٠١",  # non-ASCII digits
    ],
)
def test_no_match(ndc: object) -> None:
    assert padding_matches(ndc) == ()


def test_same_ten_digits_is_false_for_equal_or_unrelated_codes() -> None:
    assert not same_ten_digits("00517003101", "00517003101")
    assert not same_ten_digits("00517003101", "70710166301")
    assert not same_ten_digits("00517003101", None)
    assert repaddings("0517-0031-01") == ()


@given(st.text(alphabet="0123456789", min_size=11, max_size=11))
def test_repaddings_keep_the_ten_digits(ndc: str) -> None:
    for other in repaddings(ndc):
        assert len(other) == 11 and other != ndc
        assert same_ten_digits(ndc, other)
        assert ndc in repaddings(other)


def test_a_known_labelers_code_is_not_read_as_another_labelers(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """If 05170 were a labeler of the table, 05170003101 would be its product the table lacks,
    not American Regent's 0517-0031-01 padded wrongly."""
    import b12lint.domain.ndc_padding as padding

    monkeypatch.setattr(padding, "known_labeler_codes", lambda: frozenset({"05170"}))
    assert padding.padding_matches("05170003101") == ()
    # same labeler, product and package segments confused (5-3-2 vs 5-4-1): still a match
    monkeypatch.setattr(padding, "known_labeler_codes", lambda: frozenset({"70710"}))
    assert padding.padding_matches("70710016631") == ("70710166301",)
