"""Encounter files read item by item: one item of a top-level list is composed, checked and
constructed at a time, so memory holds one record, and an item that cannot be used (an
anchor or alias, a refused tag, a duplicate key, too deep, too large, invalid UTF-8 or a
control character) is reported on its own while the next items still load."""

from __future__ import annotations

from bisect import bisect_left
from collections.abc import Container, Iterator, Sequence
from dataclasses import dataclass
from typing import Any

import yaml

from b12lint.safeyaml.errors import DuplicateKeyError, ItemError, YAMLDepthError
from b12lint.safeyaml.events import CLOSE, OPEN
from b12lint.safeyaml.loader import BudgetLoader

#: Nesting never composed, whatever the configured record depth: the composer recurses
#: (about three Python frames a level) and must stay clear of the interpreter's limit.
HARD_MAX_DEPTH = 200
#: Nesting past which an item too deep is not even skipped: the stream is given up.
SKIP_MAX_DEPTH = 500
_SEQ_TAGS = (None, "!", "tag:yaml.org,2002:seq")


@dataclass(frozen=True, slots=True)
class Item:
    """One loaded item: its 1-based line, its value and its text (UTF-8 bytes)."""

    line: int
    value: Any
    raw: bytes


class _RecordLoader(BudgetLoader):
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
            if isinstance(event, OPEN):
                open_collections += 1
                if open_collections > SKIP_MAX_DEPTH:
                    raise YAMLDepthError(
                        f"nested deeper than {SKIP_MAX_DEPTH} levels", event.start_mark, 0
                    )
            elif isinstance(event, CLOSE):
                open_collections -= 1


#: Characters YAML does not allow in a stream (PyYAML refuses the whole stream for one).
NON_PRINTABLE = yaml.reader.Reader.NON_PRINTABLE
_SUBSTITUTE = "\ufffd"


def mark_unreadable(text: str, why: str) -> tuple[str, list[tuple[int, str]]]:
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
    :func:`mark_unreadable` replaced: an item spanning one is refused for that reason;
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
    except (ValueError, OverflowError):  # an integer of more digits than Python converts
        return ItemError(line, "not valid YAML data (a number too long to read)")
    finally:
        loader.constructed_objects.clear()
        loader.recursive_objects.clear()
        loader.keys_checked.clear()
    return Item(line, value, raw)
