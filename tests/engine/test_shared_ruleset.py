"""A ruleset loaded once is shared by every batch and thread: its rule selection is built once,
and two threads checking at once never mix their encounters."""

from __future__ import annotations

import threading
from pathlib import Path

import pytest

from b12lint.engine import Ruleset, combine, load_packs, run
from b12lint.engine.selection import Selection
from b12lint.model import Finding
from b12lint.readers import read_inputs

SAMPLES = Path(__file__).resolve().parents[2] / "sample_claims"
BATCHES = ["clinic-a-2026q1.jsonl", "clinic-d-2026-06.jsonl", "clinic-h-2026-07.jsonl"]


def findings(paths: list[str], ruleset: Ruleset) -> list[Finding]:
    return run(read_inputs(paths), ruleset).findings


def test_the_selection_is_built_once_per_ruleset(core_ruleset: Ruleset) -> None:
    first = core_ruleset.selection
    run([], core_ruleset)
    assert core_ruleset.selection is first
    assert isinstance(first, Selection) and first.rules == core_ruleset.encounter_rules
    other = core_ruleset.select(ignore=["B12-UNITS"])
    assert other.selection is not first  # a selected ruleset has its own


@pytest.mark.parametrize("engine", ["generated", "closures"])
def test_threads_sharing_one_ruleset_find_what_fresh_rulesets_find(engine: str) -> None:
    """A service checks requests in worker threads with one loaded ruleset: its selection
    cache and its rules' evaluation environments must not mix two threads' encounters (a
    rule's environment was once shared: a route finding appeared on an IM encounter)."""
    paths = [str(SAMPLES / name) for name in BATCHES]
    # each batch on a ruleset of its own: nothing shared
    expected = [findings([p], combine(load_packs(engine=engine))) for p in paths]
    shared = combine(load_packs(engine=engine))
    got: dict[int, list[list[Finding]]] = {}
    errors: list[BaseException] = []

    def work(n: int) -> None:
        try:
            order = paths[n % 3 :] + paths[: n % 3]
            got[n] = [findings([p], shared) for p in order + order]
        except BaseException as exc:
            errors.append(exc)

    threads = [threading.Thread(target=work, args=(n,)) for n in range(8)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=300)
    assert errors == []
    assert len(got) == len(threads)
    for n, batches in got.items():
        rotated = expected[n % 3 :] + expected[: n % 3]
        assert batches == rotated + rotated
    assert all(expected)  # the batches have findings to compare


def test_a_full_cache_starts_over_with_the_same_choices(monkeypatch: pytest.MonkeyPatch) -> None:
    import b12lint.engine.selection as selection_module

    paths = [str(SAMPLES / BATCHES[0])]
    expected = findings(paths, combine(load_packs()))
    ruleset = combine(load_packs())
    monkeypatch.setattr(selection_module, "CACHE_SIZE", 2)
    assert findings(paths, ruleset) == expected
    assert findings(paths, ruleset) == expected  # again, over a cache that started over
    assert len(ruleset.selection._cache) <= 2
