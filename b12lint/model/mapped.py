"""Collections rewritten lazily: a view that applies a function to each item as it is read."""

from __future__ import annotations

from collections.abc import Callable, Collection, Iterator
from typing import Generic, TypeVar

T = TypeVar("T")


class Mapped(Collection[T], Generic[T]):
    """``rewrite`` applied to every item of ``source`` each time the view is iterated (a
    redacted copy of findings or encounters streamed from disk, without holding them in
    memory); the order is the source's."""

    def __init__(self, source: Collection[T], rewrite: Callable[[T], T]) -> None:
        self._source = source
        self._rewrite = rewrite
        self.area: object = getattr(source, "area", None)

    def __iter__(self) -> Iterator[T]:
        return map(self._rewrite, self._source)

    def __len__(self) -> int:
        return len(self._source)

    def __contains__(self, item: object) -> bool:
        return any(x == item for x in self)


def mapped(source: Collection[T], rewrite: Callable[[T], T]) -> Collection[T]:
    """A list rewritten now, or items streamed from disk rewritten as they are read."""
    if isinstance(source, list):
        return [rewrite(x) for x in source]
    return Mapped(source, rewrite)
