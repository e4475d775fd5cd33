"""Replace known sensitive strings inside messages, fast enough for a finding per record.

A regular expression alternating thousands of ids is slow (every branch is tried at every
position). Instead each string is indexed by its first word: scanning a message costs one
dictionary look-up per word, plus one slice comparison per (offset, length) class of the
strings that start with that word. Strings are matched as whole words (``A-131`` is found in
``(A-131 on 2026-03-16)`` and ``'A-131'``, not in ``A-1310``).
Redaction errs on the side of hiding: an id that is also an ordinary word or number of a
message (an encounter id ``2``) is replaced there too.
"""

from __future__ import annotations

import re
from collections.abc import Mapping

_WORD = re.compile(r"\w+")


def _glued(text: str, end: int) -> bool:
    """Whether a match ending at ``end`` runs on into a word (``A-10`` inside ``A-100``)."""
    return 0 < end < len(text) and _is_word(text[end - 1]) and _is_word(text[end])


def _is_word(char: str) -> bool:
    return char.isalnum() or char == "_"  # what ``\w`` matches


class Scrubber:
    """Replaces every occurrence of the mapping's keys by their values (results are cached:
    most messages repeat from encounter to encounter)."""

    def __init__(self, replacements: Mapping[str, str]) -> None:
        self._map = dict(replacements)
        self._index: dict[str, dict[tuple[int, int], set[str]]] = {}
        self._odd: list[str] = []
        for value in self._map:
            if not value:
                continue
            word = _WORD.search(value)
            if word is None:
                self._odd.append(value)
                continue
            by_shape = self._index.setdefault(word.group(), {})
            by_shape.setdefault((word.start(), len(value)), set()).add(value)
        self._odd.sort(key=len, reverse=True)
        self._done: dict[str, str] = {}

    def __call__(self, text: str) -> str:
        """``text`` with every known string replaced (longest match wins on overlap)."""
        done = self._done.get(text)
        if done is None:
            done = self._done[text] = self._scrub(text)
        return done

    def _scrub(self, text: str) -> str:
        spans: list[tuple[int, int]] = []
        for word in _WORD.finditer(text):
            shapes = self._index.get(word.group())
            if not shapes:
                continue
            for (offset, length), values in shapes.items():
                start = word.start() - offset
                end = start + length
                if start >= 0 and text[start:end] in values and not _glued(text, end):
                    spans.append((start, end))
        for value in self._odd:
            start = text.find(value)
            while start >= 0:
                spans.append((start, start + len(value)))
                start = text.find(value, start + 1)
        if not spans:
            return text
        spans.sort(key=lambda s: (s[0], -s[1]))
        out: list[str] = []
        pos = 0
        for start, end in spans:
            if start < pos:
                continue  # overlaps a longer match already replaced
            out.append(text[pos:start])
            out.append(self._map[text[start:end]])
            pos = end
        out.append(text[pos:])
        return "".join(out)
