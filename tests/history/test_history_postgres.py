"""PostgreSQL specifics: URLs and passwords, connection problems, a missing driver."""

from __future__ import annotations

import builtins
import sys
from typing import Any

import pytest

from b12lint.history import HistoryError, open_store
from b12lint.history.postgres import redact


@pytest.mark.parametrize(
    ("url", "shown"),
    [
        ("postgresql://coder:s3cret@db.example:5432/b12", "postgresql://coder@db.example:5432/b12"),
        ("postgresql://coder@db/b12", "postgresql://coder@db/b12"),
        (
            "postgres://db/b12?password=s3cret&sslmode=require",
            "postgres://db/b12?password=***&sslmode=require",
        ),
        (
            "postgresql://u:p%40ss@h/d?options=-csearch_path%3Dx",
            "postgresql://u@h/d?options=-csearch_path%3Dx",
        ),
    ],
)
def test_redact_never_shows_a_password(url: str, shown: str) -> None:
    assert redact(url) == shown
    assert "s3cret" not in redact(url)


def test_unreachable_server_is_a_clear_error_without_the_password() -> None:
    pytest.importorskip("psycopg")
    with pytest.raises(HistoryError) as info:
        open_store("postgresql://coder:s3cret@127.0.0.1:1/b12", create=True)
    message = str(info.value)
    assert message.startswith("postgresql://coder@127.0.0.1:1/b12: cannot connect")
    assert "s3cret" not in message


def test_a_wrong_password_is_refused_without_echoing_it(pg_url: str) -> None:
    user, rest = pg_url.split("://", 1)[1].split(":", 1)
    bad = pg_url.replace(f"{user}:{rest.split('@', 1)[0]}@", f"{user}:WrongPassw0rd@")
    with pytest.raises(HistoryError, match="password authentication failed") as info:
        open_store(bad, create=True)
    assert "WrongPassw0rd" not in str(info.value)


def test_malformed_urls_and_schemes(monkeypatch: pytest.MonkeyPatch) -> None:
    pytest.importorskip("psycopg")
    with pytest.raises(HistoryError, match="cannot connect"):
        open_store("postgresql://h:notaport/db", create=True)
    with pytest.raises(HistoryError, match="unsupported history URL scheme 'mysql'"):
        open_store("mysql://h/db", create=True)
    with pytest.raises(HistoryError, match="empty history target"):
        open_store("  ", create=True)


def test_without_psycopg_the_extra_is_named(monkeypatch: pytest.MonkeyPatch) -> None:
    real_import = builtins.__import__

    def no_psycopg(name: str, *args: Any, **kwargs: Any) -> Any:
        if name == "psycopg" or name.startswith("psycopg."):
            raise ImportError(name)
        return real_import(name, *args, **kwargs)

    monkeypatch.setattr(builtins, "__import__", no_psycopg)
    for name in [m for m in sys.modules if m == "psycopg" or m.startswith("psycopg.")]:
        monkeypatch.delitem(sys.modules, name)
    with pytest.raises(HistoryError, match=r"pip install 'b12lint\[postgres\]'"):
        open_store("postgresql://db/b12", create=True)


def test_other_tables_in_the_database_are_left_alone(pg_url: str) -> None:
    import psycopg

    with psycopg.connect(pg_url, autocommit=True) as conn:
        conn.execute("CREATE TABLE invoices (id integer)")
        conn.execute("INSERT INTO invoices VALUES (1)")
    open_store(pg_url, create=True).close()
    with psycopg.connect(pg_url, autocommit=True) as conn:
        assert conn.execute("SELECT count(*) FROM invoices").fetchone() == (1,)
        tables = {
            r[0]
            for r in conn.execute(
                "SELECT table_name FROM information_schema.tables "
                "WHERE table_schema = current_schema()"
            )
        }
    assert tables == {
        "invoices",
        "b12lint_events",
        "b12lint_meta",
        "b12lint_remit_outcomes",
        "b12lint_schema_version",
    }
