"""The closure evaluator is the oracle: generated code must give identical hits on every rule
example of every built-in pack and on a generated batch (bench/generate.py), rule by rule
(every rule on every record, guards aside) and as whole runs (findings and summary).

Both again with dates of service spread over 2007-2027 (before the ICD-10-CM code set and the
NCCI 2024-07-01 table, across their boundaries, after the last shipped release), so that
dated data and functions note gaps often and the "not checked" infos are compared too."""

from __future__ import annotations

import dataclasses
import datetime as dt
import importlib.util
import io
import sys
from functools import cache
from pathlib import Path
from types import ModuleType
from typing import Any

import pytest

from b12lint.engine import combine, run
from b12lint.engine.pack import Pack, builtin_pack_paths, load_pack
from b12lint.engine.rule import Rule
from b12lint.engine.selftest import _items, example_records, findings_for
from b12lint.engine.view import EncounterView
from b12lint.model import InputError, Record
from b12lint.readers import read_file

ROOT = Path(__file__).resolve().parents[2]
PACKS = [p.name for p in builtin_pack_paths()]


@cache
def packs(name: str) -> tuple[Pack, Pack]:
    """A built-in pack compiled with generated code, and with closures only."""
    path = next(p for p in builtin_pack_paths() if p.name == name)
    return load_pack(path, "generated"), load_pack(path, "closures")


def _bench(name: str) -> ModuleType:
    module_name = f"b12lint_bench_{name}"
    if module_name not in sys.modules:
        spec = importlib.util.spec_from_file_location(module_name, ROOT / "bench" / f"{name}.py")
        assert spec is not None and spec.loader is not None
        module = importlib.util.module_from_spec(spec)
        sys.modules[module_name] = module
        spec.loader.exec_module(module)
    return sys.modules[module_name]


def _oracle(rule: Rule) -> Rule:
    return dataclasses.replace(rule, evaluate=rule.oracle)


def _example_records(pack: Pack) -> list[Record]:
    out: list[Record] = []
    for rule in pack.rules:
        for kind in ("fail", "pass"):
            for index, example in enumerate(rule.meta.examples.get(kind) or []):
                tag = f"{rule.meta.id}:{kind}[{index}]"
                records = example_records(example, rule.meta, tag)
                out.extend(i for i in _items(records, tag) if isinstance(i, Record))
    return out


def _compare_every_rule(pack: Pack, records: list[Record], in_effect: bool = False) -> int:
    """Every encounter rule on every record with both evaluators; the hits compared
    (``in_effect``: only the rules in effect on the record's date of service)."""
    hits = 0
    for record in records:
        view = EncounterView(record.encounter, record.has_chart, record.chart_missing)
        date = record.encounter.get("date_of_service")
        for rule in pack.rules:
            if rule.meta.kind != "encounter":
                continue
            if in_effect and isinstance(date, dt.date) and not rule.meta.applies_on(date):
                continue
            want = rule.oracle(view)
            assert rule.evaluate(view) == want, (rule.meta.id, record.source)
            hits += len(want)
    return hits


#: Dates of service where dated data starts or ends: ICD-10-CM (2015-10-01, a release a year
#: from October 1, the last shipped one to 2027-03-31), the NCCI tables from 2024-07-01,
#: J3425 from 2024-01-01.
BOUNDARIES = [
    dt.date.fromisoformat(day)
    for day in [
        "2007-01-01",
        "2015-09-30",
        "2015-10-01",
        "2020-09-30",
        "2020-10-01",
        "2023-12-31",
        "2024-01-01",
        "2024-06-30",
        "2024-07-01",
        "2026-03-02",
        "2027-03-31",
        "2027-04-01",
        "2027-12-31",
    ]
]
SPREAD_FROM, SPREAD_DAYS = dt.date(2007, 1, 1), (dt.date(2027, 12, 31) - dt.date(2007, 1, 1)).days


def spread_date(index: int) -> dt.date:
    """The ``index``-th date of the spread: the boundaries in turn, else a day of 2007-2027."""
    if index % 3 == 0:
        return BOUNDARIES[(index // 3) % len(BOUNDARIES)]
    return SPREAD_FROM + dt.timedelta(days=(index * 7919) % (SPREAD_DAYS + 1))


def _redated(value: Any, old: dt.date, new: dt.date) -> Any:
    """A copy of an encounter with its date of service (and dates and times on that day)
    moved to ``new``; other dates (a lab's) stay."""
    if isinstance(value, dict):
        return {k: _redated(v, old, new) for k, v in value.items()}
    if isinstance(value, list):
        return [_redated(v, old, new) for v in value]
    if isinstance(value, dt.date) and value == old:
        return new
    if isinstance(value, str) and old.isoformat() in value:
        return value.replace(old.isoformat(), new.isoformat())
    return value


def at(record: Record, date: dt.date) -> Record:
    """The record on another date of service (as it is if it has none)."""
    old = record.encounter.get("date_of_service")
    if not isinstance(old, dt.date):
        return record
    return dataclasses.replace(record, encounter=_redated(record.encounter, old, date))


def spread(records: list[Record], copies: int = 1) -> list[Record]:
    """Each record ``copies`` times, at dates of service of the spread."""
    return [
        at(r, spread_date(n * copies + c)) for n, r in enumerate(records) for c in range(copies)
    ]


def _infos(pack: Pack, records: list[Record]) -> int:
    """How many "not checked" infos the closures report on these records (rule by rule, the
    rules in effect)."""
    count = 0
    for record in records:
        view = EncounterView(record.encounter, record.has_chart, record.chart_missing)
        date = record.encounter["date_of_service"]
        for rule in pack.rules:
            if rule.meta.kind == "encounter" and rule.meta.applies_on(date):
                count += sum(h.message.startswith("Not checked") for h in rule.oracle(view))
    return count


@pytest.mark.parametrize("name", PACKS)
def test_every_rule_on_every_example_record(name: str) -> None:
    generated, _ = packs(name)
    assert all(r.closures is not None for r in generated.rules)
    records = _example_records(generated)
    assert len(records) > 150
    assert _compare_every_rule(generated, records) > 100


@pytest.mark.parametrize("name", PACKS)
def test_every_rule_on_every_example_record_across_the_years(name: str) -> None:
    """The example records at dates of service 2007-2027: the gaps noted and the "not
    checked" infos of generated code are the closures'."""
    generated, _ = packs(name)
    records = spread(_example_records(generated), copies=4)
    assert len(records) > 600
    assert _compare_every_rule(generated, records, in_effect=True) > 100
    assert _infos(generated, records) > 500


@pytest.mark.parametrize("name", PACKS)
def test_every_rule_example_gives_the_same_findings(name: str) -> None:
    """Through the linter, history rules included (events with their earlier events)."""
    generated, _ = packs(name)
    for rule in generated.rules:
        for kind in ("fail", "pass"):
            for index, example in enumerate(rule.meta.examples.get(kind) or []):
                tag = f"{rule.meta.id}:{kind}[{index}]"
                records = example_records(example, rule.meta, tag)
                want = findings_for(_oracle(rule), generated, records, tag)
                assert findings_for(rule, generated, records, tag) == want, tag


def _read_batch(seed: int) -> list[Any]:
    """2,000 records of the benchmark's generator, as reader items."""
    data = b"".join(_bench("generate").generate(2000, seed=seed))
    return list(read_file("batch.jsonl", None, forced="jsonl", stdin=io.BytesIO(data)))


@pytest.fixture(scope="module")
def batch() -> list[Any]:
    return _read_batch(13)


@pytest.mark.parametrize("name", PACKS)
def test_a_generated_batch_rule_by_rule(name: str, batch: list[Any]) -> None:
    generated, _ = packs(name)
    records = [i for i in batch if isinstance(i, Record)]
    assert any(isinstance(i, InputError) for i in batch) and len(records) > 1900
    assert _compare_every_rule(generated, records) > 1000


@pytest.mark.parametrize("name", PACKS)
def test_a_generated_batch_across_the_years_rule_by_rule(name: str, batch: list[Any]) -> None:
    generated, _ = packs(name)
    records = spread([i for i in batch if isinstance(i, Record)])
    assert _compare_every_rule(generated, records, in_effect=True) > 1000
    assert _infos(generated, records) > 1000


@pytest.mark.parametrize("years", [False, True], ids=["2025-2026", "2007-2027"])
def test_a_generated_batch_whole_run(years: bool) -> None:
    """Findings (history rules too) and summaries identical, for each built-in pack."""
    items = _read_batch(14)
    if years:
        items = [at(i, spread_date(n)) if isinstance(i, Record) else i for n, i in enumerate(items)]
    for name in PACKS:
        generated, closures = packs(name)
        got = run(items, combine([generated]))
        want = run(items, combine([closures]))
        assert got.findings == want.findings
        assert got.summary == want.summary
        assert len(want.findings) > 100
        infos = [f for f in want.findings if f.message.startswith("Not checked")]
        assert len(infos) > (1000 if years else -1), len(infos)
        kinds = {f.rule_id for f in want.findings}
        history = {r.meta.id for r in closures.rules if r.meta.kind == "history"}
        assert kinds & history, "the batch exercises history rules"
