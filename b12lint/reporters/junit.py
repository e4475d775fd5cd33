"""JUnit XML for CI test reports: a test suite per input file, a test case per encounter.

Every record read is a test case (named by its encounter id, with ``file`` and ``line``
attributes); an encounter with findings fails, with one ``<failure>`` listing them all. A
record that could not be read is a failing case named by its line. Suppressed findings, when
shown, are listed in the case's ``<system-out>``.

:func:`render` streams: a first pass over the encounters and findings (merged in case order,
whether they come from memory or from disk) counts each file's cases and failures for the
``<testsuite>`` attributes, a second writes each case as it is made. :func:`build` makes the
whole tree (the same document; the tests compare the two).
"""

from __future__ import annotations

import heapq
import itertools
import re
import xml.etree.ElementTree as ET
from collections import defaultdict
from collections.abc import Iterable, Iterator
from typing import TextIO

from b12lint.model import SEVERITY_RANK, EncounterRef, Finding, Report, plural

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
            case = _case(key, cases[key])
            suite.append(case)
            failures += case.find("failure") is not None
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


def _case(key: CaseKey, findings: list[Finding]) -> ET.Element:
    """The ``<testcase>`` of one encounter (or place) and its findings."""
    file = key[0]
    case = ET.Element("testcase", classname=_xml_text(file), name=_xml_text(_case_name(key)))
    case.set("file", _xml_text(file))
    if key[1] is not None:
        case.set("line", str(key[1]))
    active = [f for f in findings if f.suppressed_by is None]
    quiet = [f for f in findings if f.suppressed_by is not None]
    if active:
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
    return case


Place = tuple[str, int]
"""A file and a line (-1 for none): the order of test cases, ids apart."""


def _place(key: CaseKey) -> Place:
    return (key[0], key[1] if key[1] is not None else -1)


def _ref_place(ref: EncounterRef) -> Place:
    return (ref.file, ref.line if ref.line is not None else -1)


def _keyed(findings: Iterable[Finding]) -> Iterator[tuple[CaseKey, Finding | None]]:
    for f in findings:
        yield _key(f), f


def _in_order(report: Report) -> Iterator[tuple[CaseKey, list[Finding]]]:
    """Every test case, in document order: the encounters read (``report.encounters``, in
    place order: sorted here when they are a list) merged with the findings and the suppressed
    findings (in report order, which is place order). A place's cases are ordered by id, each
    place's in the order :func:`build` inserts them (encounters, findings, suppressed), so
    ties sort the same; only one place's cases are in memory at a time."""
    refs: Iterable[EncounterRef] = report.encounters
    if isinstance(refs, list):  # input order (else a stream already in place order)
        refs = sorted(refs, key=_ref_place)
    streams = [
        (((r.file, r.line, r.encounter_id), None) for r in refs),
        _keyed(report.findings),
        _keyed(report.suppressed),
    ]
    merged = heapq.merge(*streams, key=lambda item: _place(item[0]))
    for _, group in itertools.groupby(merged, key=lambda item: _place(item[0])):
        cases: dict[CaseKey, list[Finding]] = {}
        for key, finding in group:
            found = cases.setdefault(key, [])
            if finding is not None:
                found.append(finding)
        for key in sorted(cases, key=lambda k: k[2] or ""):
            yield key, cases[key]


def _failed(findings: list[Finding]) -> bool:
    return any(f.suppressed_by is None for f in findings)


def _open_tag(element: ET.Element) -> str:
    """An element's start tag as ElementTree writes it (attributes escaped its way)."""
    empty = ET.tostring(element, encoding="unicode")
    assert empty.endswith(" />")
    return empty[:-3] + ">"


def render(report: Report, stream: TextIO, color: bool = False) -> None:
    """Write the XML document (UTF-8 declaration, two-space indent): the bytes of
    :func:`build`'s tree, indented, written as the cases are made."""
    counts: dict[str, list[int]] = {}
    for key, findings in _in_order(report):
        tally = counts.setdefault(key[0], [0, 0])
        tally[0] += 1
        tally[1] += _failed(findings)
    root = ET.Element("testsuites", name="b12lint")
    root.set("tests", str(sum(tests for tests, _ in counts.values())))
    root.set("failures", str(sum(failures for _, failures in counts.values())))
    root.set("errors", "0")
    stream.write('<?xml version="1.0" encoding="UTF-8"?>\n')
    if not counts:
        stream.write(ET.tostring(root, encoding="unicode"))
        stream.write("\n")
        return
    stream.write(_open_tag(root))
    for file, cases in itertools.groupby(_in_order(report), key=lambda item: item[0][0]):
        tests, failures = counts[file]
        suite = ET.Element("testsuite", name=_xml_text(file))
        suite.set("tests", str(tests))
        suite.set("failures", str(failures))
        suite.set("errors", "0")
        suite.set("skipped", "0")
        stream.write("\n  " + _open_tag(suite))
        for key, findings in cases:
            case = _case(key, findings)
            ET.indent(case, level=2)
            stream.write("\n    " + ET.tostring(case, encoding="unicode"))
        stream.write("\n  </testsuite>")
    stream.write("\n</testsuites>\n")
