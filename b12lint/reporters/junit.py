"""JUnit XML for CI test reports: a test suite per input file, a test case per encounter.

Every record read is a test case (named by its encounter id, with ``file`` and ``line``
attributes); an encounter with findings fails, with one ``<failure>`` listing them all. A
record that could not be read is a failing case named by its line. Suppressed findings, when
shown, are listed in the case's ``<system-out>``.
"""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET
from collections import defaultdict
from typing import TextIO

from b12lint.model import SEVERITY_RANK, Finding, Report, plural

_INVALID_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]")
CaseKey = tuple[str, int | None, str | None]


def _xml_text(text: str) -> str:
    """Characters XML 1.0 cannot carry become U+FFFD (ElementTree would write them raw)."""
    return _INVALID_XML.sub("\ufffd", text)


def _line(finding: Finding) -> str:
    loc = finding.location
    where = f"line {loc.line}" if loc.line is not None else "file"
    pointer = f" {loc.pointer}" if loc.pointer else ""
    return f"{where}{pointer}: {finding.rule_id} {finding.severity}: {finding.message}"


def _key(finding: Finding) -> CaseKey:
    loc = finding.location
    return (loc.file, loc.line, finding.encounter_id)


def _cases(report: Report) -> dict[str, dict[CaseKey, list[Finding]]]:
    """Test cases by file: every encounter read, plus every place a finding points."""
    by_file: dict[str, dict[CaseKey, list[Finding]]] = defaultdict(dict)
    for ref in report.encounters:
        by_file[ref.file].setdefault((ref.file, ref.line, ref.encounter_id), [])
    for finding in (*report.findings, *report.suppressed):
        by_file[finding.location.file].setdefault(_key(finding), []).append(finding)
    return by_file


def _case_name(key: CaseKey) -> str:
    _, line, encounter = key
    if encounter:
        return encounter
    return f"line {line}" if line is not None else "(file)"


def build(report: Report) -> ET.Element:
    """The ``<testsuites>`` element."""
    root = ET.Element("testsuites", name="b12lint")
    total_tests = total_failures = 0
    for file, cases in sorted(_cases(report).items()):
        suite = ET.SubElement(root, "testsuite", name=_xml_text(file))
        failures = 0
        for key in sorted(cases, key=lambda k: (k[1] if k[1] is not None else -1, k[2] or "")):
            findings = cases[key]
            case = ET.SubElement(
                suite, "testcase", classname=_xml_text(file), name=_xml_text(_case_name(key))
            )
            case.set("file", _xml_text(file))
            if key[1] is not None:
                case.set("line", str(key[1]))
            active = [f for f in findings if f.suppressed_by is None]
            quiet = [f for f in findings if f.suppressed_by is not None]
            if active:
                failures += 1
                worst = max(active, key=lambda f: SEVERITY_RANK[f.severity]).severity
                rules = ", ".join(dict.fromkeys(f.rule_id for f in active))
                failure = ET.SubElement(
                    case,
                    "failure",
                    message=_xml_text(f"{plural(len(active), 'finding')}: {rules}"),
                    type=worst,
                )
                failure.text = _xml_text("\n".join(_line(f) for f in active))
            if quiet:
                out = ET.SubElement(case, "system-out")
                out.text = _xml_text(
                    "\n".join(f"suppressed ({f.suppressed_by}): {_line(f)}" for f in quiet)
                )
        suite.set("tests", str(len(cases)))
        suite.set("failures", str(failures))
        suite.set("errors", "0")
        suite.set("skipped", "0")
        total_tests += len(cases)
        total_failures += failures
    root.set("tests", str(total_tests))
    root.set("failures", str(total_failures))
    root.set("errors", "0")
    return root


def render(report: Report, stream: TextIO, color: bool = False) -> None:
    """Write the XML document (UTF-8 declaration, two-space indent)."""
    root = build(report)
    ET.indent(root)
    stream.write('<?xml version="1.0" encoding="UTF-8"?>\n')
    stream.write(ET.tostring(root, encoding="unicode"))
    stream.write("\n")
