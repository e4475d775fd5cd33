"""SARIF 2.1.0 for code-scanning platforms (GitHub, Azure DevOps, IDE viewers).

``tool.driver.rules`` documents every active rule (id, name, short and full description, help
text with its policy sources, ``helpUri``, default level, category). Each result has its rule,
level, message and one location: the input file as artifact with the record's line as region,
and the encounter plus JSON Pointer as logical location. ``partialFingerprints`` hold the
content fingerprint (rule, encounter, pointer, value: never the line), so a result keeps its
identity when records move. Suppressed findings, when shown, carry ``suppressions``. The run's
properties say whether ids were redacted and why redaction is advised for shared results.
"""

from __future__ import annotations

import os.path
import secrets
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any, TextIO
from urllib.parse import quote

import orjson

from b12lint.model import Finding, Report, RuleInfo, fingerprint
from b12lint.model.fingerprint import FINGERPRINT_VERSION

SCHEMA_URI = "https://json.schemastore.org/sarif-2.1.0.json"
INFORMATION_URI = "https://b12lint.dev"
#: Where a rule without a policy source URL is documented (docs/rules.md, one anchor a rule).
RULES_URI = f"{INFORMATION_URI}/rules"
SRCROOT = "%SRCROOT%"
LEVELS = {"error": "error", "warning": "warning", "info": "note"}
FINGERPRINT_KEY = f"b12lintContent/{FINGERPRINT_VERSION}"
REDACTION_ADVICE = (
    "Claim data is protected health information. SARIF files are uploaded to code-scanning "
    "services and shown to everyone with access to the repository's alerts: produce them with "
    "--redact (and B12LINT_REDACT_KEY set from a secret) so that patient and encounter ids and "
    "free text appear only as keyed hashes."
)


def _references_text(info: RuleInfo) -> list[str]:
    out = []
    for ref in info.references:
        text = str(ref.get("title", ""))
        if ref.get("section"):
            text += f", {ref['section']}"
        if ref.get("url"):
            text += f" <{ref['url']}>"
        out.append(text)
    return out


def help_uri(info: RuleInfo) -> str:
    """The rule's first policy source with a URL, else its entry in the rules reference."""
    url = next((str(r["url"]) for r in info.references if r.get("url")), None)
    return url or f"{RULES_URI}#{info.id.lower()}"


def rule_descriptor(info: RuleInfo) -> dict[str, Any]:
    """A ``reportingDescriptor`` for one rule."""
    refs = _references_text(info)
    effective = f"Effective for dates of service {info.effective_from or 'always'}"
    effective += f" to {info.effective_to}." if info.effective_to else " onwards."
    help_text = "\n\n".join([info.rationale, "Sources:\n" + "\n".join(f"- {r}" for r in refs)])
    help_md = "\n\n".join(
        [
            f"**{info.summary}**",
            info.rationale,
            "**Sources**\n\n" + "\n".join(f"- {r}" for r in refs),
            effective,
        ]
    )
    descriptor: dict[str, Any] = {
        "id": info.id,
        "name": info.name,
        "shortDescription": {"text": info.summary},
        "fullDescription": {"text": info.rationale or info.summary},
        "help": {"text": f"{help_text}\n\n{effective}", "markdown": help_md},
        "defaultConfiguration": {"level": LEVELS.get(info.severity, "warning")},
        "properties": {
            "category": info.category,
            "pack": info.pack,
            "tags": ["b12lint", info.category],
            "effective": {"from": info.effective_from, "to": info.effective_to},
        },
    }
    descriptor["helpUri"] = help_uri(info)
    return descriptor


def artifact_uri(file: str) -> str:
    """A file as a URI reference (spaces and other reserved characters percent-encoded)."""
    return quote(file.replace("\\", "/"), safe="/")


def artifact_location(file: str, root: str | None) -> dict[str, Any]:
    """Where an input file is: relative to ``%SRCROOT%`` (the working directory) when it is
    under it, as code-scanning services map results to repository files; else a ``file://``
    URI. Without a known root (or for stdin) the path is kept as given."""
    if root is None or file.startswith("<"):
        return {"uri": artifact_uri(file)}
    base = Path(root)
    path = Path(os.path.normpath(base / file))
    try:
        rel = path.relative_to(base)
    except ValueError:
        return {"uri": path.as_uri()}
    return {"uri": artifact_uri(rel.as_posix()), "uriBaseId": SRCROOT}


def _location(finding: Finding, artifacts: dict[str, dict[str, Any]]) -> dict[str, Any]:
    loc = finding.location
    physical: dict[str, Any] = {"artifactLocation": artifacts[loc.file]}
    if loc.line is not None and loc.line >= 1:
        physical["region"] = {"startLine": loc.line}
    out: dict[str, Any] = {"physicalLocation": physical}
    if finding.encounter_id or loc.pointer:
        encounter = finding.encounter_id or "(unidentified record)"
        out["logicalLocations"] = [
            {
                "name": loc.pointer or "/",
                "fullyQualifiedName": f"{encounter}{loc.pointer}",
                "kind": "object",
            }
        ]
    return out


def result(
    finding: Finding, rule_index: dict[str, int], artifacts: dict[str, dict[str, Any]]
) -> Any:
    """A ``result`` for one finding; ``artifacts`` maps each file to its artifact location
    (with its index in ``run.artifacts``)."""
    prefix = f"{finding.encounter_id}: " if finding.encounter_id else ""
    out: dict[str, Any] = {
        "ruleId": finding.rule_id,
        "level": LEVELS[finding.severity],
        "message": {"text": prefix + finding.message},
        "locations": [_location(finding, artifacts)],
        "partialFingerprints": {FINGERPRINT_KEY: fingerprint(finding)},
        "properties": {"category": finding.category, "encounterId": finding.encounter_id},
    }
    if finding.rule_id in rule_index:
        out["ruleIndex"] = rule_index[finding.rule_id]
    if finding.fix is not None:
        out["properties"]["fix"] = {"pointer": finding.fix.pointer, "value": finding.fix.value}
    if finding.suppressed_by is not None:
        out["suppressions"] = [
            {"kind": "external", "status": "accepted", "justification": finding.suppressed_by}
        ]
    return out


def _shown(report: Report) -> Iterator[Finding]:
    """The results' findings: the reported ones, then the suppressed ones shown."""
    yield from report.findings
    yield from report.suppressed


@dataclass(frozen=True)
class _Layout:
    """What the results refer to: the rules (sorted, with their indexes) and the input files
    (sorted, with their artifact locations and indexes)."""

    infos: list[RuleInfo]
    rule_index: dict[str, int]
    locations: list[dict[str, Any]]
    artifacts: dict[str, dict[str, Any]]


def _layout(report: Report) -> _Layout:
    infos = sorted(report.rules.values(), key=lambda r: r.id)
    files = sorted({f.location.file for f in _shown(report)})  # a pass keeping only files
    locations = [artifact_location(file, report.root) for file in files]
    artifacts = {
        file: {**loc, "index": i}
        for i, (file, loc) in enumerate(zip(files, locations, strict=True))
    }
    return _Layout(infos, {info.id: i for i, info in enumerate(infos)}, locations, artifacts)


def document(report: Report) -> dict[str, Any]:
    """The SARIF log as plain data."""
    layout = _layout(report)
    results = [result(f, layout.rule_index, layout.artifacts) for f in _shown(report)]
    return _document(report, layout, results)


def _document(report: Report, layout: _Layout, results: list[Any]) -> dict[str, Any]:
    notifications = [
        {"level": "note", "message": {"text": note}, "descriptor": {"id": "b12lint-note"}}
        for note in report.notes
    ]
    if not report.redacted:
        notifications.insert(
            0,
            {
                "level": "warning",
                "message": {"text": REDACTION_ADVICE},
                "descriptor": {"id": "b12lint-redaction"},
            },
        )
    root, locations = report.root, layout.locations
    run: dict[str, Any] = {}
    if any("uriBaseId" in loc for loc in locations) and root is not None:
        run["originalUriBaseIds"] = {SRCROOT: {"uri": Path(root).as_uri().rstrip("/") + "/"}}
    return {
        "$schema": SCHEMA_URI,
        "version": "2.1.0",
        "runs": [
            {
                **run,
                "tool": {
                    "driver": {
                        "name": "b12lint",
                        "version": report.tool_version,
                        "semanticVersion": report.tool_version,
                        "informationUri": INFORMATION_URI,
                        "rules": [rule_descriptor(info) for info in layout.infos],
                    }
                },
                "invocations": [
                    {"executionSuccessful": True, "toolExecutionNotifications": notifications}
                ],
                "artifacts": [{"location": loc} for loc in locations],
                "results": results,
                "columnKind": "unicodeCodePoints",
                "properties": {
                    "summary": report.summary.report_dict(),
                    "rulesets": [dict(r) for r in report.rulesets],
                    "redacted": report.redacted,
                    "redaction": REDACTION_ADVICE,
                },
            }
        ],
    }


_OPTIONS = orjson.OPT_INDENT_2 | orjson.OPT_NON_STR_KEYS
_NEXT = b"\n" + b" " * 8  # a result is nested four levels deep (runs[0].results[i])
_BATCH = 1024


def render(report: Report, stream: TextIO, color: bool = False) -> None:
    """Write the SARIF log (2-space indent, trailing newline).

    The results are written as they are made, a batch at a time, never as one document in
    memory (findings may be streamed from disk): the bytes are those of
    ``orjson.dumps(document(report))``. The document around them is made once with a
    placeholder result (an unguessable string) and split there.
    """
    layout = _layout(report)
    marker = f"b12lint-results-{secrets.token_hex(16)}"
    text = orjson.dumps(_document(report, layout, [marker]), option=_OPTIONS)
    head, tail = text.split(orjson.dumps(marker))
    rule_index, artifacts = layout.rule_index, layout.artifacts
    batch: list[bytes] = []
    between = b"," + _NEXT
    written = False
    for finding in _shown(report):
        item = orjson.dumps(result(finding, rule_index, artifacts), option=_OPTIONS)
        batch.append(item.replace(b"\n", _NEXT))
        if len(batch) == _BATCH:
            stream.write(((between if written else head) + between.join(batch)).decode("utf-8"))
            batch, written = [], True
    if batch:
        stream.write(((between if written else head) + between.join(batch)).decode("utf-8"))
        written = True
    if not written:  # no result: the empty list, as the whole document spells it
        tail = orjson.dumps(_document(report, layout, []), option=_OPTIONS)
    stream.write(tail.decode("utf-8"))
    stream.write("\n")
