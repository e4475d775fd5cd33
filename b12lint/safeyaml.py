"""YAML as data only: the safe loader, an alias budget, and per-node line numbers.

Used for rule packs, configuration and YAML encounter files. Tags such as ``!!python/object``
are refused by the safe loader; an alias bomb is refused by counting aliases while composing.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import yaml

#: Aliases allowed in one YAML stream (rule files may reuse an example with ``*name``).
DEFAULT_MAX_ALIASES = 100


class YAMLBudgetError(yaml.YAMLError):
    """A YAML stream that exceeds the alias budget."""


class _BudgetLoader(yaml.SafeLoader):
    max_aliases = DEFAULT_MAX_ALIASES

    def __init__(self, stream: str) -> None:
        super().__init__(stream)
        self.aliases_seen = 0

    def compose_node(self, parent: Any, index: Any) -> Any:
        if self.check_event(yaml.AliasEvent):
            self.aliases_seen += 1
            if self.aliases_seen > self.max_aliases:
                mark = self.peek_event().start_mark  # type: ignore[no-untyped-call]
                raise YAMLBudgetError(
                    f"more than {self.max_aliases} YAML aliases (line {mark.line + 1}): refused"
                )
        return super().compose_node(parent, index)


def _loader(text: str, max_aliases: int) -> _BudgetLoader:
    loader = _BudgetLoader(text)
    loader.max_aliases = max_aliases
    return loader


def load(text: str, *, max_aliases: int = DEFAULT_MAX_ALIASES) -> Any:
    """Load one YAML document safely (None for an empty stream)."""
    loader = _loader(text, max_aliases)
    try:
        return loader.get_single_data()
    finally:
        loader.dispose()


def iter_items(text: str, *, max_aliases: int = 0) -> Iterator[tuple[int, Any]]:
    """Yield ``(line, value)`` for each item of a YAML stream.

    A document that is a sequence yields each element with its own 1-based line; any other
    document yields itself. Records allow no aliases by default.
    """
    loader = _loader(text, max_aliases)
    try:
        while loader.check_node():
            node = loader.get_node()
            if node is None:
                continue
            if isinstance(node, yaml.SequenceNode):
                for item in node.value:
                    yield item.start_mark.line + 1, loader.construct_object(item, deep=True)
            else:
                yield node.start_mark.line + 1, loader.construct_document(node)
    finally:
        loader.dispose()
