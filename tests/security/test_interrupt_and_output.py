"""Reports are never half-written: Ctrl-C exits 130 and SIGTERM 143 with one line, the old
report stays, no temporary file is left; unexpected errors print no traceback (nor claim
data); a closed pipe is quiet.
"""

from __future__ import annotations

import importlib
import json
import os
import signal
import stat
import subprocess
import sys
import threading
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from b12_records import clean_record

from b12lint.cli import main
from b12lint.cli.output import atomic_text

OLD_REPORT = '{"an": "old report"}\n'

#: A clean B12 encounter (the FORMATS.md example): what every run here checks.
RECORD: dict[str, Any] = clean_record()


def start_check(tmp_path: Path, *extra: str) -> subprocess.Popen[bytes]:
    """b12lint reading stdin that never ends (one record, then nothing): it waits on input."""
    env = {k: v for k, v in os.environ.items() if not k.startswith("B12LINT_")}
    proc = subprocess.Popen(
        [sys.executable, "-m", "b12lint", "check", "-", *extra],
        cwd=tmp_path,
        env=env,
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
    )
    assert proc.stdin is not None
    proc.stdin.write(json.dumps(RECORD).encode() + b"\n")
    proc.stdin.flush()
    return proc


def wait_until_reading(proc: subprocess.Popen[bytes], seconds: float = 30) -> None:
    """Until the child blocks reading its stdin (all imports done, the rules loaded)."""
    proc_dir = Path(f"/proc/{proc.pid}")
    if not proc_dir.exists():
        time.sleep(3)  # no /proc: give it the time imports take
        return
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        time.sleep(0.1)
        try:
            wchan = (proc_dir / "wchan").read_text()
            syscall = (proc_dir / "syscall").read_text()
        except OSError:
            continue
        if "pipe" in wchan or syscall.startswith("0 0x0 "):  # read(0, ...) on x86-64
            time.sleep(0.2)
            return
    pytest.fail("b12lint never got to reading its input")


@pytest.mark.parametrize(
    ("sig", "code", "word"),
    [(signal.SIGINT, 130, "interrupted"), (signal.SIGTERM, 143, "terminated")],
    ids=["ctrl-c", "sigterm"],
)
def test_an_interrupted_run_leaves_the_old_reports_and_no_temporary_file(
    tmp_path: Path, sig: int, code: int, word: str
) -> None:
    for name in ("report.json", "report.sarif"):
        (tmp_path / name).write_text(OLD_REPORT)
    proc = start_check(
        tmp_path,
        "-f",
        "json",
        "-o",
        "report.json",
        "-f",
        "sarif",
        "-o",
        "report.sarif",
        "--no-redact-shared",
    )
    wait_until_reading(proc)
    proc.send_signal(sig)
    _, err = proc.communicate(timeout=30)
    stderr = err.decode()
    assert proc.returncode == code, stderr
    assert stderr.strip() == f"b12lint: {word}: no report was written", stderr
    assert sorted(p.name for p in tmp_path.iterdir()) == ["report.json", "report.sarif"]
    assert (tmp_path / "report.json").read_text() == OLD_REPORT
    assert (tmp_path / "report.sarif").read_text() == OLD_REPORT


def test_an_interrupt_while_writing_removes_the_temporary_file(tmp_path: Path) -> None:
    target = tmp_path / "report.json"
    target.write_text(OLD_REPORT)
    with pytest.raises(KeyboardInterrupt), atomic_text(target) as handle:
        handle.write('{"half": ')
        raise KeyboardInterrupt
    assert target.read_text() == OLD_REPORT
    assert [p.name for p in tmp_path.iterdir()] == ["report.json"]


def test_a_finished_write_replaces_the_file_whole(tmp_path: Path) -> None:
    target = tmp_path / "report.json"
    target.write_text(OLD_REPORT)
    with atomic_text(target) as handle:
        handle.write("new\n")
        assert target.read_text() == OLD_REPORT  # readers still see the old one
    assert target.read_text() == "new\n"
    assert [p.name for p in tmp_path.iterdir()] == ["report.json"]


def test_a_pipe_or_device_is_written_not_replaced(tmp_path: Path) -> None:
    """``-o /dev/null`` or a named pipe: written in place (a rename would replace the device
    with a regular file; as root, for every process of the machine). A pipe stands in for
    the device here: the test never touches a system path."""
    fifo = tmp_path / "reader"
    os.mkfifo(fifo)
    received: list[bytes] = []
    reader = threading.Thread(target=lambda: received.append(fifo.read_bytes()))
    reader.start()
    with atomic_text(fifo) as handle:
        handle.write("streamed\n")
    reader.join(timeout=10)
    assert received == [b"streamed\n"]
    assert stat.S_ISFIFO(fifo.stat().st_mode)
    assert sorted(p.name for p in tmp_path.iterdir()) == ["reader"]


def test_a_link_is_followed_not_replaced(tmp_path: Path) -> None:
    real = tmp_path / "real.json"
    real.write_text(OLD_REPORT)
    link = tmp_path / "link.json"
    link.symlink_to(real)
    with atomic_text(link) as handle:
        handle.write("new\n")
    assert link.is_symlink() and real.read_text() == "new\n"


def test_every_report_file_is_written_atomically(
    tmp_path: Path, b12lint_process: Callable[..., Any]
) -> None:
    """check --output, --write-baseline and history export all go through atomic_text."""
    batch = tmp_path / "batch.jsonl"
    batch.write_text(json.dumps(RECORD) + "\n")
    done = b12lint_process(
        "check",
        str(batch),
        "-f",
        "json",
        "-o",
        "r.json",
        "--write-baseline",
        "base.json",
        "--history",
        "h.db",
        cwd=tmp_path,
    )
    assert done.returncode == 0, done.stderr.decode()
    done = b12lint_process(
        "history", "export", "--history", "h.db", "-o", "events.jsonl", cwd=tmp_path
    )
    assert done.returncode == 0, done.stderr.decode()
    leftovers = [p.name for p in tmp_path.iterdir() if p.name.endswith(".tmp")]
    assert leftovers == []
    source = Path(__file__).resolve().parents[2] / "b12lint"
    writers = [
        p.relative_to(source).as_posix()
        for p in source.rglob("*.py")
        if "atomic_text(" in p.read_text() and p.name != "output.py"
    ]
    assert sorted(writers) == [
        "cli/audit.py",
        "cli/check.py",
        "cli/fix.py",
        "cli/history.py",
        "cli/remit.py",
    ]
    for path in source.rglob("*.py"):
        text = path.read_text()
        assert ".write_text(" not in text and ".write_bytes(" not in text, path


def test_an_unexpected_error_prints_its_type_not_its_message(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    def explode(*args: object, **kwargs: object) -> None:
        raise KeyError("Zebulon Quixotic-Marmaduke")  # claim data in an exception message

    monkeypatch.setattr(importlib.import_module("b12lint.cli.check"), "build_report", explode)
    batch = tmp_path / "batch.jsonl"
    batch.write_text(json.dumps(RECORD) + "\n")
    monkeypatch.setattr(sys, "argv", ["b12lint", "check", str(batch)])
    monkeypatch.delenv("B12LINT_DEBUG", raising=False)
    with pytest.raises(SystemExit) as exit_info:
        main()
    assert exit_info.value.code == 2
    err = capsys.readouterr().err
    assert err.startswith("b12lint: internal error: KeyError at ") and "please report" in err
    assert "Zebulon" not in err and "Traceback" not in err


def test_a_closed_pipe_is_quiet(tmp_path: Path) -> None:
    batch = tmp_path / "batch.jsonl"
    records = [dict(RECORD, encounter_id=f"E-{n}") for n in range(300)]
    for record in records:
        record["lines"] = [dict(record["lines"][0], units=2), record["lines"][1]]
    batch.write_text("".join(json.dumps(r) + "\n" for r in records))
    proc = subprocess.Popen(
        [sys.executable, "-m", "b12lint", "check", str(batch)],
        cwd=tmp_path,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
    )
    assert proc.stdout is not None and proc.stderr is not None
    proc.stdout.readline()
    proc.stdout.close()  # like `| head -1`
    stderr = proc.stderr.read().decode()
    proc.wait(timeout=60)
    assert "Traceback" not in stderr and "BrokenPipe" not in stderr, stderr
