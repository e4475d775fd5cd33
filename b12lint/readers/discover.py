"""Which files to read and with which reader: paths, directories (recursive), stdin."""

from __future__ import annotations

import functools
import io
import os
import sys
from collections.abc import Callable, Iterator, Sequence
from pathlib import Path
from typing import IO, Any

from b12lint.model import Source
from b12lint.readers.base import DEFAULT_LIMITS, Item, Limits, unreadable
from b12lint.readers.csv_reader import CsvOptions, read_csv
from b12lint.readers.fhir import looks_like_fhir, read_fhir
from b12lint.readers.fhir_bulk import read_fhir_path
from b12lint.readers.native import read_json, read_jsonl, read_yaml
from b12lint.readers.own import own_file

BytesReader = Callable[[bytes, str, Limits], Iterator[Item]]
StreamReader = Callable[[IO[bytes], str, Limits], Iterator[Item]]


def read_x12(stream: IO[bytes], file: str, limits: Limits = DEFAULT_LIMITS) -> Iterator[Item]:
    """X12 837P claims (:mod:`b12lint.readers.x12`, imported on first use)."""
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
HEAD_BYTES = 65536
_CHUNK = 1 << 16
STDIN = "-"
#: Files whose name contains this are charts (``claims.chart.jsonl``): a directory read skips them.
CHART_MARK = ".chart."


class InputPathError(Exception):
    """A path given on the command line that cannot be read (exit code 2)."""


def formats() -> list[str]:
    """Every input format name."""
    return sorted({*BYTES_READERS, *STREAM_READERS})


def detect(head: bytes, default: str = "jsonl") -> str:
    """Guess the format of content with no telling extension (stdin): X12 by its ISA header,
    FHIR by a top-level ``resourceType``, else native JSON, JSONL or YAML (CSV must be named)."""
    text = head.lstrip(b"\xef\xbb\xbf \t\r\n")
    if text.startswith(b"ISA"):
        return "x12"
    if looks_like_fhir(text):
        return "fhir"
    if text.startswith(b"["):
        return "json"
    if text.startswith(b"{"):
        first = text.split(b"\n", 1)[0].strip()
        return "jsonl" if first.endswith(b"}") else "json"
    return "yaml" if text else default


def sniff(stream: IO[bytes], limits: Limits = DEFAULT_LIMITS) -> bytes:
    """The head :func:`detect` needs: blank lines, then the whole first non-blank line.

    A fixed-size head would cut a long first ``.jsonl`` record short and have it taken for a
    pretty-printed ``.json`` document (every record after the first then lost).
    """
    head = b""
    while len(head) <= limits.max_record_bytes:
        line = stream.readline(limits.max_record_bytes + 1)
        head += line
        if not line or line.strip(b"\xef\xbb\xbf \t\r\n"):
            break
    return head


def _head(stream: IO[bytes], limits: Limits) -> bytes:
    """The whole first non-blank line (:func:`sniff`), topped up to ``HEAD_BYTES`` for FHIR."""
    head = sniff(stream, limits)
    return head + stream.read(max(0, HEAD_BYTES - len(head)))


def _display(path: Path) -> str:
    return path.as_posix()


def expand(paths: Sequence[str]) -> list[tuple[str, Path | None]]:
    """``(display name, path)`` for each file to read, directories expanded in sorted order.

    ``-`` stands for stdin (path None). A path given explicitly that does not exist or cannot
    be opened raises :class:`InputPathError`; inside a directory only known extensions are read.
    b12lint's own files (baselines, reports: :mod:`b12lint.readers.own`) are never read.
    """
    out: list[tuple[str, Path | None]] = []
    for given in paths:
        if given == STDIN:
            out.append(("<stdin>", None))
            continue
        path = Path(given)
        if path.is_dir():
            if not os.access(path, os.R_OK | os.X_OK):
                raise InputPathError(f"{given}: directory cannot be read")
            for child in sorted(path.rglob("*")):
                rel = child.relative_to(path)
                if any(part.startswith(".") for part in rel.parts):
                    continue
                if CHART_MARK in child.name:
                    continue  # a chart file kept beside the claims: read with --documentation
                if child.is_file() and child.suffix.lower() in EXTENSIONS and not own_file(child):
                    out.append((_display(child), child))
            continue
        if not path.exists():
            raise InputPathError(f"{given}: no such file or directory")
        if not path.is_file() or not os.access(path, os.R_OK):
            raise InputPathError(f"{given}: cannot be read")
        if own_file(path):
            continue  # named by a glob or a pre-commit hook: not a claim file (a note says so)
        out.append((_display(path), path))
    return out


def format_of(path: Path | None, forced: str | None) -> str | None:
    """The format name for a file: forced, else by extension (None: detect from content)."""
    if forced:
        return forced
    if path is None:
        return None
    return EXTENSIONS.get(path.suffix.lower())


def read_file(
    display: str,
    path: Path | None,
    *,
    forced: str | None = None,
    limits: Limits = DEFAULT_LIMITS,
    stdin: IO[bytes] | None = None,
    csv: CsvOptions | None = None,
) -> Iterator[Item]:
    """Every item of one input file (or stdin)."""
    fmt = format_of(path, forced)
    try:
        if path is None:
            yield from _read_stdin(display, stdin or sys.stdin.buffer, fmt, limits, csv)
            return
        fmt = file_format(path, forced, limits)
        if fmt == "fhir":  # NDJSON streamed; a bulk export resolved across its files
            yield from read_fhir_path(path, display, limits)
            return
        stream_reader = _stream_reader(fmt, csv)
        if stream_reader is not None:
            with path.open("rb") as handle:
                yield from stream_reader(handle, display, limits)
            return
        if path.stat().st_size > limits.max_file_bytes:
            yield unreadable(
                Source(display, None),
                f"file larger than {limits.max_file_bytes:,} bytes: use .jsonl for big batches",
            )
            return
        yield from _read_bytes(fmt, path.read_bytes(), display, limits, csv)
    except OSError as exc:
        yield unreadable(Source(display, None), f"cannot read file: {exc.strerror or exc}")


def file_format(path: Path, forced: str | None = None, limits: Limits = DEFAULT_LIMITS) -> str:
    """The format a file is read as: forced, else by extension and content (raises OSError)."""
    fmt = format_of(path, forced)
    if fmt is None or (forced is None and fmt in SNIFFED):
        with path.open("rb") as handle:
            head = _head(handle, limits)
        fmt = "fhir" if looks_like_fhir(head) else fmt or detect(head)
    return fmt


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


class _Prefixed(io.RawIOBase):
    """A stream that reads ``head`` (bytes already taken from ``rest``), then ``rest``."""

    def __init__(self, head: bytes, rest: IO[bytes]) -> None:
        super().__init__()
        self.head = memoryview(head)
        self.rest = rest
        self.read_rest = getattr(rest, "read1", rest.read)

    def readable(self) -> bool:
        return True

    def readinto(self, buffer: Any) -> int:
        if self.head:
            n = min(len(buffer), len(self.head))
            buffer[:n] = self.head[:n]
            self.head = self.head[n:]
            return n
        data = self.read_rest(len(buffer))
        buffer[: len(data)] = data
        return len(data)


def _read_stdin(
    display: str, source: IO[bytes], fmt: str | None, limits: Limits, csv: CsvOptions | None
) -> Iterator[Item]:
    """Standard input, streamed for line formats (bounded memory, however long the input);
    the whole-document formats are read up to their size limit."""
    head = _head(source, limits)
    fmt = fmt or detect(head)
    stream = io.BufferedReader(_Prefixed(head, source), buffer_size=_CHUNK)
    stream_reader = _stream_reader(fmt, csv)
    if stream_reader is not None:
        yield from stream_reader(stream, display, limits)
        return
    limit = limits.max_yaml_bytes if fmt == "yaml" else limits.max_file_bytes
    data = stream.read(limit + 1)
    if len(data) > limit:
        yield unreadable(
            Source(display, None),
            f"input larger than {limit:,} bytes: use .jsonl (read as a stream) for big batches",
        )
        return
    yield from _read_bytes(fmt, data, display, limits, csv)


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
    files = expand(paths)
    for display, path in files:
        yield from read_file(display, path, forced=forced, limits=limits, stdin=stdin, csv=csv)
