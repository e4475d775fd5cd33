"""npi_is_valid."""

import pytest
from hypothesis import given
from hypothesis import strategies as st

from b12lint.domain import npi_is_valid


def _luhn_ok(number: str) -> bool:
    """Plain Luhn over a full number (reference implementation for the tests)."""
    total = 0
    for i, char in enumerate(reversed(number)):
        d = int(char)
        if i % 2 == 1:
            d = d * 2 - 9 if d > 4 else d * 2
        total += d
    return total % 10 == 0


# Each is also checked against a plain Luhn over "80840" + NPI.
@pytest.mark.parametrize("npi", ["1234567893", "1245319599", "1003000126"])
def test_valid(npi: str) -> None:
    assert _luhn_ok("80840" + npi)
    assert npi_is_valid(npi)


@pytest.mark.parametrize(
    "value",
    [
        "1234567890",
        "1234567894",
        "123456789",
        "12345678931",
        " 1234567893",
        "1234567893 ",
        "123456789X",
        "12345-67893",
        "\u0661\u0662\u0663\u0664\u0665\u0666\u0667\u0668\u0669\u0663",
        "",
        1234567893,
        None,
        True,
        ["1234567893"],
    ],
)
def test_invalid(value: object) -> None:
    assert not npi_is_valid(value)


@given(st.text(alphabet="0123456789", min_size=10, max_size=10))
def test_matches_reference_luhn(npi: str) -> None:
    assert npi_is_valid(npi) == _luhn_ok("80840" + npi)


@given(st.text(alphabet="0123456789", min_size=9, max_size=9))
def test_exactly_one_check_digit_is_valid(body: str) -> None:
    assert sum(npi_is_valid(body + d) for d in "0123456789") == 1
