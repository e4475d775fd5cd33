"""``b12lint rules``, ``b12lint rule ID`` and ``b12lint test [DIR...]``."""

from __future__ import annotations

import sys
import textwrap

import click
import orjson

from b12lint.cli.common import RuleOptions, engine_option, fail, rule_infos, ruleset_options
from b12lint.cli.rules_doc import other_builtin_packs, reference_line, render_markdown, rule_text
from b12lint.engine import PackError, load_pack
from b12lint.engine.datatable import DataTable
from b12lint.engine.input_rules import INPUT_RULES
from b12lint.engine.pack import DEFAULT_ENGINE, builtin_pack_paths
from b12lint.engine.selftest import run_pack_examples
from b12lint.model import RuleInfo, plural, rule_count


@click.command()
@click.option(
    "--format",
    "fmt",
    type=click.Choice(["text", "json", "markdown"]),
    default="text",
    help="text: one line a rule; json: every field; markdown: the docs/rules.md reference.",
)
@ruleset_options
def rules(fmt: str, rule_options: RuleOptions) -> None:
    """List the rules: id, severity, category, summary."""
    ruleset = rule_options.ruleset()
    if fmt == "markdown":
        try:
            loaded = [load_pack(p) for p in builtin_pack_paths()]
        except PackError as exc:
            fail(f"invalid rule pack: {exc}")
        click.echo(render_markdown(ruleset, other_builtin_packs(ruleset, loaded)), nl=False)
        return
    infos = sorted(rule_infos(ruleset).values(), key=lambda r: r.id)
    if fmt == "json":
        data = [info.as_dict() for info in infos]
        click.echo(orjson.dumps(data, option=orjson.OPT_INDENT_2).decode())
        return
    width = max(len(i.id) for i in infos)
    for info in infos:
        click.echo(f"{info.id:<{width}}  {info.severity:<7}  {info.category:<14}  {info.summary}")
    inputs = sum(1 for i in infos if i.id in INPUT_RULES)
    packs = ", ".join(str(p["name"]) for p in ruleset.info())
    click.echo(f"\n{rule_count(len(infos) - inputs, inputs)} ({packs}).")


@click.command()
@click.argument("rule_id")
@ruleset_options
def rule(rule_id: str, rule_options: RuleOptions) -> None:
    """Explain one rule: what it checks, why, its source, effective dates, examples."""
    ruleset = rule_options.ruleset()
    wanted = rule_id.strip().upper()
    infos = rule_infos(ruleset)
    info: RuleInfo | None = infos.get(wanted) or next(
        (i for i in infos.values() if i.name == rule_id.strip()), None
    )
    if info is None:
        fail(f"no rule {rule_id!r} (see `b12lint rules`)")
    compiled = ruleset.by_id.get(info.id)
    if compiled is not None:
        tables: dict[str, DataTable] = {}
        for pack in ruleset.packs:
            if pack.name == compiled.meta.pack or compiled.meta.pack in pack.chain:
                tables.update(pack.data)
        click.echo(rule_text(compiled.meta, tables))
        return
    out = [
        f"{info.id} ({info.name})",
        "",
        f"Severity: {info.severity}    Category: {info.category}    Pack: {info.pack}",
        "",
        "## What it does",
        textwrap.fill(info.summary, 96),
        "",
        "## Why",
        textwrap.fill(info.rationale, 96),
        "",
        "## Source",
        *(f"- {reference_line(ref)}" for ref in info.references),
    ]
    if info.id in INPUT_RULES:
        out += ["", "(Built into the engine: reported when a record cannot be read.)"]
    click.echo("\n".join(out))


@click.command()
@click.argument("dirs", nargs=-1, type=click.Path(file_okay=False))
@click.option("--verbose", "-v", is_flag=True, help="List every example, not only failures.")
@engine_option
def test(dirs: tuple[str, ...], verbose: bool, engine: str | None) -> None:
    """Run every rule's own examples (the built-in packs by default); exit 1 on a failure."""
    paths = list(dirs) or [str(p) for p in builtin_pack_paths()]
    failures = total = 0
    for path in paths:
        try:
            pack = load_pack(path, engine or DEFAULT_ENGINE)
        except PackError as exc:
            fail(f"invalid rule pack: {exc}")
        results = run_pack_examples(pack)
        bad = [r for r in results if not r.ok]
        total += len(results)
        failures += len(bad)
        for result in results:
            if not result.ok:
                click.echo(f"FAIL {pack.name} {result.label}: {result.problem}")
            elif verbose:
                click.echo(f"ok   {pack.name} {result.label}")
        click.echo(
            f"{pack.name}: {plural(len(pack.rules), 'rule')}, {plural(len(results), 'example')}, "
            f"{len(bad)} failed"
        )
    click.echo(f"{total - failures} passed, {failures} failed")
    sys.exit(1 if failures else 0)
