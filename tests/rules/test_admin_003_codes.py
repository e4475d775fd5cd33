"""B12-ADMIN-003 names only the B12 drug lines billed, not every unclassified J-code."""

from __future__ import annotations

import b12lint


def test_only_b12_drug_codes_are_named() -> None:
    record = {
        "encounter_id": "E-1",
        "date_of_service": "2026-03-02",
        "diagnoses": ["D51.0"],
        "documentation": {"indication": "pernicious anemia"},
        "lines": [
            {"code": "J3490", "units": 1, "description": "ketorolac 30 mg"},  # not B12
            {"code": "J3420", "units": 1},
            {"code": "96372", "units": 1},
        ],
    }
    messages = [f.message for f in b12lint.lint([record]) if f.rule_id == "B12-ADMIN-003"]
    assert messages == ["J3420 billed but no B12 administration is documented in the chart"]
