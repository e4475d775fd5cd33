"""Messages a coder can act on (issue 11, item 7), fixes that never assert a fact (item 4),
and findings on one line that never contradict each other.

A message must say what was found, what was expected and what to do, and must never propose a
diagnosis to add (a leading query): it asks for documentation instead. No fix ever adds GA, GZ,
GY, GX or 25: each asserts a fact of the record (a signed notice, a separate E/M service).
"""

from __future__ import annotations

import copy
import itertools
import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from coverage_claims import COVERED, NOT_COVERED, claim

import b12lint
from b12lint.domain import icd10_status
from b12lint.engine import Pack, Ruleset, combine, load_pack
from b12lint.engine.pack import builtin_pack_paths
from b12lint.engine.selftest import example_records
from b12lint.model import Finding
from b12lint.readers import read_inputs

ROOT = Path(__file__).resolve().parents[2]
ASSERTING_MODIFIERS = frozenset({"GA", "GZ", "GY", "GX", "25"})
#: The rule folders whose messages issue 11 item 7 rewrote: each says what to do.
ACTIONABLE = ("B12-IND-", "B12-DX-", "B12-MOD-", "B12-NDC-")
#: B12-IND-007's text matching (and message) belong to issue 11 item 3 (context-aware text).
NOT_YET = frozenset({"B12-IND-007"})

_ICD = r"[A-Z][0-9][0-9A-Z](?:\.[0-9A-Z]{1,4}|[0-9A-Z]{1,4})?"
_VERBS = (
    r"add|adding|code|coding|bill|billing|use|using|report|reporting|assign|assigning|append|"
    r"include|including|enter|select|choose|consider|try|list"
)
_NOUNS = r"(?:an?|the|diagnosis|dx|code|icd-10(?:-cm)?)\s+"
#: Wording that proposes a diagnosis code: "add D51.0", "code E53.8", "D51 -> D51.0",
#: "should be coded as K90.0", "consider adding diagnosis K90.0".
LEADING = (
    re.compile(rf"\b(?:{_VERBS})\s+(?:{_NOUNS})*(?P<code>{_ICD})\b", re.IGNORECASE),
    re.compile(rf"(?P<code>{_ICD})\s*(?:→|->|=>)\s*{_ICD}"),
    re.compile(
        rf"\b(?:should|must)\s+be\s+(?:coded|billed|reported)\s+(?:as|with)\s+(?P<code>{_ICD})",
        re.IGNORECASE,
    ),
)


def leading_query(text: str) -> str | None:
    """The wording of ``text`` that proposes an ICD-10-CM code, or None."""
    for pattern in LEADING:
        for match in pattern.finditer(text):
            if icd10_status(match.group("code").upper()) != "invalid":
                return match.group(0)
    return None


@pytest.mark.parametrize(
    "text",
    [
        "No covered diagnosis: add D51.0 to the claim",
        "Code E53.8 first",
        "consider adding diagnosis K90.0",
        "code to the highest specificity (e.g. D51 → D51.0)",
        "the neuropathy should be coded with E53.8",
        "List the diagnosis code d51.0 before G63",
    ],
)
def test_the_scan_finds_leading_wording(text: str) -> None:
    assert leading_query(text) is not None


@pytest.mark.parametrize(
    "text",
    [
        "G63 is a manifestation: code first the underlying condition the chart documents",
        "point this line to D51.0 as well, first",
        "ask the provider for documentation of the reason for the injection",
        "bill J3425 x 100 for 1,000 mcg of hydroxocobalamin",
        "report 1 ML (the fix)",
    ],
)
def test_the_scan_leaves_plain_wording_alone(text: str) -> None:
    assert leading_query(text) is None


@pytest.fixture(scope="module")
def packs() -> list[Pack]:
    return [load_pack(p) for p in builtin_pack_paths()]


def _rules(packs: list[Pack]) -> Iterator[tuple[Pack, Any]]:
    for pack in packs:
        for rule in pack.rules:
            yield pack, rule


def test_no_rule_template_proposes_a_diagnosis(packs: list[Pack]) -> None:
    bad = []
    for pack, rule in _rules(packs):
        for field in ("summary", "message"):
            text = " ".join(str(rule.meta.source.get(field, "")).split())
            found = leading_query(text)
            if found:
                bad.append((pack.name, rule.meta.id, field, found))
    assert bad == []


def test_actionable_rules_say_what_to_do(packs: list[Pack]) -> None:
    missing = []
    for _, rule in _rules(packs):
        meta = rule.meta
        if not meta.id.startswith(ACTIONABLE) or meta.severity == "info" or meta.id in NOT_YET:
            continue
        message = " ".join(str(meta.source.get("message", "")).split())
        if "To do:" not in message and "give it" not in message:
            missing.append(meta.id)
    assert missing == []


def _example_runs(packs: list[Pack]) -> Iterator[tuple[Ruleset, list[dict[str, Any]]]]:
    """Every example of every rule of every built-in pack, run through its whole pack."""
    for pack in packs:
        ruleset = combine([pack])
        for rule in pack.rules:
            for kind in ("fail", "pass"):
                for i, example in enumerate(rule.meta.examples.get(kind) or []):
                    tag = f"{rule.meta.id}-{kind}-{i}"
                    yield ruleset, example_records(example, rule.meta, tag)


@pytest.fixture(scope="module")
def all_findings(packs: list[Pack]) -> list[tuple[dict[str, Any], Finding]]:
    """(record, finding) for every example, realistic claim and sample claim."""
    out: list[tuple[dict[str, Any], Finding]] = []
    for ruleset, records in _example_runs(packs):
        by_id = {r["encounter_id"]: r for r in records}
        for finding in b12lint.lint(copy.deepcopy(records), ruleset):
            record = by_id.get(finding.encounter_id or "")
            if record is not None:
                out.append((record, finding))
    core = combine([p for p in packs if p.name == "b12-core"])
    realistic = [r for _, r in COVERED + NOT_COVERED]
    for finding in b12lint.lint(copy.deepcopy(realistic), core):
        out.extend((r, finding) for r in realistic if r["encounter_id"] == finding.encounter_id)
    samples = [
        item for item in read_inputs([str(ROOT / "sample_claims")]) if hasattr(item, "encounter")
    ]
    by_id = {item.encounter["encounter_id"]: item.encounter for item in samples}
    for finding in b12lint.lint(samples, core):
        if finding.encounter_id in by_id:
            out.append((by_id[finding.encounter_id], finding))
    return out


def test_no_rendered_message_proposes_a_diagnosis(
    all_findings: list[tuple[dict[str, Any], Finding]],
) -> None:
    assert len(all_findings) > 300
    bad = {
        (f.rule_id, leading_query(f.message)) for _, f in all_findings if leading_query(f.message)
    }
    assert bad == set()


def _at(record: Any, pointer: str) -> Any:
    value = record
    for part in pointer.split("/")[1:]:
        key = part.replace("~1", "/").replace("~0", "~")
        if isinstance(value, list):
            index = int(key)
            value = value[index] if index < len(value) else None
        elif isinstance(value, dict):
            value = value.get(key)
        else:
            return None
    return value


def _added(old: Any, new: Any) -> set[str]:
    new_items = new if isinstance(new, list | tuple) else [new]
    old_items = old if isinstance(old, list | tuple) else [old]
    return {str(v).upper() for v in new_items if v not in old_items}


def test_no_fix_ever_adds_an_asserting_modifier(
    all_findings: list[tuple[dict[str, Any], Finding]],
) -> None:
    fixes = [(r, f) for r, f in all_findings if f.fix is not None]
    assert len({f.rule_id for _, f in fixes}) >= 5  # the check ran over real fixes
    assert any(f.fix is not None and f.fix.pointer.endswith("/modifiers") for _, f in fixes)
    for record, finding in fixes:
        assert finding.fix is not None
        old = _at(record, finding.fix.pointer)
        assert not _added(old, finding.fix.value) & ASSERTING_MODIFIERS, finding


def _strings(node: Any) -> Iterator[str]:
    if isinstance(node, str):
        yield node
    elif isinstance(node, dict):
        for key, value in node.items():
            yield str(key)
            yield from _strings(value)
    elif isinstance(node, list | tuple):
        for value in node:
            yield from _strings(value)


def test_no_fix_expression_names_an_asserting_modifier(packs: list[Pack]) -> None:
    liability = ("modifiers.abn", "modifiers.medical", "modifiers.statutory", "modifiers.liab")
    for _, rule in _rules(packs):
        for text in _strings(rule.meta.source.get("fix")):
            assert text.upper() not in ASSERTING_MODIFIERS, rule.meta.id
            assert not text.startswith(liability), rule.meta.id


PAYERS: list[dict[str, str] | None] = [
    None,
    {"type": "medicare"},
    {"type": "medicare_advantage"},
    {"type": "Medicare Advantage"},
    {"type": "medicaid"},
    {"type": "commercial"},
]
LIABILITY = ("GA", "GZ", "GY", "GX")
#: Findings about a line's liability modifiers: at most one of them on any one line.
ONE_PER_LINE = {"B12-IND-004", "B12-IND-005", "B12-MOD-009", "B12-MOD-010"}


def _modifier_sets() -> list[list[str]]:
    return [list(c) for n in range(3) for c in itertools.combinations(LIABILITY, n)]


@pytest.mark.parametrize("diagnoses", [["R53.83"], ["D51.0"], ["G63"]])
@pytest.mark.parametrize("payer", PAYERS, ids=lambda p: (p or {}).get("type", "none"))
def test_liability_findings_never_contradict_each_other_on_a_line(
    payer: dict[str, str] | None, diagnoses: list[str]
) -> None:
    core = b12lint.load_ruleset()
    original = payer is None or payer["type"] == "medicare"
    covered = diagnoses == ["D51.0"]
    for mods in _modifier_sets():
        record = claim("L-1", diagnoses, "see assessment")
        record["payer"] = payer
        for line in record["lines"]:
            line["modifiers"] = list(mods)
        findings = list(b12lint.lint([record], core))
        per_line: dict[str, set[str]] = {}
        for f in findings:
            if f.rule_id in ONE_PER_LINE:
                per_line.setdefault(f.location.pointer, set()).add(f.rule_id)
        assert all(len(ids) == 1 for ids in per_line.values()), (mods, per_line)
        rules = {f.rule_id for f in findings}
        if not original:  # no ABN logic outside Original Medicare
            assert not rules & ONE_PER_LINE - {"B12-MOD-010"}, (payer, mods, rules)
            if not covered:
                assert rules & {"B12-IND-002", "B12-IND-008"}, (payer, mods, rules)
        if covered:
            assert not rules & {"B12-IND-002", "B12-IND-004", "B12-IND-005", "B12-IND-008"}
        if original and not covered and not mods:
            assert rules & {"B12-IND-002", "B12-IND-008"}
        if original and set(mods) & {"GY", "GX"}:
            assert "B12-MOD-009" in rules
