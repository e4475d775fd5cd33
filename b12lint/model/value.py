"""Frozen value objects: the base of findings and their parts (plain classes with slots).

They were pydantic models; every finding is built by our own code from checked parts (never
validated), and importing pydantic to define them was a third of the command line's start-up.
The few pydantic methods callers use keep their meaning: ``model_copy(update=...)``,
``model_dump()`` (``mode="json"``) and ``model_dump_json()``.
"""

from __future__ import annotations

import datetime as dt
import json
from typing import Any, ClassVar, TypeVar

V = TypeVar("V", bound="Value")
_set = object.__setattr__


class Value:
    """A frozen value object: equality and hashing by field. A subclass names its fields in
    ``__slots__`` (``FIELDS``, in order), declares them ``Final`` (mypy refuses any assignment
    after ``__init__``; at run time nothing assigns them: a ``__setattr__`` refusing it made
    building a finding four times slower) and sets them in a keyword-only ``__init__``."""

    __slots__ = ()
    FIELDS: ClassVar[tuple[str, ...]] = ()

    def _values(self) -> tuple[Any, ...]:
        return tuple(getattr(self, name) for name in self.FIELDS)

    def __eq__(self, other: object) -> bool:
        if type(other) is not type(self):
            return NotImplemented
        assert isinstance(other, Value)
        return self._values() == other._values()

    def __hash__(self) -> int:
        return hash((type(self), self._values()))

    def __repr__(self) -> str:
        fields = ", ".join(f"{n}={getattr(self, n)!r}" for n in self.FIELDS)
        return f"{type(self).__name__}({fields})"

    def __reduce__(self) -> tuple[Any, ...]:
        return (_rebuild, (type(self), self._values()))

    def model_copy(self: V, *, update: dict[str, Any] | None = None) -> V:
        """A copy with some fields replaced (as pydantic's ``model_copy``)."""
        values = dict(zip(self.FIELDS, self._values(), strict=True))
        if update:
            values.update(update)
        return type(self)(**values)

    def model_dump(self, *, mode: str = "python") -> dict[str, Any]:
        """The fields as a dict, nested values too (``mode="json"``: dates as ISO text)."""
        return {name: _dump(getattr(self, name), mode) for name in self.FIELDS}

    def model_dump_json(self) -> str:
        """The fields as JSON text."""
        return json.dumps(self.model_dump(mode="json"), separators=(",", ":"))


def _rebuild(cls: type[V], values: tuple[Any, ...]) -> V:
    obj = cls.__new__(cls)
    for name, value in zip(cls.FIELDS, values, strict=True):
        _set(obj, name, value)
    return obj


def _dump(value: Any, mode: str) -> Any:
    if isinstance(value, Value):
        return value.model_dump(mode=mode)
    if mode == "json":
        if isinstance(value, dt.date):
            return value.isoformat()
        if isinstance(value, list | tuple):
            return [_dump(v, mode) for v in value]
        if isinstance(value, dict):
            return {str(k): _dump(v, mode) for k, v in value.items()}
    return value
