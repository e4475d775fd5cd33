"""What a rule could not check on an encounter, and the ``info`` findings that say so.

A rule reads policy data by date of service (pack data tables, the ICD-10-CM code set) and
facts derived from the chart (the dose in mcg). When no version of the data covers the date,
or a charted value cannot be read, the value is unknown and the rule cannot judge: instead of
passing in silence it reports one ``info`` finding in its own category saying what was not
checked and why. The compiler notes each such :class:`Gap` in the evaluation environment while
the rule runs (:func:`note`); the rule turns them into one hit per encounter; the linter then
keeps one finding per category and unreadable value (:func:`settle`), and none where another
finding of that category already points at the unreadable value (e.g. B12-DOSE-002).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from b12lint.model import Finding

GAPS = "@gaps"
"""Environment key: the gaps noted while a rule evaluates one encounter (None: none)."""

DATE_POINTER = "/date_of_service"


@dataclass(frozen=True, slots=True)
class Gap:
    """Why a rule could not judge: ``what`` data or value, ``why`` it is unknown, where."""

    what: str
    why: str
    pointer: str = DATE_POINTER
    unreadable: bool = False
    """An unreadable input (merged per category and pointer) rather than missing policy data."""


@dataclass(frozen=True, slots=True)
class NotCovered:
    """What a dated domain function returns for a date no version of its data covers."""

    what: str
    covered: str
    """The dates that are covered, for the message (``2015-10-01 to 2027-03-31``)."""


def note(env: dict[str, Any], gap: Gap) -> None:
    """Record a gap for the rule being evaluated (each gap once)."""
    gaps: list[Gap] | None = env.get(GAPS)
    if gaps is None:
        env[GAPS] = [gap]
    elif gap not in gaps:
        gaps.append(gap)


def date_gap(what: str, date: Any, covered: str) -> Gap:
    """The gap of dated data that no version covers on the date of service."""
    when = date.isoformat() if isinstance(date, dt.date) else "an unknown date"
    return Gap(what, f"has no version for the date of service {when} (shipped: {covered})")


def _check(summary: str) -> str:
    """A rule's summary as the name of its check: "a claim diagnosis ...", "J3420 units ..."."""
    check = summary.rstrip(".")
    if len(check) > 1 and check[0].isupper() and check[1].islower():
        check = check[0].lower() + check[1:]
    return check


def message(summary: str, gaps: Sequence[Gap]) -> str:
    """The info finding's text: what was not checked, why, and what to do."""
    check = _check(summary)
    reasons = "; ".join(dict.fromkeys(f"{g.what} {g.why}" for g in gaps))
    if all(g.unreadable for g in gaps):
        return (
            f"Not checked ({check}): {reasons}. Chart the value so it can be read "
            "(a dose as an amount with its unit, e.g. 1000 mcg) and check again."
        )
    return (
        f"Not checked ({check}): {reasons}. Check it against the policy in force on that "
        "date, or add a sourced version of the data for it."
    )


def settle(findings: list[Finding], merged: dict[tuple[str, str], list[Finding]]) -> list[Finding]:
    """One ``not checked`` finding per category and unreadable value.

    ``merged`` holds an encounter's not-checked findings of unreadable values by (category,
    pointer); a category that already has another finding at that pointer (the finding that
    reports the unreadable value) gets none, the others get the first rule's finding with
    every rule named.
    """
    pointed = {(f.category, f.location.pointer) for f in findings}
    for (category, pointer), infos in sorted(merged.items()):
        if (category, pointer) in pointed:
            continue
        first = infos[0]
        if len(infos) > 1:
            others = ", ".join(f.rule_id for f in infos[1:])
            first = first.model_copy(update={"message": f"{first.message} (also: {others})"})
        findings.append(first)
    return findings
