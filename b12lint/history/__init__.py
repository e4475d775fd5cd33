"""Patient history across batches: a store of past B12 events (SQLite or PostgreSQL).

I/O lives here, outside the engine: the engine only accepts earlier events as context. The
store keeps a keyed hash of the patient id, never the id itself (see :mod:`.keys`).
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from b12lint.history.errors import HistoryError, NoHistoryError

if TYPE_CHECKING:
    from b12lint.history.store import Stats, Store, StoredEvent
    from b12lint.history.target import open_store

__all__ = ["HistoryError", "NoHistoryError", "Stats", "Store", "StoredEvent", "open_store"]


def __getattr__(name: str) -> Any:
    """The stores are imported on first use (a check without a history needs none)."""
    if name in {"Stats", "Store", "StoredEvent"}:
        from b12lint.history import store

        return getattr(store, name)
    if name == "open_store":
        from b12lint.history.target import open_store

        return open_store
    raise AttributeError(name)
