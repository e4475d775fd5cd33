"""Realistic synthetic encounter batches (native JSONL) for benchmarks and scale tests.

    python bench/generate.py --records 100000 --out batch.jsonl [--seed 6] [--defects 0.1]

A batch looks like a clinic group's export: patients on monthly B12 maintenance (some after a
weekly repletion phase, some hydroxocobalamin), spread over a year and interleaved by date of
service, mixed with other visits (flu shots, office visits, other injected drugs). A share of
the B12 encounters carries one deliberate defect, each of the kind a built-in rule reports
(units, dose, route, administration, drug, NDC, modifier, diagnosis, provider, indication,
phase, weekly "maintenance"), and a few records are unreadable (broken JSON, a wrong type, a
duplicate encounter id, nesting over the depth limit): every category of finding occurs. A
few percent of the records are, in turn, the failing examples of the built-in rules
(``rules/b12-core``), with fresh ids, so that every rule of the pack fires in a batch of a few
thousand records. Records are about 800 bytes, like the ones in ``sample_claims/``.

The output depends only on the arguments (a seeded generator, no clock): tests use it as a
golden input. Memory stays small whatever the size: visits are produced patient by patient
from a heap ordered by date.
"""

from __future__ import annotations

import argparse
import datetime as dt
import heapq
import random
import sys
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any, BinaryIO

import orjson
import yaml

START = dt.date(2025, 7, 1)
DAYS = 365
NPIS = ("1234567893", "1987654328", "1093817462", "1518960129", "1760444384")
BAD_NPI = "1234567890"
PAYERS = (
    ({"id": "00952", "name": "Medicare Part B", "type": "medicare"}, 60),
    ({"id": "60054", "name": "Aetna", "type": "commercial"}, 20),
    ({"id": "87726", "name": "UnitedHealthcare", "type": "commercial"}, 10),
    ({"id": "77027", "name": "State Medicaid", "type": "medicaid"}, 10),
)
INDICATIONS = (
    (["D51.0"], "pernicious anemia", 40),
    (["E53.8"], "vitamin B12 deficiency", 25),
    (["E53.8", "Z98.84"], "B12 deficiency after gastric bypass", 15),
    (["D51.8", "K90.0"], "B12 deficiency anemia, celiac disease", 10),
    (["E53.8", "Z90.3"], "B12 deficiency after partial gastrectomy", 10),
)
CYANO_NDCS = ("0517-0031-01", "00517003125", "70710-1663-1", "63323-0044-41", "69680-0121-05")
HYDROXO_NDC = "0591-2888-30"
PLAN = "B12 level and CBC every 6 months"
SITES = ("left deltoid", "right deltoid", "left gluteal", "right thigh")

#: Defects applied to a B12 encounter, with their relative weights.
DEFECTS: tuple[tuple[str, int], ...] = (
    ("units_2", 10),
    ("units_0", 4),
    ("no_dose", 5),
    ("bad_dose", 5),
    ("no_route", 5),
    ("nasal", 4),
    ("iv_push", 4),
    ("odd_route", 3),
    ("no_admin_line", 6),
    ("no_drug_line", 4),
    ("no_chart_admin", 4),
    ("em_99211", 4),
    ("em_no_25", 8),
    ("hydroxo_as_j3420", 3),
    ("patient_supplied", 3),
    ("bad_ndc", 4),
    ("hyphen_ndc", 6),
    ("invalid_dx", 3),
    ("category_dx", 4),
    ("bad_pointer", 4),
    ("bad_npi", 4),
    ("fatigue_only", 5),
    ("no_indication", 4),
    ("odd_phase", 3),
)
#: Record-level problems (input findings), per record.
BROKEN_RATE = 0.002
WRONG_TYPE_RATE = 0.002
DUPLICATE_RATE = 0.001
#: One record in this many nests deeper than the limit (a fixed place: golden batches hold one).
TOO_DEEP_EVERY = 1000
#: Records that are a rule's failing example (taken in turn, rule after rule).
EXAMPLE_RATE = 0.035
RULES = Path(__file__).resolve().parents[1] / "rules" / "b12-core"
EXAMPLE_DATE = dt.date(2026, 3, 2)


@dataclass(frozen=True)
class Example:
    """A rule's failing example: its records and the date of service it defaults to."""

    rule_id: str
    records: tuple[dict[str, Any], ...]
    date: dt.date


def load_examples(root: Path = RULES) -> list[Example]:
    """Every failing example of a pack whose chart status a native record can carry, in turn
    rule after rule: every rule's first example, then every rule's second, and so on (so a
    batch that takes only some of them still has one of each rule)."""
    out = []
    for path in sorted(root.rglob("*.yaml")):
        rel = path.relative_to(root)
        if rel.parts[0] == "data" or rel.name == "pack.yaml":
            continue
        doc = yaml.safe_load(path.read_text(encoding="utf-8"))
        eff = doc.get("effective") or {}
        date = max(EXAMPLE_DATE, eff.get("from") or EXAMPLE_DATE)
        if eff.get("to") is not None and date > eff["to"]:
            date = eff["to"]
        for example in (doc.get("examples") or {}).get("fail") or ():
            records = example.get("records", [example])
            if any(r.get("x-chart", "present") != "present" for r in records):
                continue  # a bare claim or a missing chart: not a native record's state
            out.append(Example(doc["id"], tuple(records), date))
    rank: dict[str, int] = {}
    nth = []
    for example in out:
        nth.append(rank.get(example.rule_id, 0))
        rank[example.rule_id] = nth[-1] + 1
    return [e for _, e in sorted(zip(nth, out, strict=True), key=lambda pair: pair[0])]


@dataclass
class Patient:
    """One patient's regimen: the facts every visit repeats."""

    number: int
    payer: dict[str, Any]
    npi: str
    codes: list[str]
    indication: str
    drug: str
    ndc: str
    repletion_visits: int
    interval: int
    visits: int
    weekly: bool
    """A patient whose "maintenance" injections are billed weekly (a frequency finding)."""
    other: bool
    """A patient seen for other things only (flu shots, office visits): out of B12 scope."""


def _weighted(rng: random.Random, table: tuple[tuple[Any, ...], ...]) -> tuple[Any, ...]:
    total = sum(row[-1] for row in table)
    pick = rng.random() * total
    for row in table:
        pick -= row[-1]
        if pick < 0:
            return row
    return table[-1]


def make_patient(rng: random.Random, number: int, other_rate: float) -> Patient:
    """A patient with a regimen drawn from realistic proportions."""
    payer = _weighted(rng, PAYERS)[0]
    codes, indication, _ = _weighted(rng, INDICATIONS)
    hydroxo = rng.random() < 0.08
    repletion = 4 if rng.random() < 0.25 else 0
    return Patient(
        number=number,
        payer=payer,
        npi=NPIS[rng.randrange(len(NPIS))],
        codes=list(codes),
        indication=indication,
        drug="hydroxocobalamin" if hydroxo else "cyanocobalamin",
        ndc=HYDROXO_NDC if hydroxo else CYANO_NDCS[rng.randrange(len(CYANO_NDCS))],
        repletion_visits=repletion,
        interval=28 + rng.randrange(8),
        visits=1 + rng.randrange(11),
        weekly=rng.random() < 0.01,
        other=rng.random() < other_rate,
    )


def _b12_record(p: Patient, visit: int, date: dt.date, rng: random.Random) -> dict[str, Any]:
    phase = "repletion" if visit < p.repletion_visits else "maintenance"
    day = date.isoformat()
    cyano = p.drug == "cyanocobalamin"
    drug_code = "J3420" if cyano else ("J3425" if date >= dt.date(2024, 1, 1) else "J3490")
    dose = "1000 mcg" if cyano or rng.random() < 0.5 else "1 mg"
    units = 1 if cyano else 100
    drug_line: dict[str, Any] = {
        "code": drug_code,
        "units": units,
        "modifiers": [],
        "dx_pointers": [1],
        "ndc": p.ndc if p.ndc.count("-") == 0 else _ndc11(p.ndc),
        "ndc_quantity": 1,
        "ndc_unit": "ML",
        "charge": 12.0 if cyano else 18.5,
    }
    return {
        "encounter_id": "",
        "patient_id": f"PT-{p.number:07d}",
        "date_of_service": day,
        "place_of_service": "11",
        "rendering_npi": p.npi,
        "payer": dict(p.payer),
        "diagnoses": list(p.codes),
        "documentation": {
            "indication": f"{p.indication}, {phase}",
            "indication_codes": p.codes[:1],
            "phase": phase,
            "monitoring": {"plan": PLAN, "last_b12_lab_date": "2025-06-12"},
            "administrations": [
                {
                    "drug": p.drug,
                    "dose": dose,
                    "route": "IM",
                    "site": SITES[visit % len(SITES)],
                    "ndc": p.ndc,
                    "supplied_by": "clinic",
                    "time": f"{day}T{9 + visit % 8:02d}:15:00",
                }
            ],
        },
        "lines": [
            drug_line,
            {"code": "96372", "units": 1, "modifiers": [], "dx_pointers": [1], "charge": 25.0},
        ],
    }


def _ndc11(ndc: str) -> str:
    """The 11-digit form of a hyphenated 10-digit NDC (4-4-2, 5-3-2 or 5-4-1)."""
    a, b, c = ndc.split("-")
    return a.zfill(5) + b.zfill(4) + c.zfill(2)


def _other_record(p: Patient, visit: int, date: dt.date) -> dict[str, Any]:
    kind = (p.number + visit) % 3
    lines: list[dict[str, Any]]
    if kind == 0:
        dx, lines = ["Z23"], [{"code": "90686", "units": 1}, {"code": "G0008", "units": 1}]
    elif kind == 1:
        dx = ["M54.50"]
        lines = [
            {"code": "99213", "units": 1},
            {"code": "J1885", "units": 2},
            {"code": "96372", "units": 1},
        ]
    else:
        dx, lines = ["I10", "E11.9"], [{"code": "99214", "units": 1}]
    for line in lines:
        line.update({"modifiers": [], "dx_pointers": [1], "charge": 40.0})
    return {
        "encounter_id": "",
        "patient_id": f"PT-{p.number:07d}",
        "date_of_service": date.isoformat(),
        "place_of_service": "11",
        "rendering_npi": p.npi,
        "payer": dict(p.payer),
        "diagnoses": dx,
        "lines": lines,
    }


def apply_defect(record: dict[str, Any], defect: str) -> None:
    """Make one B12 record carry ``defect`` (see :data:`DEFECTS`)."""
    doc = record["documentation"]
    adm = doc["administrations"][0]
    lines = record["lines"]
    drug = lines[0]
    if defect == "units_2":
        drug["units"] = 2 if drug["code"] == "J3420" else drug["units"] * 2
    elif defect == "units_0":
        drug["units"] = 0
    elif defect == "no_dose":
        del adm["dose"]
    elif defect == "bad_dose":
        adm["dose"] = "one vial"
    elif defect == "no_route":
        del adm["route"]
    elif defect == "nasal":
        adm["route"] = "nasal"
    elif defect == "iv_push":
        adm["route"] = "IV"
    elif defect == "odd_route":
        adm["route"] = "in the arm"
    elif defect == "no_admin_line":
        del lines[1]
    elif defect == "no_drug_line":
        del lines[0]
    elif defect == "no_chart_admin":
        doc["administrations"] = []
    elif defect == "em_99211":
        lines.append({"code": "99211", "units": 1, "modifiers": ["25"], "dx_pointers": [1]})
    elif defect == "em_no_25":
        lines.insert(0, {"code": "99213", "units": 1, "modifiers": [], "dx_pointers": [1]})
    elif defect == "hydroxo_as_j3420":
        adm["drug"] = "hydroxocobalamin"
        adm["ndc"] = HYDROXO_NDC
        drug.update({"code": "J3420", "units": 1, "ndc": _ndc11(HYDROXO_NDC)})
    elif defect == "patient_supplied":
        adm["supplied_by"] = "patient"
    elif defect == "bad_ndc":
        drug["ndc"] = "517-31-25"
    elif defect == "hyphen_ndc":
        drug["ndc"] = "0517-0031-01"
    elif defect == "invalid_dx":
        record["diagnoses"] = ["K90.Z9", *record["diagnoses"][1:]]
    elif defect == "category_dx":
        record["diagnoses"] = ["D51"]
        doc["indication_codes"] = ["D51"]
    elif defect == "bad_pointer":
        drug["dx_pointers"] = [len(record["diagnoses"]) + 2]
    elif defect == "bad_npi":
        record["rendering_npi"] = BAD_NPI
    elif defect == "fatigue_only":
        record["diagnoses"] = ["R53.83"]
        doc["indication"] = "fatigue, requests energy shot"
        doc["indication_codes"] = ["R53.83"]
    elif defect == "no_indication":
        doc.pop("indication")
        doc.pop("indication_codes")
    elif defect == "odd_phase":
        doc["phase"] = "loading"
    else:
        raise ValueError(f"unknown defect {defect!r}")


def _schedule(p: Patient, rng: random.Random) -> Iterator[dt.date]:
    """The dates of a patient's visits: weekly repletion, then every ``interval`` days."""
    date = START + dt.timedelta(days=rng.randrange(DAYS))
    for visit in range(p.visits):
        yield date
        if p.other:
            step = 30 + rng.randrange(90)
        elif visit + 1 < p.repletion_visits or p.weekly:
            step = 7
        else:
            step = p.interval + rng.randrange(5)
        date += dt.timedelta(days=step)


def generate(
    records: int,
    *,
    seed: int = 6,
    defect_rate: float = 0.10,
    other_rate: float = 0.25,
    prefix: str = "ENC",
) -> Iterator[bytes]:
    """``records`` JSONL lines (each ending in a newline), in date-of-service order."""
    rng = random.Random(seed)
    heap: list[tuple[dt.date, int, int]] = []
    patients: dict[int, tuple[Patient, Iterator[dt.date]]] = {}
    next_patient = 0
    written = 0
    last_ids: list[str] = []

    def admit() -> None:
        nonlocal next_patient
        number = next_patient
        next_patient += 1
        prng = random.Random(seed * 1_000_003 + number)
        patient = make_patient(prng, number, other_rate)
        dates = _schedule(patient, prng)
        patients[number] = (patient, dates)
        heapq.heappush(heap, (next(dates), number, 0))

    examples = load_examples()
    turn = 0
    # Enough patients in flight that a day's visits interleave patients, as exports do.
    in_flight = max(1, min(records // 6, 50_000))
    for _ in range(in_flight):
        admit()
    while written < records:
        if examples and rng.random() < EXAMPLE_RATE:
            example = examples[turn % len(examples)]
            for record in example_records(example, turn, prefix, written):
                if written < records:
                    written += 1
                    yield orjson.dumps(record) + b"\n"
            turn += 1
            continue
        date, number, visit = heapq.heappop(heap)
        patient, dates = patients[number]
        following = next(dates, None)
        if following is not None:
            heapq.heappush(heap, (following, number, visit + 1))
        else:
            del patients[number]
            admit()
        written += 1
        yield _line(rng, patient, visit, date, written, prefix, defect_rate, last_ids)


def example_records(example: Example, turn: int, prefix: str, written: int) -> list[dict[str, Any]]:
    """The records of a rule's example with ids of their own (patients too: unique per use)."""
    out = []
    for i, source in enumerate(example.records):
        record = {k: v for k, v in source.items() if k not in ("x-expect", "x-chart")}
        record["encounter_id"] = f"{prefix}-{written + i + 1:08d}"
        record.setdefault("date_of_service", example.date)
        patient = record.get("patient_id")
        if "patient_id" in record and patient is None:
            del record["patient_id"]  # an example about a record without one (B12-FREQ-006)
        else:
            record["patient_id"] = f"{patient or 'PT-X'}-{turn}"
        out.append(record)
    return out


def _line(
    rng: random.Random,
    patient: Patient,
    visit: int,
    date: dt.date,
    number: int,
    prefix: str,
    defect_rate: float,
    last_ids: list[str],
) -> bytes:
    record = (
        _other_record(patient, visit, date)
        if patient.other
        else _b12_record(patient, visit, date, rng)
    )
    record["encounter_id"] = f"{prefix}-{number:08d}"
    roll = rng.random()
    if roll < DUPLICATE_RATE and last_ids:
        record["encounter_id"] = last_ids[rng.randrange(len(last_ids))]
    elif not patient.other and rng.random() < defect_rate:
        apply_defect(record, _weighted(rng, DEFECTS)[0])
    last_ids.append(record["encounter_id"])
    if len(last_ids) > 64:
        del last_ids[:32]
    roll = rng.random()
    if roll < WRONG_TYPE_RATE:
        record["lines"][0]["units"] = "one"
    if number % TOO_DEEP_EVERY == TOO_DEEP_EVERY // 2:
        nested: Any = "deep"
        for _ in range(70):
            nested = [nested]
        record["x-attachment"] = nested  # nests deeper than the 64-level limit
    data: bytes = orjson.dumps(record)
    if WRONG_TYPE_RATE <= roll < WRONG_TYPE_RATE + BROKEN_RATE:
        data = data[: len(data) // 2]  # a record cut off by a failed export
    return data + b"\n"


def write(out: BinaryIO, records: int, **options: Any) -> int:
    """Write a batch to a binary stream; the number of bytes written."""
    size = 0
    for line in generate(records, **options):
        out.write(line)
        size += len(line)
    return size


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--records", type=int, default=10_000)
    parser.add_argument("--seed", type=int, default=6)
    parser.add_argument("--defects", type=float, default=0.10, help="share of B12 encounters")
    parser.add_argument("--other", type=float, default=0.25, help="share of non-B12 patients")
    parser.add_argument("--out", type=Path, help="output file (default: stdout)")
    args = parser.parse_args(argv)
    options = {"seed": args.seed, "defect_rate": args.defects, "other_rate": args.other}
    if args.out is None:
        write(sys.stdout.buffer, args.records, **options)
        return
    with args.out.open("wb") as out:
        write(out, args.records, **options)


if __name__ == "__main__":
    main()
