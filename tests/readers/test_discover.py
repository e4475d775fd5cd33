"""Which files are read: directories recursively in sorted order, stdin with format detection."""

from __future__ import annotations

import io
import json
import os
import threading
from pathlib import Path

import pytest

from b12lint.model import InputError, Record
from b12lint.readers import InputPathError, expand, formats, read_inputs
from b12lint.readers.sniff import detect, sniff


def line(eid: str) -> str:
    return json.dumps({"encounter_id": eid, "date_of_service": "2026-03-02"})


@pytest.fixture
def tree(tmp_path: Path) -> Path:
    root = tmp_path / "claims"
    files = {
        "b.jsonl": line("B1") + "\n",
        "a.json": json.dumps([json.loads(line("A1")), json.loads(line("A2"))]),
        "sub/c.yaml": "encounter_id: C1\ndate_of_service: 2026-03-02\n",
        "sub/deeper/d.yml": "- encounter_id: D1\n  date_of_service: 2026-03-02\n",
        "sub/e.ndjson": line("E1") + "\n",
        "Z.JSONL": line("Z1") + "\n",
        "notes.txt": "not a record",
        "claims.bak": line("X1") + "\n",
        ".hidden.jsonl": line("H1") + "\n",
        ".git/objects.json": line("G1"),
        "sub/.cache/x.jsonl": line("H2") + "\n",
        "README": "nothing",
    }
    for rel, text in files.items():
        path = root / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
    return root


def test_directories_are_read_recursively_in_sorted_order(tree: Path) -> None:
    found = [display for display, _ in expand([str(tree)])]
    rel = [Path(d).relative_to(tree).as_posix() for d in found]
    assert rel == ["Z.JSONL", "a.json", "b.jsonl", "sub/c.yaml", "sub/deeper/d.yml", "sub/e.ndjson"]
    ids = [
        item.encounter["encounter_id"]
        for item in read_inputs([str(tree)])
        if isinstance(item, Record)
    ]
    assert ids == ["Z1", "A1", "A2", "B1", "C1", "D1", "E1"]


def test_explicit_files_keep_their_order_and_any_extension_is_tried(tree: Path) -> None:
    found = expand([str(tree / "b.jsonl"), str(tree / "a.json")])
    assert [d for d, _ in found] == [(tree / "b.jsonl").as_posix(), (tree / "a.json").as_posix()]


def test_an_explicit_file_with_an_unknown_extension_is_detected(tmp_path: Path) -> None:
    path = tmp_path / "batch.txt"
    path.write_text(line("T1") + "\n" + line("T2") + "\n", encoding="utf-8")
    items = list(read_inputs([str(path)]))
    assert [i.encounter["encounter_id"] for i in items if isinstance(i, Record)] == ["T1", "T2"]


def test_a_missing_path_is_an_input_path_error(tree: Path) -> None:
    with pytest.raises(InputPathError, match="no such file or directory"):
        expand([str(tree / "b.jsonl"), str(tree / "missing.jsonl")])


def test_paths_are_checked_before_anything_is_read(tree: Path) -> None:
    items = read_inputs([str(tree / "b.jsonl"), str(tree / "missing.jsonl")])
    with pytest.raises(InputPathError):
        next(iter(items))


@pytest.mark.skipif(os.geteuid() == 0, reason="root can read any file")
def test_an_unreadable_file_is_an_input_path_error(tmp_path: Path) -> None:
    path = tmp_path / "secret.jsonl"
    path.write_text(line("S1"), encoding="utf-8")
    path.chmod(0)
    with pytest.raises(InputPathError, match="cannot be read"):
        expand([str(path)])


def test_a_pipe_named_on_the_command_line_is_read_once(tmp_path: Path) -> None:
    """``b12lint check <(zcat claims.jsonl.gz)``: the shell passes a FIFO (or /dev/fd/N)."""
    fifo = tmp_path / "pipe"
    os.mkfifo(fifo)
    assert expand([str(fifo)]) == [(fifo.as_posix(), fifo)]
    writer = threading.Thread(target=fifo.write_text, args=(line("P1") + "\n",))
    writer.start()
    items = list(read_inputs([str(fifo)]))
    writer.join()
    assert [i.encounter["encounter_id"] for i in items if not isinstance(i, InputError)] == ["P1"]


def test_a_socket_named_on_the_command_line_is_refused(tmp_path: Path) -> None:
    import socket

    path = tmp_path / "s.sock"
    server = socket.socket(socket.AF_UNIX)
    try:
        server.bind(str(path))
        with pytest.raises(InputPathError, match="cannot be read"):
            expand([str(path)])
    finally:
        server.close()


def test_an_empty_directory_has_no_records(tmp_path: Path) -> None:
    assert expand([str(tmp_path)]) == []
    assert list(read_inputs([str(tmp_path)])) == []


@pytest.mark.parametrize(
    ("content", "ids"),
    [
        pytest.param(line("S1") + "\n" + line("S2") + "\n", ["S1", "S2"], id="jsonl"),
        pytest.param("\ufeff" + line("S1") + "\n" + line("S2"), ["S1", "S2"], id="jsonl-bom"),
        pytest.param(
            json.dumps([json.loads(line("S1")), json.loads(line("S2"))], indent=2),
            ["S1", "S2"],
            id="json-list",
        ),
        pytest.param(json.dumps(json.loads(line("S1")), indent=2), ["S1"], id="json-pretty"),
        pytest.param(
            "- encounter_id: S1\n  date_of_service: 2026-03-02\n"
            "- encounter_id: S2\n  date_of_service: 2026-03-02\n",
            ["S1", "S2"],
            id="yaml",
        ),
        pytest.param("", [], id="empty"),
    ],
)
def test_stdin_with_format_detection(content: str, ids: list[str]) -> None:
    stdin = io.BytesIO(content.encode("utf-8"))
    items = list(read_inputs(["-"], stdin=stdin))
    assert all(isinstance(i, Record) for i in items)
    assert [i.encounter["encounter_id"] for i in items] == ids  # type: ignore[union-attr]
    assert all(i.source.file == "<stdin>" for i in items)


def test_stdin_bad_record_keeps_the_others() -> None:
    stdin = io.BytesIO((line("S1") + "\n{bad\n" + line("S3") + "\n").encode())
    items = list(read_inputs(["-"], stdin=stdin))
    assert [(type(i).__name__, i.source.line) for i in items] == [
        ("Record", 1),
        ("InputError", 2),
        ("Record", 3),
    ]


def test_stdin_forced_format() -> None:
    stdin = io.BytesIO(b"encounter_id: S1\ndate_of_service: 2026-03-02\n")
    (item,) = read_inputs(["-"], forced="yaml", stdin=stdin)
    assert isinstance(item, Record)
    stdin = io.BytesIO(b"encounter_id: S1\ndate_of_service: 2026-03-02\n")
    (error,) = read_inputs(["-"], forced="json", stdin=stdin)
    assert isinstance(error, InputError)


@pytest.mark.parametrize(
    ("head", "fmt"),
    [
        (b'{"a": 1}\n{"a": 2}\n', "jsonl"),
        (b'{"a": 1}', "jsonl"),
        (b'{\n  "a": 1\n}\n', "json"),
        (b"  [\n", "json"),
        (b"\xef\xbb\xbf[", "json"),
        (b"a: 1\n", "yaml"),
        (b"- a: 1\n", "yaml"),
        (b"", "jsonl"),
    ],
)
def test_detect(head: bytes, fmt: str) -> None:
    assert detect(head) == fmt


def test_formats() -> None:
    assert {"json", "jsonl", "yaml"} <= set(formats())


def long_line(eid: str, size: int) -> str:
    record = json.loads(line(eid))
    record["documentation"] = {"indication": "x" * size}
    return json.dumps(record)


def test_stdin_jsonl_with_a_long_first_record_is_still_jsonl() -> None:
    text = "\n\n" + long_line("L1", 20_000) + "\n" + line("L2") + "\n" + line("L3") + "\n"
    items = list(read_inputs(["-"], stdin=io.BytesIO(text.encode())))
    assert [(type(i).__name__, i.source.line) for i in items] == [
        ("Record", 3),
        ("Record", 4),
        ("Record", 5),
    ]


def test_a_file_without_extension_and_a_long_first_record(tmp_path: Path) -> None:
    path = tmp_path / "export"
    path.write_text(long_line("L1", 20_000) + "\n" + line("L2") + "\n", encoding="utf-8")
    items = list(read_inputs([str(path)]))
    assert all(isinstance(i, Record) for i in items)
    assert len(items) == 2


def test_sniff_reads_up_to_the_first_non_blank_line() -> None:
    stream = io.BytesIO(b"\n  \n" + b'{"a": "' + b"x" * 10_000 + b'"}\n{"b": 1}\n')
    head = sniff(stream)
    assert head.endswith(b'"}\n') and b'"b"' not in head
    assert detect(head) == "jsonl"


def test_directory_read_skips_chart_files(tmp_path: Path) -> None:
    (tmp_path / "claims.jsonl").write_text("{}\n")
    (tmp_path / "claims.chart.jsonl").write_text("{}\n")
    names = [display for display, _ in expand([str(tmp_path)])]
    assert names == [f"{tmp_path.as_posix()}/claims.jsonl"]
    # named explicitly, a chart-named file is read as given
    assert [d for d, _ in expand([str(tmp_path / "claims.chart.jsonl")])] == [
        f"{tmp_path.as_posix()}/claims.chart.jsonl"
    ]
