"""JSON text helpers the readers share: keys written twice, and skipping a broken value.

Both work on the text of a record, after (or instead of) the parser: the parser keeps one
value of a duplicated key without saying so, and stops at the first syntax error.
"""

from __future__ import annotations

import contextlib
import json
import re

import orjson

from b12lint.model.encounter import (
    Administration,
    Documentation,
    EncounterDict,
    Lab,
    Line,
    Monitoring,
    Payer,
)

#: Every string of a JSON text in turn, with the colon after it when it is a key. Matches
#: never overlap, so each search starts outside a string: its first quote opens one.
_STRING = re.compile(rb'"(?:[^"\\]++|\\.)*+"(\s*+:)?', re.DOTALL)
_SPACE_COLON = (b" :", b"\t:", b"\r:", b"\n:")
#: Keys a message may name: the record's own vocabulary. Any other key may be claim data.
RECORD_KEYS = frozenset(
    key
    for shape in (EncounterDict, Payer, Documentation, Monitoring, Lab, Administration, Line)
    for key in shape.__annotations__
) | {"value", "unit", "code", "volume_ml", "concentration", "test"}


def has_duplicate_keys(raw: bytes, keys: int) -> bool:
    """Whether the JSON text ``raw``, parsed into a value holding ``keys`` object keys, wrote
    more keys than that: an object with a key twice (parsers keep one; which is not defined).

    The exact count (:data:`_STRING`) scans every string; a cheaper count decides the usual
    case. In valid JSON a ``"`` inside a string is escaped, so without a backslash each
    ``":`` is a key's end or the start of a string beginning with a colon: with no space
    before any colon, that count is at least the keys written, which are at least ``keys``;
    when it equals ``keys``, no key was written twice.
    """
    if b"\\" not in raw and raw.count(b'":') == keys and not any(s in raw for s in _SPACE_COLON):
        return False
    written = 0
    for match in _STRING.finditer(raw):
        if match.group(1) is not None:
            written += 1
    return written > keys


def plain_json(raw: bytes, obj: object, max_depth: int) -> bool:
    """Whether byte-level checks show that the valid UTF-8 JSON text ``raw``, parsed into
    ``obj`` (by orjson, or the ``.json`` reader's decoder), passes every check of
    :func:`b12lint.readers.base.shape_error` (nesting within ``max_depth``, no key written
    twice, no escaped lone surrogate) without walking ``obj``. False means undecided: walk it.

    - Depth: a container at depth *d* is opened after the *d* - 1 that hold it, so a text
      with at most ``max_depth`` opening brackets (in strings too) nests no deeper.
    - Surrogates: only a ``\\u`` escape can write one (valid UTF-8 holds none).
    - Keys: outside strings, a JSON text has one colon per key written. Inside a string a
      colon can be escaped only as ``\\u003a``, so without ``\\u`` escapes every string
      holds as many colons in ``raw`` as in orjson's own text of ``obj``. ``obj`` keeps one
      value per key (its strings among those of ``raw``, the dropped values' not), so equal
      colon counts mean that no key was written twice (as :func:`has_duplicate_keys`, which
      counts against a walk of ``obj``, finds).
    """
    if raw.count(b"[") + raw.count(b"{") > max_depth:
        return False
    if b"\\" in raw and (b"\\u" in raw or b"\\U" in raw):
        return False
    try:
        again = orjson.dumps(obj)
    except orjson.JSONEncodeError:
        return False
    return raw.count(b":") == again.count(b":")


def duplicate_key(raw: bytes) -> str:
    """A description of the first duplicate key of ``raw`` (error path only)."""
    found: list[str] = []

    def pairs(items: list[tuple[str, object]]) -> dict[str, object]:
        seen: set[str] = set()
        for key, _ in items:
            if key in seen and not found:
                found.append(key)
            seen.add(key)
        return dict(items)

    with contextlib.suppress(ValueError, RecursionError):
        json.loads(raw, object_pairs_hook=pairs)
    if found and found[0] in RECORD_KEYS:
        return f"duplicate key {found[0]!r} in an object"
    return "a key appears twice in one object"


#: What a value's end is looked for at: a quote, a bracket or a comma.
_STRUCTURE = re.compile(r'["\[\]{},]')
#: The rest of a string after its opening quote: up to the closing quote, or a line break
#: (a string cannot hold one: a broken string ends with its line).
_STRING_REST = re.compile(r'(?:[^"\\\n]++|\\.)*+(?:"|\n|\Z)', re.DOTALL)


def skip_value(text: str, pos: int) -> int | None:
    """The end of the list element at ``pos`` found by matching brackets, without decoding it.

    Lets a list go on after an element that cannot be decoded (a syntax error inside it, or
    nesting too deep for the decoder): the next element starts after it. None when the element
    does not end before the text does (a truncated document).
    """
    depth = 0
    n = len(text)
    while pos < n:
        match = _STRUCTURE.search(text, pos)
        if match is None:
            return None
        index = match.start()
        char = text[index]
        if char == '"':
            rest = _STRING_REST.match(text, index + 1)
            pos = rest.end() if rest is not None else n
            continue
        if char in "[{":
            depth += 1
        elif char in "]}":
            if depth == 0:
                return index  # the end of the enclosing list: a broken scalar ends here
            depth -= 1
            if depth == 0:
                return index + 1
        elif depth == 0:  # a comma after a broken scalar
            return index
        pos = index + 1
    return None


__all__ = ["RECORD_KEYS", "duplicate_key", "has_duplicate_keys", "plain_json", "skip_value"]
