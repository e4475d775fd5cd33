"""Writing reports: atomic files (temp file + rename) with safe modes, colour only on a
terminal, and the format a report file's name asks for."""

from __future__ import annotations

import contextlib
import os
import stat
import sys
import tempfile
from collections.abc import Iterator
from pathlib import Path
from typing import TextIO

#: Owner read/write only: a new report or claim file holds protected health information.
PRIVATE_MODE = 0o600

#: ``-o FILE`` without ``-f``: the format a file name's ending asks for (longest first).
FORMAT_BY_SUFFIX: tuple[tuple[str, str], ...] = (
    (".sarif.json", "sarif"),
    (".junit.xml", "junit"),
    (".sarif", "sarif"),
    (".json", "json"),
    (".jsonl", "jsonl"),
    (".ndjson", "jsonl"),
    (".xml", "junit"),
    (".csv", "csv"),
    (".html", "html"),
    (".htm", "html"),
    (".txt", "text"),
    (".log", "text"),
)


def format_for(path: str) -> str | None:
    """The report format a file name implies (``out.json`` → ``json``), or None."""
    name = path.lower()
    return next((fmt for suffix, fmt in FORMAT_BY_SUFFIX if name.endswith(suffix)), None)


def _umask() -> int:
    current = os.umask(0o077)
    os.umask(current)
    return current


def new_file_mode(private: bool) -> int:
    """The mode of a file that does not exist yet: 0600, or 0666 less the umask when the
    content is safe to share (a redacted report)."""
    return PRIVATE_MODE if private else 0o666 & ~_umask()


@contextlib.contextmanager
def atomic_text(path: str | Path, *, private: bool = True) -> Iterator[TextIO]:
    """Open ``path`` for writing so that readers see the old file or the whole new one.

    The text goes to a temporary file beside the target, renamed over it on success; on any
    error or interruption (Ctrl-C, SIGTERM turned into an exception) the temporary file is
    removed and the target is left untouched. A target that exists and is not a regular file
    (``/dev/null``, a pipe) is written directly; a link is followed.

    Modes: a file that is replaced keeps its mode; a new file is 0600 (``private``, the
    default: claim data) or follows the umask (``private=False``: redacted output).
    """
    target = Path(path)
    if target.exists() and not target.is_file():
        # a device or pipe (-o /dev/null, -o /dev/stdout): written as is, never replaced
        with target.open("w", encoding="utf-8", newline="\n") as stream:
            yield stream
        return
    if target.is_symlink():
        target = target.resolve()  # replace the file the link names, not the link
    try:
        mode = stat.S_IMODE(target.stat().st_mode)
    except FileNotFoundError:
        mode = new_file_mode(private)
    directory = target.parent
    fd, tmp = tempfile.mkstemp(prefix=f".{target.name}.", suffix=".tmp", dir=directory)
    try:
        os.fchmod(fd, mode)
        with os.fdopen(fd, "w", encoding="utf-8", newline="\n") as handle:
            yield handle
            handle.flush()
            os.fsync(handle.fileno())
        Path(tmp).replace(target)
    except BaseException:
        with contextlib.suppress(FileNotFoundError):
            Path(tmp).unlink()
        raise


def use_color(mode: str, stream: TextIO | None = None) -> bool:
    """``always``/``never``, or ``auto``: a TTY and ``NO_COLOR`` unset or empty (the
    no-color.org convention: only a non-empty value disables colour)."""
    if mode == "always":
        return True
    if mode == "never":
        return False
    stream = stream or sys.stdout
    return bool(getattr(stream, "isatty", lambda: False)()) and not os.environ.get("NO_COLOR")
