"""Cutting ``.jsonl`` files into byte ranges at line starts, and reading the ranges back."""

from __future__ import annotations

import io
import itertools
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from b12lint.model import InputError, Record
from b12lint.parallel import shares as plan_module
from b12lint.parallel.shares import Task, line_starts, plan, share_bytes
from b12lint.parallel.worker import count_lines
from b12lint.readers import InputPathError, Item, Limits, read_range
from b12lint.readers.native import read_jsonl

GOOD = b'{"encounter_id": "E%d", "date_of_service": "2026-03-02"}'
LINES = st.lists(
    st.sampled_from(
        [
            GOOD,
            b"",
            b"   ",
            b'{"encounter_id": "broken',
            b'{"encounter_id": 7, "date_of_service": "2026-03-02"}',
            b"[1, 2]",
            b'{"encounter_id": "X", "date_of_service": "2026-03-02", "pad": "' + b"x" * 300 + b'"}',
        ]
    ),
    min_size=0,
    max_size=40,
)


def _content(lines: list[bytes], bom: bool, crlf: bool, final_newline: bool) -> bytes:
    body = [line.replace(b"%d", str(i).encode()) for i, line in enumerate(lines)]
    sep = b"\r\n" if crlf else b"\n"
    data = sep.join(body) + (sep if final_newline and body else b"")
    return (b"\xef\xbb\xbf" if bom else b"") + data


def _summary(item: Item, offset: int = 0) -> tuple[object, ...]:
    line = None if item.source.line is None else item.source.line + offset
    if isinstance(item, Record):
        return ("record", item.source.file, line, dict(item.encounter))
    assert isinstance(item, InputError)
    return ("error", item.source.file, line, item.message, item.pointer, item.rule_id, item.digest)


def _read_in_ranges(path: Path, cuts: list[int], limits: Limits) -> list[tuple[object, ...]]:
    size = path.stat().st_size
    bounds = line_starts(path, cuts, size)
    out: list[tuple[object, ...]] = []
    offset = 0
    for start, end in itertools.pairwise(bounds):
        out.extend(
            _summary(i, offset) for i in read_range("f.jsonl", path, start, end - start, limits)
        )
        offset += count_lines(path, start, end - start)
    return out


@settings(
    max_examples=150, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(
    lines=LINES,
    bom=st.booleans(),
    crlf=st.booleans(),
    final=st.booleans(),
    fractions=st.lists(st.floats(min_value=0, max_value=1), max_size=6),
    small_limit=st.booleans(),
)
def test_ranges_read_like_the_whole_file(
    tmp_path: Path,
    lines: list[bytes],
    bom: bool,
    crlf: bool,
    final: bool,
    fractions: list[float],
    small_limit: bool,
) -> None:
    data = _content(lines, bom, crlf, final)
    path = tmp_path / "f.jsonl"
    path.write_bytes(data)
    limits = Limits(max_record_bytes=200) if small_limit else Limits()
    whole = [_summary(i) for i in read_jsonl(io.BytesIO(data), "f.jsonl", limits)]
    cuts = sorted(int(f * len(data)) for f in fractions)
    assert _read_in_ranges(path, cuts, limits) == whole


def test_line_starts_are_line_starts(tmp_path: Path) -> None:
    data = b"aaaa\nbb\n" + b"c" * 100 + b"\nd\n"
    path = tmp_path / "f.jsonl"
    path.write_bytes(data)
    bounds = line_starts(path, [1, 5, 6, 20, 50, 110, 200], len(data))
    assert bounds == [0, 5, 8, 109, len(data)]
    assert all(data[b - 1 : b] == b"\n" for b in bounds[1:-1])


def test_no_trailing_newline_keeps_the_last_line(tmp_path: Path) -> None:
    data = b'{"encounter_id": "A", "date_of_service": "2026-03-02"}\n{"encounter_id": "B"'
    path = tmp_path / "f.jsonl"
    path.write_bytes(data)
    items = _read_in_ranges(path, [len(data) - 3], Limits())
    assert [(i[0], i[2]) for i in items] == [("record", 1), ("error", 2)]


def test_share_size_is_bounded() -> None:
    assert share_bytes(0, 2) == plan_module.MIN_SHARE_BYTES
    assert share_bytes(10**12, 2) == plan_module.MAX_SHARE_BYTES
    assert plan_module.MIN_SHARE_BYTES < share_bytes(50 << 20, 2) < plan_module.MAX_SHARE_BYTES


def test_plan_cuts_big_jsonl_and_keeps_other_files_whole(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(plan_module, "MIN_SHARE_BYTES", 100)
    big = tmp_path / "big.jsonl"
    big.write_bytes(b"".join(GOOD.replace(b"%d", str(i).encode()) + b"\n" for i in range(40)))
    small = tmp_path / "small.jsonl"
    small.write_bytes(GOOD.replace(b"%d", b"s") + b"\n")
    other = tmp_path / "c.yaml"
    other.write_text("encounter_id: Y\ndate_of_service: 2026-03-02\n")
    work = plan([str(big), str(small), str(other)], 2)
    ranged = [t for t in work.tasks if t.ranged]
    assert len(ranged) > 2 and {t.display for t in ranged} == {big.as_posix()}
    assert sum(t.size or 0 for t in ranged) == big.stat().st_size
    assert [t.index for t in work.tasks] == list(range(len(work.tasks)))
    whole = [t for t in work.tasks if not t.ranged]
    assert [(t.display, t.fmt) for t in whole] == [
        (small.as_posix(), None),
        (other.as_posix(), None),
    ]
    assert work.parallel


def test_plan_spills_stdin_and_removes_it(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(plan_module, "MIN_SHARE_BYTES", 100)
    data = b"".join(GOOD.replace(b"%d", str(i).encode()) + b"\n" for i in range(40))
    work = plan(["-"], 2, stdin=io.BytesIO(data))
    assert work.spill is not None and work.spill.read_bytes() == data
    assert all(t.display == "<stdin>" and t.ranged for t in work.tasks)
    spill = work.spill
    work.close()
    assert not spill.exists()


def test_plan_reads_stdin_yaml_whole(monkeypatch: pytest.MonkeyPatch) -> None:
    work = plan(["-"], 2, stdin=io.BytesIO(b"encounter_id: Y\ndate_of_service: 2026-03-02\n"))
    try:
        assert [(t.display, t.ranged, t.stdin) for t in work.tasks] == [("<stdin>", False, True)]
        assert not work.parallel
    finally:
        work.close()


def test_plan_checks_paths_first(tmp_path: Path) -> None:
    with pytest.raises(InputPathError, match="no such file"):
        plan([str(tmp_path / "missing.jsonl")], 2)


def test_task_is_a_small_value() -> None:
    task = Task(0, "a.jsonl", "/x/a.jsonl", "jsonl", 10, 20)
    assert task.ranged and not Task(1, "b.yaml", "/x/b.yaml", None).ranged


def test_a_bom_before_an_over_limit_first_line_is_one_line() -> None:
    data = b"\xef\xbb\xbf" + b'{"pad": "' + b"x" * 300 + b'"}\n' + GOOD.replace(b"%d", b"1") + b"\n"
    items = list(read_jsonl(io.BytesIO(data), "f.jsonl", Limits(max_record_bytes=200)))
    assert [(type(i).__name__, i.source.line) for i in items] == [("InputError", 1), ("Record", 2)]
    assert isinstance(items[0], InputError) and items[0].rule_id == "B12-INPUT-004"
