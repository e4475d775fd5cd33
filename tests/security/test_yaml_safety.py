"""YAML is data only, on both loading paths of :func:`b12lint.safeyaml.load` (libyaml's C
loader with checks on its event stream, and the pure-Python loader), and for records
(:func:`b12lint.safeyaml.iter_items`): no tag runs code, aliases are budgeted by what they
expand to, keys are unique, nesting is bounded.
"""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml

from b12lint import safeyaml

ROOT = Path(__file__).resolve().parents[2]
BOMB = "a: &a [x, x, x, x, x, x, x, x, x]\n" + "".join(
    f"{c}: &{c} [{', '.join(['*' + p] * 9)}]\n" for p, c in zip("abcdefgh", "bcdefghi", strict=True)
)


@pytest.fixture(params=["libyaml", "python"])
def loader(request: pytest.FixtureRequest, monkeypatch: pytest.MonkeyPatch) -> str:
    if request.param == "libyaml":
        if safeyaml.C_LOADER is None:
            pytest.skip("PyYAML was built without libyaml here")
    else:
        monkeypatch.setattr(safeyaml, "C_LOADER", None)
    return str(request.param)


@pytest.mark.parametrize(
    ("text", "error"),
    [
        ("a: !!python/object/apply:os.system ['true']\n", yaml.constructor.ConstructorError),
        ("a: !!python/name:os.system\n", yaml.constructor.ConstructorError),
        ("a: 1\nb: 2\na: 3\n", safeyaml.DuplicateKeyError),
        ("a: {b: 1, b: 2}\n", safeyaml.DuplicateKeyError),
        (BOMB, safeyaml.YAMLBudgetError),
        ("a: &a [1, *a]\n", safeyaml.YAMLBudgetError),
        ("a: " + "[" * 150 + "]" * 150 + "\n", yaml.YAMLError),
        ("a: &a 1\n" + "".join(f"k{n}: *a\n" for n in range(101)), safeyaml.YAMLBudgetError),
    ],
    ids=[
        "python-object",
        "python-name",
        "duplicate",
        "nested-duplicate",
        "alias-bomb",
        "alias-cycle",
        "deep",
        "alias-count",
    ],
)
def test_load_refuses_what_is_not_plain_data(loader: str, text: str, error: type) -> None:
    with pytest.raises(error):
        safeyaml.load(text)


def test_load_keeps_plain_data_aliases_and_merge_keys(loader: str) -> None:
    text = "base: &base {a: 1, b: 2}\nmore:\n  <<: *base\n  b: 3\nsame: *base\n"
    assert safeyaml.load(text) == {
        "base": {"a": 1, "b": 2},
        "more": {"a": 1, "b": 3},
        "same": {"a": 1, "b": 2},
    }
    assert safeyaml.load("") is None


def test_both_loaders_read_the_builtin_rules_alike(monkeypatch: pytest.MonkeyPatch) -> None:
    if safeyaml.C_LOADER is None:
        pytest.skip("PyYAML was built without libyaml here")
    files = sorted((ROOT / "rules").rglob("*.yaml"))
    assert files
    fast = [safeyaml.load(p.read_text(encoding="utf-8")) for p in files]
    monkeypatch.setattr(safeyaml, "C_LOADER", None)
    assert [safeyaml.load(p.read_text(encoding="utf-8")) for p in files] == fast


def test_record_items_refuse_aliases_tags_and_duplicates_one_by_one() -> None:
    text = (
        "- {encounter_id: A}\n"
        "- &x {encounter_id: B}\n"
        "- *x\n"
        "- !!python/object/apply:os.system ['true']\n"
        "- {encounter_id: C, encounter_id: D}\n"
        "- " + "[" * 80 + "]" * 80 + "\n"
        "- {encounter_id: E}\n"
    )
    items = list(safeyaml.iter_items(text))
    assert [type(i).__name__ for i in items] == [
        "Item",
        "ItemError",
        "ItemError",
        "ItemError",
        "ItemError",
        "ItemError",
        "Item",
    ]
    assert [i.line for i in items] == [1, 2, 3, 4, 5, 6, 7]
    deep = items[5]
    assert isinstance(deep, safeyaml.ItemError) and deep.limit
