"""Premedication for a current chemotherapy course, read from a chart's free text.

B12 is covered as premedication for *current or planned* pemetrexed or pralatrexate therapy,
not a completed course (shared/DOMAIN.md "Coverage, in full"). Oncology notes say a course is
current by naming its next cycle: "s/p Alimta C3, C4 due 4/1", "pemetrexed C3 completed, next
cycle 4/28". Read by ConText alone, "s/p" and "completed" make the drug a past mention there;
yet a cycle that is due cannot be history. So a drug mention counts when it is affirmed, or
when it is only historical (neither negated nor another person's) and the text also affirms
that a cycle is coming ("cycle due", "next cycle"; cycle numbers such as ``C4`` or
``cycle 4`` read as "cycle", "no further" / "no more" as "no"). "Pemetrexed completed 2023,
next B12 due" names no coming cycle and stays history; "no further cycles planned" is negated.
Imported only when a rule first asks (it loads the ConText matcher).
"""

from __future__ import annotations

import re

from b12lint.domain.context import MAX_CHARS, affirmed_phrase

__all__ = ["premedication_for_course"]

#: A numbered cycle as oncology notes write it: "C4", "C4D1", "cycle 4", "cycle #4", "cycles".
_CYCLE = re.compile(
    r"(?<![0-9a-z])(?:c#?\d{1,2}(?:d\d{1,2})?|cycle\s{0,3}#?\s{0,3}\d{1,2}|cycles?)(?![0-9a-z])",
    re.IGNORECASE,
)
#: "no further" / "no more" negate what follows here (NegEx lists "no further" as a
#: pseudo-trigger because "no further X" is ambiguous in general; of cycles it is not).
_NO_MORE = re.compile(r"(?<![0-9a-z])no\s+(?:further|more)(?![0-9a-z])", re.IGNORECASE)
_NOT_HISTORY = ("negated", "other_experiencer")


def premedication_for_course(
    text: object, drugs: object, course: object, lexicon: object
) -> str | None:
    """The premedication drug (one of ``drugs``, as written) the text names for current or
    planned therapy, or None.

    ``course`` lists the phrases that say a cycle is coming ("cycle due", "next cycle"), read
    after cycle numbers become "cycle"; ``lexicon`` is the ConText trigger table.
    """
    found = affirmed_phrase(text, drugs, lexicon)
    if found is not None or not isinstance(text, str):
        return found
    drug = affirmed_phrase(text, drugs, lexicon, _NOT_HISTORY)
    if drug is None:
        return None
    cycles = _NO_MORE.sub("no", _CYCLE.sub("cycle", text[:MAX_CHARS]))
    return drug if affirmed_phrase(cycles, course, lexicon, _NOT_HISTORY) is not None else None
