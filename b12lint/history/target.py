"""Which store a history TARGET names: a ``postgresql://`` URL, or else a SQLite file path."""

from __future__ import annotations

from pathlib import Path

from b12lint.history.postgres import SCHEMES, PostgresStore
from b12lint.history.sqlite import SqliteStore
from b12lint.history.store import HistoryError, Store


def is_url(target: str) -> bool:
    """Whether ``target`` is a URL rather than a file path."""
    return "://" in target


def sqlite_path(target: str) -> Path | None:
    """The file of a SQLite target (None for a URL)."""
    return None if is_url(target) else Path(target)


def open_store(target: str, *, create: bool) -> Store:
    """Open the history ``target`` names; ``create`` makes a new one where there is none."""
    if not target.strip():
        raise HistoryError("empty history target: give a file path or a postgresql:// URL")
    if target.startswith(SCHEMES):
        return PostgresStore.open(target, create=create)
    if is_url(target):
        scheme = target.split("://", 1)[0]
        raise HistoryError(
            f"unsupported history URL scheme {scheme!r}: use a file path (SQLite) "
            "or a postgresql:// URL"
        )
    return SqliteStore.open(Path(target), create=create)
