"""Readers: input files to :class:`~b12lint.model.Record` or :class:`~b12lint.model.InputError`.

Readers import only the model; they know nothing of rules or output formats.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from b12lint.readers.base import DEFAULT_LIMITS, Item, Limits, to_item
from b12lint.readers.csv_reader import CsvConfigError, CsvOptions
from b12lint.readers.discover import (
    SKIP_REASONS,
    Expansion,
    InputPathError,
    expand,
    expand_inputs,
    file_format,
    formats,
    read_file,
    read_inputs,
    read_range,
    stdin_format,
)
from b12lint.readers.own import own_inputs

if TYPE_CHECKING:
    from b12lint.readers.chart import Chart, join, load_chart

__all__ = [
    "DEFAULT_LIMITS",
    "SKIP_REASONS",
    "Chart",
    "CsvConfigError",
    "CsvOptions",
    "Expansion",
    "InputPathError",
    "Item",
    "Limits",
    "expand",
    "expand_inputs",
    "file_format",
    "formats",
    "join",
    "load_chart",
    "own_inputs",
    "read_file",
    "read_inputs",
    "read_range",
    "stdin_format",
    "to_item",
]


def __getattr__(name: str) -> Any:
    """The chart reader (``--documentation``) is imported on first use: it builds a pydantic
    validator of its own, which a check without charts does not need."""
    if name in {"Chart", "join", "load_chart"}:
        from b12lint.readers import chart

        return getattr(chart, name)
    raise AttributeError(name)
