"""``--history`` for ``b12lint check``, and ``b12lint history stats|export|prune`` for auditors.

A history TARGET is a SQLite file path or a ``postgresql://`` URL, from ``--history`` or
``history`` in the configuration (``B12LINT_HISTORY``). Problems with it are exit code 2.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import TYPE_CHECKING

import click
import orjson

from b12lint.cli.common import fail, settings
from b12lint.cli.output import atomic_text
from b12lint.config import Config
from b12lint.history import HistoryError, NoHistoryError

if TYPE_CHECKING:  # the stores (SQLite, PostgreSQL) are imported when a history is used
    from b12lint.history import Store
    from b12lint.history.session import HistorySession

TARGET_HELP = "History store: a SQLite file path or a postgresql:// URL [config: history]."


def target_of(config: Config, given: str | None) -> str | None:
    """The history target: the option, else the configuration (relative to its file)."""
    return given if given else config.location("history")


def _note(message: str) -> None:
    click.echo(f"b12lint: note: {message}", err=True)


@contextlib.contextmanager
def history_session(
    config: Config, given: str | None, no_record: bool = False
) -> Iterator[HistorySession | None]:
    """The run's history session (None without a target), closed at the end.

    With ``no_record`` nothing is written, not even a new history or key: where nothing was
    recorded yet, the batch is checked on its own (and the user told).
    """
    target = target_of(config, given)
    if target is None:
        yield None
        return
    from b12lint.history.session import open_session

    key_file = config.location("history-key-file")
    session: HistorySession | None = None
    try:
        session, notes = open_session(
            target, key_file=Path(key_file) if key_file else None, dry_run=no_record
        )
    except NoHistoryError as exc:
        if not no_record:
            fail(f"history: {exc}")
        notes = [f"{exc}: checked without a history (--no-record creates none)"]
    except HistoryError as exc:
        fail(f"history: {exc}")
    for note in notes:
        _note(note)
    try:
        yield session
    finally:
        if session is not None:
            session.close()


def record_history(session: HistorySession | None) -> None:
    """Record the checked batch, after the reports are written (a dry run records nothing)."""
    if session is None:
        return
    try:
        session.record()
    except HistoryError as exc:
        fail(f"history: the reports were written but the batch was not recorded: {exc}")


@contextlib.contextmanager
def _existing(config: Config, given: str | None) -> Iterator[Store]:
    from b12lint.history import open_store

    target = target_of(config, given)
    if target is None:
        fail("no history: give --history TARGET or set history in the configuration")
    try:
        store = open_store(target, create=False)
    except HistoryError as exc:
        fail(f"history: {exc}")
    try:
        yield store
    except HistoryError as exc:
        fail(f"history: {exc}")
    finally:
        store.close()


def _target_option(fn: click.decorators.FC) -> click.decorators.FC:
    fn = click.option(
        "--config",
        "config_path",
        type=click.Path(dir_okay=False),
        metavar="FILE",
        help="Read settings from FILE.",
    )(fn)
    return click.option("--history", "target", metavar="TARGET", help=TARGET_HELP)(fn)


@click.group()
def history() -> None:
    """Inspect the patient history that `b12lint check --history` keeps (hashed patient ids)."""


@history.command()
@_target_option
@click.option(
    "--format", "fmt", type=click.Choice(["text", "json"]), default="text", show_default=True
)
def stats(target: str | None, config_path: str | None, fmt: str) -> None:
    """Counts: events, patients, injections, dates of service by month."""
    with _existing(settings(config_path), target) as store:
        data = store.stats()
    if fmt == "json":
        click.echo(orjson.dumps(data.as_dict(), option=orjson.OPT_INDENT_2).decode())
        return
    span = f"{data.first_date} .. {data.last_date}" if data.first_date and data.last_date else "-"
    click.echo(f"history:      {data.target} ({data.backend}, schema {data.schema_version})")
    click.echo(f"events:       {data.events} ({data.injections} injections)")
    click.echo(f"patients:     {data.patients}")
    click.echo(f"dates:        {span}")
    for month, count in data.by_month.items():
        click.echo(f"  {month}   {count}")


@history.command()
@_target_option
@click.option("--output", "-o", metavar="FILE", help="Write to FILE (atomically), not stdout.")
def export(target: str | None, config_path: str | None, output: str | None) -> None:
    """Every stored event as JSON Lines (patient ids are keyed hashes)."""
    with _existing(settings(config_path), target) as store:
        if output is None or output == "-":
            for event in store.export():
                sys.stdout.write(orjson.dumps(event.as_dict()).decode() + "\n")
            sys.stdout.flush()
            return
        try:
            with atomic_text(output) as handle:
                for event in store.export():
                    handle.write(orjson.dumps(event.as_dict()).decode() + "\n")
        except OSError as exc:
            fail(f"cannot write {output}: {exc.strerror or exc}")


@history.command()
@_target_option
@click.option(
    "--before",
    required=True,
    type=click.DateTime(["%Y-%m-%d"]),
    metavar="DATE",
    help="Delete events with a date of service before DATE (YYYY-MM-DD).",
)
def prune(target: str | None, config_path: str | None, before: dt.datetime) -> None:
    """Delete events dated before DATE (e.g. past the retention period)."""
    day = before.date()
    with _existing(settings(config_path), target) as store:
        removed = store.prune(day)
        where = store.display
    click.echo(
        f"pruned {removed} event{'s' if removed != 1 else ''} dated before {day} from {where}"
    )
