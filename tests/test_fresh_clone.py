"""The README's test command passes on a fresh clone with no optional extra installed.

Every test that needs pyspark (and Java), selenium with Chromium, psycopg or a PostgreSQL server
must skip, saying why, when that part is missing: here those packages are blocked in a child
pytest (a stub that raises ImportError comes first on its path) and the B12LINT_REQUIRE_*
switches of the full CI leg are cleared. The whole suite must still collect, and the modules
that use an optional part must pass or skip. (`.ci/run` also runs the README's exact command in
a second, clean virtual environment.)
"""

from __future__ import annotations

import os
import re
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
TESTS = ROOT / "tests"
OPTIONAL = ("pyspark", "selenium", "psycopg")
USES = re.compile(r"\b(?:import|from)\s+(?:" + "|".join(OPTIONAL) + r")\b|importorskip\(\"(?:"
                  + "|".join(OPTIONAL) + r")")  # fmt: skip


def without_extras(tmp_path: Path) -> dict[str, str]:
    """A child environment where the optional packages cannot be imported."""
    stubs = tmp_path / "blocked"
    for name in OPTIONAL:
        (stubs / name).mkdir(parents=True)
        (stubs / name / "__init__.py").write_text(
            f"raise ImportError('{name} is blocked: this run has no optional extra')\n"
        )
    env = {k: v for k, v in os.environ.items() if not k.startswith(("B12LINT_", "PYTEST_"))}
    env["PYTHONPATH"] = os.pathsep.join([str(stubs), *sys.path])
    return env


def child_pytest(tmp_path: Path, *args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "pytest", "-p", "no:cacheprovider", "--rootdir", str(ROOT), *args],
        cwd=tmp_path,
        env=without_extras(tmp_path),
        capture_output=True,
        text=True,
        timeout=600,
        check=False,
    )


def modules_using_extras() -> list[Path]:
    """Test modules that import an optional package (found anew each run)."""
    return sorted(
        p
        for p in TESTS.rglob("test_*.py")
        if p.name != Path(__file__).name and USES.search(p.read_text(encoding="utf-8"))
    )


def test_the_stubs_block_the_optional_packages(tmp_path: Path) -> None:
    code = "import importlib, sys\nfor n in sys.argv[1:]:\n    try:\n        importlib.import_module(n)\n    except ImportError:\n        print(n)\n"  # noqa: E501
    out = subprocess.run(
        [sys.executable, "-c", code, *OPTIONAL],
        env=without_extras(tmp_path),
        capture_output=True,
        text=True,
        check=True,
    )
    assert out.stdout.split() == list(OPTIONAL)


def test_the_whole_suite_collects_without_extras(tmp_path: Path) -> None:
    result = child_pytest(tmp_path, "--collect-only", "-q", str(TESTS))
    assert result.returncode == 0, result.stdout[-3000:] + result.stderr[-2000:]
    assert re.search(r"^\d+ tests collected", result.stdout, re.M), result.stdout[-500:]


def test_tests_needing_an_extra_skip_with_their_reason(tmp_path: Path) -> None:
    modules = modules_using_extras()
    names = {p.name for p in modules}
    assert {"test_spark.py", "test_html_browser.py", "test_history_postgres.py"} <= names
    result = child_pytest(tmp_path, "-q", "-rs", *map(str, modules))
    tail = result.stdout[-4000:]
    assert result.returncode == 0, tail + result.stderr[-2000:]
    assert not re.search(r"\d+ (failed|error)", tail), tail
    reasons = "\n".join(line for line in tail.splitlines() if line.startswith("SKIPPED"))
    assert 'pip install ".[spark]"' in reasons
    assert "selenium" in reasons
    assert "psycopg" in reasons or "PostgreSQL" in reasons


def test_optional_packages_are_not_needed_to_import_b12lint(tmp_path: Path) -> None:
    code = "import b12lint.cli, b12lint.spark, b12lint.history; print('ok')"
    out = subprocess.run(
        [sys.executable, "-c", code],
        env=without_extras(tmp_path),
        capture_output=True,
        text=True,
        check=False,
    )
    assert out.stdout.strip() == "ok", out.stderr
