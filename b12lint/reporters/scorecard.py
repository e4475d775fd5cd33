"""The remittance scorecard as text (for a person) or JSON (schemas/scorecard.schema.json)."""

from __future__ import annotations

from typing import TextIO

import orjson

from b12lint.model.scorecard import RuleScore, Scorecard

MAX_IDS = 20
_HEADER = (
    f"  {'rule':<15} {'severity':<8} {'findings':>8} {'remitted':>8} {'denied':>6} "
    f"{'predicted':>9} {'paid':>5} {'agreement':>9} {'dollars':>10}"
)
_GROUP_TITLES = {
    "claim": "Claim rules (the payer sees what they check)",
    "chart": "Chart rules (the payer never sees the chart: paid-but-flagged by design)",
    "audit": "Audit notes (info)",
}


def _plural(count: int, word: str) -> str:
    return f"{count} {word}" if count == 1 else f"{count} {word}s"


def _row(score: RuleScore) -> str:
    agreement = "-" if score.agreement is None else f"{score.agreement:.0%}"
    return (
        f"  {score.rule_id:<15} {score.severity:<8} {score.findings:>8} {score.remitted:>8} "
        f"{score.denied:>6} {score.predicted:>9} {score.paid:>5} {agreement:>9} "
        f"{score.dollars:>10,.2f}"
    )


def _ids(ids: list[str]) -> str:
    shown = ", ".join(ids[:MAX_IDS])
    return shown + (f" (+{len(ids) - MAX_IDS} more)" if len(ids) > MAX_IDS else "")


def render_text(card: Scorecard, out: TextIO) -> None:
    """A table per rule group, the gaps, the line tallies and what matched nothing."""
    claims = card.claims
    out.write(
        f"b12lint remit: {_plural(claims['matched'], 'claim')} matched to remittances"
        f" ({_plural(claims['reversed'], 'reversal')},"
        f" {claims['other_payers']} from other payers)\n"
    )
    for group, title in _GROUP_TITLES.items():
        rows = [s for s in card.rules if s.group == group]
        if not rows:
            continue
        out.write(f"\n{title}\n{_HEADER}\n")
        out.writelines(_row(s) + "\n" for s in rows)
    if card.gaps:
        out.write("\nDenied or adjusted, no rule flagged it\n")
        for gap in card.gaps:
            codes = ", ".join(gap.procedure_codes)
            out.write(
                f"  {gap.codes:<28} {_plural(gap.lines, 'line'):>9} {gap.dollars:>10,.2f}"
                f"  ({codes})\n"
            )
    lines = card.lines
    out.write(
        f"\nRemitted lines: {lines['flagged_denied']} flagged and denied, "
        f"{lines['flagged_paid']} flagged and paid, {lines['denied_not_flagged']} denied "
        f"but not flagged, {lines['paid_not_flagged']} paid and not flagged\n"
    )
    if card.provider_adjustments:
        parts = ", ".join(f"{k} {v:,.2f}" for k, v in card.provider_adjustments.items())
        out.write(f"Provider-level adjustments (not matched to a claim): {parts}\n")
    if card.unmatched_remittances:
        out.write(
            f"Remittances that match no checked claim: {len(card.unmatched_remittances)} "
            f"({_ids(card.unmatched_remittances)})\n"
        )
    if claims["unmatched_lines"]:
        out.write(
            f"Remitted service lines that match no billed line: {claims['unmatched_lines']}\n"
        )
    if card.not_remitted:
        out.write(
            f"B12 claims no remittance answers: {len(card.not_remitted)} "
            f"({_ids(card.not_remitted)})\n"
        )
    if card.input_errors:
        out.write(f"{_plural(card.input_errors, 'input error')}: see `b12lint check`\n")
    if card.history is not None:
        out.write(f"\nAcross every batch recorded in the history\n{_HEADER}\n")
        out.writelines(_row(s) + "\n" for s in card.history)
    suggestions = [s for s in card.history or card.rules if s.suggestion]
    if suggestions:
        out.write("\nSeverity suggestions (shown, never applied)\n")
        out.writelines(f"  {s.rule_id} ({s.severity}) -> {s.suggestion}\n" for s in suggestions)


def render_json(card: Scorecard, out: TextIO, tool: dict[str, str]) -> None:
    """The scorecard document, keys sorted for byte-stable output."""
    doc = {"tool": tool, **card.to_json()}
    out.write(orjson.dumps(doc, option=orjson.OPT_INDENT_2 | orjson.OPT_SORT_KEYS).decode())
    out.write("\n")
