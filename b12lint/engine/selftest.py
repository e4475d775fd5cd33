"""Run every rule's own examples (``b12lint test``): failing ones must trigger it, passing ones
must not. An example is a native record (``encounter_id`` and ``date_of_service`` may be left
out) or ``{records: [...]}`` for rules across encounters; ``x-expect`` states more about the
finding a failing example must produce: ``count``, ``pointer``, ``fix``, ``message``
(a substring), ``encounter_id``, ``severity`` (after the pack's overrides; ``info`` for an
example the rule cannot check, e.g. a date no version of its data covers: a rule that is not
itself ``info`` must otherwise report more than that). A passing example must produce no
finding of the rule at all, not even a "not checked" one. ``x-chart`` says
what chart the input carried for the record: ``present`` (the default), ``absent`` (a bare
claim, e.g. an 837P read without a chart) or ``missing`` (a chart was given but holds nothing
for this encounter). A pack that extends another may replace an inherited rule's examples
(``examples/<RULE-ID>.yaml``) when its data changes what the rule reports.
"""

from __future__ import annotations

import copy
import datetime as dt
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any

from b12lint.engine.linter import Linter
from b12lint.engine.pack import Pack
from b12lint.engine.rule import Rule, RuleMeta
from b12lint.engine.ruleset import Ruleset
from b12lint.model import Finding, InputError, Record, Source, StructureError, validate_encounter

DEFAULT_DATE = dt.date(2026, 3, 2)
EXPECT_KEY = "x-expect"
CHART_KEY = "x-chart"
#: ``x-chart`` value → (has_chart, chart_missing) of the example's Record.
CHART_STATES = {"present": (True, False), "absent": (False, False), "missing": (False, True)}


@dataclass(frozen=True)
class ExampleResult:
    """The outcome of one example."""

    rule_id: str
    kind: str
    index: int
    ok: bool
    problem: str = ""

    @property
    def label(self) -> str:
        """``RULE fail[0]``."""
        return f"{self.rule_id} {self.kind}[{self.index}]"


def example_date(meta: RuleMeta) -> dt.date:
    """A date of service inside the rule's effective window."""
    date = max(DEFAULT_DATE, meta.effective_from)
    if meta.effective_to is not None and date > meta.effective_to:
        date = meta.effective_to
    return date


def example_records(example: Mapping[str, Any], meta: RuleMeta, tag: str) -> list[dict[str, Any]]:
    """The records of one example, with defaults filled in."""
    raw = example.get("records") if "records" in example else [example]
    records = []
    for i, rec in enumerate(raw or []):
        record = copy.deepcopy(dict(rec))
        record.pop(EXPECT_KEY, None)
        record.setdefault("encounter_id", f"{tag}-{i + 1}")
        record.setdefault("date_of_service", example_date(meta).isoformat())
        records.append(record)
    return records


def _items(records: Iterable[dict[str, Any]], tag: str) -> Iterable[Record | InputError]:
    for i, record in enumerate(records):
        source = Source(f"<{tag}>", i + 1)
        state = record.get(CHART_KEY, "present")
        if state not in CHART_STATES:
            choices = ", ".join(CHART_STATES)
            yield InputError(source, f"invalid example record: {CHART_KEY} is not one of {choices}")
            continue
        has_chart, chart_missing = CHART_STATES[state]
        try:
            encounter = validate_encounter(record)
        except StructureError as exc:
            yield InputError(source, f"invalid example record: {exc}", exc.pointer)
            continue
        yield Record(encounter, source, has_chart=has_chart, chart_missing=chart_missing)


def findings_for(rule: Rule, pack: Pack, records: list[dict[str, Any]], tag: str) -> list[Finding]:
    """Findings of one rule alone on the example records."""
    linter = Linter(Ruleset((pack,), (rule,)))
    out: list[Finding] = []
    for item in _items(records, tag):
        out.extend(linter.check(item))
    out.extend(linter.finish())
    return out


def _check_expect(expect: Mapping[str, Any], found: list[Finding]) -> str:
    if "count" in expect and len(found) != expect["count"]:
        return f"expected {expect['count']} finding(s), got {len(found)}"
    first = found[0]
    if "pointer" in expect and first.location.pointer != expect["pointer"]:
        return f"expected pointer {expect['pointer']!r}, got {first.location.pointer!r}"
    if "fix" in expect:
        got = first.fix.value if first.fix is not None else None
        if got != expect["fix"]:
            return f"expected fix {expect['fix']!r}, got {got!r}"
    if "message" in expect and expect["message"] not in first.message:
        return f"expected message containing {expect['message']!r}, got {first.message!r}"
    if "encounter_id" in expect and first.encounter_id != expect["encounter_id"]:
        return f"expected encounter {expect['encounter_id']!r}, got {first.encounter_id!r}"
    if "severity" in expect and first.severity != expect["severity"]:
        return f"expected severity {expect['severity']!r}, got {first.severity!r}"
    return ""


def run_rule_examples(rule: Rule, pack: Pack) -> list[ExampleResult]:
    """Run one rule's examples."""
    results: list[ExampleResult] = []
    meta = rule.meta
    for kind in ("fail", "pass"):
        for index, example in enumerate(meta.examples.get(kind) or []):
            tag = f"{meta.id}:{kind}[{index}]"
            found_all = findings_for(rule, pack, example_records(example, meta, tag), tag)
            inputs = [f for f in found_all if f.category == "input"]
            found = [f for f in found_all if f.rule_id == meta.id]
            problem = ""
            if inputs:
                problem = f"example is not a valid record: {inputs[0].message}"
            elif kind == "fail" and not found:
                problem = "failing example did not trigger the rule"
            elif kind == "pass" and found:
                problem = f"passing example triggered the rule: {found[0].message}"
            elif kind == "fail":
                expect = example.get(EXPECT_KEY) or {}
                problem = _check_expect(expect, found)
                judged = [f for f in found if f.severity == meta.severity]
                if not problem and not judged and expect.get("severity") != "info":
                    problem = f"failing example was not checked: {found[0].message}"
            results.append(ExampleResult(meta.id, kind, index, not problem, problem))
    return results


def run_pack_examples(pack: Pack) -> list[ExampleResult]:
    """Run the examples of every rule in a pack (inherited rules included)."""
    results: list[ExampleResult] = []
    for rule in pack.rules:
        results.extend(run_rule_examples(rule, pack))
    return results
