"""Baseline files: today's findings, accepted, so that only new ones are reported.

A baseline is a JSON file of content fingerprints (:func:`b12lint.model.fingerprint`), each with
how many findings carried it and, for people reviewing the file, the rule, encounter and file.
Matching uses only the fingerprint: a record that moves keeps its entry, a record whose
relevant value changes gets a new finding. Entries that no longer match anything are stale.
"""

from __future__ import annotations

import dataclasses
from collections import Counter
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import orjson

from b12lint.model import Finding, fingerprint

FORMAT_KEY = "b12lint-baseline"
FORMAT_VERSION = 1


class BaselineError(ValueError):
    """A baseline file that cannot be read or does not have the baseline structure."""


@dataclass(frozen=True, slots=True)
class Entry:
    """One accepted fingerprint: how many findings had it, and what they were."""

    fingerprint: str
    count: int
    rule_id: str
    encounter_id: str | None
    file: str


@dataclass
class Baseline:
    """The accepted findings, by fingerprint."""

    entries: dict[str, Entry]

    @classmethod
    def of(
        cls, findings: Iterable[Finding], display_id: Callable[[str], str] | None = None
    ) -> Baseline:
        """A baseline accepting ``findings``; ``display_id`` rewrites the ids it shows."""
        counts: Counter[str] = Counter()
        first: dict[str, Finding] = {}
        for finding in findings:
            fp = fingerprint(finding)
            counts[fp] += 1
            first.setdefault(fp, finding)
        entries = {}
        for fp, finding in first.items():
            shown = finding.encounter_id
            if shown is not None and display_id is not None:
                shown = display_id(shown)
            entries[fp] = Entry(fp, counts[fp], finding.rule_id, shown, finding.location.file)
        return cls(entries)

    def to_json(self, tool_version: str) -> bytes:
        """The file's bytes: entries in file, encounter, rule order (readable diffs)."""
        ordered = sorted(
            self.entries.values(),
            key=lambda e: (e.file, e.encounter_id or "", e.rule_id, e.fingerprint),
        )
        doc = {
            FORMAT_KEY: FORMAT_VERSION,
            "tool_version": tool_version,
            "entries": [
                {
                    "fingerprint": e.fingerprint,
                    "count": e.count,
                    "rule_id": e.rule_id,
                    "encounter_id": e.encounter_id,
                    "file": e.file,
                }
                for e in ordered
            ],
        }
        return orjson.dumps(doc, option=orjson.OPT_INDENT_2) + b"\n"


def _entry(raw: Any, index: int) -> Entry:
    where = f"entries[{index}]"
    if not isinstance(raw, dict):
        raise BaselineError(f"{where}: expected an object")
    fp, count = raw.get("fingerprint"), raw.get("count", 1)
    if not isinstance(fp, str) or not fp:
        raise BaselineError(f"{where}: 'fingerprint' must be a non-empty string")
    if not isinstance(count, int) or isinstance(count, bool) or count < 1:
        raise BaselineError(f"{where}: 'count' must be a positive integer")
    rule_id, encounter, file = raw.get("rule_id"), raw.get("encounter_id"), raw.get("file")
    return Entry(
        fp,
        count,
        rule_id if isinstance(rule_id, str) else "?",
        encounter if isinstance(encounter, str) else None,
        file if isinstance(file, str) else "?",
    )


def parse(data: bytes, origin: str) -> Baseline:
    """A baseline from a file's bytes; :class:`BaselineError` names the problem."""
    try:
        doc = orjson.loads(data)
    except orjson.JSONDecodeError as exc:
        raise BaselineError(f"{origin}: not valid JSON ({str(exc).split(':')[0]})") from None
    if not isinstance(doc, dict) or FORMAT_KEY not in doc:
        raise BaselineError(f"{origin}: not a b12lint baseline (no {FORMAT_KEY!r} key)")
    if doc[FORMAT_KEY] != FORMAT_VERSION:
        raise BaselineError(
            f"{origin}: baseline format {doc[FORMAT_KEY]!r} is not supported "
            f"(this b12lint writes {FORMAT_VERSION})"
        )
    raw_entries = doc.get("entries")
    if not isinstance(raw_entries, list):
        raise BaselineError(f"{origin}: 'entries' must be a list")
    entries: dict[str, Entry] = {}
    try:
        for i, raw in enumerate(raw_entries):
            entry = _entry(raw, i)
            if entry.fingerprint in entries:
                old = entries[entry.fingerprint]
                entry = dataclasses.replace(old, count=old.count + entry.count)
            entries[entry.fingerprint] = entry
    except BaselineError as exc:
        raise BaselineError(f"{origin}: {exc}") from None
    return Baseline(entries)


def load(path: str | Path) -> Baseline:
    """Read a baseline file."""
    try:
        data = Path(path).read_bytes()
    except OSError as exc:
        raise BaselineError(f"{path}: cannot read baseline: {exc.strerror or exc}") from None
    return parse(data, str(path))


@dataclass
class Match:
    """The outcome of matching findings against a baseline."""

    kept: list[Finding]
    suppressed: list[Finding]
    stale: list[Entry]
    """Entries (with their unmatched count) that no finding matched any more."""


class Allowance:
    """A baseline's entries, taken one finding at a time: up to ``count`` per fingerprint."""

    def __init__(self, baseline: Baseline) -> None:
        self.baseline = baseline
        self._left = {fp: e.count for fp, e in baseline.entries.items()}

    def take(self, finding: Finding) -> bool:
        """Whether the baseline accepts ``finding`` (using up one of its entry's count)."""
        fp = fingerprint(finding)
        left = self._left
        if left.get(fp, 0) > 0:
            left[fp] -= 1
            return True
        return False

    def stale(self) -> list[Entry]:
        """Entries (with their unmatched count) that no finding matched."""
        left = self._left
        stale = [
            dataclasses.replace(e, count=left[fp])
            for fp, e in self.baseline.entries.items()
            if left[fp] > 0
        ]
        stale.sort(key=lambda e: (e.file, e.encounter_id or "", e.rule_id))
        return stale


def match(findings: Iterable[Finding], baseline: Baseline) -> Match:
    """Suppress up to ``count`` findings per fingerprint; the rest are new."""
    counter = Allowance(baseline)
    kept: list[Finding] = []
    suppressed: list[Finding] = []
    for finding in findings:
        if counter.take(finding):
            suppressed.append(finding.model_copy(update={"suppressed_by": "baseline"}))
        else:
            kept.append(finding)
    return Match(kept, suppressed, counter.stale())
