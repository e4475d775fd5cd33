"""Human output, like ruff: ``file:line: ENCOUNTER RULE-ID severity message`` and a summary."""

from __future__ import annotations

from typing import TextIO

from b12lint.model import Finding, Report, plural

_COLORS = {"error": "\x1b[31m", "warning": "\x1b[33m", "info": "\x1b[36m"}
_BOLD = "\x1b[1m"
_RESET = "\x1b[0m"


def format_finding(finding: Finding, color: bool = False) -> str:
    """One finding on one line."""
    loc = finding.location
    where = f"{loc.file}:{loc.line}:" if loc.line is not None else f"{loc.file}:"
    severity: str = finding.severity
    rule = finding.rule_id
    if color:
        where = f"{_BOLD}{where}{_RESET}"
        severity = f"{_COLORS[finding.severity]}{severity}{_RESET}"
        rule = f"{_BOLD}{rule}{_RESET}"
    encounter = finding.encounter_id or "-"
    return f"{where} {encounter} {rule} {severity} {finding.message}"


def summary_line(report: Report) -> str:
    """The closing line: counts that account for every record."""
    s = report.summary
    sev = s.by_severity
    parts = [
        f"{plural(s.findings, 'finding')} ({sev['error']} error, {sev['warning']} warning, "
        f"{sev['info']} info)",
        f"{s.b12_encounters:,} of {plural(s.encounters, 'encounter')} in B12 scope",
        plural(s.input_errors, "input error"),
    ]
    if s.suppressed:
        parts.append(f"{s.suppressed:,} suppressed")
    if s.without_chart:
        parts.append(f"{s.without_chart:,} without chart (chart rules skipped)")
    if s.skipped_files:
        parts.append(f"{plural(sum(s.skipped_files.values()), 'file')} skipped")
    if s.not_judged:
        parts.append(f"{sum(s.not_judged.values()):,} read but not judged")
    return "; ".join(parts) + "."


def render(report: Report, stream: TextIO, color: bool = False) -> None:
    """Write one line per finding (then suppressed ones, when shown), notes and the summary."""
    for finding in report.findings:
        stream.write(format_finding(finding, color) + "\n")
    fixable = sum(1 for f in report.findings if f.fix is not None and f.fix.safe)
    for finding in report.suppressed:
        stream.write(f"suppressed ({finding.suppressed_by}): {format_finding(finding)}\n")
    if report.findings or report.suppressed:
        stream.write("\n")
    for note in report.notes:
        stream.write(f"note: {note}\n")
    stream.write(summary_line(report) + "\n")
    if fixable:
        stream.write(f"{plural(fixable, 'finding')} can be fixed with `b12lint fix`.\n")
