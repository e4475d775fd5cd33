"""Rule documentation from the rule YAML: ``b12lint rule ID`` text and ``docs/rules.md``.

``docs/rules.md`` is generated (``b12lint rules --format markdown > docs/rules.md``) from the
built-in packs: one section per rule (what, why, source, effective dates, policy data, fix,
examples), then each policy data table with its source and dated versions, then the other
built-in packs and what they change. A test fails when the file is out of date.
"""

from __future__ import annotations

import textwrap
from collections.abc import Iterable, Sequence
from pathlib import Path
from typing import Any

import yaml

from b12lint.engine import Pack, Ruleset
from b12lint.engine.datatable import DataTable
from b12lint.engine.input_rules import INPUT_RULES
from b12lint.engine.rule import FAR_PAST, RuleMeta
from b12lint.model import rule_count
from b12lint.resources import builtin_dir

FIX_TEXT = {
    "safe": "computed and applied by `b12lint fix`",
    "review": "computed and reported, not applied automatically (needs review)",
}


def effective_text(meta: RuleMeta) -> str:
    """``from 2024-01-01`` / ``2000-01-01 to 2023-12-31`` / ``always``."""
    start = None if meta.effective_from == FAR_PAST else meta.effective_from.isoformat()
    end = meta.effective_to.isoformat() if meta.effective_to else None
    if start and end:
        return f"{start} to {end}"
    if start:
        return f"from {start}"
    return f"until {end}" if end else "always"


def reference_line(ref: Any) -> str:
    """One reference: title, section, note and URL."""
    line = str(ref.get("title"))
    if ref.get("section"):
        line += f", {ref['section']}"
    if ref.get("note"):
        line += f" ({ref['note']})"
    if ref.get("url"):
        line += f" <{ref['url']}>"
    return line


def example_yaml(example: Any) -> str:
    """An example record as compact YAML."""
    return yaml.safe_dump(example, sort_keys=False, default_flow_style=None, width=96).rstrip()


def table_file(table: DataTable) -> str:
    """The table's file, relative to the rules folder's parent when it is a built-in pack."""
    path = Path(table.file)
    try:
        return path.resolve().relative_to(builtin_dir("rules").parent.resolve()).as_posix()
    except ValueError:
        return path.as_posix()


def table_lines(table: DataTable) -> list[str]:
    """A data table's provenance: description, source, and each dated version."""
    out = [table.description, "", f"Source: {table.source}"]
    if len(table.versions) > 1:
        out.append("")
        out.extend(
            f"- {version.label()}: {version.source}"
            if version.source != table.source
            else f"- {version.label()}"
            for version in table.versions
        )
    else:
        out += ["", f"Effective: {table.versions[0].label()}"]
    return out


def _fill(text: str) -> str:
    return textwrap.fill(
        " ".join(text.split()),
        96,
        initial_indent=text[: len(text) - len(text.lstrip())],
        subsequent_indent="    ",
    )


def claims_text(meta: RuleMeta) -> str:
    """``professional claims only`` for a rule with ``applies_to``, else ``""``."""
    if meta.claim_types is None:
        return ""
    return " and ".join(sorted(meta.claim_types)) + " claims only"


def _wrap(text: str) -> str:
    return "\n".join(textwrap.fill(p, 96) for p in text.split("\n\n"))


def rule_text(meta: RuleMeta, tables: dict[str, DataTable] | None = None) -> str:
    """``b12lint rule ID``: what it checks, why, source, effective dates, data, examples."""
    out = [
        f"{meta.id} ({meta.name})",
        "",
        f"Severity: {meta.severity}    Category: {meta.category}    Pack: {meta.pack}",
        f"Effective (date of service): {effective_text(meta)}",
        *([f"Applies to: {claims_text(meta)}"] if meta.claim_types is not None else []),
        "",
        "## What it does",
        _wrap(meta.summary),
        "",
        "## Why",
        _wrap(meta.rationale),
        "",
        "## Source",
        *(f"- {reference_line(ref)}" for ref in meta.references),
    ]
    if meta.data_tables and tables is not None:
        out += ["", "## Policy data"]
        for name in meta.data_tables:
            table = tables.get(name)
            if table is None:
                continue
            out.append(_fill(f"- {name} ({table_file(table)}): {table.description}"))
            out.append(_fill(f"  Source: {table.source}"))
            for version in table.versions:
                own = f": {version.source}" if version.source != table.source else ""
                out.append(_fill(f"  Version {version.label()}{own}"))
    if meta.fix:
        out += ["", "## Fix", FIX_TEXT[meta.fix]]
    for kind, title in (("fail", "Example that triggers it"), ("pass", "Example that passes")):
        examples = meta.examples.get(kind) or []
        if examples:
            out += ["", f"## {title}", example_yaml(examples[0])]
    return "\n".join(out)


def _rule_section(meta: RuleMeta) -> list[str]:
    tables = ", ".join(f"[`{t}`](#data-{t.replace('_', '-')})" for t in meta.data_tables)
    out = [
        f"## {meta.id}",
        "",
        f"`{meta.name}` · **{meta.severity}** · {meta.category} · effective {effective_text(meta)}"
        + (f" · {claims_text(meta)}" if meta.claim_types is not None else ""),
        "",
        meta.summary,
        "",
        "**Why.** " + " ".join(meta.rationale.split()),
        "",
        "**Source.**",
        "",
        *(f"- {reference_line(ref)}" for ref in meta.references),
    ]
    if tables:
        out += ["", f"**Policy data.** {tables}"]
    if meta.fix:
        out += ["", f"**Fix.** {FIX_TEXT[meta.fix].capitalize()}."]
    for kind, title in (("fail", "Triggers it"), ("pass", "Passes")):
        examples = meta.examples.get(kind) or []
        if examples:
            out += ["", f"{title}:", "", "```yaml", example_yaml(examples[0]), "```"]
    return [*out, ""]


def _table_section(table: DataTable) -> list[str]:
    return [
        f'<a id="data-{table.name.replace("_", "-")}"></a>',
        "",
        f"### `{table.name}`",
        "",
        f"`{table_file(table)}`",
        "",
        *table_lines(table),
        "",
    ]


def _pack_section(pack: Pack, base: Pack | None) -> list[str]:
    out = [f"### {pack.name} {pack.version}", "", " ".join(pack.description.split()), ""]
    if pack.extends:
        out += [f"Extends `{pack.extends}`.", ""]
    own = [
        t
        for name, t in sorted(pack.data.items())
        if base is None or base.data.get(name) is None or base.data[name].file != t.file
    ]
    if own:
        out += ["Its own data tables:", ""]
        for table in own:
            out += [f"- `{table.name}` ({table_file(table)}): {' '.join(table.source.split())}"]
        out.append("")
    base_severity = dict(base.severity) if base is not None else {}
    changed = {k: v for k, v in pack.severity.items() if base_severity.get(k) != v}
    if changed:
        out += ["Severity overrides: " + ", ".join(f"{k} → {v}" for k, v in changed.items()), ""]
    own_examples = sorted(r.meta.id for r in pack.rules if r.meta.examples_file)
    if own_examples:
        out += ["Its own examples for: " + ", ".join(own_examples), ""]
    return out


def render_markdown(ruleset: Ruleset, other_packs: Sequence[Pack] = ()) -> str:
    """``docs/rules.md`` for a ruleset (one section per rule) and the other packs given."""
    rules = sorted(ruleset.rules, key=lambda r: r.meta.id)
    packs = ", ".join(f"{p.name} {p.version}" for p in ruleset.packs)
    counts: dict[str, int] = {}
    for rule in rules:
        counts[rule.meta.severity] = counts.get(rule.meta.severity, 0) + 1
    out = [
        "# b12lint rules",
        "",
        "<!-- Generated from the rule YAML by `b12lint rules --format markdown`: do not edit. "
        "tests/packs/test_rules_doc.py fails when this file is out of date. -->",
        "",
        f"{rule_count(len(rules), len(INPUT_RULES))}: the rules of {packs} "
        f"({', '.join(f'{n} {s}' for s, n in sorted(counts.items()))}) and the engine's "
        "`input` checks (B12-INPUT-001 to 004) for records that cannot be read. Effective dates "
        "are dates of service; policy values come from the pack's data tables, read for the "
        "encounter's date of service.",
        "",
        "| rule | severity | category | summary |",
        "|---|---|---|---|",
        *(
            f"| [{r.meta.id}](#{r.meta.id.lower()}) | {r.meta.severity} | {r.meta.category} | "
            f"{r.meta.summary} |"
            for r in rules
        ),
        "",
    ]
    for rule in rules:
        out.extend(_rule_section(rule.meta))
    tables: dict[str, DataTable] = {}
    for pack in ruleset.packs:
        tables.update(pack.data)
    out += ["## Policy data tables", ""]
    for name in sorted(tables):
        out.extend(_table_section(tables[name]))
    if other_packs:
        out += ["## Other built-in packs", ""]
        base = {p.name: p for p in ruleset.packs}
        for pack in other_packs:
            out.extend(_pack_section(pack, base.get(pack.extends or "")))
    return "\n".join(out).rstrip() + "\n"


def other_builtin_packs(ruleset: Ruleset, loaded: Iterable[Pack]) -> list[Pack]:
    """Built-in packs that are not part of ``ruleset`` (sorted by name)."""
    names = {p.name for p in ruleset.packs}
    return sorted((p for p in loaded if p.name not in names), key=lambda p: p.name)
