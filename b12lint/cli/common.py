"""Shared CLI pieces: turning load errors into exit 2, ruleset options, rule metadata."""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from pathlib import Path
from typing import Any, NoReturn, TypeVar

import click

from b12lint.config import Config, ConfigError, load_config
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
    """``--config``, ``--rules``, ``--no-builtin``, ``--select``, ``--ignore``."""
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
        help="Add a rule pack folder (repeatable; added to the packs of the configuration).",
    )(fn)
    fn = click.option(
        "--config",
        "config_path",
        type=click.Path(dir_okay=False),
        default=None,
        metavar="FILE",
        help="Read settings from FILE (default: the nearest b12lint.toml or pyproject.toml).",
    )(fn)
    return fn


def settings(config_path: str | None) -> Config:
    """The configuration file and ``B12LINT_*`` environment; a problem is exit 2."""
    try:
        return load_config(config_path)
    except ConfigError as exc:
        fail(f"invalid configuration: {exc}")


def build_ruleset(
    config: Config,
    rule_dirs: Sequence[str],
    no_builtin: bool,
    select: Sequence[str],
    ignore: Sequence[str],
) -> Ruleset:
    """Load packs and apply selection (CLI over environment over file); problems exit 2."""
    packs: list[str | Path] = [*config.paths("rules"), *rule_dirs]
    builtin = not no_builtin and bool(config.get("builtin", True))
    chosen = split_tokens(select) or list(config.get("select") or [])
    skipped = split_tokens(ignore) or list(config.get("ignore") or [])
    try:
        ruleset = load_ruleset(packs, builtin=builtin)
        return ruleset.select(chosen, skipped, config.get("severity") or {})
    except PackError as exc:
        fail(f"invalid rule pack: {exc}")
    except SelectionError as exc:
        where = f" (configuration {config.path})" if config.path else ""
        fail(f"{exc}{where}")


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
