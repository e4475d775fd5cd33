"""The rule condition language: expressions compiled once into closures over an encounter view."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest

from b12lint.engine.compiler import (
    ENC,
    OPERATORS,
    REGEX_INPUT_LIMIT,
    Scope,
    compile_expr,
)
from b12lint.engine.datatable import DataTable, Version, freeze
from b12lint.engine.errors import RuleError
from b12lint.engine.functions import FUNCTIONS, Function
from b12lint.engine.view import EncounterView
from b12lint.model import validate_encounter

RECORD: dict[str, Any] = {
    "encounter_id": "E-1",
    "patient_id": "P-1",
    "date_of_service": "2026-03-02",
    "rendering_npi": "1234567893",
    "payer": {"id": "00952", "type": "medicare"},
    "diagnoses": ["D51.0", "E53.8", "R53.83"],
    "documentation": {
        "indication": "  pernicious anemia ",
        "indication_codes": [],
        "phase": " Maintenance ",
        "administrations": [
            {"drug": "cyanocobalamin", "dose": "1000 mcg", "route": "IM"},
            {"drug": "ondansetron", "dose": "4 mg", "route": "IV"},
        ],
    },
    "lines": [
        {"code": " j3420", "units": 2, "modifiers": ["jw "], "date": "2026-03-01"},
        {"code": "96372", "units": 1},
        {"code": "99213", "units": None},
    ],
}


def _table(name: str, values: Any) -> DataTable:
    version = Version(dt.date(1900, 1, 1), None, freeze(values), "test data")  # timeless
    return DataTable(name, "test table", "test data", (version,), "<test>")


DATA = {
    name: _table(name, values)
    for name, values in {
        "codes": {"admin": ["96372", "96374"], "nested": {"deep": 7}},
        "limits": [1, 2, 3],
        "mue": {"J3420": 1},
    }.items()
}


def env_for(record: dict[str, Any] | None = None) -> dict[str, Any]:
    view = EncounterView(validate_encounter(record or RECORD))
    return {ENC: view}


def ev(expr: Any, record: dict[str, Any] | None = None) -> Any:
    """Compile ``expr`` against the test data and evaluate it on the record."""
    return compile_expr(expr, Scope(DATA)).fn(env_for(record))


def compile_error(expr: Any, scope: Scope | None = None) -> RuleError:
    with pytest.raises(RuleError) as info:
        compile_expr(expr, scope or Scope(DATA))
    return info.value


# --------------------------------------------------------------------------- literals and paths


@pytest.mark.parametrize(
    ("expr", "expected"),
    [
        (5, 5),
        (2.5, 2.5),
        (True, True),
        (None, None),
        ("plain text", "plain text"),
        ("$$encounter_id", "$encounter_id"),
        ([1, "a", None], (1, "a", None)),
        (dt.date(2026, 1, 2), dt.date(2026, 1, 2)),
        ("__import__('os').system('true')", "__import__('os').system('true')"),
    ],
)
def test_literals_evaluate_to_themselves_and_nothing_is_evaluated_as_python(
    expr: Any, expected: Any
) -> None:
    compiled = compile_expr(expr, Scope(DATA))
    assert compiled.const
    assert compiled.fn({}) == expected


@pytest.mark.parametrize(
    ("path", "value", "pointer"),
    [
        ("$encounter_id", "E-1", "/encounter_id"),
        ("$date_of_service", dt.date(2026, 3, 2), "/date_of_service"),
        ("$payer.type", "medicare", "/payer/type"),
        ("$payer.name", None, "/payer/name"),
        ("$documentation.monitoring.plan", None, "/documentation/monitoring/plan"),
        ("$phase", "maintenance", "/documentation/phase"),
        ("$diagnosis_codes", ["D510", "E538", "R5383"], "/diagnoses"),
        ("$is_b12", True, ""),
    ],
)
def test_field_paths_read_values_and_know_their_json_pointer(
    path: str, value: Any, pointer: str
) -> None:
    compiled = compile_expr(path, Scope(DATA))
    env = env_for()
    assert compiled.fn(env) == value
    assert compiled.pointer is not None
    assert compiled.pointer(env) == pointer


def test_a_list_path_is_typed_with_its_element_type() -> None:
    compiled = compile_expr("$lines", Scope(DATA))
    assert (compiled.ty.kind, compiled.ty.of) == ("list", "Line")
    lines = compiled.fn(env_for())
    assert [line.code for line in lines] == ["J3420", "96372", "99213"]


def test_a_missing_intermediate_object_reads_as_unknown() -> None:
    record = {"encounter_id": "E", "date_of_service": "2026-03-02"}
    assert ev("$documentation.monitoring.plan", record) is None
    assert ev("$payer.type", record) is None


@pytest.mark.parametrize(
    ("path", "fragment"),
    [
        ("$nope", "unknown field 'nope' of Encounter"),
        ("$payer.nope", "unknown field 'nope' of Payer"),
        ("$line.units", "unknown field 'line' of Encounter"),
        ("$encounter_id.length", "cannot take field 'length' of a value"),
        ("$lines.code", "cannot take field 'code' of a list"),
        ("$a..b", "malformed field path"),
        ("$", "malformed field path"),
        ("$__class__", "unknown field '__class__'"),
    ],
)
def test_unknown_or_malformed_paths_fail_at_compile_time(path: str, fragment: str) -> None:
    assert fragment in str(compile_error(path))


# --------------------------------------------------------------------------- operators


def test_the_operators_are_those_documented_and_those_the_rule_schema_allows() -> None:
    import json
    import re
    from pathlib import Path

    from b12lint.engine import compiler

    match = re.search(r"an operator: ``([^`]+)``", compiler.__doc__ or "")
    assert match is not None
    documented = set(match.group(1).split())
    schema_path = Path(__file__).resolve().parents[2] / "schemas" / "rule.schema.json"
    schema = json.loads(schema_path.read_text(encoding="utf-8"))
    operator_branch = schema["$defs"]["expr"]["anyOf"][2]
    allowed = set(operator_branch["propertyNames"]["enum"])
    assert set(OPERATORS) == documented == allowed


@pytest.mark.parametrize(
    ("expr", "expected"),
    [
        ({"eq": ["$encounter_id", "E-1"]}, True),
        ({"eq": ["$encounter_id", "E-2"]}, False),
        ({"ne": ["$encounter_id", "E-2"]}, True),
        ({"eq": ["$payer.name", None]}, True),
        ({"lt": [1, 2]}, True),
        ({"lt": [2, 1]}, False),
        ({"le": [2, 2]}, True),
        ({"gt": [3, 2]}, True),
        ({"ge": [2, 3]}, False),
        ({"gt": ["$date_of_service", dt.date(2026, 3, 1)]}, True),
        ({"lt": ["$payer.name", 5]}, False),
        ({"gt": ["$payer.name", 5]}, False),
        ({"ge": [None, None]}, False),
        ({"lt": ["text", 5]}, False),
        ({"eq": [{"add": [1, 1]}, "$diagnoses"]}, False),
    ],
)
def test_comparisons_are_false_with_unknown_or_incomparable_values(
    expr: Any, expected: bool
) -> None:
    assert ev(expr) is expected


@pytest.mark.parametrize(
    ("expr", "expected"),
    [
        ({"in": ["$encounter_id", ["E-1", "E-2"]]}, True),
        ({"in": ["$encounter_id", ["E-2"]]}, False),
        ({"not_in": ["$encounter_id", ["E-2"]]}, True),
        ({"not_in": ["$encounter_id", ["E-1"]]}, False),
        ({"in": ["96372", {"data": "codes.admin"}]}, True),
        ({"in": ["D51.0", "$diagnoses"]}, True),
        ({"in": ["Z00", "$diagnoses"]}, False),
        ({"in": ["x", "$payer.name"]}, False),
        ({"not_in": ["x", "$payer.name"]}, True),
        ({"in": [["unhashable"], ["a", "b"]]}, False),
        ({"not_in": [["unhashable"], ["a", "b"]]}, True),
    ],
)
def test_membership(expr: Any, expected: bool) -> None:
    assert ev(expr) is expected


def test_membership_in_a_constant_scalar_is_refused() -> None:
    assert "must be a list" in str(compile_error({"in": ["$encounter_id", "E-1"]}))


@pytest.mark.parametrize(
    ("expr", "expected"),
    [
        ({"all": [True, True]}, True),
        ({"all": [True, False]}, False),
        ({"all": [True, True, 1]}, True),
        ({"all": [True, True, 0]}, False),
        ({"any": [False, None, "$encounter_id"]}, True),
        ({"any": [False, None]}, False),
        ({"not": "$payer.name"}, True),
        ({"not": {"eq": [1, 1]}}, False),
    ],
)
def test_boolean_operators(expr: Any, expected: bool) -> None:
    assert ev(expr) is expected


def test_all_and_any_short_circuit(monkeypatch: pytest.MonkeyPatch) -> None:
    calls: list[object] = []

    def probe(value: object) -> bool:
        calls.append(value)
        return True

    monkeypatch.setitem(FUNCTIONS, "probe", Function("probe", probe, 1, 1, ""))
    called = {"call": {"fn": "probe", "args": ["$encounter_id"]}}
    assert ev({"all": [False, called]}) is False
    assert ev({"all": [False, True, called]}) is False
    assert ev({"any": [True, called]}) is True
    assert calls == []
    assert ev({"all": [True, True, called]}) is True
    assert ev({"any": [False, called]}) is True
    assert calls == ["E-1", "E-1"]


@pytest.mark.parametrize("op", ["all", "any"])
@pytest.mark.parametrize("arg", [[], "x", {"eq": [1, 1]}])
def test_all_and_any_need_a_non_empty_list(op: str, arg: Any) -> None:
    assert "non-empty list" in str(compile_error({op: arg}))


@pytest.mark.parametrize(
    ("expr", "expected"),
    [
        ({"regex": ["$encounter_id", "^E-[0-9]$"]}, True),
        ({"regex": ["$encounter_id", "^X"]}, False),
        ({"regex": ["$payer.name", ".*"]}, False),
        ({"regex": [5, "5"]}, False),
    ],
)
def test_regex_searches_text_only(expr: Any, expected: bool) -> None:
    assert ev(expr) is expected


def test_regex_runs_on_a_bounded_prefix_of_hostile_input() -> None:
    long_text = "a" * REGEX_INPUT_LIMIT + "NEEDLE"
    record = dict(RECORD, documentation={"indication": long_text})
    assert ev({"regex": ["$documentation.indication", "a{10}"]}, record) is True
    assert ev({"regex": ["$documentation.indication", "NEEDLE"]}, record) is False


@pytest.mark.parametrize(
    ("arg", "fragment"),
    [
        (["$encounter_id", "(["], "invalid regular expression"),
        (["$encounter_id", 5], "regex takes [expression, 'pattern']"),
        (["$encounter_id"], "regex takes"),
        ("$encounter_id", "regex takes"),
    ],
)
def test_bad_regex_fails_at_compile_time(arg: Any, fragment: str) -> None:
    assert fragment in str(compile_error({"regex": arg}))


@pytest.mark.parametrize(
    ("path", "present"),
    [
        ("$encounter_id", True),
        ("$payer.name", False),
        ("$documentation.indication", True),
        ("$documentation.indication_codes", False),
        ("$diagnoses", True),
        ("$documentation.monitoring", False),
    ],
)
def test_exists_and_missing_treat_blank_and_empty_as_absent(path: str, present: bool) -> None:
    assert ev({"exists": path}) is present
    assert ev({"missing": path}) is (not present)


@pytest.mark.parametrize(
    ("value", "present"), [(0, True), (False, True), ("  ", False), ([], False)]
)
def test_exists_on_literals(value: Any, present: bool) -> None:
    assert ev({"exists": value}) is present


# --------------------------------------------------------------------------- iteration


def test_quantifiers_bind_each_item() -> None:
    assert ev({"some": {"of": "$lines", "as": "l", "where": {"eq": ["$l.code", "96372"]}}})
    assert not ev({"some": {"of": "$lines", "as": "l", "where": {"eq": ["$l.code", "X"]}}})
    assert ev({"none": {"of": "$lines", "as": "l", "where": {"eq": ["$l.code", "X"]}}})
    assert not ev({"every": {"of": "$lines", "as": "l", "where": {"exists": "$l.units"}}})
    assert ev({"every": {"of": "$lines", "as": "l", "where": {"exists": "$l.code"}}})


def test_quantifiers_over_empty_or_missing_collections() -> None:
    record = {"encounter_id": "E", "date_of_service": "2026-03-02"}
    assert ev({"some": {"of": "$lines", "as": "l", "where": True}}, record) is False
    assert ev({"every": {"of": "$lines", "as": "l", "where": False}}, record) is True
    assert ev({"none": {"of": "$diagnoses", "as": "d", "where": True}}, record) is True


def test_nested_quantifiers_see_the_outer_binding() -> None:
    # "a drug line with an administration line on the same date" (DESIGN.md)
    expr = {
        "some": {
            "of": "$lines",
            "as": "drug",
            "where": {
                "all": [
                    {"eq": ["$drug.code", "J3420"]},
                    {
                        "some": {
                            "of": "$lines",
                            "as": "adm",
                            "where": {
                                "all": [
                                    {"in": ["$adm.code", {"data": "codes.admin"}]},
                                    {"eq": ["$adm.service_date", "$drug.service_date"]},
                                ]
                            },
                        }
                    },
                ]
            },
        }
    }
    assert ev(expr) is False  # the J3420 line is dated 2026-03-01, the 96372 line 2026-03-02
    same_day = dict(RECORD, lines=[{"code": "J3420"}, {"code": "96374"}])
    assert ev(expr, same_day) is True


def test_count_sum_min_max_first() -> None:
    assert ev({"count": {"of": "$lines", "as": "l"}}) == 3
    assert ev({"count": {"of": "$lines", "as": "l", "where": {"gt": ["$l.units", 1]}}}) == 1
    assert ev({"count": {"of": "$diagnoses", "as": "d", "where": {"regex": ["$d", "^[DE]"]}}}) == 2
    two = {"of": "$lines", "as": "l", "where": {"exists": "$l.units"}, "value": "$l.units"}
    assert ev({"sum": two}) == 3
    assert ev({"min": two}) == 1
    assert ev({"max": two}) == 2
    first = ev({"first": {"of": "$diagnoses", "as": "d", "where": {"regex": ["$d", "^E"]}}})
    assert first == "E53.8"
    assert ev({"first": {"of": "$diagnoses", "as": "d", "where": {"eq": ["$d", "X"]}}}) is None


def test_an_unknown_term_makes_an_aggregate_unknown() -> None:
    every_line = {"of": "$lines", "as": "l", "value": "$l.units"}  # the 99213 line has no units
    assert ev({"sum": every_line}) is None
    assert ev({"max": every_line}) is None


def test_aggregates_of_nothing() -> None:
    nothing = {"of": "$lines", "as": "l", "where": False, "value": "$l.units"}
    assert ev({"sum": nothing}) == 0
    assert ev({"min": nothing}) is None
    assert ev({"max": nothing}) is None
    assert ev({"count": {"of": "$lines", "as": "l", "where": False}}) == 0


def test_first_keeps_the_element_type_for_later_paths() -> None:
    expr = {"first": {"of": "$lines", "as": "l", "where": {"eq": ["$l.code", "96372"]}}}
    compiled = compile_expr(expr, Scope(DATA))
    assert (compiled.ty.kind, compiled.ty.of) == ("object", "Line")
    line = compiled.fn(env_for())
    assert line.ptr == "/lines/1"


@pytest.mark.parametrize(
    ("expr", "fragment"),
    [
        ({"some": {"of": "$lines", "as": "l"}}, "some: missing key 'where'"),
        ({"some": {"of": "$lines", "where": True}}, "missing key 'as'"),
        ({"count": {"as": "l"}}, "missing key 'of'"),
        ({"some": {"of": "$lines", "as": "l", "where": True, "extra": 1}}, "unknown key(s) extra"),
        ({"count": {"of": "$lines", "as": "l", "value": 1}}, "unknown key(s) value"),
        ({"sum": {"of": "$lines", "as": "l"}}, "sum: missing key 'value'"),
        ({"some": "$lines"}, "takes a mapping"),
        ({"some": {"of": "$lines", "as": "lines", "where": True}}, "would hide the encounter"),
        ({"some": {"of": "$lines", "as": "Bad-Name", "where": True}}, "lower-case identifier"),
        (
            {
                "some": {
                    "of": "$lines",
                    "as": "l",
                    "where": {"some": {"of": "$lines", "as": "l", "where": True}},
                }
            },
            "already bound",
        ),
        ({"some": {"of": "$lines", "as": "l", "where": {"eq": ["$l.nope", 1]}}}, "'nope' of Line"),
    ],
)
def test_loop_errors(expr: Any, fragment: str) -> None:
    assert fragment in str(compile_error(expr))


def test_a_loop_variable_is_not_visible_outside_its_loop() -> None:
    expr = {
        "all": [
            {"some": {"of": "$lines", "as": "l", "where": True}},
            {"eq": ["$l.code", "J3420"]},
        ]
    }
    assert "unknown field 'l'" in str(compile_error(expr))


# --------------------------------------------------------------------------- values


def test_call_runs_a_named_function() -> None:
    assert ev({"call": {"fn": "len", "args": ["$diagnoses"]}}) == 3
    assert ev({"call": {"fn": "units_for", "args": [1500, 1000]}}) == 2
    assert ev({"call": {"fn": "round", "args": [2.456, 1]}}) == 2.5
    assert ev({"call": {"fn": "days_between", "args": ["$date_of_service", "$payer.name"]}}) is None


@pytest.mark.parametrize(
    ("arg", "fragment"),
    [
        ({"fn": "eval", "args": ["1"]}, "unknown function 'eval'"),
        ({"fn": "len", "args": [1, 2]}, "function len takes 1 argument(s), got 2"),
        ({"fn": "len", "args": []}, "function len takes 1 argument(s), got 0"),
        ({"fn": "round", "args": [1, 2, 3]}, "function round takes 1-2 argument(s), got 3"),
        ({"fn": "len", "args": "x"}, "args must be a list"),
        ({"fn": "len", "args": [1], "kwargs": {}}, "call takes a mapping"),
        ({"args": [1]}, "call takes a mapping"),
        ("len", "call takes a mapping"),
        ({"fn": ["len"], "args": [1]}, "unknown function"),
    ],
)
def test_call_errors(arg: Any, fragment: str) -> None:
    assert fragment in str(compile_error({"call": arg}))


def test_data_reads_pack_tables_at_compile_time() -> None:
    compiled = compile_expr({"data": "codes.nested.deep"}, Scope(DATA))
    assert compiled.const and compiled.value == 7
    assert ev({"data": "limits"}) == (1, 2, 3)
    assert ev({"data": "mue.J3420"}) == 1


@pytest.mark.parametrize(
    ("arg", "fragment"),
    [
        ("nope", "unknown data table 'nope' (this pack has: codes, limits, mue)"),
        ("codes.nope", "data 'codes.nope': no key 'nope'"),
        ("limits.first", "no key 'first'"),
        ("", "data takes a table name"),
        (["codes"], "data takes a table name"),
    ],
)
def test_data_errors(arg: Any, fragment: str) -> None:
    assert fragment in str(compile_error({"data": arg}))


def test_data_error_in_an_empty_pack_says_so() -> None:
    assert "this pack has: none" in str(compile_error({"data": "x"}, Scope({})))


@pytest.mark.parametrize(
    ("expr", "expected"),
    [
        ({"add": [1, 2]}, 3),
        ({"sub": [5, 2]}, 3),
        ({"mul": [4, 2.5]}, 10),
        ({"div": [3, 2]}, 1.5),
        ({"div": [3, 0]}, None),
        ({"add": [1, "$payer.name"]}, None),
        ({"add": [True, 1]}, None),
        ({"add": ["a", 1]}, None),
        ({"coalesce": ["$payer.name", "$payer.type", "x"]}, "medicare"),
        ({"coalesce": ["$payer.name", None]}, None),
    ],
)
def test_arithmetic_and_coalesce(expr: Any, expected: Any) -> None:
    assert ev(expr) == expected


@pytest.mark.parametrize(
    ("expr", "fragment"),
    [
        ({"add": [1]}, "add takes a list of 2 expressions"),
        ({"eq": [1, 2, 3]}, "eq takes a list of 2 expressions"),
        ({"lt": "x"}, "lt takes a list of 2"),
        ({"coalesce": []}, "coalesce takes a non-empty list"),
        ({"eq": [1, 1], "ne": [1, 2]}, "exactly one operator key, got: eq, ne"),
        ({}, "exactly one operator key"),
        ({"equals": [1, 1]}, "unknown operator 'equals'"),
        ({"__import__": "os"}, "unknown operator '__import__'"),
        (b"bytes", "unsupported expression of type bytes"),
    ],
)
def test_malformed_expressions(expr: Any, fragment: str) -> None:
    assert fragment in str(compile_error(expr))


def test_errors_name_the_key_path_inside_the_expression() -> None:
    expr = {"all": [True, {"any": [False, {"eq": ["$nope", 1]}]}]}
    assert compile_error(expr).where == "all[1].any[1].eq[0]"
    loop = {"some": {"of": "$lines", "as": "l", "where": {"not": {"regex": ["$l.code", "("]}}}}
    assert compile_error(loop).where == "some.where.not.regex"


def test_closures_hold_no_state_between_encounters() -> None:
    compiled = compile_expr(
        {"count": {"of": "$lines", "as": "l", "where": {"eq": ["$l.code", "J3420"]}}}, Scope(DATA)
    )
    two = dict(RECORD, lines=[{"code": "J3420"}, {"code": "J3420"}])
    assert compiled.fn(env_for(two)) == 2
    assert compiled.fn(env_for()) == 1
    assert compiled.fn(env_for(two)) == 2
