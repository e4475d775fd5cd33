"""Shared pieces of the remittance tests: the pyx12 oracle for 835 files and a file writer."""

from __future__ import annotations

import io
import logging
import sys
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).parent))


@pytest.fixture
def assert_pyx12_835():
    """Assert that pyx12 validates a file as a correct 835 (skip when pyx12 is missing)."""

    def check(path: Path) -> None:
        try:
            import pyx12.params
            import pyx12.x12n_document
        except ImportError:
            pytest.skip("pyx12 is not installed (it is in the test extra)")
        logging.getLogger("pyx12").setLevel(logging.CRITICAL)
        report = io.StringIO()
        valid = pyx12.x12n_document.x12n_document(
            param=pyx12.params.params(),
            src_file=str(path),
            fd_997=io.StringIO(),
            fd_html=None,
            fd_json=report,
        )
        assert valid, report.getvalue()[:2000]

    return check
