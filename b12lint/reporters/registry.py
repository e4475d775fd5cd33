"""The output formats by name."""

from __future__ import annotations

from collections.abc import Callable
from typing import TextIO

from b12lint.model import Report
from b12lint.reporters import json_report, text

Reporter = Callable[[Report, TextIO, bool], None]
"""``render(report, stream, color)``: write the report to a text stream."""

REPORTERS: dict[str, Reporter] = {
    "text": text.render,
    "json": json_report.render,
}


def get_reporter(name: str) -> Reporter:
    """The reporter for a format name (KeyError names the known ones)."""
    try:
        return REPORTERS[name]
    except KeyError:
        raise KeyError(f"unknown format {name!r} (known: {', '.join(sorted(REPORTERS))})") from None
