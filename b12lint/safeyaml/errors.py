"""What the safe YAML loaders refuse, as exceptions (all :class:`yaml.YAMLError`)."""

from __future__ import annotations

from typing import Any

import yaml

__all__ = ["DuplicateKeyError", "ItemError", "YAMLBudgetError", "YAMLDepthError"]


class YAMLBudgetError(yaml.YAMLError):
    """A YAML stream that exceeds the alias budget."""


class YAMLDepthError(yaml.YAMLError):
    """A node nested deeper than the loader allows."""

    def __init__(self, message: str, mark: Any, open_collections: int) -> None:
        super().__init__(message)
        self.problem = message
        self.problem_mark = mark
        self.open_collections = open_collections


class DuplicateKeyError(yaml.constructor.ConstructorError):
    """A mapping that writes one key twice."""


class ItemError(yaml.YAMLError):
    """One item of a YAML list that cannot be used; the other items still load."""

    def __init__(self, line: int, message: str, *, limit: bool = False) -> None:
        super().__init__(message)
        self.line = line
        self.message = message
        self.limit = limit
        """True when the item is over a size or depth limit (not malformed)."""
