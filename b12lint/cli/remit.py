"""``b12lint remit CLAIMS... --remit ERA...``: how the payer's remittances judged each rule.

The claims are checked exactly as ``b12lint check`` checks them (same packs, payer routing and
chart join); the X12 835 remittances are matched to them and every finding and every
adjustment is classified (:mod:`b12lint.remit`). Exit 0, or 1 when a claim or remittance
could not be read (each one is listed), 2 when the tool could not run.
"""

from __future__ import annotations

import sys
from collections.abc import Iterator, Sequence
from dataclasses import replace
from pathlib import Path
from typing import TextIO

import click

from b12lint import __version__
from b12lint.cli.check import build_report
from b12lint.cli.common import RuleOptions, fail, payer_option, router_from_config, ruleset_options
from b12lint.cli.history import TARGET_HELP, history_session
from b12lint.cli.output import atomic_text
from b12lint.cli.setup import csv_options, limits_from
from b12lint.engine import Router, Ruleset
from b12lint.history import HistoryError
from b12lint.history.session import HistorySession
from b12lint.history.store import RuleOutcome
from b12lint.model import EncounterDict, InputError
from b12lint.model.remittance import ProviderAdjustment, RemitClaim
from b12lint.model.scorecard import RuleScore, Scorecard
from b12lint.readers.x12_835 import read_835
from b12lint.remit import TABLE, AdjustmentMap, ClaimCollector, RuleFacts, build, match
from b12lint.remit.match import paid_billing
from b12lint.remit.scorecard import finish, group_of, reads_chart
from b12lint.reporters import get_reporter
from b12lint.reporters.scorecard import render_json, render_text

#: Extensions read inside a ``--remit`` directory.
REMIT_EXTENSIONS = frozenset({".835", ".era", ".edi", ".x12", ".txt"})


def remit_files(paths: Sequence[str]) -> list[Path]:
    """Every remittance file: files as given, directories by :data:`REMIT_EXTENSIONS`."""
    files: list[Path] = []
    skipped = 0
    for given in paths:
        path = Path(given)
        if path.is_dir():
            for child in sorted(path.rglob("*")):
                if not child.is_file():
                    continue
                suffix = child.suffix.lower()
                if suffix in (".gz", ".bz2", ".xz"):  # era.835.gz: read decompressed
                    suffix = Path(child.stem).suffix.lower()
                if suffix in REMIT_EXTENSIONS:
                    files.append(child)
                else:
                    skipped += 1
        elif path.is_file():
            files.append(path)
        else:
            fail(f"{given}: no such remittance file or directory")
    if not files:
        fail(f"no remittance file in {', '.join(paths)} (expected X12 835 files)")
    if skipped:  # never a silent skip: say how many files a directory read passed over
        endings = ", ".join(sorted(REMIT_EXTENSIONS))
        click.echo(
            f"b12lint: note: --remit directories: {skipped} file(s) skipped, not named {endings}",
            err=True,
        )
    return files


def read_remits(
    files: Sequence[Path],
) -> tuple[list[RemitClaim], list[ProviderAdjustment], list[InputError]]:
    """Every claim payment, provider adjustment and input error of the remittance files."""
    claims: list[RemitClaim] = []
    plb: list[ProviderAdjustment] = []
    errors: list[InputError] = []
    from b12lint.readers.streams import utf8_stream

    for path in files:
        try:
            with path.open("rb") as raw:
                # compressed, UTF-16 (Windows "Unicode") or CR-ended: read as the UTF-8 text
                stream = utf8_stream(raw)
                for item in read_835(stream, str(path)):
                    if isinstance(item, RemitClaim):
                        claims.append(item)
                    elif isinstance(item, ProviderAdjustment):
                        plb.append(item)
                    else:
                        errors.append(item)
        except OSError as exc:
            fail(f"{path}: cannot be read ({exc.strerror or exc})")
    return claims, plb, errors


def _table(ruleset: Ruleset) -> AdjustmentMap:
    for pack in reversed(ruleset.packs):
        table = pack.data.get(TABLE)
        if table is not None:
            return AdjustmentMap.from_values(table.values)
    return AdjustmentMap.from_values({})


def _rule_facts(router: Router) -> dict[str, RuleFacts]:
    facts: dict[str, RuleFacts] = {}
    for ruleset in router.rulesets():
        for rule in ruleset.rules:
            meta = rule.meta
            chart = meta.needs_chart or reads_chart(meta.source)
            facts.setdefault(meta.id, RuleFacts(meta.severity, meta.category, chart))
    return facts


def keep_outcomes(
    card: Scorecard, session: HistorySession, facts: dict[str, RuleFacts]
) -> list[RuleScore]:
    """Record the batch's outcomes in the history store (not in a dry run) and return every
    rule's scores summed over all the recorded batches."""
    if not session.dry_run:
        session.store.record_outcomes(
            [
                RuleOutcome(
                    enc,
                    s.rule_id,
                    s.findings,
                    s.remitted,
                    s.denied,
                    s.predicted,
                    s.paid,
                    s.dollars,
                )
                for enc, s in card.by_encounter
            ]
        )
    totals = session.store.outcome_totals()
    out: list[RuleScore] = []
    for rule_id, (found, remitted, denied, predicted, paid, dollars) in totals.items():
        known = facts.get(rule_id)
        if known is None:
            continue  # a rule no longer in the packs
        score = RuleScore(rule_id, known.severity, known.category, group_of(known))
        score.findings, score.remitted, score.denied = int(found), int(remitted), int(denied)
        score.predicted, score.paid, score.dollars = int(predicted), int(paid), dollars
        out.append(finish(score))
    return out


def _errors(errors: Sequence[InputError]) -> Iterator[str]:
    for error in errors:
        where = error.source.file + (f":{error.source.line}" if error.source.line else "")
        yield f"{where}: {error.message}"


@click.command()
@click.argument("paths", nargs=-1, required=True)
@click.option(
    "--remit",
    "remits",
    multiple=True,
    required=True,
    metavar="ERA",
    help="An X12 835 remittance file or a directory of them (repeatable).",
)
@click.option(
    "--documentation",
    "charts",
    multiple=True,
    metavar="FILE",
    help="Chart records joined to the claims by encounter id, as for `check`.",
)
@click.option(
    "--format",
    "-f",
    "fmt",
    type=click.Choice(["text", "json", "html"]),
    default="text",
    show_default=True,
    help="html: the audit report of the claims with the scorecard and paid amounts at risk.",
)
@click.option("--output", "-o", metavar="FILE", help="Write the scorecard to FILE.")
@click.option(
    "--history",
    "history_target",
    metavar="TARGET",
    help=TARGET_HELP + " Keeps each rule's outcomes so agreement accumulates across batches.",
)
@click.option("--no-record", is_flag=True, help="Read the history's totals but record nothing.")
@ruleset_options
@payer_option
def remit(
    paths: tuple[str, ...],
    remits: tuple[str, ...],
    charts: tuple[str, ...],
    fmt: str,
    output: str | None,
    history_target: str | None,
    no_record: bool,
    rule_options: RuleOptions,
) -> None:
    """Score every rule against the payer's X12 835 remittances of the checked claims."""
    config = rule_options.settings()
    router = router_from_config(config, *rule_options.args)
    files = remit_files(remits)

    tables: dict[int, AdjustmentMap] = {}

    def table_of(record: EncounterDict) -> AdjustmentMap:
        ruleset = router.pick(record)
        found = tables.get(id(ruleset))
        if found is None:
            found = tables[id(ruleset)] = _table(ruleset)
        return found

    collector = ClaimCollector(table_of, billing=fmt == "html")
    report = build_report(
        paths,
        router,
        None,
        limits_from(config),
        collector,
        charts=charts,
        csv=csv_options(config),
    )
    remit_claims, plb, errors = read_remits(files)
    matching = match(collector.claims, remit_claims, collector.tables, _table(router.default))
    facts = _rule_facts(router)
    card = build(
        report.findings,
        matching,
        facts,
        [c.encounter_id for c in collector.claims.values() if c.is_b12],
        plb,
        {"claims": list(paths), "remittances": [str(f) for f in files]},
        report.summary.input_errors + len(errors),
    )
    with history_session(config, history_target, no_record) as session:
        if session is not None:
            try:
                card.history = keep_outcomes(card, session, facts)
            except HistoryError as exc:
                fail(f"history: {exc}")
    for line in _errors(errors):
        click.echo(f"b12lint: remittance input error: {line}", err=True)

    def render(stream: TextIO) -> None:
        if fmt == "html":
            billing = paid_billing(collector.billing or [], matching)
            page = replace(report, billing=billing, scorecard=card)
            get_reporter("html")(page, stream, False)
        elif fmt == "json":
            render_json(card, stream, {"name": "b12lint", "version": __version__})
        else:
            render_text(card, stream)

    if output is None or output == "-":
        render(sys.stdout)
    else:
        try:
            with atomic_text(output) as handle:
                render(handle)
        except OSError as exc:
            fail(f"cannot write {output}: {exc.strerror or exc}")
    sys.exit(1 if card.input_errors else 0)
