"""Every file a user could hand over is read, or reported: never a silent pass, never a traceback.

What a user expects, written down before the readers were read (each case below tests it):

- Windows and old-Mac text is claims as much as Unix text: a UTF-8 byte-order mark, UTF-16 LE
  or BE with its byte-order mark (Excel's and Notepad's "Unicode"), lines ended by CR alone
  or a mix of CRLF and LF are read exactly as the same claims in plain UTF-8 (same findings).
- Text that is not text (Latin-1/cp1252 bytes, a NUL) is an input error at its line; the
  records around it are read, and it never changes what a record says (a NUL in an encounter
  id must not make a second encounter).
- What users hand over instead of an export is named, never skipped silently: a ``.gz`` (or
  ``.bz2``, ``.xz``) of a format is read; a ZIP or tar archive, an Excel workbook (also one
  saved under a ``.csv`` name), a PDF, an HTML error page saved as ``.json`` is one input error
  naming the file and what it is, in a directory as on the command line (a PDF in a folder is
  the one exception: a scanned document beside an export is counted as skipped, as before).
- CSV as spreadsheets write it is read: ``;`` or tab separators, Excel's ``sep=`` first line,
  quoted line breaks. A header naming a column twice, or a row with more cells than the
  header (columns that do not line up), is an input error, never a guess.
- Directories: nested folders and names with spaces or non-ASCII are read; hidden files,
  editor swap files and Office lock files (``~$name``) are counted as skipped; a link to a
  folder is followed once (a loop is counted, never followed forever); a link to nothing, a
  file that vanishes or cannot be read is an input error naming it; a FIFO in a folder is
  counted as skipped (reading it could block), a pipe named on the command line is read.
- Whatever is not read, the exit code is 1 (input errors count as errors), never 0; the rest
  of the batch is still checked; the same with ``--jobs 2`` and on stdin.
"""

from __future__ import annotations

import bz2
import gzip
import io
import json
import lzma
import os
import tarfile
import threading
import zipfile
from pathlib import Path
from typing import Any

import pytest
from cli_isolation import isolated  # noqa: F401 (an autouse fixture)
from click.testing import CliRunner

from b12lint.cli import cli
from b12lint.model import InputError
from b12lint.readers import read_inputs

REPO = Path(__file__).resolve().parents[2]
SAMPLES = REPO / "sample_claims"
GOOD = (SAMPLES / "clinic-a-2026q1.jsonl").read_bytes().split(b"\n", 1)[0] + b"\n"  # clean
CSV = (
    b"encounter_id,patient_id,date_of_service,place_of_service,rendering_npi,payer_id,"
    b"payer_name,payer_type,diagnoses,code,units,modifiers,dx_pointers,ndc,ndc_quantity,"
    b"ndc_unit,charge\n"
    b"C-1,PT-0001,2026-01-05,11,1234567893,00952,Medicare Part B,medicare,D51.0,J3420,1,,1,"
    b"00517003101,1,ML,12.00\n"
    b"C-1,PT-0001,2026-01-05,11,1234567893,00952,Medicare Part B,medicare,D51.0,96372,1,,1,,,,"
    b"25.00\n"
    b"C-2,PT-0002,2026-01-05,11,1234567893,00952,Medicare Part B,medicare,D51.0,J3420,2,,1,"
    b"00517003101,1,ML,24.00\n"
)
#: One sample of each format (name, bytes): what a transformed copy must read the same as.
PLAIN: dict[str, tuple[str, bytes]] = {
    "jsonl": ("claims.jsonl", (SAMPLES / "clinic-h-2026-07.jsonl").read_bytes()),
    "json": ("claims.json", (SAMPLES / "clinic-b-2026-04.json").read_bytes()),
    "yaml": ("claims.yaml", (SAMPLES / "clinic-c-2026-05.yaml").read_bytes()),
    "x12": ("claims.837", (SAMPLES / "clinic-e-2026-06.837").read_bytes()),
    "fhir": ("claims.json", (SAMPLES / "clinic-f-2026-06.fhir.json").read_bytes()),
    "csv": ("claims.csv", CSV),
}


def check(*args: str, stdin: bytes | None = None) -> tuple[int, dict[str, Any], str]:
    """Exit code, JSON report and stderr of one run (an exception fails the test)."""
    result = CliRunner().invoke(
        cli, ["check", "-f", "json", *args], input=stdin, catch_exceptions=False
    )
    assert "Traceback" not in result.stderr
    report = json.loads(result.stdout) if result.stdout.strip() else {}
    return result.exit_code, report, result.stderr


def write(path: Path, data: bytes) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(data)
    return path


def findings(report: dict[str, Any]) -> list[tuple[str, str, Any]]:
    """What was found, without the file name (which differs between copies)."""
    return [
        (f["rule_id"], f.get("encounter_id", ""), f["location"].get("pointer"))
        for f in report["findings"]
    ]


def inputs(report: dict[str, Any]) -> list[dict[str, Any]]:
    return [f for f in report["findings"] if f["category"] == "input"]


def counts(report: dict[str, Any]) -> tuple[int, int]:
    return report["summary"]["encounters"], report["summary"]["input_errors"]


def utf16le(data: bytes) -> bytes:
    return b"\xff\xfe" + data.decode("utf-8").encode("utf-16-le")


def utf16be(data: bytes) -> bytes:
    return b"\xfe\xff" + data.decode("utf-8").encode("utf-16-be")


def mixed_crlf(data: bytes) -> bytes:
    lines = data.split(b"\n")
    return (
        b"".join(line + (b"\r\n" if i % 2 else b"\n") for i, line in enumerate(lines[:-1]))
        + lines[-1]
    )


ENCODINGS = {
    "utf8-bom": lambda data: b"\xef\xbb\xbf" + data,
    "utf16-le": utf16le,
    "utf16-be": utf16be,
    "cr-only": lambda data: data.replace(b"\n", b"\r"),
    "mixed-crlf": mixed_crlf,
    "gzip": gzip.compress,
    "bzip2": bz2.compress,
    "xz": lzma.compress,
}
COMPRESSED_SUFFIX = {"gzip": ".gz", "bzip2": ".bz2", "xz": ".xz"}


def transformed_name(name: str, encoding: str) -> str:
    return name + COMPRESSED_SUFFIX.get(encoding, "")


@pytest.mark.parametrize("fmt", sorted(PLAIN))
@pytest.mark.parametrize("encoding", sorted(ENCODINGS))
def test_an_encoding_or_compression_reads_as_the_plain_file(
    tmp_path: Path, fmt: str, encoding: str
) -> None:
    name, data = PLAIN[fmt]
    plain_code, plain, _ = check(str(write(tmp_path / "plain" / name, data)), "-j", "1")
    copy = write(tmp_path / "copy" / transformed_name(name, encoding), ENCODINGS[encoding](data))
    code, report, _ = check(str(copy), "-j", "1")
    assert code == plain_code
    assert counts(report) == counts(plain) and findings(report) == findings(plain)
    # the same in a directory beside another file
    write(tmp_path / "dir" / transformed_name(name, encoding), ENCODINGS[encoding](data))
    write(tmp_path / "dir" / "zz-good.jsonl", GOOD)
    _, in_dir, _ = check(str(tmp_path / "dir"), "-j", "1")
    assert counts(in_dir) == (counts(plain)[0] + 1, counts(plain)[1])
    assert "skipped_files" not in in_dir["summary"]


@pytest.mark.parametrize("encoding", ["utf16-le", "cr-only", "gzip", "utf8-bom"])
@pytest.mark.parametrize("fmt", ["jsonl", "x12", "csv"])
def test_an_encoding_reads_the_same_on_stdin(fmt: str, encoding: str) -> None:
    data = PLAIN[fmt][1]
    forced = ["--input-format", "csv"] if fmt == "csv" else []
    _, plain, _ = check("-", "-j", "1", *forced, stdin=data)
    _, report, _ = check("-", "-j", "1", *forced, stdin=ENCODINGS[encoding](data))
    assert counts(report) == counts(plain) and findings(report) == findings(plain)
    assert counts(plain)[0] > 0


@pytest.mark.slow
@pytest.mark.parametrize("encoding", ["utf16-le", "cr-only", "gzip"])
def test_a_big_jsonl_in_another_encoding_is_not_cut_into_byte_ranges(
    tmp_path: Path, encoding: str
) -> None:
    """--jobs cuts a big .jsonl at LF bytes: a UTF-16, CR-ended or compressed file has none
    where its lines end, and was read as 3,001 broken records before."""
    record = json.loads(GOOD)
    lines = []
    for i in range(3000):
        record["encounter_id"], record["patient_id"] = f"E-{i}", f"P-{i}"
        lines.append(json.dumps(record))
    data = ("\n".join(lines) + "\n").encode()
    path = write(tmp_path / transformed_name("big.jsonl", encoding), ENCODINGS[encoding](data))
    code, report, _ = check(str(path), "-j", "2")
    assert (code, counts(report)) == (0, (3000, 0))


def test_the_modes_agree_with_jobs_2(tmp_path: Path) -> None:
    """Files of three encodings in a directory: --jobs 2 reads what --jobs 1 reads."""
    name, data = PLAIN["jsonl"]
    for i, encoding in enumerate(("utf16-be", "cr-only", "gzip")):
        ids = data.replace(b'"encounter_id": "H-', f'"encounter_id": "{i}H-'.encode())
        write(tmp_path / "d" / transformed_name(f"{i}-{name}", encoding), ENCODINGS[encoding](ids))
    one = check(str(tmp_path / "d"), "-j", "1")[1]
    two = check(str(tmp_path / "d"), "-j", "2")[1]
    assert counts(one) == counts(two) == (3 * data.count(b"\n"), 0)
    assert one["findings"] == two["findings"]


# --- What is not read is reported: as a file, in a directory, on stdin, with --jobs 2 -------


def zipped(name: str, data: bytes) -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as archive:
        archive.writestr(name, data)
    return out.getvalue()


def tarred(name: str, data: bytes) -> bytes:
    out = io.BytesIO()
    with tarfile.open(fileobj=out, mode="w") as archive:
        info = tarfile.TarInfo(name)
        info.size = len(data)
        archive.addfile(info, io.BytesIO(data))
    return out.getvalue()


HTML = b"<!DOCTYPE html>\n<html><head><title>502 Bad Gateway</title></head><body></body></html>\n"
X12 = PLAIN["x12"][1]
#: name, content, what the message must say (the file is named by the finding's location).
REPORTED: list[tuple[str, bytes, str]] = [
    ("claims.zip", zipped("claims.jsonl", GOOD), "ZIP archive"),
    ("claims.tar", tarred("claims.jsonl", GOOD), "tar archive"),
    ("claims.tar.gz", gzip.compress(tarred("claims.jsonl", GOOD)), "tar archive"),
    ("claims.xlsx", zipped("xl/workbook.xml", b"<workbook/>"), "Excel"),
    ("claims.xls", b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + bytes(600), "Excel 97-2003"),
    ("export.csv", zipped("xl/workbook.xml", b"<workbook/>"), "Excel"),  # a workbook named .csv
    ("export-97.csv", b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + bytes(600), "Excel 97-2003"),
    ("error.json", HTML, "HTML page"),
    ("scan.json", b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n", "PDF document"),
    ("error.txt", HTML, "HTML page"),
    ("cut.jsonl.gz", gzip.compress(GOOD * 50)[:200], "compressed data is cut off"),
    ("latin1.jsonl", GOOD.replace(b'"PT-0001"', b'"PT-J\xe9r\xf4me"'), "UTF-8"),
    ("nul.jsonl", GOOD.replace(b"A-100", b"A-\x00100"), "not valid JSON"),
    ("latin1.csv", CSV.replace(b"Medicare Part B", b"M\xe9dicare Part B", 1), "UTF-8"),
    ("nul.csv", CSV.replace(b"C-1,", b"C-1\x00,", 1), "control character"),
    ("twice.csv", CSV.replace(b",charge\n", b",units\n", 1), "names a column twice"),
    ("shifted.csv", CSV.replace(b"Medicare Part B", b"Medicare, Part B", 1), "do not line up"),
    ("truncated.837", X12[: X12.index(b"SV1*HC:96372")], "B12-INPUT"),
    ("hidden-x12.837", b"\n\n" + X12[: X12.rindex(b"IEA")], "IEA"),
]


def reported(report: dict[str, Any], name: str, says: str) -> dict[str, Any]:
    """The input finding on the file ``name`` (asserting the message says ``says``)."""
    mine = [f for f in inputs(report) if f["location"]["file"].endswith(name)]
    assert mine, (name, inputs(report))
    assert any(says in f["message"] or says in f["rule_id"] for f in mine), mine
    return mine[0]


@pytest.mark.parametrize(("name", "data", "says"), REPORTED, ids=[r[0] for r in REPORTED])
def test_what_is_not_read_is_an_input_error_naming_the_file(
    tmp_path: Path, name: str, data: bytes, says: str
) -> None:
    path = write(tmp_path / "one" / name, data)
    code, report, _ = check(str(path), "-j", "1")
    assert code == 1
    reported(report, name, says)
    # in a directory beside a good file: reported, and the good file still checked
    write(tmp_path / "dir" / "sub" / name, data)
    write(tmp_path / "dir" / "good.jsonl", GOOD)
    code, report, _ = check(str(tmp_path / "dir"), "-j", "1")
    assert code == 1
    reported(report, name, says)
    assert "A-100" not in {f.get("encounter_id") for f in inputs(report)}
    assert report["summary"]["encounters"] >= 1
    assert "skipped_files" not in report["summary"]


@pytest.mark.parametrize(
    ("name", "data", "says"),
    [r for r in REPORTED if not r[0].endswith(".csv")],
    ids=[r[0] for r in REPORTED if not r[0].endswith(".csv")],
)
def test_what_is_not_read_is_reported_on_stdin(name: str, data: bytes, says: str) -> None:
    code, report, _ = check("-", "-j", "1", stdin=data)
    assert code == 1 and inputs(report)
    assert all(f["location"]["file"] == "<stdin>" for f in inputs(report))


@pytest.mark.slow
def test_what_is_not_read_is_reported_with_jobs_2(tmp_path: Path) -> None:
    for name, data, _ in REPORTED:
        write(tmp_path / "dir" / name, data)
    write(tmp_path / "dir" / "good.jsonl", GOOD)
    one_code, one, _ = check(str(tmp_path / "dir"), "-j", "1")
    two_code, two, _ = check(str(tmp_path / "dir"), "-j", "2")
    assert one_code == two_code == 1
    assert one["findings"] == two["findings"] and one["summary"] == two["summary"]
    for name, _, says in REPORTED:
        reported(two, name, says)


def test_an_excel_sep_line_and_other_delimiters_are_read(tmp_path: Path) -> None:
    _, plain, _ = check(str(write(tmp_path / "plain.csv", CSV)), "-j", "1")
    assert counts(plain) == (2, 0)
    variants = {
        "sep.csv": b"sep=,\r\n" + CSV,
        "semicolon.csv": CSV.replace(b",", b";"),
        "sep-semicolon.csv": b"sep=;\n" + CSV.replace(b",", b";"),
        "tab.csv": CSV.replace(b",", b"\t"),
        "pipe.csv": CSV.replace(b",", b"|"),
        "unicode-text.csv": utf16le(CSV.replace(b",", b"\t").replace(b"\n", b"\r\n")),
        "quoted-newline.csv": CSV.replace(b"Medicare Part B", b'"Medicare\nPart B"'),
    }
    for name, data in variants.items():
        _, report, _ = check(str(write(tmp_path / name, data)), "-j", "1")
        assert counts(report) == (2, 0), name
        if name != "quoted-newline.csv":  # the payer name differs there, nothing else
            assert findings(report) == findings(plain), name
    # a row after a sep= line is located at its line in the file
    broken = b"sep=,\n" + CSV.replace(b"C-2,PT-0002,2026-01-05", b"C-2,PT-0002,2026-13-05")
    _, report, _ = check(str(write(tmp_path / "located.csv", broken)), "-j", "1")
    assert [f["location"]["line"] for f in inputs(report)] == [5]


def test_empty_files_are_named_in_a_note(tmp_path: Path) -> None:
    """Nothing in them is unread, but a 0-byte export is worth a word: alone, the run exits 2
    (no record at all); beside other files, a note names each."""
    root = tmp_path / "export"
    for name in ("zero.837", "blank.jsonl", "spaces.json", "empty.yaml", "empty.csv"):
        write(root / name, b"" if name.startswith(("zero", "empty")) else b" \r\n\t\n")
    write(root / "good.jsonl", GOOD)
    for jobs in ("1", "2"):
        code, report, stderr = check(str(root), "-j", jobs)
        assert code == 0 and counts(report) == (1, 0)
        for name in ("zero.837", "blank.jsonl", "spaces.json", "empty.yaml", "empty.csv"):
            assert f"{(root / name).as_posix()}: empty (no record in it)" in stderr
    code, _, stderr = check(str(root / "zero.837"))
    assert code == 2 and "no record found" in stderr


def test_office_line_breaks_in_a_csv_cell_and_a_dos_end_of_file_are_read(tmp_path: Path) -> None:
    header, *rows = CSV.split(b"\n")
    described = b"\n".join(
        [header + b",description", rows[0] + b',"B12\x0b1000 mcg\x0c"', *rows[1:]]
    )
    _, report, _ = check(str(write(tmp_path / "vt.csv", described + b"\x1a")), "-j", "1")
    assert counts(report) == (2, 0)


def test_a_csv_header_alone_and_a_10k_column_csv(tmp_path: Path) -> None:
    code, _, stderr = check(str(write(tmp_path / "header.csv", CSV.split(b"\n")[0] + b"\n")))
    assert code == 2 and "no record found" in stderr
    header, *rows = CSV.decode().splitlines()
    extra = ",".join(f"x{i}" for i in range(10_000))
    wide = "\n".join([header + "," + extra] + [r + "," + ",".join("0" * 10_000) for r in rows])
    code, report, _ = check(str(write(tmp_path / "wide.csv", wide.encode())), "-j", "1")
    assert counts(report) == (2, 0)


def test_a_line_over_the_size_limit_is_reported_and_the_next_is_read(tmp_path: Path) -> None:
    """The 200 MB single line, scaled down by the limit (the corpus has a 30 MB line)."""
    Path("b12lint.toml").write_text("limits = {max-record-bytes = 65536}\n")
    huge = b'{"encounter_id": "HUGE", "x": "' + b"a" * 300_000 + b'"}\n'
    for name in ("huge.jsonl", "huge.csv"):
        data = huge + GOOD if name.endswith(".jsonl") else CSV + b"C-9," + b"a" * 300_000 + b"\n"
        code, report, _ = check(str(write(tmp_path / name, data)), "-j", "1")
        assert code == 1
        assert [f["rule_id"] for f in inputs(report)] == ["B12-INPUT-004"], name
        assert report["summary"]["encounters"] >= 1


def test_a_first_line_over_the_limit_on_stdin_is_one_jsonl_line(tmp_path: Path) -> None:
    """Read by content, a cut first line was taken for a JSON document: read whole (up to
    2 GiB in memory), the good lines after it were lost to one parse error."""
    Path("b12lint.toml").write_text("limits = {max-record-bytes = 65536}\n")
    huge = b'{"encounter_id": "HUGE", "x": "' + b"a" * 300_000 + b'"}\n'
    for args, stdin in (
        (["-"], huge + GOOD),
        ([str(write(tmp_path / "huge.txt", huge + GOOD))], None),
    ):
        code, report, _ = check(*args, "-j", "1", stdin=stdin)
        assert code == 1 and counts(report) == (1, 1)
        assert [f["rule_id"] for f in inputs(report)] == ["B12-INPUT-004"]


def test_deeply_nested_json_is_an_input_error(tmp_path: Path) -> None:
    deep = b'{"encounter_id": "D", "date_of_service": "2026-01-05", "x": ' + b"[" * 100_000
    deep += b"]" * 100_000 + b"}\n"
    code, report, _ = check(str(write(tmp_path / "deep.jsonl", deep + GOOD)), "-j", "1")
    assert code == 1 and counts(report) == (1, 1)
    assert inputs(report)[0]["rule_id"] == "B12-INPUT-004"


# --- Directories ---------------------------------------------------------------------------


def record(eid: str) -> bytes:
    """The clean record A-100 as encounter ``eid`` of a patient of its own."""
    return GOOD.replace(b'"A-100"', json.dumps(eid).encode()).replace(
        b'"PT-0001"', json.dumps(f"PT-{eid}").encode()
    )


def test_a_directory_reads_nested_and_oddly_named_files_and_counts_junk(tmp_path: Path) -> None:
    root = tmp_path / "export"
    write(root / "a" / "b" / "c" / "deep.jsonl", record("N-1"))
    write(root / "with space é ü.jsonl", record("N-2"))
    write(root / "日本" / "クレーム.jsonl", record("N-3"))
    write(root / ".DS_Store", b"\x00\x00\x00\x01Bud1")
    write(root / ".claims.jsonl.swp", b"b0VIM 8.2" + bytes(100))
    write(root / "~$claims.xlsx", b"\x05owner" + bytes(150))  # Excel's lock file
    write(root / ".git" / "HEAD", b"ref: refs/heads/main\n")
    os.mkfifo(root / "pipe.jsonl")
    for jobs in ("1", "2"):
        code, report, stderr = check(str(root), "-j", jobs)
        assert code == 0 and counts(report) == (3, 0)
        assert report["summary"]["skipped_files"] == {"hidden": 4, "special": 1}
        assert "1 not a regular file" in stderr
        assert sorted(f["encounter_id"] for f in report["findings"]) == []


def test_links_to_folders_are_followed_once_and_a_loop_ends(tmp_path: Path) -> None:
    root = tmp_path / "export"
    write(root / "day1" / "a.jsonl", record("L-1"))
    write(tmp_path / "elsewhere" / "b.jsonl", record("L-2"))
    (root / "other").symlink_to(tmp_path / "elsewhere", target_is_directory=True)
    (root / "day1" / "loop").symlink_to(root, target_is_directory=True)
    (root / "again").symlink_to(root / "day1", target_is_directory=True)
    code, report, stderr = check(str(root), "-j", "1")
    assert code == 0 and counts(report) == (2, 0)  # b.jsonl was silently unread before
    assert report["summary"]["skipped_files"] == {"linked": 2}
    assert "2 a link to a folder read already" in stderr


def test_a_dangling_link_is_an_input_error_naming_it(tmp_path: Path) -> None:
    root = tmp_path / "export"
    write(root / "a.jsonl", record("D-1"))
    (root / "b.jsonl").symlink_to(tmp_path / "gone.jsonl")
    code, report, _ = check(str(root), "-j", "1")
    assert code == 1 and counts(report) == (1, 1)
    assert reported(report, "b.jsonl", "cannot read file")["rule_id"] == "B12-INPUT-001"


def test_a_file_that_vanishes_mid_run_is_an_input_error(tmp_path: Path) -> None:
    root = tmp_path / "export"
    write(root / "a.jsonl", record("V-1"))
    write(root / "b.jsonl", record("V-2"))
    items = read_inputs([str(root)])
    first = next(items)
    (root / "b.jsonl").unlink()
    rest = list(items)
    assert not isinstance(first, InputError)
    assert [(type(i).__name__, i.source.file) for i in rest] == [
        ("InputError", (root / "b.jsonl").as_posix())
    ]


@pytest.mark.skipif(os.geteuid() == 0, reason="root reads any file: permissions cannot be tested")
def test_an_unreadable_file_in_a_directory_is_an_input_error(tmp_path: Path) -> None:
    root = tmp_path / "export"
    write(root / "a.jsonl", record("P-1"))
    locked = write(root / "b.jsonl", record("P-2"))
    locked.chmod(0)
    try:
        code, report, _ = check(str(root), "-j", "1")
    finally:
        locked.chmod(0o600)
    assert code == 1 and counts(report) == (1, 1)
    reported(report, "b.jsonl", "cannot read file")


def test_a_pipe_on_the_command_line_is_read_with_jobs_2(tmp_path: Path) -> None:
    """``b12lint check <(zcat claims.jsonl.gz) -j 2``: the pipe is copied once, then read."""
    fifo = tmp_path / "pipe"
    os.mkfifo(fifo)
    write(tmp_path / "b.jsonl", record("F-2"))
    writer = threading.Thread(target=fifo.write_bytes, args=(gzip.compress(record("F-1")),))
    writer.start()
    code, report, _ = check(str(fifo), str(tmp_path / "b.jsonl"), "-j", "2")
    writer.join()
    assert code == 0 and counts(report) == (2, 0)


def test_a_utf16_file_with_a_lone_surrogate_reports_that_record(tmp_path: Path) -> None:
    """Bytes that are not UTF-16 were read as U+FFFD: a record silently altered."""
    first, second = record("S-1").decode(), record("S-2").decode()
    cut = second.index("S-2")
    data = b"\xff\xfe" + first.encode("utf-16-le") + second[:cut].encode("utf-16-le")
    data += (
        b"\x00\xd8" + second[cut:].encode("utf-16-le") + record("S-3").decode().encode("utf-16-le")
    )
    for args, stdin in (([str(write(tmp_path / "u.jsonl", data))], None), (["-"], data)):
        code, report, _ = check(*args, "-j", "1", stdin=stdin)
        assert code == 1 and counts(report) == (2, 1)
        assert [f["location"]["line"] for f in inputs(report)] == [2]


def test_json_lines_named_json_and_a_list_named_jsonl_read_every_record(tmp_path: Path) -> None:
    """Read by their names, JSON lines in a .json were 1 record and 1 error, a pretty
    list in a .jsonl 569 errors: the content decides between the two."""
    lines = PLAIN["jsonl"][1]
    pretty = json.dumps([json.loads(x) for x in lines.splitlines()], indent=2).encode()
    _, plain, _ = check(str(write(tmp_path / "plain.jsonl", lines)), "-j", "1")
    for name, data in (("lines.json", lines), ("pretty.jsonl", pretty)):
        for jobs in ("1", "2"):
            _, report, _ = check(str(write(tmp_path / name, data)), "-j", jobs)
            assert counts(report) == counts(plain) == (len(lines.splitlines()), 0), (name, jobs)
            assert findings(report) == findings(plain)
    one = json.dumps(json.loads(lines.splitlines()[0])).encode()  # one record on one line
    assert counts(check(str(write(tmp_path / "one.json", one)), "-j", "1")[1]) == (1, 0)


def test_a_file_name_that_is_not_utf8_is_reported_in_every_format(tmp_path: Path) -> None:
    """A Latin-1 name (a Windows share, an old zip): the JSON, SARIF and HTML reporters
    failed on it (exit 2, no report); the name is shown with U+FFFD for the byte."""
    folder = tmp_path / "export"
    folder.mkdir()
    unusual = record("B-1").replace(b'"units": 1', b'"units": 2', 1)
    with open(os.fsencode(folder) + b"/caf\xe9.jsonl", "wb") as handle:
        handle.write(unusual)
    for jobs in ("1", "2"):
        code, report, _ = check(str(folder), "-j", jobs)
        assert code == 1 and {f["location"]["file"] for f in report["findings"]} == {
            f"{folder.as_posix()}/caf\ufffd.jsonl"
        }
    for fmt in ("sarif", "html", "junit", "csv", "text", "jsonl", "github"):
        result = CliRunner().invoke(
            cli, ["check", str(folder), "-f", fmt, "-o", f"report.{fmt}", "-j", "1"]
        )
        assert result.exit_code == 1, (fmt, result.output)
