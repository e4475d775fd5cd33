"""Readers: input files to :class:`~b12lint.model.Record` or :class:`~b12lint.model.InputError`.

Readers import only the model; they know nothing of rules or output formats.
"""

from b12lint.readers.base import DEFAULT_LIMITS, Item, Limits, to_item
from b12lint.readers.chart import Chart, join, load_chart
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
