"""One rule compiled: for_each, let, once_per, at (pointers), fix, effective window."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import Any

import pytest

from b12lint.engine.errors import RuleError
from b12lint.engine.functions import FUNCTIONS, Function
from b12lint.engine.rule import FAR_PAST, Rule, compile_rule
from b12lint.engine.view import EncounterView
from b12lint.model import validate_encounter

RuleDoc = Callable[..., dict[str, Any]]

RECORD: dict[str, Any] = {
    "encounter_id": "E-1",
    "date_of_service": "2026-03-02",
    "diagnoses": ["D51.0", "BAD", "E53.8", "BAD"],
    "documentation": {
        "administrations": [
            {"drug": "cyanocobalamin", "dose": "1000 mcg", "route": "IM"},
            {"drug": "cyanocobalamin", "dose": "500 mcg", "route": "PO"},
        ]
    },
    "lines": [
        {"code": "J3420", "units": 2, "date": "2026-03-02"},
        {"code": "J3420", "units": 1, "date": "2026-03-02"},
        {"code": "J3420", "units": 5, "date": "2026-03-03"},
        {"code": "96372", "units": 1},
    ],
}


def compile_doc(doc: dict[str, Any], data: dict[str, Any] | None = None) -> Rule:
    return compile_rule(doc, data or {}, "test-pack", "T-RULE-001.yaml")


def hits(rule: Rule, record: dict[str, Any] | None = None) -> list[Any]:
    return rule.evaluate(EncounterView(validate_encounter(record or RECORD)))


def test_a_rule_without_loop_reports_once_at_the_root(rule_doc: RuleDoc) -> None:
    rule = compile_doc(rule_doc(when={"exists": "$lines"}, message="{encounter_id} has lines"))
    (hit,) = hits(rule)
    assert (hit.pointer, hit.message, hit.has_fix) == ("", "E-1 has lines", False)
    assert hits(compile_doc(rule_doc(when={"missing": "$lines"}))) == []


def test_for_each_over_views_points_at_each_item(rule_doc: RuleDoc) -> None:
    rule = compile_doc(
        rule_doc(
            for_each={"of": "$lines", "as": "line"},
            when={"eq": ["$line.code", "J3420"]},
            message="line {line.number} bills {line.units} unit{line.units|s}",
        )
    )
    found = hits(rule)
    assert [h.pointer for h in found] == ["/lines/0", "/lines/1", "/lines/2"]
    assert [h.message for h in found] == [
        "line 1 bills 2 units",
        "line 2 bills 1 unit",
        "line 3 bills 5 units",
    ]


def test_for_each_over_plain_values_points_at_each_index(rule_doc: RuleDoc) -> None:
    rule = compile_doc(
        rule_doc(
            for_each={"of": "$diagnoses", "as": "dx"},
            when={"eq": ["$dx", "BAD"]},
            message="diagnosis {dx} is bad",
        )
    )
    assert [(h.pointer, h.message) for h in hits(rule)] == [
        ("/diagnoses/1", "diagnosis BAD is bad"),
        ("/diagnoses/3", "diagnosis BAD is bad"),
    ]


@pytest.mark.parametrize(
    ("of", "pointers"),
    [
        # normalised codes, pointed at in the record's own list
        ("$indication_codes", ["/documentation/indication_codes/1"]),
        # a literal list has no pointer: the finding is at the root
        (["D51.0", "E538"], [""]),
    ],
)
def test_for_each_item_pointer_follows_its_collection(
    rule_doc: RuleDoc, of: Any, pointers: list[str]
) -> None:
    rule = compile_doc(rule_doc(for_each={"of": of, "as": "code"}, when={"eq": ["$code", "E538"]}))
    record = RECORD | {"documentation": {"indication_codes": ["D51.0", "e53.8"]}}
    assert [h.pointer for h in hits(rule, record)] == pointers


def test_once_per_reports_the_first_item_of_each_key(rule_doc: RuleDoc) -> None:
    rule = compile_doc(
        rule_doc(
            for_each={"of": "$lines", "as": "line"},
            when={"eq": ["$line.code", "J3420"]},
            once_per="$line.service_date",
            at="$line.units",
        )
    )
    found = hits(rule)
    assert [h.pointer for h in found] == ["/lines/0/units", "/lines/2/units"]
    assert [h.subject for h in found] == ["2", "5"]


@pytest.mark.parametrize(
    ("at", "pointer"),
    [
        ("/documentation/phase", "/documentation/phase"),
        ("$documentation.monitoring.plan", "/documentation/monitoring/plan"),
        ("$line.code", "/lines/3/code"),
        ("$line.service_date", "/lines/3/date"),
        ("$line.ndc11", "/lines/3/ndc"),
    ],
)
def test_at_gives_the_pointer(rule_doc: RuleDoc, at: str, pointer: str) -> None:
    rule = compile_doc(
        rule_doc(
            for_each={"of": "$lines", "as": "line"}, when={"eq": ["$line.code", "96372"]}, at=at
        )
    )
    assert [h.pointer for h in hits(rule)] == [pointer]


def test_pointer_into_a_nested_value_list(rule_doc: RuleDoc) -> None:
    rule = compile_doc(
        rule_doc(
            for_each={"of": "$b12_administrations", "as": "adm"},
            when={"eq": ["$adm.route_code", "PO"]},
            at="$adm.route",
        )
    )
    assert [h.pointer for h in hits(rule)] == ["/documentation/administrations/1/route"]


def test_let_values_are_computed_lazily_and_per_item(
    rule_doc: RuleDoc, monkeypatch: pytest.MonkeyPatch
) -> None:
    calls: list[object] = []

    def probe(value: object) -> object:
        calls.append(value)
        return value

    monkeypatch.setitem(FUNCTIONS, "probe", Function("probe", probe, 1, 1, ""))
    rule = compile_doc(
        rule_doc(
            for_each={"of": "$lines", "as": "line"},
            let={"units": {"call": {"fn": "probe", "args": ["$line.units"]}}},
            when={
                "all": [
                    {"eq": ["$line.code", "J3420"]},
                    {"gt": ["$units", 1]},
                    {"gt": ["$units", 0]},
                ]
            },
            message="{units} units",
        )
    )
    assert [h.message for h in hits(rule)] == ["2 units", "5 units"]
    # evaluated once per J3420 line (not for the 96372 line, not again for the message)
    assert calls == [2, 1, 5]


def test_let_may_use_earlier_lets(rule_doc: RuleDoc) -> None:
    rule = compile_doc(
        rule_doc(
            let={
                "dose": {"sum": {"of": "$b12_administrations", "as": "a", "value": "$a.dose_mcg"}},
                "expected": {"call": {"fn": "units_for", "args": ["$dose", 1000]}},
            },
            when={"eq": ["$expected", 2]},
            message="{dose:,} mcg is {expected} units",
        )
    )
    assert [h.message for h in hits(rule)] == ["1,500 mcg is 2 units"]


def test_a_later_let_is_not_visible_to_an_earlier_one(rule_doc: RuleDoc) -> None:
    with pytest.raises(RuleError) as info:
        compile_doc(rule_doc(let={"a": "$b", "b": 1}))
    assert info.value.where.startswith("let.a")


def test_fix_is_reported_only_when_computable(rule_doc: RuleDoc) -> None:
    rule = compile_doc(
        rule_doc(
            for_each={"of": "$lines", "as": "line"},
            when={"eq": ["$line.code", "J3420"]},
            at="$line.units",
            fix={"value": {"call": {"fn": "within", "args": ["$line.units", 2]}}, "safe": False},
        )
    )
    found = hits(rule)
    assert [(h.has_fix, h.fix) for h in found] == [(True, 2), (True, 1), (False, None)]
    assert all(h.fix_safe is False for h in found)


def test_fix_defaults_to_safe(rule_doc: RuleDoc) -> None:
    rule = compile_doc(rule_doc(when=True, fix={"value": "x"}))
    (hit,) = hits(rule)
    assert (hit.has_fix, hit.fix, hit.fix_safe) == (True, "x", True)


def test_metadata_and_effective_window(rule_doc: RuleDoc) -> None:
    rule = compile_doc(
        rule_doc(
            effective={"from": "2026-03-01", "to": "2026-03-31"},
            rationale="  Why.\n",
            needs_chart=True,
        )
    )
    meta = rule.meta
    assert (meta.pack, meta.file, meta.rationale, meta.needs_chart) == (
        "test-pack",
        "T-RULE-001.yaml",
        "Why.",
        True,
    )
    assert not meta.applies_on(dt.date(2026, 2, 28))
    assert meta.applies_on(dt.date(2026, 3, 1))
    assert meta.applies_on(dt.date(2026, 3, 31))
    assert not meta.applies_on(dt.date(2026, 4, 1))


def test_open_ended_and_dated_yaml_values(rule_doc: RuleDoc) -> None:
    rule = compile_doc(rule_doc(effective={"from": dt.date(2024, 1, 1), "to": None}))
    assert rule.meta.effective_from == dt.date(2024, 1, 1)
    assert rule.meta.effective_to is None
    assert rule.meta.applies_on(dt.date(9999, 12, 31))
    assert not rule.meta.applies_on(FAR_PAST)


def test_with_severity_keeps_the_evaluator(rule_doc: RuleDoc) -> None:
    rule = compile_doc(rule_doc(when=True))
    quieter = rule.with_severity("info")
    assert quieter.meta.severity == "info" and rule.meta.severity == "error"
    assert quieter.evaluate is rule.evaluate
