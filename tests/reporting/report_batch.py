"""The reporting tests' batch: a small input with known findings, and what the tests expect.

The batch (``batch.jsonl``) holds, in order:
  1. ENC-ALPHA-0001  PAT-ZETA-0077  clean maintenance injection (free text names "Jane Roe")
  2. ENC-ALPHA-0002  PAT-ZETA-0077  7 days later, maintenance -> B12-FREQ-001 naming ENC-ALPHA-0001
  3. ENC-BRAVO-0003  PAT-YOTA-0100  J3420 x 2 units -> B12-UNITS-001, B12-UNITS-003
  4. ENC-CHARLIE-0004 PAT-XI-0200   bad NPI check digit -> B12-PROV-001
  5. a truncated JSON line (ENC-DELTA-0005) -> B12-INPUT-001
  6. ENC-ECHO-0006   PAT-MU-0400    a flu shot: read, not in B12 scope, no finding
  7. ENC-FOXTROT-0007 PAT-OMEGA-0300 date_of_service is a number -> B12-INPUT-002
"""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path
from typing import Any

from b12_records import clean_record
from click.testing import Result

from b12lint.model import Context, Finding, Location

REPO = Path(__file__).resolve().parents[2]
SARIF_SCHEMA = REPO.parent / "shared" / "reference" / "sarif-schema-2.1.0.json"
FORMATS = ("text", "json", "jsonl", "sarif", "junit", "github", "csv", "html")

#: The ``check`` fixture: run ``b12lint check`` with these arguments.
Check = Callable[..., Result]

#: Every identifier and free-text value of the batch that --redact must hide.
SECRETS = (
    "ENC-ALPHA-0001",
    "ENC-ALPHA-0002",
    "ENC-BRAVO-0003",
    "ENC-CHARLIE-0004",
    "ENC-ECHO-0006",
    "ENC-FOXTROT-0007",
    "PAT-ZETA-0077",
    "PAT-YOTA-0100",
    "PAT-XI-0200",
    "PAT-MU-0400",
    "PAT-OMEGA-0300",
    "Jane Roe",
    "left deltoid near mole",
)


def encounter(encounter_id: str, patient_id: str, dos: str, **changes: Any) -> dict[str, Any]:
    """A clean B12 encounter with ``changes`` applied at the top level."""
    return clean_record(
        encounter_id=encounter_id, patient_id=patient_id, date_of_service=dos, **changes
    )


def batch_lines() -> list[str]:
    """The batch's lines (see the module docstring)."""
    first = encounter("ENC-ALPHA-0001", "PAT-ZETA-0077", "2026-03-02")
    first["documentation"]["indication"] = "pernicious anemia; patient Jane Roe prefers mornings"
    first["documentation"]["administrations"][0]["site"] = "left deltoid near mole"
    units = encounter("ENC-BRAVO-0003", "PAT-YOTA-0100", "2026-04-06")
    units["lines"][0]["units"] = 2
    flu = {
        "encounter_id": "ENC-ECHO-0006",
        "patient_id": "PAT-MU-0400",
        "date_of_service": "2026-04-07",
        "lines": [{"code": "90686", "units": 1}, {"code": "G0008", "units": 1}],
    }
    records = [
        first,
        encounter("ENC-ALPHA-0002", "PAT-ZETA-0077", "2026-03-09"),
        units,
        encounter("ENC-CHARLIE-0004", "PAT-XI-0200", "2026-05-04", rendering_npi="1234567890"),
    ]
    lines = [json.dumps(r) for r in records]
    lines.append('{"encounter_id": "ENC-DELTA-0005", "patient_id": "PAT-')
    lines.append(json.dumps(flu))
    lines.append(
        json.dumps(
            {
                "encounter_id": "ENC-FOXTROT-0007",
                "patient_id": "PAT-OMEGA-0300",
                "date_of_service": 123,
            }
        )
    )
    return lines


EXPECTED_RULES = sorted(
    [
        "B12-FREQ-001",
        "B12-UNITS-001",
        "B12-UNITS-003",
        "B12-PROV-001",
        "B12-INPUT-001",
        "B12-INPUT-002",
    ]
)


def finding(
    rule: str, encounter: str | None, npi: str | None = None, *, pointer: str = ""
) -> Finding:
    """A finding of ``rule`` on an encounter (rendering NPI ``npi``), for suppression tests."""
    return Finding(
        rule_id=rule,
        severity="error",
        category="units",
        encounter_id=encounter,
        message="m",
        location=Location(file="f", pointer=pointer),
        context=Context(rendering_npi=npi),
    )
