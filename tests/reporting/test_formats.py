"""Every output format on the same batch, on an empty run, and on a run of input errors only.

Each format is read back with the parser its consumers use (json, csv, xml.etree, html.parser)
and must list exactly the findings of the run.
"""

from __future__ import annotations

import csv
import io
import json
import re
import xml.etree.ElementTree as ET
from collections.abc import Callable
from html.parser import HTMLParser
from pathlib import Path

import jsonschema
import pytest
from report_batch import EXPECTED_RULES, FORMATS, REPO, Check

from b12lint.reporters.csv_report import COLUMNS


def rules_text(out: str) -> list[str]:
    return re.findall(r"^\S+: \S+ (B12-[A-Z]+-\d{3}) ", out, flags=re.M)


def rules_json(out: str) -> list[str]:
    doc = json.loads(out)
    schema = json.loads((REPO / "schemas" / "report.schema.json").read_text())
    jsonschema.validate(doc, schema)
    assert list(doc) == ["tool", "rulesets", "summary", "findings"]
    assert doc["summary"]["findings"] == len(doc["findings"])
    return [f["rule_id"] for f in doc["findings"]]


def rules_jsonl(out: str) -> list[str]:
    rows = [json.loads(line) for line in out.splitlines()]
    for row in rows:
        assert set(row) >= {"rule_id", "severity", "category", "encounter_id", "message"}
    return [r["rule_id"] for r in rows]


def rules_csv(out: str) -> list[str]:
    rows = list(csv.reader(io.StringIO(out, newline="")))
    assert tuple(rows[0]) == COLUMNS
    assert all(len(r) == len(COLUMNS) for r in rows)
    return [r[COLUMNS.index("rule_id")] for r in rows[1:]]


def rules_github(out: str) -> list[str]:
    found = re.findall(
        r"^::(?:error|warning|notice) file=[^:]*title=(B12-[A-Z]+-\d{3})::", out, re.M
    )
    assert out.rstrip().splitlines()[-1].startswith("b12lint: ")
    return found


def rules_junit(out: str) -> list[str]:
    root = ET.fromstring(out)
    assert root.tag == "testsuites"
    rules = []
    for failure in root.iter("failure"):
        rules += re.findall(r"(B12-[A-Z]+-\d{3}) (?:error|warning|info):", failure.text or "")
    return rules


class _Rows(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.rows: list[str] = []
        self.in_body = False
        self.in_findings = False
        self.cell = -1
        self.svgs = 0

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag == "table":
            self.in_findings = dict(attrs).get("id") == "findings-table"
        elif tag == "tbody" and self.in_findings:
            self.in_body = True
        elif tag == "tr" and self.in_body:
            self.cell = -1
        elif tag == "td" and self.in_body:
            self.cell += 1
        elif tag == "svg":
            self.svgs += 1

    def handle_endtag(self, tag: str) -> None:
        if tag in ("tbody", "table"):
            self.in_body = False

    def handle_data(self, data: str) -> None:
        if self.in_body and self.cell == 1:
            self.rows.append(data)


def rules_html(out: str) -> list[str]:
    parser = _Rows()
    parser.feed(out)
    assert parser.svgs == 4  # severity, category, top rules, month
    assert out.startswith("<!DOCTYPE html>") and out.rstrip().endswith("</html>")
    return parser.rows


EXTRACT: dict[str, Callable[[str], list[str]]] = {
    "text": rules_text,
    "json": rules_json,
    "jsonl": rules_jsonl,
    "sarif": lambda out: [r["ruleId"] for r in json.loads(out)["runs"][0]["results"]],
    "junit": rules_junit,
    "github": rules_github,
    "csv": rules_csv,
    "html": rules_html,
}


def test_every_format_has_an_extractor() -> None:
    from b12lint.reporters import REPORTERS

    assert set(EXTRACT) == set(FORMATS) == set(REPORTERS)


@pytest.mark.parametrize("fmt", FORMATS)
def test_format_lists_every_finding(fmt: str, check: Check, batch: Path) -> None:
    result = check(str(batch), "--format", fmt)
    assert result.exit_code == 1, result.output
    assert sorted(EXTRACT[fmt](result.stdout)) == EXPECTED_RULES


@pytest.mark.parametrize("fmt", FORMATS)
def test_format_empty_run(fmt: str, check: Check, empty_batch: Path) -> None:
    result = check(str(empty_batch), "--format", fmt, "--allow-empty")
    assert result.exit_code == 0, result.output
    assert EXTRACT[fmt](result.stdout) == []


@pytest.mark.parametrize("fmt", FORMATS)
def test_format_input_errors_only(fmt: str, check: Check, tmp_path: Path) -> None:
    bad = tmp_path / "bad.jsonl"
    bad.write_text('{"encounter_id": \n[1, 2]\n{"encounter_id": "X-1"}\n', encoding="utf-8")
    result = check(str(bad), "--format", fmt)
    assert result.exit_code == 1, result.output
    assert EXTRACT[fmt](result.stdout) == ["B12-INPUT-001", "B12-INPUT-002", "B12-INPUT-002"]


def test_all_formats_in_one_run(check: Check, batch: Path, tmp_path: Path) -> None:
    args: list[str] = []
    for fmt in FORMATS:
        args += ["--format", fmt, "--output", str(tmp_path / f"out.{fmt}")]
    result = check(str(batch), *args)
    assert result.exit_code == 1
    assert result.stdout == ""
    for fmt in FORMATS:
        text = (tmp_path / f"out.{fmt}").read_text(encoding="utf-8")
        assert sorted(EXTRACT[fmt](text)) == EXPECTED_RULES, fmt


def test_jsonl_line_equals_json_finding(check: Check, batch: Path) -> None:
    whole = json.loads(check(str(batch), "-f", "json").stdout)["findings"]
    lines = [json.loads(x) for x in check(str(batch), "-f", "jsonl").stdout.splitlines()]
    assert lines == whole


def test_junit_suite_per_file_case_per_encounter(check: Check, batch: Path, tmp_path: Path) -> None:
    other = tmp_path / "claims" / "other.jsonl"
    first = batch.read_text().splitlines()[0]
    other.write_text(first.replace("ENC-ALPHA-0001", "O-1").replace("PAT-ZETA", "PAT-O") + "\n")
    root = ET.fromstring(check(str(batch.parent), "-f", "junit").stdout)
    suites = {s.get("name"): s for s in root.iter("testsuite")}
    assert set(suites) == {"claims/batch.jsonl", "claims/other.jsonl"}
    cases = [c.get("name") for c in suites["claims/batch.jsonl"].iter("testcase")]
    # every record: five encounters read, the unreadable line 5, the invalid ENC-FOXTROT-0007
    assert cases == [
        "ENC-ALPHA-0001",
        "ENC-ALPHA-0002",
        "ENC-BRAVO-0003",
        "ENC-CHARLIE-0004",
        "line 5",
        "ENC-ECHO-0006",
        "ENC-FOXTROT-0007",
    ]
    failed = {c.get("name") for c in root.iter("testcase") if c.find("failure") is not None}
    assert failed == {
        "ENC-ALPHA-0002",
        "ENC-BRAVO-0003",
        "ENC-CHARLIE-0004",
        "line 5",
        "ENC-FOXTROT-0007",
    }
    assert root.get("tests") == "8" and root.get("failures") == "5"
    bravo = next(c for c in root.iter("testcase") if c.get("name") == "ENC-BRAVO-0003")
    assert bravo.get("line") == "3"
    assert bravo.find("failure").get("message") == "2 findings: B12-UNITS-001, B12-UNITS-003"


def test_junit_survives_control_characters(check: Check, tmp_path: Path) -> None:
    path = tmp_path / "ctl.jsonl"
    path.write_text(json.dumps({"encounter_id": "E\u0001\u0007", "date_of_service": 5}) + "\n")
    root = ET.fromstring(check(str(path), "-f", "junit").stdout)
    assert [c.get("name") for c in root.iter("testcase")] == ["E\ufffd\ufffd"]


def test_csv_defuses_formulas(check: Check, tmp_path: Path) -> None:
    path = tmp_path / "evil.jsonl"
    path.write_text(json.dumps({"encounter_id": '=HYPERLINK("x")', "date_of_service": 1}) + "\n")
    rows = list(csv.reader(io.StringIO(check(str(path), "-f", "csv").stdout, newline="")))
    assert rows[1][COLUMNS.index("encounter_id")] == '\'=HYPERLINK("x")'


def test_github_escapes_and_levels(check: Check, tmp_path: Path) -> None:
    (tmp_path / "odd,name:1.jsonl").write_text(
        json.dumps({"encounter_id": "A%1\nB", "date_of_service": 1}) + "\n"
    )
    out = check("odd,name:1.jsonl", "-f", "github", "--no-redact-shared").stdout
    line = next(x for x in out.splitlines() if x.startswith("::error"))
    assert line.startswith(
        "::error file=odd%2Cname%3A1.jsonl,line=1,title=B12-INPUT-002::A%251%0AB: "
    )


def test_github_format_is_automatic_in_actions(check: Check, batch: Path) -> None:
    result = check(str(batch), env={"GITHUB_ACTIONS": "true"})
    assert "::error file=claims/batch.jsonl,line=3,title=B12-UNITS-001::" in result.stdout
    explicit = check(str(batch), "-f", "text", env={"GITHUB_ACTIONS": "true"})
    assert "::error" not in explicit.stdout


def test_github_advises_redaction_unless_redacted(check: Check, batch: Path) -> None:
    plain = check(str(batch), "-f", "github", "--no-redact-shared").stdout
    assert plain.startswith("::notice title=b12lint (PHI)::") and "--redact" in plain
    key = {"B12LINT_REDACT_KEY": "k" * 32}
    redacted = check(str(batch), "-f", "github", "--redact", env=key).stdout
    assert "b12lint (PHI)" not in redacted


def test_html_escapes_claim_data(check: Check, tmp_path: Path) -> None:
    path = tmp_path / "xss.jsonl"
    evil = "<script>alert(1)</script>"
    path.write_text(json.dumps({"encounter_id": evil, "date_of_service": 1}) + "\n")
    out = check(str(path), "-f", "html").stdout
    assert evil not in out
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in out


def test_html_is_self_contained(check: Check, batch: Path) -> None:
    out = check(str(batch), "-f", "html").stdout
    assert "Content-Security-Policy" in out and "default-src 'none'" in out
    assert not re.search(r"<(?:link|img|iframe|object|embed)\b", out)
    assert not re.search(r"\bsrc=", out)
    assert "B12-UNITS-001" in out and "pernicious" not in out.split("<main>")[0]


def test_statistics_counts_per_rule(check: Check, batch: Path) -> None:
    result = check(str(batch), "--statistics")
    rows = result.stdout.splitlines()
    assert rows[0].split()[:3] == ["1", "B12-FREQ-001", "error"]
    assert "1  B12-UNITS-001  error    [1 fixable] j3420-units-match-dose" in result.stdout
    assert rows[-1] == "6 findings in 6 rules."
    assert result.exit_code == 1


def test_statistics_conflicts_with_another_stdout_format(check: Check, batch: Path) -> None:
    result = check(str(batch), "--statistics", "-f", "json")
    assert result.exit_code == 2
    assert "--statistics prints to stdout" in result.stderr
    ok = check(str(batch), "--statistics", "-f", "json", "-o", "r.json")
    assert ok.exit_code == 1 and ok.stdout.endswith("6 findings in 6 rules.\n")
