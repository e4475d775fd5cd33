"""Treatment phase as charted ("loading", "initial", "monthly", "maint.") to one word.

``repletion`` (the loading course: "repletion", "loading", "initial", "acute", "induction")
or ``maintenance`` ("maintenance", "maint.", "monthly"). Filler words ("phase", "dose",
"week 3", "B12 injection") are ignored; any other word, or words of both phases, leave the
phase unrecognised: the caller keeps it as undocumented (never guessed).
"""

import re
from functools import lru_cache

__all__ = ["MAINTENANCE", "REPLETION", "normalize_phase"]

REPLETION = "repletion"
MAINTENANCE = "maintenance"

_WORDS: dict[str, str] = {
    **dict.fromkeys(
        ("repletion", "replete", "repleting", "loading", "load", "initial", "acute"),
        REPLETION,
    ),
    **dict.fromkeys(("induction",), REPLETION),
    **dict.fromkeys(("maintenance", "maint", "maintain", "monthly"), MAINTENANCE),
}
#: Words that say nothing about the phase ("loading phase, week 3", "monthly B12 injection").
_FILLER = frozenset(
    {
        *("phase", "dose", "doses", "dosing", "course", "therapy", "treatment", "regimen"),
        *("week", "wk", "day", "injection", "inj", "shot", "b12", "b", "12", "vitamin", "vit"),
        *("of", "the", "a", "no", "series", "weekly", "daily", "weeks", "wks", "days"),
        *("x", "times", "once", "per", "every", "then"),
    }
)
_WORD = re.compile(r"[a-z]+|[0-9]+")
#: Longest phase text read; a charted phase is a word or two.
MAX_TEXT = 100


@lru_cache(maxsize=256)
def _phase(text: str) -> str | None:
    found: set[str] = set()
    for word in _WORD.findall(text.lower()):
        phase = _WORDS.get(word)
        if phase is not None:
            found.add(phase)
        elif word not in _FILLER and not word.isdigit():
            return None
    return found.pop() if len(found) == 1 else None


def normalize_phase(value: object) -> str | None:
    """``repletion`` or ``maintenance`` for a charted phase; None when it is absent, blank or
    not recognised (text longer than 100 characters is not read)."""
    if not isinstance(value, str) or len(value) > MAX_TEXT:
        return None
    return _phase(value)
