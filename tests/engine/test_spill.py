"""Flat memory: the spill folder (owner-only, always removed), findings and history events
spilled in sorted runs, encounter ids as digests: each equal to its in-memory counterpart."""

from __future__ import annotations

import datetime as dt
import importlib
import random
import stat
import tempfile
import tracemalloc
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner

from b12lint.cli import cli
from b12lint.engine import Ruleset, run
from b12lint.engine.encounterrefs import RefSink, place
from b12lint.engine.eventstore import EventStore
from b12lint.engine.findings import context, finding
from b12lint.engine.history import Event
from b12lint.engine.idset import IdSet
from b12lint.engine.spill import (
    MERGE_BUFFERS,
    SpillArea,
    merge_buffer,
    plain,
    spill_area,
    write_rows,
)
from b12lint.engine.spilled import FindingSink, ordered
from b12lint.model import EncounterRef, Finding, Source
from b12lint.readers import read_inputs

ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture
def private_tmp(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """Temporary files of this test go to tmp_path (to see what is left behind)."""
    monkeypatch.setattr(tempfile, "tempdir", str(tmp_path))
    return tmp_path


def spill_folders(where: Path) -> list[Path]:
    return sorted(where.glob("b12lint-spill-*"))


# ------------------------------------------------------------------------- the spill folder


def test_spill_folder_is_owner_only_and_removed(private_tmp: Path) -> None:
    with spill_area(threshold=2) as area:
        assert area.path is None  # nothing made before something is spilled
        path, rejected = write_rows(area, "rows", [[1, "a"], ["\ud800"], [2**70]])
        folder = area.path
        assert folder is not None and spill_folders(private_tmp) == [folder]
        assert stat.S_IMODE(folder.stat().st_mode) == 0o700
        assert stat.S_IMODE(path.stat().st_mode) == 0o600
        assert rejected == [["\ud800"], [2**70]]  # JSON cannot hold them: the caller keeps them
        assert path.read_bytes() == b'[1,"a"]\n'
    assert spill_folders(private_tmp) == []
    area.close()  # twice is fine


def test_spill_folder_removed_on_an_error(private_tmp: Path) -> None:
    with pytest.raises(RuntimeError), spill_area() as area:
        write_rows(area, "rows", [[1]])
        raise RuntimeError("boom")
    assert spill_folders(private_tmp) == []


@pytest.mark.parametrize("interrupt", [KeyboardInterrupt, RuntimeError])
def test_check_removes_its_spill_folder_when_interrupted(
    private_tmp: Path, monkeypatch: pytest.MonkeyPatch, interrupt: type[BaseException]
) -> None:
    """Ctrl-C (or a crash) while the reports are written: the spilled claim data goes too."""
    seen: list[tuple[int, list[int]]] = []

    def explode(*args: Any, **kwargs: Any) -> None:
        (folder,) = spill_folders(private_tmp)
        modes = [stat.S_IMODE(p.stat().st_mode) for p in folder.iterdir()]
        seen.append((stat.S_IMODE(folder.stat().st_mode), modes))
        raise interrupt()

    monkeypatch.setenv("B12LINT_SPILL_THRESHOLD", "1")
    monkeypatch.setattr(importlib.import_module("b12lint.cli.check"), "write_reports", explode)
    result = CliRunner().invoke(cli, ["check", str(ROOT / "sample_claims"), "-f", "json"])
    assert result.exit_code != 0  # click turns Ctrl-C into an abort (exit 1)
    ((folder_mode, file_modes),) = seen
    assert folder_mode == 0o700 and file_modes and set(file_modes) == {0o600}
    assert spill_folders(private_tmp) == []


def test_plain_values_only() -> None:
    assert plain({"a": [1, 2.5, None, True, "x"]})
    for value in [(1, 2), {1: "a"}, float("nan"), float("inf"), 2**64, dt.date(2026, 1, 1)]:
        assert not plain(value), value


# ---------------------------------------------------------------------------------- findings


def some_findings(n: int, seed: int) -> list[Finding]:
    """Findings in a random order, with ties (equal sort keys, different fixes) and fix
    values JSON cannot give back exactly (tuples, NaN)."""
    rng = random.Random(seed)
    out = []
    fixes: list[Any] = [None, 1, 2.5, "x", [1, "a"], {"k": [None]}, (1, 2), float("nan")]
    for i in range(n):
        ctx = context(f"P{rng.randint(1, 3)}", "1234567890", "2026-01-02", "medicare", None)
        fix = rng.choice(fixes)
        out.append(
            finding(
                f"B12-T-00{rng.randint(1, 3)}",
                rng.choice(["error", "warning", "info"]),
                "dose",
                rng.choice([None, f"E{rng.randint(1, 5)}"]),
                rng.choice(["same message", f"message {i}", "lone \ud800 surrogate"]),
                rng.choice(["a.jsonl", "b.jsonl"]),
                rng.choice([None, rng.randint(1, 6)]),
                "/lines/0",
                None if fix is None else ("/lines/0/units", fix, rng.random() < 0.5),
                rng.choice([None, "subject"]),
                rng.choice([None, ctx]),
            )
        )
    return out


def same(a: Any, b: Any) -> bool:
    """Findings equal field by field (NaN fixes compared by their text)."""
    return repr(list(a)) == repr(list(b))


@pytest.mark.parametrize("threshold", [1, 2, 7, 10_000])
@pytest.mark.parametrize("seed", [1, 2])
def test_spilled_findings_come_back_as_a_stable_sort(threshold: int, seed: int) -> None:
    findings = some_findings(300, seed)
    expected = sorted(findings, key=Finding.sort_key)
    with SpillArea(threshold) as area:
        sink = FindingSink(area)
        for start in range(0, len(findings), 5):
            sink.extend(findings[start : start + 5])
        got = sink.sorted()
        assert isinstance(got, list) == (threshold >= len(findings))
        assert len(got) == len(findings)
        assert same(got, expected)
        assert same(got, expected)  # a stream can be read again
        kept = ordered(area, iter(got))
        assert len(kept) == len(findings) and same(kept, expected)
    assert same(FindingSink().sorted(), [])


# ------------------------------------------------------------------------------------ ids


@pytest.mark.parametrize("digest", [None, lambda data: len(data) % 3])
def test_id_digests_answer_as_a_set(private_tmp: Path, digest: Any) -> None:
    """With a digest that collides all the time, equal digests are told apart by the ids."""
    rng = random.Random(5)
    n = 6000 if digest is None else 600  # every probe reads ids back when digests collide
    ids = [f"E-{rng.randint(0, n // 2)}" for _ in range(n)] + ["", "é", "\ud800", "E-1 "]
    with SpillArea() as area:
        digests = IdSet(area) if digest is None else IdSet(area, digest=digest)
        reference: set[str] = set()
        for value in ids:
            assert digests.add(value) == (value not in reference), value
            reference.add(value)
        assert len(digests) == len(reference)
        for value in [*ids, "E-999999", "E-", "e-1"]:
            assert (value in digests) == (value in reference)
        assert 17 not in digests
        digests.close()


# ---------------------------------------------------------------------------------- events


def history_batch(tmp_path: Path) -> Path:
    path = tmp_path / "batch.jsonl"
    path.write_bytes((ROOT / "sample_claims" / "clinic-a-2026q1.jsonl").read_bytes())
    return path


@pytest.mark.parametrize("threshold", [1, 2, 5])
def test_spilled_history_events_give_the_same_findings(
    tmp_path: Path, core_ruleset: Ruleset, threshold: int
) -> None:
    """History rules over events spilled by patient, with earlier events from a store."""
    old = Event(
        encounter_id="OLD-1",
        patient_id="PT-0001",
        date=dt.date(2025, 12, 30),
        phase="maintenance",
        codes=frozenset({"J3420", "96372"}),
        drugs=("cyanocobalamin",),
        dose_mcg=1000.0,
        injection=True,
        labs=(("B12", 150.0, "pg/mL", dt.date(2025, 12, 1)),),
    )

    def store(patients: Any) -> list[Event]:
        return [
            Event(
                **{
                    **{s: getattr(old, s) for s in ("encounter_id", "patient_id")},
                    "date": old.date,
                    "phase": old.phase,
                    "codes": old.codes,
                    "drugs": old.drugs,
                    "dose_mcg": old.dose_mcg,
                    "injection": old.injection,
                    "labs": old.labs,
                }
            )
        ]

    path = history_batch(tmp_path)
    memory = run(read_inputs([str(path)]), core_ruleset, context=store)
    with SpillArea(threshold) as area:
        spilled = run(read_inputs([str(path)]), core_ruleset, context=store, spill=area)
        assert area.path is not None and any(area.path.glob("events-*"))
        assert same(spilled.findings, memory.findings)
        assert spilled.summary == memory.summary
    assert any(f.rule_id.startswith("B12-FREQ") for f in memory.findings)


def test_a_long_stream_of_findings_spills_as_it_goes() -> None:
    """The history rules' findings come as one stream: never all in memory at once."""
    findings = some_findings(40, 3)
    with SpillArea(4) as area:
        sink = FindingSink(area)
        sink.extend(iter(findings))
        assert area.path is not None
        assert len(list(area.path.glob("findings-*"))) >= 9
        assert same(sink.sorted(), sorted(findings, key=Finding.sort_key))


def _event(n: int) -> Event:
    """An event of its own patient, with its own context and codes (as a real batch's)."""
    return Event(
        encounter_id=f"ENC-{n:08d}",
        patient_id=f"PT-{n:08d}",
        date=dt.date(2026, 1, 1) + dt.timedelta(days=n % 300),
        phase="maintenance",
        codes=frozenset({"J3420", f"D51.{n % 10}", f"Z{n:06d}"}),
        drugs=("cyanocobalamin",),
        dose_mcg=1000.0,
        injection=True,
        source=Source("batch.jsonl", n + 1),
        context=(f"PT-{n:08d}", f"{1000000000 + n}", "medicare", "b12-core"),
    )


def test_history_pass_memory_does_not_grow_with_the_patients(private_tmp: Path) -> None:
    """The per-patient pass keeps nothing of the patients it is done with (no table of every
    patient's context or codes): its peak is the same for 4,000 and for 16,000 patients."""

    def peak(patients: int) -> int:
        with SpillArea(1000) as area:
            store = EventStore(area, [()])
            for n in range(patients):
                store.add(_event(n), 0)
            tracemalloc.start()
            try:
                seen = 0
                for timeline in store.timelines():
                    seen += len(timeline)
                return tracemalloc.get_traced_memory()[1] if seen == patients else -1
            finally:
                tracemalloc.stop()

    small, big = peak(4000), peak(16000)
    assert small > 0 and big > 0
    # the merge reads one buffer per run (4 and 16 runs): allow that, not a table per patient
    assert big - small < 16 * 70_000, (small, big)


def test_events_share_codes_only_while_in_memory(private_tmp: Path) -> None:
    """Identical code sets share one tuple among the rows in memory; the table behind that
    is started over at each spill, not kept for the whole batch."""
    with SpillArea(100) as area:
        store = EventStore(area, [()])
        for n in range(1050):
            store.add(_event(n), 0)
        assert len(store._codes) <= 100
        assert sum(len(t) for t in store.timelines()) == 1050


def test_a_merge_of_many_runs_keeps_its_buffers_small() -> None:
    """Runs grow with the batch; the read buffers of one merge do not."""
    assert merge_buffer(1) == 1 << 16
    assert merge_buffer(140) * 140 <= MERGE_BUFFERS
    assert merge_buffer(10**6) == 1 << 12


@pytest.mark.parametrize("threshold", [1, 3, 50])
def test_spilled_encounters_come_back_in_place_order(private_tmp: Path, threshold: int) -> None:
    """JUnit's encounters: spilled or not, in place order (file, line, then as read), ids JSON
    cannot carry (a lone surrogate) kept in memory at their place."""
    rng = random.Random(threshold)
    refs = [
        EncounterRef(
            rng.choice(["b.jsonl", "a.jsonl"]),
            rng.choice([None, 1, 2, 3, 10]),
            rng.choice([f"E{i}", "lone \ud800"]),
        )
        for i in range(120)
    ]
    expected = sorted(refs, key=place)
    with SpillArea(threshold) as area:
        sink = RefSink(area)
        sink.extend(refs)
        got = sink.sorted()
        assert len(got) == 120
        assert list(got) == expected and list(got) == expected  # read twice
        assert (threshold >= 120) == isinstance(got, list)
    assert RefSink().sorted() == [] and isinstance(RefSink().sorted(), list)
