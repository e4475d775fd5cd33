"""YAML as data only: the safe loader, alias and depth budgets, unique keys, line numbers.

Used for rule packs, configuration and YAML encounter files. Tags such as ``!!python/object``
are refused by the safe loader (nothing is ever imported or run); an alias bomb is refused by
counting aliases while composing; nesting is bounded (no stack exhaustion); a mapping that
writes a key twice is refused (YAML requires unique keys; PyYAML would keep the last).

Encounter files are read item by item (:func:`iter_items`): one item of a top-level list is
composed, checked and constructed at a time, so memory holds one record, and an item that
cannot be used (an anchor or alias, a refused tag, a duplicate key, too deep, invalid UTF-8)
is reported on its own while the next items still load.
"""

from __future__ import annotations

from bisect import bisect_left
from collections.abc import Container, Iterable, Iterator, Sequence
from dataclasses import dataclass
from typing import Any

import yaml

#: Aliases allowed in one YAML stream (rule files may reuse an example with ``*name``).
DEFAULT_MAX_ALIASES = 100
#: Nesting allowed in a rule or configuration file (node levels, scalars included).
DEFAULT_MAX_DEPTH = 100
#: Nesting never composed, whatever the configured record depth: the composer recurses
#: (about three Python frames a level) and must stay clear of the interpreter's limit.
HARD_MAX_DEPTH = 200
#: Nesting past which an item too deep is not even skipped: the stream is given up.
SKIP_MAX_DEPTH = 500
_SEQ_TAGS = (None, "!", "tag:yaml.org,2002:seq")
_MERGE = "tag:yaml.org,2002:merge"
_OPEN = (yaml.SequenceStartEvent, yaml.MappingStartEvent)
_CLOSE = (yaml.SequenceEndEvent, yaml.MappingEndEvent)


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


@dataclass(frozen=True, slots=True)
class Item:
    """One loaded item: its 1-based line, its value and its text (UTF-8 bytes)."""

    line: int
    value: Any
    raw: bytes


def _check_unique_keys(node: yaml.MappingNode, shown: Container[str] | None) -> None:
    seen: set[tuple[str, str]] = set()
    for key, _ in node.value:
        if not isinstance(key, yaml.ScalarNode) or key.tag == _MERGE:
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


class _BudgetLoader(yaml.SafeLoader):
    max_aliases = DEFAULT_MAX_ALIASES
    max_depth = DEFAULT_MAX_DEPTH
    shown_keys: Container[str] | None = None
    """Keys an error message may name (None: any short key)."""

    def __init__(self, stream: str) -> None:
        super().__init__(stream)
        self.aliases_seen = 0
        self.aliased: set[int] = set()
        self.depth = 0
        self.keys_checked: set[int] = set()

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


def _loader(text: str, max_aliases: int) -> _BudgetLoader:
    loader = _BudgetLoader(text)
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
    loader = _loader(text, max_aliases)
    try:
        node = loader.get_single_node()
        if node is None:
            return None
        if loader.aliases_seen:
            expanded_size(node)
        return loader.construct_document(node)
    finally:
        loader.dispose()


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
        if isinstance(event, _CLOSE):
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


#: Kept for callers that budget record aliases: records allow none at all.
RECORD_ALIAS_BUDGET = 0


class _RecordLoader(_BudgetLoader):
    """Composes records: an anchor or alias marks its item unusable (never resolved)."""

    def __init__(self, stream: str) -> None:
        super().__init__(stream)
        self.item_uses_alias = False

    def compose_node(self, parent: Any, index: Any) -> Any:
        event = self.peek_event()  # type: ignore[no-untyped-call]
        if isinstance(event, yaml.AliasEvent):
            self.get_event()  # type: ignore[no-untyped-call]
            self.item_uses_alias = True
            mark = event.start_mark
            return yaml.ScalarNode("tag:yaml.org,2002:null", "", mark, mark)  # type: ignore[arg-type]
        if event.anchor is not None:
            self.item_uses_alias = True
            event.anchor = None  # never registered: a later alias cannot reach it
        return super().compose_node(parent, index)

    def skip_rest(self, open_collections: int) -> None:
        """Consume the events of a node cut short by the depth limit, up to its item's end.

        PyYAML's scanner slows down with the square of flow nesting: past
        :data:`SKIP_MAX_DEPTH` levels the rest of the stream is given up (raised).
        """
        while open_collections > 0:
            event = self.get_event()  # type: ignore[no-untyped-call]
            if isinstance(event, _OPEN):
                open_collections += 1
                if open_collections > SKIP_MAX_DEPTH:
                    raise YAMLDepthError(
                        f"nested deeper than {SKIP_MAX_DEPTH} levels", event.start_mark, 0
                    )
            elif isinstance(event, _CLOSE):
                open_collections -= 1


#: Characters YAML does not allow in a stream (PyYAML refuses the whole stream for one).
NON_PRINTABLE = yaml.reader.Reader.NON_PRINTABLE
_SUBSTITUTE = "\ufffd"


def printable(text: str, why: str) -> tuple[str, list[tuple[int, str]]]:
    """``text`` with each character YAML refuses replaced, and ``(offset, why)`` for each.

    Text decoded with ``surrogateescape`` holds its invalid bytes as such characters: pass
    the offsets to :func:`iter_items` so that only the items holding one are refused.
    """
    bad = [(m.start(), why) for m in NON_PRINTABLE.finditer(text)]
    if not bad:
        return text, bad
    return NON_PRINTABLE.sub(_SUBSTITUTE, text), bad


def iter_items(
    text: str,
    *,
    max_depth: int = 64,
    max_bytes: int | None = None,
    bad: Sequence[tuple[int, str]] = (),
    shown_keys: Container[str] | None = None,
) -> Iterator[Item | ItemError]:
    """Each item of a YAML stream, or an :class:`ItemError` for an item that cannot be used.

    A document that is a list yields each element with its own 1-based line; any other
    document yields itself. ``max_depth`` bounds the nesting of collections in an item,
    ``max_bytes`` its size; ``bad`` holds the sorted ``(offset, reason)`` of characters that
    :func:`printable` replaced: an item spanning one is refused for that reason;
    ``shown_keys`` are the keys a duplicate-key message may name (others may be data). A
    syntax error ends the stream: it is raised (with its mark) after the items before it.
    """
    depth = min(max_depth, HARD_MAX_DEPTH - 1)
    loader = _RecordLoader(text)
    loader.shown_keys = shown_keys
    loader.max_depth = depth + 1  # scalars sit one level below the deepest collection
    limits = _ItemLimits(depth, max_bytes, [offset for offset, _ in bad], bad)
    try:
        loader.get_event()  # type: ignore[no-untyped-call]  # stream start
        while not loader.check_event(yaml.StreamEndEvent):
            loader.get_event()  # type: ignore[no-untyped-call]  # document start
            event = loader.peek_event()  # type: ignore[no-untyped-call]
            if (
                isinstance(event, yaml.SequenceStartEvent)
                and event.tag in _SEQ_TAGS
                and event.anchor is None
            ):
                loader.get_event()  # type: ignore[no-untyped-call]
                while not loader.check_event(yaml.SequenceEndEvent):
                    yield _item(loader, text, limits)
                loader.get_event()  # type: ignore[no-untyped-call]
            else:
                yield _item(loader, text, limits)
            loader.get_event()  # type: ignore[no-untyped-call]  # document end
    finally:
        loader.dispose()


@dataclass(frozen=True, slots=True)
class _ItemLimits:
    max_depth: int
    max_bytes: int | None
    offsets: list[int]
    bad: Sequence[tuple[int, str]]


def _item(loader: _RecordLoader, text: str, limits: _ItemLimits) -> Item | ItemError:
    start = loader.peek_event().start_mark  # type: ignore[no-untyped-call]
    line = start.line + 1
    loader.item_uses_alias = False
    try:
        node = loader.compose_node(None, None)
    except YAMLDepthError as exc:
        try:
            loader.skip_rest(exc.open_collections)
        except YAMLDepthError as deeper:
            deeper.problem_mark = start  # reported at the item, whose line is known
            raise
        return ItemError(line, f"record nests deeper than {limits.max_depth} levels", limit=True)
    finally:
        loader.anchors = {}
    if loader.item_uses_alias:
        return ItemError(line, "YAML anchors and aliases are not allowed in records")
    begin, end = node.start_mark.index, node.end_mark.index
    if limits.offsets:
        first_bad = bisect_left(limits.offsets, begin)
        if first_bad < len(limits.offsets) and limits.offsets[first_bad] < end:
            offset, why = limits.bad[first_bad]
            return ItemError(line, f"{why} (line {text.count(chr(10), 0, offset) + 1})")
    raw = text[begin:end].encode("utf-8")
    if limits.max_bytes is not None and len(raw) > limits.max_bytes:
        return ItemError(
            line, f"record larger than the {limits.max_bytes:,}-byte limit: not read", limit=True
        )
    try:
        value = loader.construct_object(node, deep=True)
    except DuplicateKeyError as exc:
        return ItemError(line, f"not valid YAML ({exc.problem})")
    except yaml.constructor.ConstructorError:
        return ItemError(line, "not valid YAML data (a tag the safe loader refuses)")
    finally:
        loader.constructed_objects.clear()
        loader.recursive_objects.clear()
        loader.keys_checked.clear()
    return Item(line, value, raw)
