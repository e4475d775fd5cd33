"""Recognising an input by its content: X12 by its ISA header, FHIR by a top-level
``resourceType``, native JSON / JSONL by their first character, YAML records by a mapping key
on their first line; anything else is named as not readable (:func:`unknown_message`).

Text may start with a UTF-8 byte-order mark; UTF-16 with a byte-order mark is transcoded as
it streams (:func:`b12lint.readers.streams.utf8_stream`); UTF-16 without one is named.
"""

from __future__ import annotations

import codecs
import re
from typing import IO

from b12lint.readers.base import DEFAULT_LIMITS, Limits
from b12lint.readers.fhir import looks_like_fhir

UNKNOWN = "unknown"
"""What :func:`detect` says of content that is none of the formats."""
EXPECTED = (
    "an X12 837 interchange (ISA header), FHIR R4 JSON (resourceType), or native encounter "
    "records (JSON, JSONL or YAML)"
)
_BLANK = b"\xef\xbb\xbf \t\r\n"
#: The first meaningful line of YAML records: ``key:`` or ``- key:`` (a mapping; an unquoted
#: key is one word, as the record's keys are: "Dear auditor: ..." is prose, not a record).
_YAML_KEY = re.compile(
    rb'(?:-[ \t]+)?(?:"[^"\n]+"|\'[^\'\n]+\'|[A-Za-z_][\w.\-]*)[ \t]*:(?:[ \t]|$)'
)
_UTF16_BOMS = (codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)


def _first_line(text: bytes) -> bytes:
    """The first line that is not blank, a comment, a document marker or a directive."""
    for raw in text.splitlines():
        line = raw.strip()
        if not line or line.startswith((b"#", b"%")) or line in (b"---", b"..."):
            continue
        return line
    return b""


def looks_like_yaml(text: bytes) -> bool:
    """Whether text starts as YAML records do: a mapping (``key: value``) or a list of them."""
    line = _first_line(text)
    if line.startswith(b"---"):
        line = line[3:].strip()
    return bool(_YAML_KEY.match(line)) or line.startswith((b"- {", b"-\t{"))


def detect(head: bytes, default: str = "jsonl") -> str:
    """The format of content: ``x12``, ``fhir``, ``json``, ``jsonl``, ``yaml``, ``UNKNOWN``;
    ``default`` for content that is only blank. CSV is never guessed (it must be named)."""
    text = head.lstrip(_BLANK)
    if not text:
        return default
    if text.startswith(b"ISA"):
        return "x12"
    if looks_like_fhir(text):
        return "fhir"
    if text.startswith(b"["):
        return "json"
    if text.startswith(b"{"):
        first = text.split(b"\n", 1)[0].strip()
        # a first line cut at the record limit (no line break in the head) is a JSONL line
        # too long to read, not a document to read whole (it would lose the lines after it)
        return "jsonl" if first.endswith(b"}") or b"\n" not in text else "json"
    return "yaml" if looks_like_yaml(text) else UNKNOWN


def sniff(stream: IO[bytes], limits: Limits = DEFAULT_LIMITS) -> bytes:
    """The head :func:`detect` needs: blank lines, then the whole first non-blank line.

    A fixed-size head would cut a long first ``.jsonl`` record short and have it taken for a
    pretty-printed ``.json`` document (every record after the first then lost).
    """
    head = b""
    while len(head) <= limits.max_record_bytes:
        line = stream.readline(limits.max_record_bytes + 1)
        head += line
        if not line or line.strip(_BLANK):
            break
    return head


#: Files a user may hand over that hold claims b12lint does not read, by their first bytes.
_CONTAINERS: tuple[tuple[bytes, str], ...] = (
    (
        b"PK\x03\x04",
        "a ZIP archive or an Excel/OpenDocument workbook (extract the claims, "
        "or save the sheet as CSV UTF-8)",
    ),
    (b"PK\x05\x06", "an empty ZIP archive"),
    (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1", "an Excel 97-2003 workbook (.xls: save it as CSV UTF-8)"),
    (b"7z\xbc\xaf\x27\x1c", "a 7-Zip archive (extract the claims)"),
    (b"Rar!\x1a\x07", "a RAR archive (extract the claims)"),
    (b"\x28\xb5\x2f\xfd", "Zstandard-compressed data (decompress it, or use gzip)"),
    (b"%PDF-", "a PDF document (b12lint reads claim data, not printed claim forms)"),
)
_HTML = re.compile(rb"<(?:!doctype\s+html|html|head|body)[\s>]", re.IGNORECASE)


def container(head: bytes) -> str | None:
    """What a file is when its first bytes are an archive, a workbook, a PDF or an HTML
    page: things users hand over that are no claim format (None: none of them)."""
    for magic, what in _CONTAINERS:
        if head.startswith(magic):
            return what
    if len(head) > 262 and head[257:262] == b"ustar":
        return "a tar archive (extract the claims)"
    if _HTML.match(head.lstrip(_BLANK)[:64]):
        return "an HTML page (a web error or login page saved in place of the export?)"
    return None


def unknown_message(head: bytes) -> str:
    """The one input message of content that is none of the formats (no content quoted)."""
    text = head.lstrip(_BLANK)
    first = text.split(b"\n", 1)[0]
    kind = container(head)
    if kind is not None:
        found = kind
    elif _utf16_without_bom(text):
        found = "UTF-16 text without a byte-order mark (save it as UTF-8)"
    elif b"\x00" in text[:4096] or not _decodes(text[:4096]):
        found = "binary data or text that is not UTF-8"
    elif b"encounter_id" in first.lower() and (b"," in first or b"\t" in first):
        found = "what looks like a CSV export (name it .csv, or give --input-format csv)"
    else:
        found = "text that is none of these"
    return f"not a format b12lint reads: expected {EXPECTED}; found {found}"


def _decodes(data: bytes) -> bool:
    try:
        data.decode("utf-8")
    except UnicodeDecodeError as exc:
        return exc.start >= len(data) - 3  # a character cut at the end of the head
    return True


def _utf16_without_bom(text: bytes) -> bool:
    sample = text[:512]
    if len(sample) < 4:
        return False
    zeros = sample[1::2].count(0), sample[0::2].count(0)
    return max(zeros) >= len(sample) // 2 * 0.9


def is_utf16(head: bytes) -> bool:
    """Whether content starts with a UTF-16 byte-order mark."""
    return head[:2] in _UTF16_BOMS


__all__ = [
    "EXPECTED",
    "UNKNOWN",
    "container",
    "detect",
    "is_utf16",
    "looks_like_yaml",
    "sniff",
    "unknown_message",
]
