"""Findings built without pydantic's per-field bookkeeping equal model_construct's."""

from __future__ import annotations

from pydantic import BaseModel, ConfigDict

from b12lint.engine import findings as build
from b12lint.model import Context, Finding, Fix, Location


def test_a_built_finding_equals_a_constructed_one() -> None:
    ctx = build.context("PT-1", "1234567893", "2026-03-02", "medicare", "b12-core")
    made = build.finding(
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
    reference = Finding.model_construct(
        rule_id="B12-UNITS-001",
        severity="error",
        category="units",
        encounter_id="E-1",
        message="m",
        location=Location.model_construct(file="a.jsonl", line=3, pointer="/lines/0/units"),
        fix=Fix.model_construct(pointer="/lines/0/units", value=1, safe=True),
        subject="2",
        context=Context.model_construct(
            patient_id="PT-1",
            rendering_npi="1234567893",
            date_of_service="2026-03-02",
            payer="medicare",
            pack="b12-core",
        ),
    )
    assert made == reference
    assert made.model_dump() == reference.model_dump()
    assert made.model_fields_set == reference.model_fields_set
    copied = made.model_copy(update={"suppressed_by": "baseline"})
    assert copied.suppressed_by == "baseline" and made.suppressed_by is None
    assert "suppressed_by" not in made.model_fields_set  # the shared set was not changed


def test_a_model_with_a_post_init_is_constructed_by_pydantic() -> None:
    class Special(BaseModel):
        model_config = ConfigDict(frozen=True)
        x: int = 0

        def model_post_init(self, context: object) -> None:
            pass

    make = build._direct(Special, {"x"})
    assert make is not None and make(x=2).x == 2
    assert make.__name__ == "slow"
    assert build._direct(Location, {"file", "line", "pointer"}).__name__ == "build"
