"""Inputs too big to commit, made at test time: 100,000-deep nesting, a 30 MB line, an
endless stdin. Each runs in a child process with a timeout (a hang fails the test), gives a
clean ``input`` finding at its line, and the good records around it are still checked.
Peak memory is measured where boundedness is the claim.
"""

from __future__ import annotations

import json
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from make_corpus import CSV_HEADER, csv_rows, fhir_resources, good, x12_claim, x12_text

Check = Callable[..., dict[str, Any]]
DEEP = 100_000
BIG = 30 << 20  # 30 MB, over the default 16 MB record limit


@pytest.fixture
def check(b12lint_process: Callable[..., Any]) -> Callable[..., dict[str, Any]]:
    """``check(path, *options)``: the JSON report of a clean run (exit 1, no traceback)."""

    def run(path: Path, *extra: str) -> dict[str, Any]:
        return _check(b12lint_process, path, *extra)

    return run


def _check(b12lint_process: Callable[..., Any], path: Path, *extra: str) -> dict[str, Any]:
    done = b12lint_process("check", "--format", "json", *extra, str(path), cwd=path.parent)
    stderr = done.stderr.decode()
    assert "Traceback" not in stderr, stderr
    assert done.returncode == 1, stderr
    report: dict[str, Any] = json.loads(done.stdout)
    return report


def inputs(report: dict[str, Any]) -> list[tuple[int | None, str]]:
    return [
        (f["location"]["line"], f["rule_id"])
        for f in report["findings"]
        if f["category"] == "input"
    ]


def checked(report: dict[str, Any]) -> set[str]:
    return {f["encounter_id"] for f in report["findings"] if f["category"] != "input"}


def jl(record: Any) -> bytes:
    return json.dumps(record).encode() + b"\n"


@pytest.mark.parametrize(
    "deep",
    [b"[" * DEEP + b"]" * DEEP, b'{"a":' * DEEP + b"1" + b"}" * DEEP, b"[" * DEEP],
    ids=["lists", "objects", "unclosed"],
)
def test_jsonl_deep_nesting(tmp_path: Path, deep: bytes, check: Check) -> None:
    path = tmp_path / "deep.jsonl"
    path.write_bytes(jl(good("D-1")) + deep + b"\n" + jl(good("D-2")))
    report = check(path)
    assert inputs(report) == [(2, "B12-INPUT-004")]
    assert checked(report) == {"D-1", "D-2"}


def test_json_list_deep_element_does_not_lose_the_next_ones(tmp_path: Path, check: Check) -> None:
    path = tmp_path / "deep.json"
    deep = b"[" * DEEP + b"]" * DEEP
    path.write_bytes(b"[" + jl(good("D-1")) + b"," + deep + b",\n" + jl(good("D-2")) + b"]")
    report = check(path)
    assert inputs(report) == [(2, "B12-INPUT-004")]
    assert checked(report) == {"D-1", "D-2"}


def test_yaml_deep_nesting(tmp_path: Path, check: Check) -> None:
    path = tmp_path / "deep.yaml"
    item = json.dumps(good("D-2")).encode()  # JSON is YAML
    over_limit = b"[" * 300 + b"]" * 300  # deeper than 64, skipped: the next item is read
    hostile = b"[" * DEEP + b"]" * DEEP  # deeper than 500: the rest of the file is given up
    path.write_bytes(
        b"- "
        + json.dumps(good("D-1")).encode()
        + b"\n- "
        + over_limit
        + b"\n- "
        + item
        + b"\n- "
        + hostile
        + b"\n- {}\n"
    )
    report = check(path)
    assert inputs(report) == [(2, "B12-INPUT-004"), (4, "B12-INPUT-004")]
    message = report["findings"][-1]["message"]
    assert "the rest of the file from line 4 is not read" in message
    assert checked(report) == {"D-1", "D-2"}


def test_fhir_bundle_deep_entry(tmp_path: Path, check: Check) -> None:
    from fhir_build import bundle

    data = json.dumps(bundle(fhir_resources("FZ")), indent=1).encode()
    deep = b"[" * DEEP + b"]" * DEEP
    data = data.replace(b'"entry": [', b'"entry": [\n' + deep + b",", 1)
    path = tmp_path / "deep.fhir.json"
    path.write_bytes(data)
    report = check(path)
    assert inputs(report) == [(data[: data.index(deep)].count(b"\n") + 1, "B12-INPUT-004")]
    assert checked(report) == {"FZ-1", "FZ-2", "FZ-3"}


def big_line() -> bytes:
    record = good("HUGE")
    record["documentation"]["indication"] = "x" * BIG
    return jl(record)


@pytest.mark.parametrize("fmt", ["jsonl", "json", "csv", "ndjson"])
def test_a_30_mb_line_is_one_limit_error(tmp_path: Path, fmt: str, check: Check) -> None:
    if fmt == "jsonl":
        data = jl(good("B-1")) + big_line() + jl(good("B-2"))
        line = 2
    elif fmt == "json":
        data = b"[" + jl(good("B-1")) + b"," + big_line() + b"," + jl(good("B-2")) + b"]"
        line = 2
    elif fmt == "csv":
        data = CSV_HEADER + csv_rows("B-1") + b"BIG," + b"x" * BIG + b"\n" + csv_rows("B-2")
        line = 4
    else:
        resources = fhir_resources("B")
        resources[4]["code"]["text"] = "x" * BIG  # the first Condition
        data = b"".join(jl(r) for r in resources)
        line = 5
    path = tmp_path / f"big.{fmt}"
    path.write_bytes(data)
    report = check(path)
    assert inputs(report) == [(line, "B12-INPUT-004")]
    want = {"B-1", "B-2", "B-3"} if fmt == "ndjson" else {"B-1", "B-2"}
    assert checked(report) == want


def test_x12_overlong_segment_loses_only_its_claim(tmp_path: Path, check: Check) -> None:
    text = x12_text([x12_claim(f"XL{i}") for i in (1, 2, 3)])
    start = text.index("CLM*XL2*")
    nte = "NTE*ADD*" + "x" * (2 << 20) + "~"  # over the 1 MB segment bound, then its terminator
    at = text.index("\n", start) + 1
    path = tmp_path / "big.837"
    path.write_bytes((text[:at] + nte + text[at:]).encode("latin-1"))
    report = check(path)
    clm2 = text[:start].count("\n") + 1
    got = inputs(report)
    assert (clm2, "B12-INPUT-004") in got  # the claim holding it (and the SE count after it)
    assert checked(report) == {"XL1", "XL3"}


def test_yaml_record_size_limit_is_configurable(tmp_path: Path, check: Check) -> None:
    (tmp_path / "b12lint.toml").write_text("[limits]\nmax-record-bytes = 100000\n")
    record = good("Y-BIG")
    record["documentation"]["indication"] = "x" * 200_000
    path = tmp_path / "big.yaml"
    path.write_bytes(
        b"- "
        + json.dumps(good("Y-1")).encode()
        + b"\n- "
        + json.dumps(record).encode()
        + b"\n- "
        + json.dumps(good("Y-2")).encode()
    )
    report = check(path)
    assert inputs(report) == [(2, "B12-INPUT-004")]
    assert checked(report) == {"Y-1", "Y-2"}


def peak_rss_kib(
    args: list[str], stdin_bytes: int
) -> tuple[int, subprocess.CompletedProcess[bytes]]:
    """Run b12lint in a child of a fresh interpreter that feeds ``stdin_bytes`` of one endless
    line and reports the peak resident memory of b12lint alone."""
    script = f"""
import resource, subprocess, sys, threading
proc = subprocess.Popen([sys.executable, "-m", "b12lint", *{args!r}],
                        stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=subprocess.PIPE)
def feed():
    chunk = b"x" * (1 << 20)
    try:
        for _ in range({stdin_bytes} >> 20):
            proc.stdin.write(chunk)
        proc.stdin.close()
    except BrokenPipeError:
        pass
feeder = threading.Thread(target=feed)
feeder.start()
feeder.join(timeout=300)
out, err = proc.stdout.read(), proc.stderr.read()
proc.wait(timeout=300)
sys.stdout.write(str(resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss) + "\\n")
sys.stdout.write(str(proc.returncode) + "\\n")
sys.stderr.write(err.decode())
"""
    done = subprocess.run(
        [sys.executable, "-c", script], capture_output=True, timeout=400, check=False
    )
    lines = done.stdout.decode().split()
    assert len(lines) == 2, done.stderr.decode()[-2000:]
    return int(lines[0]), done


def test_an_endless_stdin_line_is_read_in_bounded_memory() -> None:
    # 400 MB of one line on stdin: read in chunks, skipped past the 16 MB record limit
    peak, done = peak_rss_kib(
        ["check", "--format", "json", "--input-format", "jsonl", "-"], 400 << 20
    )
    stderr = done.stderr.decode()
    assert "Traceback" not in stderr, stderr
    assert done.stdout.decode().split()[1] == "1"
    assert peak < 300 * 1024, f"peak RSS {peak} KiB for 400 MB of input"


def test_nesting_depth_is_configurable(tmp_path: Path, check: Check) -> None:
    (tmp_path / "b12lint.toml").write_text("[limits]\nmax-depth = 5\n")
    deep = good("N-2")
    deep["x-deep"] = [[[[["five lists"]]]]]  # with the record itself: six levels
    path = tmp_path / "nested.jsonl"
    path.write_bytes(jl(good("N-1")) + jl(deep) + jl(good("N-3")))
    report = check(path)
    assert inputs(report) == [(2, "B12-INPUT-004")]
    assert checked(report) == {"N-1", "N-3"}
