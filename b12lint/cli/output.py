"""Writing reports: atomic files (temp file + rename) and colour only on a terminal."""

from __future__ import annotations

import contextlib
import os
import sys
import tempfile
from collections.abc import Iterator
from pathlib import Path
from typing import TextIO


@contextlib.contextmanager
def atomic_text(path: str | Path) -> Iterator[TextIO]:
    """Open ``path`` for writing so that readers see the old file or the whole new one.

    The text goes to a temporary file beside the target, renamed over it on success; on any
    error or interruption (Ctrl-C, SIGTERM turned into an exception) the temporary file is
    removed and the target is left untouched. A target that exists and is not a regular file
    (``/dev/null``, a pipe) is written directly; a link is followed.
    """
    target = Path(path)
    if target.exists() and not target.is_file():
        # a device or pipe (-o /dev/null, -o /dev/stdout): written as is, never replaced
        with target.open("w", encoding="utf-8", newline="\n") as stream:
            yield stream
        return
    if target.is_symlink():
        target = target.resolve()  # replace the file the link names, not the link
    directory = target.parent
    fd, tmp = tempfile.mkstemp(prefix=f".{target.name}.", suffix=".tmp", dir=directory)
    try:
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
    """``always``/``never``, or ``auto``: a TTY and ``NO_COLOR`` unset."""
    if mode == "always":
        return True
    if mode == "never":
        return False
    stream = stream or sys.stdout
    return bool(getattr(stream, "isatty", lambda: False)()) and "NO_COLOR" not in os.environ
