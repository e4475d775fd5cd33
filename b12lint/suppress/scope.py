"""The exceptions and baseline entries that concern one request's encounters (``serve``).

``check`` judges the whole backlog a baseline and exceptions were written for: an entry that no
finding matched is stale, an exception that matched nothing is unused, and both are reported.
A request to the service carries a few encounters; the rest of the baseline and exceptions are
about encounters it did not send, and reporting them would be wrong ("no longer found") and
would name other patients' encounters and exception reasons in every response. Scoped to a
request they are:

- the exceptions naming one of its encounters, and the exceptions naming none that match one
  of its findings or have expired (a configuration problem, reported as ``check`` does);
- the baseline entries a finding of the request carries, or that name one of its encounters
  (as written, or as its keyed hash: a baseline written under ``--redact``).

What is suppressed does not change: everything left out would have matched no finding.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Collection, Sequence

from b12lint.model import Finding, fingerprint
from b12lint.suppress.baseline import Baseline
from b12lint.suppress.exceptions import ExceptionEntry


def scoped(
    exceptions: Sequence[ExceptionEntry],
    baseline: Baseline | None,
    findings: Collection[Finding],
    encounter_ids: Collection[str],
    today: dt.date,
    hashed: Callable[[str], str] | None = None,
) -> tuple[list[ExceptionEntry], Baseline | None]:
    """The exceptions and baseline of one request's ``findings`` and ``encounter_ids``."""
    kept = [
        e
        for e in exceptions
        if (e.encounter in encounter_ids)
        or (
            e.encounter is None
            and ((e.expires is not None and e.expires < today) or any(map(e.matches, findings)))
        )
    ]
    if baseline is None:
        return kept, None
    carried = {fingerprint(f) for f in findings}
    named = set(encounter_ids)
    if hashed is not None:
        named |= {hashed(i) for i in encounter_ids}
    entries = {
        fp: entry
        for fp, entry in baseline.entries.items()
        if fp in carried or (entry.encounter_id is not None and entry.encounter_id in named)
    }
    return kept, Baseline(entries)
