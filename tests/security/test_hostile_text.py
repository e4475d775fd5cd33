"""Long hostile text in any field of a record costs time linear in its length: no pattern
of the domain functions (dose, route, drug, NDC, NPI, ICD-10 parsing) or of the rules can be
made to backtrack. One run checks a record per (field, pattern) under a timeout.
"""

from __future__ import annotations

import copy
import json
import time
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

N = 200_000
#: Texts that make backtracking patterns slow: long runs around the characters they look for.
PATTERNS = {
    "spaces": "1 m" + " " * N + "!",
    "digits": "1" * N + "x",
    "thousands": "1" + ",000" * (N // 4) + "x",
    "dashes": "vit" + "-" * N + "x",
    "dots": "D51" + "." * N,
    "letters": "a" * N + "!",
    "slashes": "1 mg" + "/" * N,
    "parens": "1000 mcg" + "(" * N,
    "units": "1 mg per mL x " * (N // 14),
}
RECORD: dict[str, Any] = {
    "encounter_id": "E",
    "patient_id": "P",
    "date_of_service": "2026-03-02",
    "place_of_service": "11",
    "rendering_npi": "1234567893",
    "payer": {"id": "00952", "name": "Medicare", "type": "medicare"},
    "diagnoses": ["D51.0"],
    "documentation": {
        "indication": "pernicious anemia",
        "indication_codes": ["D51.0"],
        "phase": "maintenance",
        "monitoring": {"plan": "B12 level", "last_b12_lab_date": "2026-01-12"},
        "administrations": [
            {
                "drug": "cyanocobalamin",
                "dose": "1000 mcg",
                "route": "IM",
                "site": "deltoid",
                "ndc": "0517-0031-01",
                "supplied_by": "clinic",
                "time": "2026-03-02T10:00:00",
            }
        ],
    },
    "lines": [
        {
            "code": "J3420",
            "units": 1,
            "modifiers": ["JZ"],
            "dx_pointers": [1],
            "description": "cyanocobalamin",
            "ndc": "00517003101",
            "ndc_quantity": 1,
            "ndc_unit": "ML",
        },
        {"code": "96372", "units": 1, "dx_pointers": [1]},
    ],
}
#: Fields whose type is checked when read (an ISO date, the id): text there is an input error.
NOT_FREE_TEXT = ("/encounter_id", "date_of_service", "last_b12_lab_date")
DOSE_OBJECTS = (
    "/documentation/administrations/0/dose/unit",
    "/documentation/administrations/0/dose/concentration",
)


def text_fields(value: Any, pointer: str = "") -> Iterator[str]:
    if isinstance(value, dict):
        for key, item in value.items():
            yield from text_fields(item, f"{pointer}/{key}")
    elif isinstance(value, list):
        for index, item in enumerate(value):
            yield from text_fields(item, f"{pointer}/{index}")
    elif isinstance(value, str) and not pointer.endswith(NOT_FREE_TEXT):
        yield pointer


def with_text(pointer: str, text: str, n: int) -> dict[str, Any]:
    record = copy.deepcopy(RECORD)
    record["encounter_id"] = f"E-{n}"
    adm = record["documentation"]["administrations"][0]
    if pointer == DOSE_OBJECTS[0]:
        adm["dose"] = {"value": 1000, "unit": text}
        return record
    if pointer == DOSE_OBJECTS[1]:
        adm["dose"] = {"volume_ml": 1, "concentration": text}
        return record
    parts = [int(p) if p.isdigit() else p for p in pointer.strip("/").split("/")]
    target: Any = record
    for part in parts[:-1]:
        target = target[part]
    target[parts[-1]] = text
    return record


def test_hostile_text_in_every_field_is_checked_in_linear_time(
    tmp_path: Path, b12lint_process: Callable[..., Any]
) -> None:
    fields = [*text_fields(RECORD), *DOSE_OBJECTS]
    batch = tmp_path / "hostile.jsonl"
    count = 0
    with batch.open("w", encoding="utf-8") as out:
        for text in PATTERNS.values():
            for pointer in fields:
                out.write(json.dumps(with_text(pointer, text, count)) + "\n")
                count += 1
    started = time.monotonic()
    done = b12lint_process("check", "--format", "json", str(batch), cwd=tmp_path, timeout=120)
    elapsed = time.monotonic() - started
    assert "Traceback" not in done.stderr.decode(), done.stderr.decode()
    report = json.loads(done.stdout)
    assert report["summary"]["encounters"] == count  # every record read and checked
    # ~300 records of 200 KB: a second or two; a quadratic pattern would take hours
    assert elapsed < 90, f"{elapsed:.0f} s for {count} records"


def test_a_hostile_line_narrative_costs_about_what_a_plain_one_does() -> None:
    """The narrative of an unclassified-drug line (J3490) is searched for a dose and an NDC:
    2 KB of "1,1,1,..." took 0.15 s a line before the dose pattern stopped rescanning runs."""
    from b12lint.engine import load_ruleset, run

    ruleset = load_ruleset()

    def batch(description: str) -> list[dict[str, Any]]:
        out = []
        for n in range(40):
            record = copy.deepcopy(RECORD)
            record["encounter_id"] = f"N-{n}"
            record["lines"][0].update(code="J3490", description=description, ndc=None)
            out.append(record)
        return out

    def cost(description: str) -> float:
        records = batch(description)
        best = float("inf")
        for _ in range(3):
            started = time.perf_counter()
            run(records, ruleset)
            best = min(best, time.perf_counter() - started)
        return best

    plain = cost("cyanocobalamin 1,000 mcg NDC 00517003101")
    hostile = cost("cyanocobalamin " + "1," * 1000)  # names B12: the narrative rule runs
    assert hostile < 10 * plain + 0.05, f"hostile {hostile:.3f} s vs plain {plain:.3f} s"
