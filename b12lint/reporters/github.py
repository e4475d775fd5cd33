"""GitHub Actions workflow commands: an annotation per finding on the file and line.

``::error file=F,line=N,title=RULE::ENCOUNTER: message`` (warnings as ``::warning``, info as
``::notice``), escaped as the workflow-command syntax requires, then a summary line. Chosen
automatically when ``GITHUB_ACTIONS=true`` and no ``--format`` is given. Annotations are shown
to everyone who can read the repository and its logs, so an unredacted run starts with a notice
advising ``--redact``.
"""

from __future__ import annotations

from typing import TextIO

from b12lint.model import Finding, Report, plural

LEVELS = {"error": "error", "warning": "warning", "info": "notice"}
REDACTION_ADVICE = (
    "Claim data is protected health information: annotations and logs are visible to everyone "
    "with read access to this repository. Run b12lint with --redact (and B12LINT_REDACT_KEY "
    "set from a secret) to replace patient and encounter ids and free text with keyed hashes."
)


def escape_data(text: str) -> str:
    """Escape a command's message (``%``, CR, LF)."""
    return text.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")


def escape_property(text: str) -> str:
    """Escape a property value (also ``:`` and ``,``)."""
    return escape_data(text).replace(":", "%3A").replace(",", "%2C")


def command(finding: Finding) -> str:
    """One workflow command for a finding."""
    loc = finding.location
    props = [f"file={escape_property(loc.file)}"]
    if loc.line is not None:
        props.append(f"line={loc.line}")
    props.append(f"title={escape_property(finding.rule_id)}")
    text = f"{finding.encounter_id or '-'}: {finding.message}"
    return f"::{LEVELS[finding.severity]} {','.join(props)}::{escape_data(text)}"


def render(report: Report, stream: TextIO, color: bool = False) -> None:
    """Write the annotations, the notes and a summary line."""
    if not report.redacted:
        stream.write(f"::notice title=b12lint (PHI)::{escape_data(REDACTION_ADVICE)}\n")
    for finding in report.findings:
        stream.write(command(finding) + "\n")
    for note in report.notes:
        stream.write(f"::notice title=b12lint::{escape_data(note)}\n")
    s = report.summary
    sev = s.by_severity
    stream.write(
        f"b12lint: {plural(s.findings, 'finding')} "
        f"({sev['error']} error, {sev['warning']} warning, "
        f"{sev['info']} info), {s.suppressed:,} suppressed; {s.b12_encounters:,} of "
        f"{plural(s.encounters, 'encounter')} in B12 scope; "
        f"{plural(s.input_errors, 'input error')}\n"
    )
