"""National Provider Identifier check digit (Luhn over "80840" + the first 9 digits)."""

import re
from functools import lru_cache

__all__ = ["npi_is_valid"]

_NPI = re.compile(r"[0-9]{10}")
#: Luhn sum of the card-issuer prefix 80840 as it sits before a 9-digit NPI body.
_PREFIX_SUM = 24


@lru_cache(maxsize=1024)
def _check_digit_ok(npi: str) -> bool:
    total = _PREFIX_SUM
    for position, char in enumerate(reversed(npi[:9])):
        digit = ord(char) - 48
        if position % 2 == 0:  # the rightmost body digit is doubled
            digit = digit * 2 - 9 if digit > 4 else digit * 2
        total += digit
    return (10 - total % 10) % 10 == ord(npi[9]) - 48


def npi_is_valid(value: object) -> bool:
    """Whether ``value`` is a 10-digit NPI string with a correct check digit.

    Exactly 10 ASCII digits, no spaces; non-text values (e.g. an int) are invalid.
    """
    return isinstance(value, str) and _NPI.fullmatch(value) is not None and _check_digit_ok(value)
