"""Selecting rules: --select/--ignore by id, id prefix, category or name; typos are errors."""

from __future__ import annotations

from typing import Any

import pytest

from b12lint.engine import Ruleset, SelectionError
from b12lint.model import CATEGORIES


def ids(ruleset: Ruleset) -> set[str]:
    return {r.meta.id for r in ruleset.rules}


def test_the_builtin_ruleset(core_ruleset: Ruleset) -> None:
    rule_ids = [r.meta.id for r in core_ruleset.rules]
    assert rule_ids == sorted(rule_ids)
    assert len(rule_ids) == len(set(rule_ids))
    assert "B12-UNITS-001" in rule_ids
    assert set(core_ruleset.by_id) == set(rule_ids)
    kinds = {r.meta.kind for r in core_ruleset.rules}
    split = [r.meta.id for r in (*core_ruleset.encounter_rules, *core_ruleset.history_rules)]
    assert sorted(split) == rule_ids
    assert kinds == {"encounter", "history"}
    assert core_ruleset.info() == [
        {"name": "b12-core", "version": "2026.11", "rules": len(rule_ids)}
    ]


def test_no_selection_keeps_everything(core_ruleset: Ruleset) -> None:
    assert ids(core_ruleset.select()) == ids(core_ruleset)
    assert ids(core_ruleset.select([], [])) == ids(core_ruleset)


@pytest.mark.parametrize(
    ("token", "expected"),
    [
        ("B12-UNITS-001", {"B12-UNITS-001"}),
        ("b12-units-001", {"B12-UNITS-001"}),
        (" B12-UNITS-001 ", {"B12-UNITS-001"}),
        ("j3420-units-match-dose", {"B12-UNITS-001"}),
    ],
)
def test_select_one_rule(core_ruleset: Ruleset, token: str, expected: set[str]) -> None:
    assert ids(core_ruleset.select([token])) == expected


def test_select_by_prefix(core_ruleset: Ruleset) -> None:
    expected = {i for i in ids(core_ruleset) if i.startswith("B12-UNITS-")}
    assert len(expected) >= 2
    assert ids(core_ruleset.select(["B12-UNITS"])) == expected
    assert ids(core_ruleset.select(["b12-units"])) == expected
    assert ids(core_ruleset.select(["B12"])) == ids(core_ruleset)


def test_a_prefix_matches_whole_segments_only(core_ruleset: Ruleset) -> None:
    with pytest.raises(SelectionError, match="B12-UNIT"):
        core_ruleset.select(["B12-UNIT"])
    with pytest.raises(SelectionError):
        core_ruleset.select(["B12-UNITS-00"])


def test_select_by_category(core_ruleset: Ruleset) -> None:
    for category in {r.meta.category for r in core_ruleset.rules}:
        expected = {r.meta.id for r in core_ruleset.rules if r.meta.category == category}
        assert ids(core_ruleset.select([category])) == expected


def test_select_all(core_ruleset: Ruleset) -> None:
    assert ids(core_ruleset.select(["ALL"])) == ids(core_ruleset)
    assert ids(core_ruleset.select(["all"], ["units"])) == {
        r.meta.id for r in core_ruleset.rules if r.meta.category != "units"
    }


def test_several_tokens_are_a_union(core_ruleset: Ruleset) -> None:
    chosen = ids(core_ruleset.select(["B12-UNITS-001", "frequency", "B12-NDC"]))
    expected = {"B12-UNITS-001"} | {
        r.meta.id
        for r in core_ruleset.rules
        if r.meta.category == "frequency" or r.meta.id.startswith("B12-NDC-")
    }
    assert chosen == expected


def test_ignore_wins_over_select(core_ruleset: Ruleset) -> None:
    units = {r.meta.id for r in core_ruleset.rules if r.meta.category == "units"}
    assert ids(core_ruleset.select(["units"], ["B12-UNITS-001"])) == units - {"B12-UNITS-001"}
    assert ids(core_ruleset.select(None, ["units"])) == ids(core_ruleset) - units
    assert ids(core_ruleset.select(["B12-UNITS-001"], ["units"])) == set()


def test_categories_match_in_any_case(core_ruleset: Ruleset) -> None:
    upper = core_ruleset.select(["UNITS"])
    assert upper.rules and {r.meta.category for r in upper.rules} == {"units"}


@pytest.mark.parametrize(
    ("select", "ignore"),
    [
        (["B12-NOPE-001"], []),
        ([], ["B12-NOPE-001"]),
        (["billing"], []),
        (["input"], []),  # input findings come from the engine, not from a selectable rule
        (["B12-UNITS-001", "typo"], []),
        (["j3420-units-match-dose-typo"], []),
    ],
)
def test_an_unknown_token_is_an_error(
    core_ruleset: Ruleset, select: list[str], ignore: list[str]
) -> None:
    with pytest.raises(SelectionError) as info:
        core_ruleset.select(select, ignore)
    bad = [t for t in [*select, *ignore] if t != "B12-UNITS-001"]
    assert repr(bad[0]) in str(info.value)


def test_every_category_word_is_known(core_ruleset: Ruleset) -> None:
    used = {r.meta.category for r in core_ruleset.rules}
    assert used <= set(CATEGORIES) - {"input"}


def test_severity_overrides(core_ruleset: Ruleset) -> None:
    chosen = core_ruleset.select(
        severity={"B12-UNITS-001": "info", "frequency": "off", "B12-NDC": "warning"}
    )
    by_id = chosen.by_id
    assert by_id["B12-UNITS-001"].meta.severity == "info"
    assert not any(r.meta.category == "frequency" for r in chosen.rules)
    assert {r.meta.severity for r in chosen.rules if r.meta.id.startswith("B12-NDC-")} == {
        "warning"
    }
    # the original ruleset is not changed
    assert core_ruleset.by_id["B12-UNITS-001"].meta.severity == "error"
    assert any(r.meta.category == "frequency" for r in core_ruleset.rules)


def test_severity_override_of_an_unknown_token(core_ruleset: Ruleset) -> None:
    with pytest.raises(SelectionError):
        core_ruleset.select(severity={"B12-NOPE": "info"})


def test_info_counts_only_active_rules(core_ruleset: Ruleset) -> None:
    chosen = core_ruleset.select(["units"])
    info: list[dict[str, Any]] = chosen.info()
    assert info == [{"name": "b12-core", "version": "2026.11", "rules": len(chosen.rules)}]
    assert len(chosen.rules) < len(core_ruleset.rules)


def test_selection_keeps_kinds_apart(core_ruleset: Ruleset) -> None:
    chosen = core_ruleset.select(["frequency"])
    assert chosen.history_rules
    assert all(r.meta.kind == "history" for r in chosen.history_rules)
    assert all(r.meta.kind == "encounter" for r in chosen.encounter_rules)
