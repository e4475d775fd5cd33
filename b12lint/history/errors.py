"""The history's errors, apart from the stores (a check without ``--history`` imports only
these, not SQLite or PostgreSQL)."""


class HistoryError(Exception):
    """A history store or key that cannot be used (exit code 2); the message names it."""


class NoHistoryError(HistoryError):
    """Nothing has been recorded at the target yet (and it was not to be created)."""
