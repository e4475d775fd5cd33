"""The clean B12 encounter the tests build their records from (one definition for the suite).

``tests/`` is on ``sys.path`` (pytest's rootdir-relative import of ``tests/conftest.py``), so any
test module can ``from b12_records import clean_record``.
"""

from __future__ import annotations

import copy
import datetime as dt
from typing import Any

#: The example record of FORMATS.md section 1: a B12 encounter every built-in rule accepts.
CLEAN_RECORD: dict[str, Any] = {
    "encounter_id": "ENC-1001",
    "patient_id": "PT-0077",
    "date_of_service": "2026-03-02",
    "place_of_service": "11",
    "rendering_npi": "1234567893",
    "payer": {"id": "00952", "name": "Medicare Part B", "type": "medicare"},
    "diagnoses": ["D51.0", "K90.0"],
    "documentation": {
        "indication": "pernicious anemia, maintenance",
        "indication_codes": ["D51.0"],
        "phase": "maintenance",
        "monitoring": {
            "plan": "B12 level and CBC every 6 months",
            "last_b12_lab_date": "2026-01-12",
        },
        "administrations": [
            {
                "drug": "cyanocobalamin",
                "dose": "1000 mcg",
                "route": "IM",
                "site": "left deltoid",
                "ndc": "0517-0031-25",
                "supplied_by": "clinic",
                "time": "2026-03-02T10:15:00",
            }
        ],
    },
    "lines": [
        {
            "code": "J3420",
            "units": 1,
            "modifiers": [],
            "dx_pointers": [1],
            "date": "2026-03-02",
            "ndc": "00517003125",
            "ndc_quantity": 1,
            "ndc_unit": "ML",
            "charge": 12.00,
        },
        {
            "code": "96372",
            "units": 1,
            "modifiers": [],
            "dx_pointers": [1],
            "date": "2026-03-02",
            "charge": 25.00,
        },
    ],
}

#: A flu shot visit: no B12 drug line, no B12 administration (out of scope).
FLU_RECORD: dict[str, Any] = {
    "encounter_id": "FLU-1",
    "patient_id": "PT-FLU",
    "date_of_service": "2026-03-02",
    "rendering_npi": "0000000000",  # invalid NPI: would be a finding if it were in scope
    "diagnoses": ["Z23", "NOT-A-CODE"],
    "lines": [{"code": "90686", "units": 1}, {"code": "G0008", "units": 0}],
}


def _iso_date(value: Any) -> bool:
    try:
        dt.date.fromisoformat(value)
    except (TypeError, ValueError):
        return False
    return True


def clean_record(**overrides: Any) -> dict[str, Any]:
    """A fresh deep copy of :data:`CLEAN_RECORD` with top-level keys replaced by ``overrides``.

    A new ``date_of_service`` (an ISO date) moves the lines and the administration to that day
    too, so the record stays a clean encounter billed on its date of service.
    """
    record = copy.deepcopy(CLEAN_RECORD)
    day = overrides.get("date_of_service")
    if _iso_date(day):
        for line in record["lines"]:
            line["date"] = day
        for administration in record["documentation"]["administrations"]:
            administration["time"] = f"{day}T{administration['time'].partition('T')[2]}"
    record.update(copy.deepcopy(overrides))
    return record
