"""Properties of the readers on generated input: arbitrary bytes never crash any of them,
every non-blank line of a ``.jsonl`` file is one record or one input error at that line,
and whether a record is read agrees with the published JSON Schema.

Example counts are bounded (``settings`` below) to keep the suite fast; raise them with
``--hypothesis-profile=thorough`` (see ``conftest.py``).
"""

from __future__ import annotations

import io
import json
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import jsonschema
import yaml
from hypothesis import given
from hypothesis import strategies as st
from record_strategies import JSON_VALUES, byte_mutations, records, value_mutations

from b12lint.model import InputError, Record
from b12lint.readers.base import DEFAULT_LIMITS
from b12lint.readers.csv_reader import read_csv
from b12lint.readers.fhir import read_fhir
from b12lint.readers.native import read_json, read_jsonl, read_yaml
from b12lint.readers.x12 import read_x12

SCHEMA = json.loads(
    (Path(__file__).resolve().parents[2] / "schemas" / "encounter.schema.json").read_text()
)
VALIDATOR = jsonschema.Draft202012Validator(
    SCHEMA, format_checker=jsonschema.Draft202012Validator.FORMAT_CHECKER
)
READERS: dict[str, Callable[[bytes], Iterator[Any]]] = {
    "jsonl": lambda data: read_jsonl(io.BytesIO(data), "f.jsonl"),
    "json": lambda data: read_json(data, "f.json"),
    "yaml": lambda data: read_yaml(data, "f.yaml"),
    "csv": lambda data: read_csv(io.BytesIO(data), "f.csv"),
    "x12": lambda data: read_x12(io.BytesIO(data), "f.837"),
    "fhir": lambda data: read_fhir(data, "f.json"),
}


def read(fmt: str, data: bytes) -> list[Record | InputError]:
    items = list(READERS[fmt](data))
    for item in items:
        assert isinstance(item, Record | InputError), item
        if isinstance(item, InputError):
            assert "\n" not in item.message and item.message, item
    return items


SEEDS = {
    "jsonl": b'{"encounter_id": "E", "date_of_service": "2026-03-02", "lines": [{"code": "J3"}]}\n',
    "json": b'[{"encounter_id": "E", "date_of_service": "2026-03-02"},\n {"encounter_id": "F"}]',
    "yaml": b"- encounter_id: E\n  date_of_service: 2026-03-02\n- {encounter_id: F}\n",
    "csv": b"encounter_id,date_of_service,code,units\nE,2026-03-02,J3420,1\nE,2026-03-02,96372,1\n",
    "x12": (
        b"ISA*00*          *00*          *ZZ*SUBMITTER      *ZZ*RECEIVER       *260302*1200*^*00501"
        b"*000000001*0*T*:~\nGS*HC*S*R*20260302*1200*1*X*005010X222A1~\nST*837*0001*005010X222A1~"
        b"\nHL*1**20*1~\nHL*2*1*22*0~\nNM1*IL*1*DOE*JANE****MI*M1~\nCLM*C1*10***11:B:1~\n"
        b"LX*1~\nSV1*HC:J3420*10*UN*1***1~\nDTP*472*D8*20260302~\nSE*10*0001~\nGE*1*1~\n"
        b"IEA*1*000000001~\n"
    ),
    "fhir": b'{"resourceType": "Bundle", "entry": [{"resource": {"resourceType": "Claim"}}]}',
}


@given(fmt=st.sampled_from(sorted(READERS)), data=st.binary(max_size=600))
def test_arbitrary_bytes_never_crash_a_reader(fmt: str, data: bytes) -> None:
    read(fmt, data)


@given(fmt=st.sampled_from(sorted(READERS)), data=st.data())
def test_mutated_files_never_crash_a_reader(fmt: str, data: st.DataObject) -> None:
    read(fmt, data.draw(byte_mutations(SEEDS[fmt])))


def expected_lines(data: bytes) -> list[int]:
    """The lines of a .jsonl file that hold a record (readline's idea of a line)."""
    out = []
    for number, line in enumerate(io.BytesIO(data).readlines(), 1):
        if number == 1:
            line = line.removeprefix(b"\xef\xbb\xbf")
        if line.strip():
            out.append(number)
    return out


@st.composite
def jsonl_files(draw: st.DrawFn) -> bytes:
    parts = []
    for n in range(draw(st.integers(min_value=0, max_value=6))):
        record = draw(records(f"E-{n}"))
        kind = draw(st.sampled_from(["record", "value", "bytes", "blank", "json"]))
        if kind == "record":
            parts.append(json.dumps(record).encode())
        elif kind == "value":
            parts.append(json.dumps(draw(value_mutations(record))).encode())
        elif kind == "bytes":
            parts.append(draw(byte_mutations(json.dumps(record).encode())))
        elif kind == "blank":
            parts.append(draw(st.sampled_from([b"", b"  ", b"\t\r"])))
        else:
            parts.append(json.dumps(draw(JSON_VALUES)).encode())
    return b"\n".join(parts) + draw(st.sampled_from([b"", b"\n", b"\r\n"]))


@given(data=jsonl_files())
def test_every_jsonl_line_is_one_record_or_one_input_error(data: bytes) -> None:
    items = read("jsonl", data)
    assert sorted(item.source.line or 0 for item in items) == expected_lines(data)


def schema_accepts(value: Any) -> bool:
    return VALIDATOR.is_valid(value)


@given(data=st.data())
def test_a_record_is_read_exactly_when_the_json_schema_accepts_it(data: st.DataObject) -> None:
    record = data.draw(records("E-1"))
    value = data.draw(st.one_of(st.just(record), value_mutations(record)))
    line = json.dumps(value).encode() + b"\n"
    (item,) = read("jsonl", line)
    assert isinstance(item, Record) == schema_accepts(value), (value, item)
    if isinstance(item, InputError):
        assert item.rule_id in ("B12-INPUT-002", "B12-INPUT-004"), item


@given(data=st.data())
def test_yaml_lists_account_for_every_item(data: st.DataObject) -> None:
    values = [
        data.draw(st.one_of(records(f"E-{n}"), value_mutations(data.draw(records(f"E-{n}")))))
        for n in range(data.draw(st.integers(min_value=1, max_value=5)))
    ]
    values = json.loads(json.dumps(values))  # no shared objects: safe_dump would alias them
    text = yaml.safe_dump(values, sort_keys=False).encode()
    items = read("yaml", text)
    assert len(items) == len(values)
    lines = [item.source.line or 0 for item in items]
    assert lines == sorted(set(lines))
    for item, value in zip(items, values, strict=True):
        if yaml.safe_load(yaml.safe_dump(value)) == value:  # YAML kept the JSON types
            assert isinstance(item, Record) == schema_accepts(value), (value, item)


@given(data=st.data())
def test_json_lists_read_every_element_of_a_well_formed_document(data: st.DataObject) -> None:
    values = [
        data.draw(st.one_of(records(f"E-{n}"), value_mutations(data.draw(records(f"E-{n}")))))
        for n in range(data.draw(st.integers(min_value=0, max_value=5)))
    ]
    text = b"[\n" + b",\n".join(json.dumps(v).encode() for v in values) + b"\n]"
    items = read("json", text)
    assert [item.source.line for item in items] == [n + 2 for n in range(len(values))]
    for item, value in zip(items, values, strict=True):
        assert isinstance(item, Record) == schema_accepts(value), (value, item)


@given(data=st.data())
def test_a_broken_element_of_a_json_list_is_reported_at_its_line(data: st.DataObject) -> None:
    values = [data.draw(records(f"E-{n}")) for n in range(3)]
    lines = [json.dumps(v).encode() for v in values]
    broken = data.draw(byte_mutations(lines[1]).filter(lambda b: b"\n" not in b))
    text = b"[\n" + b",\n".join([lines[0], broken, lines[2]]) + b"\n]"
    items = read("json", text)
    assert items[0].source.line == 2 and isinstance(items[0], Record)
    assert all(item.source.line is None or 1 <= item.source.line <= 5 for item in items)
    assert len(items) >= 2  # the first record and, at least, the error for the broken one


def test_limits_are_the_documented_defaults() -> None:
    assert DEFAULT_LIMITS.max_record_bytes == 16 * 1024 * 1024
    assert DEFAULT_LIMITS.max_depth == 64


def count_keys(value: Any) -> int:
    if isinstance(value, dict):
        return len(value) + sum(count_keys(v) for v in value.values())
    if isinstance(value, list):
        return sum(count_keys(v) for v in value)
    return 0


KEYS = st.text(max_size=6) | st.sampled_from([":", ":a", '"', "\\", 'a":', " :", "\u2028"])
OBJECTS = st.recursive(
    st.none() | st.integers() | st.text(max_size=6) | st.sampled_from([":", '":"', "a :"]),
    lambda children: (
        st.lists(children, max_size=3) | st.dictionaries(KEYS, children, min_size=1, max_size=3)
    ),
    max_leaves=10,
)


@given(
    value=OBJECTS,
    separators=st.sampled_from([(",", ":"), (", ", ": "), (" , ", " : ")]),
    ascii_only=st.booleans(),
)
def test_duplicate_keys_are_found_exactly(
    value: Any, separators: tuple[str, str], ascii_only: bool
) -> None:
    """No false alarm on any JSON text; a key written twice is always found."""
    from b12lint.readers.jsontext import has_duplicate_keys

    text = json.dumps(value, separators=separators, ensure_ascii=ascii_only).encode()
    keys = count_keys(value)
    assert not has_duplicate_keys(text, keys)
    if isinstance(value, dict) and value:
        key = json.dumps(next(iter(value)), ensure_ascii=ascii_only)
        doubled = b"{" + key.encode() + b": 0, " + text[1:]
        assert has_duplicate_keys(doubled, keys)
