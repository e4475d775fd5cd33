"""Rule-language functions of issue 11 items 5-7: deficient_labs, NDC re-padding, only."""

from __future__ import annotations

import datetime as dt

from b12lint.domain import lab_reading
from b12lint.engine.functions import (
    FUNCTIONS,
    deficient_labs,
    ndc_padding_matches,
    ndc_same_ten_digits,
    only,
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


def test_ndc_functions() -> None:
    assert ndc_padding_matches("05170003101") == ["00517003101"]
    assert ndc_padding_matches(None) == []
    assert ndc_same_ten_digits("05170003101", "00517003101")
    assert not ndc_same_ten_digits(None, "00517003101")


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
