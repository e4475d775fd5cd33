"""The domain functions' fast paths (exact types first, answers remembered per constant list)
give what their plain definitions give, on plain values and on every odd one."""

from __future__ import annotations

from collections import deque
from collections.abc import Iterable, Mapping
from typing import Any

import pytest

from b12lint.domain import compile_icd10_patterns, normalize_icd10
from b12lint.engine.functions import any_icd10_in, get, icd10_in, intersects
from b12lint.engine.regex import compile_regex


def _codes(patterns: Iterable[Any]) -> tuple[Any, ...]:
    return tuple(p.get("code") if isinstance(p, Mapping) else p for p in patterns)


def plain_icd10_in(code: object, patterns: object) -> bool:
    if not isinstance(code, str) or not isinstance(patterns, Iterable):
        return False
    return compile_icd10_patterns(_codes(patterns))(normalize_icd10(code))


def plain_any_icd10_in(codes: object, patterns: object) -> bool:
    if not isinstance(codes, Iterable) or isinstance(codes, str):
        return False
    if not isinstance(patterns, Iterable):
        return False
    matcher = compile_icd10_patterns(_codes(patterns))
    return any(isinstance(c, str) and matcher(normalize_icd10(c)) for c in codes)


def plain_intersects(left: object, right: object) -> bool:
    if not isinstance(left, Iterable) or not isinstance(right, Iterable):
        return False
    if isinstance(left, str) or isinstance(right, str):
        return False
    right_set = right if isinstance(right, frozenset | set) else set(right)
    return any(item in right_set for item in left)


PATTERNS: list[Any] = [
    ("D51", "E53.8"),
    ({"code": "D51.0", "category": "x"}, {"code": "K90"}),
    ["D51"],  # a list: matched every time, never remembered
    (),
    None,
    5,
]
CODES: list[Any] = [
    "D51.0",
    "d51.9",
    " D510 ",
    "E53.8",
    "E538",
    "E53.9",
    "K90.Z9",
    "",
    "X",
    7,
    None,
]


@pytest.mark.parametrize("patterns", PATTERNS, ids=repr)
def test_icd10_matching_is_the_plain_matching(patterns: Any) -> None:
    for _ in range(2):  # the second time from the remembered answers
        for code in CODES:
            assert icd10_in(code, patterns) == plain_icd10_in(code, patterns), code
        for codes in [CODES, tuple(CODES), ["E53.9"], [], "D51.0", None, 3, {"D51.0": 1}]:
            assert any_icd10_in(codes, patterns) == plain_any_icd10_in(codes, patterns), codes


def test_a_bad_pattern_list_still_raises() -> None:
    for _ in range(2):
        with pytest.raises(ValueError):
            icd10_in("D51.0", ("D51", "not a code!"))
        with pytest.raises(ValueError):
            any_icd10_in(["D51.0"], ("not a code!",))


VALUES: list[Any] = [
    ["a", "b"],
    ("b", "c"),
    {"c"},
    frozenset({"a"}),
    {"a": 1},
    "ab",
    None,
    3,
    [],
    deque(["a"]),  # iterable, not one of the exact types: the ABC checks decide
]


def test_intersects_is_the_plain_intersects() -> None:
    for left in VALUES:
        for right in VALUES:
            assert intersects(left, right) == plain_intersects(left, right), (left, right)


def test_get_reads_mappings_only() -> None:
    assert get({"a": 1}, "a") == 1
    assert get({"a": 1}, ["unhashable"]) is None
    assert get(["a"], 0) is None
    assert get(None, "a") is None


def test_a_regex_remembers_short_texts_only_as_it_answered() -> None:
    matches = compile_regex("^J[0-9]{4}$")
    long = "J" + "1" * 100
    for _ in range(2):
        assert matches("J3420") and not matches("96372") and not matches(long)
        assert not matches("J34201")
