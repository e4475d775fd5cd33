"""Golden outputs: the same input gives the same bytes, release after release of the engine.

The reports of ``sample_claims/`` (every format but html, whose content the others cover) and
of a generated 3,000-record batch are kept, gzipped, in ``tests/scale/golden/``. Speed work on the
engine, the readers or ``--jobs`` must not change a byte of them. When a rule changes on
purpose, regenerate them and review the diff:

    B12LINT_UPDATE_GOLDEN=1 pytest tests/scale/test_golden.py
"""

from __future__ import annotations

import gzip
import os
from pathlib import Path

import pytest
from click.testing import CliRunner

from b12lint.cli import cli

ROOT = Path(__file__).resolve().parents[2]
GOLDEN = Path(__file__).resolve().parent / "golden"
SAMPLE_FORMATS = ("json", "jsonl", "text", "csv", "github", "junit", "sarif")
BATCH_FORMATS = ("json", "text")
UPDATE = os.environ.get("B12LINT_UPDATE_GOLDEN") == "1"

pytestmark = pytest.mark.usefixtures("clean_env")


def report(cwd: Path, path: str, fmt: str, tmp_path: Path, *extra: str) -> bytes:
    """The bytes ``b12lint check PATH -f FMT`` writes, run from ``cwd``."""
    out = tmp_path / f"out.{fmt}"
    old = Path.cwd()
    os.chdir(cwd)
    try:
        result = CliRunner().invoke(
            cli, ["check", path, "-f", fmt, "-o", str(out), *extra], catch_exceptions=False
        )
    finally:
        os.chdir(old)
    assert result.exit_code == 1, result.output  # both inputs hold errors on purpose
    # SARIF names the working directory (originalUriBaseIds): the same in every checkout
    return out.read_bytes().replace(cwd.as_uri().encode() + b"/", b"file:///SRCROOT/")


def compare(name: str, actual: bytes) -> None:
    """Compare with the golden file (or write it when updating)."""
    path = GOLDEN / f"{name}.gz"
    if UPDATE:
        path.write_bytes(gzip.compress(actual, mtime=0))
        pytest.skip(f"wrote {path}")
    assert path.is_file(), f"no golden file {path}: run with B12LINT_UPDATE_GOLDEN=1"
    expected = gzip.decompress(path.read_bytes())
    if actual != expected:
        a, e = actual.decode().splitlines(), expected.decode().splitlines()
        first = next((i for i, (x, y) in enumerate(zip(a, e, strict=False)) if x != y), None)
        where = (
            f"first difference at line {first + 1}:\n  got      {a[first]}\n  expected {e[first]}"
            if first is not None
            else f"{len(a)} lines, expected {len(e)}"
        )
        pytest.fail(f"{name} differs from its golden file: {where}")


#: Generated code (the default) and the closure oracle write the same golden bytes.
ENGINES = ("generated", "closures")


@pytest.mark.parametrize("engine", ENGINES)
@pytest.mark.parametrize("fmt", SAMPLE_FORMATS)
def test_sample_claims_golden(fmt: str, engine: str, tmp_path: Path) -> None:
    compare(
        f"sample_claims.{fmt}",
        report(ROOT, "sample_claims", fmt, tmp_path, "--engine", engine),
    )


@pytest.mark.parametrize("engine", ENGINES)
@pytest.mark.parametrize("fmt", BATCH_FORMATS)
def test_generated_batch_golden(fmt: str, engine: str, batch_dir: Path, tmp_path: Path) -> None:
    compare(f"batch.{fmt}", report(batch_dir, "batch.jsonl", fmt, tmp_path, "--engine", engine))


def test_golden_batch_has_every_kind_of_finding() -> None:
    """The generated batch exercises every built-in rule, so the golden file guards them all."""
    if UPDATE:
        pytest.skip("updating")
    import orjson

    from b12lint.engine import load_ruleset

    findings = orjson.loads(gzip.decompress((GOLDEN / "batch.json.gz").read_bytes()))["findings"]
    fired = {f["rule_id"] for f in findings}
    expected = {r.meta.id for r in load_ruleset().rules}
    expected |= {"B12-INPUT-001", "B12-INPUT-002", "B12-INPUT-003", "B12-INPUT-004"}
    expected -= {"B12-IND-003"}  # needs --documentation with a claim format: sample_claims has it
    assert sorted(expected - fired) == []
