"""The HTML audit report for an auditor: summary and table first, the top rules with the rest
folded, billed charges at risk (by rule, by provider) and the provider comparison."""

from __future__ import annotations

import io
import re
from pathlib import Path

import pytest
from report_batch import Check

from b12lint.model import (
    ADMINISTRATION,
    DRUG,
    OTHER,
    BilledLine,
    Context,
    EncounterBilling,
    Finding,
    Location,
    Report,
    Summary,
)
from b12lint.reporters.html import render
from b12lint.reporters.html.money import at_risk
from b12lint.reporters.html.providers import MIN_ENCOUNTERS, compare


def billing(
    eid: str, npi: str = "1234567893", *, b12: bool = True, paid: bool = False
) -> EncounterBilling:
    """A B12 encounter billing J3420 $12, 96372 $25 and a 99213 $80 (paid $10, $20, $70)."""
    amounts = ((0, "J3420", 12.0, DRUG, 10.0), (1, "96372", 25.0, ADMINISTRATION, 20.0))
    amounts += ((2, "99213", 80.0, OTHER, 70.0),)
    lines = tuple(
        BilledLine(i, code, charge, role, paid=pay if paid else None)
        for i, code, charge, role, pay in amounts
    )
    return EncounterBilling("f.jsonl", int(eid[1:]), eid, npi, b12, lines)


def finding(
    eid: str, rule: str, pointer: str = "", severity: str = "error", npi: str = "1234567893"
) -> Finding:
    return Finding(
        rule_id=rule,
        severity=severity,  # type: ignore[arg-type]
        category="units",
        encounter_id=eid,
        message="m",
        location=Location(file="f.jsonl", line=int(eid[1:]), pointer=pointer),
        context=Context(rendering_npi=npi, date_of_service="2026-03-02"),
    )


def test_each_flagged_line_counts_once_and_encounter_findings_cover_b12_lines() -> None:
    found = [
        finding("E1", "R-LINE", "/lines/0/units"),
        finding("E1", "R-LINE-2", "/lines/0"),  # the same line again: counted once in total
        finding("E1", "R-ENC", "/documentation/indication"),  # drug + administration lines
        finding("E2", "R-EM", "/lines/2/modifiers", npi="1457389127"),  # an E/M line itself
        finding("E3", "R-WARN", "/lines/2", severity="warning"),  # not an error: not at risk
    ]
    risk = at_risk(found, [billing("E1"), billing("E2", "1457389127"), billing("E3")])
    assert risk.label == "billed charges at risk"
    assert risk.total == 12 + 25 + 80  # E1's J3420 and 96372 once each, E2's 99213
    assert (risk.lines, risk.encounters, risk.unpriced) == (3, 2, 0)
    by_rule = {s.key: (s.amount, s.lines) for s in risk.by_rule}
    assert by_rule == {
        "R-LINE": (12, 1),
        "R-LINE-2": (12, 1),
        "R-ENC": (37, 2),
        "R-EM": (80, 1),
    }
    by_provider = {s.key: (s.amount, s.lines) for s in risk.by_provider}
    assert by_provider == {"1234567893": (37, 2), "1457389127": (80, 1)}
    assert [s.key for s in risk.by_provider] == ["1457389127", "1234567893"]  # largest first


def test_a_remittance_turns_charges_into_paid_amounts() -> None:
    risk = at_risk([finding("E1", "R-ENC")], [billing("E1", paid=True)])
    assert risk.label == "paid amounts at risk"
    assert risk.total == 10 + 20


def test_lines_without_a_charge_are_counted_but_add_nothing() -> None:
    bare = EncounterBilling("f.jsonl", 1, "E1", None, True, (BilledLine(0, "J3420", None, DRUG),))
    risk = at_risk([finding("E1", "R-ENC")], [bare])
    assert (risk.total, risk.lines, risk.unpriced) == (0, 1, 1)
    assert [s.key for s in risk.by_provider] == ["(no NPI)"]


def test_provider_comparison_marks_outliers_with_enough_encounters() -> None:
    many, few = "1111111111", "2222222222"
    bills = [billing(f"E{i}", "1234567893") for i in range(1, 41)]
    bills += [billing(f"E{i}", many) for i in range(41, 41 + MIN_ENCOUNTERS)]
    bills += [billing("E90", few), billing("E91", few, b12=False)]
    found = [finding("E1", "R"), finding("E2", "R")]
    found += [finding(f"E{i}", "R", npi=many) for i in range(41, 41 + MIN_ENCOUNTERS)]
    found += [finding("E90", "R", npi=few), finding("E90", "R2", npi=few)]
    input_error = finding("E99", "B12-INPUT-001").model_copy(update={"category": "input"})
    rows, batch_rate = compare([*found, input_error], bills)
    by_npi = {r.npi: r for r in rows}
    assert batch_rate == pytest.approx(100 * 14 / 51)
    assert by_npi[many].rate == 100 and by_npi[many].outlier
    assert by_npi[few].b12_encounters == 1 and by_npi[few].rate == 200
    assert not by_npi[few].outlier  # too few encounters to compare
    assert by_npi["1234567893"].rate == 5 and not by_npi["1234567893"].outlier
    assert rows[0].npi == few  # highest rate first


def html_of(check: Check, *args: str) -> str:
    result = check(*args, "-f", "html")
    assert result.exit_code == 1, result.output
    return result.stdout


def test_summary_and_table_come_first(check: Check, batch: Path) -> None:
    out = html_of(check, str(batch))
    order = [out.index(f'id="{i}"') for i in ("totals", "findings", "at-risk", "providers")]
    assert order == sorted(order)
    assert out.index('id="findings"') < out.index('id="charts"') < out.index('id="rules"')


def test_billed_charges_at_risk_of_the_batch(check: Check, batch: Path) -> None:
    """ENC-ALPHA-0002 (frequency, the whole encounter: J3420 $12 + 96372 $25), ENC-BRAVO-0003
    (units on its J3420 line, two rules: $12 once), ENC-CHARLIE-0004 (NPI: $37)."""
    out = html_of(check, str(batch))
    assert "billed charges at risk</div>" in out  # the summary card, labelled exactly so
    assert "<h2>Billed charges at risk</h2>" in out
    section = out[out.index('id="at-risk"') : out.index('id="providers"')]
    assert "$86.00" in section
    assert re.search(r"1234567893</td><td class=\"num\">\$49\.00", section)
    assert re.search(r"1234567890</td><td class=\"num\">\$37\.00", section)
    assert re.search(r"B12-UNITS-003</code></a></td><td class=\"num\">\$12\.00", section)


def test_provider_comparison_of_the_batch(check: Check, batch: Path) -> None:
    out = html_of(check, str(batch))
    section = out[out.index('id="providers"') : out.index('id="charts"')]
    assert "Provider comparison" in section
    rows = re.findall(r"<tr class=\"[a-z]*\"><td><code>(\d+)</code>.*?</tr>", section)
    # both at 100 per 100 (3 findings in 3 encounters, 1 in 1): more findings first
    assert rows == ["1234567893", "1234567890"]
    # 4 B12 encounters, 4 rule findings (input errors are nobody's): 100 per 100
    assert "the batch's rate is <strong>100.0</strong>" in section


def test_redacted_report_still_counts_the_money(check: Check, batch: Path) -> None:
    out = html_of(check, str(batch), "--redact")
    section = out[out.index('id="at-risk"') : out.index('id="providers"')]
    assert "$86.00" in section and "ENC-" not in out


def test_top_rules_are_charted_and_the_rest_folded() -> None:
    found = [finding(f"E{i}", f"R-{i:02d}") for i in range(1, 15)]
    report = Report(findings=found, summary=Summary(encounters=14, findings=14), rulesets=[])
    out = io.StringIO()
    render(report, out)
    html = out.getvalue()
    chart = html[html.index('id="chart-2"') :]
    top, folded = chart.split('<details class="more-rules">', 1)
    assert len(re.findall(r'data-field="rule"', top)) == 10
    assert folded.startswith("<summary>4 more rules, 4 findings</summary>")
    # made without the claims' lines (the library API): says so instead of a wrong $0
    assert "Not computed" in html


def test_an_empty_run_has_nothing_at_risk(check: Check, empty_batch: Path) -> None:
    result = check(str(empty_batch), "-f", "html", "--allow-empty")
    assert result.exit_code == 0, result.output
    section = result.stdout[result.stdout.index('id="at-risk"') :]
    assert "$0.00" in section and "Not computed" not in result.stdout
