"""Regular expressions of rule files, matched by RE2: time linear in the text, whatever the
pattern.

Rule packs come from other teams. Python's ``re`` backtracks: ``(a+)+$`` takes exponential
time on a line of ``a``, and even a bounded input does not help (``(a+)+$`` on 2,048
characters never ends; ``a*a*a*a*b`` is polynomial of degree four). RE2 (Google's engine,
the ``google-re2`` bindings) runs in time linear in the text and memory bounded by
:data:`MAX_PROGRAM_BYTES`; it refuses at load time what it cannot do that way
(backreferences, lookaround), so such a pattern is a rule-file error, never a slow run.

Syntax is RE2's (https://github.com/google/re2/wiki/Syntax): Python's but for those features;
``\\d``, ``\\w`` and ``\\b`` are ASCII-only (use ``\\pL`` or ``[[:alpha:]]`` classes for more).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import re2  # type: ignore[import-untyped]

#: Memory RE2 may use for one compiled pattern (its default): a pattern that needs more
#: (``(a{1000}){1000}``) is refused when the rule loads.
MAX_PROGRAM_BYTES = 8 << 20
#: Answers remembered per pattern, for texts of at most MEMO_TEXT characters.
MEMO_SIZE, MEMO_TEXT = 1024, 64

try:
    _UNANCHORED: Any = re2._re2.RE2.Anchor.UNANCHORED
except AttributeError:  # pragma: no cover - another google-re2 layout
    _UNANCHORED = None

_OPTIONS = re2.Options()
_OPTIONS.log_errors = False  # errors are raised (and reported with the rule), not logged
_OPTIONS.max_mem = MAX_PROGRAM_BYTES


class RegexError(ValueError):
    """A pattern RE2 cannot compile (bad syntax, or a feature that is not linear-time)."""


def compile_regex(pattern: str) -> Callable[[str], bool]:
    """A predicate: does ``pattern`` match somewhere in a text (``re.search`` semantics)?"""
    try:
        compiled = re2.compile(pattern, _OPTIONS)
    except re2.error as exc:
        detail = exc.args[0] if exc.args else exc
        if isinstance(detail, bytes):
            detail = detail.decode("utf-8", "replace")
        raise RegexError(
            f"{detail} (rule patterns use RE2 syntax: no backreferences or lookaround)"
        ) from None
    low = getattr(compiled, "_regexp", None)
    if low is None or _UNANCHORED is None:  # another google-re2 layout: the public API
        search = compiled.search
        return lambda text: search(text) is not None
    # The compiled RE2 object itself: the wrapper's search builds a match object and maps
    # offsets back to characters (about 2-5 us a call; this is under 1 us).
    match = low.Match
    # Rules match codes and modifiers, which repeat across a batch: a short text's answer is
    # kept (at most MEMO_SIZE of them a pattern, each at most MEMO_TEXT characters).
    memo: dict[str, bool] = {}

    def matches(text: str) -> bool:
        found = memo.get(text)
        if found is not None:
            return found
        data = text.encode("utf-8", "surrogatepass")
        found = bool(match(_UNANCHORED, data, 0, len(data))[0][0] != -1)
        if len(text) <= MEMO_TEXT:
            if len(memo) >= MEMO_SIZE:
                memo.clear()
            memo[text] = found
        return found

    return matches


__all__ = ["MAX_PROGRAM_BYTES", "RegexError", "compile_regex"]
