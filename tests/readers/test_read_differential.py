"""The JSONL reader of issue 13 (byte-level checks, msgspec) against the reader it replaced
(a walk over every node, the duplicate-key count, pydantic), which stays as the oracle:
identical items (records, their dicts value for value and type for type, key order
included; input errors with their message, pointer, rule and digest) on a generated batch with
its unreadable records and on fuzzed lines of every kind of damage. Both with msgspec and with
the pure fallback (byte-level checks, then pydantic).
"""

from __future__ import annotations

import datetime as dt
import io
import itertools
import random
import re
from collections.abc import Iterator
from pathlib import Path

import orjson
import pytest
from x12_inputs import bench, inputs, mutations

from b12lint.model import InputError, Record, encounter
from b12lint.readers import typed
from b12lint.readers.base import DEFAULT_LIMITS, Item, Limits
from b12lint.readers.jsontext import plain_json
from b12lint.readers.native import (
    parse_json,
    parse_yaml,
    read_json,
    read_jsonl,
    read_jsonl_walked,
    read_yaml,
    validated,
)
from b12lint.readers.x12 import read_x12

REPO = Path(__file__).resolve().parents[2]
msgspec_record = pytest.importorskip(
    "b12lint.readers.msgspec_record", reason="msgspec is not installed"
)


def old_reader(data: bytes, limits: Limits = DEFAULT_LIMITS) -> Iterator[Item]:
    """The reader before issue 13: every record walked, counted and validated by pydantic."""
    return read_jsonl_walked(io.BytesIO(data), "f.jsonl", limits)


def shown(item: Item) -> object:
    """Everything an item says, types and key order included (``repr`` of the dicts)."""
    if isinstance(item, Record):
        return ("record", item.source, repr(item.encounter), item.has_chart, item.chart_missing)
    return ("error", item)


@pytest.fixture(params=["msgspec", "pure"])
def engine(request: pytest.FixtureRequest, monkeypatch: pytest.MonkeyPatch) -> str:
    if request.param == "pure":
        monkeypatch.setattr(typed, "ENABLED", False)
    assert typed.available() == (request.param == "msgspec")
    return str(request.param)


def assert_same(data: bytes, limits: Limits = DEFAULT_LIMITS) -> list[Item]:
    old = [shown(i) for i in old_reader(data, limits)]
    new_items = list(read_jsonl(io.BytesIO(data), "f.jsonl", limits))
    assert [shown(i) for i in new_items] == old
    return new_items


def test_the_structs_mirror_the_model_field_for_field_in_order() -> None:
    """msgspec's dicts follow the Struct fields: they must be the TypedDicts' own, in order."""
    for name, struct in msgspec_record.STRUCTS.items():
        model = getattr(encounter, name)
        assert struct.__struct_fields__ == tuple(encounter.type_hints(model)), name
    assert set(msgspec_record.STRUCTS) == {
        "Payer",
        "Monitoring",
        "Lab",
        "Administration",
        "Documentation",
        "Line",
        "EncounterDict",
    }


def _generate(records: int) -> bytes:
    out = io.BytesIO()
    bench("generate").write(out, records, seed=13)
    return out.getvalue()


def test_a_generated_batch_with_its_unreadable_records_reads_the_same(engine: str) -> None:
    data = _generate(3000)
    items = assert_same(data)
    errors = [i for i in items if isinstance(i, InputError)]
    assert len(items) == 3000 and errors  # the batch holds broken records: they are compared
    if engine == "msgspec":
        # the fast path decided the records: most lines pass the byte checks and msgspec
        lines = data.splitlines()
        convert = typed.converter()
        assert convert is not None
        fast = sum(
            1
            for line in lines
            if (obj := _loads(line)) is not None
            and plain_json(line, obj, 64)
            and convert(obj) is not None
        )
        assert fast > 0.9 * len(lines)


def _loads(line: bytes) -> object:
    try:
        return orjson.loads(line)
    except orjson.JSONDecodeError:
        return None


BASE = (
    b'{"encounter_id": "E1", "patient_id": "P1", "date_of_service": "2026-03-02", '
    b'"payer": {"id": "00952", "type": "medicare"}, "diagnoses": ["D51.0"], '
    b'"documentation": {"indication": "pernicious anemia", "phase": "maintenance", '
    b'"monitoring": {"plan": "B12 in 6 months", "last_b12_lab_date": "2026-01-12"}, '
    b'"labs": [{"test": "B12", "value": 150, "unit": "pg/mL", "date": "2026-01-12"}], '
    b'"administrations": [{"drug": "cyanocobalamin", "dose": "1000 mcg", "route": "IM", '
    b'"time": "2026-03-02T10:15:00"}]}, '
    b'"lines": [{"code": "J3420", "units": 1, "modifiers": ["JZ"], "dx_pointers": [1], '
    b'"date": "2026-03-02", "ndc": "00517003125", "ndc_quantity": 1, "ndc_unit": "ML", '
    b'"charge": 12.0}, {"code": "96372", "units": 1, "dx_pointers": [1]}]}'
)


def _nest(depth: int, inner: bytes = b"1") -> bytes:
    return b'{"encounter_id": "D", "date_of_service": "2026-03-02", "x": ' + (
        b"[" * (depth - 1) + inner + b"]" * (depth - 1) + b"}"
    )


#: Lines of every kind of damage the issue names, and the byte-level checks' edge cases.
FUZZ: list[bytes] = [
    BASE,
    b"\xef\xbb\xbf" + BASE,  # a BOM (allowed on line 1 only: the next lines compare that)
    # truncated
    *(BASE[:cut] for cut in (1, 17, 60, 200, len(BASE) - 1)),
    # wrong types
    BASE.replace(b'"units": 1,', b'"units": "1",', 1),
    BASE.replace(b'"units": 1,', b'"units": true,', 1),
    BASE.replace(b'"dx_pointers": [1]', b'"dx_pointers": [1.0]', 1),
    BASE.replace(b'"dx_pointers": [1]', b'"dx_pointers": [1.5]', 1),
    BASE.replace(b'"dx_pointers": [1]', b'"dx_pointers": [true]', 1),
    BASE.replace(b'"dx_pointers": [1]', b'"dx_pointers": [18446744073709551616]', 1),
    BASE.replace(b'"modifiers": ["JZ"]', b'"modifiers": "JZ"', 1),
    BASE.replace(b'"payer": {', b'"payer": [{', 1).replace(b'"medicare"}', b'"medicare"}]', 1),
    BASE.replace(b'"E1"', b'""', 1),
    BASE.replace(b'"E1"', b"1", 1),
    BASE.replace(b'"encounter_id": "E1", ', b"", 1),
    BASE.replace(b'"2026-03-02"', b'"2026-3-2"', 1),
    BASE.replace(b'"2026-03-02"', b'"2026-02-30"', 1),
    BASE.replace(b'"2026-03-02"', b'"2026-03-02T00:00:00"', 1),
    BASE.replace(b'"2026-03-02"', b'"0000-01-01"', 1),
    BASE.replace(b'"2026-03-02"', b'"\xef\xbc\x92026-03-02"', 1),  # a full-width digit
    BASE.replace(b'"2026-03-02"', b'"20260302"', 1),
    BASE.replace(b'"date": "2026-03-02"', b'"date": null', 1),
    BASE.replace(b'"labs": [', b'"labs": [null, ', 1),
    BASE.replace(b'"dose": "1000 mcg"', b'"dose": {"value": 1000, "unit": "mcg"}', 1),
    BASE.replace(b'"route": "IM"', b'"route": 78421000', 1),
    b"[1, 2]",
    b'"a record"',
    b"null",
    b"{}",
    # deep nesting, around the limit and far past it (the parser's own limit)
    *(_nest(d) for d in (62, 63, 64, 65, 66, 200, 2000)),
    _nest(70, b'"[[[[{{{{"'),  # brackets in strings count, but nest nothing
    # duplicate keys: top level, nested, in extras, hidden by escapes, whitespace, colons
    BASE.replace(b'"patient_id": "P1"', b'"patient_id": "P1", "patient_id": "P2"', 1),
    BASE.replace(b'"code": "J3420"', b'"code": "J3420", "code": "J3420"', 1),
    BASE + b"",
    BASE[:-1] + b', "x-a": {"k": 1, "k": 2}}',
    BASE[:-1] + b', "x-a": {"k": {"a:b": "c:d"}, "k": 2}}',
    BASE[:-1] + b', "x-a": {"k" : 1, "k":2}}',
    BASE[:-1] + b', "x-a": {"k"\t:1,"k"\n:2}}',
    BASE[:-1] + b', "x-a": {"k": "\\u003a", "k": 2}}',
    BASE[:-1] + b', "x-a": {"k": 1, "k": "\\u003a"}}',  # the kept value's colon, escaped
    BASE[:-1] + b', "x-a": {"k": 1, "k": "\\u003A", "j": 1, "j": "\\u003a"}}',
    BASE[:-1] + b', "x-a": {"k\\u003a": 1, "k\\u003a": 2, "v": "\\u003a"}}',
    BASE[:-1] + b', "x-a": {"\\"k": 1, "\\"k": 2}}',
    BASE[:-1] + b', "x-a": {"k": "a\\":b", "k": 2}}',
    BASE[:-1] + b', "x-a": {"k": 1, "K": 2, "k ": 3}}',
    BASE[:-1] + b', "x-a": {"\\u006b": 1, "k": 2}}',
    BASE[:-1] + b', "x-a": {"k": ":", "j": "::"}}',
    BASE[:-1] + b', "x-a": {"k": [{"a": 1}, {"a": 1}], "t": "a\\\\"}}',
    # huge numbers
    BASE.replace(b'"charge": 12.0', b'"charge": 1e400', 1),
    BASE.replace(b'"charge": 12.0', b'"charge": -1e400', 1),
    BASE.replace(b'"charge": 12.0', b'"charge": 1' + b"0" * 40, 1),
    BASE.replace(b'"charge": 12.0', b'"charge": 18446744073709551616', 1),
    BASE.replace(b'"charge": 12.0', b'"charge": 1e308', 1),
    BASE.replace(b'"charge": 12.0', b'"charge": 5e-324', 1),
    BASE.replace(b'"charge": 12.0', b'"charge": -0', 1),
    BASE[:-1] + b', "x-n": 1' + b"0" * 5000 + b"}",
    # invalid UTF-8, in a value, a key, and an extra
    BASE.replace(b"pernicious", b"pern\xffcious", 1),
    BASE.replace(b'"phase"', b'"ph\xc3ase"', 1),
    BASE[:-1] + b', "x-u": "\xed\xa0\x80"}',  # a surrogate written in UTF-8
    # BOM after line 1, inside a string
    BASE.replace(b"pernicious", b"\xef\xbb\xbfpernicious", 1),
    # NaN, Infinity
    BASE.replace(b'"charge": 12.0', b'"charge": NaN', 1),
    BASE.replace(b'"charge": 12.0', b'"charge": Infinity', 1),
    BASE.replace(b'"charge": 12.0', b'"charge": -Infinity', 1),
    # lone surrogates and valid pairs, escaped
    BASE.replace(b"pernicious", b"\\ud800", 1),
    BASE.replace(b"pernicious", b"\\udc00x", 1),
    BASE.replace(b'"E1"', b'"E\\ud800"', 1),
    BASE.replace(b"pernicious", b"\\ud83d\\ude00", 1),
    BASE.replace(b"pernicious", b"\\u00e9\\n\\t\\/\\\\", 1),
    BASE[:-1] + b', "x-s": {"\\udfff": 1}}',
    # whitespace
    b"  \t" + BASE + b"  \r",
    BASE.replace(b": ", b":").replace(b", ", b","),
    BASE.replace(b": ", b" : "),
    # control characters, trailing data
    BASE.replace(b"pernicious", b"per\x01nicious", 1),
    BASE + b" x",
    BASE + b"{}",
]


def test_fuzzed_lines_read_the_same(engine: str) -> None:
    data = b"\n".join(FUZZ) + b"\n"
    items = assert_same(data)
    assert len(items) == data.count(b"\n")  # no line is blank: each is one item
    assert sum(isinstance(i, InputError) for i in items) > 40  # the damage is seen


def test_each_fuzzed_line_alone_and_next_to_a_good_one(engine: str) -> None:
    for line in FUZZ:
        assert_same(line)
        assert_same(BASE + b"\n" + line + b"\r\n" + BASE)


@pytest.mark.parametrize("depth", [1, 2, 3, 8, 30])
def test_small_depth_limits_read_the_same(engine: str, depth: int) -> None:
    limits = Limits(max_depth=depth)
    assert_same(b"\n".join(FUZZ[:40]), limits)
    assert_same(b"\n".join(_nest(d) for d in range(1, 12)), limits)


def test_size_limit_reads_the_same(engine: str) -> None:
    assert_same(b"\n".join(FUZZ), Limits(max_record_bytes=len(BASE)))


def test_pairs_of_mutations_read_the_same(engine: str) -> None:
    """Two kinds of damage in one line: each mutation of FUZZ applied on top of another."""
    edits = [
        (b'"units": 1,', b'"units": "1",'),
        (b'"patient_id": "P1"', b'"patient_id": "P1", "patient_id": "P2"'),
        (b"pernicious", b"\\ud800"),
        (b'"charge": 12.0', b'"charge": 1e400'),
        (b'"dx_pointers": [1]', b'"dx_pointers": [1.0]'),
        (b'"2026-03-02"', b'"2026-02-30"'),
        (b'"E1"', b'""'),
        (b"pernicious", b"pern\xffcious"),
    ]
    lines = []
    for (a, b), (c, d) in itertools.permutations(edits, 2):
        lines.append(BASE.replace(a, b, 1).replace(c, d, 1))
    assert_same(b"\n".join(lines))


def assert_same_json(data: bytes, limits: Limits = DEFAULT_LIMITS) -> list[Item]:
    old = [shown(i) for i in validated(parse_json(data, "f.json", limits), limits, fast=False)]
    new_items = list(read_json(data, "f.json", limits))
    assert [shown(i) for i in new_items] == old
    return new_items


def test_json_documents_read_the_same(engine: str) -> None:
    """A ``.json`` list or single record takes the same checks as a JSONL line."""
    corpus = sorted((REPO / "tests" / "corpus" / "files").glob("json-*.json"))
    corpus += sorted((REPO / "sample_claims").glob("*.json"))
    for path in corpus:
        assert_same_json(path.read_bytes())
    items = assert_same_json(b"[" + b",\n".join(FUZZ[:1] * 3) + b"]")
    assert len(items) == 3 and all(isinstance(i, Record) for i in items)
    for line in FUZZ:
        assert_same_json(line)
        assert_same_json(b"[" + BASE + b",\n" + line + b",\n" + BASE + b"]")
        assert_same_json(b"[" + BASE + b",\n" + line + b"]", Limits(max_depth=5))


def assert_same_yaml(data: bytes, limits: Limits = DEFAULT_LIMITS) -> list[Item]:
    old = [shown(i) for i in validated(parse_yaml(data, "f.yaml", limits), limits, fast=False)]
    new_items = list(read_yaml(data, "f.yaml", limits))
    assert [shown(i) for i in new_items] == old
    return new_items


def test_yaml_documents_read_the_same(engine: str) -> None:
    """A YAML record holding only JSON values is validated by msgspec where it accepts it:
    the same items as pydantic gives, on the YAML corpus, the samples and the fuzzed records
    written as YAML (JSON is YAML), and on values JSON cannot hold (left to pydantic)."""
    corpus = sorted((REPO / "tests" / "corpus" / "files").glob("*.y*ml"))
    corpus += sorted((REPO / "sample_claims").glob("*.y*ml"))
    accepted = 0
    for path in corpus:
        items = assert_same_yaml(path.read_bytes())
        accepted += sum(isinstance(i, Record) for i in items)
    assert accepted >= 5
    for line in FUZZ:
        if re.search(rb"[0-9]{4300}", line):
            continue  # PyYAML cannot convert such an integer (a crash of its own, both ways)
        assert_same_yaml(line)
        assert_same_yaml(b"- " + BASE + b"\n- " + line + b"\n- " + BASE)
    record = orjson.loads(BASE)
    for odd in (b"2026-06-01", b".nan", b"-.inf", b"18446744073709551616", b"{1: a}"):
        for key in ("date_of_service", "x-extra"):
            text = orjson.dumps({**record, key: "@"}).replace(b'"@"', odd)
            assert_same_yaml(text)


def test_only_json_values_take_the_fast_conversion() -> None:
    obj = orjson.loads(BASE)
    assert typed.json_values(obj)
    for odd in (dt.date(2026, 6, 1), float("nan"), float("inf"), 2**64, -(2**63) - 1, (1,), b"x"):
        assert not typed.json_values({**obj, "x-extra": [odd]})
    assert not typed.json_values({**obj, "payer": {1: "a"}})
    assert typed.json_values({**obj, "x-extra": [2**64 - 1, -(2**63), 1.5, True, None]})


def test_the_fast_checks_refuse_what_they_cannot_decide() -> None:
    """plain_json says True only where the walk finds nothing (and it often says True)."""
    ok = orjson.loads(BASE)
    assert plain_json(BASE, ok, 64)
    dup = BASE[:-1] + b', "x-a": {"k": 1, "k": 2}}'
    assert not plain_json(dup, orjson.loads(dup), 64)
    assert not plain_json(_nest(65), orjson.loads(_nest(65)), 64)
    assert plain_json(_nest(63), orjson.loads(_nest(63)), 64)
    hidden = BASE[:-1] + b', "x-a": {"k": 1, "k": "\\u003a"}}'
    assert not plain_json(hidden, orjson.loads(hidden), 64)


def test_the_fast_conversion_gives_pydantics_dicts() -> None:
    convert = typed.converter()
    assert convert is not None
    obj = orjson.loads(BASE)
    fast = convert(obj)
    assert fast is not None and repr(fast) == repr(encounter.validate_encounter(obj))
    assert list(fast) == [k for k in encounter.type_hints(encounter.EncounterDict) if k in obj]
    assert fast["lines"][0]["units"] == 1.0 and type(fast["lines"][0]["units"]) is float
    assert convert([obj]) is None and convert({"encounter_id": "E"}) is None


def _x12_inputs(tmp_path: Path) -> list[bytes]:
    """The 837 files of the repository, a generated 837P and 837I, and seeded mutations."""
    rng = random.Random(13)
    texts = list(inputs(tmp_path).values())
    return texts + [m for data in texts for m in mutations(data, rng, 25)]


def test_x12_claims_read_the_same_with_msgspec_and_with_pydantic(tmp_path: Path) -> None:
    """The 837 reader validates the records it builds with msgspec where it accepts them:
    the same items as with pydantic alone, records and input errors alike."""
    seen = [0, 0]
    for data in _x12_inputs(tmp_path):
        fast = [shown(i) for i in read_x12(io.BytesIO(data), "f.837")]
        typed.ENABLED = False
        try:
            pure = [shown(i) for i in read_x12(io.BytesIO(data), "f.837")]
        finally:
            typed.ENABLED = True
        assert fast == pure
        seen[0] += sum(1 for i in fast if i[0] == "record")
        seen[1] += sum(1 for i in fast if i[0] == "error")
    assert seen[0] > 500 and seen[1] > 100  # both kinds were compared
