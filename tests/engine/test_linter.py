"""The linter: scope, duplicate ids, accounting, history order, effective dates, library API."""

from __future__ import annotations

import datetime as dt
import itertools
import random
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest

import b12lint
from b12lint.engine import Linter, Ruleset, load_ruleset, run
from b12lint.engine.history import Event
from b12lint.model import Finding, InputError, Record, Source, validate_encounter
from b12lint.readers import read_inputs

MakeRecord = Callable[..., dict[str, Any]]


def record(data: dict[str, Any], line: int, file: str = "batch.jsonl", **kw: Any) -> Record:
    return Record(validate_encounter(data), Source(file, line), **kw)


def rule_ids(findings: list[Finding]) -> list[str]:
    return [f.rule_id for f in findings]


def b12_line(code: str = "J3490", **line: Any) -> list[dict[str, Any]]:
    return [{"code": code, "units": 1, **line}, {"code": "96372", "units": 1}]


# --------------------------------------------------------------------------- scope


def test_a_non_b12_encounter_is_counted_but_gets_no_finding(
    make_flu: MakeRecord, make_record: MakeRecord, core_ruleset: Ruleset
) -> None:
    flu = make_flu("FLU-1")
    result = run([record(flu, 1)], core_ruleset)
    assert result.findings == []
    assert (result.summary.encounters, result.summary.b12_encounters) == (1, 0)
    # the same faults on a B12 encounter are findings: scope is what kept them out
    faulty = make_record("B12-1", rendering_npi=flu["rendering_npi"], diagnoses=flu["diagnoses"])
    found = run([record(faulty, 1)], core_ruleset)
    assert {"B12-PROV-001", "B12-DX-001"} <= set(rule_ids(found.findings))
    assert found.summary.b12_encounters == 1


@pytest.mark.parametrize(
    ("changes", "in_scope"),
    [
        pytest.param(
            {"lines": b12_line(description="Cyanocobalamin 1000 mcg")}, True, id="J3490-narr"
        ),
        pytest.param({"lines": b12_line(description="vitamin B-12 inj")}, True, id="J3490-vit-b12"),
        pytest.param({"lines": b12_line(ndc="00517003125")}, True, id="J3490-b12-ndc"),
        pytest.param({"lines": b12_line(ndc="0517-0031-25")}, True, id="J3490-b12-ndc-10"),
        pytest.param({"lines": b12_line(description="ondansetron 4 mg")}, False, id="J3490-other"),
        pytest.param({"lines": b12_line()}, False, id="J3490-no-narrative"),
        pytest.param(
            {"lines": b12_line(description="methylcobalamin (B12) 5000 mcg")},
            False,
            id="J3490-methylcobalamin",
        ),
        pytest.param({"lines": b12_line("J3420")}, True, id="J3420"),
        pytest.param({"lines": b12_line("j3420 ")}, True, id="J3420-lower"),
        pytest.param({"lines": b12_line("J3425")}, True, id="J3425"),
        pytest.param(
            {
                "lines": b12_line("J3424", ndc="50633031011"),
                "documentation": {
                    "administrations": [
                        {"drug": "Cyanokit", "dose": "5 g", "route": "IV", "ndc": "50633-0310-11"}
                    ]
                },
            },
            False,
            id="J3424-cyanokit",
        ),
        pytest.param(
            {
                "lines": b12_line("J3424"),
                "documentation": {
                    "administrations": [
                        {"drug": "hydroxocobalamin", "dose": "5 g", "ndc": "50633031011"}
                    ]
                },
            },
            False,
            id="J3424-hydroxocobalamin-cyanokit-ndc",
        ),
        pytest.param(
            {
                "lines": [{"code": "99213", "units": 1}],
                "documentation": {
                    "administrations": [{"drug": "cyanocobalamin", "dose": "1000 mcg"}]
                },
            },
            True,
            id="documented-b12-administration-only",
        ),
        pytest.param(
            {
                "lines": [{"code": "96372", "units": 1}],
                "documentation": {"administrations": [{"drug": "ketorolac", "dose": "30 mg"}]},
            },
            False,
            id="other-injection",
        ),
    ],
)
def test_b12_scope(changes: dict[str, Any], in_scope: bool, core_ruleset: Ruleset) -> None:
    data = {"encounter_id": "E-1", "date_of_service": "2026-03-02", "diagnoses": ["D51.0"]}
    data.update(changes)
    result = run([record(data, 1)], core_ruleset)
    assert result.summary.encounters == 1
    assert result.summary.b12_encounters == int(in_scope)
    if not in_scope:
        assert result.findings == []


# --------------------------------------------------------------------------- duplicates, accounting


def test_a_duplicate_encounter_id_is_an_input_finding_and_not_checked(
    make_record: MakeRecord, core_ruleset: Ruleset
) -> None:
    first = make_record("DUP")
    second = make_record("DUP", rendering_npi="0000000000")  # would be B12-PROV-001
    result = run([record(first, 1), record(second, 2)], core_ruleset)
    assert rule_ids(result.findings) == ["B12-INPUT-003"]
    dup = result.findings[0]
    assert (dup.severity, dup.category, dup.encounter_id) == ("error", "input", "DUP")
    assert (dup.location.file, dup.location.line, dup.location.pointer) == (
        "batch.jsonl",
        2,
        "/encounter_id",
    )
    assert "DUP" in dup.message
    assert (result.summary.encounters, result.summary.input_errors) == (1, 1)


def test_encounters_plus_input_errors_is_every_record(
    tmp_path: Path, make_record: MakeRecord, make_flu: MakeRecord, core_ruleset: Ruleset
) -> None:
    import json

    lines = [
        json.dumps(make_record("A")),
        "{not json",
        json.dumps(make_flu("F")),
        json.dumps({"encounter_id": "X", "date_of_service": "2026-03-02", "lines": "J3420"}),
        json.dumps({"date_of_service": "2026-03-02"}),
        json.dumps(make_record("A")),
        json.dumps(make_record("B", lines=[{"code": "J3420", "units": 3}])),
        "[]",
        "42",
    ]
    path = tmp_path / "mixed.jsonl"
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    result = run(read_inputs([str(path)]), core_ruleset)
    summary = result.summary
    assert summary.encounters + summary.input_errors == len(lines)
    assert (summary.encounters, summary.b12_encounters, summary.input_errors) == (3, 2, 6)
    inputs = [f for f in result.findings if f.category == "input"]
    assert [f.location.line for f in inputs] == [2, 4, 5, 6, 8, 9]
    assert [f.rule_id for f in inputs] == [
        "B12-INPUT-001",
        "B12-INPUT-002",
        "B12-INPUT-002",
        "B12-INPUT-003",
        "B12-INPUT-002",
        "B12-INPUT-002",
    ]
    assert summary.findings == len(result.findings)
    assert sum(summary.by_severity.values()) == len(result.findings)
    assert summary.by_severity["error"] == sum(f.severity == "error" for f in result.findings)


def test_findings_are_sorted_by_file_line_encounter_rule(
    make_record: MakeRecord, core_ruleset: Ruleset
) -> None:
    bad = {"rendering_npi": "0000000000", "lines": [{"code": "J3420", "units": 2}]}
    items = [
        record(make_record("Z", **bad), 3, "b.jsonl"),
        record(make_record("Y", **bad), 1, "b.jsonl"),
        record(make_record("X", **bad), 2, "a.jsonl"),
        InputError(Source("a.jsonl", 1), "broken"),
    ]
    findings = run(items, core_ruleset).findings
    keys = [(f.location.file, f.location.line, f.encounter_id or "", f.rule_id) for f in findings]
    assert keys == sorted(keys)
    assert len({k[:2] for k in keys}) == 4


def test_input_errors_become_input_findings(core_ruleset: Ruleset) -> None:
    items = [
        InputError(Source("f.json", 3), "not valid JSON", digest="abc"),
        InputError(Source("f.json", 9), "too big", rule_id="B12-INPUT-004"),
        InputError(Source("f.json", 12), "odd", rule_id="B12-INPUT-999"),
    ]
    result = run(items, core_ruleset)
    assert rule_ids(result.findings) == ["B12-INPUT-001", "B12-INPUT-004", "B12-INPUT-001"]
    assert all(f.category == "input" and f.severity == "error" for f in result.findings)
    assert [f.message for f in result.findings] == ["not valid JSON", "too big", "odd"]
    assert result.summary.input_errors == 3 and result.summary.encounters == 0


def test_findings_carry_reporter_context(make_record: MakeRecord, core_ruleset: Ruleset) -> None:
    data = make_record("C-1", rendering_npi="0000000000")
    (finding,) = run([record(data, 1)], core_ruleset).findings
    assert finding.context is not None
    assert finding.context.patient_id == "PT-C-1"
    assert finding.context.rendering_npi == "0000000000"
    assert finding.context.date_of_service == "2026-03-02"
    assert finding.context.payer == "medicare"
    assert finding.context.pack == "b12-core"
    assert "context" not in finding.report_dict()


def test_a_record_without_chart_skips_chart_rules(
    make_record: MakeRecord, core_ruleset: Ruleset
) -> None:
    data = make_record("NC-1", lines=[{"code": "J3420", "units": 2}, {"code": "96372", "units": 1}])
    with_chart = run([record(data, 1)], core_ruleset)
    without = run([record(data, 1, has_chart=False)], core_ruleset)
    assert "B12-UNITS-001" in rule_ids(with_chart.findings)  # needs_chart: true
    assert "B12-UNITS-001" not in rule_ids(without.findings)
    assert "B12-UNITS-003" in rule_ids(without.findings)  # MUE needs no chart
    assert without.summary.without_chart == 1
    assert with_chart.summary.without_chart == 0


# --------------------------------------------------------------------------- history order


def _visit(eid: str, patient: str, date: str, phase: str | None = "maintenance") -> dict[str, Any]:
    doc: dict[str, Any] = {
        "indication": "pernicious anemia",
        "administrations": [{"drug": "cyanocobalamin", "dose": "1000 mcg", "route": "IM"}],
    }
    if phase:
        doc["phase"] = phase
    return {
        "encounter_id": eid,
        "patient_id": patient,
        "date_of_service": date,
        "diagnoses": ["D51.0"],
        "documentation": doc,
        "lines": [{"code": "J3420", "units": 1}, {"code": "96372", "units": 1}],
    }


HISTORY_BATCH = [
    _visit("A1", "PA", "2026-03-02"),
    _visit("A2", "PA", "2026-03-09"),  # 7 days: finding
    _visit("A3", "PA", "2026-04-20"),
    _visit("A4", "PA", "2026-05-01"),  # 11 days after A3: finding
    _visit("B1", "PB", "2026-03-02", "repletion"),
    _visit("B2", "PB", "2026-03-09", "repletion"),
    _visit("B3", "PB", "2026-04-06"),  # 28 days after B2: fine
    _visit("C1", "PC", "2026-03-02", None),
    _visit("C2", "PC", "2026-03-20", None),  # undocumented phase, 18 days: finding
    _visit("D1", "PD", "2026-03-02"),
    _visit("D2", "PD", "2026-03-02"),  # same day, id order: D2 after D1
    {**_visit("E1", "PE", "2026-03-05"), "lines": [{"code": "J3420", "units": 3}]},
]


def test_history_findings_do_not_depend_on_record_order(core_ruleset: Ruleset) -> None:
    items = [record(data, i + 1) for i, data in enumerate(HISTORY_BATCH)]
    baseline = [f.report_dict() for f in run(items, core_ruleset).findings]
    freq = [f for f in baseline if f["rule_id"] == "B12-FREQ-001"]
    assert [f["encounter_id"] for f in freq] == ["A2", "A4", "C2", "D2"]
    assert "(A1 on 2026-03-02)" in freq[0]["message"]
    assert "(A3 on 2026-04-20)" in freq[1]["message"]
    assert any(f["rule_id"] == "B12-UNITS-003" for f in baseline)  # per-encounter rules too
    rng = random.Random(20261126)
    orders = [list(reversed(items))] + [rng.sample(items, len(items)) for _ in range(8)]
    for order in orders:
        assert [f.report_dict() for f in run(order, core_ruleset).findings] == baseline


def test_history_with_dict_records_through_lint_in_any_order(core_ruleset: Ruleset) -> None:
    def freq(records: list[dict[str, Any]]) -> list[tuple[str | None, str]]:
        found = b12lint.lint(records, core_ruleset)
        return sorted((f.encounter_id, f.message) for f in found if f.rule_id == "B12-FREQ-001")

    forward = freq(HISTORY_BATCH)
    assert len(forward) == 4
    assert freq(list(reversed(HISTORY_BATCH))) == forward


def test_context_events_are_history_but_never_reported(core_ruleset: Ruleset) -> None:
    event = Event(
        encounter_id="OLD-1",
        patient_id="PA",
        date=dt.date(2026, 2, 23),
        phase="maintenance",
        codes=frozenset({"J3420"}),
        drugs=("cyanocobalamin",),
        dose_mcg=1000.0,
        injection=True,
    )
    linter = Linter(core_ruleset.select(["frequency"]), context_events=[event])
    findings = linter.check(record(_visit("A1", "PA", "2026-03-02"), 1))
    findings += linter.finish()
    assert [(f.rule_id, f.encounter_id) for f in findings] == [("B12-FREQ-001", "A1")]
    assert "OLD-1 on 2026-02-23" in findings[0].message
    assert linter.summary.encounters == 1


# --------------------------------------------------------------------------- effective dates


@pytest.fixture
def dated_ruleset(
    make_pack: Callable[..., Path], rule_doc: Callable[..., dict[str, Any]]
) -> Ruleset:
    window = {"from": "2026-03-01", "to": "2026-03-31"}
    folder = make_pack(
        "dated",
        [
            rule_doc(id="T-DATED-001", effective=window, when=True),
            rule_doc(id="T-OPEN-001", effective={"from": "2026-03-01"}, when=True),
            rule_doc(
                id="T-HIST-001",
                kind="history",
                category="frequency",
                effective={"from": "2026-03-10", "to": "2026-03-20"},
                message="after {previous.encounter_id}",
                when={"exists": "$previous"},
                examples={"fail": [{}], "pass": [{}]},
            ),
        ],
    )
    return load_ruleset([folder], builtin=False)


@pytest.mark.parametrize(
    ("date", "expected"),
    [
        ("2026-02-28", []),
        ("2026-03-01", ["T-DATED-001", "T-OPEN-001"]),
        ("2026-03-31", ["T-DATED-001", "T-OPEN-001"]),
        ("2026-04-01", ["T-OPEN-001"]),
        ("2099-12-31", ["T-OPEN-001"]),
    ],
)
def test_a_rule_fires_only_on_dates_of_service_it_is_in_effect(
    dated_ruleset: Ruleset, make_record: MakeRecord, date: str, expected: list[str]
) -> None:
    data = make_record("D-1", date_of_service=date)
    found = rule_ids(run([record(data, 1)], dated_ruleset.select(["T-DATED", "T-OPEN"])).findings)
    assert found == expected


def test_history_rules_use_the_date_of_the_reported_event(dated_ruleset: Ruleset) -> None:
    dates = ["2026-03-02", "2026-03-09", "2026-03-10", "2026-03-20", "2026-03-21"]
    items = [record(_visit(f"H{i}", "PH", d), i) for i, d in enumerate(dates, 1)]
    findings = run(items, dated_ruleset.select(["T-HIST-001"])).findings
    assert [(f.encounter_id, f.message) for f in findings] == [
        ("H3", "after H2"),
        ("H4", "after H3"),
    ]


def test_the_builtin_rules_respect_their_effective_window(
    make_record: MakeRecord, core_ruleset: Ruleset
) -> None:
    rule = core_ruleset.by_id["B12-PROV-001"]
    start = rule.meta.effective_from
    data = make_record("W-1", rendering_npi="0000000000")
    on = dict(data, date_of_service=start.isoformat())
    before = dict(data, date_of_service=(start - dt.timedelta(days=1)).isoformat())
    selected = core_ruleset.select(["B12-PROV-001"])
    assert rule_ids(run([record(on, 1)], selected).findings) == ["B12-PROV-001"]
    assert rule_ids(run([record(before, 1)], selected).findings) == []


# --------------------------------------------------------------------------- library API


def test_lint_yields_findings_from_plain_dicts(make_record: MakeRecord) -> None:
    bad = make_record("L-1", lines=[{"code": "J3420", "units": 2}, {"code": "96372", "units": 1}])
    findings = list(b12lint.lint([make_record("L-0"), bad]))
    assert findings, "units 2 for a 1,000 mcg dose must be reported"
    assert all(isinstance(f, b12lint.Finding) for f in findings)
    units = next(f for f in findings if f.rule_id == "B12-UNITS-001")
    assert units.encounter_id == "L-1"
    assert (units.location.file, units.location.line) == ("<records>", 2)
    assert units.location.pointer == "/lines/0/units"
    assert units.fix is not None and units.fix.value == 1


def test_lint_reports_invalid_dicts_as_input_findings() -> None:
    findings = list(b12lint.lint([{"encounter_id": 5, "date_of_service": "2026-03-02"}]))
    assert [(f.rule_id, f.location.pointer, f.location.line) for f in findings] == [
        ("B12-INPUT-002", "/encounter_id", 1)
    ]


def test_lint_streams(make_record: MakeRecord, core_ruleset: Ruleset) -> None:
    bad = make_record("S", lines=[{"code": "J3420", "units": 2}])

    def endless() -> Iterator[dict[str, Any]]:
        for i in itertools.count():
            yield dict(bad, encounter_id=f"S-{i}")

    first = list(itertools.islice(b12lint.lint(endless(), core_ruleset), 3))
    assert len(first) == 3
    assert {f.encounter_id for f in first} <= {"S-0", "S-1", "S-2"}


def test_run_takes_dicts_records_and_errors(make_record: MakeRecord) -> None:
    bad = make_record("R-2", rendering_npi="0000000000")
    result = b12lint.run(
        [make_record("R-1"), bad, InputError(Source("x.json", 4), "broken")],
    )
    assert rule_ids(result.findings) == ["B12-PROV-001", "B12-INPUT-001"]
    assert result.summary.encounters == 2
    assert result.summary.b12_encounters == 2
    assert result.summary.input_errors == 1
    assert result.summary.findings == 2
    assert result.summary.by_severity == {"error": 2, "warning": 0, "info": 0}


def test_public_names() -> None:
    assert b12lint.load_ruleset is load_ruleset
    assert b12lint.run is run
    assert b12lint.Linter is Linter
    assert callable(b12lint.load_pack)
    with pytest.raises(AttributeError):
        _ = b12lint.no_such_name  # type: ignore[attr-defined]


def test_version_matches_the_project_metadata() -> None:
    import tomllib

    root = Path(__file__).resolve().parents[2]
    meta = tomllib.loads((root / "pyproject.toml").read_text(encoding="utf-8"))
    assert b12lint.__version__ == meta["project"]["version"]
