"""Native readers: every malformed input is an input error at its file and line, and the good
records around it are still read."""

from __future__ import annotations

import io
import json
from pathlib import Path
from typing import Any

import pytest

from b12lint.model import InputError, Record
from b12lint.readers import Limits, read_file
from b12lint.readers.native import read_json, read_jsonl, read_yaml

Item = Record | InputError


def rec(eid: str, **extra: Any) -> dict[str, Any]:
    return {"encounter_id": eid, "date_of_service": "2026-03-02", **extra}


def line(eid: str, **extra: Any) -> bytes:
    return json.dumps(rec(eid, **extra), separators=(",", ":"), ensure_ascii=False).encode()


def jsonl(data: bytes, limits: Limits | None = None) -> list[Item]:
    return list(read_jsonl(io.BytesIO(data), "in.jsonl", limits or Limits()))


def summary(items: list[Item]) -> list[tuple[str, int | None, str]]:
    """``(encounter id or rule id, line, kind)`` for each item, in order."""
    out = []
    for item in items:
        if isinstance(item, Record):
            out.append((item.encounter["encounter_id"], item.source.line, "record"))
        else:
            out.append((item.rule_id, item.source.line, "error"))
    return out


def only_error(items: list[Item]) -> InputError:
    errors = [i for i in items if isinstance(i, InputError)]
    assert len(errors) == 1, summary(items)
    return errors[0]


# --------------------------------------------------------------------------- .jsonl


def test_jsonl_reads_every_line_with_its_number() -> None:
    items = jsonl(line("E1") + b"\n" + line("E2") + b"\n" + line("E3"))
    assert summary(items) == [("E1", 1, "record"), ("E2", 2, "record"), ("E3", 3, "record")]
    assert all(i.source.file == "in.jsonl" for i in items)
    first = items[0]
    # a record without documentation carries no chart (its chart rules are skipped)
    assert isinstance(first, Record) and not first.has_chart
    charted = jsonl(b'{"encounter_id": "E1", "date_of_service": "2026-03-02", "documentation": {}}')
    assert isinstance(charted[0], Record) and charted[0].has_chart


def test_jsonl_invalid_line_in_the_middle() -> None:
    items = jsonl(line("E1") + b'\n{"encounter_id": "E2",\n' + line("E3") + b"\n")
    assert summary(items) == [
        ("E1", 1, "record"),
        ("B12-INPUT-001", 2, "error"),
        ("E3", 3, "record"),
    ]
    error = only_error(items)
    assert error.message.startswith("not valid JSON")
    assert error.digest is not None  # input errors can be baselined by content


def test_jsonl_truncated_last_line() -> None:
    items = jsonl(line("E1") + b"\n" + line("E2")[:-7])
    assert summary(items) == [("E1", 1, "record"), ("B12-INPUT-001", 2, "error")]


def test_jsonl_blank_lines_are_skipped_but_counted_for_line_numbers() -> None:
    items = jsonl(b"\n" + line("E1") + b"\n\n   \n\t\r\n" + line("E2") + b"\n\n")
    assert summary(items) == [("E1", 2, "record"), ("E2", 6, "record")]


def test_jsonl_crlf_line_endings() -> None:
    items = jsonl(line("E1") + b"\r\n" + line("E2") + b"\r\n")
    assert summary(items) == [("E1", 1, "record"), ("E2", 2, "record")]


def test_jsonl_utf8_bom_on_the_first_line() -> None:
    items = jsonl(b"\xef\xbb\xbf" + line("E1") + b"\n" + line("E2"))
    assert summary(items) == [("E1", 1, "record"), ("E2", 2, "record")]


def test_jsonl_bom_only_allowed_at_the_start() -> None:
    items = jsonl(line("E1") + b"\n\xef\xbb\xbf" + line("E2"))
    assert summary(items) == [("E1", 1, "record"), ("B12-INPUT-001", 2, "error")]


def test_jsonl_invalid_utf8_line() -> None:
    bad = line("E2", note="caf\u00e9").replace("\u00e9".encode(), b"\xe9")
    items = jsonl(line("E1") + b"\n" + bad + b"\n" + line("E3"))
    assert summary(items) == [
        ("E1", 1, "record"),
        ("B12-INPUT-001", 2, "error"),
        ("E3", 3, "record"),
    ]


@pytest.mark.parametrize(
    ("text", "rule", "pointer"),
    [
        (b"42", "B12-INPUT-002", ""),
        (b'"text"', "B12-INPUT-002", ""),
        (b"null", "B12-INPUT-002", ""),
        (b"[" + line("E9") + b"]", "B12-INPUT-002", ""),
        (line("E2", lines=[{"units": "1"}]), "B12-INPUT-002", "/lines/0/units"),
        (line("E2", lines=[{"units": True}]), "B12-INPUT-002", "/lines/0/units"),
        (line("E2", lines={"code": "J3420"}), "B12-INPUT-002", "/lines"),
        (line("E2", lines=["J3420"]), "B12-INPUT-002", "/lines/0"),
        (line("E2", diagnoses="D51.0"), "B12-INPUT-002", "/diagnoses"),
        (line("E2", payer="medicare"), "B12-INPUT-002", "/payer"),
        (line("E2", documentation={"administrations": {}}), "B12-INPUT-002", None),
        (json.dumps({"date_of_service": "2026-03-02"}).encode(), "B12-INPUT-002", "/encounter_id"),
        (
            json.dumps({"encounter_id": "", "date_of_service": "2026-03-02"}).encode(),
            "B12-INPUT-002",
            "/encounter_id",
        ),
        (
            json.dumps({"encounter_id": 7, "date_of_service": "2026-03-02"}).encode(),
            "B12-INPUT-002",
            "/encounter_id",
        ),
        (json.dumps({"encounter_id": "E2"}).encode(), "B12-INPUT-002", "/date_of_service"),
        (line("E2", date_of_service="2026-02-30"), "B12-INPUT-002", "/date_of_service"),
        (line("E2", date_of_service="03/02/2026"), "B12-INPUT-002", "/date_of_service"),
        (line("E2", date_of_service="2026-03-02T10:00:00"), "B12-INPUT-002", "/date_of_service"),
        (
            b'{"encounter_id":"E2","date_of_service":"2026-03-02","lines":[{"units":NaN}]}',
            "B12-INPUT-001",
            "",
        ),
        (
            b'{"encounter_id":"E2","date_of_service":"2026-03-02","lines":[{"units":Infinity}]}',
            "B12-INPUT-001",
            "",
        ),
        (
            b'{"encounter_id":"E2","date_of_service":"2026-03-02","lines":[{"units":1e999}]}',
            "B12-INPUT-001",
            "",
        ),
        (
            b'{"encounter_id":"E2","date_of_service":"2026-03-02","x":' + b"9" * 5000 + b"}",
            "B12-INPUT-001",
            "",
        ),
        (b"[" * 100_000, "B12-INPUT-004", ""),
        (
            b'{"encounter_id":"E2","date_of_service":"2026-03-02","x":'
            + b"[" * 70
            + b"]" * 70
            + b"}",
            "B12-INPUT-004",
            "",
        ),
    ],
)
def test_jsonl_bad_record_between_good_ones(text: bytes, rule: str, pointer: str | None) -> None:
    items = jsonl(line("E1") + b"\n" + text + b"\n" + line("E3") + b"\n")
    assert summary(items) == [("E1", 1, "record"), (rule, 2, "error"), ("E3", 3, "record")]
    error = only_error(items)
    assert error.source.file == "in.jsonl"
    if pointer is not None:
        assert error.pointer == pointer
    # a parsed record with a readable id keeps it; text that could not be parsed has none
    expected_id = None
    if rule != "B12-INPUT-001":
        try:
            obj = json.loads(text)
        except (ValueError, RecursionError):
            obj = None  # too deep to parse
        if isinstance(obj, dict) and isinstance(obj.get("encounter_id"), str):
            expected_id = obj["encounter_id"] or None
    assert error.encounter_id == expected_id


def test_input_error_messages_name_the_problem_not_the_value() -> None:
    secret = "PATIENT-SSN-123-45-6789"
    items = jsonl(line("E1", x=secret, lines=[{"units": secret}]))
    error = only_error(items)
    assert "/lines/0/units: expected a number" in error.message
    assert secret not in error.message


def test_jsonl_wide_numbers_within_range_are_read() -> None:
    items = jsonl(line("E1", lines=[{"code": "J3420", "units": 2**70}]))
    (item,) = items
    assert isinstance(item, Record)


def test_jsonl_record_over_the_size_limit() -> None:
    limits = Limits(max_record_bytes=200)
    big = line("E2", note="x" * 500)
    items = jsonl(line("E1") + b"\n" + big + b"\n" + line("E3") + b"\n", limits)
    assert summary(items) == [
        ("E1", 1, "record"),
        ("B12-INPUT-004", 2, "error"),
        ("E3", 3, "record"),
    ]
    assert "200-byte limit" in only_error(items).message


def test_jsonl_size_limit_boundary() -> None:
    exact = line("E1")
    limits = Limits(max_record_bytes=len(exact))
    assert summary(jsonl(exact + b"\n" + exact.replace(b"E1", b"E2"), limits)) == [
        ("E1", 1, "record"),
        ("E2", 2, "record"),
    ]
    over = exact.replace(b"E1", b"E10")
    assert summary(jsonl(over + b"\n" + exact, limits)) == [
        ("B12-INPUT-004", 1, "error"),
        ("E1", 2, "record"),
    ]


def test_jsonl_empty_file() -> None:
    assert jsonl(b"") == []
    assert jsonl(b"\n\n") == []


def test_jsonl_depth_limit_is_configurable() -> None:
    nested = line("E1", x=[[[[1]]]])
    assert summary(jsonl(nested, Limits(max_depth=3))) == [("B12-INPUT-004", 1, "error")]
    assert summary(jsonl(nested, Limits(max_depth=6))) == [("E1", 1, "record")]


# --------------------------------------------------------------------------- .json


def json_items(data: bytes, limits: Limits | None = None) -> list[Item]:
    return list(read_json(data, "in.json", limits or Limits()))


def pretty_list(*records: Any) -> bytes:
    return json.dumps(list(records), indent=2).encode()


def test_json_single_record_and_pretty_list_lines() -> None:
    assert summary(json_items(line("E1"))) == [("E1", 1, "record")]
    data = pretty_list(rec("E1"), rec("E2", lines=[{"code": "J3420"}]), rec("E3"))
    starts = [i + 1 for i, text in enumerate(data.decode().splitlines()) if text == "  {"]
    items = json_items(data)
    assert summary(items) == [
        ("E1", starts[0], "record"),
        ("E2", starts[1], "record"),
        ("E3", starts[2], "record"),
    ]
    assert starts == [2, 6, 15]


def test_json_list_of_mixed_good_and_bad_records_keeps_per_record_lines() -> None:
    data = pretty_list(
        rec("E1"),
        42,
        rec("E3", lines=[{"units": "two"}]),
        {"date_of_service": "2026-03-02"},
        rec("E5"),
        [rec("E6")],
        rec("E7"),
    )
    text = data.decode().splitlines()
    starts = [i + 1 for i, t in enumerate(text) if t.rstrip(",") in ("  {", "  42", "  [")]
    items = json_items(data)
    assert summary(items) == [
        ("E1", starts[0], "record"),
        ("B12-INPUT-002", starts[1], "error"),
        ("B12-INPUT-002", starts[2], "error"),
        ("B12-INPUT-002", starts[3], "error"),
        ("E5", starts[4], "record"),
        ("B12-INPUT-002", starts[5], "error"),
        ("E7", starts[6], "record"),
    ]
    third = items[2]
    assert isinstance(third, InputError)
    assert (third.pointer, third.encounter_id) == ("/lines/0/units", "E3")


def test_json_compact_list_on_one_line() -> None:
    data = b"[" + line("E1") + b"," + line("E2") + b"]"
    assert summary(json_items(data)) == [("E1", 1, "record"), ("E2", 1, "record")]


def test_json_truncated_document_keeps_the_records_before() -> None:
    data = b"[\n" + line("E1") + b",\n" + line("E2") + b",\n" + line("E3")[:-9]
    assert summary(json_items(data)) == [
        ("E1", 2, "record"),
        ("E2", 3, "record"),
        ("B12-INPUT-001", 4, "error"),
    ]


def test_json_list_without_closing_bracket() -> None:
    data = b"[\n" + line("E1") + b"\n"
    items = json_items(data)
    assert summary(items) == [("E1", 2, "record"), ("B12-INPUT-001", 3, "error")]
    assert "expected ',' or ']'" in only_error(items).message


def test_json_missing_comma() -> None:
    data = b"[\n" + line("E1") + b"\n" + line("E2") + b"\n]"
    assert summary(json_items(data)) == [("E1", 2, "record"), ("B12-INPUT-001", 3, "error")]


def test_json_data_after_the_document() -> None:
    assert summary(json_items(line("E1") + b"\n\n{}")) == [
        ("E1", 1, "record"),
        ("B12-INPUT-001", 3, "error"),
    ]
    assert summary(json_items(b"[" + line("E1") + b"]\n]")) == [
        ("E1", 1, "record"),
        ("B12-INPUT-001", 2, "error"),
    ]


def test_json_bom() -> None:
    assert summary(json_items(b"\xef\xbb\xbf" + pretty_list(rec("E1")))) == [("E1", 2, "record")]


def test_json_invalid_utf8_only_loses_its_record() -> None:
    bad = line("E2", note="caf\u00e9").replace("\u00e9".encode(), b"\xe9")
    data = b"[\n" + line("E1") + b",\n" + bad + b",\n" + line("E3") + b"\n]\n"
    items = json_items(data)
    assert summary(items) == [
        ("E1", 2, "record"),
        ("B12-INPUT-001", 3, "error"),
        ("E3", 4, "record"),
    ]
    assert only_error(items).message == "not valid UTF-8 text"


def test_json_invalid_utf8_single_record() -> None:
    items = json_items(b'{"encounter_id":"E\xff","date_of_service":"2026-03-02"}')
    assert summary(items) == [("B12-INPUT-001", 1, "error")]


@pytest.mark.parametrize(
    "value",
    [b"NaN", b"-Infinity", b"Infinity", b"1e400", b"-1e400", b"1" + b"0" * 5000],
)
@pytest.mark.parametrize("where", ["units", "dose"])
def test_json_non_finite_numbers_are_input_errors_and_the_list_goes_on(
    value: bytes, where: str
) -> None:
    if where == "units":
        bad = b'{"encounter_id":"E2","date_of_service":"2026-03-02","lines":[{"units":' + value
        bad += b"}]}"
    else:  # a free-form field the structural check would let through
        bad = b'{"encounter_id":"E2","date_of_service":"2026-03-02","documentation":'
        bad += b'{"administrations":[{"dose":{"value":' + value + b',"unit":"mcg"}}]}}'
    data = b"[\n" + line("E1") + b",\n" + bad + b",\n" + line("E3") + b"\n]"
    items = json_items(data)
    assert summary(items) == [
        ("E1", 2, "record"),
        ("B12-INPUT-001", 3, "error"),
        ("E3", 4, "record"),
    ]
    assert only_error(items).message.startswith("not valid JSON")


def test_json_deep_nesting_does_not_crash() -> None:
    items = json_items(b"[" * 100_000)
    assert summary(items) == [("B12-INPUT-004", 1, "error")]
    items = json_items(b"[\n" + line("E1") + b",\n" + b"[" * 100_000)
    assert summary(items) == [("E1", 2, "record"), ("B12-INPUT-004", 3, "error")]
    assert "nests deeper than 64 levels" in items[-1].message  # type: ignore[union-attr]


def test_json_nesting_over_the_depth_limit_is_a_limit_error() -> None:
    deep = line("E2", x=json.loads("[" * 70 + "]" * 70))
    items = json_items(b"[" + line("E1") + b",\n" + deep + b",\n" + line("E3") + b"]")
    assert summary(items) == [
        ("E1", 1, "record"),
        ("B12-INPUT-004", 2, "error"),
        ("E3", 3, "record"),
    ]


def test_json_record_over_the_size_limit() -> None:
    limits = Limits(max_record_bytes=200)
    data = pretty_list(rec("E1"), rec("E2", note="x" * 500), rec("E3"))
    assert summary(json_items(data, limits)) == [
        ("E1", 2, "record"),
        ("B12-INPUT-004", 6, "error"),
        ("E3", 11, "record"),
    ]


def test_json_size_limit_counts_bytes_not_characters() -> None:
    record = line("E1", note="\u00e9" * 60)  # 60 characters, 120 bytes
    limits = Limits(max_record_bytes=len(record) - 30)
    assert len(record.decode()) < limits.max_record_bytes < len(record)
    assert summary(json_items(record, limits)) == [("B12-INPUT-004", 1, "error")]


@pytest.mark.parametrize("data", [b"", b"  \n\t ", b"[]", b"[\n]\n", b"\xef\xbb\xbf"])
def test_json_empty_documents_have_no_records(data: bytes) -> None:
    assert json_items(data) == []


@pytest.mark.parametrize(
    ("data", "rule"),
    [
        (b"42", "B12-INPUT-002"),
        (b'"text"', "B12-INPUT-002"),
        (b"null", "B12-INPUT-002"),
        (b"{", "B12-INPUT-001"),
        (b"[,]", "B12-INPUT-001"),
    ],
)
def test_json_top_level_scalars_and_garbage(data: bytes, rule: str) -> None:
    assert summary(json_items(data)) == [(rule, 1, "error")]


# --------------------------------------------------------------------------- .yaml


def yaml_items(text: str | bytes, limits: Limits | None = None) -> list[Item]:
    data = text.encode() if isinstance(text, str) else text
    return list(read_yaml(data, "in.yaml", limits or Limits()))


YAML_LIST = """\
- encounter_id: E1
  date_of_service: 2026-03-02
- encounter_id: E2
  date_of_service: not-a-date
- 42
-
  encounter_id: E4
  date_of_service: "2026-03-02"
  lines:
    - {code: J3420, units: 1}
"""


def test_yaml_list_of_records_with_per_item_lines() -> None:
    items = yaml_items(YAML_LIST)
    assert summary(items) == [
        ("E1", 1, "record"),
        ("B12-INPUT-002", 3, "error"),
        ("B12-INPUT-002", 5, "error"),
        ("E4", 7, "record"),
    ]
    second = items[1]
    assert isinstance(second, InputError)
    assert (second.pointer, second.encounter_id) == ("/date_of_service", "E2")


def test_yaml_single_record_and_several_documents() -> None:
    text = "encounter_id: E1\ndate_of_service: 2026-03-02\n---\n" + YAML_LIST.split("- 42")[0]
    assert summary(yaml_items(text)) == [
        ("E1", 1, "record"),
        ("E1", 4, "record"),
        ("B12-INPUT-002", 6, "error"),
    ]


def test_yaml_dates_may_be_unquoted_but_not_date_times() -> None:
    items = yaml_items("encounter_id: E1\ndate_of_service: 2026-03-02 10:00:00\n")
    assert summary(items) == [("B12-INPUT-002", 1, "error")]
    assert "date-time" in only_error(items).message


def test_yaml_bom() -> None:
    assert summary(yaml_items(b"\xef\xbb\xbfencounter_id: E1\ndate_of_service: 2026-03-02\n")) == [
        ("E1", 1, "record")
    ]


def test_yaml_invalid_utf8() -> None:
    items = yaml_items(b"encounter_id: E1\ndate_of_service: 2026-03-02\nnote: caf\xe9\n")
    error = only_error(items)
    assert (error.source.line, error.message) == (1, "not valid UTF-8 text (line 3)")


def test_yaml_integer_too_long_to_convert_is_an_input_error_the_next_record_read() -> None:
    """An integer of more digits than Python converts (4,300) was an internal error (exit 2)."""
    text = (
        f"- encounter_id: E1\n  date_of_service: 2026-03-02\n  units: {'9' * 5000}\n"
        "- encounter_id: E2\n  date_of_service: 2026-03-02\n"
    )
    items = yaml_items(text)
    assert summary(items) == [("B12-INPUT-001", 1, "error"), ("E2", 4, "record")]
    assert "number too long" in only_error(items).message


def test_yaml_alias_is_an_input_error_at_its_line() -> None:
    text = (
        "encounter_id: E0\ndate_of_service: 2026-03-02\n---\n"
        "- encounter_id: E1\n  date_of_service: 2026-03-02\n  lines: &l [{code: J3420}]\n"
        "- encounter_id: E2\n  date_of_service: 2026-03-02\n  lines: *l\n"
    )
    items = yaml_items(text)
    assert items[0].source.line == 1 and isinstance(items[0], Record)
    # Both the item that defines the anchor and the one that uses it are refused, each at its
    # own line; nothing is expanded and the count of records stays exact.
    assert summary(items) == [
        ("E0", 1, "record"),
        ("B12-INPUT-001", 4, "error"),
        ("B12-INPUT-001", 7, "error"),
    ]
    assert all("aliases are not allowed" in i.message for i in items[1:])


def test_yaml_alias_bomb_is_refused_per_item_without_expansion() -> None:
    levels = "".join(
        f"  l{n}: &l{n} [{', '.join(['*l' + str(n - 1)] * 10)}]\n" for n in range(1, 10)
    )
    text = "- encounter_id: BOMB\n  date_of_service: 2026-03-02\n  l0: &l0 [lol]\n" + levels
    text += "- encounter_id: OK\n  date_of_service: 2026-03-02\n"
    assert summary(yaml_items(text)) == [("B12-INPUT-001", 1, "error"), ("OK", 13, "record")]


def test_yaml_python_tag_is_refused_and_never_executed(tmp_path: Path) -> None:
    marker = tmp_path / "pwned"
    text = (
        "- encounter_id: E1\n  date_of_service: 2026-03-02\n"
        f"- !!python/object/apply:os.system ['touch {marker}']\n"
    )
    items = yaml_items(text)
    assert summary(items) == [("E1", 1, "record"), ("B12-INPUT-001", 3, "error")]
    assert "tag" in only_error(items).message
    assert not marker.exists()


def test_yaml_python_tag_only_loses_its_own_record() -> None:
    text = (
        "- encounter_id: E1\n  date_of_service: 2026-03-02\n"
        "- !!python/object/apply:os.system ['true']\n"
        "- encounter_id: E3\n  date_of_service: 2026-03-02\n"
    )
    assert summary(yaml_items(text)) == [
        ("E1", 1, "record"),
        ("B12-INPUT-001", 3, "error"),
        ("E3", 4, "record"),
    ]


def test_yaml_syntax_error_has_a_line() -> None:
    items = yaml_items("- encounter_id: E1\n  date_of_service: 2026-03-02\n- {a: [\n")
    error = only_error(items)
    assert error.rule_id == "B12-INPUT-001" and error.source.line == 4


def test_yaml_deep_nesting_does_not_crash() -> None:
    items = yaml_items("[" * 5000)
    assert summary(items)[0][0] == "B12-INPUT-004"


def test_yaml_top_level_scalar_and_empty() -> None:
    assert summary(yaml_items("hello\n")) == [("B12-INPUT-002", 1, "error")]
    assert yaml_items("") == []
    assert yaml_items("# only a comment\n") == []


def test_yaml_file_over_the_limit() -> None:
    items = yaml_items(YAML_LIST, Limits(max_yaml_bytes=50))
    assert summary(items) == [("B12-INPUT-001", 1, "error")]


# --------------------------------------------------------------------------- by file name


@pytest.mark.parametrize(
    ("name", "content"),
    [
        ("a.jsonl", line("E1") + b"\n" + line("E2") + b"\n"),
        ("a.ndjson", line("E1") + b"\n" + line("E2") + b"\n"),
        ("a.json", b"[" + line("E1") + b",\n" + line("E2") + b"]"),
        ("a.JSON", b"[" + line("E1") + b",\n" + line("E2") + b"]"),
        (
            "a.yaml",
            b"- {encounter_id: E1, date_of_service: 2026-03-02}\n"
            b"- {encounter_id: E2, date_of_service: 2026-03-02}\n",
        ),
        (
            "a.yml",
            b"- {encounter_id: E1, date_of_service: 2026-03-02}\n"
            b"- {encounter_id: E2, date_of_service: 2026-03-02}\n",
        ),
    ],
)
def test_read_file_picks_the_reader_by_extension(tmp_path: Path, name: str, content: bytes) -> None:
    path = tmp_path / name
    path.write_bytes(content)
    items = list(read_file(str(path), path))
    assert [(i.encounter["encounter_id"], i.source.file) for i in items] == [  # type: ignore[union-attr]
        ("E1", str(path)),
        ("E2", str(path)),
    ]


def test_read_file_over_the_file_size_limit(tmp_path: Path) -> None:
    path = tmp_path / "big.json"
    path.write_bytes(pretty_list(rec("E1"), rec("E2")))
    items = list(read_file("big.json", path, limits=Limits(max_file_bytes=10)))
    error = only_error(items)
    assert (error.source.file, error.source.line) == ("big.json", None)
    assert ".jsonl" in error.message


def test_read_file_forced_format(tmp_path: Path) -> None:
    path = tmp_path / "records.txt"
    path.write_bytes(line("E1") + b"\n" + line("E2") + b"\n")
    assert len(list(read_file("records.txt", path, forced="jsonl"))) == 2


def test_json_list_trailing_comma_is_an_input_error_after_the_good_records(tmp_path: Path) -> None:
    text = '[\n{"encounter_id": "E1", "date_of_service": "2026-03-02"},\n]\n'
    items = list(read_json(text.encode(), "in.json"))
    assert summary(items) == [("E1", 2, "record"), ("B12-INPUT-001", 3, "error")]
    assert "trailing comma" in items[1].message
