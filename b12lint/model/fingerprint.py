"""Content fingerprints: the identity of a finding that survives records moving in a file.

A rule finding is identified by its rule, encounter id, JSON Pointer and the value at that
pointer (``subject``); an input finding by its rule, file and a digest of the record's bytes.
Line numbers never take part, so inserting or reordering records changes no fingerprint, while
editing the value a finding points at does. Baselines and SARIF ``partialFingerprints`` use it.
"""

from __future__ import annotations

import hashlib

from b12lint.model.finding import Finding

FINGERPRINT_VERSION = "v1"


def fingerprint(finding: Finding) -> str:
    """A 32-hex-digit SHA-256 prefix of the finding's identifying content."""
    parts: tuple[str, ...]
    if finding.category == "input":
        # The record's bytes when the reader had them; otherwise what the error says.
        content = finding.subject or f"{finding.location.pointer}\x1e{finding.message}"
        parts = ("input", finding.rule_id, finding.location.file, content)
    else:
        parts = (
            "rule",
            finding.rule_id,
            finding.encounter_id or "",
            finding.location.pointer,
            finding.subject or "",
        )
    data = "\x1f".join(parts).encode("utf-8", "surrogatepass")
    return hashlib.sha256(data).hexdigest()[:32]
