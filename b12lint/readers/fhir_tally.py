"""What the FHIR readers read but did not judge, and what they have to say about a file.

The JSON report's summary may count "resources read but not judged" (FORMATS.md allows the
addition). Readers stream items, so this is collected on the side: wrap the read in
:func:`collecting` and read the :class:`Tally` afterwards::

    with collecting() as tally:
        result = run(read_inputs(paths), ruleset)
    tally.not_judged   # {"Patient": 3, "Coverage": 1, "ExplanationOfBenefit": 2}
    tally.notes        # ["export.json: 12 FHIR resources but no Claim or ...: nothing checked"]

Outside :func:`collecting` readers count into a throwaway tally (nothing is kept).
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass, field


@dataclass(slots=True)
class Tally:
    """Counts of resources read but not judged, by resource type, and notes per file."""

    not_judged: Counter[str] = field(default_factory=Counter)
    notes: list[str] = field(default_factory=list)

    @property
    def total(self) -> int:
        """Every resource read but not judged."""
        return sum(self.not_judged.values())

    def merge(self, other: Tally) -> None:
        """Add another tally (e.g. a worker's) to this one."""
        self.not_judged.update(other.not_judged)
        self.notes.extend(other.notes)


_CURRENT: ContextVar[Tally | None] = ContextVar("b12lint_fhir_tally", default=None)


def current() -> Tally:
    """The tally being collected, or a fresh one nobody reads."""
    found = _CURRENT.get()
    return found if found is not None else Tally()


@contextmanager
def collecting() -> Iterator[Tally]:
    """Collect what FHIR readers read but do not judge while the block runs."""
    tally = Tally()
    token = _CURRENT.set(tally)
    try:
        yield tally
    finally:
        _CURRENT.reset(token)


__all__ = ["Tally", "collecting", "current"]
