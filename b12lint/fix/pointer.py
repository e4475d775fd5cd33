"""RFC 6901 JSON Pointers: read and replace one value inside a parsed JSON / YAML record.

``set_pointer`` replaces an existing value, adds a missing key to an object, or appends to an
array with ``-`` (or at index == length). It never creates intermediate containers: a fix
points into the record the rule read, so a missing parent is an error, not a guess.
"""

from __future__ import annotations

from typing import Any

__all__ = ["PointerError", "get_pointer", "parse_pointer", "set_pointer"]

MISSING: Any = object()


class PointerError(ValueError):
    """A pointer that is malformed or does not lead into the document."""


def parse_pointer(pointer: str) -> list[str]:
    """``"/lines/0/units"`` -> ``["lines", "0", "units"]`` (``~1`` is ``/``, ``~0`` is ``~``)."""
    if pointer == "":
        return []
    if not pointer.startswith("/"):
        raise PointerError(f"{pointer!r}: a JSON Pointer starts with '/'")
    parts = []
    for raw in pointer[1:].split("/"):
        if "~" in raw.replace("~0", "").replace("~1", ""):
            raise PointerError(f"{pointer!r}: '~' must be followed by 0 or 1")
        parts.append(raw.replace("~1", "/").replace("~0", "~"))
    return parts


def _index(part: str, size: int, pointer: str, *, append: bool) -> int:
    if part == "-" and append:
        return size
    if not part.isdigit() or (part != "0" and part.startswith("0")):
        raise PointerError(f"{pointer!r}: {part!r} is not an array index")
    index = int(part)
    if index > size or (index == size and not append):
        raise PointerError(f"{pointer!r}: index {index} is past the end of the array")
    return index


def _step(container: Any, part: str, pointer: str) -> Any:
    if isinstance(container, dict):
        if part not in container:
            raise PointerError(f"{pointer!r}: no key {part!r}")
        return container[part]
    if isinstance(container, list):
        return container[_index(part, len(container), pointer, append=False)]
    raise PointerError(f"{pointer!r}: cannot descend into a {type(container).__name__}")


def get_pointer(document: Any, pointer: str, default: Any = MISSING) -> Any:
    """The value at ``pointer``; ``default`` (if given) when it does not exist."""
    value = document
    try:
        for part in parse_pointer(pointer):
            value = _step(value, part, pointer)
    except PointerError:
        if default is MISSING:
            raise
        return default
    return value


def set_pointer(document: Any, pointer: str, value: Any) -> Any:
    """Set the value at ``pointer`` in place; return the document (a new one for ``""``)."""
    parts = parse_pointer(pointer)
    if not parts:
        return value
    parent = document
    for part in parts[:-1]:
        parent = _step(parent, part, pointer)
    last = parts[-1]
    if isinstance(parent, dict):
        parent[last] = value
    elif isinstance(parent, list):
        index = _index(last, len(parent), pointer, append=True)
        if index == len(parent):
            parent.append(value)
        else:
            parent[index] = value
    else:
        raise PointerError(f"{pointer!r}: cannot set a value inside a {type(parent).__name__}")
    return document
