"""The checks of the pure-Python loader, run on a stream of parser events in one pass (used
before libyaml's C composer, which has no hooks): aliases, nesting, expanded size and
aliases that contain themselves, unique keys."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

import yaml

from b12lint.safeyaml.errors import DuplicateKeyError, YAMLBudgetError, YAMLDepthError
from b12lint.safeyaml.loader import DEFAULT_MAX_ALIASES, DEFAULT_MAX_DEPTH, MAX_EXPANDED_NODES

OPEN = (yaml.SequenceStartEvent, yaml.MappingStartEvent)
CLOSE = (yaml.SequenceEndEvent, yaml.MappingEndEvent)


@dataclass(slots=True)
class _Open:
    """A collection being read in an event stream: its expanded size so far, and keys."""

    anchor: str | None
    mapping: bool
    size: int = 1
    keys: set[tuple[str | None, str]] | None = None
    at_key: bool = True


def check_events(
    events: Iterable[yaml.Event],
    *,
    max_aliases: int = DEFAULT_MAX_ALIASES,
    max_depth: int = DEFAULT_MAX_DEPTH,
    max_nodes: int = MAX_EXPANDED_NODES,
) -> None:
    """The checks of :func:`load` on a stream of parser events, in one pass: aliases,
    nesting, the size aliases expand to (and aliases that contain themselves), unique keys.
    """
    aliases = 0
    sizes: dict[str, int] = {}
    stack: list[_Open] = []
    total = 0
    for event in events:
        mark: Any = event.start_mark
        if isinstance(event, yaml.DocumentStartEvent):
            sizes.clear()
            total = 0
            continue
        if isinstance(event, CLOSE):
            done = stack.pop()
            if done.anchor is not None:
                sizes[done.anchor] = done.size
            size = done.size
        elif isinstance(event, yaml.AliasEvent | yaml.ScalarEvent | yaml.CollectionStartEvent):
            parent = stack[-1] if stack else None
            if parent is not None and parent.mapping:
                if parent.at_key and isinstance(event, yaml.ScalarEvent):
                    _check_key(parent, event)
                parent.at_key = not parent.at_key
            if len(stack) + 1 > max_depth:
                raise YAMLDepthError(
                    f"nested deeper than {max_depth} levels (line {mark.line + 1})",
                    mark,
                    len(stack),
                )
            if isinstance(event, yaml.CollectionStartEvent):
                mapping = isinstance(event, yaml.MappingStartEvent)
                stack.append(_Open(event.anchor, mapping, keys=set() if mapping else None))
                continue
            size = 1
            if isinstance(event, yaml.AliasEvent):
                aliases += 1
                line = mark.line + 1
                if aliases > max_aliases:
                    raise YAMLBudgetError(
                        f"more than {max_aliases} YAML aliases (line {line}): refused"
                    )
                if event.anchor not in sizes and any(o.anchor == event.anchor for o in stack):
                    raise YAMLBudgetError(f"a YAML alias contains itself (line {line}): refused")
                size = sizes.get(event.anchor or "", 1)
            elif event.anchor is not None:
                sizes[event.anchor] = 1
        else:
            continue
        if stack:
            stack[-1].size += size
            grown = stack[-1].size
        else:
            total += size
            grown = total
        if grown > max_nodes:
            raise YAMLBudgetError(
                f"the document expands to more than {max_nodes:,} nodes through its aliases "
                f"(line {mark.line + 1}): refused"
            )


def _check_key(parent: _Open, event: yaml.ScalarEvent) -> None:
    if event.value == "<<" and event.implicit[0]:
        return  # a merge key
    kind = event.tag or ("plain" if event.implicit[0] else "str")
    ident = (kind, event.value)
    assert parent.keys is not None
    if ident in parent.keys:
        name = event.value
        problem = f"duplicate key {name!r}" if len(name) <= 40 else "a key appears twice"
        mark: Any = event.start_mark
        raise DuplicateKeyError(None, None, f"found {problem} (keys must be unique)", mark)
    parent.keys.add(ident)
