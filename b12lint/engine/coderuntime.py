"""The fixed vocabulary of generated rule code (:mod:`b12lint.engine.codegen`).

Generated source may name only these helpers, the constants and functions the generator
makes (``k_N``, ``t_N``, ``v_N``, ``q_N``, ``l_N``, ``r_N``) and Python keywords; it runs with
no builtins. Each helper is the closure evaluator's behaviour (:mod:`b12lint.engine.compiler`)
as a plain function: ``None`` is "unknown", comparisons with it are false, arithmetic
propagates it, a ``TypeError`` makes a test false rather than stopping the run.
"""

from __future__ import annotations

import datetime as dt
import operator
from collections.abc import Callable, Sequence
from typing import Any

from b12lint.engine.compiler import (
    _COMPARE,
    _UNSET,
    REGEX_INPUT_LIMIT,
    _is_present,
    aggregate,
    arithmetic,
)
from b12lint.engine.coverage import GAPS, Gap, note
from b12lint.engine.datatable import OUTSIDE

#: The types whose presence is their truth (``is_present`` of the closures).
COLLECTION_TYPES = frozenset({list, tuple, dict, set, frozenset})


def member(value: Any, values: Any) -> bool:
    """``in`` against a constant set (or tuple)."""
    try:
        return value in values
    except TypeError:
        return False


def not_member(value: Any, values: Any) -> bool:
    """``not_in`` against a constant set (or tuple)."""
    try:
        return value not in values
    except TypeError:
        return True


def member_dyn(value: Any, values: Any) -> bool:
    """``in`` against a computed collection (None: unknown, not a member)."""
    if values is None:
        return False
    try:
        return value in values
    except TypeError:
        return False


def not_member_dyn(value: Any, values: Any) -> bool:
    """``not_in`` against a computed collection."""
    if values is None:
        return True
    try:
        return value not in values
    except TypeError:
        return True


def regex(search: Callable[[str], bool], value: Any) -> bool:
    """``regex``: text only, at most :data:`REGEX_INPUT_LIMIT` characters of it."""
    if not isinstance(value, str):
        return False
    return search(value[:REGEX_INPUT_LIMIT])


def no_items(items: Any) -> bool:
    """Whether a loop's collection has nothing to iterate (text and mappings count as none)."""
    return not items or isinstance(items, str | dict)


def agg_sum(values: list[Any]) -> Any:
    """``sum`` of the matching values."""
    return aggregate("sum", values)


def agg_min(values: list[Any]) -> Any:
    """``min`` of the matching values."""
    return aggregate("min", values)


def agg_max(values: list[Any]) -> Any:
    """``max`` of the matching values."""
    return aggregate("max", values)


def distinct(values: Sequence[Any]) -> list[Any]:
    """``collect``: the distinct known values, in order."""
    out: list[Any] = []
    for got in values:
        if got is not None and got not in out:
            out.append(got)
    return out


def lookup_get(entries: Any, key: Any) -> Any:
    """``lookup``: the entry of a mapping for a key (None for an unhashable key)."""
    try:
        return entries.get(key)
    except TypeError:
        return None


def closure_call(
    fn: Callable[[dict[str, Any]], Any], env: dict[str, Any], pairs: tuple[tuple[str, Any], ...]
) -> Any:
    """A closure the generator does not translate, over the bindings in scope; the gaps it
    notes are noted in the rule's environment."""
    inner = dict(env)
    inner.update(pairs)
    try:
        return fn(inner)
    finally:
        for gap in inner.get(GAPS) or ():
            note(env, gap)


def unread(env: dict[str, Any], obj: Any, info: tuple[str, str, str]) -> None:
    """A derived fact that is None (as :func:`compiler._noting_unreadable`): when its charted
    value cannot be read, note why. ``info``: the reason attribute, what, the pointer tail."""
    reason, what, tail = info
    why = getattr(obj, reason, None)
    if why is not None:
        note(env, Gap(what, f"cannot be read: {why}", str(obj.ptr) + tail, True))
    return None


VOCABULARY: dict[str, Any] = {
    "UNSET": _UNSET,
    "OUTSIDE": OUTSIDE,
    "is_present": _is_present,
    "type_": type,
    "str_": str,
    "COLLECTION_TYPES": COLLECTION_TYPES,
    "SEQUENCE_TYPES": frozenset({list, tuple}),
    "NUMBER_TYPES": frozenset({int, float}),
    "lt": _COMPARE["lt"],
    "le": _COMPARE["le"],
    "gt": _COMPARE["gt"],
    "ge": _COMPARE["ge"],
    "member": member,
    "not_member": not_member,
    "member_dyn": member_dyn,
    "not_member_dyn": not_member_dyn,
    "regex": regex,
    "no_items": no_items,
    "agg_sum": agg_sum,
    "agg_min": agg_min,
    "agg_max": agg_max,
    "distinct": distinct,
    "lookup_get": lookup_get,
    "add": arithmetic(operator.add),
    "sub": arithmetic(operator.sub),
    "mul": arithmetic(operator.mul),
    "div": arithmetic(operator.truediv),
    "closure_call": closure_call,
    "unread": unread,
    "date_": dt.date,
    "enumerate": enumerate,
    "set": set,
    "Exception": Exception,
}
"""Every name generated code may use besides its own; the namespace it runs in."""
