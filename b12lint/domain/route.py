"""Routes of administration: charted text or SNOMED CT route codes to one short code."""

import re
from functools import lru_cache

__all__ = [
    "IM",
    "INJECTABLE",
    "IV",
    "NASAL",
    "PO",
    "SC",
    "SELF_ADMINISTERED",
    "SL",
    "UNKNOWN",
    "normalize_route",
]

IM = "IM"
SC = "SC"
IV = "IV"
PO = "PO"
SL = "SL"
NASAL = "NASAL"
UNKNOWN = "UNKNOWN"

#: Routes a clinic injects (J-code drug + 96372 / 96374).
INJECTABLE = frozenset({IM, SC, IV})
#: Routes a patient takes on their own: not J-code drugs, not 96372.
SELF_ADMINISTERED = frozenset({PO, SL, NASAL})

#: SNOMED CT route codes (SNOMED CT "route of administration value" hierarchy).
SNOMED_ROUTES: dict[str, str] = {
    "78421000": IM,
    "34206005": SC,
    "47625008": IV,
    "26643006": PO,
    "46713006": NASAL,
    "37839007": SL,
}

_PHRASES: dict[str, str] = {
    **dict.fromkeys(("im", "intramuscular", "intramuscularly", "intramusc"), IM),
    **dict.fromkeys(("sc", "sq", "subq", "subcut", "subcutaneous", "subcutaneously"), SC),
    **dict.fromkeys(("iv", "intravenous", "intravenously", "ivp"), IV),
    **dict.fromkeys(("po", "oral", "orally", "by mouth", "per os", "per oral"), PO),
    **dict.fromkeys(("sl", "sublingual", "sublingually", "under the tongue"), SL),
    **dict.fromkeys(("nasal", "in", "intranasal", "intranasally", "nasally"), NASAL),
}
#: Words that qualify a route without changing it ("deep IM", "IV push", "nasal spray").
_FILLER = frozenset(
    {"deep", "injection", "inj", "push", "bolus", "infusion", "spray", "route", "given"}
)
_NON_ALNUM = re.compile(r"[^0-9a-z]+")


@lru_cache(maxsize=512)
def _route_from_text(text: str) -> str | None:
    words = [w for w in _NON_ALNUM.split(text.lower()) if w]
    if not words:
        return None
    if len(words) == 1 and words[0] in SNOMED_ROUTES:
        return SNOMED_ROUTES[words[0]]
    kept = [w for w in words if w not in _FILLER] or words
    spaced = " ".join(kept)
    return _PHRASES.get(spaced) or _PHRASES.get(spaced.replace(" ", ""), UNKNOWN)


def normalize_route(value: object) -> str | None:
    """IM, SC, IV, PO, SL, NASAL or UNKNOWN for a charted route; None when none is charted.

    Case, surrounding space and punctuation are ignored ("s.c.", "Sub-Q", "IV push",
    "deep IM"); SNOMED CT route codes may be text or int.
    """
    if value is None:
        return None
    if isinstance(value, str):
        return _route_from_text(value)
    if isinstance(value, int) and not isinstance(value, bool):
        return SNOMED_ROUTES.get(str(value), UNKNOWN)
    if isinstance(value, (list, tuple, dict)) and not value:
        return None
    return UNKNOWN
