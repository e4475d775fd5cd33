"""Rule-language functions of issue 11 items 5-7: deficient_labs, repleted_labs, NDC
re-padding, only."""

from __future__ import annotations

import datetime as dt

from b12lint.domain import lab_reading
from b12lint.engine.functions import (
    FUNCTIONS,
    deficient_labs,
    ndc_padding_matches,
    ndc_quantity_mcg,
    ndc_same_ten_digits,
    only,
    repleted_labs,
)

REFERENCE = {"B12": {"direction": "below", "limits": {"pg/mL": 200, "pmol/L": 148}}}
DOS = dt.date(2026, 3, 2)


def test_registered_with_their_arity() -> None:
    assert (FUNCTIONS["deficient_labs"].min_args, FUNCTIONS["deficient_labs"].max_args) == (3, 3)
    assert FUNCTIONS["ndc_padding_matches"].max_args == 1
    assert FUNCTIONS["ndc_same_ten_digits"].max_args == 2
    assert FUNCTIONS["only"].max_args == 1


def test_deficient_labs() -> None:
    low = lab_reading({"test": "B12", "value": 120, "unit": "pg/mL"})
    normal = lab_reading({"test": "B12", "value": 420, "unit": "pg/mL"})
    assert deficient_labs((low,), REFERENCE, DOS) == ["B12"]
    assert deficient_labs((normal,), REFERENCE, DOS) == []


def test_deficient_labs_unknown_inputs_are_no_evidence() -> None:
    low = lab_reading({"test": "B12", "value": 120, "unit": "pg/mL"})
    assert deficient_labs(None, REFERENCE, DOS) == []
    assert deficient_labs((low,), None, DOS) == []
    assert deficient_labs((low,), REFERENCE, None) == []
    assert deficient_labs((low,), REFERENCE, "2026-03-02") == []
    assert deficient_labs(("B12 120",), REFERENCE, DOS) == []


REPLETED = {
    "B12": {"direction": "below", "limits": {"pg/mL": 200}, "repleted": {"pg/mL": 300}},
    "MMA": {"direction": "above", "limits": {"umol/L": 0.4}, "repleted": {"umol/L": 0.4}},
}
START = dt.date(2026, 2, 2)


def _lab(test: str, value: float, unit: str, date: dt.date | None) -> object:
    return lab_reading({"test": test, "value": value, "unit": unit, "date": date})


def test_repleted_labs_needs_a_result_past_the_repleted_limit() -> None:
    feb = dt.date(2026, 2, 20)
    assert repleted_labs((_lab("B12", 640, "pg/mL", feb),), REPLETED, DOS, START) == ["B12"]
    assert repleted_labs((_lab("MMA", 0.3, "umol/L", feb),), REPLETED, DOS, START) == ["MMA"]
    # borderline B12 (200-300) and the limit itself are not repletion
    assert repleted_labs((_lab("B12", 260, "pg/mL", feb),), REPLETED, DOS, START) == []
    assert repleted_labs((_lab("B12", 300, "pg/mL", feb),), REPLETED, DOS, START) == []
    assert repleted_labs((_lab("MMA", 0.41, "umol/L", feb),), REPLETED, DOS, START) == []


def test_repleted_labs_counts_only_results_back_during_the_phase() -> None:
    normal = 640.0
    before = _lab("B12", normal, "pg/mL", dt.date(2026, 1, 20))
    first_day = _lab("B12", normal, "pg/mL", START)
    visit_day = _lab("B12", normal, "pg/mL", DOS)
    undated = _lab("B12", normal, "pg/mL", None)
    other_unit = _lab("B12", normal, "ng/mL", dt.date(2026, 2, 20))
    for reading in (before, first_day, visit_day, undated, other_unit):
        assert repleted_labs((reading,), REPLETED, DOS, START) == [], reading
    # the latest result decides: normal, then borderline again
    both = (
        _lab("B12", normal, "pg/mL", dt.date(2026, 2, 10)),
        _lab("B12", 250, "pg/mL", dt.date(2026, 2, 20)),
    )
    assert repleted_labs(both, REPLETED, DOS, START) == []
    assert repleted_labs(both[:1], REPLETED, DOS, START) == ["B12"]


def test_repleted_labs_unknown_inputs_are_no_evidence() -> None:
    good = _lab("B12", 640, "pg/mL", dt.date(2026, 2, 20))
    assert repleted_labs(None, REPLETED, DOS, START) == []
    assert repleted_labs((good,), None, DOS, START) == []
    assert repleted_labs((good,), REPLETED, DOS, None) == []
    assert repleted_labs((good,), REFERENCE, DOS, START) == []  # no repleted limits


def test_ndc_functions() -> None:
    assert ndc_padding_matches("05170003101") == ["00517003101"]
    assert ndc_padding_matches(None) == []
    assert ndc_same_ten_digits("05170003101", "00517003101")
    assert not ndc_same_ten_digits(None, "00517003101")


def test_ndc_quantity_mcg() -> None:
    assert ndc_quantity_mcg(30, "ML", 1000) == 30_000
    assert ndc_quantity_mcg(0.5, " ml ", 1000) == 500
    assert ndc_quantity_mcg(1, "ME", None) == 1000
    assert ndc_quantity_mcg(0.001, "GR", None) == 1000
    # UN counts vials, F2 international units: no amount
    for unit in ("UN", "F2", None):
        assert ndc_quantity_mcg(1, unit, 1000) is None
    for bad in (0, -1, None, True, float("nan")):
        assert ndc_quantity_mcg(bad, "ML", 1000) is None
    assert ndc_quantity_mcg(1, "ML", None) is None


def test_only() -> None:
    assert only(["a"]) == "a"
    assert only(("a",)) == "a"
    assert only([]) is None
    assert only(["a", "b"]) is None
    assert only("a") is None
    assert only(None) is None


def test_event_labs_cross_the_worker_wire() -> None:
    """--jobs N: a worker's history event keeps its charted labs for the parent's history rules."""
    from b12_records import clean_record

    from b12lint.engine.history import event_from_view
    from b12lint.engine.view import EncounterView
    from b12lint.model import validate_encounter
    from b12lint.parallel.wire import EventDecoder, event_row

    record = clean_record()
    record["documentation"]["labs"] = [
        {"test": "B12", "value": 150, "unit": "pg/mL", "date": "2026-02-20"},
        {"test": "MMA", "value": 0.9},  # no unit: not a reading
    ]
    event = event_from_view(EncounterView(validate_encounter(record)), None)
    assert event is not None
    assert event.labs == (("B12", 150.0, "pg/mL", dt.date(2026, 2, 20)),)
    decoded, route = EventDecoder().event(event_row(event, 3))
    assert (decoded.labs, route) == (event.labs, 3)
