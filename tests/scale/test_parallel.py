"""``--jobs``: several processes, the output of one (findings, summary, every report byte)."""

from __future__ import annotations

import io
import os
from pathlib import Path
from typing import Any

import orjson
import pytest
from click.testing import CliRunner

from b12lint.cli import cli
from b12lint.cli import jobs as jobs_module
from b12lint.cli.progress import Progress
from b12lint.engine import Result, load_ruleset, run
from b12lint.parallel import Options, run_parallel
from b12lint.parallel import shares as shares_module
from b12lint.readers import read_inputs

ROOT = Path(__file__).resolve().parents[2]
SAMPLES = ROOT / "sample_claims"
FORMATS = ("json", "jsonl", "text", "csv", "github", "junit", "sarif", "html")

pytestmark = pytest.mark.usefixtures("clean_env")


@pytest.fixture
def small_shares(monkeypatch: pytest.MonkeyPatch) -> None:
    """Cut .jsonl files into 64 KiB ranges, so that small test files make many shares."""
    monkeypatch.setattr(shares_module, "MIN_SHARE_BYTES", 64 << 10)


def as_data(result: Result) -> dict[str, Any]:
    """Everything a run reports, as plain data."""
    return {
        "findings": [
            (f.report_dict(), f.subject, f.fix.safe if f.fix else None, f.context)
            for f in result.findings
        ],
        "summary": result.summary.report_dict() | {"without_chart": result.summary.without_chart},
        "events": sorted(
            (
                e.encounter_id,
                e.patient_id,
                e.date,
                e.phase,
                sorted(e.codes),
                e.drugs,
                e.dose_mcg,
                e.injection,
                e.source,
            )
            for e in result.events
        ),
        "ids": sorted(result.encounter_ids),
    }


def one_process(paths: list[str], **options: Any) -> Result:
    """One linter over every input, counting what readers read but did not judge (as
    ``check`` does: workers carry those counts back to the merged summary)."""
    from b12lint.readers.stats import collecting

    with collecting() as stats:
        result = run(read_inputs(paths), load_ruleset(), keep_events=True, **options)
    result.summary.not_judged = dict(stats.not_judged)
    return result


def test_in_process_shares_equal_one_linter(batch_dir: Path, small_shares: None) -> None:
    path = str(batch_dir / "batch.jsonl")
    parallel = run_parallel([path], load_ruleset(), load_ruleset, 1, keep_events=True)
    assert parallel.processes == 1
    expected = one_process([path])
    assert as_data(parallel.result) == as_data(expected)
    assert expected.summary.input_errors > 0 and expected.findings


def test_worker_processes_equal_one_linter(batch_dir: Path, small_shares: None) -> None:
    paths = [str(batch_dir / "batch.jsonl"), str(SAMPLES)]
    parallel = run_parallel(paths, load_ruleset(), load_ruleset, 2, keep_events=True)
    assert parallel.processes == 2
    assert as_data(parallel.result) == as_data(one_process(paths))


def _record(eid: str, patient: str, date: str, **extra: Any) -> bytes:
    record = {
        "encounter_id": eid,
        "patient_id": patient,
        "date_of_service": date,
        "diagnoses": ["D51.0"],
        "documentation": {
            "indication": "pernicious anemia",
            "phase": "maintenance",
            "administrations": [{"drug": "cyanocobalamin", "dose": "1000 mcg", "route": "IM"}],
        },
        "lines": [
            {"code": "J3420", "units": 1, "dx_pointers": [1]},
            {"code": "96372", "units": 1, "dx_pointers": [1]},
        ],
        "pad": "x" * 600,
    } | extra
    return orjson.dumps(record) + b"\n"


def test_duplicates_and_history_across_shares(tmp_path: Path, small_shares: None) -> None:
    """A duplicate id far from its first record, and a patient's visits in several shares."""
    lines = [_record("FIRST", "P-1", "2026-01-05", rendering_npi="1234567890")]
    lines += [_record(f"E{i}", f"P-{i % 7}", f"2026-0{1 + i % 6}-1{i % 9}") for i in range(400)]
    lines.append(_record("FIRST", "P-1", "2026-01-12"))  # duplicate, in scope, 7 days later
    lines.append(_record("E5", "P-5", "2026-02-01", lines=[{"code": "99213"}]))  # out of scope
    lines.append(b"{broken\n")
    path = tmp_path / "dups.jsonl"
    path.write_bytes(b"".join(lines))
    assert path.stat().st_size > 4 * (64 << 10)
    parallel = run_parallel([str(path)], load_ruleset(), load_ruleset, 1, keep_events=True)
    expected = one_process([str(path)])
    assert as_data(parallel.result) == as_data(expected)
    rules = [(f.location.line, f.rule_id) for f in expected.findings]
    assert (402, "B12-INPUT-003") in rules and (403, "B12-INPUT-003") in rules
    assert (1, "B12-PROV-001") in rules and (404, "B12-INPUT-001") in rules
    assert any(r == "B12-FREQ-001" for _, r in rules)


def test_history_context_is_asked_once_for_every_patient(
    batch_dir: Path, small_shares: None
) -> None:
    asked: list[list[str]] = []

    def context(patients: Any) -> list[Any]:
        asked.append(list(patients))
        return []

    path = str(batch_dir / "batch.jsonl")
    parallel = run_parallel([path], load_ruleset(), load_ruleset, 1, context=context)
    expected_asked: list[list[str]] = []
    run(read_inputs([path]), load_ruleset(), context=lambda p: expected_asked.append(list(p)) or [])
    assert asked == expected_asked and len(asked) == 1
    assert parallel.result.findings


def test_chart_join_notes_and_errors(tmp_path: Path) -> None:
    chart = tmp_path / "chart.jsonl"
    chart.write_bytes(
        (SAMPLES / "charts" / "clinic-e-2026-06.chart.jsonl").read_bytes()
        + b'{"encounter_id": "NOBODY", "documentation": {}}\n{"broken\n'
    )
    paths = [str(SAMPLES / "clinic-e-2026-06.837"), str(SAMPLES / "clinic-a-2026q1.jsonl")]
    parallel = run_parallel(
        paths, load_ruleset(), load_ruleset, 2, Options(charts=(str(chart),)), keep_events=True
    )
    from b12lint.readers import join, load_chart

    loaded = load_chart([str(chart)])
    expected = run(join(read_inputs(paths), loaded), load_ruleset(), keep_events=True)
    assert as_data(parallel.result) == as_data(expected)
    assert parallel.notes == loaded.notes() and parallel.notes


def invoke(cwd: Path, *args: str, stdin: bytes | None = None) -> tuple[int, str]:
    old = Path.cwd()
    os.chdir(cwd)
    try:
        result = CliRunner().invoke(cli, list(args), input=stdin, catch_exceptions=False)
    finally:
        os.chdir(old)
    return result.exit_code, result.stdout


def every_format(cwd: Path, out: Path, *args: str, stdin: bytes | None = None) -> dict[str, bytes]:
    out.mkdir()
    pairs: list[str] = []
    for fmt in FORMATS:
        pairs += ["-f", fmt, "-o", str(out / fmt)]
    pairs += ["-f", "text"]
    code, stdout = invoke(cwd, "check", *args, *pairs, stdin=stdin)
    assert code == 1
    files = {fmt: (out / fmt).read_bytes() for fmt in FORMATS}
    return files | {"stdout": stdout.encode()}


@pytest.mark.parametrize("routes", [(), ("--payer", "commercial=b12-commercial-example")])
def test_cli_every_format_the_same_bytes(
    tmp_path: Path,
    batch_dir: Path,
    small_shares: None,
    routes: tuple[str, ...],
    parallel_processes: list[int],
) -> None:
    (tmp_path / "in").mkdir()
    (tmp_path / "in" / "batch.jsonl").write_bytes((batch_dir / "batch.jsonl").read_bytes())
    for sample in SAMPLES.iterdir():
        if sample.is_file() and sample.suffix != ".md":
            (tmp_path / "in" / sample.name).write_bytes(sample.read_bytes())
    # a FHIR export without a claim: its reader's note must come back from the worker
    coverage = {"resourceType": "Coverage", "id": "c1", "status": "active"}
    bundle = {"resourceType": "Bundle", "type": "collection", "entry": [{"resource": coverage}]}
    (tmp_path / "in" / "coverage-only.json").write_bytes(orjson.dumps(bundle))
    one = every_format(tmp_path, tmp_path / "one", "in", *routes, "--jobs", "1")
    two = every_format(tmp_path, tmp_path / "two", "in", *routes, "--jobs", "2")
    assert parallel_processes == [2]
    assert b"coverage-only.json: no FHIR Claim or ExplanationOfBenefit" in two["text"]
    assert one == two
    assert b"B12-FREQ-001" in one["json"] and b"B12-INPUT-003" in one["json"]
    assert (b"b12-commercial-example" in one["json"]) == bool(routes)


def test_cli_engines_the_same_bytes(
    tmp_path: Path, batch_dir: Path, small_shares: None, parallel_processes: list[int]
) -> None:
    """The closure oracle in one process and generated code in two: every byte the same."""
    (tmp_path / "in").mkdir()
    (tmp_path / "in" / "batch.jsonl").write_bytes((batch_dir / "batch.jsonl").read_bytes())
    routes = ("--payer", "commercial=b12-commercial-example")
    oracle = every_format(
        tmp_path, tmp_path / "c", "in", *routes, "--engine", "closures", "-j", "1"
    )
    generated = every_format(tmp_path, tmp_path / "g", "in", *routes, "--jobs", "2")
    assert parallel_processes == [2]
    assert oracle == generated
    assert b"B12-FREQ-001" in oracle["json"] and b"b12-commercial-example" in oracle["json"]


def test_cli_redact_and_chart_the_same_bytes(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, parallel_processes: list[int]
) -> None:
    monkeypatch.setenv("B12LINT_REDACT_KEY", "k" * 32)
    args = ["sample_claims", "--redact", "--documentation", "sample_claims/charts"]
    one = every_format(ROOT, tmp_path / "one", *args, "--jobs", "1")
    two = every_format(ROOT, tmp_path / "two", *args, "--jobs", "2")
    assert parallel_processes == [2]
    assert one == two
    assert b"ID-" in one["json"] and b"PT-00" not in one["json"]


def test_cli_stdin_the_same_bytes(
    tmp_path: Path, batch_dir: Path, small_shares: None, parallel_processes: list[int]
) -> None:
    data = (batch_dir / "batch.jsonl").read_bytes()
    one = invoke(tmp_path, "check", "-", "-f", "json", "--jobs", "1", stdin=data)
    two = invoke(tmp_path, "check", "-", "-f", "json", "--jobs", "2", stdin=data)
    assert parallel_processes == [2]
    assert one == two and one[0] == 1
    assert '"file":"<stdin>"' in one[1].replace(" ", "")


def test_cli_history_the_same_bytes(
    tmp_path: Path,
    batch_dir: Path,
    small_shares: None,
    monkeypatch: pytest.MonkeyPatch,
    parallel_processes: list[int],
) -> None:
    """Earlier batches' events from a store, and what is recorded, do not depend on --jobs."""
    lines = (batch_dir / "batch.jsonl").read_bytes().splitlines(keepends=True)
    (tmp_path / "early.jsonl").write_bytes(b"".join(lines[:1500]))
    (tmp_path / "late.jsonl").write_bytes(b"".join(lines[1500:]))
    monkeypatch.setenv("B12LINT_HISTORY_KEY", "h" * 40)
    outputs = []
    for jobs in ("1", "2"):
        db = f"history-{jobs}.db"
        invoke(tmp_path, "check", "early.jsonl", "--history", db, "--jobs", jobs)
        outputs.append(
            invoke(tmp_path, "check", "late.jsonl", "-f", "json", "--history", db, "-j", jobs)
        )
        outputs.append(invoke(tmp_path, "history", "export", "--history", db))
    assert parallel_processes == [2, 2]
    assert outputs[0] == outputs[2] and outputs[1] == outputs[3]
    assert outputs[0][1].count("B12-FREQ-001") > 0 and outputs[1][1].count("\n") > 1000


def test_small_inputs_stay_in_this_process(tmp_path: Path) -> None:
    small = tmp_path / "small.jsonl"
    small.write_bytes(b"{}\n")
    assert not jobs_module.worth_parallel([str(small)])
    assert jobs_module.worth_parallel(["-"])
    assert not jobs_module.worth_parallel([str(tmp_path / "missing.jsonl")])
    big = tmp_path / "big.jsonl"
    with big.open("wb") as out:
        out.truncate(jobs_module.SMALL_INPUT_BYTES)
    assert jobs_module.worth_parallel([str(small), str(big)])


def test_progress_advances_per_share(tmp_path: Path) -> None:
    path = tmp_path / "a.jsonl"
    path.write_bytes(b"{}\n" * 10)
    stream = io.StringIO()
    progress = Progress(stream, [(path.as_posix(), path)])
    progress.advance(4, path.as_posix(), 4)
    assert "40%" in stream.getvalue() and "4 records" in stream.getvalue()
    progress.advance(6, path.as_posix(), None)
    assert progress.fraction() == 1.0 and progress.count == 10


def test_without_worker_processes_one_process_does_it(
    batch_dir: Path, small_shares: None, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Where processes cannot be started (no /dev/shm, a sandbox), the run still completes."""
    import b12lint.parallel as parallel_package

    class NoPool:
        def Pool(self, *args: Any, **kwargs: Any) -> Any:  # noqa: N802 - multiprocessing's name
            raise OSError("no semaphores here")

    monkeypatch.setattr(parallel_package, "_mp_context", NoPool)
    path = str(batch_dir / "batch.jsonl")
    run = run_parallel([path], load_ruleset(), load_ruleset, 2, keep_events=True)
    assert run.processes == 1
    assert as_data(run.result) == as_data(one_process([path]))
