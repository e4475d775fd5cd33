"""Flat memory: with findings and history events spilled to disk at every few items, reports
keep their golden bytes in every format, in one process and with ``--jobs 2``."""

from __future__ import annotations

from pathlib import Path

import pytest
from test_golden import BATCH_FORMATS, ROOT, SAMPLE_FORMATS, compare, report
from test_parallel import every_format, small_shares  # noqa: F401 (a fixture)

pytestmark = pytest.mark.usefixtures("clean_env")


@pytest.fixture
def tiny_spill(monkeypatch: pytest.MonkeyPatch) -> None:
    """Spill findings and events every 3 items (and keep ids as digests)."""
    monkeypatch.setenv("B12LINT_SPILL_THRESHOLD", "3")


@pytest.mark.parametrize("fmt", SAMPLE_FORMATS)
def test_spilled_sample_claims_golden(fmt: str, tmp_path: Path, tiny_spill: None) -> None:
    compare(f"sample_claims.{fmt}", report(ROOT, "sample_claims", fmt, tmp_path))


@pytest.mark.parametrize("fmt", BATCH_FORMATS)
def test_spilled_batch_golden(fmt: str, batch_dir: Path, tmp_path: Path, tiny_spill: None) -> None:
    compare(f"batch.{fmt}", report(batch_dir, "batch.jsonl", fmt, tmp_path))


@pytest.mark.usefixtures("small_shares")
@pytest.mark.parametrize("jobs", ["1", "2"])
def test_spilled_every_format_as_in_memory(
    tmp_path: Path,
    batch_dir: Path,
    parallel_processes: list[int],
    monkeypatch: pytest.MonkeyPatch,
    jobs: str,
) -> None:
    """The golden batch and the samples (history across files, payer routing, input errors)
    in every format, html included: spilled or not, the same bytes."""
    (tmp_path / "in").mkdir()
    (tmp_path / "in" / "batch.jsonl").write_bytes((batch_dir / "batch.jsonl").read_bytes())
    for sample in (ROOT / "sample_claims").iterdir():
        if sample.is_file() and sample.suffix != ".md":
            (tmp_path / "in" / sample.name).write_bytes(sample.read_bytes())
    args = ("in", "--payer", "commercial=b12-commercial-example", "--jobs", jobs)
    memory = every_format(tmp_path, tmp_path / "memory", *args)
    monkeypatch.setenv("B12LINT_SPILL_THRESHOLD", "3")
    spilled = every_format(tmp_path, tmp_path / "spilled", *args)
    assert spilled == memory
    assert parallel_processes == ([2, 2] if jobs == "2" else [])
    assert b"B12-FREQ-001" in memory["json"] and b"B12-INPUT-003" in memory["json"]
