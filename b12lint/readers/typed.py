"""A fast typed conversion of a parsed JSON record, with pydantic as the oracle.

``msgspec.convert`` checks a parsed record against the Structs of
:mod:`b12lint.readers.msgspec_record` in C, and ``to_builtins`` turns the result back into
plain dicts: for every record both accept, exactly the dicts
:func:`b12lint.model.validate_encounter` returns (declared fields only, in declaration order,
``null`` kept, integers of number fields as floats, dates as ``datetime.date``). msgspec stops
at its first problem and words it its own way, so a record it refuses is validated again by
pydantic, which writes every input error: the fast path only ever accepts. Without msgspec
(a pure install) :func:`fast_encounter` returns None and pydantic validates everything.
``tests/readers/test_read_differential.py`` holds the two validators to this.
"""

from __future__ import annotations

import datetime as dt
import math
from collections.abc import Callable
from functools import cache
from typing import Any, cast

from b12lint.model import EncounterDict

__all__ = ["Convert", "available", "converter", "fast_encounter", "json_values"]

_DATES = (dt.date,)
#: The integers a JSON parser here gives as integers (orjson: 64 bits, signed or not).
_INT_MIN, _UINT_MAX = -(2**63), 2**64 - 1
#: Set False to validate with pydantic alone (tests and benchmarks of the pure fallback).
ENABLED = True

#: A record's validated dicts where msgspec accepts it, else None.
Convert = Callable[[Any], EncounterDict | None]


@cache
def _converter() -> Convert | None:
    """The msgspec conversion, built on first use; None without msgspec."""
    try:
        import msgspec

        from b12lint.readers.msgspec_record import Encounter
    except ImportError:
        return None
    convert, to_builtins, refused = msgspec.convert, msgspec.to_builtins, msgspec.ValidationError

    def run(obj: Any) -> EncounterDict | None:
        if type(obj) is not dict:
            return None
        try:
            typed = convert(obj, Encounter)
        except refused:
            return None
        return cast(EncounterDict, to_builtins(typed, builtin_types=_DATES))

    return run


def converter() -> Convert | None:
    """The fast conversion (see the module), or None: validate with pydantic.

    ``obj`` must come from a JSON parser (dicts, lists, text, numbers, booleans, null)."""
    return _converter() if ENABLED else None


def available() -> bool:
    """Whether the msgspec fast path is in use."""
    return converter() is not None


def fast_encounter(obj: Any) -> EncounterDict | None:
    """``validate_encounter(obj)`` where msgspec accepts ``obj``; None where it does not (or
    is not installed): validate with pydantic then, for the record or its error message."""
    run = converter()
    return None if run is None else run(obj)


def json_values(obj: Any) -> bool:
    """Whether a parsed value holds only what the JSON parsers give (objects with text keys,
    lists, text, booleans, null, finite floats, 64-bit integers): then the fast conversion,
    proven against pydantic on JSON, may take it (a YAML record, usually). A YAML date, a
    number key, ``.nan`` or a huge integer leave the record to pydantic."""
    stack = [obj]
    while stack:
        item = stack.pop()
        kind = type(item)
        if kind is dict:
            for key in item:
                if type(key) is not str:
                    return False
            stack.extend(item.values())
        elif kind is list:
            stack.extend(item)
        elif kind is int:
            if not _INT_MIN <= item <= _UINT_MAX:
                return False
        elif kind is float:
            if not math.isfinite(item):
                return False
        elif not (kind is str or kind is bool or item is None):
            return False
    return True
