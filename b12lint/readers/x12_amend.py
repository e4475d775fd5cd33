"""Claims of one 837 file that amend others: voids, replacements, and CLM01 reused.

The claim frequency code (837P CLM05-3, the last digit of an 837I type of bill) says what a
claim does to an earlier one (X12 005010X222A1 / X223A2 2300 CLM05-3; NUBC frequency codes):

- ``8`` void/cancel of a prior claim: it bills nothing, so it is read but not judged
  (``summary.not_judged`` ``void claim``), as FHIR voids are;
- ``7`` replacement of a prior claim: judged as the claim now stands. When the claim it
  replaces (the same CLM01) is earlier in the same file, that original is not judged
  (``replaced claim``; a void's original: ``voided claim``): it is not a second visit, and
  the replacement is not a duplicate record. A replacement whose original is not in the file
  (sent in an earlier file) is simply judged.

CLM01 is the Patient Control Number, which the TR3 does not require to be unique: some
practice-management systems write the patient's account number there. A claim whose CLM01
repeats an earlier claim's of the file with **another** date of service (and that amends
nothing) is read with the id ``CLM01@YYYY-MM-DD`` and the file gets a note; the same CLM01 on
the same date stays a duplicate record (B12-INPUT-003).

To let a later claim supersede an earlier one while the reader streams, the last
:data:`WINDOW` claims are held back (the TR3 recommends at most 5,000 claims per transaction);
a replacement of a claim further back is judged beside it (and reported as a duplicate id).
Items leave in file order.
"""

from __future__ import annotations

import datetime as dt
from collections import deque
from collections.abc import Iterator

from b12lint.readers.base import Item
from b12lint.readers.stats import current, not_judged

WINDOW = 5000
"""Claims held back so that a later void or replacement in the file can supersede them."""
VOID = "8"
REPLACEMENT = "7"


class _Held:
    """An item held back, and the CLM01 it was read from (``""`` for other items)."""

    __slots__ = ("clm01", "item")

    def __init__(self, item: Item, clm01: str) -> None:
        self.item: Item | None = item
        self.clm01 = clm01


class Amendments:
    """One file's claims in file order, less the ones a later void or replacement supersedes."""

    def __init__(self, file: str, window: int = WINDOW) -> None:
        self.file = file
        self.window = window
        self.held: deque[_Held] = deque()
        self.claims_held = 0
        self.by_clm01: dict[str, list[_Held]] = {}
        """The records of the latest held claim of each CLM01 (several for a claim split by
        date of service)."""
        self.dates: dict[str, dt.date] = {}
        """The date of service of the first claim of each CLM01 in the file."""
        self.renamed: list[str] = []

    def encounter_id(self, clm01: str, frequency: str, date: dt.date) -> str | None:
        """The id to read a claim with, or None for a void (counted, never read); a void or a
        replacement supersedes the held claim of the same CLM01."""
        if frequency in (VOID, REPLACEMENT):
            parts = [h for h in self.by_clm01.pop(clm01, ()) if h.item is not None]
            for held in parts:
                held.item = None
            if parts:
                not_judged("voided claim" if frequency == VOID else "replaced claim", len(parts))
                if frequency == REPLACEMENT:
                    return clm01
        if frequency == VOID:
            not_judged("void claim")
            return None
        first = self.dates.setdefault(clm01, date)
        if first == date:
            return clm01
        renamed = f"{clm01}@{date.isoformat()}"
        self.renamed.append(renamed)
        return renamed

    def push(self, item: Item, clm01: str = "", *, part: bool = False) -> list[Item]:
        """Hold an item (a claim's record when ``clm01`` is given; ``part``: another record
        of the claim pushed before it); give what leaves the window (a list: this runs for
        every item and seldom gives any)."""
        held = _Held(item, clm01)
        self.held.append(held)
        out: list[Item] = []
        if clm01:
            if part and clm01 in self.by_clm01:
                self.by_clm01[clm01].append(held)
            else:
                self.by_clm01[clm01] = [held]
            self.claims_held += 1
            while self.claims_held > self.window:
                self._pop(out)
        elif len(self.held) == 1:
            self._pop(out)
        return out

    def _pop(self, out: list[Item]) -> None:
        """Give (to ``out``) the oldest held item, and the items after it that are not claims."""
        first = True
        while self.held and (first or not self.held[0].clm01):
            first = False
            held = self.held.popleft()
            if held.clm01:
                self.claims_held -= 1
                parts = self.by_clm01.get(held.clm01)
                if parts is not None and held in parts:
                    parts.remove(held)
                    if not parts:
                        del self.by_clm01[held.clm01]
            if held.item is not None:
                out.append(held.item)

    def flush(self) -> Iterator[Item]:
        """Everything still held, at the end of the file (and the note of renamed ids)."""
        out: list[Item] = []
        while self.held:
            self._pop(out)
        yield from out
        if self.renamed:
            count = len(self.renamed)
            current().notes.append(
                f"{self.file}: {count:,} claim{'s repeat' if count > 1 else ' repeats'} the CLM01 "
                "(Patient Control Number) of an earlier claim with another date of service "
                f"(an account number?): read as CLM01@date, e.g. {self.renamed[0]!r}"
            )
            self.renamed.clear()


__all__ = ["REPLACEMENT", "VOID", "WINDOW", "Amendments"]
