"""Where the built-in rule packs and JSON Schemas live, installed or in a source checkout."""

from __future__ import annotations

from functools import cache
from pathlib import Path

_PACKAGE = Path(__file__).resolve().parent


@cache
def builtin_dir(name: str) -> Path:
    """``rules`` or ``schemas``: inside the installed wheel, else at the checkout's top level."""
    installed = _PACKAGE / "_builtin" / name
    if installed.is_dir():
        return installed
    checkout = _PACKAGE.parent / name
    if checkout.is_dir():
        return checkout
    raise FileNotFoundError(f"b12lint is installed without its {name}/ directory")


def schema_path(name: str) -> Path:
    """The path of ``schemas/<name>.schema.json``."""
    return builtin_dir("schemas") / f"{name}.schema.json"
