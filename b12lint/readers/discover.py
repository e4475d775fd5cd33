"""Which files to read and with which reader: paths, directories (recursive), stdin.

A format is chosen by ``--input-format``, else by extension, else by content
(:mod:`b12lint.readers.sniff`: ``.txt``, ``.dat``, ``.edi``, ``.x12``, ``.837`` and
extension-less files); a ``.json``/``.jsonl`` holding FHIR is read as FHIR, and a FHIR bulk
export's manifest (``manifest.json``) is no record: a note names it, the export's files use it.
A directory read counts the files it skips, by reason (:class:`Expansion`).
"""

from __future__ import annotations

import functools
import io
import os
import stat
import sys
from collections import Counter
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import IO

import orjson

from b12lint.model import Source
from b12lint.readers.base import DEFAULT_LIMITS, Item, Limits, unreadable
from b12lint.readers.csv_reader import CsvOptions, read_csv
from b12lint.readers.fhir import looks_like_fhir, read_fhir
from b12lint.readers.fhir_bulk import is_bulk_manifest, read_fhir_path
from b12lint.readers.native import read_json, read_jsonl, read_yaml
from b12lint.readers.own import own_file
from b12lint.readers.sniff import UNKNOWN, container, detect, sniff, unknown_message
from b12lint.readers.stats import current
from b12lint.readers.streams import plain, prefixed, utf8_stream

BytesReader = Callable[[bytes, str, Limits], Iterator[Item]]
StreamReader = Callable[[IO[bytes], str, Limits], Iterator[Item]]


def read_x12(stream: IO[bytes], file: str, limits: Limits = DEFAULT_LIMITS) -> Iterator[Item]:
    """X12 837P and 837I claims (:mod:`b12lint.readers.x12`, imported on first use)."""
    from b12lint.readers.x12 import read_x12 as reader

    return reader(stream, file, limits)


#: Input formats by name; each reads the whole file (bytes) or streams it.
BYTES_READERS: dict[str, BytesReader] = {"json": read_json, "yaml": read_yaml, "fhir": read_fhir}
STREAM_READERS: dict[str, StreamReader] = {"jsonl": read_jsonl, "x12": read_x12, "csv": read_csv}
EXTENSIONS: dict[str, str] = {
    ".json": "json",
    ".jsonl": "jsonl",
    ".ndjson": "jsonl",
    ".yaml": "yaml",
    ".yml": "yaml",
    ".837": "x12",
    ".x12": "x12",
    ".edi": "x12",
    ".csv": "csv",
}
#: Formats whose extension may hide a FHIR Bundle or NDJSON of resources (content decides).
SNIFFED = frozenset({"json", "jsonl"})
#: Suffixes read by content (X12, FHIR, native JSON/JSONL/YAML), in a directory as when named.
BY_CONTENT = frozenset({".txt", ".dat", ".edi", ".x12", ".837", ""})
"""(Content that is none of them: X12 for the X12 names, whose reader says what is wrong.)"""
#: Compressed files (gzip, bzip2, xz): read as the name without this suffix says
#: (``claims.jsonl.gz`` is JSONL), decompressed as they stream (their magic bytes decide).
COMPRESSED_SUFFIXES = frozenset({".gz", ".bz2", ".xz"})
#: What may hold claims but is not read: archives and spreadsheets. A directory read does not
#: skip them: each is one input error saying what it is (never a silent skip).
CONTAINERS = frozenset(
    {".zip", ".tar", ".tgz", ".tbz2", ".txz", ".7z", ".rar", ".zst", ".xlsx", ".xlsm", ".xls",
     ".xlsb", ".ods", ".numbers"}
)  # fmt: skip
#: Of those, the suffixes that promise nothing: in a directory, such a file that holds none of
#: the formats is skipped (and counted); named on the command line, it is an input error.
GENERIC = frozenset({".txt", ".dat", ""})
#: Why a directory read skips a file (the keys of ``summary.skipped_files``).
SKIP_HIDDEN = "hidden"
SKIP_CHART = "chart"
SKIP_EXTENSION = "extension"
SKIP_CONTENT = "content"
SKIP_OWN = "own"
SKIP_SPECIAL = "special"
SKIP_LINKED = "linked"
SKIP_REASONS: dict[str, str] = {
    SKIP_HIDDEN: "hidden (a name starting with '.')",
    SKIP_CHART: "chart (*.chart.*, read with --documentation)",
    SKIP_EXTENSION: "with an extension b12lint does not read",
    SKIP_CONTENT: "holding no claim data (.txt, .dat or no extension)",
    SKIP_OWN: "b12lint's own (a baseline or a report it wrote)",
    SKIP_SPECIAL: "not a regular file (a pipe, socket or device)",
    SKIP_LINKED: "a link to a folder read already (or to one of its parents)",
}
"""What each reason means, as the run's note says it after a count."""
HEAD_BYTES = 65536
STDIN = "-"
#: Files whose name contains this are charts (``claims.chart.jsonl``): a directory read skips them.
CHART_MARK = ".chart."
#: Office's lock files (``~$claims.xlsx``): owner names, no data; skipped as hidden files are.
LOCK_MARK = "~$"


class InputPathError(Exception):
    """A path given on the command line that cannot be read (exit code 2)."""


def formats() -> list[str]:
    """Every input format name."""
    return sorted({*BYTES_READERS, *STREAM_READERS})


def _head(stream: IO[bytes], limits: Limits) -> bytes:
    """The whole first non-blank line (:func:`sniff`), topped up to ``HEAD_BYTES`` for FHIR."""
    head = sniff(stream, limits)
    return head + stream.read(max(0, HEAD_BYTES - len(head)))


def _display(path: Path) -> str:
    """How findings name a file: its path, with bytes of the name that are not UTF-8 (a
    Latin-1 name from a Windows share or a zip) shown as U+FFFD, as every report can write."""
    name = path.as_posix()
    if name.isascii():
        return name
    return name.encode("utf-8", "surrogateescape").decode("utf-8", "replace")


@dataclass
class Expansion:
    """The files to read, in order, and what directory reads skipped (reason → count)."""

    files: list[tuple[str, Path | None]] = field(default_factory=list)
    skipped: Counter[str] = field(default_factory=Counter)


def expand(paths: Sequence[str]) -> list[tuple[str, Path | None]]:
    """``(display name, path)`` for each file to read (:func:`expand_inputs`)."""
    return expand_inputs(paths).files


def expand_inputs(paths: Sequence[str], limits: Limits = DEFAULT_LIMITS) -> Expansion:
    """Each file to read, directories expanded in sorted order, and what they skipped.

    ``-`` stands for stdin (path None). A path given explicitly that does not exist or cannot
    be opened raises :class:`InputPathError`. In a directory, files with a known extension are
    read, files named ``.txt``, ``.dat`` or with no extension only if their content is one of
    the formats; hidden files, chart files and other extensions are skipped and counted.
    """
    out = Expansion()
    for given in paths:
        if given == STDIN:
            out.files.append(("<stdin>", None))
            continue
        path = Path(given)
        if path.is_dir():
            if not os.access(path, os.R_OK | os.X_OK):
                raise InputPathError(f"{given}: directory cannot be read")
            out.files.extend((_display(child), child) for child in _walk(path, out.skipped, limits))
            continue
        if not path.exists():
            raise InputPathError(f"{given}: no such file or directory")
        if not (path.is_file() or _stream_file(path)) or not os.access(path, os.R_OK):
            raise InputPathError(f"{given}: cannot be read")
        if path.is_file() and own_file(path):
            continue  # named by a glob or a pre-commit hook: not a claim file (a note says so)
        out.files.append((_display(path), path))
    return out


def _stream_file(path: Path) -> bool:
    """Whether a path is a pipe or a character device (``<(zcat claims.gz)``, ``/dev/stdin``):
    named on the command line it is read once, as a stream."""
    try:
        mode = path.stat().st_mode
    except OSError:
        return False
    return stat.S_ISFIFO(mode) or stat.S_ISCHR(mode)


def _walk(root: Path, skipped: Counter[str], limits: Limits) -> list[Path]:
    """The files of a directory tree to read, sorted; ``skipped`` counts the others.

    Links to folders are followed, each folder read once (a link back to a parent or to a
    folder already read is counted, never a loop). A link that leads nowhere is kept, so that
    reading it reports it; archives and spreadsheets are kept too (:data:`CONTAINERS`).
    """
    found: list[Path] = []
    seen: set[tuple[int, int]] = set()
    for folder, dirs, names in os.walk(root, followlinks=True):
        try:
            info = Path(folder).stat()
        except OSError:
            continue
        if (info.st_dev, info.st_ino) in seen:
            skipped[SKIP_LINKED] += 1
            dirs[:] = []
            continue
        seen.add((info.st_dev, info.st_ino))
        hidden = sum(1 for d in dirs if d.startswith("."))
        if hidden:
            skipped[SKIP_HIDDEN] += hidden  # a hidden directory counts once, unread
            dirs[:] = [d for d in dirs if not d.startswith(".")]
        for name in names:
            child = Path(folder, name)
            kind = _kind(child, name, limits)
            if kind is None:
                found.append(child)
            else:
                skipped[kind] += 1
    return sorted(found)


def _kind(child: Path, name: str, limits: Limits) -> str | None:
    """Why a directory read skips a file (None: it is read, or reported as unreadable)."""
    if name.startswith(".") or name.startswith(LOCK_MARK):
        return SKIP_HIDDEN
    if CHART_MARK in name:
        return SKIP_CHART  # a chart kept beside the claims: --documentation
    if not child.exists():
        return None  # a link that leads nowhere: reading it says so
    if not child.is_file():
        return SKIP_SPECIAL  # a FIFO would block the run; a socket or device holds no claims
    if own_file(child):
        return SKIP_OWN  # a baseline or report kept beside the claims
    suffix = _suffix(child)
    if suffix in GENERIC:
        return None if _holds_records(child, limits) else SKIP_CONTENT
    if suffix in EXTENSIONS or suffix in CONTAINERS:
        return None
    return SKIP_EXTENSION


def _suffix(path: Path) -> str:
    """A file's format suffix, lower-cased: the one before a compression suffix, if any
    (``.jsonl`` for ``claims.jsonl.gz``; ``.tar`` for ``claims.tar.gz``, ``.gz`` alone)."""
    suffix = path.suffix.lower()
    if suffix in COMPRESSED_SUFFIXES:
        inner = Path(path.stem).suffix.lower()
        if inner in EXTENSIONS or inner in CONTAINERS or inner in BY_CONTENT - {""}:
            return inner
        return "" if not inner else suffix
    return suffix


def _holds_records(path: Path, limits: Limits) -> bool:
    """Whether a file's content is one of the formats, or an archive or workbook that may
    hold claims (read, to report it); a file that cannot be opened is read, so that its error
    is reported."""
    try:
        with path.open("rb") as handle:
            head = _head(utf8_stream(handle), limits)
    except OSError:
        return True
    return detect(head) != UNKNOWN or (container(head) is not None and b"%PDF" not in head[:5])


def format_of(path: Path | None, forced: str | None) -> str | None:
    """The format name for a file: forced, else by extension (None: detect from content)."""
    if forced:
        return forced
    if path is None or _suffix(path) in BY_CONTENT:
        return None
    return EXTENSIONS.get(_suffix(path))


def _decide(by_name: str | None, forced: str | None, head: bytes, path: Path | None = None) -> str:
    """The format to read: forced, else the extension's (a .json/.jsonl may be FHIR), else
    the content's; content that is none of the formats is read as its extension says (X12
    for ``.837``, ``.x12``, ``.edi``: the X12 reader names what is wrong), else ``UNKNOWN``."""
    if forced:
        return forced
    if by_name is None:
        fmt = detect(head)
        if fmt == UNKNOWN and path is not None:
            return EXTENSIONS.get(_suffix(path), UNKNOWN)
        return fmt
    if by_name in SNIFFED and looks_like_fhir(head):
        return "fhir"
    if by_name in SNIFFED:
        return _json_or_lines(by_name, head)
    return by_name


def _json_or_lines(by_name: str, head: bytes) -> str:
    """``.json`` holding JSON lines (a first line that is a whole object) is read as JSONL, a
    ``.jsonl`` holding a pretty-printed list (a first line ``[`` alone) as JSON: either way
    every record is read, where the name's reader would lose all but one to a parse error."""
    text = head.lstrip(b"\xef\xbb\xbf \t\r\n")
    first, _, rest = text.partition(b"\n")
    first = first.strip()
    if (
        by_name == "json"
        and first.startswith(b"{")
        and first.endswith(b"}")
        and rest.lstrip().startswith(b"{")
    ):
        return "jsonl"  # (one line alone is read as the document it is: a manifest, a record)
    if by_name == "jsonl" and first.startswith(b"[") and not first.endswith(b"]"):
        return "json"
    return by_name


def read_file(
    display: str,
    path: Path | None,
    *,
    forced: str | None = None,
    limits: Limits = DEFAULT_LIMITS,
    stdin: IO[bytes] | None = None,
    csv: CsvOptions | None = None,
) -> Iterator[Item]:
    """Every item of one input file (or stdin); UTF-16 text (with its byte-order mark) is
    read as UTF-8; content that is none of the formats is one input error naming them."""
    by_name = format_of(path, forced)
    try:
        if path is None:
            yield from _read_stream(
                display, stdin or sys.stdin.buffer, by_name, forced, limits, csv, None
            )
            return
        with path.open("rb") as handle:
            yield from _read_stream(display, handle, by_name, forced, limits, csv, path)
    except OSError as exc:
        yield unreadable(Source(display, None), f"cannot read file: {exc.strerror or exc}")


def file_format(path: Path, forced: str | None = None, limits: Limits = DEFAULT_LIMITS) -> str:
    """The format a file is read as: forced, else by extension and content (raises OSError);
    ``unknown`` for content that is none of the formats."""
    by_name = format_of(path, forced)
    if forced or (by_name is not None and by_name not in SNIFFED):
        return _decide(by_name, forced, b"")
    with path.open("rb") as handle:
        return _decide(by_name, forced, _head(utf8_stream(handle), limits), path)


def stdin_format(
    data: IO[bytes], forced: str | None = None, limits: Limits = DEFAULT_LIMITS
) -> str:
    """The format of stdin's content (forced, else detected from its head; rewinds ``data``)."""
    if forced:
        return forced
    position = data.tell()
    fmt = detect(_head(data, limits))
    data.seek(position)
    return fmt


def read_range(
    display: str,
    path: Path,
    start: int,
    size: int,
    limits: Limits = DEFAULT_LIMITS,
) -> Iterator[Item]:
    """The records of ``size`` bytes of a ``.jsonl`` file from byte ``start`` (a line start).

    Lines are numbered from 1 at ``start``: the caller adds the lines before it. For
    ``--jobs``, which splits a file into such shares (:mod:`b12lint.parallel`).
    """
    try:
        with path.open("rb") as handle:
            handle.seek(start)
            yield from read_jsonl(handle, display, limits, size=size, first=start == 0)
    except OSError as exc:
        yield unreadable(Source(display, None), f"cannot read file: {exc.strerror or exc}")


def _read_stream(
    display: str,
    source: IO[bytes],
    by_name: str | None,
    forced: str | None,
    limits: Limits,
    csv: CsvOptions | None,
    path: Path | None,
) -> Iterator[Item]:
    """One input (a file, or stdin when ``path`` is None), streamed for line formats (bounded
    memory, however long); the whole-document formats are read up to their size limit."""
    stream = utf8_stream(source)
    head = _head(stream, limits) if forced is None else b""
    fmt = _decide(by_name, forced, head, path)
    if forced is None and len(head) < HEAD_BYTES and not head.strip(b"\xef\xbb\xbf \t\r\n"):
        current().notes.append(f"{display}: empty (no record in it)")  # a failed export?
    if fmt == UNKNOWN or (forced is None and container(head) is not None):
        # an archive, a workbook, a PDF or an HTML page is named as such, whatever its name
        yield unreadable(Source(display, None), unknown_message(head))
        return
    if fmt == "fhir" and path is not None and plain(path):
        # a UTF-8 file on disk: NDJSON streamed twice, a bulk export resolved across its files
        # (a compressed, UTF-16 or CR-ended file, or a pipe, is read from its stream below)
        yield from read_fhir_path(path, display, limits)
        return
    stream = prefixed(head, stream)
    stream_reader = _stream_reader(fmt, csv)
    if stream_reader is not None:
        yield from stream_reader(stream, display, limits)
        return
    if path is not None:
        limit = limits.max_file_bytes
        too_big = f"file larger than {limit:,} bytes: use .jsonl for big batches"
    else:
        limit = limits.max_yaml_bytes if fmt == "yaml" else limits.max_file_bytes
        too_big = (
            f"input larger than {limit:,} bytes: use .jsonl (read as a stream) for big batches"
        )
    if path is not None and path.stat().st_size > limit and plain(path):
        yield unreadable(Source(display, None), too_big)
        return
    data = stream.read(limit + 1)
    if len(data) > limit:
        yield unreadable(Source(display, None), too_big)
        return
    if fmt == "json" and forced is None and _bulk_manifest(data):
        current().notes.append(
            f"{display}: a FHIR bulk export manifest (transactionTime, output), not records: "
            "not read as such; the export's files take their types from it"
        )
        return
    yield from _read_bytes(fmt, data, display, limits, csv)


def _bulk_manifest(data: bytes) -> bool:
    """Whether JSON text is a FHIR bulk export manifest (parsed only when it may be one)."""
    if b'"transactionTime"' not in data or b'"output"' not in data:
        return False
    try:
        doc = orjson.loads(data.removeprefix(b"\xef\xbb\xbf"))
    except orjson.JSONDecodeError:
        return False
    return is_bulk_manifest(doc)


def _stream_reader(fmt: str, csv: CsvOptions | None) -> StreamReader | None:
    if fmt == "csv" and csv is not None:
        return functools.partial(read_csv, options=csv)
    return STREAM_READERS.get(fmt)


def _read_bytes(
    fmt: str, data: bytes, display: str, limits: Limits, csv: CsvOptions | None = None
) -> Iterator[Item]:
    if fmt in BYTES_READERS:
        yield from BYTES_READERS[fmt](data, display, limits)
        return
    stream_reader = _stream_reader(fmt, csv)
    if stream_reader is not None:
        yield from stream_reader(io.BytesIO(data), display, limits)
        return
    raise InputPathError(f"{display}: unknown input format {fmt!r}")


def read_inputs(
    paths: Sequence[str],
    *,
    forced: str | None = None,
    limits: Limits = DEFAULT_LIMITS,
    stdin: IO[bytes] | None = None,
    csv: CsvOptions | None = None,
) -> Iterator[Item]:
    """Every item of every input, in order (paths are checked before the first is read).

    ``csv`` says how to read CSV exports (column mapping; the defaults otherwise).
    """
    files = expand(paths)  # every path is checked before the first is read
    for display, path in files:
        yield from read_file(display, path, forced=forced, limits=limits, stdin=stdin, csv=csv)
