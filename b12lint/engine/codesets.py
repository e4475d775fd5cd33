"""Imported code sets: the whole ICD-10-CM releases a pack's table points to.

``b12lint data import icd10cm`` writes a table (``icd10cm``) whose versions each name a compact
code-set file beside it (``values: {codeset: codesets/icd10cm-2026-10-01.txt.gz, codes: ...,
billable: ..., release: ...}``; format 1 of :mod:`b12lint.domain.icd10`). A dated domain
function that names the table (``icd10_status``, ``icd10_release``) judges a date of service
that one of those versions covers by that version's code set, chosen like any table version
(:class:`~b12lint.engine.datatable.DatedValue`); on other dates it uses the shipped releases.

A file is read on the first date it judges, once per process (shared by every pack and rule
that names it, re-read only when its size or time changes), and kept as one text line per
category, expanded a category at a time (≈0.7 MB for 98,000 codes).
"""

from __future__ import annotations

import gzip
import threading
from collections.abc import Mapping
from pathlib import Path

from b12lint.domain.icd10 import INVALID, TABLE_HEADER, CodeTable, bare_code
from b12lint.engine.datatable import DataTable, DatedValue, Version
from b12lint.engine.errors import PackError

#: The pack table of imported ICD-10-CM releases (``b12lint data import icd10cm``).
ICD10_TABLE = "icd10cm"
#: A code-set file larger than this is refused (a whole ICD-10-CM release is ≈85 KB).
MAX_CODESET_BYTES = 20_000_000
_LOADED: dict[tuple[str, int, int], CodeTable] = {}
_LOCK = threading.Lock()


def codeset_file(table_file: str | Path, relative: str) -> Path:
    """The code-set file a table's version names, refused unless it is a file inside the
    table's own data folder (a pack from elsewhere cannot make b12lint read another file)."""
    folder = Path(table_file).parent.resolve()
    path = (folder / relative).resolve()
    if not path.is_relative_to(folder) or not path.is_file():
        raise PackError(str(table_file), f"code set {relative!r} is not a file of its folder")
    return path


class ImportedIcd10:
    """One imported ICD-10-CM release: its name, dates, file; the codes load on first use."""

    __slots__ = ("_key", "_table", "name", "path", "version")

    def __init__(self, name: str, path: Path, version: Version) -> None:
        self.name = name
        self.path = path
        self.version = version
        stat = path.stat()
        self._key = (str(path), stat.st_size, stat.st_mtime_ns)
        self._table: CodeTable | None = None

    def status(self, code: object) -> str:
        """``billable``, ``category`` or ``invalid`` in this release (as the shipped ones)."""
        if not isinstance(code, str):
            return INVALID
        bare = bare_code(code)
        return INVALID if bare is None else self.table().status(bare)

    def table(self) -> CodeTable:
        """The release's code table, read once per process (per file, size and time as the
        pack loaded it)."""
        table = self._table
        if table is None:
            table = _LOADED.get(self._key)
            if table is None:
                with _LOCK:
                    table = _LOADED.get(self._key)
                    if table is None:
                        table = _LOADED[self._key] = _read(self.path, self._key[1])
            self._table = table
        return table


def _read(path: Path, size: int) -> CodeTable:
    if size > MAX_CODESET_BYTES:
        raise PackError(str(path), f"a code set larger than {MAX_CODESET_BYTES} bytes")
    try:
        text = gzip.decompress(path.read_bytes()).decode("ascii")
        return CodeTable(text, str(path))
    except (OSError, EOFError, UnicodeDecodeError, ValueError) as exc:
        raise PackError(str(path), f"cannot read the code set: {exc}") from None


def _check_header(path: Path) -> None:
    """Refuse, when the pack loads, a file that is not a gzip'd format-1 code table (its
    first line only: the codes are read on first use)."""
    try:
        with gzip.open(path, "rb") as stream:
            first = stream.readline(len(TABLE_HEADER) + 1)
    except (OSError, EOFError) as exc:
        raise PackError(str(path), f"cannot read the code set: {exc}") from None
    if first != TABLE_HEADER.encode("ascii"):
        raise PackError(str(path), "not a format-1 b12lint ICD-10-CM code table")


#: id(table) -> (the table, its releases): every rule of a pack reads one table's releases.
_BOUND: dict[int, tuple[DataTable, DatedValue]] = {}


def imported_icd10(data: Mapping[str, DataTable]) -> tuple[DataTable, DatedValue] | None:
    """The pack's imported ICD-10-CM releases by date of service (None: the pack has none).

    Every version must name its code-set file (checked, with the file's first line, when the
    pack loads)."""
    table = data.get(ICD10_TABLE)
    if table is None:
        return None
    bound = _BOUND.get(id(table))
    if bound is not None and bound[0] is table:
        return bound
    releases = []
    for version in table.versions:
        values = version.values
        relative = values.get("codeset") if isinstance(values, Mapping) else None
        if not isinstance(relative, str):
            raise PackError(table.file, f"version {version.label()}: values.codeset is missing")
        path = codeset_file(table.file, relative)
        _check_header(path)
        release = values.get("release")
        name = release if isinstance(release, str) else f"imported {version.label()}"
        releases.append(ImportedIcd10(name, path, version))
    bound = table, DatedValue(table.versions, releases)
    if len(_BOUND) > 256:
        _BOUND.clear()
    _BOUND[id(table)] = bound
    return bound
