"""Classify every finding and every adjusted line, and score each rule against the payer.

A finding points at a line (``/lines/N/...``) or at the encounter; an encounter-level finding
covers the encounter's B12 drug and administration lines. A finding is *denied* when the payer
denied or adjusted one of its lines for other than routine reasons, and *predicted* when that
adjustment maps to the finding's category; *paid* when every line it covers was paid.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from b12lint.model import Finding
from b12lint.model.remittance import ProviderAdjustment
from b12lint.model.scorecard import Gap, RuleScore, Scorecard
from b12lint.remit.match import ClaimOutcome, LineOutcome, Matching

#: Evidence needed before a severity is suggested, and how strong it must be.
MIN_EVIDENCE = 5
RAISE_AT = 0.9
LOWER_AT = 0.1


@dataclass(frozen=True, slots=True)
class RuleFacts:
    """What the scorecard needs to know of a rule."""

    severity: str
    category: str
    needs_chart: bool


#: Rule paths that read the chart: a payer never sees what they check.
CHART_PATHS = (
    "$documentation",
    "$administrations",
    "$b12_administrations",
    "$chart_status",
    "$has_chart",
    "$phase",
    "$indication_codes",
)


def reads_chart(rule_source: Any) -> bool:
    """Whether a rule document names a chart field anywhere in its conditions."""
    stack = (
        [rule_source.get(k) for k in ("when", "let", "for_each")]
        if isinstance(rule_source, Mapping)
        else []
    )
    while stack:
        node = stack.pop()
        if isinstance(node, str):
            if node.startswith(CHART_PATHS):
                return True
        elif isinstance(node, Mapping):
            stack.extend(node.values())
        elif isinstance(node, list | tuple):
            stack.extend(node)
    return False


def group_of(facts: RuleFacts) -> str:
    """``claim``, ``chart`` (reads the documentation) or ``audit`` (an info note)."""
    if facts.severity == "info":
        return "audit"
    return "chart" if facts.needs_chart else "claim"


def target_lines(finding: Finding, outcome: ClaimOutcome) -> list[int]:
    """The billed lines a finding is about."""
    parts = finding.location.pointer.split("/")
    if len(parts) > 2 and parts[1] == "lines" and parts[2].isdigit():
        return [int(parts[2])]
    b12 = [line.index for line in outcome.claim.lines if line.b12]
    return b12 or [line.index for line in outcome.claim.lines]


def suggest(score: RuleScore) -> str | None:
    """A severity suggestion for a claim rule with strong evidence (shown, never applied)."""
    if score.group != "claim" or score.remitted < MIN_EVIDENCE or score.agreement is None:
        return None
    if score.severity == "warning" and score.agreement >= RAISE_AT:
        return (
            f"error: the payer denied or adjusted {score.denied} of {score.remitted} flagged claims"
        )
    if score.severity == "error" and score.agreement <= LOWER_AT:
        return (
            f"review (warning?): the payer paid {score.paid} of {score.remitted} flagged "
            "claims in full"
        )
    return None


def _score(
    finding: Finding, outcome: ClaimOutcome, score: RuleScore, counted: set[tuple[str, int]]
) -> set[int]:
    lines = target_lines(finding, outcome)
    judged = [outcome.lines[i] for i in lines if i in outcome.lines]
    if not judged:
        score.not_remitted += 1
        return set()
    score.remitted += 1
    denied: list[LineOutcome] = [o for o in judged if o.denied]
    if not denied:
        score.paid += 1
        return {o.line.index for o in judged}
    score.denied += 1
    if any(finding.category in o.categories for o in denied):
        score.predicted += 1
    for o in denied:
        key = (outcome.claim.encounter_id, o.line.index)
        if key not in counted:
            counted.add(key)
            score.dollars += o.amount
    return {o.line.index for o in judged}


def build(
    findings: Iterable[Finding],
    matching: Matching,
    rules: Mapping[str, RuleFacts],
    b12_claims: Sequence[str],
    provider_adjustments: Iterable[ProviderAdjustment],
    inputs: dict[str, list[str]],
    input_errors: int,
) -> Scorecard:
    """The scorecard of one batch against its remittances."""
    scores: dict[str, RuleScore] = {}
    per_encounter: dict[tuple[str, str], RuleScore] = {}
    counted: dict[str, set[tuple[str, int]]] = {}
    counted_here: dict[tuple[str, str], set[tuple[str, int]]] = {}
    flagged: set[tuple[str, int]] = set()
    for finding in findings:
        if finding.category == "input" or finding.encounter_id is None:
            continue
        facts = rules.get(finding.rule_id)
        if facts is None:
            continue
        score = scores.get(finding.rule_id)
        if score is None:
            score = scores[finding.rule_id] = RuleScore(
                finding.rule_id, facts.severity, facts.category, group_of(facts)
            )
        key = (finding.encounter_id, finding.rule_id)
        mine = per_encounter.get(key)
        if mine is None:
            mine = per_encounter[key] = RuleScore(
                finding.rule_id, facts.severity, facts.category, score.group
            )
        score.findings += 1
        mine.findings += 1
        outcome = matching.outcomes.get(finding.encounter_id)
        if outcome is None:
            score.not_remitted += 1
            mine.not_remitted += 1
            continue
        judged = _score(finding, outcome, score, counted.setdefault(finding.rule_id, set()))
        _score(finding, outcome, mine, counted_here.setdefault(key, set()))
        if score.group != "audit":  # an info note predicts no denial
            flagged.update((finding.encounter_id, index) for index in judged)
    for score in (*scores.values(), *per_encounter.values()):
        finish(score)

    lines = dict.fromkeys(
        ("flagged_denied", "flagged_paid", "denied_not_flagged", "paid_not_flagged"), 0
    )
    gaps: dict[str, Gap] = {}
    for claim_id, outcome in matching.outcomes.items():
        for index, line_outcome in outcome.lines.items():
            is_flagged = (claim_id, index) in flagged
            if line_outcome.denied:
                lines["flagged_denied" if is_flagged else "denied_not_flagged"] += 1
                if not is_flagged:
                    label = " ".join(line_outcome.codes) or "denied (no reason code)"
                    gap = gaps.setdefault(label, Gap(label))
                    gap.lines += 1
                    gap.dollars = round(gap.dollars + line_outcome.amount, 2)
                    if line_outcome.line.code not in gap.procedure_codes:
                        gap.procedure_codes.append(line_outcome.line.code)
            else:
                lines["flagged_paid" if is_flagged else "paid_not_flagged"] += 1
    plb: dict[str, float] = {}
    for adjustment in provider_adjustments:
        plb[adjustment.reason] = round(plb.get(adjustment.reason, 0.0) + adjustment.amount, 2)
    not_remitted = sorted(c for c in b12_claims if c not in matching.outcomes)
    return Scorecard(
        rules=sorted(scores.values(), key=lambda s: (RULE_ORDER[s.group], s.rule_id)),
        gaps=sorted(gaps.values(), key=lambda g: (-g.dollars, -g.lines, g.codes)),
        lines=lines,
        claims={
            "matched": len(matching.outcomes),
            "unmatched_remittances": len({r.claim_id for r in matching.unmatched_remits}),
            "not_remitted": len(not_remitted),
            "reversed": matching.reversed,
            "other_payers": sum(o.other_payers for o in matching.outcomes.values()),
            "unmatched_lines": sum(len(o.unmatched_lines) for o in matching.outcomes.values()),
        },
        unmatched_remittances=sorted({r.claim_id for r in matching.unmatched_remits}),
        not_remitted=not_remitted,
        provider_adjustments=dict(sorted(plb.items())),
        inputs=inputs,
        input_errors=input_errors,
        by_encounter=[(enc, s) for (enc, _), s in sorted(per_encounter.items())],
    )


def finish(score: RuleScore) -> RuleScore:
    """Round the dollars, compute the agreement and the suggestion."""
    score.dollars = round(score.dollars, 2)
    score.agreement = round(score.denied / score.remitted, 3) if score.remitted else None
    score.suggestion = suggest(score)
    return score


RULE_ORDER = {"claim": 0, "chart": 1, "audit": 2}
