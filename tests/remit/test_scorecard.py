"""Matching remittances to claims and scoring rules: reversals, payers, lines, gaps."""

from __future__ import annotations

import datetime as dt

from b12lint.model import Finding, Source
from b12lint.model.finding import Location
from b12lint.model.remittance import Adjustment, RemitClaim, RemitLine
from b12lint.model.scorecard import RuleScore
from b12lint.remit import AdjustmentMap, RuleFacts, build, match
from b12lint.remit.claims import ClaimInfo, ClaimLine
from b12lint.remit.scorecard import reads_chart, suggest

DAY = dt.date(2026, 6, 1)
TABLE = AdjustmentMap.from_values(
    {
        "routine": ["CO-45", "PR-2"],
        "remarks": {"N362": ["units"]},
        "reasons": {"151": ["frequency"], "50": ["indication"]},
    }
)
FACTS = {
    "R-UNITS": RuleFacts("error", "units", False),
    "R-FREQ": RuleFacts("warning", "frequency", False),
    "R-NOTE": RuleFacts("info", "monitoring", False),
}


def claim(cid: str = "C-1", payer: str | None = "P1") -> ClaimInfo:
    lines = [
        ClaimLine(0, "J3420", 2, DAY, 12.0, True),
        ClaimLine(1, "96372", 1, DAY, 25.0, True),
        ClaimLine(2, "99213", 1, DAY, 90.0, False),
    ]
    return ClaimInfo(cid, payer, DAY, True, lines)


def rline(code: str, paid: float, *adj: Adjustment, remarks: list[str] | None = None) -> RemitLine:
    return RemitLine(
        code, [], 10.0, paid, 1, 1, date=DAY, adjustments=list(adj), remarks=remarks or []
    )


def remit(
    cid: str, *lines: RemitLine, status: str = "1", payer: str | None = "P1", paid: float = 1.0
) -> RemitClaim:
    return RemitClaim(
        cid, status, 10.0, paid, Source("era.835", 1), payer_id=payer, lines=list(lines)
    )


def finding(rule: str, pointer: str = "", cid: str = "C-1") -> Finding:
    facts = FACTS[rule]
    return Finding(
        rule_id=rule,
        severity=facts.severity,
        category=facts.category,
        encounter_id=cid,
        message="m",
        location=Location(file="c.jsonl", line=1, pointer=pointer),
    )


def card(findings: list[Finding], remits: list[RemitClaim], claims: list[ClaimInfo] | None = None):
    claims = claims or [claim()]
    by_id = {c.encounter_id: c for c in claims}
    matching = match(by_id, remits, {}, TABLE)
    return build(findings, matching, FACTS, list(by_id), [], {}, 0), matching


def test_units_denial_with_n362_is_predicted_and_counted_in_dollars() -> None:
    denied = rline("J3420", 0, Adjustment("CO", "151", 12.0), remarks=["N362"])
    sc, _ = card(
        [finding("R-UNITS", "/lines/0/units")],
        [remit("C-1", denied, rline("96372", 12, Adjustment("CO", "45", 13.0)))],
    )
    [score] = sc.rules
    assert (score.remitted, score.denied, score.predicted, score.paid) == (1, 1, 1, 0)
    assert score.dollars == 12.0 and score.agreement == 1.0
    assert sc.lines == {
        "flagged_denied": 1,
        "flagged_paid": 0,
        "denied_not_flagged": 0,
        "paid_not_flagged": 1,
    }


def test_remark_decides_before_reason() -> None:
    # CO-151 alone means frequency; with N362 it means units (the remark wins)
    assert TABLE.categories([Adjustment("CO", "151", 5)], ["N362"], []) == {"units"}
    assert TABLE.categories([Adjustment("CO", "151", 5)], [], []) == {"frequency"}
    assert TABLE.categories([Adjustment("CO", "45", 5)], [], []) == set()


def test_routine_adjustments_are_paid_and_a_flagged_paid_line_is_not_a_denial() -> None:
    sc, _ = card(
        [finding("R-FREQ", "/lines/1")],
        [
            remit(
                "C-1",
                rline("J3420", 1, Adjustment("PR", "2", 1.0)),
                rline("96372", 12, Adjustment("CO", "45", 13)),
            )
        ],
    )
    [score] = sc.rules
    assert (score.denied, score.paid, score.agreement) == (0, 1, 0.0)


def test_denied_not_flagged_is_a_gap_and_info_notes_do_not_flag() -> None:
    denied = rline("96372", 0, Adjustment("CO", "50", 25.0), remarks=["N115"])
    sc, _ = card([finding("R-NOTE")], [remit("C-1", rline("J3420", 1), denied)])
    assert [(g.codes, g.lines, g.dollars, g.procedure_codes) for g in sc.gaps] == [
        ("CO-50 N115", 1, 25.0, ["96372"])
    ]
    [note] = sc.rules
    assert note.group == "audit" and note.denied == 1  # shown apart, still counted


def test_encounter_level_finding_covers_the_b12_lines_only() -> None:
    em_denied = rline("99213", 0, Adjustment("CO", "50", 90.0))
    sc, _ = card(
        [finding("R-FREQ")], [remit("C-1", rline("J3420", 1), rline("96372", 12), em_denied)]
    )
    [score] = sc.rules
    assert score.paid == 1 and score.denied == 0
    assert sc.lines["denied_not_flagged"] == 1


def test_reversal_cancels_the_payment_and_the_correction_stands() -> None:
    first = remit("C-1", rline("J3420", 0, Adjustment("CO", "151", 12.0)))
    reversal = remit("C-1", status="22", paid=-1.0)
    corrected = remit("C-1", rline("J3420", 1))
    sc, matching = card([finding("R-UNITS", "/lines/0")], [first, reversal, corrected])
    assert matching.reversed == 1 and matching.outcomes["C-1"].remits == [corrected]
    assert sc.rules[0].paid == 1 and sc.rules[0].denied == 0


def test_other_payers_remittances_are_counted_not_used() -> None:
    primary = remit("C-1", rline("J3420", 1))
    secondary = remit("C-1", rline("J3420", 0, Adjustment("CO", "151", 1.0)), payer="P2")
    sc, matching = card([finding("R-UNITS", "/lines/0")], [primary, secondary])
    assert matching.outcomes["C-1"].other_payers == 1
    assert sc.rules[0].paid == 1
    # an encounter with no payer id is judged by every remittance
    sc2, _ = card([finding("R-UNITS", "/lines/0")], [primary, secondary], [claim(payer=None)])
    assert sc2.rules[0].denied == 1


def test_denied_claim_without_lines_denies_every_line() -> None:
    whole = RemitClaim(
        "C-1",
        "4",
        127.0,
        0.0,
        Source("era.835", 3),
        payer_id="P1",
        adjustments=[Adjustment("CO", "50", 127.0)],
    )
    sc, matching = card([finding("R-UNITS", "/lines/0")], [whole])
    assert all(o.denied for o in matching.outcomes["C-1"].lines.values())
    assert sc.rules[0].predicted == 0 and sc.rules[0].denied == 1


def test_unmatched_remittances_lines_and_unremitted_claims_are_reported() -> None:
    stray = remit("C-404", rline("J3420", 1))
    extra = rline("J1885", 5)
    sc, _ = card(
        [finding("R-UNITS", "/lines/0", cid="C-2")],
        [stray, remit("C-1", rline("J3420", 1), extra)],
        [claim(), claim("C-2")],
    )
    assert sc.unmatched_remittances == ["C-404"]
    assert sc.not_remitted == ["C-2"]
    assert sc.claims["unmatched_lines"] == 1
    assert sc.rules[0].not_remitted == 1 and sc.rules[0].agreement is None


def test_lines_match_by_code_then_date_and_units() -> None:
    info = ClaimInfo(
        "C-1",
        "P1",
        DAY,
        True,
        [
            ClaimLine(0, "J3420", 1, DAY, 12.0, True),
            ClaimLine(1, "J3420", 1, DAY + dt.timedelta(days=7), 12.0, True),
        ],
    )
    later = RemitLine(
        "J3420",
        [],
        12,
        0,
        1,
        1,
        date=DAY + dt.timedelta(days=7),
        adjustments=[Adjustment("CO", "151", 12)],
    )
    _, matching = card([], [remit("C-1", later)], [info])
    assert list(matching.outcomes["C-1"].lines) == [1]


def test_suggestions_need_evidence_and_never_touch_chart_or_audit_rules() -> None:
    strong = RuleScore("R", "warning", "units", "claim", remitted=6, denied=6, agreement=1.0)
    assert suggest(strong) is not None and suggest(strong).startswith("error")
    assert (
        suggest(RuleScore("R", "warning", "units", "claim", remitted=4, denied=4, agreement=1.0))
        is None
    )
    lax = RuleScore("R", "error", "units", "claim", remitted=10, paid=10, agreement=0.0)
    assert suggest(lax) is not None and "review" in suggest(lax)
    for group in ("chart", "audit"):
        assert (
            suggest(RuleScore("R", "error", "dose", group, remitted=10, paid=10, agreement=0.0))
            is None
        )


def test_reads_chart_finds_chart_paths_anywhere_in_the_conditions() -> None:
    assert reads_chart({"when": {"all": [{"eq": ["$chart_status", "missing"]}]}})
    assert reads_chart({"for_each": {"of": "$b12_administrations", "as": "a"}})
    assert not reads_chart({"when": {"some": {"of": "$lines", "as": "l"}}})
