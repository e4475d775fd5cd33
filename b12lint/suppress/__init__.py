"""Suppression between the engine and the reporters: config exceptions, then a baseline.

:func:`suppress` takes a finished report and returns it with the suppressed findings moved out
of ``findings`` (counted in ``summary.suppressed``), the finding totals recounted on what is
left — so the exit code only sees unsuppressed findings — and notes for expired or unused
exceptions and stale baseline entries. Imports the model and the engine's tally only.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
from collections.abc import Sequence

from b12lint.engine import tally
from b12lint.model import Finding, Report
from b12lint.suppress.baseline import Baseline, BaselineError, Entry, load, match
from b12lint.suppress.exceptions import ExceptionConfigError, ExceptionEntry, apply, parse

__all__ = [
    "Baseline",
    "BaselineError",
    "ExceptionConfigError",
    "ExceptionEntry",
    "load",
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
) -> tuple[Report, list[Finding]]:
    """The report without suppressed findings, and the suppressed findings (report order)."""
    today = today or dt.date.today()
    outcome = apply(report.findings, exceptions, today)
    kept, suppressed = outcome.kept, outcome.suppressed
    notes = list(report.notes)
    for exc in outcome.expired:
        notes.append(
            f"{exc.describe()} expired on {exc.expires}: its findings are reported again "
            f"(reason was: {exc.reason})"
        )
    for exc in outcome.unused:
        notes.append(f"{exc.describe()} matched no finding: remove it if it is no longer needed")
    if baseline is not None:
        result = match(kept, baseline)
        kept = result.kept
        suppressed = sorted([*suppressed, *result.suppressed], key=Finding.sort_key)
        if result.stale:
            notes.append(_stale_note(result.stale))
    summary = tally(report.summary.model_copy(deep=True), kept)
    summary.suppressed = report.summary.suppressed + len(suppressed)
    return dataclasses.replace(report, findings=kept, summary=summary, notes=notes), suppressed
