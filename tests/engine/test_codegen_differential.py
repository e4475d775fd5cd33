"""The closure evaluator is the oracle: generated code must give identical hits on every rule
example of every built-in pack and on a generated batch (bench/generate.py), rule by rule
(every rule on every record, guards aside) and as whole runs (findings and summary)."""

from __future__ import annotations

import dataclasses
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


def _compare_every_rule(pack: Pack, records: list[Record]) -> int:
    """Every encounter rule on every record with both evaluators; the hits compared."""
    hits = 0
    for record in records:
        view = EncounterView(record.encounter, record.has_chart, record.chart_missing)
        for rule in pack.rules:
            if rule.meta.kind != "encounter":
                continue
            want = rule.oracle(view)
            assert rule.evaluate(view) == want, (rule.meta.id, record.source)
            hits += len(want)
    return hits


@pytest.mark.parametrize("name", PACKS)
def test_every_rule_on_every_example_record(name: str) -> None:
    generated, _ = packs(name)
    assert all(r.closures is not None for r in generated.rules)
    records = _example_records(generated)
    assert len(records) > 150
    assert _compare_every_rule(generated, records) > 100


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


def test_a_generated_batch_whole_run() -> None:
    """Findings (history rules too) and summaries identical, for each built-in pack."""
    items = _read_batch(14)
    for name in PACKS:
        generated, closures = packs(name)
        got = run(items, combine([generated]))
        want = run(items, combine([closures]))
        assert got.findings == want.findings
        assert got.summary == want.summary
        assert len(want.findings) > 100
        kinds = {f.rule_id for f in want.findings}
        history = {r.meta.id for r in closures.rules if r.meta.kind == "history"}
        assert kinds & history, "the batch exercises history rules"
