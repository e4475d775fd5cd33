"""Suppression between the engine and the reporters: config exceptions, then a baseline.

:func:`suppress` takes a finished report and returns it with the suppressed findings moved out
of ``findings`` (counted in ``summary.suppressed``), the finding totals recounted on what is
left — so the exit code only sees unsuppressed findings — and notes for expired or unused
exceptions and stale baseline entries. Imports the model and the engine's tally only.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import heapq
from collections.abc import Collection, Sequence

from b12lint.engine import tally
from b12lint.engine.spilled import FindingWriter, ordered
from b12lint.model import Finding, Report
from b12lint.suppress.baseline import Allowance, Baseline, BaselineError, Entry, load
from b12lint.suppress.exceptions import ExceptionConfigError, ExceptionEntry, Matcher, parse

__all__ = [
    "Baseline",
    "BaselineError",
    "ExceptionConfigError",
    "ExceptionEntry",
    "load",
    "merged",
    "parse",
    "suppress",
]

#: How many stale baseline entries a note lists before summarising the rest.
STALE_SHOWN = 10


def _stale_note(stale: Sequence[Entry]) -> str:
    total = sum(e.count for e in stale)
    shown = ", ".join(
        f"{e.rule_id} {e.encounter_id or '-'} ({e.file})" + (f" x{e.count}" if e.count > 1 else "")
        for e in stale[:STALE_SHOWN]
    )
    more = f" and {len(stale) - STALE_SHOWN} more" if len(stale) > STALE_SHOWN else ""
    return (
        f"baseline: {total} accepted finding{'s' if total != 1 else ''} no longer found "
        f"(fixed or changed): {shown}{more}; refresh it with --write-baseline"
    )


def suppress(
    report: Report,
    *,
    exceptions: Sequence[ExceptionEntry] = (),
    baseline: Baseline | None = None,
    today: dt.date | None = None,
) -> tuple[Report, Collection[Finding]]:
    """The report without suppressed findings, and the suppressed findings (report order).

    One pass over the findings: exceptions first, then the baseline on what they keep. Kept
    and suppressed findings are lists, or for findings streamed from disk
    (:class:`~b12lint.engine.spilled.SpilledFindings`) streams spilled in turn.
    """
    if not exceptions and baseline is None:  # nothing to match: no copy of the findings
        summary = tally(report.summary.copy(), report.findings)
        return dataclasses.replace(report, summary=summary, notes=list(report.notes)), []
    today = today or dt.date.today()
    matcher = Matcher(exceptions, today)
    allowance = Allowance(baseline) if baseline is not None else None
    area = getattr(report.findings, "area", None)
    kept, suppressed = FindingWriter(area), FindingWriter(area)
    for finding in report.findings:
        why = matcher.why(finding)
        if why is None and allowance is not None and allowance.take(finding):
            why = "baseline"
        if why is None:
            kept.add(finding)
        else:
            suppressed.add(finding.model_copy(update={"suppressed_by": why}))
    notes = list(report.notes)
    for exc in matcher.expired:
        notes.append(
            f"{exc.describe()} expired on {exc.expires}: its findings are reported again "
            f"(reason was: {exc.reason})"
        )
    for exc in matcher.unused():
        notes.append(f"{exc.describe()} matched no finding: remove it if it is no longer needed")
    if allowance is not None:
        stale = allowance.stale()
        if stale:
            notes.append(_stale_note(stale))
    left, out = kept.done(), suppressed.done()
    summary = tally(report.summary.copy(), left)
    summary.suppressed = report.summary.suppressed + len(out)
    return dataclasses.replace(report, findings=left, summary=summary, notes=notes), out


def merged(first: Collection[Finding], second: Collection[Finding]) -> Collection[Finding]:
    """Two collections of suppressed findings (each in report order) as one, in report order
    (a stable merge: what a sort of the two, one after the other, gives)."""
    if isinstance(first, list) and isinstance(second, list):
        return sorted([*first, *second], key=Finding.sort_key)
    area = getattr(first, "area", None) or getattr(second, "area", None)
    return ordered(area, heapq.merge(first, second, key=Finding.sort_key))
