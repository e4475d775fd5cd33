"""Exceptions and baseline entries scoped to one request's encounters (``b12lint serve``):
only what concerns them, and the same findings suppressed as with everything."""

from __future__ import annotations

import datetime as dt

from report_batch import finding

from b12lint.model import Report, Summary
from b12lint.suppress import suppress
from b12lint.suppress.baseline import Baseline
from b12lint.suppress.exceptions import parse
from b12lint.suppress.scope import scoped

TODAY = dt.date(2026, 6, 1)


EXCEPTIONS = parse(
    [
        {"rule": "B12-UNITS", "encounter": "A", "reason": "about A"},
        {"rule": "B12-UNITS", "encounter": "Z", "reason": "about Z, not in the request"},
        {"rule": "B12-DX", "reason": "every encounter's dx rule"},
        {"provider": "999", "reason": "a provider's"},
        {"rule": "B12-NDC", "reason": "expired", "expires": "2026-01-31"},
    ]
)


def test_exceptions_of_the_request() -> None:
    findings = [finding("B12-DX-001", "B")]
    kept, _ = scoped(EXCEPTIONS, None, findings, {"A", "B"}, TODAY)
    # A's (named, even unused), the dx rule (matches B's finding), the expired one
    assert [e.reason for e in kept] == ["about A", "every encounter's dx rule", "expired"]


def test_baseline_entries_of_the_request_and_their_hashes() -> None:
    backlog = [finding("B12-UNITS-001", e) for e in ("A", "B", "C")]
    baseline = Baseline.of(backlog)
    hashed = Baseline.of(backlog, display_id=lambda i: f"ID-{i}")
    now = [finding("B12-UNITS-001", "B")]
    _, only = scoped([], baseline, now, {"A", "B"}, TODAY)
    assert only is not None
    assert sorted(e.encounter_id or "" for e in only.entries.values()) == ["A", "B"]
    _, only = scoped([], hashed, [], {"A"}, TODAY, hashed=lambda i: f"ID-{i}")
    assert only is not None and [e.encounter_id for e in only.entries.values()] == ["ID-A"]


def test_the_same_findings_are_suppressed_as_with_everything() -> None:
    findings = [
        finding("B12-UNITS-001", "A"),
        finding("B12-DX-001", "B"),
        finding("B12-UNITS-001", "B", "111", pointer="/lines/1"),
        finding("B12-MOD-001", "B", "999"),
    ]
    baseline = Baseline.of([finding("B12-UNITS-001", "B", "111", pointer="/lines/1")])
    report = Report(findings=findings, summary=Summary(), rulesets=[])
    everything, all_suppressed = suppress(report, exceptions=EXCEPTIONS, today=TODAY)
    everything, by_baseline = suppress(everything, baseline=baseline, today=TODAY)
    exceptions, only = scoped(EXCEPTIONS, baseline, findings, {"A", "B"}, TODAY)
    scoped_report, scoped_suppressed = suppress(report, exceptions=exceptions, today=TODAY)
    scoped_report, scoped_by_baseline = suppress(scoped_report, baseline=only, today=TODAY)
    assert scoped_report.findings == everything.findings
    assert scoped_suppressed + scoped_by_baseline == all_suppressed + by_baseline
    assert len(all_suppressed + by_baseline) == 4
    # what check would say of the backlog is not said of the request
    assert any("encounter Z" in n for n in everything.notes)
    assert not any("encounter Z" in n for n in scoped_report.notes)
