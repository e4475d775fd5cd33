"""YAML as data only: the safe loader, alias, size and depth budgets, unique keys, lines.

Used for rule packs, configuration and YAML encounter files. Tags such as ``!!python/object``
are refused by the safe loader (nothing is ever imported or run); aliases are counted and
budgeted by the size they expand to (an alias bomb is refused before anything walks it);
nesting is bounded (no stack exhaustion); a mapping that writes a key twice is refused (YAML
requires unique keys; PyYAML would keep the last).

- :func:`load` reads one document (rule and data files): with libyaml when PyYAML has it,
  after :func:`~b12lint.safeyaml.events.check_events` checked its event stream, else with
  the checked pure-Python loader of :mod:`~b12lint.safeyaml.loader`;
- :func:`iter_items` (:mod:`~b12lint.safeyaml.records`) reads encounter files item by item.
"""

from __future__ import annotations

from typing import Any

import yaml

from b12lint.safeyaml.errors import DuplicateKeyError, ItemError, YAMLBudgetError, YAMLDepthError
from b12lint.safeyaml.events import check_events
from b12lint.safeyaml.loader import (
    DEFAULT_MAX_ALIASES,
    DEFAULT_MAX_DEPTH,
    MAX_EXPANDED_NODES,
    expanded_size,
    make_loader,
)
from b12lint.safeyaml.records import (
    HARD_MAX_DEPTH,
    NON_PRINTABLE,
    SKIP_MAX_DEPTH,
    Item,
    iter_items,
    mark_unreadable,
)

__all__ = [
    "C_LOADER",
    "DEFAULT_MAX_ALIASES",
    "DEFAULT_MAX_DEPTH",
    "HARD_MAX_DEPTH",
    "MAX_EXPANDED_NODES",
    "NON_PRINTABLE",
    "SKIP_MAX_DEPTH",
    "DuplicateKeyError",
    "Item",
    "ItemError",
    "YAMLBudgetError",
    "YAMLDepthError",
    "check_events",
    "expanded_size",
    "iter_items",
    "load",
    "mark_unreadable",
]


#: libyaml's safe loader (composes in C, about 4x faster), when PyYAML was built with it.
C_LOADER: Any = getattr(yaml, "CSafeLoader", None)


def load(text: str, *, max_aliases: int = DEFAULT_MAX_ALIASES) -> Any:
    """Load one YAML document safely (None for an empty stream).

    Raises :class:`yaml.YAMLError` (with a line) for a syntax error, a refused tag, a
    duplicate key, too many aliases, aliases that expand past :data:`MAX_EXPANDED_NODES`
    nodes, or too deep nesting. With libyaml, the checks run on its event stream (its
    parser does not recurse) before its composer and the safe constructor build the value.
    """
    if C_LOADER is not None:
        check_events(yaml.parse(text, Loader=C_LOADER), max_aliases=max_aliases)
        return yaml.load(text, Loader=C_LOADER)  # noqa: S506 - libyaml's *safe* loader
    loader = make_loader(text, max_aliases)
    try:
        node = loader.get_single_node()
        if node is None:
            return None
        if loader.aliases_seen:
            expanded_size(node)
        return loader.construct_document(node)
    finally:
        loader.dispose()
