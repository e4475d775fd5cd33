"""b12lint on Spark (``local[2]``): its findings equal ``b12lint check``'s on the same input.

Needs pyspark (``pip install ".[spark]"``) and Java 17+; without them the module skips, saying
why, unless ``B12LINT_REQUIRE_SPARK=1`` (set by ``.ci/run``) makes that a failure. One Spark
session serves the whole module (starting one takes seconds).
"""

from __future__ import annotations

import io
import os
import re
import shutil
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import orjson
import pytest
from click.testing import CliRunner

from b12lint import __version__
from b12lint.cli import cli
from b12lint.parallel import shares as shares_module
from b12lint.reporters import get_reporter

ROOT = Path(__file__).resolve().parents[2]
SAMPLES = ROOT / "sample_claims"
REQUIRED = os.environ.get("B12LINT_REQUIRE_SPARK") == "1"


def _unavailable() -> str | None:
    try:
        import pyspark  # noqa: F401
    except ImportError:
        return 'pyspark is not installed (pip install ".[spark]")'
    if shutil.which("java") is None and not os.environ.get("JAVA_HOME"):
        return "no Java runtime (Spark needs Java 17 or later)"
    return None


@pytest.fixture(scope="module")
def spark() -> Iterator[Any]:
    reason = _unavailable()
    if reason is not None:
        if REQUIRED:
            pytest.fail(f"B12LINT_REQUIRE_SPARK is set but {reason}")
        pytest.skip(reason)
    from pyspark.sql import SparkSession

    os.environ.setdefault("PYSPARK_PYTHON", sys.executable)
    session = (
        SparkSession.builder.master("local[2]")
        .appName("b12lint-tests")
        .config("spark.ui.enabled", "false")
        .config("spark.ui.showConsoleProgress", "false")
        .config("spark.sql.shuffle.partitions", "4")
        .config("spark.default.parallelism", "2")
        .getOrCreate()
    )
    session.sparkContext.setLogLevel("ERROR")
    yield session
    session.stop()


@pytest.fixture(autouse=True)
def clean_env(monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    for name in list(os.environ):
        if name.startswith("B12LINT_") and name != "B12LINT_REQUIRE_SPARK":
            monkeypatch.delenv(name)
    yield


def cli_json(cwd: Path, *paths: str) -> dict[str, Any]:
    """``b12lint check PATHS -f json`` run from ``cwd``, parsed."""
    old = Path.cwd()
    os.chdir(cwd)
    try:
        result = CliRunner().invoke(cli, ["check", *paths, "-f", "json", "-j", "1"])
    finally:
        os.chdir(old)
    assert result.exit_code == 1, result.output
    report: dict[str, Any] = orjson.loads(result.stdout)
    return report


def spark_json(result: Any) -> dict[str, Any]:
    """A Spark result through the JSON reporter, parsed."""
    out = io.StringIO()
    get_reporter("json")(result.report(__version__), out, False)
    report: dict[str, Any] = orjson.loads(out.getvalue())
    return report


def test_sample_claims_equal_the_cli(spark: Any, monkeypatch: pytest.MonkeyPatch) -> None:
    from b12lint.spark import lint_files

    monkeypatch.chdir(ROOT)
    result = lint_files(spark, ["sample_claims"])
    assert spark_json(result) == cli_json(ROOT, "sample_claims")
    assert result.summary.encounters > 40 and result.findings.count() > 40


def test_reader_notes_come_back_from_the_executors(spark: Any, tmp_path: Path) -> None:
    """A FHIR export without a claim is named in the notes, as ``check`` names it."""
    from b12lint.spark import lint_files

    coverage = {"resourceType": "Coverage", "id": "c1", "status": "active"}
    bundle = {"resourceType": "Bundle", "type": "collection", "entry": [{"resource": coverage}]}
    (tmp_path / "coverage-only.json").write_bytes(orjson.dumps(bundle))
    (tmp_path / "claims.jsonl").write_bytes(
        (ROOT / "sample_claims" / "clinic-a-2026q1.jsonl").read_bytes()
    )
    result = lint_files(spark, [str(tmp_path)])
    assert any(
        "coverage-only.json: no FHIR Claim or ExplanationOfBenefit" in n for n in result.notes
    )


def test_generated_batch_equals_the_cli(
    spark: Any, batch_dir: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Many byte ranges: duplicates and patients' histories cross them."""
    from b12lint.spark import lint_files

    monkeypatch.setattr(shares_module, "MIN_SHARE_BYTES", 128 << 10)
    monkeypatch.chdir(batch_dir)
    result = lint_files(spark, ["batch.jsonl"])
    expected = cli_json(batch_dir, "batch.jsonl")
    assert spark_json(result) == expected
    rules = {f["rule_id"] for f in expected["findings"]}
    assert {"B12-FREQ-001", "B12-INPUT-001", "B12-INPUT-003"} <= rules


def test_json_text_dataframe_equals_the_cli(spark: Any, batch_dir: Path) -> None:
    from b12lint.spark import lint_dataframe

    lines = (batch_dir / "batch.jsonl").read_bytes().decode().splitlines()
    rows = [(text, "batch.jsonl", number) for number, text in enumerate(lines, 1)]
    frame = spark.createDataFrame(rows, "value STRING, _file STRING, _line BIGINT")
    result = lint_dataframe(frame.repartition(3))  # rows are put back in (file, line) order
    assert spark_json(result) == cli_json(batch_dir, "batch.jsonl")


def _regular_records(batch_dir: Path) -> list[dict[str, Any]]:
    """The batch's records of generated patients (not rule examples, all readable)."""
    out = []
    for line in (batch_dir / "batch.jsonl").read_bytes().splitlines():
        try:
            record = orjson.loads(line)
        except orjson.JSONDecodeError:
            continue
        regular = re.fullmatch(r"PT-\d{7}", str(record.get("patient_id")))
        units = [ln.get("units") for ln in record.get("lines") or ()]
        if regular and "x-attachment" not in record and all(isinstance(u, int) for u in units):
            out.append(record)
    return out


def test_parquet_encounters_equal_the_cli(spark: Any, batch_dir: Path, tmp_path: Path) -> None:
    """Structured rows (Parquet): absent fields become nulls, which the rules read alike."""
    from b12lint.spark import lint_path

    records = _regular_records(batch_dir)[:600]
    jsonl = tmp_path / "encounters.jsonl"
    jsonl.write_bytes(b"".join(orjson.dumps(r) + b"\n" for r in records))
    located = [
        orjson.dumps(r | {"_file": "encounters.jsonl", "_line": i}).decode()
        for i, r in enumerate(records, 1)
    ]
    frame = spark.read.json(spark.sparkContext.parallelize(located, 2))
    frame.write.parquet(str(tmp_path / "parquet"))
    result = lint_path(spark, str(tmp_path / "parquet"))
    expected = cli_json(tmp_path, "encounters.jsonl")
    assert spark_json(result) == expected
    assert len(expected["findings"]) > 20


def test_spark_submit_entry_point_writes_jsonl_and_parquet(
    spark: Any, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    from b12lint.spark.submit import main

    monkeypatch.chdir(ROOT)
    out = tmp_path / "findings"
    code = main(["sample_claims", "--output", str(out), "--format", "jsonl"], spark=spark)
    summary = orjson.loads(capsys.readouterr().out)
    expected = cli_json(ROOT, "sample_claims")
    assert code == 1
    assert summary["summary"] == expected["summary"]
    written = [
        orjson.loads(line)
        for part in sorted(out.glob("part-*.json"))
        for line in part.read_bytes().splitlines()
    ]
    for finding in written:
        if finding.get("fix"):
            finding["fix"]["value"] = orjson.loads(finding["fix"]["value"])
        finding.setdefault("encounter_id", None)
        finding["location"].setdefault("line", None)
    assert written == expected["findings"]
    parquet = tmp_path / "parquet"
    single = "sample_claims/single-encounter.yaml"
    assert main([single, "-o", str(parquet), "--fail-on", "never"], spark=spark) == 0
    assert spark.read.parquet(str(parquet)).columns == [
        "rule_id",
        "severity",
        "category",
        "encounter_id",
        "message",
        "location",
        "fix",
    ]


def test_spark_submit_usage_errors(capsys: pytest.CaptureFixture[str]) -> None:
    from b12lint.spark.submit import main

    assert main(["sample_claims"]) == 2
    assert "--output are required" in capsys.readouterr().err
    assert main(["no/such/dir", "--output", "x", "--select", "NOPE"]) == 2
    assert "NOPE" in capsys.readouterr().err
    assert main(["--path"]) == 0
    assert capsys.readouterr().out.strip().endswith("submit.py")
