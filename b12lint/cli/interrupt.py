"""Stopping cleanly: Ctrl-C and SIGTERM, broken pipes, and errors nobody expected.

SIGTERM is turned into an exception (:class:`Terminated`, a ``KeyboardInterrupt``) raised
where the program is, exactly like Ctrl-C: ``finally`` blocks and the atomic writers of
:mod:`b12lint.cli.output` run, so an interrupted run never leaves a half-written report or
a temporary file behind, and a history transaction is rolled back.
"""

from __future__ import annotations

import os
import signal
import sys
from pathlib import Path
from types import FrameType
from typing import NoReturn

import click

EXIT_INTERRUPTED = 130  # 128 + SIGINT, as shells report it
EXIT_TERMINATED = 143  # 128 + SIGTERM
EXIT_INTERNAL = 2
DEBUG_VARIABLE = "B12LINT_DEBUG"


class Terminated(KeyboardInterrupt):
    """The process received SIGTERM."""


def _raise_terminated(signum: int, frame: FrameType | None) -> None:
    raise Terminated


def install() -> None:
    """Turn SIGTERM into :class:`Terminated` (Ctrl-C already raises ``KeyboardInterrupt``)."""
    signal.signal(signal.SIGTERM, _raise_terminated)


def interrupted(exc: BaseException) -> NoReturn:
    """Exit 130 after Ctrl-C, 143 after SIGTERM, with a one-line message."""
    cause = exc if isinstance(exc, KeyboardInterrupt) else exc.__cause__
    if isinstance(cause, Terminated):
        click.echo("b12lint: terminated: no report was written", err=True)
        sys.exit(EXIT_TERMINATED)
    click.echo("b12lint: interrupted: no report was written", err=True)
    sys.exit(EXIT_INTERRUPTED)


def internal_error(exc: BaseException) -> NoReturn:
    """Exit 2 naming the exception type and where it was raised, never its message.

    An exception's message may quote claim data (a key, a value: PHI), so only its type and
    place are printed; ``B12LINT_DEBUG=1`` prints the whole traceback for a bug report.
    """
    import traceback  # only here: it imports textwrap and linecache, which a run never needs

    if os.environ.get(DEBUG_VARIABLE):
        traceback.print_exception(exc)
    frames = traceback.extract_tb(exc.__traceback__)
    ours = [f for f in frames if "b12lint" in f.filename] or frames
    where = f" at {_short(ours[-1].filename)}:{ours[-1].lineno}" if ours else ""
    click.echo(
        f"b12lint: internal error: {type(exc).__name__}{where}; please report it "
        f"(set {DEBUG_VARIABLE}=1 for the traceback)",
        err=True,
    )
    sys.exit(EXIT_INTERNAL)


def _short(filename: str) -> str:
    index = filename.rfind("b12lint")
    return filename[index:] if index >= 0 else Path(filename).name


__all__ = [
    "EXIT_INTERRUPTED",
    "EXIT_TERMINATED",
    "Terminated",
    "install",
    "internal_error",
    "interrupted",
]
