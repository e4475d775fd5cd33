"""Message templates: placeholders checked at load time, values rendered plainly."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest

from b12lint.engine.compiler import ENC, Scope, Ty
from b12lint.engine.errors import RuleError
from b12lint.engine.template import compile_template, render_value
from b12lint.engine.view import EncounterView
from b12lint.model import validate_encounter

RECORD = {
    "encounter_id": "E-7",
    "date_of_service": "2026-03-02",
    "diagnoses": ["D51.0", "E53.8"],
    "payer": {"name": "Medicare"},
    "lines": [{"code": "J3420", "units": 2}],
}


def render(template: str, **bindings: Any) -> str:
    scope = Scope({})
    for name in bindings:
        scope = scope.bind(name, Ty("value"))
    env: dict[str, Any] = {ENC: EncounterView(validate_encounter(RECORD)), **bindings}
    return compile_template(template, scope)(env)


@pytest.mark.parametrize(
    ("value", "spec", "expected"),
    [
        (None, "", "none"),
        (True, "", "yes"),
        (False, "", "no"),
        (2.0, "", "2"),
        (2.5, "", "2.5"),
        (1000, ",", "1,000"),
        (1500.0, ",", "1,500"),
        (2.456, ".1f", "2.5"),
        (1e20, "", "1e+20"),
        (dt.date(2026, 3, 2), "", "2026-03-02"),
        (["D51.0", "E53.8"], "", "D51.0, E53.8"),
        (("a", 1.0, None), "", "a, 1, none"),
        (frozenset({"b", "a", "c"}), "", "a, b, c"),
        ([], "", ""),
        ("text", ",", "text"),
        (5, "nonsense-spec", "5"),
    ],
)
def test_render_value(value: Any, spec: str, expected: str) -> None:
    assert render_value(value, spec) == expected


def test_placeholders_render_paths_with_specs_and_plurals() -> None:
    text = render(
        "{encounter_id}: {n} unit{n|s}, {m} unit{m|s}, {big:,} mcg, {ratio:.2f}; dx {diagnoses}",
        n=1,
        m=3,
        big=12000,
        ratio=0.5,
    )
    assert text == "E-7: 1 unit, 3 units, 12,000 mcg, 0.50; dx D51.0, E53.8"


def test_plural_of_unknown_and_zero_is_plural() -> None:
    assert render("{n} day{n|s}", n=0) == "0 days"
    assert render("{n} day{n|s}", n=None) == "none days"


def test_nested_paths_and_unknown_values() -> None:
    assert render("{payer.name} / {payer.type}") == "Medicare / none"


def test_doubled_braces_are_literal() -> None:
    assert render("{{encounter_id}} is {encounter_id} }}{{") == "{encounter_id} is E-7 }{"


def test_text_without_placeholders_is_unchanged() -> None:
    assert render("Plain message, 100% literal.") == "Plain message, 100% literal."


def test_whitespace_inside_a_placeholder_is_allowed() -> None:
    assert render("{ encounter_id }") == "E-7"


@pytest.mark.parametrize(
    ("template", "fragment"),
    [
        ("{nope}", "unknown field 'nope' of Encounter"),
        ("{payer.nope}", "unknown field 'nope' of Payer"),
        ("{encounter_id.__class__}", "cannot take field '__class__' of a value"),
        ("{encounter_id!r}", "bad placeholder {encounter_id!r}"),
        ("{0}", "bad placeholder {0}"),
        ("{}", "bad placeholder {}"),
        ("{encounter_id:>{width}}", "unbalanced brace"),
        ("{encounter_id[0]}", "bad placeholder"),
        ("{encounter_id|x}", "bad placeholder"),
        ("{Encounter_Id}", "bad placeholder"),
        ("units {", "unbalanced brace at offset 6"),
        ("units } here", "unbalanced brace at offset 6"),
    ],
)
def test_bad_templates_fail_at_compile_time(template: str, fragment: str) -> None:
    with pytest.raises(RuleError) as info:
        compile_template(template, Scope({}))
    assert fragment in str(info.value)


def test_rendering_runs_no_python_formatting_on_values() -> None:
    # A value that looks like a format string is rendered as text, never interpreted.
    assert render("{v}", v="{encounter_id} {0.__class__}") == "{encounter_id} {0.__class__}"
