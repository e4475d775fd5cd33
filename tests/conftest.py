"""Shared fixtures: a clean B12 encounter, rule documents, rule packs written to tmp_path."""

from __future__ import annotations

import copy
import json
import os
import shutil
import tempfile
from collections.abc import Callable, Iterable, Iterator, Mapping
from pathlib import Path
from typing import Any

import pytest
import yaml
from b12_records import FLU_RECORD, clean_record

ROOT = Path(__file__).resolve().parents[1]
#: Test files marked ``slow`` (pyproject.toml): long, and needing no optional extra.
SLOW = (
    "tests/properties/",
    "tests/scale/test_parallel.py",
    "tests/scale/test_golden.py",
    "tests/corpus/test_corpus_large.py",
)
RULES_DIR = ROOT / "rules"
CORE_PACK = RULES_DIR / "b12-core"
SCHEMAS_DIR = ROOT / "schemas"


def _make(build: Callable[..., dict[str, Any]]) -> Callable[..., dict[str, Any]]:
    def make(encounter_id: str | None = None, **changes: Any) -> dict[str, Any]:
        if encounter_id is not None:
            changes = {"encounter_id": encounter_id, "patient_id": f"PT-{encounter_id}", **changes}
        return build(**changes)

    return make


def _flu(**changes: Any) -> dict[str, Any]:
    record = copy.deepcopy(FLU_RECORD)
    record.update(copy.deepcopy(changes))
    return record


@pytest.fixture
def make_record() -> Callable[..., dict[str, Any]]:
    """``make_record("E1", **changes)``: the clean B12 record, its own patient, changed."""
    return _make(clean_record)


@pytest.fixture
def make_flu() -> Callable[..., dict[str, Any]]:
    """``make_flu("F1")``: an out-of-scope (non-B12) encounter."""
    return _make(_flu)


def _jsonl(records: Iterable[Any]) -> str:
    return "".join(
        (r if isinstance(r, str) else json.dumps(r, separators=(",", ":"))) + "\n" for r in records
    )


@pytest.fixture
def write_jsonl(tmp_path: Path) -> Callable[..., Path]:
    """``write_jsonl(records, name)``: a ``.jsonl`` file; strings are written as raw lines."""

    def write(records: Iterable[Any], name: str = "batch.jsonl") -> Path:
        path = tmp_path / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(_jsonl(records), encoding="utf-8")
        return path

    return write


BASE_RULE: dict[str, Any] = {
    "id": "T-RULE-001",
    "name": "test-rule",
    "severity": "error",
    "category": "units",
    "summary": "A test rule",
    "message": "encounter {encounter_id} is flagged",
    "rationale": "Tests need a rule.",
    "references": [{"title": "The test suite"}],
    "effective": {"from": "2000-01-01"},
    "when": {"eq": ["$patient_id", "FLAG"]},
    "examples": {
        "fail": [{"patient_id": "FLAG", "lines": [{"code": "J3420", "units": 1}]}],
        "pass": [{"patient_id": "OK", "lines": [{"code": "J3420", "units": 1}]}],
    },
}


@pytest.fixture
def rule_doc() -> Callable[..., dict[str, Any]]:
    """``rule_doc(**keys)``: a valid rule mapping (flags patient_id FLAG) with keys replaced."""

    def make(**changes: Any) -> dict[str, Any]:
        doc = copy.deepcopy(BASE_RULE)
        doc.update(copy.deepcopy(changes))
        return doc

    return make


def _dump(doc: Any) -> str:
    return doc if isinstance(doc, str) else yaml.safe_dump(doc, sort_keys=False)


@pytest.fixture
def make_pack(tmp_path: Path) -> Callable[..., Path]:
    """``make_pack(name, rules, manifest=None, data=None)``: a pack folder under tmp_path/packs.

    ``rules`` is a list of rule mappings (written as ``<id>.yaml``) or a mapping of relative
    file name to a mapping or raw YAML text; ``data`` maps table names to table documents.
    """
    root = tmp_path / "packs"

    def make(
        name: str,
        rules: Iterable[Mapping[str, Any]] | Mapping[str, Any] = (),
        *,
        manifest: Mapping[str, Any] | str | None = None,
        data: Mapping[str, Any] | None = None,
    ) -> Path:
        folder = root / name
        folder.mkdir(parents=True)
        if manifest is not None:
            (folder / "pack.yaml").write_text(_dump(manifest), encoding="utf-8")
        files = (
            dict(rules)
            if isinstance(rules, Mapping)
            else {f"{doc['id']}.yaml": doc for doc in rules}
        )
        for rel, doc in files.items():
            path = folder / rel
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_text(_dump(doc), encoding="utf-8")
        for table, doc in (data or {}).items():
            (folder / "data").mkdir(exist_ok=True)
            (folder / "data" / f"{table}.yaml").write_text(_dump(doc), encoding="utf-8")
        return folder

    return make


def data_table(values: Any) -> dict[str, Any]:
    """A valid data table document holding ``values``."""
    return {
        "description": "test table",
        "source": "the test suite",
        "effective": {"from": "2000-01-01"},
        "values": values,
    }


@pytest.fixture
def make_table() -> Callable[[Any], dict[str, Any]]:
    """``make_table(values)``: a valid data table document."""
    return data_table


@pytest.fixture
def parallel_processes(monkeypatch: pytest.MonkeyPatch) -> list[int]:
    """``check --jobs N`` takes the parallel path even for small inputs; the processes each
    parallel run used are listed."""
    import b12lint.parallel as parallel_package
    from b12lint.cli import jobs as jobs_module

    monkeypatch.setattr(jobs_module, "SMALL_INPUT_BYTES", 0)
    used: list[int] = []
    real = parallel_package.run_parallel

    def spy(*args: Any, **kwargs: Any) -> Any:
        run = real(*args, **kwargs)
        used.append(run.processes)
        return run

    monkeypatch.setattr(parallel_package, "run_parallel", spy)
    return used


@pytest.fixture(scope="session")
def core_ruleset() -> Any:
    """The built-in ruleset, loaded once."""
    from b12lint.engine import load_ruleset

    return load_ruleset()


def run_b12lint(
    *args: str,
    cwd: Path,
    timeout: float = 120,
    stdin: Any = None,
    env: Mapping[str, str] | None = None,
) -> Any:
    """Run the installed ``b12lint`` in a child process: a crash shows as a traceback on
    stderr, a hang as ``subprocess.TimeoutExpired``. ``B12LINT_*`` variables are cleared."""
    import os
    import subprocess
    import sys

    base = {k: v for k, v in os.environ.items() if not k.startswith("B12LINT_")}
    base["NO_COLOR"] = "1"
    return subprocess.run(
        [sys.executable, "-m", "b12lint", *args],
        cwd=cwd,
        env={**base, **(env or {})},
        input=stdin,
        capture_output=True,
        timeout=timeout,
        check=False,
    )


@pytest.fixture(scope="session")
def b12lint_process() -> Callable[..., Any]:
    """``b12lint_process(*args, cwd=..., stdin=b"...")``: a completed b12lint child process
    (bytes stdout and stderr)."""
    return run_b12lint


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    """Mark the :data:`SLOW` files' tests ``slow``."""
    for item in items:
        path = Path(str(item.path))
        if path.is_relative_to(ROOT) and path.relative_to(ROOT).as_posix().startswith(SLOW):
            item.add_marker(pytest.mark.slow)


# --------------------------------------------------------------------------- browser tests
# Debian chromium + chromedriver (.ci/run installs them and sets B12LINT_REQUIRE_BROWSER=1,
# which makes a missing browser a failure; elsewhere the tests skip, saying why).
CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"
CHROMEDRIVER = shutil.which("chromedriver") or "/usr/bin/chromedriver"
WHY = "needs Debian chromium and chromium-driver (apt-get install chromium chromium-driver)"
REQUIRED = os.environ.get("B12LINT_REQUIRE_BROWSER") == "1"


def _unavailable(reason: str) -> None:
    if REQUIRED:
        pytest.fail(f"B12LINT_REQUIRE_BROWSER is set but the browser tests {reason}")
    pytest.skip(f"browser tests {reason}")


@pytest.fixture(scope="module")
def browser() -> Iterator[Any]:
    try:
        from selenium import webdriver
        from selenium.webdriver.chrome.service import Service
    except ImportError:
        _unavailable("need selenium (in the test extra)")
    if not (os.access(CHROMIUM, os.X_OK) and os.access(CHROMEDRIVER, os.X_OK)):
        _unavailable(f"{WHY[6:]}: {CHROMIUM} / {CHROMEDRIVER} not found")
    os.environ.setdefault("SE_OFFLINE", "true")  # never let Selenium Manager download a driver
    profile = tempfile.mkdtemp(prefix="b12lint-chromium-")
    options = webdriver.ChromeOptions()
    options.binary_location = CHROMIUM
    for arg in (
        "--headless=new",
        "--no-sandbox",
        "--disable-gpu",
        "--disable-dev-shm-usage",
        "--disable-background-networking",
        "--disable-component-update",
        "--disable-sync",
        "--no-first-run",
        f"--user-data-dir={profile}",
        "--window-size=1400,900",
    ):
        options.add_argument(arg)
    try:
        driver = webdriver.Chrome(service=Service(CHROMEDRIVER), options=options)
    except Exception as exc:  # a broken install: say so rather than fail obscurely
        shutil.rmtree(profile, ignore_errors=True)
        _unavailable(f"{WHY[6:]}; chromium did not start: {exc}")
    try:
        yield driver
    finally:
        driver.quit()
        shutil.rmtree(profile, ignore_errors=True)


PG_ENV = "B12LINT_TEST_POSTGRES_URL"
PG_SKIP = (
    f'PostgreSQL history tests need a server: set {PG_ENV} (e.g. eval "$(.ci/postgres start)")'
)


@pytest.fixture
def pg_url(request: pytest.FixtureRequest) -> Iterator[str]:
    """A PostgreSQL URL whose search_path is a fresh schema (dropped after the test).

    The server is the one ``B12LINT_TEST_POSTGRES_URL`` names (CI starts one with
    ``.ci/postgres start``); without it the test skips, saying so (fails under
    ``B12LINT_REQUIRE_POSTGRES``).
    """
    import secrets

    base = os.environ.get(PG_ENV)
    if not base:
        if os.environ.get("B12LINT_REQUIRE_POSTGRES"):
            pytest.fail(f"B12LINT_REQUIRE_POSTGRES is set but {PG_ENV} is not")
        pytest.skip(PG_SKIP)
    psycopg = pytest.importorskip("psycopg", reason="PostgreSQL tests need psycopg")
    schema = f"t_{secrets.token_hex(6)}"
    with psycopg.connect(base, autocommit=True) as conn:
        conn.execute(f"CREATE SCHEMA {schema}")
    sep = "&" if "?" in base else "?"
    try:
        yield f"{base}{sep}options=-csearch_path%3D{schema}"
    finally:
        with psycopg.connect(base, autocommit=True) as conn:
            conn.execute(f"DROP SCHEMA {schema} CASCADE")
