"""A cache of parsed, schema-valid rule pack documents, by the hash of their bytes.

Parsing a pack's YAML and checking every file against its JSON Schema is most of the time a
run spends loading rules (a coder checking one encounter waits for it). A document that
parsed and passed its schema is stored as JSON under a hash of the file's bytes, the schema
and the YAML parser's version; the next run that reads the same bytes takes the document from the
cache and skips both steps. Rules are still compiled every run: compiled rules are closures
and never leave the process (nothing is pickled). Invalid files are never cached, so their
errors are reported as before.

The cache lives in ``$B12LINT_CACHE_DIR``, else ``$XDG_CACHE_HOME/b12lint``, else
``~/.cache/b12lint``; ``B12LINT_NO_CACHE=1`` turns it off. It holds rule and data files'
content (no claim data). A cache that cannot be read or written is simply not used.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import math
import os
import tempfile
from functools import cache
from pathlib import Path
from typing import Any

import orjson
import yaml

from b12lint.resources import schema_path

#: Entries kept at most; past it the oldest are removed when a new one is written.
MAX_ENTRIES = 4096
#: Changes when what is stored (or how documents are parsed and checked) changes.
FORMAT = b"b12lint-pack-documents-1"
_DATE, _DATETIME = "d", "t"


def cache_dir() -> Path | None:
    """Where the cache lives (None: turned off)."""
    if os.environ.get("B12LINT_NO_CACHE") == "1":
        return None
    explicit = os.environ.get("B12LINT_CACHE_DIR")
    if explicit:
        return Path(explicit)
    base = os.environ.get("XDG_CACHE_HOME") or str(Path.home() / ".cache")
    return Path(base) / "b12lint"


@cache
def _schema_digest(schema: str) -> bytes:
    return hashlib.blake2b(schema_path(schema).read_bytes(), digest_size=16).digest()


def key(schema: str, data: bytes) -> str:
    """The cache key of a file's bytes read against a schema, with this YAML parser."""
    h = hashlib.blake2b(digest_size=20)
    h.update(FORMAT)
    h.update(f"{yaml.__version__} {hasattr(yaml, 'CSafeLoader')}".encode())
    h.update(_schema_digest(schema))
    h.update(data)
    return f"{schema}-{h.hexdigest()}"


def encode(doc: Any) -> bytes | None:
    """A document as JSON with the places of its dates; None when JSON cannot hold it exactly
    (keys that are not text, sets, bytes, non-finite numbers)."""
    dates: list[tuple[list[Any], str]] = []

    def plain(value: Any, path: list[Any]) -> Any:
        if isinstance(value, dt.datetime):
            dates.append((path, _DATETIME))
            return value.isoformat()
        if isinstance(value, dt.date):
            dates.append((path, _DATE))
            return value.isoformat()
        if isinstance(value, dict):
            if not all(isinstance(k, str) for k in value):
                raise TypeError("a key that is not text")
            return {k: plain(v, [*path, k]) for k, v in value.items()}
        if isinstance(value, list):
            return [plain(v, [*path, i]) for i, v in enumerate(value)]
        if isinstance(value, float) and not math.isfinite(value):
            raise TypeError("a number JSON cannot hold")
        if value is None or isinstance(value, str | int | float):
            return value
        raise TypeError(f"a {type(value).__name__}")

    try:
        body = plain(doc, [])
    except TypeError:
        return None
    return orjson.dumps({"doc": body, "dates": dates})


def decode(data: bytes) -> Any:
    """The document :func:`encode` stored."""
    stored = orjson.loads(data)
    doc = stored["doc"]
    for path, kind in stored["dates"]:
        if not path:
            return _parse_date(doc, kind)
        holder = doc
        for part in path[:-1]:
            holder = holder[part]
        holder[path[-1]] = _parse_date(holder[path[-1]], kind)
    return doc


def _parse_date(text: str, kind: str) -> dt.date:
    return dt.datetime.fromisoformat(text) if kind == _DATETIME else dt.date.fromisoformat(text)


class DocumentCache:
    """Parsed, valid documents on disk, one small JSON file each."""

    def __init__(self, folder: Path | None) -> None:
        self.folder = folder

    def get(self, schema: str, data: bytes) -> Any:
        """The cached document of these bytes, or None."""
        if self.folder is None:
            return None
        try:
            return decode((self.folder / f"{key(schema, data)}.json").read_bytes())
        except (OSError, ValueError, KeyError, TypeError, IndexError):
            return None

    def put(self, schema: str, data: bytes, doc: Any) -> None:
        """Remember a document that parsed and passed its schema (silently, if it can)."""
        if self.folder is None:
            return
        encoded = encode(doc)
        if encoded is None:
            return
        try:
            self.folder.mkdir(parents=True, exist_ok=True, mode=0o700)
            with tempfile.NamedTemporaryFile(dir=self.folder, suffix=".tmp", delete=False) as out:
                out.write(encoded)
            Path(out.name).replace(self.folder / f"{key(schema, data)}.json")
            self._prune()
        except OSError:
            return

    def _prune(self) -> None:
        assert self.folder is not None
        entries = list(self.folder.glob("*.json"))
        if len(entries) <= MAX_ENTRIES:
            return
        entries.sort(key=lambda p: p.stat().st_mtime)
        for stale in entries[: len(entries) - MAX_ENTRIES]:
            stale.unlink(missing_ok=True)


def documents() -> DocumentCache:
    """The cache for this process's environment."""
    return DocumentCache(cache_dir())
