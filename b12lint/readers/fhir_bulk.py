"""FHIR files read from disk: NDJSON streamed in two passes, bulk exports resolved across files.

A FHIR bulk export (``$export``) is a directory with one NDJSON file per resource type
(``Patient.ndjson``, ``ExplanationOfBenefit.ndjson``, ``Coverage.ndjson``, also numbered
``Claim_2.ndjson`` / ``1.Claim.ndjson``). Each file is still read on its own, at its own
lines; before a file that holds claims (Claim, ExplanationOfBenefit) is read, the export's
files of the types references need (:data:`b12lint.readers.fhir_refs.KEPT`, and the Claims'
ids) are indexed, the few fields resolution reads (once per export: the index is kept for
its other claim files while the files are unchanged). Memory holds that index, never the
resources: the claims file itself is streamed twice, one line at a time. The other files'
resources are validated and reported where they are (their own file and line); the index
takes what it can parse of them.

A server may name the files itself (CMS BCDA: ``<job uuid>-1.ndjson``): when the export's
manifest is saved beside them (``*manifest*.json``: a JSON document with ``transactionTime``
and ``output[].type`` / ``url``), a ``.ndjson`` file whose name names no type takes the type
the manifest gives its URL, else the ``resourceType`` of its first line (an export's file
holds one type). Without a manifest, NDJSON files that only share a directory are read each
on its own. The manifest itself is no record: :func:`is_bulk_manifest` tells discovery so.

A Bundle (one JSON document) is read whole, up to ``max-file-bytes``.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from b12lint.model import Source
from b12lint.readers.base import DEFAULT_LIMITS, Item, Limits, unreadable
from b12lint.readers.fhir import FhirValue, ndjson_value, read_fhir, read_values
from b12lint.readers.fhir_refs import KEPT, Index

#: ``Patient.ndjson``, ``Patient_1.ndjson``, ``Patient-2.ndjson``, ``1.Patient.ndjson``.
BULK_NAME = re.compile(r"^(?:\d+\.)?([A-Z][A-Za-z]+)(?:[._-]\d+)?\.ndjson$")
CLAIM_FILES = frozenset({"Claim", "ExplanationOfBenefit"})
_INDEXED = frozenset({*KEPT, "Claim"})
_BOM = b"\xef\xbb\xbf"


_TYPE = re.compile(r"[A-Z][A-Za-z]+")
_MANIFEST_BYTES = 1 << 20
"""A bulk manifest lists one URL per file: a larger ``*manifest*.json`` is not one."""
_HEAD_BYTES = 1 << 20


def bulk_type(path: Path) -> str | None:
    """The resource type of a bulk export file: named by its file name, else (``.ndjson``) by
    the export's manifest beside it, else by its first line (None: not such a file)."""
    found = BULK_NAME.match(path.name)
    if found:
        return found.group(1)
    if path.suffix.lower() != ".ndjson":
        return None
    try:
        stat = path.stat()
        folder = path.parent.resolve()
        manifests = tuple(
            (p.name, (st := p.stat()).st_mtime_ns, st.st_size)
            for p in sorted(folder.glob("*.json"))
            if "manifest" in p.name.lower()
        )
    except OSError:
        return None
    types = _manifest_types(folder.as_posix(), manifests)
    if not types:  # no manifest: NDJSON files that merely share a directory are no export
        return None
    found_type = types.get(path.name)
    return found_type or _first_type(path.resolve().as_posix(), stat.st_mtime_ns, stat.st_size)


def is_bulk_manifest(doc: object) -> bool:
    """Whether a parsed JSON document is a FHIR bulk export manifest (``transactionTime`` and
    an ``output`` list, no ``resourceType`` or ``encounter_id``): the export's table of
    contents, not a record."""
    return (
        isinstance(doc, dict)
        and "resourceType" not in doc
        and "encounter_id" not in doc
        and isinstance(doc.get("transactionTime"), str)
        and isinstance(doc.get("output"), list)
    )


@lru_cache(maxsize=64)
def _manifest_types(folder: str, manifests: tuple[tuple[str, int, int], ...]) -> dict[str, str]:
    """File name → resource type from the bulk manifests among ``manifests`` (the
    ``*manifest*.json`` files of ``folder`` with their mtime and size, the cache key)."""
    import orjson

    types: dict[str, str] = {}
    for name, _mtime, size in manifests:
        if size > _MANIFEST_BYTES:
            continue
        try:
            doc = orjson.loads(Path(folder, name).read_bytes())
        except (OSError, orjson.JSONDecodeError):
            continue
        if not is_bulk_manifest(doc):
            continue
        for output in doc["output"]:
            kind = output.get("type") if isinstance(output, dict) else None
            url = output.get("url") if isinstance(output, dict) else None
            if isinstance(kind, str) and _TYPE.fullmatch(kind) and isinstance(url, str):
                types.setdefault(url.split("?")[0].rstrip("/").rsplit("/", 1)[-1], kind)
    return types


@lru_cache(maxsize=4096)
def _first_type(path: str, _mtime: int, _size: int) -> str | None:
    """The ``resourceType`` of the first non-blank line of an NDJSON file (None if none)."""
    import orjson

    try:
        with Path(path).open("rb") as handle:
            for line in handle:
                line = line.removeprefix(_BOM).strip()
                if not line:
                    continue
                if len(line) > _HEAD_BYTES:
                    return None
                head = orjson.loads(line)
                kind = head.get("resourceType") if isinstance(head, dict) else None
                return kind if isinstance(kind, str) and _TYPE.fullmatch(kind) else None
    except (OSError, orjson.JSONDecodeError):
        return None
    return None


def bulk_siblings(path: Path) -> list[Path]:
    """The other files of a bulk export that ``path`` is part of (sorted; empty: none)."""
    if bulk_type(path) is None:
        return []
    try:
        children = sorted(p for p in path.parent.iterdir() if p != path and p.is_file())
    except OSError:
        return []
    return [p for p in children if bulk_type(p) is not None]


def _lines(path: Path, file: str, limits: Limits) -> Iterator[tuple[bytes, Source]]:
    """Each non-blank line of an NDJSON file with its 1-based number (a BOM is dropped)."""
    with path.open("rb") as handle:
        for number, line in enumerate(handle, 1):
            if number == 1 and line.startswith(_BOM):
                line = line[len(_BOM) :]
            line = line.rstrip(b"\r\n")
            if line.strip():
                yield line, Source(file, number)


def _is_ndjson(path: Path, limits: Limits) -> bool:
    """Whether the first non-blank line is a whole JSON object that is not a Bundle."""
    import orjson

    with path.open("rb") as handle:
        for line in handle:
            if len(line) > limits.max_record_bytes:
                return True
            line = line.removeprefix(_BOM).strip()
            if not line:
                continue
            try:
                head = orjson.loads(line)
            except orjson.JSONDecodeError:
                return False
            return isinstance(head, dict) and head.get("resourceType") != "Bundle"
    return False


def sibling_index(siblings: list[Path], limits: Limits = DEFAULT_LIMITS) -> Index:
    """What references need from a bulk export's files (unreadable lines skipped: they are
    reported when their own file is read). An export split into several claim files
    (``ExplanationOfBenefit_1.ndjson`` …) indexes its other files once: the last index is
    kept for the same files, unchanged on disk."""
    import orjson

    wanted = [p for p in siblings if bulk_type(p) in _INDEXED]
    key = _signature(wanted)
    if key is not None and _LAST.key == key and _LAST.index is not None:
        return _LAST.index
    index = Index()
    for sibling in wanted:
        try:
            for raw, _source in _lines(sibling, sibling.as_posix(), limits):
                if len(raw) > limits.max_record_bytes:
                    continue
                try:
                    obj = orjson.loads(raw)
                except orjson.JSONDecodeError:
                    continue
                if isinstance(obj, dict):
                    index.add(obj)
        except OSError:
            continue
    if key is not None:
        _LAST.key, _LAST.index = key, index
    return index


Signature = tuple[tuple[str, int, int], ...]


@dataclass(slots=True)
class _Cache:
    key: Signature | None = None
    index: Index | None = None


_LAST = _Cache()
"""The last export's index, for its other claim files (one entry: bounded)."""


def _signature(paths: list[Path]) -> Signature | None:
    try:
        return tuple(
            (p.resolve().as_posix(), (st := p.stat()).st_mtime_ns, st.st_size) for p in paths
        )
    except OSError:
        return None


def read_fhir_path(path: Path, file: str, limits: Limits = DEFAULT_LIMITS) -> Iterator[Item]:
    """Every encounter of one FHIR file on disk (raises OSError as the other readers do)."""
    if not _is_ndjson(path, limits):
        if path.stat().st_size > limits.max_file_bytes:
            yield unreadable(
                Source(file, None),
                f"file larger than {limits.max_file_bytes:,} bytes: export NDJSON for big batches",
            )
            return
        yield from read_fhir(path.read_bytes(), file, limits)
        return
    kind = bulk_type(path)
    siblings = bulk_siblings(path)
    holds_claims = kind is None or kind in CLAIM_FILES or not siblings
    index = (
        sibling_index(sorted([*siblings, path]), limits) if holds_claims and siblings else Index()
    )

    def values() -> Iterator[FhirValue]:
        for raw, source in _lines(path, file, limits):
            yield ndjson_value(raw, source, limits)

    yield from read_values(
        values,
        file,
        limits,
        index=index,
        bulk_part=not holds_claims and any(bulk_type(p) in CLAIM_FILES for p in siblings),
    )


__all__ = [
    "BULK_NAME",
    "bulk_siblings",
    "bulk_type",
    "is_bulk_manifest",
    "read_fhir_path",
    "sibling_index",
]
