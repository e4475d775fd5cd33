"""``b12lint fix IN --output OUT``: write a corrected copy of a record file.

The input is checked exactly as ``b12lint check`` would (same configuration, packs, payer
routing, selection); the fixes the rules mark safe are applied to a copy of the records and
written to OUT, atomically. IN is never modified (OUT may not be IN). Fixes that need review
(adding modifier 25, changing an administration code) are listed, not applied. Every change
is reported by file, line, encounter and JSON Pointer. Exit 0 when OUT was written, 2 when
the tool could not run.
"""

from __future__ import annotations

import io
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import click

from b12lint.cli.common import (
    RuleOptions,
    fail,
    payer_option,
    router_from_config,
    ruleset_options,
)
from b12lint.cli.output import atomic_text
from b12lint.cli.setup import limits_from
from b12lint.engine import Linter
from b12lint.engine.template import render_value
from b12lint.fix import Document, DocumentError, FixPlan, PointerError, load_document, plan_fixes
from b12lint.fix.pointer import get_pointer, set_pointer
from b12lint.model import Finding, Record
from b12lint.readers import Item, formats, read_file
from b12lint.readers.discover import EXTENSIONS

_ABSENT: Any = object()


def _format(path: Path, forced: str | None) -> str:
    fmt = forced or EXTENSIONS.get(path.suffix.lower())
    if fmt is None:
        fail(f"{path}: unknown file type: give --input-format ({', '.join(formats())})")
    return fmt


def _check_paths(source: Path, output: Path, fmt: str) -> None:
    if not source.is_file():
        fail(f"{source}: no such file (fix takes one record file)")
    if output.is_dir():
        fail(f"{output}: is a directory; --output names the file to write")
    if output.resolve() == source.resolve() or (output.exists() and output.samefile(source)):
        fail("--output is the input file: b12lint fix never edits in place")
    out_fmt = EXTENSIONS.get(output.suffix.lower())
    if out_fmt is not None and out_fmt != fmt:
        fail(f"{output}: a .{fmt} input is written in the same format (use a .{fmt} name)")


def _lint(items: list[Item], router: Any) -> list[Finding]:
    linter = Linter(router)
    findings: list[Finding] = []
    for item in items:
        findings.extend(linter.check(item))
    findings.extend(linter.finish())
    return findings


def _entry_of(items: Sequence[Item]) -> dict[str, int]:
    """Encounter id -> index of the record that was checked (the first with that id)."""
    out: dict[str, int] = {}
    for index, item in enumerate(items):
        if isinstance(item, Record):
            out.setdefault(item.encounter["encounter_id"], index)
    return out


def _apply(
    plan: FixPlan, document: Document, items: Sequence[Item], display: str
) -> tuple[list[str], int]:
    """Apply the plan; return the report lines and the number of values set."""
    where = _entry_of(items)
    lines: list[str] = []
    applied = 0
    for encounter, changes in sorted(plan.changes.items()):
        index = where.get(encounter)
        if index is None:
            continue
        entry = document.entries[index]
        line = items[index].source.line
        for change in changes:
            old = get_pointer(entry.value, change.pointer, _ABSENT)
            try:
                entry.value = set_pointer(entry.value, change.pointer, change.value)
            except PointerError as exc:
                lines.append(f"{display}:{line}: {encounter} not applied: {exc}")
                continue
            entry.changed = True
            applied += 1
            before = "(absent)" if old is _ABSENT else _show(old)
            rules = ", ".join(change.rules)
            lines.append(
                f"{display}:{line}: {encounter} {change.pointer}: {before} -> "
                f"{_show(change.value)} ({rules})"
            )
    return lines, applied


def _show(value: Any) -> str:
    if isinstance(value, str):
        return repr(value)
    if isinstance(value, list | tuple):
        return "[" + ", ".join(_show(v) for v in value) + "]"
    return render_value(value)


@click.command()
@click.argument("source", metavar="IN", type=click.Path(dir_okay=False, path_type=Path))
@click.option(
    "--output",
    "-o",
    required=True,
    type=click.Path(path_type=Path),
    metavar="OUT",
    help="Write the corrected records to OUT (a new file; never the input).",
)
@click.option(
    "--input-format",
    type=click.Choice(formats()),
    default=None,
    help="Read IN as this format (default: by extension).",
)
@ruleset_options
@payer_option
def fix(
    source: Path,
    output: Path,
    input_format: str | None,
    rule_options: RuleOptions,
) -> None:
    """Apply the safe fixes to a copy of IN, written to OUT, and report each change."""
    config = rule_options.settings()
    fmt = _format(source, input_format or config.get("input-format"))
    _check_paths(source, output, fmt)
    router = router_from_config(config, *rule_options.args)
    limits = limits_from(config)
    try:
        data = source.read_bytes()
    except OSError as exc:
        fail(f"{source}: cannot read: {exc.strerror or exc}")
    if fmt != "jsonl" and len(data) > limits.max_file_bytes:
        fail(f"{source}: larger than {limits.max_file_bytes:,} bytes")
    try:
        document = load_document(data, fmt)
    except DocumentError as exc:
        fail(f"cannot rewrite {source}: {exc} (b12lint check shows where)")
    display = str(source)
    items = list(read_file(display, None, forced=fmt, limits=limits, stdin=io.BytesIO(data)))
    if len(items) != len(document.entries):
        fail(f"cannot rewrite {source}: its records could not be matched one to one")
    plan = plan_fixes(_lint(items, router))
    report, applied = _apply(plan, document, items, display)
    try:
        with atomic_text(output) as handle:
            handle.write(document.dump().decode("utf-8"))
    except OSError as exc:
        fail(f"cannot write {output}: {exc.strerror or exc}")
    for line in report:
        click.echo(line)
    for encounter, pointer, rules in plan.conflicts:
        names = ", ".join(rules)
        click.echo(f"{display}: {encounter} {pointer}: not changed, fixes disagree ({names})")
    changed = sum(1 for e in document.entries if e.changed)
    click.echo(
        f"{applied} fix{'' if applied == 1 else 'es'} applied to {changed} "
        f"encounter{'' if changed == 1 else 's'}; wrote {output}."
    )
    if plan.needs_review:
        count = len(plan.needs_review)
        one = count == 1
        click.echo(
            f"{count} fix{'' if one else 'es'} need{'s' if one else ''} review and "
            f"{'was' if one else 'were'} not applied (see b12lint check)."
        )
