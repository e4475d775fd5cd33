"""Shared CLI pieces: turning load errors into exit 2, ruleset options, rule metadata."""

from __future__ import annotations

import functools
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any, NoReturn, TypeVar, cast

import click

from b12lint.config import Config, ConfigError, load_config, parse_payers
from b12lint.engine import (
    Pack,
    PackError,
    Router,
    Ruleset,
    SelectionError,
    build_router,
    load_pack,
    load_packs,
)
from b12lint.engine.input_rules import INPUT_RULES
from b12lint.engine.pack import DEFAULT_ENGINE, ENGINES, builtin_pack_paths
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


@dataclass(frozen=True)
class RuleOptions:
    """What a command's rule options chose: ``--config``, ``--rules``, ``--no-builtin``,
    ``--select``, ``--ignore`` and, where the command has :func:`payer_option`, ``--payer``."""

    config_path: str | None
    rule_dirs: tuple[str, ...]
    no_builtin: bool
    select: tuple[str, ...]
    ignore: tuple[str, ...]
    payers: tuple[str, ...] = ()
    engine: str | None = None
    """``--engine``: overrides the configuration's ``engine``."""

    @property
    def args(
        self,
    ) -> tuple[tuple[str, ...], bool, tuple[str, ...], tuple[str, ...], tuple[str, ...]]:
        """The arguments after the configuration of :func:`router_from_config` (and of the
        workers' ``ruleset_factory``)."""
        return (self.rule_dirs, self.no_builtin, self.select, self.ignore, self.payers)

    def settings(self) -> Config:
        """The configuration (``--config`` or the nearest file, and the environment)."""
        config = settings(self.config_path)
        if self.engine:
            config = Config(config.path, {**config.values, "engine": self.engine})
        return config

    def ruleset(self) -> Ruleset:
        """The default ruleset (packs and selection as :func:`router_from_config`); exit 2."""
        return router_from_config(self.settings(), *self.args).default


def ruleset_options(fn: F) -> F:
    """``--config``, ``--rules``, ``--no-builtin``, ``--select``, ``--ignore``: the command
    receives them (and ``--payer`` if it has :func:`payer_option`) as one ``rule_options``
    (:class:`RuleOptions`)."""

    @functools.wraps(fn)
    def command(
        *args: Any,
        config_path: str | None,
        rule_dirs: tuple[str, ...],
        no_builtin: bool,
        select: tuple[str, ...],
        ignore: tuple[str, ...],
        engine: str | None,
        **kwargs: Any,
    ) -> Any:
        options = RuleOptions(
            config_path,
            tuple(rule_dirs),
            no_builtin,
            tuple(select),
            tuple(ignore),
            tuple(kwargs.pop("payers", ())),
            engine,
        )
        return fn(*args, rule_options=options, **kwargs)

    return cast(F, _ruleset_click_options(command))


def _ruleset_click_options(fn: Callable[..., Any]) -> Callable[..., Any]:
    fn = engine_option(fn)
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
        metavar="DIR|PACK",
        help="Add a rule pack: a folder, or a built-in pack's name such as "
        "b12-commercial-example (repeatable; added to the packs of the configuration).",
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


def engine_option(fn: F) -> F:
    """``--engine generated|closures``: how rule conditions run (configuration ``engine``)."""
    return click.option(
        "--engine",
        type=click.Choice(ENGINES),
        default=None,
        help="How rule conditions run: generated Python source (the default) or the closure "
        "evaluator it is tested against (for debugging). Findings are the same.",
    )(fn)


def settings(config_path: str | None) -> Config:
    """The configuration file and ``B12LINT_*`` environment; a problem is exit 2."""
    try:
        return load_config(config_path)
    except ConfigError as exc:
        fail(f"invalid configuration: {exc}")


def payer_option(fn: F) -> F:
    """``--payer KEY=PACK``: judge encounters of a payer id or type with a pack."""
    return click.option(
        "--payer",
        "payers",
        multiple=True,
        metavar="KEY=PACK",
        help="Judge encounters whose payer id or type is KEY with PACK (repeatable; "
        "overrides [tool.b12lint.payers] key by key).",
    )(fn)


def _pack_refs(config: Config, rule_dirs: Sequence[str]) -> list[str | Path]:
    """Pack folders (relative to the configuration file) or built-in pack names."""
    base = config.path.parent if config.path is not None else Path.cwd()
    refs: list[str | Path] = []
    for entry in config.get("rules") or []:
        folder = base / entry
        refs.append(folder if folder.is_dir() else entry)
    refs.extend(rule_dirs)
    return refs


def _route_targets(
    payers: dict[str, str], loaded: Sequence[Pack], engine: str = DEFAULT_ENGINE
) -> dict[str, Pack]:
    """``{payer key: pack}``: a loaded pack by name, else a built-in pack by name."""
    by_name = {p.name: p for p in loaded}
    builtin = {p.name: p for p in builtin_pack_paths()}
    routes: dict[str, Pack] = {}
    for key, name in payers.items():
        pack = by_name.get(name)
        if pack is None and name in builtin:
            pack = by_name[name] = load_pack(builtin[name], engine)
        if pack is None:
            known = ", ".join(sorted({*by_name, *builtin}))
            fail(
                f"invalid configuration: payers.{key}: no pack named {name!r} "
                f"(known: {known}; add a pack folder with rules or --rules)"
            )
        routes[key] = pack
    return routes


def router_from_config(
    config: Config,
    rule_dirs: Sequence[str],
    no_builtin: bool,
    select: Sequence[str],
    ignore: Sequence[str],
    payer_args: Sequence[str] = (),
) -> Router:
    """Load packs, route payers to their packs and apply selection (CLI > environment > file).

    A pack given with ``rules``/``--rules`` and named in ``payers`` judges only the encounters
    routed to it; the built-in default and the other packs judge the rest. Problems exit 2.
    """
    builtin = not no_builtin and bool(config.get("builtin", True))
    engine = str(config.get("engine") or DEFAULT_ENGINE)
    chosen = split_tokens(select) or list(config.get("select") or [])
    skipped = split_tokens(ignore) or list(config.get("ignore") or [])
    try:
        payers = {**(config.get("payers") or {}), **parse_payers(list(payer_args), "--payer")}
    except ConfigError as exc:
        fail(str(exc))
    try:
        core = load_packs((), builtin=builtin, engine=engine)
        extra = load_packs(_pack_refs(config, rule_dirs), builtin=False, engine=engine)
        routes = _route_targets(payers, [*extra, *core], engine)
        targets = {p.name for p in routes.values()}
        default = [*core, *(p for p in extra if p.name not in targets)]
        return build_router(
            default,
            routes,
            select=chosen,
            ignore=skipped,
            severity=config.get("severity") or {},
        )
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


def rule_infos(rules: Ruleset | Router) -> dict[str, RuleInfo]:
    """Every active rule plus the engine's input rules, by id (the default ruleset's first)."""
    infos = {m.id: rule_info(m) for m in INPUT_RULES.values()}
    rulesets = rules.rulesets() if isinstance(rules, Router) else [rules]
    for ruleset in rulesets:
        for rule in ruleset.rules:
            infos.setdefault(rule.meta.id, rule_info(rule.meta))
    return infos
