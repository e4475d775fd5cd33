"""Routes of administration: charted text or SNOMED CT route codes to one short code.

Charts write a route with its injection site and side ("IM (L deltoid)", "IM - right
gluteal", "SQ abdomen"): site words are dropped when what remains is one injectable route.
Anything else left over makes the route UNKNOWN (never guessed).
"""

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
    {"deep", "injection", "inj", "push", "bolus", "infusion", "spray", "route", "given", "x1"}
)
#: Injection sites, sides and connecting words charted after an IM/SC/IV route.
_SITE = frozenset(
    {
        *("deltoid", "delt", "deltoids", "gluteal", "glute", "gluteus", "medius", "buttock"),
        *("dorsogluteal", "ventrogluteal", "vg", "hip", "thigh", "vastus", "lateralis"),
        *("anterolateral", "lateral", "arm", "upper", "outer", "quadrant", "uoq", "abdomen"),
        *("abd", "abdominal", "periumbilical", "tricep", "triceps", "posterior", "anterior"),
        *("mid", "back", "site", "muscle", "left", "right", "l", "r", "lt", "rt", "bilateral"),
        *("in", "into", "to", "the", "of", "at", "via"),
        # site abbreviations: vastus lateralis, dorsogluteal, left/right deltoid, the upper
        # outer quadrant of the buttock, abdominal quadrants, upper extremities
        *("vl", "dg", "ld", "rd", "luoq", "ruoq", "luq", "ruq", "llq", "rlq", "lue", "rue"),
        *("quad", "flank", "gluteal", "maximus", "extremity", "lower"),
        # the needle charted with the site ("23g 1 inch", "25G 5/8\"")
        *("needle", "gauge", "ga", "inch", "inches", "mm"),
    }
)
#: A needle gauge or length, or a bare number, charted with the site ("23g", "1in", "1").
_NEEDLE = re.compile(r"[0-9]+(?:g|ga|in|inch|mm)?")
_NON_ALNUM = re.compile(r"[^0-9a-z]+")
#: Longest route text read; a charted route is a few words.
MAX_TEXT = 200


def _phrase(words: list[str]) -> str | None:
    spaced = " ".join(words)
    found = _PHRASES.get(spaced) or _PHRASES.get(spaced.replace(" ", ""))
    if found is None and len(words) > 1:
        # one route in several words that each name it: "Intramuscular (IM)", "subcut/SQ"
        each = {_PHRASES.get(w) for w in words}
        if len(each) == 1:
            found = each.pop()
    return found


@lru_cache(maxsize=512)
def _route_from_text(text: str) -> str | None:
    words = [w for w in _NON_ALNUM.split(text[:MAX_TEXT].lower()) if w]
    if not words:
        return None
    if len(text) > MAX_TEXT:
        return UNKNOWN
    if len(words) == 1 and words[0] in SNOMED_ROUTES:
        return SNOMED_ROUTES[words[0]]
    kept = [w for w in words if w not in _FILLER] or words
    route = _phrase(kept)
    if route is not None:
        return route
    core = [w for w in kept if w not in _SITE and not _NEEDLE.fullmatch(w)]
    if core and len(core) < len(kept):
        route = _phrase(core)
        if route in INJECTABLE:  # "IM (L deltoid)": a site only follows an injection
            return route
    return UNKNOWN


def normalize_route(value: object) -> str | None:
    """IM, SC, IV, PO, SL, NASAL or UNKNOWN for a charted route; None when none is charted.

    Case, surrounding space and punctuation are ignored ("s.c.", "Sub-Q", "IV push",
    "deep IM"), a route repeated in another of its words is one route ("Intramuscular (IM)",
    "subcutaneous/SQ"), and so is an injection site after an injectable route ("IM (L deltoid)",
    "IM - right gluteal"); SNOMED CT route codes may be text or int. Text longer than 200
    characters is UNKNOWN.
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
