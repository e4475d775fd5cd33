"""Findings built by the engine equal the ones the constructors make, and behave as frozen
values (equality, hashing, copies, pickling, dumps)."""

from __future__ import annotations

import copy
import datetime as dt
import json
import pickle

import pytest

from b12lint.engine import findings as build
from b12lint.model import Context, Finding, Fix, Location


def reference() -> Finding:
    return Finding(
        rule_id="B12-UNITS-001",
        severity="error",
        category="units",
        encounter_id="E-1",
        message="m",
        location=Location(file="a.jsonl", line=3, pointer="/lines/0/units"),
        fix=Fix(pointer="/lines/0/units", value=1, safe=True),
        subject="2",
        context=Context(
            patient_id="PT-1",
            rendering_npi="1234567893",
            date_of_service="2026-03-02",
            payer="medicare",
            pack="b12-core",
        ),
    )


def made() -> Finding:
    ctx = build.context("PT-1", "1234567893", "2026-03-02", "medicare", "b12-core")
    return build.finding(
        "B12-UNITS-001",
        "error",
        "units",
        "E-1",
        "m",
        "a.jsonl",
        3,
        "/lines/0/units",
        ("/lines/0/units", 1, True),
        "2",
        ctx,
    )


def test_a_built_finding_equals_a_constructed_one() -> None:
    f, ref = made(), reference()
    assert f == ref and hash(f) == hash(ref)
    assert f.model_dump() == ref.model_dump()
    assert f.suppressed_by is None and f.location.line == 3
    assert f != ref.model_copy(update={"message": "other"})
    assert build.finding("R", "info", "units", None, "m", "f", None, "") == Finding(
        rule_id="R",
        severity="info",
        category="units",
        encounter_id=None,
        message="m",
        location=Location(file="f"),
    )


def test_copies_replace_fields_and_leave_the_original() -> None:
    f = made()
    copied = f.model_copy(update={"suppressed_by": "baseline"})
    assert copied.suppressed_by == "baseline" and f.suppressed_by is None
    assert copied.location is f.location and copied.rule_id == f.rule_id
    assert copy.deepcopy(f) == f and copy.copy(f) == f


def test_findings_refuse_unknown_or_missing_fields_and_hold_no_dict() -> None:
    """Frozen by type (``Final`` fields: mypy refuses an assignment); slotted, so a typo'd
    attribute cannot be added either."""
    f = made()
    with pytest.raises(AttributeError):
        f.colour = "red"  # type: ignore[attr-defined]
    assert not hasattr(f, "__dict__") and not hasattr(f.location, "__dict__")
    with pytest.raises(TypeError):
        Location(file="a", colour="red")  # type: ignore[call-arg]
    with pytest.raises(TypeError):
        Finding(rule_id="R")  # type: ignore[call-arg]
    with pytest.raises(TypeError):
        Context(patient="x")  # type: ignore[call-arg]
    with pytest.raises(TypeError):
        Location("a")  # type: ignore[call-arg]  # keywords only, as pydantic's


def test_findings_pickle_and_dump_as_json() -> None:
    f = made()
    assert pickle.loads(pickle.dumps(f)) == f
    dumped = f.model_dump(mode="json")
    assert dumped["location"] == {"file": "a.jsonl", "line": 3, "pointer": "/lines/0/units"}
    assert dumped["fix"] == {"pointer": "/lines/0/units", "value": 1, "safe": True}
    assert json.loads(f.model_dump_json()) == dumped
    dated = Fix(pointer="/date_of_service", value=dt.date(2026, 6, 1))
    assert dated.model_dump(mode="json")["value"] == "2026-06-01"
    assert dated.model_dump()["value"] == dt.date(2026, 6, 1)
    assert repr(f.location) == "Location(file='a.jsonl', line=3, pointer='/lines/0/units')"
