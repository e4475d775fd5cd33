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


class ItemError(yaml.YAMLError):
    """One item of a YAML list that cannot be used; the other items still load."""

    def __init__(self, line: int, message: str) -> None:
        super().__init__(message)
        self.line = line
        self.message = message


class _BudgetLoader(yaml.SafeLoader):
    max_aliases = DEFAULT_MAX_ALIASES

    def __init__(self, stream: str) -> None:
        super().__init__(stream)
        self.aliases_seen = 0
        self.aliased: set[int] = set()

    def compose_node(self, parent: Any, index: Any) -> Any:
        if self.check_event(yaml.AliasEvent):
            self.aliases_seen += 1
            anchor = self.peek_event().anchor  # type: ignore[no-untyped-call]
            if anchor in self.anchors:
                self.aliased.add(id(self.anchors[anchor]))
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


#: Aliases composed in one stream of records before the stream is refused outright.
RECORD_ALIAS_BUDGET = 1000


def _uses_alias(node: yaml.Node, aliased: set[int]) -> bool:
    stack = [node]
    seen: set[int] = set()
    while stack:
        current = stack.pop()
        if id(current) in aliased:
            return True
        if id(current) in seen:
            continue
        seen.add(id(current))
        if isinstance(current, yaml.SequenceNode):
            stack.extend(current.value)
        elif isinstance(current, yaml.MappingNode):
            for key, value in current.value:
                stack.extend((key, value))
    return False


def _construct(loader: _BudgetLoader, node: yaml.Node) -> tuple[int, Any]:
    line = node.start_mark.line + 1
    if _uses_alias(node, loader.aliased):
        raise ItemError(line, "YAML anchors and aliases are not allowed in records")
    try:
        value = loader.construct_object(node, deep=True)
    except yaml.constructor.ConstructorError:
        raise ItemError(line, "not valid YAML data (a tag the safe loader refuses)") from None
    finally:
        loader.constructed_objects.clear()
        loader.recursive_objects.clear()
    return line, value


def iter_items(text: str, *, max_aliases: int = RECORD_ALIAS_BUDGET) -> Iterator[Any]:
    """Yield ``(line, value)`` for each item of a YAML stream, or an :class:`ItemError`.

    A document that is a sequence yields each element with its own 1-based line; any other
    document yields itself. An item that uses an anchor/alias or a tag the safe loader refuses
    is yielded as an ``ItemError`` (never expanded, never executed) and the next items still
    load; a syntax error ends the stream (raised, with its line).
    """
    loader = _loader(text, max_aliases)
    try:
        while loader.check_node():
            node = loader.get_node()
            if node is None:
                continue
            items = node.value if isinstance(node, yaml.SequenceNode) else [node]
            for item in items:
                try:
                    yield _construct(loader, item)
                except ItemError as exc:
                    yield exc
    finally:
        loader.dispose()
