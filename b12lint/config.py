"""Configuration: ``[tool.b12lint]`` in ``pyproject.toml`` or a ``b12lint.toml``.

The file is found by walking up from the working directory (a ``b12lint.toml`` wins over a
``pyproject.toml`` in the same folder); ``--config FILE`` or ``B12LINT_CONFIG`` name one
explicitly. Environment variables ``B12LINT_<KEY>`` (``B12LINT_SELECT=units,dose``,
``B12LINT_FAIL_ON=warning``) override the file; command-line options override both. Every key
is validated against ``schemas/config.schema.json``: an unknown key or a wrong type stops the
run with exit 2, naming the key. Paths in the file are relative to the file's folder.

``[tool.b12lint.payers]`` maps a payer id or type to a rule pack (``medicare = "b12-core"``,
``"60054" = "b12-commercial-example"``); ``B12LINT_PAYERS=KEY=PACK,KEY=PACK`` and ``--payer
KEY=PACK`` override it key by key.
"""

from __future__ import annotations

import datetime as dt
import json
import os
import tomllib
from collections.abc import Mapping
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path
from typing import Any

from b12lint.resources import schema_path

CONFIG_FILES = ("b12lint.toml", "pyproject.toml")
ENV_PREFIX = "B12LINT_"
#: Keys that may come from the environment, and how to read them.
_ENV_LISTS = ("select", "ignore", "rules")
_ENV_SCALARS = ("fail-on", "input-format", "history", "history-key-file", "engine")
#: Scalar keys naming a file (or, for ``history``, a URL): relative to the file's folder.
_LOCATIONS = ("history", "history-key-file")


class ConfigError(ValueError):
    """A configuration file or variable that cannot be used (exit code 2)."""


@dataclass
class Config:
    """The merged settings of a file and the environment (CLI options are applied later)."""

    path: Path | None = None
    values: dict[str, Any] = field(default_factory=dict)

    def get(self, key: str, default: Any = None) -> Any:
        """A setting by its file key (``fail-on``), or ``default``."""
        return self.values.get(key, default)

    def paths(self, key: str) -> list[Path]:
        """A list of paths, resolved against the configuration file's folder."""
        base = self.path.parent if self.path is not None else Path.cwd()
        return [(base / p) for p in self.values.get(key) or []]

    def location(self, key: str) -> str | None:
        """A file path or URL setting; a relative path is resolved against the file's folder."""
        value = self.values.get(key)
        if not isinstance(value, str) or not value:
            return None
        if "://" in value:
            return value
        base = self.path.parent if self.path is not None else Path.cwd()
        return str(base / value)

    def section(self, key: str) -> Mapping[str, Any]:
        """A sub-table (``[tool.b12lint.csv]``) or an empty mapping."""
        value = self.values.get(key)
        return value if isinstance(value, Mapping) else {}


@cache
def _validator() -> Any:
    import jsonschema  # on first use: most runs have no settings to check

    schema = json.loads(schema_path("config").read_text(encoding="utf-8"))
    cls = jsonschema.validators.validator_for(schema)
    return cls(schema, format_checker=cls.FORMAT_CHECKER)


def validate(values: Mapping[str, Any], origin: str) -> None:
    """Raise :class:`ConfigError` naming the first bad key."""
    if not values:
        return  # nothing set: nothing can be wrong
    from jsonschema.exceptions import best_match

    errors = sorted(_validator().iter_errors(dict(values)), key=lambda e: list(e.absolute_path))
    if not errors:
        return
    error = best_match(errors)
    key = ".".join(str(p) for p in error.absolute_path)
    if error.validator == "additionalProperties":
        extra = sorted(set(error.instance) - set(error.schema.get("properties", {})))
        where = f"{key}.{extra[0]}" if key and extra else (extra[0] if extra else key)
        raise ConfigError(f"{origin}: unknown key {where!r}")
    raise ConfigError(f"{origin}: key {key or '(top level)'!r}: {error.message}")


def find_config(start: Path | None = None) -> Path | None:
    """The nearest configuration file at or above ``start`` that configures b12lint."""
    here = (start or Path.cwd()).resolve()
    for folder in (here, *here.parents):
        for name in CONFIG_FILES:
            candidate = folder / name
            if candidate.is_file() and (name != "pyproject.toml" or _has_tool_section(candidate)):
                return candidate
    return None


def _has_tool_section(path: Path) -> bool:
    try:
        data = tomllib.loads(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, tomllib.TOMLDecodeError, RecursionError):
        return False
    return isinstance(data.get("tool"), dict) and "b12lint" in data["tool"]


def _iso_dates(value: Any) -> Any:
    """TOML dates (``expires = 2026-12-31``) as ISO strings, as the JSON Schema expects."""
    if isinstance(value, dict):
        return {k: _iso_dates(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_iso_dates(v) for v in value]
    if isinstance(value, dt.date | dt.time):
        return value.isoformat()
    return value


def read_file(path: Path) -> dict[str, Any]:
    """The b12lint settings of one file, validated."""
    try:
        data = tomllib.loads(path.read_text(encoding="utf-8"))
    except OSError as exc:
        raise ConfigError(f"{path}: cannot read: {exc.strerror or exc}") from None
    except UnicodeDecodeError:
        raise ConfigError(f"{path}: not UTF-8 text") from None
    except tomllib.TOMLDecodeError as exc:
        raise ConfigError(f"{path}: invalid TOML: {exc}") from None
    except RecursionError:
        raise ConfigError(f"{path}: invalid TOML: nested too deeply") from None
    if path.name == "pyproject.toml":
        data = data.get("tool", {}).get("b12lint", {})
    try:
        plain: dict[str, Any] = _iso_dates(data)
        validate(plain, str(path))
    except RecursionError:
        raise ConfigError(f"{path}: settings nested too deeply") from None
    return plain


def from_env(env: Mapping[str, str]) -> dict[str, Any]:
    """Settings from ``B12LINT_*`` variables."""
    out: dict[str, Any] = {}
    for key in _ENV_LISTS:
        raw = env.get(ENV_PREFIX + key.upper().replace("-", "_"))
        if raw is not None:
            sep = os.pathsep if key == "rules" else ","
            out[key] = [t.strip() for t in raw.split(sep) if t.strip()]
    for key in _ENV_SCALARS:
        raw = env.get(ENV_PREFIX + key.upper().replace("-", "_"))
        if raw is not None and raw.strip():
            out[key] = raw.strip()
    raw = env.get(ENV_PREFIX + "PAYERS")
    if raw is not None and raw.strip():
        out["payers"] = parse_payers(raw.split(","), ENV_PREFIX + "PAYERS")
    validate(out, "environment (B12LINT_*)")
    return out


def parse_payers(entries: list[str], origin: str) -> dict[str, str]:
    """``["medicare=b12-core", "60054=acme"]`` -> ``{"medicare": "b12-core", "60054": "acme"}``."""
    out: dict[str, str] = {}
    for entry in entries:
        if not entry.strip():
            continue
        key, sep, pack = entry.partition("=")
        if not sep or not key.strip() or not pack.strip():
            raise ConfigError(f"{origin}: {entry.strip()!r} is not PAYER=PACK")
        out[key.strip()] = pack.strip()
    return out


def load_config(
    explicit: str | Path | None = None,
    *,
    env: Mapping[str, str] | None = None,
    start: Path | None = None,
) -> Config:
    """The file settings (explicit, ``B12LINT_CONFIG`` or found) overlaid by the environment."""
    env = os.environ if env is None else env
    chosen = explicit or env.get(ENV_PREFIX + "CONFIG")
    path: Path | None
    if chosen:
        path = Path(chosen)
        if not path.is_file():
            raise ConfigError(f"{chosen}: configuration file not found")
    else:
        path = find_config(start)
    values = read_file(path) if path is not None else {}
    env_values = from_env(env)
    if "rules" in env_values:
        # Paths from the environment are relative to the working directory, not the file
        # (anything that is not a folder stays as given: the name of a built-in pack).
        env_values["rules"] = [
            str(Path(p).resolve()) if Path(p).is_dir() else p for p in env_values["rules"]
        ]
    for key in _LOCATIONS:
        if key in env_values and "://" not in env_values[key]:
            env_values[key] = str(Path(env_values[key]).resolve())
    if "payers" in env_values:
        env_values["payers"] = {**(values.get("payers") or {}), **env_values["payers"]}
    values.update(env_values)
    return Config(path, values)
