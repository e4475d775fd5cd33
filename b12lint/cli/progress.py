"""A progress line on stderr for long runs: records, rate, and an ETA where it can be known.

Shown only when stderr is a terminal and not in CI (``CI``/``GITHUB_ACTIONS`` set, or
``TERM=dumb``): pipes and CI logs never see it. The ETA comes from the input files' sizes and
each file's line count (counted when the file is reached, only while the bar is shown); for
stdin only the count and rate are shown.
"""

from __future__ import annotations

import os
import time
from collections.abc import Iterable, Iterator, Mapping, Sequence
from pathlib import Path
from typing import TextIO

from b12lint.readers import Item

REDRAW_SECONDS = 0.1
_WIDTH = 24


def wanted(stream: TextIO, env: Mapping[str, str] | None = None) -> bool:
    """Whether to draw: a terminal, outside CI."""
    env = os.environ if env is None else env
    if env.get("CI") or env.get("GITHUB_ACTIONS") or env.get("TERM") == "dumb":
        return False
    return bool(getattr(stream, "isatty", lambda: False)())


def _count_lines(path: Path) -> int:
    count = 0
    last = b"\n"
    with path.open("rb") as handle:
        while chunk := handle.read(1 << 20):
            count += chunk.count(b"\n")
            last = chunk[-1:]
    return count + (last != b"\n")


def _clock(seconds: float) -> str:
    minutes, secs = divmod(int(seconds + 0.5), 60)
    hours, minutes = divmod(minutes, 60)
    return f"{hours}:{minutes:02d}:{secs:02d}" if hours else f"{minutes}:{secs:02d}"


class Progress:
    """Counts items passing through :meth:`watch` and redraws the line at most 10 times/s."""

    def __init__(self, stream: TextIO, files: Sequence[tuple[str, Path | None]]) -> None:
        self.stream = stream
        self.count = 0
        self._files = {name: path for name, path in files}
        sizes = {name: (p.stat().st_size if p is not None else 0) for name, p in files}
        self._sizes = sizes
        self._total = sum(sizes.values()) if all(p is not None for _, p in files) else 0
        self._done = 0  # bytes of the files already finished
        self._file: str | None = None
        self._lines = 0
        self._line = 0
        self._start = time.perf_counter()
        self._drawn = 0.0

    def _enter(self, name: str) -> None:
        if self._file is not None:
            self._done += self._sizes.get(self._file, 0)
        self._file = name
        path = self._files.get(name)
        try:
            self._lines = _count_lines(path) if path is not None else 0
        except OSError:
            self._lines = 0

    def fraction(self) -> float | None:
        """How much of the input has been read, when the sizes are known."""
        if not self._total or self._file is None:
            return None
        within = min(1.0, self._line / self._lines) if self._lines else 1.0
        return min(1.0, (self._done + within * self._sizes.get(self._file, 0)) / self._total)

    def line(self, now: float) -> str:
        """The text of the progress line."""
        elapsed = max(now - self._start, 1e-9)
        rate = self.count / elapsed
        text = f"{self.count:,} record{'' if self.count == 1 else 's'}  {rate:,.0f}/s"
        frac = self.fraction()
        if frac is not None:
            filled = int(frac * _WIDTH)
            bar = "#" * filled + "." * (_WIDTH - filled)
            eta = _clock(elapsed * (1 - frac) / frac) if frac > 0 else "?"
            text = f"[{bar}] {frac:4.0%}  {text}  ETA {eta}"
        return text

    def advance(self, count: int, file: str, line: int | None) -> None:
        """Count ``count`` records read elsewhere (a ``--jobs`` worker), up to ``line`` of
        ``file`` (None: the whole file), and redraw."""
        self.count += count
        if file != self._file:
            self._enter(file)
        self._line = self._lines if line is None else line
        now = time.perf_counter()
        self._drawn = now
        self.stream.write("\r" + self.line(now) + "\x1b[K")
        self.stream.flush()

    def clear(self) -> None:
        """Erase the line."""
        self.stream.write("\r\x1b[K")
        self.stream.flush()

    def watch(self, items: Iterable[Item]) -> Iterator[Item]:
        """Pass items through, counting them and redrawing now and then."""
        try:
            for item in items:
                self.count += 1
                source = item.source
                if source.file != self._file:
                    self._enter(source.file)
                self._line = source.line or self._line
                now = time.perf_counter()
                if now - self._drawn >= REDRAW_SECONDS:
                    self._drawn = now
                    self.stream.write("\r" + self.line(now) + "\x1b[K")
                    self.stream.flush()
                yield item
        finally:
            self.stream.write("\r\x1b[K")
            self.stream.flush()
