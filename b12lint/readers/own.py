"""b12lint's own files are never claims: a baseline, a report it wrote, its configuration.

They are recognised by their content, whatever their name: ``claims/b12lint-baseline.json``
read as a claim file would be an input error on every run that follows ``--write-baseline``.
Configuration (``b12lint.toml``, ``pyproject.toml``), SARIF (``.sarif``), JUnit (``.xml``) and
HTML reports have extensions no reader takes; a JSON, JSON-lines or CSV report, a SARIF log
saved as ``.json`` and a baseline are told by their first bytes.
"""

from __future__ import annotations

import re
from pathlib import Path

HEAD = 512
#: What each kind of file starts with (after a BOM and blank space).
_SIGNATURES: tuple[tuple[str, re.Pattern[bytes]], ...] = (
    ("a b12lint baseline", re.compile(rb'^\{\s*"b12lint-baseline"\s*:')),
    ("a b12lint JSON report", re.compile(rb'^\{\s*"tool"\s*:\s*\{\s*"name"\s*:\s*"b12lint"')),
    ("a SARIF log", re.compile(rb'^\{\s*"\$schema"\s*:\s*"[^"]*sarif[^"]*"', re.I)),
    ("a b12lint JSON-lines report", re.compile(rb'^\{"rule_id":"[^"]*","severity":"')),
    (
        "a b12lint CSV report",
        re.compile(rb"^file,line,encounter_id,rule_id,severity,category,message,pointer,"),
    ),
)
#: Only these extensions can hold one (the others are never read, or never ours).
SUFFIXES = frozenset({".json", ".jsonl", ".ndjson", ".csv"})


def own_file(path: Path) -> str | None:
    """What b12lint file ``path`` is (``"a b12lint baseline"``…), or None for other files."""
    if path.suffix.lower() not in SUFFIXES:
        return None
    try:
        with path.open("rb") as handle:
            head = handle.read(HEAD)
    except OSError:
        return None  # the reader reports it
    head = head.lstrip(b"\xef\xbb\xbf \t\r\n")
    return next((kind for kind, sig in _SIGNATURES if sig.match(head)), None)


def own_inputs(paths: list[str] | tuple[str, ...]) -> list[str]:
    """Notes for the files named on the command line that are b12lint's own (not read)."""
    notes = []
    for given in paths:
        path = Path(given)
        if given != "-" and path.is_file():
            kind = own_file(path)
            if kind is not None:
                notes.append(f"{given} is {kind}, not claims: not read")
    return notes
