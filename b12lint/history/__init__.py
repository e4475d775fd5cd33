"""Patient history across batches: a store of past B12 events (SQLite or PostgreSQL).

I/O lives here, outside the engine: the engine only accepts earlier events as context. The
store keeps a keyed hash of the patient id, never the id itself (see :mod:`.keys`).
"""

from b12lint.history.store import HistoryError, NoHistoryError, Stats, Store, StoredEvent
from b12lint.history.target import open_store

__all__ = ["HistoryError", "NoHistoryError", "Stats", "Store", "StoredEvent", "open_store"]
