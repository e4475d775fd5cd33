"""The output formats by name; a reporter module is imported only when its format is used."""

from __future__ import annotations

import importlib
from collections.abc import Callable
from typing import TextIO, cast

from b12lint.model import Report

Reporter = Callable[[Report, TextIO, bool], None]
"""``render(report, stream, color)``: write the report to a text stream."""

REPORTERS: dict[str, str] = {
    "text": "text",
    "json": "json_report",
    "jsonl": "jsonl",
    "sarif": "sarif",
    "junit": "junit",
    "github": "github",
    "csv": "csv_report",
    "html": "html",
}
"""Format name → module of ``b12lint.reporters`` defining ``render``."""


def get_reporter(name: str) -> Reporter:
    """The reporter for a format name (KeyError names the known ones)."""
    try:
        module = REPORTERS[name]
    except KeyError:
        raise KeyError(f"unknown format {name!r} (known: {', '.join(sorted(REPORTERS))})") from None
    return cast(Reporter, importlib.import_module(f"b12lint.reporters.{module}").render)
