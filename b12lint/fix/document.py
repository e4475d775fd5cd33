"""Native record files as ``b12lint fix`` rewrites them: parsed records plus what surrounds them.

* ``.jsonl``: one entry per line. Lines that are not changed are written back byte for byte
  (blank lines and lines that are not valid JSON included); a changed record is written as
  one line of JSON with the same ``", "`` / ``": "`` spacing as the common style.
* ``.json``: one record or a list; rewritten with a 2-space indent when anything changed.
* ``.yaml`` / ``.yml``: each document one record or a list; rewritten with the safe dumper when
  anything changed (comments are not kept). YAML aliases are refused, as when checking.

A file with no change is copied unchanged. A whole-document file that cannot be parsed cannot
be rewritten safely: :class:`DocumentError`.
"""

from __future__ import annotations

import datetime as dt
import json
from dataclasses import dataclass, field
from typing import Any

import orjson
import yaml

from b12lint import safeyaml

__all__ = ["Document", "DocumentError", "Entry", "load_document"]

FORMATS = ("json", "jsonl", "yaml")
_BOM = b"\xef\xbb\xbf"


class DocumentError(ValueError):
    """A file that ``b12lint fix`` cannot rewrite (not parseable as a whole, wrong format)."""


@dataclass
class Entry:
    """One record position of the file: its parsed value, or None when it could not be read."""

    value: Any
    text: str | None = None
    """JSONL only: the original line (without its newline)."""
    changed: bool = False


@dataclass
class Document:
    """A native record file: its entries (records) in order and how to write them back."""

    fmt: str
    original: bytes
    entries: list[Entry] = field(default_factory=list)
    layout: list[tuple[bool, list[int]]] = field(default_factory=list)
    """JSON / YAML: per document, whether it is a list and which entries it holds."""
    blank_lines: dict[int, list[str]] = field(default_factory=dict)
    """JSONL: blank lines to write before entry *i* (``len(entries)``: at the end)."""
    final_newline: bool = True

    @property
    def changed(self) -> bool:
        """Whether any record was changed."""
        return any(e.changed for e in self.entries)

    def dump(self) -> bytes:
        """The file's new content (the original bytes when nothing changed)."""
        if not self.changed:
            return self.original
        if self.fmt == "jsonl":
            return self._dump_jsonl().encode("utf-8")
        docs = [
            [self.entries[i].value for i in indexes] if is_list else self.entries[indexes[0]].value
            for is_list, indexes in self.layout
        ]
        if self.fmt == "json":
            (doc,) = docs
            return (json.dumps(doc, indent=2, ensure_ascii=False, default=_iso) + "\n").encode()
        text = yaml.safe_dump_all(docs, sort_keys=False, allow_unicode=True, width=100)
        return text.encode("utf-8")

    def _dump_jsonl(self) -> str:
        out: list[str] = []
        for i, entry in enumerate(self.entries):
            out.extend(self.blank_lines.get(i, ()))
            if entry.changed:
                out.append(json.dumps(entry.value, ensure_ascii=False, default=_iso))
            else:
                out.append(entry.text or "")
        out.extend(self.blank_lines.get(len(self.entries), ()))
        return "\n".join(out) + ("\n" if self.final_newline else "")


def _iso(value: Any) -> str:
    if isinstance(value, dt.date):
        return value.isoformat()
    raise TypeError(f"{type(value).__name__} is not JSON serializable")


def _text(data: bytes) -> str:
    if data.startswith(_BOM):
        data = data[len(_BOM) :]
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError:
        raise DocumentError("not valid UTF-8 text") from None


def _load_jsonl(data: bytes) -> Document:
    doc = Document("jsonl", data)
    text = _text(data)
    lines = text.split("\n")
    doc.final_newline = text.endswith("\n")
    if doc.final_newline:
        lines.pop()
    pending: list[str] = []
    for line in lines:
        if not line.strip():
            pending.append(line)
            continue
        if pending:
            doc.blank_lines[len(doc.entries)] = pending
            pending = []
        try:
            value = orjson.loads(line)
        except orjson.JSONDecodeError:
            value = None
        doc.entries.append(Entry(value, text=line))
    if pending:
        doc.blank_lines[len(doc.entries)] = pending
    return doc


def _load_json(data: bytes) -> Document:
    doc = Document("json", data)
    text = _text(data)
    if not text.strip():
        return doc
    try:
        value = orjson.loads(text)
    except orjson.JSONDecodeError as exc:
        raise DocumentError(f"not valid JSON ({str(exc).split(':')[0]})") from None
    _add_document(doc, value)
    return doc


def _load_yaml(data: bytes) -> Document:
    doc = Document("yaml", data)
    text = _text(data)
    try:
        for item in safeyaml.iter_items(text):
            # what the reader refuses (aliases, unsafe tags, duplicate keys, too deep nesting,
            # control characters) cannot be rewritten either
            if isinstance(item, safeyaml.ItemError):
                raise DocumentError(f"not valid YAML to rewrite (line {item.line}: {item.message})")
        documents = list(yaml.safe_load_all(text))
    except yaml.YAMLError as exc:
        raise DocumentError(f"not valid YAML ({getattr(exc, 'problem', None) or exc})") from None
    for value in documents:
        if value is not None:
            _add_document(doc, value)
    return doc


def _add_document(doc: Document, value: Any) -> None:
    items = value if isinstance(value, list) else [value]
    start = len(doc.entries)
    doc.entries.extend(Entry(item) for item in items)
    doc.layout.append((isinstance(value, list), list(range(start, len(doc.entries)))))


_LOADERS = {"json": _load_json, "jsonl": _load_jsonl, "yaml": _load_yaml}


def load_document(data: bytes, fmt: str) -> Document:
    """Parse a native record file of format ``json``, ``jsonl`` or ``yaml``."""
    loader = _LOADERS.get(fmt)
    if loader is None:
        raise DocumentError(f"cannot rewrite {fmt!r} files (only {', '.join(FORMATS)})")
    return loader(data)
