"""Properties of the engine on generated batches: it never crashes, every record is
accounted for, and findings are deterministic and independent of record order and of how
the batch is split (by patient, as a distributed run splits it).
"""

from __future__ import annotations

import functools
import io
import json
from collections import defaultdict
from typing import Any

import yaml
from hypothesis import event, given
from hypothesis import strategies as st
from record_strategies import batches, records, value_mutations

from b12lint.engine import Ruleset, load_ruleset, run
from b12lint.model import Finding, InputError, Record, Source
from b12lint.readers.base import to_item


@functools.cache
def builtin() -> Ruleset:
    """The built-in rules, loaded once (not a fixture: hypothesis would print it)."""
    return load_ruleset()


def items_of(batch: list[Any]) -> list[Record | InputError]:
    """Reader items with fixed sources: a record keeps its line wherever it goes."""
    return [to_item(record, Source("batch.jsonl", n + 1)) for n, record in enumerate(batch)]


def dump(findings: list[Finding]) -> list[dict[str, Any]]:
    return [json.loads(f.model_dump_json()) for f in findings]


@given(batch=batches())
def test_a_batch_is_checked_without_error_and_every_record_counted(
    batch: list[dict[str, Any]],
) -> None:
    result = run(items_of(batch), builtin())
    summary = result.summary
    in_scope = min(summary.b12_encounters, 3)
    event(f"B12 encounters in the batch: {in_scope}{'+' if in_scope == 3 else ''}")
    frequency = any(f.category == "frequency" for f in result.findings)
    event("a cross-encounter (frequency) finding" if frequency else "no frequency finding")
    assert summary.encounters + summary.input_errors == len(batch)
    assert summary.findings == len(result.findings)
    for finding in result.findings:
        assert finding.location.pointer == "" or finding.location.pointer.startswith("/")
        # one printable line: quoted record text cannot forge report lines or drive a terminal
        assert finding.message and finding.message.isprintable(), finding.message


@given(batch=batches(), data=st.data())
def test_mutated_records_never_crash_the_engine(
    batch: list[dict[str, Any]], data: st.DataObject
) -> None:
    mutated = [data.draw(value_mutations(record)) for record in batch]
    result = run(mutated, builtin())  # plain values, validated by the library entry point
    assert result.summary.encounters + result.summary.input_errors == len(mutated)


@given(batch=batches())
def test_findings_are_deterministic(batch: list[dict[str, Any]]) -> None:
    first = dump(run(items_of(batch), builtin()).findings)
    again = dump(run(items_of(batch), builtin()).findings)
    assert first == again


@given(batch=batches(), order=st.randoms(use_true_random=False))
def test_findings_do_not_depend_on_record_order(batch: list[dict[str, Any]], order: Any) -> None:
    items = items_of(batch)
    shuffled = list(items)
    order.shuffle(shuffled)
    assert dump(run(shuffled, builtin()).findings) == dump(run(items, builtin()).findings)


@given(batch=batches(max_size=10), parts=st.integers(min_value=2, max_value=4))
def test_findings_do_not_depend_on_splitting_the_batch_by_patient(
    batch: list[dict[str, Any]], parts: int
) -> None:
    """A distributed run sends each patient's records to one worker and merges the results."""
    items = items_of(batch)
    chunks: dict[int, list[Record | InputError]] = defaultdict(list)
    for n, item in enumerate(items):
        patient = item.encounter.get("patient_id") if isinstance(item, Record) else None
        chunks[hash(patient) % parts if patient else n % parts].append(item)
    merged: list[Finding] = []
    counts = [0, 0]
    for chunk in chunks.values():
        result = run(chunk, builtin())
        merged += result.findings
        counts[0] += result.summary.encounters
        counts[1] += result.summary.input_errors
    whole = run(items, builtin())
    merged.sort(key=Finding.sort_key)
    assert dump(merged) == dump(whole.findings)
    assert counts == [whole.summary.encounters, whole.summary.input_errors]


@given(record=records("E-1"))
def test_one_record_is_checked_the_same_through_every_reader(record: dict[str, Any]) -> None:
    """A record in a .jsonl line, a .json list or a .yaml list gives the same findings."""
    from b12lint.readers.native import read_json, read_jsonl, read_yaml

    text = json.dumps(record)
    (via_jsonl,) = read_jsonl(io.BytesIO(text.encode() + b"\n"), "f")
    (via_json,) = read_json(b"[" + text.encode() + b"]", "f")
    (via_yaml,) = read_yaml(b"- " + text.encode(), "f")  # JSON is YAML
    jsonl = dump(run([via_jsonl], builtin()).findings)
    assert dump(run([via_json], builtin()).findings) == jsonl
    if yaml.safe_load(text) == json.loads(text):  # YAML 1.1 reads 1e+300 as text
        assert dump(run([via_yaml], builtin()).findings) == jsonl
