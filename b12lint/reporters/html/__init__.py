"""The HTML audit report: one self-contained file for a compliance auditor.

First what an auditor reads first: the totals (with the billed charges at risk) and the
sortable, filterable findings table. Then the money (:mod:`.money`: billed charges at risk by
rule and by provider), the provider comparison (:mod:`.providers`: findings per 100 B12
encounters, outliers marked), charts (inline SVG) by severity, category, rule (the top rules,
the rest folded) and month, each fired rule's rationale and sources, and a drill-down per
encounter. CSS and script are inlined and a Content-Security-Policy forbids every network
request, so the file opens offline and can be attached to an audit file as is. Every value
from claim data is HTML-escaped.
"""

from __future__ import annotations

import itertools
from collections.abc import Iterable, Iterator
from functools import cache
from html import escape
from importlib.resources import files
from typing import TextIO

from b12lint.model import SEVERITY_RANK, EncounterBilling, Finding, Report, RuleInfo, plural
from b12lint.model.scorecard import RuleScore, Scorecard
from b12lint.reporters.html.aggregate import EncounterGroup, Tallies, places, provider, tally
from b12lint.reporters.html.charts import SEVERITY_COLORS, column_chart, hbar_chart
from b12lint.reporters.html.money import AtRisk, Share, at_risk
from b12lint.reporters.html.providers import MIN_ENCOUNTERS, OUTLIER_FACTOR, compare

#: Rules charted before the rest are folded away.
TOP_RULES = 10

CSP = "default-src 'none'; style-src 'unsafe-inline'; script-src 'unsafe-inline'; img-src data:"


@cache
def _asset(name: str) -> str:
    return files(__package__).joinpath(name).read_text(encoding="utf-8")


def _e(value: object) -> str:
    return escape("" if value is None else str(value), quote=True)


def _where(f: Finding) -> str:
    loc = f.location
    return f"{loc.file}:{loc.line}" if loc.line is not None else loc.file


def _header(report: Report) -> str:
    rulesets = ", ".join(f"{r.get('name')} {r.get('version', '')}".strip() for r in report.rulesets)
    inputs = ", ".join(report.inputs) or "(none)"
    if report.redacted:
        banner = (
            '<p class="banner redacted">Patient and encounter ids and free text are replaced '
            "by keyed hashes (ID-…, TEXT-…): this report can be shared beyond the claim data."
            "</p>"
        )
    else:
        banner = (
            '<p class="banner phi">This report names encounters from claim data (protected '
            "health information): share it only with people allowed to see the claims, or "
            "produce it with <code>--redact</code>.</p>"
        )
    return (
        "<header><h1>b12lint audit report</h1>"
        f"<p>Inputs: {_e(inputs)} · rule packs: {_e(rulesets)} · b12lint "
        f"{_e(report.tool_version)}</p></header>"
        f"<main>{banner}"
    )


def _money(amount: float) -> str:
    return f"${amount:,.2f}"


def _cards(report: Report, t: Tallies, risk: AtRisk | None) -> str:
    s = report.summary
    providers = t.providers
    money = []
    if risk is not None:
        money = [("error money", _money(risk.total), risk.label)]
    cards = [
        *money,
        ("", f"{s.encounters:,}", "encounters read"),
        ("", f"{s.b12_encounters:,}", "in B12 scope"),
        ("", f"{t.groups:,}", "records with findings"),
        ("", f"{s.findings:,}", "findings"),
        ("error", f"{s.by_severity['error']:,}", "errors"),
        ("warning", f"{s.by_severity['warning']:,}", "warnings"),
        ("info", f"{s.by_severity['info']:,}", "info"),
        ("", f"{s.input_errors:,}", _word(s.input_errors, "input error")),
        ("", f"{s.suppressed:,}", "suppressed"),
        ("", f"{providers:,}", "providers with findings"),
    ]
    body = "".join(
        f'<div class="card {cls}"><div class="n">{n}</div><div class="k">{_e(k)}</div></div>'
        for cls, n, k in cards
    )
    return f'<section id="totals"><h2>Summary</h2><div class="cards">{body}</div></section>'


def _word(n: int, word: str) -> str:
    """``input error`` for 1, ``input errors`` otherwise (the count is shown beside it)."""
    return word if n == 1 else f"{word}s"


def _rule_chart(t: Tallies) -> str:
    """The top rules; the others folded below them."""
    top, rest = t.rule[:TOP_RULES], t.rule[TOP_RULES:]
    svg = hbar_chart("rule", top, field="rule")
    if rest:
        more = sum(n for _, n in rest)
        svg += (
            f'<details class="more-rules"><summary>{plural(len(rest), "more rule")}, '
            f"{plural(more, 'finding')}</summary>{hbar_chart('more rules', rest, field='rule')}"
            "</details>"
        )
    return svg


def _charts(t: Tallies) -> str:
    figures = [
        (
            "Findings by severity",
            hbar_chart("severity", t.severity, field="severity", colors=SEVERITY_COLORS),
        ),
        ("Findings by category", hbar_chart("category", t.category, field="category")),
        (f"Top {min(TOP_RULES, len(t.rule))} rules by findings", _rule_chart(t)),
        ("Findings by month of service", column_chart("month", t.month, field="month")),
    ]
    body = "".join(
        f'<figure id="chart-{i}"><figcaption>{_e(title)}</figcaption>{svg}</figure>'
        for i, (title, svg) in enumerate(figures)
    )
    note = (
        f'<p class="muted">{plural(t.undated, "finding")} without a date of service (unreadable '
        "records) are not in the month chart. Click a bar to filter the table.</p>"
    )
    return f'<section id="charts"><h2>Charts</h2><div class="charts">{body}</div>{note}</section>'


def _row(f: Finding, anchor: str) -> str:
    dos = f.context.date_of_service if f.context is not None else None
    line = f.location.line if f.location.line is not None else 0
    encounter = _e(f.encounter_id or "-")
    return (
        f'<tr class="sev-{f.severity}" data-severity="{f.severity}" '
        f'data-category="{_e(f.category)}">'
        f'<td data-key="{SEVERITY_RANK[f.severity]}"><span class="sev {f.severity}">'
        f"{f.severity}</span></td>"
        f"<td><code>{_e(f.rule_id)}</code></td><td>{_e(f.category)}</td>"
        f'<td><a href="#{anchor}">{encounter}</a></td>'
        f"<td>{_e(dos or '')}</td><td>{_e(provider(f))}</td>"
        f'<td data-key="{_e(f.location.file)} {line:012d}">{_e(_where(f))}</td>'
        f"<td>{_e(f.message)}</td></tr>"
    )


def _table(report: Report, t: Tallies) -> Iterator[str]:
    """The findings table, a place's rows at a time."""
    categories = sorted(c for c, _ in t.category)
    options = "".join(f'<option value="{_e(c)}">{_e(c)}</option>' for c in categories)
    head = "".join(
        f'<th data-type="{kind}" scope="col">{name}</th>'
        for name, kind in (
            ("Severity", "num"),
            ("Rule", "text"),
            ("Category", "text"),
            ("Encounter", "text"),
            ("Date of service", "text"),
            ("Provider (NPI)", "text"),
            ("Location", "text"),
            ("Message", "text"),
        )
    )
    total = len(report.findings)
    yield (
        '<section id="findings"><h2>Findings</h2><div class="controls">'
        '<input id="filter" type="search" placeholder="Filter: rule, encounter, NPI, text…" '
        'aria-label="Filter findings">'
        '<select id="filter-severity" aria-label="Severity"><option value="">all severities'
        "</option><option>error</option><option>warning</option><option>info</option></select>"
        f'<select id="filter-category" aria-label="Category"><option value="">all categories'
        f"</option>{options}</select>"
        '<button id="filter-clear" type="button">Clear</button>'
        f'<span class="muted">showing <span id="shown">{total:,}</span> of {total:,}</span>'
        f'</div><div class="table-wrap"><table id="findings-table"><thead><tr>{head}</tr>'
        "</thead><tbody>"
    )
    for found, groups in places(report.findings):
        anchors = {(g.file, g.line, g.encounter_id): g.anchor for g in groups}
        yield "".join(
            _row(f, anchors[(f.location.file, f.location.line, f.encounter_id)]) for f in found
        )
    yield "</tbody></table></div></section>"


def _paragraphs(text: str) -> str:
    """Rule prose is hard-wrapped YAML: single newlines join, blank lines split paragraphs."""
    return "".join(f"<p>{_e(' '.join(p.split()))}</p>" for p in text.split("\n\n") if p.strip())


def _rule_block(info: RuleInfo, count: int) -> str:
    refs = []
    for ref in info.references:
        title = _e(ref.get("title", ""))
        if ref.get("section"):
            title += f", {_e(ref['section'])}"
        if ref.get("url"):
            title = f'<a href="{_e(ref["url"])}" rel="noreferrer">{title}</a>'
        refs.append(f"<li>{title}</li>")
    effective = f"{info.effective_from or 'always'} to {info.effective_to or 'no end date'}"
    return (
        f'<div class="rule" id="rule-{_e(info.id)}"><h3><code>{_e(info.id)}</code> '
        f"{_e(info.name)} — {plural(count, 'finding')}</h3>"
        f'<p class="muted">{_e(info.severity)} · {_e(info.category)} · pack {_e(info.pack)} · '
        f"effective for dates of service {_e(effective)}</p>"
        f"<p><strong>{_e(info.summary)}</strong></p>{_paragraphs(info.rationale)}"
        f"<p>Sources:</p><ul>{''.join(refs)}</ul></div>"
    )


def _rules(report: Report, t: Tallies) -> str:
    fired = dict(t.rule)
    blocks = [
        _rule_block(report.rules[r], n) for r, n in sorted(fired.items()) if r in report.rules
    ]
    quiet = sorted(r for r in report.rules if r not in fired)
    rest = "".join(f"<li><code>{_e(r)}</code> {_e(report.rules[r].summary)}</li>" for r in quiet)
    return (
        '<section id="rules"><h2>Rules that fired: rationale and sources</h2>'
        f"{''.join(blocks) or '<p class=muted>No rule fired.</p>'}"
        f"<details><summary>{plural(len(quiet), 'other active rule')} found nothing</summary>"
        f"<ul>{rest}</ul></details></section>"
    )


def _finding_item(f: Finding) -> str:
    fix = ""
    if f.fix is not None:
        fix = f" — fix: <code>{_e(f.fix.pointer)}</code> = <code>{_e(f.fix.value)}</code>"
    pointer = f" <code>{_e(f.location.pointer)}</code>" if f.location.pointer else ""
    return (
        f'<li><span class="sev {f.severity}">{f.severity}</span> '
        f'<a href="#rule-{_e(f.rule_id)}"><code>{_e(f.rule_id)}</code></a>{pointer}: '
        f"{_e(f.message)}{fix}</li>"
    )


def _encounters(report: Report, t: Tallies) -> Iterator[str]:
    """The drill-down, a place's encounters at a time."""
    yield (
        '<section id="encounters"><h2>Encounter drill-down '
        f"({t.groups:,} records with findings)</h2>"
    )
    for _, groups in places(report.findings):
        yield "".join(map(_encounter, groups))
    yield f"{'' if t.groups else '<p class=muted>None.</p>'}</section>"


def _encounter(g: EncounterGroup) -> str:
    first = g.findings[0]
    ctx = first.context
    facts = [_e(g.file if g.line is None else f"{g.file}:{g.line}")]
    if ctx is not None:
        facts += [
            f"date of service {_e(ctx.date_of_service)}",
            f"NPI {_e(ctx.rendering_npi or '-')}",
            f"payer {_e(ctx.payer or '-')}",
        ]
    title = _e(g.encounter_id or "(unreadable record)")
    return (
        f'<details id="{g.anchor}"><summary><strong>{title}</strong> · '
        f"{' · '.join(facts)} — {plural(len(g.findings), 'finding')}, worst "
        f'<span class="sev {g.worst}">{g.worst}</span></summary>'
        f'<ul class="findings">{"".join(_finding_item(f) for f in g.findings)}</ul></details>'
    )


def _extras(report: Report) -> Iterator[str]:
    """The notes, and the suppressed findings shown (one at a time)."""
    if report.notes:
        items = "".join(f"<li>{_e(n)}</li>" for n in report.notes)
        yield f'<section id="notes"><h2>Notes</h2><ul>{items}</ul></section>'
    if report.suppressed:
        yield (
            f'<section id="suppressed"><h2>Suppressed findings ({len(report.suppressed):,})'
            "</h2><ul>"
        )
        for f in report.suppressed:
            yield (
                f"<li><code>{_e(f.rule_id)}</code> {_e(f.encounter_id or '-')} "
                f"({_e(_where(f))}): {_e(f.message)} — <em>{_e(f.suppressed_by)}</em></li>"
            )
        yield "</ul></section>"


def _share_rows(shares: list[Share], head: str, link_rules: bool) -> str:
    """A table of the largest shares; beyond :data:`TOP_RULES` rows the rest is folded."""
    table = _share_table(shares[:TOP_RULES], head, link_rules)
    rest = shares[TOP_RULES:]
    if rest:
        table += (
            f'<details class="more-rules"><summary>{len(rest):,} more</summary>'
            f"{_share_table(rest, head, link_rules)}</details>"
        )
    return table


def _share_table(shares: list[Share], head: str, link_rules: bool) -> str:
    rows = []
    for share in shares:
        key = _e(share.key)
        if link_rules:
            key = f'<a href="#rule-{key}"><code>{key}</code></a>'
        rows.append(
            f'<tr><td>{key}</td><td class="num">{_money(share.amount)}</td>'
            f'<td class="num">{share.lines:,}</td></tr>'
        )
    return (
        f'<table class="compact"><thead><tr><th scope="col">{head}</th>'
        '<th scope="col" class="num">amount</th><th scope="col" class="num">lines</th></tr>'
        f"</thead><tbody>{''.join(rows)}</tbody></table>"
    )


def _at_risk(risk: AtRisk | None) -> str:
    label = risk.label if risk is not None else "billed charges at risk"
    title = f"<h2>{_e(label[0].upper() + label[1:])}"
    if risk is None:
        return (
            f'<section id="at-risk">{title}</h2><p class="muted">Not computed: the report was '
            "made without the claims' lines.</p></section>"
        )
    basis = (
        "the billed <code>charge</code>"
        if risk.label.startswith("billed")
        else f"the {_e(risk.label.split()[0])} amount from the remittance"
    )
    unpriced = (
        f" {risk.unpriced:,} of these lines carry no amount and add nothing to it."
        if risk.unpriced
        else ""
    )
    return (
        f'<section id="at-risk">{title}</h2>'
        f'<p><span class="big error">{_money(risk.total)}</span> on '
        f"{plural(risk.lines, 'claim line')} of {plural(risk.encounters, 'encounter')} with an "
        f"error finding: {basis} of each "
        "line an error finding points to, each line counted once; a finding on the encounter "
        f"as a whole covers its B12 drug and administration lines.{unpriced}</p>"
        '<div class="split"><div><h3>By rule</h3>'
        f"{_share_rows(risk.by_rule, 'rule', True)}"
        '<p class="muted">A line flagged by two rules is under both.</p></div>'
        f"<div><h3>By provider (rendering NPI)</h3>{_share_rows(risk.by_provider, 'NPI', False)}"
        "</div></div></section>"
    )


def _providers(findings: Iterable[Finding], billing: list[EncounterBilling]) -> str:
    rows, batch_rate = compare(findings, billing)
    top = max((r.rate for r in rows), default=0.0) or 1.0
    body = []
    for r in rows:
        width = 100.0 * r.rate / top
        flag = ' <span class="badge">outlier</span>' if r.outlier else ""
        body.append(
            f'<tr class="{"outlier" if r.outlier else ""}"><td><code>{_e(r.npi)}</code>{flag}'
            f'</td><td class="num">{r.b12_encounters:,}</td><td class="num">{r.findings:,}</td>'
            f'<td class="num">{r.errors:,}</td><td class="num">{r.rate:,.1f}</td>'
            f'<td class="barcell"><span class="rate" style="width:{width:.1f}%"></span></td></tr>'
        )
    return (
        '<section id="providers"><h2>Provider comparison</h2>'
        f"<p>Findings per 100 B12 encounters for each rendering provider; the batch's rate is "
        f"<strong>{batch_rate:,.1f}</strong>. A provider at {OUTLIER_FACTOR:g}&times; that rate or "
        f"more, with at least {MIN_ENCOUNTERS} B12 encounters, is marked as an outlier.</p>"
        '<div class="table-wrap short"><table class="compact" id="provider-table"><thead><tr>'
        '<th scope="col">provider (NPI)</th><th scope="col" class="num">B12 encounters</th>'
        '<th scope="col" class="num">findings</th><th scope="col" class="num">errors</th>'
        '<th scope="col" class="num">per 100</th><th scope="col">rate</th></tr></thead>'
        f"<tbody>{''.join(body)}</tbody></table></div></section>"
    )


def _score_table(rows: list[RuleScore]) -> str:
    head = (
        "<tr><th>Rule</th><th>Severity</th><th>Findings</th><th>Remitted</th><th>Denied</th>"
        "<th>Predicted</th><th>Paid</th><th>Payer agreement</th><th>Dollars</th></tr>"
    )
    body = "".join(
        f'<tr><td><a href="#rule-{_e(s.rule_id)}"><code>{_e(s.rule_id)}</code></a></td>'
        f'<td class="{_e(s.severity)}">{_e(s.severity)}</td><td>{s.findings:,}</td>'
        f"<td>{s.remitted:,}</td><td>{s.denied:,}</td><td>{s.predicted:,}</td>"
        f"<td>{s.paid:,}</td>"
        f"<td>{'-' if s.agreement is None else f'{s.agreement:.0%}'}</td>"
        f"<td>{_money(s.dollars)}</td></tr>"
        for s in rows
    )
    return (
        f'<div class="table-wrap"><table><thead>{head}</thead><tbody>{body}</tbody></table></div>'
    )


_SCORE_GROUPS = {
    "claim": "Claim rules: the payer sees what they check",
    "chart": "Chart rules: the payer never sees the chart (paid-but-flagged by design)",
    "audit": "Audit notes (info)",
}


def _scorecard(card: Scorecard | None) -> str:
    """The remittance scorecard (``b12lint remit --format html``)."""
    if card is None:
        return ""
    parts = [
        '<section id="scorecard"><h2>Remittance scorecard</h2>',
        f"<p>{plural(card.claims['matched'], 'claim')} matched to the payer's remittances "
        f"({plural(card.claims['reversed'], 'reversal')}, {card.claims['other_payers']:,} "
        "from other payers). <em>Payer agreement</em> is denied / remitted: how often the "
        "payer acted on what a rule flagged — not precision, since a payer never sees the "
        "chart.</p>",
    ]
    for group, title in _SCORE_GROUPS.items():
        rows = [s for s in card.rules if s.group == group]
        if rows:
            parts.append(f"<h3>{_e(title)}</h3>{_score_table(rows)}")
    if card.gaps:
        gap_rows = "".join(
            f"<tr><td><code>{_e(g.codes)}</code></td><td>{g.lines:,}</td>"
            f"<td>{_money(g.dollars)}</td><td>{_e(', '.join(g.procedure_codes))}</td></tr>"
            for g in card.gaps
        )
        parts.append(
            '<h3>Denied or adjusted, no rule flagged it</h3><div class="table-wrap"><table>'
            "<thead><tr><th>CARC / RARC</th><th>Lines</th><th>Dollars</th><th>Codes</th></tr>"
            f"</thead><tbody>{gap_rows}</tbody></table></div>"
        )
    lines = card.lines
    parts.append(
        f"<p>Remitted lines: {lines['flagged_denied']:,} flagged and denied, "
        f"{lines['flagged_paid']:,} flagged and paid, {lines['denied_not_flagged']:,} denied "
        f"but not flagged, {lines['paid_not_flagged']:,} paid and not flagged.</p>"
    )
    if card.unmatched_remittances or card.not_remitted:
        parts.append(
            f"<p>Remittances that match no checked claim: {len(card.unmatched_remittances):,}; "
            f"B12 claims no remittance answers: {len(card.not_remitted):,}.</p>"
        )
    if card.provider_adjustments:
        plb = ", ".join(f"{_e(k)} {_money(v)}" for k, v in card.provider_adjustments.items())
        parts.append(f"<p>Provider-level adjustments (not matched to a claim): {plb}</p>")
    suggestions = [s for s in card.history or card.rules if s.suggestion]
    if suggestions:
        items = "".join(
            f"<li><code>{_e(s.rule_id)}</code> ({_e(s.severity)}): {_e(s.suggestion)}</li>"
            for s in suggestions
        )
        parts.append(f"<h3>Severity suggestions (shown, never applied)</h3><ul>{items}</ul>")
    parts.append("</section>")
    return "".join(parts)


def render(report: Report, stream: TextIO, color: bool = False) -> None:
    """Write the HTML document as it is made: the findings (which may be streamed from disk)
    are read once for the totals, once for the money and the provider comparison (with
    billing), and once each for the table and the drill-down; never all in memory."""
    findings = report.findings
    t = tally(findings)
    billing = report.billing
    risk = at_risk(findings, billing) if billing is not None else None
    stream.write(
        '<!DOCTYPE html>\n<html lang="en"><head><meta charset="utf-8">'
        f'<meta http-equiv="Content-Security-Policy" content="{CSP}">'
        '<meta name="viewport" content="width=device-width, initial-scale=1">'
        "<title>b12lint audit report</title>"
        f"<style>{_asset('report.css')}</style></head><body>"
    )
    parts: Iterable[str] = itertools.chain(
        (_header(report), _cards(report, t, risk)),
        _table(report, t),
        (_at_risk(risk), _scorecard(report.scorecard)),
        (_providers(findings, billing) if billing is not None else "",),
        (_charts(t), _rules(report, t)),
        _encounters(report, t),
        _extras(report),
    )
    for part in parts:
        stream.write(part)
    stream.write(f"</main><script>{_asset('report.js')}</script></body></html>\n")


__all__ = ["render"]
