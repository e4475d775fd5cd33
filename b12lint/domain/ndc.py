"""National Drug Codes: the 11-digit 5-4-2 billing form of a labelled NDC."""

import re
from functools import lru_cache

__all__ = ["NDC_UNIT_QUALIFIERS", "ndc_is_malformed", "normalize_ndc"]

#: Unit qualifiers for an NDC quantity (837P CTP05-1, NCPDP): international unit, gram,
#: milligram, millilitre, unit.
NDC_UNIT_QUALIFIERS = frozenset({"F2", "GR", "ME", "ML", "UN"})

_ELEVEN = re.compile(r"[0-9]{11}")
_HYPHENATED = re.compile(r"([0-9]{4,5})-([0-9]{3,4})-([0-9]{1,2})")
_ALL_ZEROS = "0" * 11


def _pad(labeler: str, product: str, package: str) -> str | None:
    """5-4-2 digits from a hyphenated 5-4-2, 4-4-2, 5-3-2 or 5-4-1 NDC; None otherwise."""
    shape = (len(labeler), len(product), len(package))
    if shape == (5, 4, 2):
        return labeler + product + package
    if shape == (4, 4, 2):
        return "0" + labeler + product + package
    if shape == (5, 3, 2):
        return labeler + "0" + product + package
    if shape == (5, 4, 1):
        return labeler + product + "0" + package
    return None


@lru_cache(maxsize=1024)
def _normalize_text(text: str) -> str | None:
    text = text.strip()
    if text[:2].upper() == "N4":  # X12 LIN03 qualifier glued to the code
        text = text[2:].strip()
        digits = text if _ELEVEN.fullmatch(text) else None
    elif _ELEVEN.fullmatch(text):
        digits = text
    else:
        match = _HYPHENATED.fullmatch(text)
        digits = _pad(*match.groups()) if match else None
    return None if digits == _ALL_ZEROS else digits


def normalize_ndc(value: object) -> str | None:
    """The 11-digit 5-4-2 NDC without hyphens, or None when missing or malformed.

    Accepts 11 bare digits, hyphenated 5-4-2, and the hyphenated 10-digit forms 4-4-2 / 5-3-2 /
    5-4-1 (zero-padded to 5-4-2), with surrounding space and an optional X12 ``N4`` prefix
    (then only 11 bare digits). A bare 10-digit NDC is ambiguous (which group to pad?): None.
    Non-text values (an int has lost its leading zeros) are None.
    """
    if not isinstance(value, str):
        return None
    return _normalize_text(value)


def ndc_is_malformed(value: object) -> bool:
    """Whether an NDC is present (not None, not blank) but :func:`normalize_ndc` rejects it."""
    if value is None or (isinstance(value, str) and not value.strip()):
        return False
    return normalize_ndc(value) is None
