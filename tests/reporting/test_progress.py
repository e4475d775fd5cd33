"""The progress line: on a terminal only, never in pipes or CI; counts, rate, ETA."""

from __future__ import annotations

import io
import os
import pty
import re
import subprocess
import sys
from pathlib import Path

from report_batch import Check

from b12lint.cli.progress import Progress, wanted
from b12lint.model import InputError, Source


class FakeTTY(io.StringIO):
    def isatty(self) -> bool:
        return True


def test_wanted_only_on_a_terminal_outside_ci() -> None:
    assert wanted(FakeTTY(), env={})
    assert not wanted(io.StringIO(), env={})
    assert not wanted(FakeTTY(), env={"CI": "true"})
    assert not wanted(FakeTTY(), env={"GITHUB_ACTIONS": "true"})
    assert not wanted(FakeTTY(), env={"TERM": "dumb"})


def test_counts_rate_and_eta(tmp_path: Path) -> None:
    a, b = tmp_path / "a.jsonl", tmp_path / "b.jsonl"
    a.write_text("x\n" * 10)
    b.write_text("y\n" * 30)
    stream = FakeTTY()
    progress = Progress(stream, [("a", a), ("b", b)])
    items = [InputError(Source("a", n), "m") for n in range(1, 11)]
    items += [InputError(Source("b", n), "m") for n in range(1, 16)]
    passed = list(progress.watch(items))
    assert passed == items  # a pass-through
    assert progress.count == 25
    assert progress.fraction() == (20 + 0.5 * 60) / 80  # a done, half of b
    line = progress.line(now=progress._start + 5.0)
    assert "25 records  5/s" in line
    assert "62%" in line and "ETA 0:03" in line
    out = stream.getvalue()
    assert out.startswith("\r[") and out.endswith("\r\x1b[K")  # drawn, then cleared


def test_stdin_has_no_eta() -> None:
    progress = Progress(FakeTTY(), [("<stdin>", None)])
    list(progress.watch([InputError(Source("<stdin>", 1), "m")]))
    assert progress.fraction() is None
    assert "ETA" not in progress.line(now=progress._start + 1)


def test_never_in_pipes(check: Check, batch: Path) -> None:
    result = check(str(batch))
    assert "\r" not in result.stderr and "records" not in result.stderr


def test_shown_on_a_terminal(batch: Path, tmp_path: Path) -> None:
    main, secondary = pty.openpty()
    env = {k: v for k, v in os.environ.items() if k not in ("CI", "GITHUB_ACTIONS", "TERM")}
    try:
        proc = subprocess.run(
            [sys.executable, "-m", "b12lint", "check", str(tmp_path / batch)],
            stdout=subprocess.PIPE,
            stderr=secondary,
            env=env,
            timeout=60,
            check=False,
        )
        os.close(secondary)
        seen = b""
        while True:
            try:
                chunk = os.read(main, 4096)
            except OSError:  # the terminal closed: everything was read
                break
            if not chunk:
                break
            seen += chunk
    finally:
        os.close(main)
    assert proc.returncode == 1
    assert seen.startswith(b"\r[") and re.search(rb"\d+ records?  [\d,]+/s  ETA", seen)
    assert seen.endswith(b"\r\x1b[K")
    assert b"records" not in proc.stdout  # the report itself is untouched
