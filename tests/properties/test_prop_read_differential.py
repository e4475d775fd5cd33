"""Property: the JSONL and JSON readers (byte-level checks, msgspec) read every record exactly
as the reader they replaced (a walk over every node, pydantic) does: generated records,
records with one value replaced by any JSON value, and mutated bytes, with msgspec and
without it.
``tests/readers/test_read_differential.py`` holds the named cases.
"""

from __future__ import annotations

import io
import json
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st
from record_strategies import byte_mutations, records, value_mutations

from b12lint.model import Record
from b12lint.readers import typed
from b12lint.readers.base import Item, Limits
from b12lint.readers.native import (
    parse_json,
    read_json,
    read_jsonl,
    read_jsonl_walked,
    validated,
)

pytest.importorskip("msgspec", reason="msgspec is not installed")


def _shown(item: Item) -> object:
    if isinstance(item, Record):
        return ("record", item.source, repr(item.encounter), item.has_chart)
    return ("error", item)


DEFAULT = Limits()


def _check(data: bytes, limits: Limits = DEFAULT) -> None:
    """The lines of ``data`` read as JSONL, and as the elements of a ``.json`` list."""
    document = b"[" + b",".join(data.splitlines()) + b"]"
    old = [_shown(i) for i in read_jsonl_walked(io.BytesIO(data), "f.jsonl", limits)]
    old_json = [
        _shown(i) for i in validated(parse_json(document, "f.json", limits), limits, fast=False)
    ]
    for enabled in (True, False):
        typed.ENABLED = enabled
        try:
            new = [_shown(i) for i in read_jsonl(io.BytesIO(data), "f.jsonl", limits)]
            new_json = [_shown(i) for i in read_json(document, "f.json", limits)]
        finally:
            typed.ENABLED = True
        assert new == old
        assert new_json == old_json


def _text(record: Any, style: int) -> bytes:
    """One record as a line, written compact, spaced, or escaped (ASCII-only)."""
    if style == 0:
        return json.dumps(record, ensure_ascii=False, separators=(",", ":")).encode(
            "utf-8", "surrogatepass"
        )
    if style == 1:
        return json.dumps(record).encode()
    return json.dumps(record, ensure_ascii=False, separators=(",", " : ")).encode(
        "utf-8", "surrogatepass"
    )


@given(st.lists(records(), min_size=1, max_size=4), st.integers(min_value=0, max_value=2))
def test_generated_records_read_the_same(batch: list[dict[str, Any]], style: int) -> None:
    _check(b"\n".join(_text(r, style) for r in batch) + b"\n")


@given(st.data(), st.integers(min_value=0, max_value=2))
def test_a_record_with_a_value_replaced_reads_the_same(data: st.DataObject, style: int) -> None:
    record = data.draw(records())
    mutated = data.draw(value_mutations(record))
    _check(_text(mutated, style) + b"\n" + _text(record, style))


@given(st.data())
def test_mutated_bytes_read_the_same(data: st.DataObject) -> None:
    record = data.draw(records())
    line = data.draw(byte_mutations(json.dumps(record).encode()))
    _check(line + b"\n" + json.dumps(record).encode())


@given(st.data(), st.integers(min_value=1, max_value=6))
def test_small_depth_limits_read_the_same(data: st.DataObject, depth: int) -> None:
    record = data.draw(value_mutations(data.draw(records())))
    _check(json.dumps(record).encode(), Limits(max_depth=depth))


@given(st.data())
def test_a_key_written_twice_reads_the_same(data: st.DataObject) -> None:
    """A key of some object of the record written again, before or after, with any value."""
    record = data.draw(records())
    text = json.dumps(record)
    starts = [i for i, c in enumerate(text) if c == "{"]
    at = data.draw(st.sampled_from(starts))
    key = data.draw(st.sampled_from(["encounter_id", "code", "x", "a:b", "\\u003a", "k"]))
    value = data.draw(st.sampled_from(["1", '":"', '"\\u003a"', '{"k": ":"}', "[]", "null"]))
    line = text[: at + 1] + f'"{key}": {value}, ' + text[at + 1 :]
    _check(line.encode() + b"\n" + line.replace(f'"{key}": ', f'"{key}"  :', 1).encode())
