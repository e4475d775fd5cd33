"""The checked pure-Python loader: aliases counted, nesting bounded, keys unique, and the
size a document stands for once its aliases are expanded."""

from __future__ import annotations

from collections.abc import Container
from typing import Any

import yaml

from b12lint.safeyaml.errors import DuplicateKeyError, YAMLBudgetError, YAMLDepthError

#: Aliases allowed in one YAML stream (rule files may reuse an example with ``*name``).
DEFAULT_MAX_ALIASES = 100
#: Nesting allowed in a rule or configuration file (node levels, scalars included).
DEFAULT_MAX_DEPTH = 100
MERGE_TAG = "tag:yaml.org,2002:merge"


def _check_unique_keys(node: yaml.MappingNode, shown: Container[str] | None) -> None:
    seen: set[tuple[str, str]] = set()
    for key, _ in node.value:
        if not isinstance(key, yaml.ScalarNode) or key.tag == MERGE_TAG:
            continue
        ident = (key.tag, key.value)
        if ident in seen:
            name = key.value
            visible = name in shown if shown is not None else len(name) <= 40
            problem = f"duplicate key {name!r}" if visible else "a key appears twice"
            raise DuplicateKeyError(
                None, None, f"found {problem} (keys must be unique)", key.start_mark
            )
        seen.add(ident)


class BudgetLoader(yaml.SafeLoader):
    max_aliases = DEFAULT_MAX_ALIASES
    max_depth = DEFAULT_MAX_DEPTH
    shown_keys: Container[str] | None = None
    """Keys an error message may name (None: any short key)."""

    def __init__(self, stream: str) -> None:
        super().__init__(stream)
        self.aliases_seen = 0
        self.depth = 0
        self.keys_checked: set[int] = set()

    def compose_node(self, parent: Any, index: Any) -> Any:
        if self.check_event(yaml.AliasEvent):
            self.aliases_seen += 1
            if self.aliases_seen > self.max_aliases:
                mark = self.peek_event().start_mark  # type: ignore[no-untyped-call]
                raise YAMLBudgetError(
                    f"more than {self.max_aliases} YAML aliases (line {mark.line + 1}): refused"
                )
            return super().compose_node(parent, index)
        self.depth += 1
        try:
            if self.depth > self.max_depth:
                mark = self.peek_event().start_mark  # type: ignore[no-untyped-call]
                raise YAMLDepthError(
                    f"nested deeper than {self.max_depth} levels (line {mark.line + 1})",
                    mark,
                    self.depth - 1,
                )
            return super().compose_node(parent, index)
        finally:
            self.depth -= 1

    def flatten_mapping(self, node: yaml.MappingNode) -> None:
        # Every mapping passes here once before its keys are merged or constructed.
        if id(node) not in self.keys_checked:
            self.keys_checked.add(id(node))
            _check_unique_keys(node, self.shown_keys)
        super().flatten_mapping(node)


def make_loader(text: str, max_aliases: int) -> BudgetLoader:
    loader = BudgetLoader(text)
    loader.max_aliases = max_aliases
    return loader


#: Nodes one document may stand for once its aliases are followed. Counting aliases is not
#: enough: nine aliases of nine aliases ... of nine items (72 aliases, ten lines) stand for
#: 9**9 nodes, and whatever walks the loaded value (validation, compilation) walks them all.
MAX_EXPANDED_NODES = 100_000


def _children(node: yaml.Node) -> list[yaml.Node]:
    if isinstance(node, yaml.SequenceNode):
        return list(node.value)
    if isinstance(node, yaml.MappingNode):
        return [part for pair in node.value for part in pair]
    return []


def expanded_size(root: yaml.Node, limit: int = MAX_EXPANDED_NODES) -> int:
    """How many nodes ``root`` stands for with every alias expanded (shared nodes counted
    once each time they are reached, in time linear in the distinct nodes).

    Raises :class:`YAMLBudgetError` past ``limit``, or for an alias that contains itself.
    """
    sizes: dict[int, int] = {}
    open_nodes: set[int] = set()
    stack: list[tuple[yaml.Node, bool]] = [(root, False)]
    while stack:
        node, finished = stack.pop()
        key = id(node)
        if finished:
            open_nodes.discard(key)
            total = 1 + sum(sizes[id(child)] for child in _children(node))
            if total > limit:
                raise YAMLBudgetError(
                    f"the document expands to more than {limit:,} nodes through its aliases "
                    f"(line {node.start_mark.line + 1}): refused"
                )
            sizes[key] = total
            continue
        if key in sizes:
            continue
        if key in open_nodes:
            raise YAMLBudgetError(
                f"a YAML alias contains itself (line {node.start_mark.line + 1}): refused"
            )
        open_nodes.add(key)
        stack.append((node, True))
        stack.extend((child, False) for child in _children(node) if id(child) not in sizes)
    return sizes[id(root)]
