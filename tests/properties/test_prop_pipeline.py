"""End to end on generated files: whatever text the records hold (any Unicode, escaped lone
surrogates included), a file is read, checked and rendered in every output format, and the
output encodes as UTF-8 (as it is written to a file) — a record never takes the run down.
"""

from __future__ import annotations

import io
import json
import tempfile
from pathlib import Path
from typing import Any

import yaml
from hypothesis import given
from hypothesis import strategies as st
from record_strategies import records

from b12lint.cli.check import build_report
from b12lint.engine import load_ruleset
from b12lint.reporters import REPORTERS, get_reporter

#: Any code point, lone surrogates included (they reach strings through \\ud800 escapes).
ANY_TEXT = st.text(st.characters() | st.characters(categories=["Cs"]), max_size=12)
RULESET = load_ruleset()


@st.composite
def strange_records(draw: st.DrawFn, n: int) -> dict[str, Any]:
    record = draw(records(f"E-{n}"))
    for path in (("patient_id",), ("documentation", "indication"), ("encounter_id",)):
        if draw(st.booleans()):
            target = record
            for key in path[:-1]:
                if not isinstance(target.get(key), dict):
                    target[key] = {}
                target = target[key]
            target[path[-1]] = draw(ANY_TEXT) or "x"
    lines = record.get("lines") or []
    if lines and draw(st.booleans()):
        lines[0]["description"] = draw(ANY_TEXT)
    return record


@given(
    batch=st.lists(st.integers(), min_size=1, max_size=4).flatmap(
        lambda ns: st.tuples(*[strange_records(n) for n in range(len(ns))])
    ),
    fmt=st.sampled_from(["json", "jsonl", "yaml"]),
)
def test_any_text_is_read_checked_and_rendered_in_every_format(
    batch: tuple[dict[str, Any], ...], fmt: str
) -> None:
    if fmt == "json":
        data = json.dumps(list(batch)).encode()  # \\ud800 escapes for lone surrogates
    elif fmt == "jsonl":
        data = b"".join(json.dumps(r).encode() + b"\n" for r in batch)
    else:
        data = yaml.safe_dump(json.loads(json.dumps(list(batch)))).encode()
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / f"batch.{fmt}"
        path.write_bytes(data)
        report = build_report([str(path)], RULESET, None)
    assert report.summary.encounters + report.summary.input_errors == len(batch)
    for name in sorted(REPORTERS):
        out = io.StringIO()
        get_reporter(name)(report, out, False)
        out.getvalue().encode("utf-8")  # what writing the report file does
