"""Shared CLI pieces: turning load errors into exit 2, ruleset options, rule metadata."""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from typing import Any, NoReturn, TypeVar

import click

from b12lint.engine import PackError, Ruleset, SelectionError, load_ruleset
from b12lint.engine.input_rules import INPUT_RULES
from b12lint.engine.rule import RuleMeta
from b12lint.model import RuleInfo

F = TypeVar("F", bound=Callable[..., Any])


class ToolError(click.ClickException):
    """The tool cannot run: a one-line message and exit code 2."""

    exit_code = 2

    def show(self, file: Any = None) -> None:
        """``b12lint: error: <message>`` on stderr."""
        click.echo(f"b12lint: error: {self.format_message()}", err=True)


def fail(message: str) -> NoReturn:
    """Stop with exit code 2."""
    raise ToolError(message)


def split_tokens(values: Iterable[str]) -> list[str]:
    """``--select A,B --select C`` → ``[A, B, C]``."""
    return [t.strip() for v in values for t in v.split(",") if t.strip()]


def ruleset_options(fn: F) -> F:
    """``--rules``, ``--no-builtin``, ``--select``, ``--ignore``."""
    fn = click.option(
        "--ignore",
        multiple=True,
        metavar="CODES",
        help="Skip rules by id, id prefix, name or category (comma-separated, repeatable).",
    )(fn)
    fn = click.option(
        "--select",
        multiple=True,
        metavar="CODES",
        help="Run only rules by id, id prefix (B12-UNITS), name or category.",
    )(fn)
    fn = click.option(
        "--no-builtin",
        is_flag=True,
        help="Do not load the built-in b12-core pack (use only --rules packs).",
    )(fn)
    fn = click.option(
        "--rules",
        "rule_dirs",
        multiple=True,
        type=click.Path(file_okay=False),
        metavar="DIR",
        help="Add a rule pack folder (repeatable).",
    )(fn)
    return fn


def build_ruleset(
    rule_dirs: Sequence[str],
    no_builtin: bool,
    select: Sequence[str],
    ignore: Sequence[str],
) -> Ruleset:
    """Load packs and apply selection; any problem stops the run with exit 2."""
    try:
        ruleset = load_ruleset(list(rule_dirs), builtin=not no_builtin)
        return ruleset.select(split_tokens(select), split_tokens(ignore))
    except PackError as exc:
        fail(f"invalid rule pack: {exc}")
    except SelectionError as exc:
        fail(str(exc))


def rule_info(meta: RuleMeta) -> RuleInfo:
    """Engine rule metadata as the reporters' plain model."""
    return RuleInfo(
        id=meta.id,
        name=meta.name,
        severity=meta.severity,
        category=meta.category,
        summary=meta.summary,
        rationale=meta.rationale,
        references=tuple(dict(r) for r in meta.references),
        effective_from=meta.effective_from.isoformat(),
        effective_to=meta.effective_to.isoformat() if meta.effective_to else None,
        pack=meta.pack,
    )


def rule_infos(ruleset: Ruleset) -> dict[str, RuleInfo]:
    """Every active rule plus the engine's input rules, by id."""
    infos = {m.id: rule_info(m) for m in INPUT_RULES.values()}
    infos.update({r.meta.id: rule_info(r.meta) for r in ruleset.rules})
    return infos
