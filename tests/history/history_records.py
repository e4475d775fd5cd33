"""Record builders shared by the history tests."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any


def encounter(
    eid: str,
    patient: str | None,
    date: str,
    *,
    phase: str | None = "maintenance",
    b12: bool = True,
    **extra: Any,
) -> dict[str, Any]:
    """A clean B12 maintenance injection (or a flu shot with ``b12=False``)."""
    record: dict[str, Any] = {
        "encounter_id": eid,
        "date_of_service": date,
        "diagnoses": ["D51.0"],
        "documentation": {
            "indication": "pernicious anemia, maintenance",
            "indication_codes": ["D51.0"],
            "administrations": [
                {"drug": "cyanocobalamin", "dose": "1000 mcg", "route": "IM", "site": "deltoid"}
            ],
        },
        "lines": [
            {"code": "J3420", "units": 1, "dx_pointers": [1]},
            {"code": "96372", "units": 1, "dx_pointers": [1]},
        ],
    }
    if patient is not None:
        record["patient_id"] = patient
    if phase is not None:
        record["documentation"]["phase"] = phase
    if not b12:
        record["documentation"] = {}
        record["diagnoses"] = ["Z23"]
        record["lines"] = [{"code": "90686", "units": 1}, {"code": "G0008", "units": 1}]
    record.update(extra)
    return record


def write_jsonl(path: Path, records: list[dict[str, Any]]) -> Path:
    """Write records one per line; the path."""
    path.write_text("".join(json.dumps(r) + "\n" for r in records), encoding="utf-8")
    return path
