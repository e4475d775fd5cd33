"""Static guards: derived from the rule language, and never skip a rule that would fire."""

from __future__ import annotations

import copy
import importlib.util
import sys
from pathlib import Path
from typing import Any

import orjson
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from b12lint.engine import load_ruleset
from b12lint.engine.compiler import Scope
from b12lint.engine.guard import OTHER, FactReader, fact_keys, passes, rule_guard
from b12lint.engine.rule import claim_type_of
from b12lint.engine.ruleset import Ruleset
from b12lint.engine.selection import Selection
from b12lint.engine.view import EncounterView
from b12lint.model import StructureError, validate_encounter

ROOT = Path(__file__).resolve().parents[2]
SCOPE = Scope(data={})


def guard_of(when: Any, **extra: Any) -> Any:
    return rule_guard({"when": when, **extra}, SCOPE)


def test_line_code_tests_become_code_facts() -> None:
    guard = guard_of(
        {"all": [{"eq": ["$line.code", "96372"]}, {"exists": "$line.ndc"}]},
        for_each={"of": "$lines", "as": "line"},
    )
    assert guard is not None
    assert {f for c in guard for f in c} == {
        ("#", "lines"),
        ("=", "Line", "code", "96372"),
        ("=", "Line", "code", OTHER),
        ("?", "Line", "ndc", True),
    }


def test_any_is_a_disjunction_and_some_binds_its_collection() -> None:
    guard = guard_of(
        {
            "any": [
                {
                    "some": {
                        "of": "$b12_administrations",
                        "as": "a",
                        "where": {"eq": ["$a.route_code", "IV"]},
                    }
                },
                {"in": ["$phase", ["repletion", "loading"]]},
            ]
        }
    )
    assert guard is not None
    assert (
        frozenset({("#", "b12_administrations"), ("=", "Administration", "route_code", "IV")})
        in guard
    )
    assert frozenset({("=", "Encounter", "phase", "loading")}) in guard


@pytest.mark.parametrize(
    "when",
    [
        {"none": {"of": "$lines", "as": "x", "where": {"eq": ["$x.code", "J3420"]}}},
        {"every": {"of": "$lines", "as": "x", "where": {"eq": ["$x.code", "J3420"]}}},
        {"gt": ["$line.units", 1]},
        {"eq": ["$total", "x"]},  # a let value
        {"eq": ["$line.units", 1]},  # a number: eq 1 may hold for 1.0 or True
        {
            "any": [
                {"eq": ["$phase", "x"]},
                {"call": {"fn": "npi_valid", "args": ["$rendering_npi"]}},
            ]
        },
    ],
)
def test_what_says_nothing_gives_no_guard(when: Any) -> None:
    assert guard_of(when, let={"total": 1}, for_each={"of": "$diagnoses", "as": "line"}) is None


def test_a_value_that_is_not_text_passes_eq_guards() -> None:
    """`eq` compares with Python equality: an odd value keeps the rule."""
    guard = guard_of({"eq": ["$place_of_service", "11"]})
    reader = FactReader(fact_keys([guard]), SCOPE)
    view = EncounterView(validate_encounter({"encounter_id": "E", "date_of_service": "2026-03-02"}))
    assert not passes(guard, reader.facts(reader.signature(view)))
    view.raw["place_of_service"] = 11.0  # not text: cannot be ruled out by the guard
    assert passes(guard, reader.facts(reader.signature(view)))


@pytest.fixture(scope="module")
def core() -> Ruleset:
    return load_ruleset()


def test_most_builtin_rules_have_guards(core: Ruleset) -> None:
    guarded = [r for r in core.encounter_rules if r.guard is not None]
    assert len(guarded) >= len(core.encounter_rules) * 3 // 4


def _assert_sound(core: Ruleset, record: dict[str, Any], has_chart: bool = True) -> None:
    try:
        encounter = validate_encounter(record)
    except StructureError:
        return
    view = EncounterView(encounter, has_chart, not has_chart)
    selection = Selection(core.encounter_rules)
    claim_type = claim_type_of(encounter)
    date = encounter["date_of_service"]
    chosen = set(map(id, selection.rules_for(view, date, has_chart, claim_type)))
    reader = selection.reader  # the generated reading gives the per-key getters' facts
    assert reader.facts(reader.signature(view)) == reader.facts_of(reader.parts(view))
    for rule in core.encounter_rules:
        if id(rule) in chosen or not rule.meta.applies_on(date):
            continue
        if not rule.meta.applies_to(claim_type):
            continue  # applies_to: the rule does not judge this kind of claim
        if rule.meta.needs_chart and not has_chart:
            continue
        assert rule.evaluate(view) == [], f"{rule.meta.id} was skipped but fires"


def _generator() -> Any:
    spec = importlib.util.spec_from_file_location(
        "guard_bench_generate", ROOT / "bench/generate.py"
    )
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module
    spec.loader.exec_module(module)
    return module


def test_guards_are_sound_on_a_generated_batch(core: Ruleset) -> None:
    """Generated records (every rule's failing examples among them): a skipped rule never
    has a finding, with or without a chart."""
    for line in _generator().generate(1500, seed=11):
        try:
            record = orjson.loads(line)
        except orjson.JSONDecodeError:
            continue
        _assert_sound(core, record)
        _assert_sound(core, record, has_chart=False)


CODES = st.sampled_from(
    ["J3420", "J3425", "J3490", "96372", "96374", "99211", "99213", "G0008", " j3420 ", ""]
)
ROUTES = st.sampled_from(["IM", "SC", "IV", "nasal", "oral", "in the arm", None, 78421000, ""])
DRUGS = st.sampled_from(["cyanocobalamin", "hydroxocobalamin", "methylcobalamin", "B12", None, ""])


@settings(max_examples=300, deadline=None)
@given(
    codes=st.lists(CODES, max_size=4),
    mods=st.lists(st.sampled_from(["25", "JW", "JZ", "GA", "GZ", "59"]), max_size=2),
    routes=st.lists(ROUTES, max_size=2),
    drugs=st.lists(DRUGS, max_size=2),
    phase=st.sampled_from(["repletion", "maintenance", "loading", None, ""]),
    supplier=st.sampled_from(["clinic", "patient", "Patient ", None]),
    dose=st.sampled_from(["1000 mcg", "1 mg", "one vial", None, {"value": 1000, "unit": "mcg"}]),
    npi=st.sampled_from(["1234567893", "1234567890", None]),
    pos=st.sampled_from(["11", "22", None, ""]),
    ndc=st.sampled_from(["00517003101", "0517-0031-01", "517-31-25", None]),
    dx=st.lists(
        st.sampled_from(["D51.0", "E53.8", "R53.83", "D51", "K90.Z9", "C34.90"]), max_size=3
    ),
    indication=st.sampled_from(["pernicious anemia", "energy", "pemetrexed premedication", None]),
    has_chart=st.booleans(),
)
def test_guards_are_sound_on_random_records(
    core: Ruleset,
    codes: list[str],
    mods: list[str],
    routes: list[Any],
    drugs: list[Any],
    phase: Any,
    supplier: Any,
    dose: Any,
    npi: Any,
    pos: Any,
    ndc: Any,
    dx: list[str],
    indication: Any,
    has_chart: bool,
) -> None:
    lines = [
        {"code": code, "units": 1, "modifiers": list(mods), "dx_pointers": [1], "ndc": ndc}
        for code in codes
    ]
    admins = [
        {
            "drug": drug,
            "route": route,
            "dose": copy.deepcopy(dose),
            "supplied_by": supplier,
            "ndc": ndc,
        }
        for drug, route in zip(drugs, routes, strict=False)
    ]
    record = {
        "encounter_id": "E",
        "date_of_service": "2026-03-02",
        "rendering_npi": npi,
        "place_of_service": pos,
        "diagnoses": dx,
        "documentation": {"phase": phase, "indication": indication, "administrations": admins},
        "lines": lines,
    }
    _assert_sound(core, record, has_chart)


def test_generated_facts_are_the_getters_facts_on_every_rule_example(core: Ruleset) -> None:
    """The signature's one generated function (guardgen) and each key's own getter give the
    same facts on every example record of every built-in rule, with and without a chart."""
    reader = Selection(core.encounter_rules).reader
    seen = 0
    for rule in core.encounter_rules:
        examples = rule.meta.source.get("examples") or {}
        for record in [*examples.get("fail", []), *examples.get("pass", [])]:
            base = {"encounter_id": "E-1", "date_of_service": "2026-03-02", "patient_id": "P"}
            try:
                encounter = validate_encounter({**base, **record})
            except StructureError:
                continue
            for has_chart in (True, False):
                view = EncounterView(encounter, has_chart, not has_chart)
                assert reader.facts(reader.signature(view)) == reader.facts_of(reader.parts(view))
                seen += 1
    assert seen > 200


def test_generated_facts_source_names_only_its_vocabulary(core: Ruleset) -> None:
    import ast

    from b12lint.engine.view import TYPES

    reader = Selection(core.encounter_rules).reader
    allowed = {
        "view",
        "e",
        "u",
        "frozenset_",
        "type_",
        "str_",
        "bool_",
        "COLLECTION_TYPES",
        "is_present",
        "plain_other",
        "OTHER",
    }
    fields = {"raw", "get", "strip"} | {f for t in TYPES.values() for f in t}
    for node in ast.walk(ast.parse(reader.source)):
        if isinstance(node, ast.Name):
            assert node.id in allowed or node.id.startswith("t_"), node.id
        elif isinstance(node, ast.Attribute):
            assert node.attr in fields, node.attr
        assert not isinstance(node, ast.Import | ast.ImportFrom | ast.Lambda | ast.Global)


def test_facts_the_translation_does_not_know_are_read_by_their_getters(
    core: Ruleset, monkeypatch: pytest.MonkeyPatch
) -> None:
    import b12lint.engine.guardgen as guardgen

    def unknown(*args: Any) -> Any:
        raise AssertionError("a field the translation does not know")

    reader = Selection(core.encounter_rules).reader
    monkeypatch.setattr(guardgen, "generate", unknown)
    fallback = Selection(core.encounter_rules).reader
    assert fallback.source == "" and reader.source
    for line in _generator().generate(300, seed=5):
        try:
            encounter = validate_encounter(orjson.loads(line))
        except (orjson.JSONDecodeError, StructureError):
            continue
        view = EncounterView(encounter)
        want = reader.facts(reader.signature(view))
        assert fallback.facts(fallback.signature(view)) == want
