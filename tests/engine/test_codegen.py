"""Engine v2: generated rule code computes exactly what the closures compute, names only its
fixed vocabulary, keeps hostile rule text as data, and points failures at the rule's YAML."""

from __future__ import annotations

import ast
import datetime as dt
import re
import traceback
from pathlib import Path
from typing import Any

import pytest

from b12lint.engine import codegen, compiler
from b12lint.engine.codegen import FILENAME, expression, generate, with_generated
from b12lint.engine.coderuntime import VOCABULARY
from b12lint.engine.compiler import Compiled, Scope, compile_expr
from b12lint.engine.datatable import DataTable, Version, freeze
from b12lint.engine.functions import FUNCTIONS, Function
from b12lint.engine.history import Event
from b12lint.engine.pack import load_pack
from b12lint.engine.rule import compile_rule
from b12lint.engine.view import TYPES, EncounterView
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
        "indication_codes": ["D51.0"],
        "phase": " Maintenance ",
        "labs": [{"test": "B12", "value": 150, "unit": "pg/mL", "date": "2026-02-01"}],
        "administrations": [
            {"drug": "cyanocobalamin", "dose": "1000 mcg", "route": "IM", "ndc": "0517-0031-25"},
            {"drug": "ondansetron", "dose": "4 mg", "route": "IV"},
        ],
    },
    "lines": [
        {"code": " j3420", "units": 2, "modifiers": ["jw "], "date": "2026-03-01"},
        {"code": "96372", "units": 1, "dx_pointers": [1, 9]},
        {"code": "99213", "units": None, "charge": 0},
    ],
}
RECORDS: list[dict[str, Any]] = [
    RECORD,
    {"encounter_id": "E-2", "date_of_service": "2026-03-02"},
    {
        "encounter_id": "E-3",
        "date_of_service": "2019-05-05",
        "diagnoses": [],
        "documentation": {"phase": "", "administrations": [{"drug": "hydroxocobalamin"}]},
        "lines": [{"code": "J3420", "units": 0.5}, {"code": "J3420", "units": 3}],
    },
]


def _table(name: str, *versions: tuple[dt.date, dt.date | None, Any]) -> DataTable:
    made = tuple(Version(a, b, freeze(v), "test data") for a, b, v in versions)
    return DataTable(name, "test table", "test data", made, "<test>")


EARLY = dt.date(1900, 1, 1)
DATA = {
    "codes": _table("codes", (EARLY, None, {"admin": ["96372", "96374"], "deep": {"x": 7}})),
    "limits": _table("limits", (EARLY, None, [1, 2, 3])),
    "mue": _table(
        "mue",
        (dt.date(2020, 1, 1), dt.date(2025, 12, 31), {"J3420": {"units": 1, "note": "old"}}),
        (dt.date(2026, 1, 1), None, {"J3420": {"units": 2, "note": "new"}}),
    ),
    "rows": _table(
        "rows", (dt.date(2020, 1, 1), None, [{"code": "J3420", "max": 1}, {"code": "X"}])
    ),
}

#: Expressions covering every operator, with unknown values, mixed types and empty collections.
CASES: list[Any] = [
    5,
    "text",
    "$$encounter_id",
    [1, "a", None],
    ["$encounter_id", 2],
    dt.date(2026, 1, 2),
    "$payer.type",
    "$documentation.monitoring.plan",
    "$documentation.labs",
    "$phase",
    "$lines",
    {"all": [{"exists": "$lines"}, {"eq": ["$payer.type", "medicare"]}]},
    {"all": ["$encounter_id", 0]},
    {"any": [{"missing": "$payer"}, "$diagnosis_codes"]},
    {"any": [0, ""]},
    {"not": "$phase"},
    {"eq": ["$payer.id", "00952"]},
    {"ne": ["$phase", None]},
    {"lt": ["$date_of_service", dt.date(2026, 1, 1)]},
    {"le": ["$payer.id", 5]},
    {"gt": [{"count": {"of": "$lines", "as": "l"}}, 2]},
    {"ge": ["$encounter_id", "$patient_id"]},
    {"in": ["$payer.type", ["medicare", "medicaid"]]},
    {"in": ["$diagnosis_codes", ["D510"]]},
    {"not_in": ["$phase", ["maintenance", None]]},
    {"in": ["J3420", "$line_codes"]},
    {"not_in": ["96372", {"data": "codes.admin"}]},
    {"in": ["$encounter_id", "$patient_id"]},
    {"in": [1, "$encounter_id"]},
    {"regex": ["$documentation.indication", "(?i)perni"]},
    {"regex": ["$lines", "x"]},
    {"exists": "$documentation.indication_codes"},
    {"missing": "$rendering_npi"},
    {"exists": ""},
    {"some": {"of": "$lines", "as": "l", "where": {"eq": ["$l.code", "J3420"]}}},
    {"none": {"of": "$lines", "as": "l", "where": {"in": ["JW", "$l.modifiers"]}}},
    {"every": {"of": "$administrations", "as": "a", "where": "$a.is_b12"}},
    {"every": {"of": "$b12_drug_lines", "as": "l", "where": {"gt": ["$l.units", 0]}}},
    {"some": {"of": {"data": "limits"}, "as": "n", "where": {"eq": ["$n", 2]}}},
    {"some": {"of": "$encounter_id", "as": "c", "where": True}},
    {
        "some": {
            "of": "$lines",
            "as": "l",
            "where": {
                "some": {
                    "of": "$administrations",
                    "as": "a",
                    "where": {"all": ["$a.is_b12", {"eq": ["$l.code", "J3420"]}]},
                }
            },
        }
    },
    {"count": {"of": "$lines", "as": "l", "where": {"exists": "$l.units"}}},
    {"count": {"of": "$diagnoses", "as": "d"}},
    {"sum": {"of": "$lines", "as": "l", "value": "$l.units"}},
    {"sum": {"of": "$lines", "as": "l", "where": {"exists": "$l.units"}, "value": "$l.units"}},
    {"min": {"of": "$lines", "as": "l", "where": {"exists": "$l.units"}, "value": "$l.units"}},
    {"max": {"of": "$lines", "as": "l", "value": "$l.code"}},
    {"max": {"of": "$administrations", "as": "a", "value": "$a.dose_mcg"}},
    {"first": {"of": "$lines", "as": "l", "where": {"eq": ["$l.code", "96372"]}}},
    {"first": {"of": "$lines", "as": "l"}},
    {"collect": {"of": "$lines", "as": "l", "value": "$l.code"}},
    {"collect": {"of": "$lines", "as": "l", "where": {"exists": "$l.units"}}},
    {"collect": {"of": "$documentation.labs", "as": "x", "value": "$x.unit"}},
    {"call": {"fn": "lower", "args": ["$payer.type"]}},
    {"call": {"fn": "icd10_in", "args": ["$diagnoses", ["D51"]]}},
    {"call": {"fn": "days_between", "args": ["$date_of_service", dt.date(2026, 1, 1)]}},
    {"data": "codes.admin"},
    {"data": "codes.deep.x"},
    {"data": "mue"},
    {"lookup": ["mue", "J3420"]},
    {"lookup": ["mue", "$lines"]},
    {"lookup": ["codes", "deep"]},
    {"some": {"of": {"data": "rows"}, "as": "r", "where": {"eq": ["$r.code", "J3420"]}}},
    {"collect": {"of": {"data": "rows"}, "as": "r", "value": "$r.max"}},
    {"add": ["$lines", 1]},
    {"add": [{"count": {"of": "$lines", "as": "l"}}, 1.5]},
    {"sub": ["$date_of_service", "$date_of_service"]},
    {"mul": [True, 2]},
    {"mul": ["ab", 3]},
    {"div": [1, 0]},
    {"div": [10, {"count": {"of": "$lines", "as": "l"}}]},
    {"coalesce": ["$payer.name", "$payer.id", "none"]},
    {"coalesce": ["$payer.name", "$documentation.monitoring.plan"]},
    {"eq": [{"first": {"of": "$lines", "as": "l"}}, None]},
]


def _ops(node: Any, out: set[str]) -> set[str]:
    if isinstance(node, dict):
        for key, value in node.items():
            out.add(key)
            _ops(value, out)
    elif isinstance(node, list):
        for value in node:
            _ops(value, out)
    return out


def test_every_operator_has_a_translation_and_a_differential_case() -> None:
    assert set(compiler.OPERATORS) <= set(codegen.OPERATORS)
    used = set().union(*(_ops(case, set()) for case in CASES))
    operators = set(compiler.OPERATORS)
    assert sorted(operators - used) == []


@pytest.mark.parametrize("case", CASES, ids=[str(i) for i in range(len(CASES))])
def test_generated_expressions_compute_what_the_closures_compute(case: Any) -> None:
    closure = compile_expr(case, Scope(DATA)).fn
    generated = expression(case, Scope(DATA))
    for record in RECORDS:
        view = EncounterView(validate_encounter(record))
        env = {compiler.ENC: view, compiler.DOS: view.raw["date_of_service"]}
        want, got = closure(env), generated(view)
        assert (type(got), got) == (type(want), want), record["encounter_id"]


# --------------------------------------------------------------------------- whole rules


def _rule(**changes: Any) -> dict[str, Any]:
    doc: dict[str, Any] = {
        "id": "T-GEN-001",
        "name": "generated",
        "severity": "error",
        "category": "units",
        "summary": "s",
        "message": "encounter {encounter_id}",
        "rationale": "r",
        "references": [{"title": "t"}],
        "effective": {"from": "2000-01-01"},
        "when": True,
    }
    doc.update(changes)
    return doc


RULES: list[dict[str, Any]] = [
    _rule(when={"eq": ["$payer.type", "medicare"]}),
    _rule(
        for_each={"of": "$lines", "as": "line"},
        let={"units": "$line.units", "cap": {"lookup": ["mue", "$line.code"]}},
        when={"gt": ["$units", {"coalesce": ["$cap.units", 0]}]},
        message="line {line.number}: {units} over {cap.units} ({cap.note})",
        at="$line.units",
    ),
    _rule(
        for_each={"of": "$lines", "as": "line"},
        once_per="$line.code",
        when={"exists": "$line.code"},
        message="{line.code} billed",
    ),
    _rule(
        for_each={"of": "$diagnosis_codes", "as": "code"},
        let={"n": {"count": {"of": "$lines", "as": "l"}}, "upper": {"mul": ["$n", 2]}},
        when={"all": [{"regex": ["$code", "^[DE]"]}, {"gt": ["$upper", 1]}]},
        message="{code} with {n} line{n|s}",
    ),
    _rule(
        for_each={"of": "$b12_drug_lines", "as": "line"},
        let={
            "alt": {
                "first": {"of": "$lines", "as": "l", "where": {"ne": ["$l.code", "$line.code"]}}
            }
        },
        when={"missing": "$line.ndc"},
        fix={"value": {"coalesce": ["$alt.code", "x"]}, "safe": False},
        at="$line.ndc",
        message="no NDC on {line.code} (next {alt.code})",
    ),
]


@pytest.mark.parametrize("doc", RULES, ids=[str(i) for i in range(len(RULES))])
def test_generated_rules_give_the_closures_hits(doc: dict[str, Any]) -> None:
    rule = compile_rule(doc, DATA, "test", "<test>")
    (generated,), _ = with_generated([rule])
    for record in RECORDS:
        view = EncounterView(validate_encounter(record))
        assert generated.evaluate(view) == rule.evaluate(view), record["encounter_id"]
    assert any(rule.evaluate(EncounterView(validate_encounter(r))) for r in RECORDS)


# --------------------------------------------------------------------------- gaps

#: Records at dates the dated test tables do not cover (mue from 2020, rows from 2020), and
#: before ICD-10-CM; with and without lines; a dose that cannot be read.
GAP_RECORDS: list[dict[str, Any]] = [
    *RECORDS,
    {"encounter_id": "E-4", "date_of_service": "2012-01-01"},
    {
        "encounter_id": "E-5",
        "date_of_service": "2012-01-01",
        "diagnoses": ["D51.0"],
        "lines": [{"code": "J3420", "units": 2}, {"code": "96372", "units": 1}],
        "documentation": {
            "administrations": [
                {"drug": "cyanocobalamin", "dose": "a lot", "route": "IM"},
                {"drug": "cyanocobalamin", "dose": "1000 mcg", "route": "IM"},
                {"drug": "cyanocobalamin", "dose": "1 vial", "route": "IM"},
            ]
        },
    },
    {
        "encounter_id": "E-7",
        "date_of_service": "2012-01-01",
        "lines": [{"code": "96372", "units": 1}, {"code": "J3420", "units": 1}],
    },
    {
        "encounter_id": "E-6",
        "date_of_service": "2012-01-01",
        "lines": [],
        "documentation": {"administrations": []},
    },
]

GAP_RULES: list[dict[str, Any]] = [
    # dated data inside a loop over possibly no lines: noted only when a line is looked at
    _rule(
        when={
            "some": {
                "of": "$lines",
                "as": "l",
                "where": {"gt": ["$l.units", {"coalesce": [{"lookup": ["mue", "$l.code"]}, 9]}]},
            }
        }
    ),
    # a let of dated data read only inside a loop (never forced by the loop's call)
    _rule(
        let={"rows": {"data": "rows"}},
        when={
            "some": {
                "of": "$lines",
                "as": "l",
                "where": {
                    "in": ["$l.code", {"collect": {"of": "$rows", "as": "r", "value": "$r.code"}}]
                },
            }
        },
    ),
    # a dated domain function: the ICD-10-CM release on the date of service
    _rule(
        for_each={"of": "$diagnosis_codes", "as": "code"},
        when={"ne": [{"call": {"fn": "icd10_status", "args": ["$code"]}}, "billable"]},
        message="{code}",
    ),
    # an unreadable dose, item by item
    _rule(
        for_each={"of": "$b12_administrations", "as": "a"},
        when={"gt": ["$a.dose_mcg", 999]},
        message="dose {a.dose_mcg}",
    ),
    # a once_per key that reads dated data (through a let the condition does not read)
    _rule(
        for_each={"of": "$lines", "as": "line"},
        let={"cap": {"lookup": ["mue", "$line.code"]}},
        once_per={"coalesce": ["$cap.note", "$line.code"]},
        when={"exists": "$line.code"},
        message="{line.code}",
    ),
    # a let computed first by the message of one item and read by the condition of the next
    _rule(
        for_each={"of": "$lines", "as": "line"},
        let={"cap": {"lookup": ["mue", "J3420"]}},
        when={"any": [{"eq": ["$line.code", "J3420"]}, {"exists": "$cap"}]},
        message="{line.code} {cap.units}",
    ),
]


@pytest.mark.parametrize("doc", GAP_RULES, ids=[str(i) for i in range(len(GAP_RULES))])
def test_generated_rules_note_the_closures_gaps(doc: dict[str, Any]) -> None:
    """Gaps are noted where the closures note them (not when a loop has nothing to look at),
    and the rule ends as the closures end: the same hits and "not checked" infos."""
    rule = compile_rule(doc, DATA, "test", "<test>")
    (generated,), _ = with_generated([rule])
    assert generated.evaluate is not rule.evaluate
    infos = 0
    for record in GAP_RECORDS:
        view = EncounterView(validate_encounter(record))
        want = rule.evaluate(view)
        assert generated.evaluate(view) == want, record["encounter_id"]
        infos += sum(h.severity == "info" for h in want)
    assert infos > 0, "the rule reports a gap somewhere"
    clean = EncounterView(validate_encounter(GAP_RECORDS[-1]))  # 2012, nothing to look at
    assert generated.evaluate(clean) == rule.evaluate(clean)
    assert not [h for h in rule.evaluate(clean) if h.severity == "info"]


def test_a_gap_is_not_noted_when_a_loop_looks_at_nothing() -> None:
    """The dated value a loop reads is computed in the loop, not passed in computed: an
    encounter with no lines on an uncovered date is judged (no "not checked")."""
    rule = compile_rule(GAP_RULES[1], DATA, "test", "<test>")
    (generated,), _ = with_generated([rule])
    empty = EncounterView(validate_encounter(GAP_RECORDS[-1]))
    lines = EncounterView(validate_encounter(GAP_RECORDS[-2]))
    assert generated.evaluate(empty) == []
    (info,) = generated.evaluate(lines)
    assert info.severity == "info" and "'rows' has no version" in info.message


def test_generated_history_rules_give_the_closures_hits() -> None:
    doc = _rule(
        kind="history",
        let={"gap": {"call": {"fn": "days_between", "args": ["$previous.date", "$date"]}}},
        when={
            "all": [
                {"exists": "$previous"},
                {"lt": ["$gap", 20]},
                {"some": {"of": "$earlier", "as": "e", "where": {"eq": ["$e.phase", "$phase"]}}},
            ]
        },
        message="{gap} days after {previous.encounter_id}",
    )
    rule = compile_rule(doc, DATA, "test", "<test>")
    (generated,), _ = with_generated([rule])

    def event(n: int, day: int, phase: str | None) -> Event:
        date = dt.date(2026, 3, day)
        return Event(
            f"E{n}", "P", date, phase, frozenset({"J3420"}), ("cyanocobalamin",), 1000.0, True
        )

    first, second, third = (
        event(1, 1, "maintenance"),
        event(2, 10, "maintenance"),
        event(3, 28, None),
    )
    second.previous, second.earlier = first, [first]
    third.previous, third.earlier = second, [second, first]
    for each in (first, second, third):
        assert generated.evaluate(each) == rule.evaluate(each)
    assert [h.message for h in generated.evaluate(second)] == ["9 days after E1"]


def test_an_operator_without_a_translation_runs_its_closure(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """A new operator (another issue's) works in generated code before it is translated."""

    def twice(arg: Any, scope: Scope) -> Compiled:
        inner = compile_expr(arg, scope).fn
        return Compiled(lambda env: (inner(env), inner(env)), compiler.VALUE)

    monkeypatch.setitem(compiler.OPERATORS, "twice", twice)
    doc = _rule(
        for_each={"of": "$lines", "as": "line"},
        when={"eq": [{"twice": "$line.code"}, ["96372", "96372"]]},
    )
    rule = compile_rule(doc, DATA, "test", "<test>")
    (generated,), made = with_generated([rule])
    assert "closure_call(" in made.source
    view = EncounterView(validate_encounter(RECORD))
    hits = generated.evaluate(view)
    assert [h.pointer for h in hits] == ["/lines/1"]
    assert hits == rule.evaluate(view)


# --------------------------------------------------------------------------- safety

HOSTILE = [
    "__import__('os').system('touch /tmp/b12lint-pwned')",
    "'); import os; os.system('id'); ('",
    '"""\nimport os\n"""',
    "\\'; raise SystemExit #",
    "{0.__class__.__mro__}",
    "%(x)s {x!r} {{}}",
    "line1\nline2\r\n\x00",
    "\\",
    "'",
    "k_0",
    "subject.raw",
]
_MADE = re.compile(r"[dktvqlr]_\d+")
_LOCALS = {
    "subject",
    "env",
    "items",
    "hits",
    "seen",
    "hit",
    "i",
    "n",
    "out",
    "error",
    "fail",
    "RULES",
}
_ATTRIBUTES = {"raw", "get", "append", "date", "strip"} | {f for t in TYPES.values() for f in t}


def _hostile_pack(make_pack: Any, make_table: Any) -> Path:
    rules = [
        _rule(
            id=f"T-EVIL-{i:03d}",
            when={
                "any": [
                    {"eq": ["$patient_id", text]},
                    {"in": ["$payer.name", [text, "x"]]},
                    {"eq": [{"lookup": ["evil", "$patient_id"]}, text]},
                    {"eq": ["$payer.id", f"$${text}"]},
                    {"regex": ["$payer.name", "'\\\"\\); import os #"]},
                ]
            },
            message=f"{text.replace('{', '{{').replace('}', '}}')} for {{patient_id}}",
            let={"evil_name": text},
            examples={"fail": [{"patient_id": text}], "pass": [{"patient_id": "ok"}]},
        )
        for i, text in enumerate(HOSTILE)
    ]
    return make_pack("hostile", rules, data={"evil": make_table({t: t for t in HOSTILE})})


def test_hostile_rule_text_stays_data(make_pack: Any, make_table: Any) -> None:
    pack = load_pack(_hostile_pack(make_pack, make_table))
    assert pack.generated is not None
    tree = ast.parse(pack.generated.source)
    strings: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Name):
            assert node.id in VOCABULARY or node.id in _LOCALS or _MADE.fullmatch(node.id), node.id
            assert node.id != "RULES" or isinstance(node.ctx, ast.Store)
        elif isinstance(node, ast.Attribute):
            assert node.attr in _ATTRIBUTES, node.attr
        elif isinstance(node, ast.Constant) and isinstance(node.value, str):
            strings.add(node.value)
        elif isinstance(node, ast.FunctionDef):
            assert _MADE.fullmatch(node.name), node.name
        assert not isinstance(node, ast.Import | ast.ImportFrom | ast.Global | ast.Lambda)
    # every hostile text is in the source only as a string constant, intact
    assert set(HOSTILE) <= strings
    assert "__import__" not in {n.id for n in ast.walk(tree) if isinstance(n, ast.Name)}
    for i, text in enumerate(HOSTILE):
        rule = pack.rules[i]
        bad = EncounterView(validate_encounter({**RECORD, "patient_id": text}))
        good = EncounterView(validate_encounter(RECORD))
        hits = rule.evaluate(bad)
        assert hits == rule.oracle(bad) and len(hits) == 1
        assert rule.evaluate(good) == rule.oracle(good) == []
    assert not Path("/tmp/b12lint-pwned").exists()


def test_generated_code_runs_without_builtins(make_pack: Any, make_table: Any) -> None:
    pack = load_pack(_hostile_pack(make_pack, make_table))
    # the generated function itself (a rule that may say "not checked" runs its closures)
    fn = generate(pack.rules).evaluators[0]
    assert fn.__globals__["__builtins__"] == {}
    assert "open" not in fn.__globals__ and "__import__" not in fn.__globals__


# --------------------------------------------------------------------------- failures


def test_a_failure_names_the_rule_and_its_yaml_key_path(
    make_pack: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    def boom(value: object) -> bool:
        """Fails."""
        raise ZeroDivisionError("boom")

    monkeypatch.setitem(FUNCTIONS, "boom", Function("boom", boom, 1, 1, "Fails."))
    doc = _rule(
        id="T-BOOM-001",
        for_each={"of": "$lines", "as": "line"},
        when={"all": [{"exists": "$line.code"}, {"call": {"fn": "boom", "args": ["$line.code"]}}]},
        examples={"fail": [{"patient_id": "A"}], "pass": [{"patient_id": "B"}]},
    )
    pack = load_pack(make_pack("boom", [doc]))
    view = EncounterView(validate_encounter(RECORD))
    with pytest.raises(ZeroDivisionError) as info:
        pack.rules[0].evaluate(view)
    notes = getattr(info.value, "__notes__", [])
    assert any(
        "T-BOOM-001" in n and "T-BOOM-001.yaml" in n and "when.all[1].call" in n for n in notes
    ), notes
    frames = [f for f in traceback.extract_tb(info.value.__traceback__) if f.filename == FILENAME]
    assert frames and {f.name for f in frames} == {"T-BOOM-001"}
    text = "".join(traceback.format_exception(info.value))
    assert "k_" not in text and "subject" not in text  # no generated line is shown
    with pytest.raises(ZeroDivisionError):  # the closures fail alike (no note)
        pack.rules[0].oracle(view)
