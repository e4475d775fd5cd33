"""Findings rewritten lazily: a view that applies a function to each finding as it is read."""

from __future__ import annotations

from collections.abc import Callable, Collection, Iterator

from b12lint.model.finding import Finding


class MappedFindings(Collection[Finding]):
    """``rewrite`` applied to every finding of ``source`` each time the view is iterated (a
    redacted copy of findings streamed from disk, without holding them in memory)."""

    def __init__(self, source: Collection[Finding], rewrite: Callable[[Finding], Finding]) -> None:
        self._source = source
        self._rewrite = rewrite
        self.area: object = getattr(source, "area", None)

    def __iter__(self) -> Iterator[Finding]:
        return map(self._rewrite, self._source)

    def __len__(self) -> int:
        return len(self._source)

    def __contains__(self, item: object) -> bool:
        return any(f == item for f in self)
