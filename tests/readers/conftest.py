"""Shared fixtures of the reader tests: the pyx12 oracle and the reference 837P files."""

from __future__ import annotations

import io
import logging
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[2]
SHARED_SAMPLES = REPO.parent / "shared" / "reference" / "x12-837p-samples"


def pyx12_errors(path: Path) -> list[str] | None:
    """pyx12's verdict on an 837P file: [] when valid, error texts otherwise (None: no pyx12)."""
    try:
        import pyx12.params
        import pyx12.x12n_document
    except ImportError:
        return None
    logging.getLogger("pyx12").setLevel(logging.CRITICAL)
    report = io.StringIO()
    valid = pyx12.x12n_document.x12n_document(
        param=pyx12.params.params(),
        src_file=str(path),
        fd_997=io.StringIO(),
        fd_html=None,
        fd_json=report,
    )
    if valid:
        return []
    return [report.getvalue()[:2000] or "pyx12: not valid"]


@pytest.fixture
def assert_pyx12_valid():
    """Assert that pyx12 validates a file as a correct 837P (skip when pyx12 is missing)."""

    def check(path: Path) -> None:
        errors = pyx12_errors(path)
        if errors is None:
            pytest.skip("pyx12 is not installed (it is in the test extra)")
        assert errors == [], errors

    return check


@pytest.fixture
def pyx12_verdict():
    """pyx12's verdict on a file: [] when valid, error texts otherwise (skip without pyx12)."""

    def verdict(path: Path) -> list[str]:
        errors = pyx12_errors(path)
        if errors is None:
            pytest.skip("pyx12 is not installed (it is in the test extra)")
        return errors

    return verdict


@pytest.fixture(scope="session")
def shared_samples() -> Path:
    if not SHARED_SAMPLES.is_dir():
        pytest.skip(
            f"reference 837P samples not found at {SHARED_SAMPLES} (shared/ beside the checkout)"
        )
    return SHARED_SAMPLES
