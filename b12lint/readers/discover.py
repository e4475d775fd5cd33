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
from b12lint.readers.sniff import UNKNOWN, detect, sniff, unknown_message
from b12lint.readers.stats import current
from b12lint.readers.streams import is_utf16, prefixed, utf8_stream

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
#: Of those, the suffixes that promise nothing: in a directory, such a file that holds none of
#: the formats is skipped (and counted); named on the command line, it is an input error.
GENERIC = frozenset({".txt", ".dat", ""})
#: Why a directory read skips a file (the keys of ``summary.skipped_files``).
SKIP_HIDDEN = "hidden"
SKIP_CHART = "chart"
SKIP_EXTENSION = "extension"
SKIP_CONTENT = "content"
SKIP_OWN = "own"
SKIP_REASONS: dict[str, str] = {
    SKIP_HIDDEN: "hidden (a name starting with '.')",
    SKIP_CHART: "chart (*.chart.*, read with --documentation)",
    SKIP_EXTENSION: "with an extension b12lint does not read",
    SKIP_CONTENT: "holding no claim data (.txt, .dat or no extension)",
    SKIP_OWN: "b12lint's own (a baseline or a report it wrote)",
}
"""What each reason means, as the run's note says it after a count."""
HEAD_BYTES = 65536
STDIN = "-"
#: Files whose name contains this are charts (``claims.chart.jsonl``): a directory read skips them.
CHART_MARK = ".chart."


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
    return path.as_posix()


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
        if not path.is_file() or not os.access(path, os.R_OK):
            raise InputPathError(f"{given}: cannot be read")
        if own_file(path):
            continue  # named by a glob or a pre-commit hook: not a claim file (a note says so)
        out.files.append((_display(path), path))
    return out


def _walk(root: Path, skipped: Counter[str], limits: Limits) -> list[Path]:
    """The files of a directory tree to read, sorted; ``skipped`` counts the others."""
    found: list[Path] = []
    for folder, dirs, names in os.walk(root):
        hidden = sum(1 for d in dirs if d.startswith("."))
        if hidden:
            skipped[SKIP_HIDDEN] += hidden  # a hidden directory counts once, unread
            dirs[:] = [d for d in dirs if not d.startswith(".")]
        for name in names:
            child = Path(folder, name)
            if name.startswith("."):
                skipped[SKIP_HIDDEN] += 1
            elif CHART_MARK in name:
                skipped[SKIP_CHART] += 1  # a chart kept beside the claims: --documentation
            elif not child.is_file():
                skipped[SKIP_EXTENSION] += 1
            elif own_file(child):
                skipped[SKIP_OWN] += 1  # a baseline or report kept beside the claims
            elif child.suffix.lower() in GENERIC:
                if _holds_records(child, limits):
                    found.append(child)
                else:
                    skipped[SKIP_CONTENT] += 1
            elif child.suffix.lower() in EXTENSIONS:
                found.append(child)
            else:
                skipped[SKIP_EXTENSION] += 1
    return sorted(found)


def _holds_records(path: Path, limits: Limits) -> bool:
    """Whether a file's content is one of the formats (a file that cannot be opened is read,
    so that its error is reported)."""
    try:
        with path.open("rb") as handle:
            return detect(_head(utf8_stream(handle), limits)) != UNKNOWN
    except OSError:
        return True


def format_of(path: Path | None, forced: str | None) -> str | None:
    """The format name for a file: forced, else by extension (None: detect from content)."""
    if forced:
        return forced
    if path is None or path.suffix.lower() in BY_CONTENT:
        return None
    return EXTENSIONS.get(path.suffix.lower())


def _decide(by_name: str | None, forced: str | None, head: bytes, path: Path | None = None) -> str:
    """The format to read: forced, else the extension's (a .json/.jsonl may be FHIR), else
    the content's; content that is none of the formats is read as its extension says (X12
    for ``.837``, ``.x12``, ``.edi``: the X12 reader names what is wrong), else ``UNKNOWN``."""
    if forced:
        return forced
    if by_name is None:
        fmt = detect(head)
        if fmt == UNKNOWN and path is not None:
            return EXTENSIONS.get(path.suffix.lower(), UNKNOWN)
        return fmt
    if by_name in SNIFFED and looks_like_fhir(head):
        return "fhir"
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
    if fmt == UNKNOWN:
        yield unreadable(Source(display, None), unknown_message(head))
        return
    if fmt == "fhir" and path is not None and not is_utf16(path):
        # a UTF-8 file on disk: NDJSON streamed twice, a bulk export resolved across its files
        # (a transcoded UTF-16 file is read from its stream below)
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
    if path is not None and path.stat().st_size > limit:
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
