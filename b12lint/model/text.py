"""Record text quoted in a message: one line, no control characters."""

from __future__ import annotations

__all__ = ["printable"]


def printable(text: str) -> str:
    """``text`` with each character that is not printable (line breaks, tabs, terminal escape
    sequences, bidirectional controls, lone surrogates) replaced by ``?``: text quoted from a
    record can neither forge a line of a report nor drive a terminal."""
    if text.isprintable():
        return text
    return "".join(char if char.isprintable() else "?" for char in text)
