"""Payer types as FORMATS.md spells them, from the ways exports and people write them.

FORMATS.md's ``payer.type`` is ``medicare`` (Original Medicare, fee for service),
``medicare_advantage``, ``medicaid``, ``commercial`` or other text. Practice-management
exports write the same payers as "Medicare Part B", "Medicare HMO", "Medi-Cal", "BCBS" or as
X12 SBR09 claim filing indicator codes (MB, 16, MC, CI). :func:`payer_type` maps the names it
knows and keeps any other text as written (lower case, spaces as ``_``), so an unknown payer
stays visibly unknown instead of being guessed. "MA" is left alone: it is SBR09's Medicare
Part A but reads as Medicare Advantage to most people.
"""

from __future__ import annotations

import re
from functools import lru_cache

#: X12 005010X222A1 SBR09 claim filing indicator codes → payer type (MA/MB: Medicare Part
#: A/B, i.e. Original Medicare; 16: HMO Medicare Risk, a Medicare Advantage plan).
SBR09_TYPES: dict[str, str] = {
    "MA": "medicare",
    "MB": "medicare",
    "16": "medicare_advantage",
    "MC": "medicaid",
    **dict.fromkeys(("12", "13", "14", "15", "BL", "CI", "HM"), "commercial"),
    "CH": "tricare",
    "VA": "veterans affairs",
    "WC": "workers compensation",
}

_CANONICAL = frozenset({"medicare", "medicare_advantage", "medicaid", "commercial"})

#: Names as written (normalised: lower case, words joined by ``_``) → payer type; the SBR09
#: codes of the four types too, except MA (ambiguous as free text).
_ALIASES: dict[str, str] = {
    **{
        code.lower(): kind
        for code, kind in SBR09_TYPES.items()
        if code != "MA" and kind in _CANONICAL
    },
    **dict.fromkeys(
        (
            "original_medicare",
            "traditional_medicare",
            "medicare_ffs",
            "medicare_fee_for_service",
            "medicare_part_b",
            "medicare_b",
            "medicare_part_a",
            "medicare_a",
            "medicare_part_a/b",
            "medicare_a/b",
            "mcr",
        ),
        "medicare",
    ),
    **dict.fromkeys(
        (
            "medicare_part_c",
            "medicare_c",
            "part_c",
            "medicare_hmo",
            "medicare_ppo",
            "mapd",
            "ma_pd",
            "medicare_advantage_plan",
            "medicare_replacement",
            "medicare_risk",
        ),
        "medicare_advantage",
    ),
    **dict.fromkeys(
        (
            "mcd",
            "medi_cal",
            "medical_assistance",
            "state_medicaid",
            "medicaid_managed_care",
            "managed_medicaid",
            "medicaid_hmo",
            "medicaid_mco",
        ),
        "medicaid",
    ),
    **dict.fromkeys(
        (
            "commercial_insurance",
            "private",
            "private_insurance",
            "bcbs",
            "blue_cross",
            "blue_cross_blue_shield",
            "group_health",
            "employer",
        ),
        "commercial",
    ),
}

_SEPARATORS = re.compile(r"[\s\-_]+")


def normalised(text: str) -> str:
    """Lower case, runs of spaces, hyphens and underscores as one ``_``."""
    return _SEPARATORS.sub("_", text.strip().lower()).strip("_")


def payer_type(value: object) -> str | None:
    """The FORMATS.md payer type for a written one; other text normalised; None for none."""
    if not isinstance(value, str) or not value.strip():
        return None
    return _payer_type(value)


@lru_cache(maxsize=256)  # rules ask it per encounter; a batch has a handful of payer texts
def _payer_type(value: str) -> str:
    key = normalised(value)
    return key if key in _CANONICAL else _ALIASES.get(key, key)


__all__ = ["SBR09_TYPES", "normalised", "payer_type"]
