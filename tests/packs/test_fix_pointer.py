"""RFC 6901 JSON Pointers as b12lint fix applies them."""

from __future__ import annotations

from typing import Any

import pytest

from b12lint.fix.pointer import PointerError, get_pointer, parse_pointer, set_pointer


def doc() -> dict[str, Any]:
    return {"lines": [{"units": 2, "modifiers": []}, {"code": "96372"}], "a/b": {"m~n": 1}}


@pytest.mark.parametrize(
    ("pointer", "parts"),
    [
        ("", []),
        ("/", [""]),
        ("/lines/0/units", ["lines", "0", "units"]),
        ("/a~1b/m~0n", ["a/b", "m~n"]),
    ],
)
def test_parse(pointer: str, parts: list[str]) -> None:
    assert parse_pointer(pointer) == parts


@pytest.mark.parametrize("pointer", ["lines", "/a~2", "/a~"])
def test_parse_rejects_malformed(pointer: str) -> None:
    with pytest.raises(PointerError):
        parse_pointer(pointer)


def test_get() -> None:
    d = doc()
    assert get_pointer(d, "/lines/0/units") == 2
    assert get_pointer(d, "/a~1b/m~0n") == 1
    assert get_pointer(d, "") is d
    assert get_pointer(d, "/lines/5", None) is None
    with pytest.raises(PointerError, match="index 5 is past the end"):
        get_pointer(d, "/lines/5")
    with pytest.raises(PointerError, match="no key 'nope'"):
        get_pointer(d, "/nope")
    with pytest.raises(PointerError, match="not an array index"):
        get_pointer(d, "/lines/01")
    with pytest.raises(PointerError, match="cannot descend"):
        get_pointer(d, "/lines/0/units/x")


def test_set_replaces_adds_and_appends() -> None:
    d = doc()
    set_pointer(d, "/lines/0/units", 1)
    set_pointer(d, "/lines/1/modifiers", ["25"])  # a missing key of an object is added
    set_pointer(d, "/lines/0/modifiers/-", "JZ")  # '-' appends
    set_pointer(d, "/lines/0/modifiers/1", "GA")  # index == length appends too
    assert d["lines"][0] == {"units": 1, "modifiers": ["JZ", "GA"]}
    assert d["lines"][1] == {"code": "96372", "modifiers": ["25"]}
    assert set_pointer(d, "", {"x": 1}) == {"x": 1}


@pytest.mark.parametrize(
    "pointer", ["/lines/3/units", "/nope/units", "/lines/0/units/x", "/lines/9", "/lines/x"]
)
def test_set_never_creates_parents(pointer: str) -> None:
    d = doc()
    with pytest.raises(PointerError):
        set_pointer(d, pointer, 1)
    assert d == doc()
