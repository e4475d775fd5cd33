"""Whole code sets in a pack, stored compactly: one gzip'd text file per release.

ICD-10-CM uses the project's code table format (format 1 of :mod:`b12lint.domain.icd10`: one
line per 3-character category with its non-billable and billable suffixes, about 85 KB for
98,000 codes); HCPCS a tab-separated ``CODE TAB ADDED TAB EFFECTIVE TAB TERMINATED TAB ACTION
TAB LONG DESCRIPTION`` (modifiers included). Files are written without a gzip timestamp, so
the same release gives the same bytes.
"""

from __future__ import annotations

import gzip
import io
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path

from b12lint.domain.icd10 import TABLE_HEADER, code_table_lines
from b12lint.engine.codesets import codeset_file
from b12lint.engine.errors import PackError
from b12lint.policy.errors import PackImportError

HCPCS_HEADER = "# b12lint HCPCS code set, format 1\n"


def codeset_path(table_file: Path, relative: str) -> Path:
    """The code-set file a table's version names, refused unless it is inside the table's
    own data folder (:func:`b12lint.engine.codesets.codeset_file`, the engine's check)."""
    try:
        return codeset_file(table_file, relative)
    except PackError as exc:
        raise PackImportError(f"{table_file}: {exc.problem}") from None


def gzip_bytes(text: str) -> bytes:
    """``text`` (ASCII or UTF-8) gzip'd without a timestamp: same text, same bytes."""
    buffer = io.BytesIO()
    with gzip.GzipFile(filename="", mode="wb", fileobj=buffer, compresslevel=9, mtime=0) as gz:
        gz.write(text.encode("utf-8"))
    return buffer.getvalue()


def gunzip_text(data: bytes) -> str:
    """A stored code set's text."""
    return gzip.decompress(data).decode("utf-8")


def render_icd10(codes: Mapping[str, bool], source: str) -> str:
    """Format 1 (:mod:`b12lint.domain.icd10`): a header, then one line per category."""
    billable = sum(codes.values())
    counts = f"{len(codes)} codes, {billable} billable, {len(codes) - billable} not billable"
    header = f"{TABLE_HEADER}# source: {source}\n# counts: {counts}\n"
    return header + "".join(code_table_lines(codes))


@dataclass(frozen=True, slots=True)
class HcpcsEntry:
    """One stored HCPCS code: dates as ISO text ("" when none), action code, descriptor."""

    added: str
    effective: str
    terminated: str
    action: str
    description: str


def render_hcpcs(codes: Mapping[str, HcpcsEntry], source: str) -> str:
    """A header, then one tab-separated line per code, sorted."""
    out = io.StringIO()
    out.write(HCPCS_HEADER)
    out.write(f"# source: {source}\n")
    out.write(f"# counts: {len(codes)} codes and modifiers\n")
    for code in sorted(codes):
        e = codes[code]
        description = " ".join(e.description.split())
        out.write(f"{code}\t{e.added}\t{e.effective}\t{e.terminated}\t{e.action}\t{description}\n")
    return out.getvalue()


def parse_hcpcs_set(text: str) -> dict[str, HcpcsEntry]:
    """Code -> entry from a stored HCPCS code set."""
    if not text.startswith(HCPCS_HEADER):
        raise ValueError("not a format-1 b12lint HCPCS code set")
    codes: dict[str, HcpcsEntry] = {}
    for line in text.splitlines():
        if not line or line.startswith("#"):
            continue
        code, added, effective, terminated, action, description = line.split("\t")
        codes[code] = HcpcsEntry(added, effective, terminated, action, description)
    return codes
