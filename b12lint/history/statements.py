"""The SQL both backends run, written once: ``?`` placeholders (SQLite) or ``%s`` (psycopg).

Only this module's constants (table and column names, placeholders) are formatted into the
text; every value is a bound parameter.
"""
# ruff: noqa: S608  (no value is ever formatted into SQL here: see above)

from __future__ import annotations

from dataclasses import dataclass

from b12lint.history.store import COLUMNS, EVENTS, KEY_CHECK, META, VERSIONS

_COLS = ", ".join(COLUMNS)
_ORDER = "ORDER BY patient_hash, date_of_service, encounter_id"


@dataclass(frozen=True)
class Statements:
    """Every statement of one dialect."""

    upsert: str
    delete: str
    fetch: str
    export: str
    prune: str
    counts: str
    months: str
    version: str
    add_version: str
    get_key: str
    put_key: str


def statements(p: str, *, in_list: bool, month: str) -> Statements:
    """Statements with placeholder ``p``.

    ``in_list``: the fetch takes a ``{in}`` list of placeholders (SQLite) rather than one array
    parameter (PostgreSQL ``= ANY``); ``month`` is the expression of a row's ``YYYY-MM``.
    """
    values = ", ".join([p] * (len(COLUMNS) + 1))
    updates = ", ".join(f"{c} = excluded.{c}" for c in (*COLUMNS[1:], "recorded_at"))
    match = "patient_hash IN ({in})" if in_list else f"patient_hash = ANY({p})"
    return Statements(
        upsert=(
            f"INSERT INTO {EVENTS} ({_COLS}, recorded_at) VALUES ({values}) "
            f"ON CONFLICT (encounter_id) DO UPDATE SET {updates}"
        ),
        delete=f"DELETE FROM {EVENTS} WHERE encounter_id = {p}",
        fetch=f"SELECT {_COLS} FROM {EVENTS} WHERE {match} {_ORDER}",
        export=f"SELECT {_COLS} FROM {EVENTS} {_ORDER}",
        prune=f"DELETE FROM {EVENTS} WHERE date_of_service < {p}",
        counts=(
            "SELECT count(*), count(DISTINCT patient_hash), "
            "coalesce(sum(CASE WHEN injection THEN 1 ELSE 0 END), 0), "
            f"min(date_of_service), max(date_of_service) FROM {EVENTS}"
        ),
        months=f"SELECT {month} AS m, count(*) FROM {EVENTS} GROUP BY m ORDER BY m",
        version=f"SELECT coalesce(max(version), 0) FROM {VERSIONS}",
        add_version=(
            f"INSERT INTO {VERSIONS} (version, description, applied_at) VALUES ({p}, {p}, {p})"
        ),
        get_key=f"SELECT value FROM {META} WHERE key = '{KEY_CHECK}'",
        put_key=(
            f"INSERT INTO {META} (key, value) VALUES ('{KEY_CHECK}', {p}) "
            "ON CONFLICT (key) DO NOTHING"
        ),
    )


SQLITE = statements("?", in_list=True, month="substr(date_of_service, 1, 7)")
POSTGRES = statements("%s", in_list=False, month="to_char(date_of_service, 'YYYY-MM')")
