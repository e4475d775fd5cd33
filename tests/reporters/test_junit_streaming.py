"""JUnit written case by case (two passes over the encounters and findings, which may come
from disk): the same bytes as the whole tree indented and written at once."""

from __future__ import annotations

import io
import random
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest

from b12lint.engine.findings import finding
from b12lint.engine.spill import SpillArea
from b12lint.engine.spilled import FindingSink
from b12lint.model import EncounterRef, Finding, Report, Summary
from b12lint.reporters.junit import build, render

FILES = ("b.jsonl", 'a & <odd> "name"\n.jsonl', "c.x12")


def whole(report: Report) -> str:
    root = build(report)
    ET.indent(root)
    return '<?xml version="1.0" encoding="UTF-8"?>\n' + ET.tostring(root, encoding="unicode") + "\n"


def streamed(report: Report) -> str:
    out = io.StringIO()
    render(report, out)
    return out.getvalue()


def batch(seed: int, n: int) -> tuple[list[EncounterRef], list[Finding]]:
    """Encounters in input order (several on one line, some without a line) and findings on
    them and elsewhere (no encounter id, no line, ids that sort before and after)."""
    rng = random.Random(seed)
    refs = []
    for _ in range(n):
        file = rng.choice(FILES)
        line = None if rng.random() < 0.1 else rng.randint(1, n // 3 + 1)
        refs.append(EncounterRef(file, line, f"E{rng.randint(0, n)}"))
    found = []
    for i in range(2 * n):
        ref = rng.choice(refs)
        eid = None if rng.random() < 0.1 else rng.choice([ref.encounter_id, "", "Z9", "A0"])
        found.append(
            finding(
                f"B12-T-00{rng.randint(1, 4)}",
                rng.choice(["error", "warning", "info"]),
                "dose",
                eid,
                rng.choice(["m <1> & \x01", f"message {i}"]),
                ref.file,
                rng.choice([ref.line, None, 1]),
                "/lines/0",
                None,
                None,
                None,
            )
        )
    return refs, found


@pytest.mark.parametrize(("seed", "n", "quiet"), [(1, 0, 0), (2, 1, 0), (3, 40, 5), (4, 300, 60)])
def test_streamed_junit_is_the_whole_tree(seed: int, n: int, quiet: int, tmp_path: Path) -> None:
    refs, found = batch(seed, n)
    found.sort(key=Finding.sort_key)
    shown, hidden = found[: len(found) - quiet], found[len(found) - quiet :]
    hidden = [f.model_copy(update={"suppressed_by": "exception 1: ok"}) for f in hidden]
    with SpillArea(7) as area:
        sink = FindingSink(area)
        sink.extend(shown)
        report = Report(
            findings=sink.sorted(),
            summary=Summary(),
            rulesets=[],
            suppressed=hidden,
            encounters=refs,
        )
        text = streamed(report)
        assert text == whole(report)
    root = ET.fromstring(text.split("\n", 1)[1])
    assert int(root.get("tests", "-1")) == sum(len(s) for s in root)
    if n:
        assert int(root.get("failures", "0")) > 0


def test_findings_only_and_encounters_only() -> None:
    refs, found = batch(5, 30)
    found.sort(key=Finding.sort_key)
    for report in (
        Report(findings=found, summary=Summary(), rulesets=[]),
        Report(findings=[], summary=Summary(), rulesets=[], encounters=refs),
    ):
        assert streamed(report) == whole(report)
