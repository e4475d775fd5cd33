"""The fixture CLI tests share: each runs in its own working directory, without the
``B12LINT_*`` variables or a CI's environment (imported by the test modules that use it)."""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path

import pytest


@pytest.fixture(autouse=True)
def isolated(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    monkeypatch.chdir(tmp_path)
    for name in list(os.environ):
        if name.startswith("B12LINT_") or name in ("GITHUB_ACTIONS", "CI"):
            monkeypatch.delenv(name)
    yield
