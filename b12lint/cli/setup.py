"""What a check is configured with, loaded once: ``b12lint check`` loads it per run, ``b12lint
serve`` at start for its whole life. One loading path, so the service judges a body exactly
as ``check`` judges the same file: the same packs, payer routing, selection, severities and
engine, reader limits, CSV layout, default input format, exceptions, baseline, redaction and
history store. Every problem is exit 2, before anything is read.
"""

from __future__ import annotations

from collections.abc import Collection, Mapping
from dataclasses import dataclass
from typing import Any

from b12lint.cli.audit import AuditSettings
from b12lint.cli.common import RuleOptions, fail, router_from_config
from b12lint.cli.history import target_of
from b12lint.config import Config
from b12lint.engine import Router
from b12lint.readers import DEFAULT_LIMITS, CsvConfigError, CsvOptions, Limits, formats


def limits_from(config: Config) -> Limits:
    """Reader limits: the defaults, overridden by ``[tool.b12lint.limits]``."""
    section = config.section("limits")
    return Limits(
        max_record_bytes=section.get("max-record-bytes", DEFAULT_LIMITS.max_record_bytes),
        max_depth=section.get("max-depth", DEFAULT_LIMITS.max_depth),
        max_file_bytes=section.get("max-file-bytes", DEFAULT_LIMITS.max_file_bytes),
        max_yaml_bytes=section.get("max-yaml-bytes", DEFAULT_LIMITS.max_yaml_bytes),
    )


def csv_options(config: Config) -> CsvOptions:
    """How CSV exports are read: ``[tool.b12lint.csv]`` over the documented defaults."""
    try:
        return CsvOptions.from_config(config.section("csv"))
    except CsvConfigError as exc:
        fail(f"invalid configuration: {exc}")


@dataclass(frozen=True)
class CheckSetup:
    """The loaded configuration of checks (CLI options > ``B12LINT_*`` > the file)."""

    config: Config
    router: Router
    """The packs and payer routes, selected, with their severities and engine."""
    limits: Limits
    csv: CsvOptions
    input_format: str | None
    """``--input-format`` or ``input-format``: None reads each input by its name and content."""
    audit: AuditSettings
    """Exceptions, baseline and redaction."""
    history: str | None
    """The history store (``--history`` or ``history``), if any."""


def load_setup(
    rule_options: RuleOptions,
    audit_options: Mapping[str, Any],
    output_formats: Collection[str],
    *,
    input_format: str | None = None,
    history: str | None = None,
) -> CheckSetup:
    """Load and validate everything a check needs, for outputs in ``output_formats``."""
    config = rule_options.settings()
    audit = AuditSettings.load(audit_options, config, output_formats)
    router = router_from_config(config, *rule_options.args)
    fmt_in = input_format or config.get("input-format")
    if fmt_in is not None and fmt_in not in formats():
        fail(f"unknown input format {fmt_in!r} (known: {', '.join(formats())})")
    return CheckSetup(
        config=config,
        router=router,
        limits=limits_from(config),
        csv=csv_options(config),
        input_format=fmt_in,
        audit=audit,
        history=target_of(config, history),
    )
