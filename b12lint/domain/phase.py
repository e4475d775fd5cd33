"""Treatment phase as charted ("loading", "initial", "monthly", "maint.") to one word.

``repletion`` (the loading course: "repletion", "loading", "initial", "acute", "induction")
or ``maintenance`` ("maintenance", "maint.", "monthly"). Filler words ("phase", "dose",
"week 3", "B12 injection") are ignored; any other word, or words of both phases, leave the
phase unrecognised: the caller keeps it as undocumented (never guessed). Only today's phase
is read: "weekly x4 then monthly" stops at "then" (the later schedule is not this visit's).
A loading schedule with no phase word ("weekly x4", "daily x7", "B12 series 1/4") is the
repletion course DOMAIN.md describes (daily or weekly for 1-4 weeks); an explicit phase word
always wins over a schedule word. An interval as orders write it ("q4wk", "every 4 weeks",
"qmonth", "q30d") is monthly when it is 28 days or more (maintenance: "no more than once a
month"), a loading schedule when it is a week or less ("qwk", "qod", "qd"), and says nothing
in between ("q2wk" alone stays undocumented).
"""

import re
from functools import lru_cache

__all__ = ["MAINTENANCE", "REPLETION", "normalize_phase"]

REPLETION = "repletion"
MAINTENANCE = "maintenance"

_WORDS: dict[str, str] = {
    **dict.fromkeys(
        ("repletion", "replete", "repleting", "loading", "load", "initial", "acute", "reload"),
        REPLETION,
    ),
    **dict.fromkeys(("induction", "reloading", "reloaded"), REPLETION),
    **dict.fromkeys(("maintenance", "maint", "maintain", "monthly"), MAINTENANCE),
}
#: Words that say nothing about the phase ("loading phase, week 3", "monthly B12 injection").
_FILLER = frozenset(
    {
        *("phase", "dose", "doses", "dosing", "course", "therapy", "treatment", "regimen"),
        *("week", "wk", "day", "injection", "inj", "shot", "b12", "b", "12", "vitamin", "vit"),
        *("of", "the", "a", "no", "series", "weekly", "daily", "weeks", "wks", "days"),
        *("x", "times", "once", "per", "every", "then"),
        # words that say how long or since when, not which phase ("chronic maintenance",
        # "monthly, indefinitely", "maintenance, last dose 3/2")
        *("ongoing", "chronic", "indefinitely", "indefinite", "lifelong", "long", "term"),
        *("continue", "continued", "continuing", "cont", "last", "next", "due", "since"),
        *("prior", "previous", "prev", "given", "on", "at", "for", "life", "re"),
    }
)
#: Schedule words of a loading course: repletion when no phase word is charted.
_SCHEDULE = frozenset({"weekly", "daily", "series", "biweekly"})
#: Words after which the text describes a later schedule, not this visit's phase.
_LATER = frozenset({"then", "followed"})
_WORD = re.compile(r"[a-z]+|[0-9]+")
#: A dosing interval as orders write it: "q4wk", "Q4W", "q 4 weeks", "every 4-6 weeks",
#: "qmonth", "q30d", "qwk", "qod", "every other day".
_INTERVAL = re.compile(
    r"(?<![a-z0-9])(?:q|every|each)\s*\.?\s*(o(?=d)|other\s+)?(?:(\d{1,3})(?:\s*-\s*\d{1,3})?\s*)?"
    r"(d|days?|w|wks?|weeks?|mos?|months?)(?![a-z])"
)
#: A count per period: "1x/month", "once a month", "2x/week", "once weekly".
_PER_PERIOD = re.compile(
    r"(?<![a-z0-9])(?:(\d{1,2})\s*x|once|twice)\s*(?:/|a|an|per|every|each)?\s*"
    r"(d|days?|w|wks?|weeks?|mos?|months?|weekly|daily|monthly)(?![a-z])"
)
_UNIT_DAYS = {"d": 1, "w": 7, "m": 30}
#: A numbered dose of a course: "injection 2 of 4", "shot #2 of 4", "dose 2/4", "week 1 of 4"
#: (the position no later than the count, a course of at most 12): a loading series.
_SERIES = re.compile(r"(?<![0-9/])(\d{1,2})\s*(?:of|/)\s*(\d{1,2})(?![0-9/])")
#: Intervals (days) of a maintenance schedule (once a month, every 4 weeks, or less often)
#: and of a loading course (daily to weekly); the ones between say neither.
MONTHLY_DAYS = 28
LOADING_DAYS = 7


def _interval_word(match: "re.Match[str]") -> str:
    """ "monthly" for a maintenance interval, "weekly" for a loading one, else a blank."""
    count = 2 if match.group(1) else int(match.group(2) or 1)
    days = count * _UNIT_DAYS[match.group(3)[0]]
    if days >= MONTHLY_DAYS:
        return " monthly "
    return " weekly " if days <= LOADING_DAYS else " "


def _per_period_word(match: "re.Match[str]") -> str:
    """ "monthly" for once a month or less often, "weekly" for a loading schedule (at least
    once a week), else a blank."""
    count = int(match.group(1)) if match.group(1) else 1
    text = match.group(0)
    if not match.group(1) and text.startswith("twice"):
        count = 2
    if count < 1:
        return " "
    days = _UNIT_DAYS[match.group(2)[0]] / count
    if days >= MONTHLY_DAYS:
        return " monthly "
    return " weekly " if days <= LOADING_DAYS else " "


#: Longest phase text read; a charted phase is a word or two.
MAX_TEXT = 100


@lru_cache(maxsize=256)
def _phase(text: str) -> str | None:
    found: set[str] = set()
    low = text.lower()
    schedule = False
    # a first look with `in` (a series needs "of" or "/", a count per period "x", "once" or
    # "twice", an interval "q", "every" or "each") keeps plain phases as cheap as before
    if "/" in low or "of" in low:
        today = low.split("then")[0]
        schedule = any(1 <= int(n) <= int(m) <= 12 for n, m in _SERIES.findall(today))
    if "x" in low or "once" in low or "twice" in low:
        low = _PER_PERIOD.sub(_per_period_word, low)
    if "q" in low or "every" in low or "each" in low:
        low = _INTERVAL.sub(_interval_word, low)
    for word in _WORD.findall(low):
        if word in _LATER:
            break
        phase = _WORDS.get(word)
        if phase is not None:
            found.add(phase)
        elif word in _SCHEDULE:
            schedule = True
        elif word not in _FILLER and not word.isdigit():
            return None
    if not found and schedule:
        return REPLETION
    return found.pop() if len(found) == 1 else None


def normalize_phase(value: object) -> str | None:
    """``repletion`` or ``maintenance`` for a charted phase; None when it is absent, blank or
    not recognised (text longer than 100 characters is not read)."""
    if not isinstance(value, str) or len(value) > MAX_TEXT:
        return None
    return _phase(value)
