"""The guards' facts of an encounter read by one generated function (engine v2's way).

:class:`guard.FactReader` computes, for every encounter, a signature: what the ruleset's
guards name, as a cache key of the rules to run. Read with a getter and a normaliser per fact
key, that was a few dozen Python calls an encounter, a fifth of the rules' own time. This
module writes one function instead: the encounter's facts inline, and one pass over each
collection (lines, administrations) giving a row per element (one value per fact key of that
element type); the signature holds the set of distinct rows. Its facts are those of the
per-key reading (the union of a column over the rows is the key's set of values), which
stays as the oracle (:meth:`FactReader.parts`; ``tests/engine/test_guard.py`` compares them
on generated batches and every rule example).

Safety as in :mod:`b12lint.engine.codegen`: the source names only the fixed names below,
``k_N`` constants and field names from the engine's field registry (:data:`view.TYPES`),
never text of a rule file.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any

from b12lint.engine.codegen import _step
from b12lint.engine.compiler import _is_present

FILENAME = "<b12lint generated guard facts>"


def _plain_other(value: Any, other: Any) -> Any:
    """``guard._plain`` for a value that is neither None nor exactly text or a boolean."""
    return value if isinstance(value, str | bool) else other


def _read(subject: str, owner: str, path: str) -> str:
    """The code reading ``path`` (dot-separated fields) of an ``owner`` value, None-safe
    after the first step (as :meth:`codegen._Generator.path` reads a rule path)."""
    code, maybe_none, ty_owner = subject, False, owner
    for index, name in enumerate(path.split(".")):
        step, ty = _step(ty_owner, name)
        if maybe_none:
            t = f"t_{index}"
            code = f"(None if ({t} := {code}) is None else {step(t)})"
        else:
            code = step(code)
        maybe_none = True
        ty_owner = "" if ty.kind != "object" or ty.of is None else ty.of
    return code


def _normalised(kind: str, code: str) -> str:
    """``code``'s value as the guard's facts keep it (``guard._NORMALIZE`` inline)."""
    if kind == "~":
        return f"(True if {code} else False)"
    if kind == "?":
        return (
            f"(False if (u := {code}) is None else ((True if u else False) "
            f"if type_(u) in COLLECTION_TYPES else ((True if u.strip() else False) "
            f"if type_(u) is str_ else is_present(u))))"
        )
    return (
        f"(u if (u := {code}) is None or type_(u) is str_ or type_(u) is bool_ "
        f"else plain_other(u, OTHER))"
    )


Layout = tuple[tuple[int, int], ...]
"""Per fact key: (-1, position of its value in the signature) for a fact of the encounter;
(position of its collection's rows, column) for a fact of an element."""


def generate(
    keys: Sequence[tuple[Any, ...]], widest: dict[str, str], other: Any
) -> tuple[Callable[[Any], tuple[Any, ...]], Layout, str]:
    """The signature function of a view for ``keys``, its layout and its source."""
    encounter: list[str] = []
    columns: dict[str, list[str]] = {}
    where: list[tuple[str, int]] = []
    for key in keys:
        if key[0] == "#":
            step, _ = _step("Encounter", key[1])
            encounter.append(f"(True if {step('view')} else False)")
            where.append(("", len(encounter) - 1))
            continue
        kind, owner, path = key
        if owner == "Encounter":
            encounter.append(_normalised(kind, _read("view", "Encounter", path)))
            where.append(("", len(encounter) - 1))
        else:
            column = columns.setdefault(owner, [])
            column.append(_normalised(kind, _read("e", owner, path)))
            where.append((owner, len(column) - 1))
    owners = list(columns)
    parts = list(encounter)
    for owner in owners:
        collection = _step("Encounter", widest[owner])[0]("view")
        row = "(" + "".join(f"{c}, " for c in columns[owner]) + ")"
        parts.append(f"frozenset_([{row} for e in {collection}])")
    layout = tuple(
        (-1, index) if owner == "" else (len(encounter) + owners.index(owner), index)
        for owner, index in where
    )
    body = "".join(f"        {p},\n" for p in parts)
    source = f"def signature(view):\n    return (\n{body}    )\n"
    namespace: dict[str, Any] = {
        "__builtins__": {},
        "frozenset_": frozenset,
        "type_": type,
        "str_": str,
        "bool_": bool,
        "COLLECTION_TYPES": frozenset({list, tuple, dict, set, frozenset}),
        "is_present": _is_present,
        "plain_other": _plain_other,
        "OTHER": other,
    }
    exec(compile(source, FILENAME, "exec", dont_inherit=True), namespace)  # noqa: S102 - names from the registry only
    fn: Callable[[Any], tuple[Any, ...]] = namespace["signature"]
    return fn, layout, source
