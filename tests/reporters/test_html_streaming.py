"""The HTML audit report's totals and drill-down, made a place (file and line) at a time so
that findings streamed from disk are never all in memory."""

from __future__ import annotations

from b12lint.engine.findings import finding
from b12lint.model import Finding
from b12lint.reporters.html.aggregate import places, tally


def test_html_groups_a_place_at_a_time() -> None:
    """The HTML drill-down's encounter groups, made a place (file, line) at a time: in the
    order they first appear, anchored across places, ids that sort alike kept apart."""

    def at(file: str, line: int | None, eid: str | None, rule: str) -> Finding:
        return finding(rule, "error", "dose", eid, "m", file, line, "", None, None, None)

    found = [
        at("a", 1, None, "R1"),
        at("a", 1, "", "R2"),
        at("a", 1, None, "R3"),
        at("a", 2, "E2", "R1"),
        at("b", None, "E3", "R1"),
        at("b", None, "E4", "R1"),
    ]
    got = [
        (g.anchor, g.encounter_id, [f.rule_id for f in g.findings])
        for _, gs in places(found)
        for g in gs
    ]
    assert got == [
        ("enc-1", None, ["R1", "R3"]),
        ("enc-2", "", ["R2"]),
        ("enc-3", "E2", ["R1"]),
        ("enc-4", "E3", ["R1"]),
        ("enc-5", "E4", ["R1"]),
    ]
    assert [len(f) for f, _ in places(found)] == [3, 1, 2]
    counts = tally(iter(found))
    assert (counts.groups, counts.providers, counts.rule) == (
        5,
        1,
        [("R1", 4), ("R2", 1), ("R3", 1)],
    )
