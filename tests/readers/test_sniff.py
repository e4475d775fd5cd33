"""Content sniffing: .txt, .dat, .edi, .x12, .837 and extension-less files are read by content,
in a directory as on the command line; content that is none of the formats is one clear input
error (or, in a directory, a counted skip of a .txt/.dat/extension-less file); UTF-16 and a
UTF-8 byte-order mark are handled."""

from __future__ import annotations

import codecs
import io
import json
from pathlib import Path

import pytest
from fhir_build import base, bundle, claim, dumps
from x12_build import Subscriber, b12_claim, interchange

from b12lint.model import InputError, Record
from b12lint.readers import expand_inputs, file_format, read_inputs
from b12lint.readers.sniff import UNKNOWN, detect, looks_like_yaml

X12 = interchange([[Subscriber(claims=[b12_claim("X1")])]]).encode("latin-1")
FHIR = dumps(bundle([*base(), claim("F1", "p1", "2026-03-02", [("J3420", 1, 12.0)], ["D51.0"])]))
JSONL = (json.dumps({"encounter_id": "J1", "date_of_service": "2026-03-02"}) + "\n").encode()
YAML = b"# exported\n---\nencounter_id: Y1\ndate_of_service: 2026-03-02\n"


def ids(items: list[Record | InputError]) -> list[str]:
    return [i.encounter["encounter_id"] for i in items if isinstance(i, Record)]


def only_error(items: list[Record | InputError]) -> InputError:
    (error,) = items
    assert isinstance(error, InputError)
    return error


@pytest.mark.parametrize("name", ["claims.txt", "claims.dat", "claims", "claims.edi", "c.837"])
@pytest.mark.parametrize(
    ("content", "expected"),
    [(X12, ["X1"]), (FHIR, ["F1"]), (JSONL, ["J1"]), (YAML, ["Y1"])],
    ids=["x12", "fhir", "jsonl", "yaml"],
)
def test_named_files_are_read_by_content(tmp_path, name, content, expected):
    path = tmp_path / name
    path.write_bytes(content)
    assert ids(list(read_inputs([str(path)]))) == expected


def test_a_directory_reads_by_content_and_counts_what_it_skips(tmp_path):
    root = tmp_path / "export"
    (root / "sub").mkdir(parents=True)
    (root / "a.txt").write_bytes(X12)
    (root / "sub" / "b.dat").write_bytes(FHIR)
    (root / "sub" / "c").write_bytes(JSONL)
    (root / "d.x12").write_bytes(X12.replace(b"X1", b"X2"))
    (root / "README").write_text("How these claims were exported.\n")
    (root / "notes.txt").write_bytes(b"\x89PNG\r\n\x1a\n\x00\x00")
    (root / "scan.pdf").write_bytes(b"%PDF-1.7")
    (root / "visit.chart.jsonl").write_bytes(JSONL)
    (root / ".DS_Store").write_bytes(b"\x00")
    (root / ".git").mkdir()
    (root / ".git" / "HEAD.json").write_bytes(JSONL)
    expansion = expand_inputs([str(root)])
    assert [Path(d).name for d, _ in expansion.files] == ["a.txt", "d.x12", "b.dat", "c"]
    assert expansion.skipped == {"content": 2, "extension": 1, "chart": 1, "hidden": 2}
    assert sorted(ids(list(read_inputs([str(root)])))) == ["F1", "J1", "X1", "X2"]


@pytest.mark.parametrize(
    ("content", "says"),
    [
        (b"How these claims were exported.\n", "text that is none of these"),
        (b"\x89PNG\r\n\x1a\n\x00\x00\x00", "binary data"),
        (b"encounter_id,date_of_service,code\nE1,2026-03-02,J3420\n", "CSV export"),
        ("encounter_id: E1\n".encode("utf-16-le"), "UTF-16 text without a byte-order mark"),
        (b"ISX*00*garbage\n", "text that is none of these"),
    ],
)
@pytest.mark.parametrize("name", ["junk.txt", "junk.dat", "junk"])
def test_content_that_is_no_format_is_one_clear_input_error(tmp_path, content, says, name):
    path = tmp_path / name
    path.write_bytes(content)
    error = only_error(list(read_inputs([str(path)])))
    assert "not a format b12lint reads: expected an X12 837 interchange" in error.message
    assert says in error.message
    assert "YAML" not in error.message.split("expected")[0]  # no YAML parse error
    assert error.source.file == path.as_posix() and error.source.line is None
    assert file_format(path) == UNKNOWN


@pytest.mark.parametrize("name", ["junk.837", "junk.x12", "junk.edi"])
def test_an_x12_name_that_holds_no_format_gets_the_x12_readers_one_message(tmp_path, name):
    path = tmp_path / name
    path.write_bytes(b"\x89PNG\r\n\x1a\n\x00\x00\x00")
    error = only_error(list(read_inputs([str(path)])))
    assert "not an X12 interchange: expected an ISA header here" in error.message
    assert file_format(path) == "x12"


def test_stdin_that_is_no_format_is_one_clear_input_error():
    error = only_error(list(read_inputs(["-"], stdin=io.BytesIO(b"hello there\nworld\n"))))
    assert error.message.startswith("not a format b12lint reads")


@pytest.mark.parametrize("codec", ["utf-16", "utf-16-le", "utf-16-be"])
@pytest.mark.parametrize("content", [X12, JSONL, YAML, FHIR], ids=["x12", "jsonl", "yaml", "fhir"])
def test_utf16_with_a_byte_order_mark_is_read(tmp_path, codec, content):
    bom = {"utf-16-le": codecs.BOM_UTF16_LE, "utf-16-be": codecs.BOM_UTF16_BE}.get(codec, b"")
    path = tmp_path / "export.txt"
    path.write_bytes(bom + content.decode("latin-1").encode(codec))
    items = list(read_inputs([str(path)]))
    assert all(isinstance(i, Record) for i in items) and len(items) == 1
    folder = tmp_path / "dir"
    folder.mkdir()
    (folder / "export").write_bytes(path.read_bytes())
    assert len(list(read_inputs([str(folder)]))) == 1


@pytest.mark.parametrize("content", [X12, JSONL, YAML, FHIR], ids=["x12", "jsonl", "yaml", "fhir"])
def test_a_utf8_byte_order_mark_is_read(tmp_path, content):
    path = tmp_path / "export.dat"
    path.write_bytes(codecs.BOM_UTF8 + content)
    assert len(ids(list(read_inputs([str(path)])))) == 1


@pytest.mark.parametrize(
    ("text", "yes"),
    [
        (b"encounter_id: E1\n", True),
        (b"- encounter_id: E1\n", True),
        (b"%YAML 1.2\n---\n'encounter id': 1\n", True),
        (b"- {encounter_id: E1}\n", True),
        (b"Dear auditor: here are the claims\n", False),
        (b"hello\n", False),
        (b"http://example.org\n", False),
    ],
)
def test_looks_like_yaml(text, yes):
    assert looks_like_yaml(text) is yes
    assert (detect(text) == "yaml") is yes
