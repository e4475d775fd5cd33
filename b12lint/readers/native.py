"""Native encounter files: ``.jsonl`` (a record a line), ``.json`` and ``.yaml`` (one record or
a list). Records stream one at a time with their 1-based line; a record that cannot be read
becomes an input error and the reader goes on with the next one where the format allows.
"""

from __future__ import annotations

import json
import math
import re
from collections.abc import Iterator
from typing import IO, Any

import orjson
import yaml

from b12lint import safeyaml
from b12lint.model import InputError, Source
from b12lint.readers.base import (
    DEFAULT_LIMITS,
    Item,
    Limits,
    Parsed,
    digest,
    to_item,
    to_json_item,
    unreadable,
)
from b12lint.readers.jsontext import RECORD_KEYS, skip_value
from b12lint.readers.typed import converter, json_values

BOM = b"\xef\xbb\xbf"
_CHUNK = 1 << 20


_SURROGATE = re.compile("[\udc80-\udcff]")
#: The integers orjson keeps as integers (64 bits, signed or not); others become floats.
_INT_MIN, _UINT_MAX = -(2**63), 2**64 - 1


class _StrictNumbers:
    """A JSON decoder for one document that notes values a record may not hold.

    ``NaN``/``Infinity`` are not JSON, and a number beyond the float range cannot be
    represented (orjson refuses both in ``.jsonl``). Parsing goes on and the record holding one
    becomes an input error, so that the records after it in a list are still read.
    """

    def __init__(self) -> None:
        self.problem: str | None = None
        self.decoder = json.JSONDecoder(
            parse_constant=self._constant, parse_float=self._float, parse_int=self._int
        )

    def _note(self, problem: str) -> None:
        if self.problem is None:
            self.problem = problem

    def _constant(self, name: str) -> Any:
        self._note(f"{name} is not valid JSON")
        return None

    def _float(self, text: str) -> Any:
        value = float(text)
        if not math.isfinite(value):
            self._note(f"number {text[:24]} is out of range")
            return None
        return value

    def _int(self, text: str) -> Any:
        try:
            value = int(text)
            if not _INT_MIN <= value <= _UINT_MAX:
                return float(value)  # as orjson reads .jsonl: the same record, the same value
        except (ValueError, OverflowError):
            self._note(f"an integer of {len(text)} digits is out of range")
            return None
        return value

    def take(self) -> str | None:
        """The first problem since the last call, if any."""
        problem, self.problem = self.problem, None
        return problem


def _json_error(exc: Exception) -> str:
    text = str(exc).split(": line ")[0]
    return f"not valid JSON ({text})"


def _skip_rest_of_line(stream: IO[bytes]) -> int:
    """Read past the end of the current line; the number of bytes skipped."""
    skipped = 0
    while True:
        chunk = stream.readline(_CHUNK)
        skipped += len(chunk)
        if not chunk or chunk.endswith(b"\n"):
            return skipped


def validated(
    parsed: Iterator[Parsed | InputError], limits: Limits = DEFAULT_LIMITS, *, fast: bool = True
) -> Iterator[Item]:
    """Each parsed value as a record or its input error. A value parsed from JSON text is
    checked by :func:`~b12lint.readers.base.to_json_item` (byte-level checks, msgspec); any
    other (YAML) that holds only JSON values is validated by msgspec where it accepts it;
    ``fast`` False walks it as before issue 13 (the same items: the differential tests' oracle).
    """
    convert = converter() if fast else None
    for value in parsed:
        if isinstance(value, InputError):
            yield value
        elif fast and value.json and value.raw is not None:
            yield to_json_item(value.obj, value.source, value.raw, limits, convert)
        else:  # a YAML record, or a .json one the byte checks leave: the fast conversion
            # takes it when it holds only what a JSON parser gives
            fast_ok = convert is not None and json_values(value.obj)
            yield to_item(
                value.obj,
                value.source,
                raw=value.raw,
                limits=limits,
                json_text=value.json,
                convert=convert if fast_ok else None,
            )


def read_jsonl(
    stream: IO[bytes],
    file: str,
    limits: Limits = DEFAULT_LIMITS,
    *,
    size: int | None = None,
    first: bool = True,
) -> Iterator[Item]:
    """One JSON record a line; blank lines are skipped, never counted as records.

    ``size`` reads only that many bytes from the stream's position (a share of a file that
    starts and ends at line boundaries, for ``--jobs``); lines are then numbered from 1 at
    that position, and ``first`` says whether it is the start of the file (a BOM is allowed).
    """
    return validated(parse_jsonl(stream, file, limits, size=size, first=first), limits)


def read_jsonl_walked(
    stream: IO[bytes], file: str, limits: Limits = DEFAULT_LIMITS
) -> Iterator[Item]:
    """:func:`read_jsonl` as it was before issue 13: every record walked for depth and key
    count and validated by pydantic. The same items, slower: the oracle of the differential
    tests and of ``bench/read_jsonl.py``."""
    return validated(parse_jsonl(stream, file, limits), limits, fast=False)


def parse_jsonl(
    stream: IO[bytes],
    file: str,
    limits: Limits = DEFAULT_LIMITS,
    *,
    size: int | None = None,
    first: bool = True,
) -> Iterator[Parsed | InputError]:
    """The parsed JSON value of each non-blank line (not yet validated), or its input error."""
    loads = orjson.loads
    number = 0
    left = -1 if size is None else size  # bytes still to read; -1: to the end
    cap = limits.max_record_bytes + 1
    while left:
        line = stream.readline(cap)
        if not line:
            return
        number += 1
        if left > 0:
            left = max(0, left - len(line))
        if len(line) == cap and not line.endswith(b"\n"):
            # the cap was hit: the rest of the line is skipped (a BOM counts toward the limit)
            skipped = _skip_rest_of_line(stream)
            if left > 0:
                left = max(0, left - skipped)
            yield to_limit_error(Source(file, number), limits)
            continue
        if number == 1 and first and line.startswith(BOM):
            line = line[len(BOM) :]
        if not line.strip():
            continue
        try:
            obj = loads(line)
        except orjson.JSONDecodeError as exc:
            yield _orjson_error(exc, Source(file, number), line, limits)
            continue
        yield Parsed(obj, Source(file, number), line, json=True)


def _orjson_error(
    exc: orjson.JSONDecodeError, source: Source, raw: bytes, limits: Limits
) -> InputError:
    """The input error of a line orjson refuses, in the words of the other readers."""
    text = str(exc)
    if "UTF-8" in text:
        return unreadable(source, "not valid UTF-8 text", raw)
    if "recursion" in text or "depth" in text:
        return too_deep(source, limits, raw)
    return unreadable(source, _json_error(exc), raw)


def too_deep(source: Source, limits: Limits, raw: bytes | None = None) -> InputError:
    """The input error of a record nested too deeply to be parsed."""
    return InputError(
        source,
        f"record nests deeper than {limits.max_depth} levels",
        rule_id="B12-INPUT-004",
        digest=digest(raw) if raw is not None else None,
    )


def read_line(line: bytes, source: Source, limits: Limits = DEFAULT_LIMITS) -> Item | None:
    """One ``.jsonl`` line (without its line break) read as :func:`read_jsonl` reads it: a
    record, its input error, or None for a blank line. For lines that arrive one by one (a
    Spark DataFrame of JSON text)."""
    if len(line) > limits.max_record_bytes:
        return to_limit_error(source, limits)
    if not line.strip():
        return None
    raw = line + b"\n"  # parsed as the file reader parses it, line break included
    try:
        obj = orjson.loads(raw)
    except orjson.JSONDecodeError as exc:
        return unreadable(source, _json_error(exc), raw)
    return to_item(obj, source, raw=raw, limits=limits)


def to_limit_error(source: Source, limits: Limits) -> InputError:
    """The input error of a record over the size limit."""
    return InputError(
        source,
        f"record larger than the {limits.max_record_bytes:,}-byte limit: not parsed",
        rule_id="B12-INPUT-004",
    )


def _encode(text: str) -> bytes:
    """The bytes of a record as they were in the file (escaped bytes restored)."""
    return text.encode("utf-8", "surrogateescape")


def _skip_ws(text: str, pos: int) -> int:
    n = len(text)
    while pos < n and text[pos] in " \t\r\n":
        pos += 1
    return pos


class _LineCounter:
    """Turns string offsets into 1-based line numbers, incrementally (offsets only grow)."""

    def __init__(self, text: str) -> None:
        self.text = text
        self.pos = 0
        self.line = 1

    def at(self, offset: int) -> int:
        self.line += self.text.count("\n", self.pos, offset)
        self.pos = offset
        return self.line


def read_json(data: bytes, file: str, limits: Limits = DEFAULT_LIMITS) -> Iterator[Item]:
    """A JSON document: one record, or a list of records each located at its own line."""
    return validated(parse_json(data, file, limits), limits)


def parse_json(
    data: bytes, file: str, limits: Limits = DEFAULT_LIMITS
) -> Iterator[Parsed | InputError]:
    """Each value of a JSON document (one value, or the elements of a top-level list).

    Bytes that are not UTF-8 make only the record holding them an input error: the text is
    decoded with ``surrogateescape`` and each record is checked for escaped bytes.
    """
    if data.startswith(BOM):
        data = data[len(BOM) :]
    try:
        text = data.decode("utf-8")
        bad_utf8 = False
    except UnicodeDecodeError:
        text = data.decode("utf-8", "surrogateescape")
        bad_utf8 = True
    lines = _LineCounter(text)
    pos = _skip_ws(text, 0)
    if pos == len(text):
        return
    if text[pos] != "[":
        yield from _json_values(text, pos, file, lines, limits, single=True, bad_utf8=bad_utf8)
        return
    yield from _json_values(text, pos + 1, file, lines, limits, single=False, bad_utf8=bad_utf8)


def _checked_value(
    text: str,
    pos: int,
    end: int,
    obj: object,
    source: Source,
    problem: str | None,
    limits: Limits,
    bad_utf8: bool,
) -> Parsed | InputError:
    """The decoded value ``text[pos:end]``, or why it cannot be a record."""
    # a character is at least one byte: encode only what may be within the limit
    raw = None if end - pos > limits.max_record_bytes else _encode(text[pos:end])
    if raw is None or len(raw) > limits.max_record_bytes:
        return to_limit_error(source, limits)
    if problem is not None:
        return unreadable(source, f"not valid JSON ({problem})", raw)
    if bad_utf8 and _SURROGATE.search(text, pos, end):
        return unreadable(source, "not valid UTF-8 text", raw)
    return Parsed(obj, source, raw, json=True)


def _json_values(
    text: str,
    pos: int,
    file: str,
    lines: _LineCounter,
    limits: Limits,
    *,
    single: bool,
    bad_utf8: bool = False,
) -> Iterator[Parsed | InputError]:
    n = len(text)
    strict = _StrictNumbers()
    skip: int | None = None
    while True:
        pos = _skip_ws(text, pos)
        if not single and pos < n and text[pos] == "]":
            end = _skip_ws(text, pos + 1)
            if end != n:
                yield unreadable(Source(file, lines.at(end)), "not valid JSON (data after ']')")
            return
        start_line = lines.at(pos)
        source = Source(file, start_line)
        try:
            obj, end = strict.decoder.raw_decode(text, pos)
        except (ValueError, RecursionError) as exc:
            strict.take()
            skip = None if single else skip_value(text, pos)
            raw = None if skip is None else _encode(text[pos:skip])
            if isinstance(exc, RecursionError):
                yield too_deep(source, limits, raw)
            else:
                yield unreadable(source, _json_error(exc), raw)
            if skip is None:
                return  # the rest of a broken document cannot be located reliably
            end = skip
        else:
            skip = None
            yield _checked_value(text, pos, end, obj, source, strict.take(), limits, bad_utf8)
        pos = _skip_ws(text, end)
        if single:
            if pos != n:
                yield unreadable(Source(file, lines.at(pos)), "not valid JSON (extra data)")
            return
        if pos < n and text[pos] == ",":
            pos = _skip_ws(text, pos + 1)
            if pos < n and text[pos] == "]" and end != skip:
                # (after a broken element, a trailing comma is part of the same error)
                yield unreadable(Source(file, lines.at(pos)), "not valid JSON (trailing comma)")
                return
            continue
        if pos < n and text[pos] == "]":
            continue
        yield unreadable(
            Source(file, lines.at(min(pos, n))), "not valid JSON (expected ',' or ']')"
        )
        return


def read_yaml(data: bytes, file: str, limits: Limits = DEFAULT_LIMITS) -> Iterator[Item]:
    """A YAML stream: one record or a list of records per document; no aliases, safe tags only."""
    return validated(parse_yaml(data, file, limits), limits)


def parse_yaml(
    data: bytes, file: str, limits: Limits = DEFAULT_LIMITS
) -> Iterator[Parsed | InputError]:
    """Each value of a YAML stream (a document, or the elements of a top-level list).

    Items are read one at a time; one that cannot be used (invalid UTF-8 or a control
    character in it, an anchor or alias, a refused tag, a duplicate key, over a limit) is an
    input error and the next items are still read. A syntax error ends the file.
    """
    if len(data) > limits.max_yaml_bytes:
        yield unreadable(Source(file, 1), f"YAML file larger than {limits.max_yaml_bytes:,} bytes")
        return
    if data.startswith(BOM):
        data = data[len(BOM) :]
    decoded = data.decode("utf-8", "surrogateescape")
    text, bad = safeyaml.mark_unreadable(
        decoded, "not valid YAML (a character YAML does not allow)"
    )
    if bad:
        invalid = {m.start() for m in _SURROGATE.finditer(decoded)}
        bad = [(at, "not valid UTF-8 text" if at in invalid else why) for at, why in bad]
    items = safeyaml.iter_items(
        text,
        max_depth=limits.max_depth,
        max_bytes=limits.max_record_bytes,
        bad=bad,
        shown_keys=RECORD_KEYS,
    )
    while True:
        try:
            item = next(items)
        except StopIteration:
            return
        except yaml.YAMLError as exc:
            line = _mark_line(exc)
            rest = f": the rest of the file from line {line} is not read" if line else ""
            yield InputError(
                Source(file, line),
                _yaml_message(exc) + rest,
                rule_id="B12-INPUT-004"
                if isinstance(exc, safeyaml.YAMLDepthError)
                else "B12-INPUT-001",
            )
            return
        except RecursionError:
            yield unreadable(Source(file, None), "not valid YAML (nested too deeply)")
            return
        if isinstance(item, safeyaml.ItemError):
            yield InputError(
                Source(file, item.line),
                item.message,
                rule_id="B12-INPUT-004" if item.limit else "B12-INPUT-001",
            )
            continue
        yield Parsed(item.value, Source(file, item.line), item.raw)


def _mark_line(exc: yaml.YAMLError) -> int | None:
    mark = getattr(exc, "problem_mark", None) or getattr(exc, "context_mark", None)
    if mark is not None:
        return int(mark.line) + 1
    text = str(exc)
    if "(line " in text:
        try:
            return int(text.split("(line ")[1].split(")")[0])
        except ValueError:
            return None
    return None


def _yaml_message(exc: yaml.YAMLError) -> str:
    problem = getattr(exc, "problem", None)
    if isinstance(exc, yaml.constructor.ConstructorError):
        return "not valid YAML data (a tag the safe loader refuses)"
    return f"not valid YAML ({problem or 'syntax error'})"


#: Parsers of the native file formats by name: raw values with their location.
PARSERS = {"json": parse_json, "yaml": parse_yaml}

__all__ = [
    "PARSERS",
    "digest",
    "parse_json",
    "parse_jsonl",
    "parse_yaml",
    "read_json",
    "read_jsonl",
    "read_jsonl_walked",
    "read_line",
    "read_yaml",
    "validated",
]
