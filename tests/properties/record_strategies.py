"""Hypothesis strategies for encounter records: the record's shape with values drawn from
what the rules look at (B12 codes and drugs, doses, routes, modifiers, dates, pointers)
mixed with hostile ones (huge and negative numbers, odd text, wrong types), and mutations
of valid records at the level of JSON values and of bytes.
"""

from __future__ import annotations

import datetime as dt
import json
from typing import Any

from hypothesis import strategies as st

CODES = [
    "J3420",
    "J3425",
    "J3490",
    "J3590",
    "96372",
    "96374",
    "99211",
    "99213",
    "99214",
    "G0463",
    "90686",
    "J3424",
    "j3420 ",
    "",
    "X",
]
MODIFIERS = ["JW", "JZ", "25", "59", "GA", "GY", "GZ", "KX", "jz", "", "XXX"]
DRUGS = [
    "cyanocobalamin",
    "hydroxocobalamin",
    "vitamin B12",
    "B-12",
    "methylcobalamin",
    "Cyanokit",
    "ondansetron",
    "",
    "cobalamin injection",
]
ROUTES = [
    "IM",
    "SC",
    "SQ",
    "subq",
    "IV",
    "PO",
    "oral",
    "nasal",
    "IN",
    "deep IM",
    "78421000",
    "34206005",
    "47625008",
    "26643006",
    78421000,
    "sublingual",
    "",
    "??",
]
PHASES = ["repletion", "maintenance", "Maintenance ", "loading", "", "weekly"]
ICD = [
    "D51.0",
    "D510",
    "D51",
    "E53.8",
    "K90.0",
    "R53.83",
    "Z90.3",
    "G63",
    "Z00.00",
    "X99",
    "",
    "D51.9",
]
NDCS = ["00517003101", "0517-0031-01", "70710-1663-1", "00591288830", "12345", "", "abc"]
UNITS_Q = ["ML", "UN", "GR", "F2", "ME", "mL", "XX", ""]

HOSTILE_TEXT = st.one_of(
    st.text(max_size=30),
    st.sampled_from(
        [
            "1 m" + " " * 300 + "!",
            "a" * 2100 + "!",
            "\u2028\x00\ufeff",
            "NaN",
            "1e400",
            "-0",
            "{}",
            "$x",
            "{{",
            "%s%n",
        ]
    ),
)
NUMBERS = st.one_of(
    st.integers(min_value=-3, max_value=12),
    st.integers(),
    st.floats(allow_nan=False, allow_infinity=False),
    st.sampled_from([0, 0.5, 1.0000000001, 10**30, -1, 2**63, 1e308]),
)


def dates() -> st.SearchStrategy[str]:
    """Mostly a few weeks of 2026 (so that visits of one patient fall close together)."""
    near = st.dates(min_value=dt.date(2026, 3, 1), max_value=dt.date(2026, 4, 15))
    far = st.dates(min_value=dt.date(2000, 1, 1), max_value=dt.date(2030, 12, 31))
    return st.one_of(near, near, near, far).map(dt.date.isoformat)


def text_or(values: list[Any]) -> st.SearchStrategy[Any]:
    return st.one_of(st.sampled_from(values), HOSTILE_TEXT)


def optional(strategy: st.SearchStrategy[Any]) -> st.SearchStrategy[Any]:
    return st.one_of(st.none(), strategy)


def doses() -> st.SearchStrategy[Any]:
    amounts = st.one_of(NUMBERS, st.sampled_from(["1000", "1,000", "x"]))
    unit_text = st.sampled_from(["mcg", "µg", "ug", "mg", "g", "mL", "units", "mcg/mL", ""])
    return st.one_of(
        st.sampled_from(
            [
                "1000 mcg",
                "1 mg",
                "1,000 mcg",
                "500 mcg",
                "1 mL of 1000 mcg/mL",
                "2000mcg",
                "1000",
                "0 mcg",
                "-5 mg",
                "lots",
                "1000 mcg (1 mL)",
            ]
        ),
        HOSTILE_TEXT,
        st.fixed_dictionaries({"value": amounts, "unit": unit_text}),
        st.fixed_dictionaries(
            {
                "volume_ml": amounts,
                "concentration": st.one_of(
                    st.sampled_from(["1000 mcg/mL", "1 mg/mL", "x", ""]), HOSTILE_TEXT
                ),
            }
        ),
        NUMBERS,
        st.just([]),
        st.none(),
    )


def administrations() -> st.SearchStrategy[dict[str, Any]]:
    return st.fixed_dictionaries(
        {},
        optional={
            "drug": optional(text_or(DRUGS)),
            "dose": doses(),
            "route": optional(st.one_of(st.sampled_from(ROUTES), HOSTILE_TEXT)),
            "site": optional(HOSTILE_TEXT),
            "ndc": optional(text_or(NDCS)),
            "supplied_by": optional(st.sampled_from(["clinic", "patient", "", "pharmacy"])),
            "time": optional(st.sampled_from(["2026-03-02T10:15:00", "later", ""])),
        },
    )


def lines(n_dx: int = 4) -> st.SearchStrategy[dict[str, Any]]:
    return st.fixed_dictionaries(
        {"code": optional(text_or(CODES))},
        optional={
            "units": optional(NUMBERS),
            "modifiers": optional(st.lists(text_or(MODIFIERS), max_size=5)),
            "dx_pointers": optional(st.lists(st.integers(min_value=-1, max_value=14), max_size=5)),
            "date": optional(dates()),
            "description": optional(HOSTILE_TEXT),
            "ndc": optional(text_or(NDCS)),
            "ndc_quantity": optional(NUMBERS),
            "ndc_unit": optional(text_or(UNITS_Q)),
            "charge": optional(NUMBERS),
        },
    )


def b12_lines() -> st.SearchStrategy[list[dict[str, Any]]]:
    """Usually a B12 drug line and an administration line, then anything."""
    drug = st.fixed_dictionaries(
        {
            "code": st.sampled_from(["J3420", "J3420", "J3425", "J3490"]),
            "units": st.one_of(st.sampled_from([1, 1, 2, 100]), NUMBERS),
        },
        optional={
            "dx_pointers": st.lists(st.integers(min_value=0, max_value=5), max_size=3),
            "modifiers": st.lists(st.sampled_from(MODIFIERS), max_size=2),
            "description": st.sampled_from(["cyanocobalamin 1000 mcg", "drug"]),
            "ndc": st.sampled_from(NDCS),
            "ndc_quantity": NUMBERS,
        },
    )
    admin = st.fixed_dictionaries(
        {"code": st.sampled_from(["96372", "96372", "96374", "99213"])},
        optional={
            "units": st.sampled_from([1, 2]),
            "modifiers": st.just(["25"]),
            "dx_pointers": st.just([1]),
        },
    )
    some_drug = st.one_of(st.just([]), *[drug.map(lambda line: [line])] * 3)
    return st.tuples(some_drug, st.lists(admin, max_size=2), st.lists(lines(), max_size=2)).map(
        lambda parts: [*parts[0], *parts[1], *parts[2]]
    )


def b12_administration() -> st.SearchStrategy[dict[str, Any]]:
    return st.fixed_dictionaries(
        {
            "drug": st.sampled_from(["cyanocobalamin", "hydroxocobalamin", "vitamin B12"]),
            "dose": st.one_of(st.sampled_from(["1000 mcg", "1 mg", "2000 mcg"]), doses()),
            "route": st.one_of(
                st.sampled_from(["IM", "SC", "IV", "nasal"]), st.sampled_from(ROUTES)
            ),
        },
        optional={"supplied_by": st.sampled_from(["clinic", "patient"])},
    )


def documentation() -> st.SearchStrategy[dict[str, Any]]:
    return st.fixed_dictionaries(
        {},
        optional={
            "indication": optional(
                st.one_of(
                    st.sampled_from(
                        [
                            "pernicious anemia",
                            "fatigue",
                            "B12 deficiency",
                            "pemetrexed premedication",
                        ]
                    ),
                    HOSTILE_TEXT,
                )
            ),
            "indication_codes": optional(st.lists(text_or(ICD), max_size=3)),
            "phase": optional(text_or(PHASES)),
            "monitoring": optional(
                st.fixed_dictionaries(
                    {},
                    optional={
                        "plan": optional(HOSTILE_TEXT),
                        "last_b12_lab_date": optional(dates()),
                    },
                )
            ),
            "administrations": optional(
                st.one_of(
                    st.lists(b12_administration(), min_size=1, max_size=2),
                    st.lists(administrations(), max_size=3),
                )
            ),
        },
    )


def records(
    encounter_id: str | None = None, patient_ids: list[str] | None = None
) -> st.SearchStrategy[dict[str, Any]]:
    """Records of the native shape (every one is structurally valid) with domain values."""
    patients = (
        st.sampled_from(patient_ids) if patient_ids else st.sampled_from(["P-1", "P-2", "P-3"])
    )
    return st.fixed_dictionaries(
        {
            "encounter_id": st.just(encounter_id)
            if encounter_id
            else st.text(min_size=1, max_size=8),
            "date_of_service": dates(),
            # usually a B12 encounter (in scope): a J3420 line, a B12 administration
            "lines": st.one_of(
                b12_lines(), b12_lines(), b12_lines(), optional(st.lists(lines(), max_size=5))
            ),
            "documentation": st.one_of(documentation(), documentation(), st.none()),
        },
        optional={
            "patient_id": st.one_of(patients, patients, st.none()),
            "place_of_service": optional(st.sampled_from(["11", "22", "12", "99", ""])),
            "rendering_npi": optional(st.sampled_from(["1234567893", "1234567890", "", "x"])),
            "payer": optional(
                st.fixed_dictionaries(
                    {},
                    optional={
                        "id": optional(st.sampled_from(["00952", "87726"])),
                        "name": optional(HOSTILE_TEXT),
                        "type": optional(
                            st.sampled_from(["medicare", "medicaid", "commercial", "x"])
                        ),
                    },
                )
            ),
            "diagnoses": optional(st.lists(text_or(ICD), max_size=5)),
            "x-extra": st.recursive(
                st.none() | st.integers() | st.text(max_size=5),
                lambda c: (
                    st.lists(c, max_size=3) | st.dictionaries(st.text(max_size=3), c, max_size=3)
                ),
                max_leaves=8,
            ),
        },
    )


@st.composite
def batches(draw: st.DrawFn, max_size: int = 8) -> list[dict[str, Any]]:
    """Records with unique encounter ids, a few patients shared between them."""
    size = draw(st.integers(min_value=2, max_value=max_size))
    patients = [f"P-{n}" for n in range(draw(st.integers(min_value=1, max_value=3)))]
    return [draw(records(f"E-{n}", patients)) for n in range(size)]


JSON_VALUES = st.recursive(
    st.none()
    | st.booleans()
    | st.integers()
    | st.floats(allow_nan=False, allow_infinity=False)
    | st.text(max_size=10),
    lambda children: (
        st.lists(children, max_size=4) | st.dictionaries(st.text(max_size=8), children, max_size=4)
    ),
    max_leaves=12,
)


def paths(value: Any, prefix: tuple[Any, ...] = ()) -> list[tuple[Any, ...]]:
    """Every place in a JSON value (the root included)."""
    out = [prefix]
    if isinstance(value, dict):
        for key, item in value.items():
            out += paths(item, (*prefix, key))
    elif isinstance(value, list):
        for index, item in enumerate(value):
            out += paths(item, (*prefix, index))
    return out


@st.composite
def value_mutations(draw: st.DrawFn, record: dict[str, Any]) -> Any:
    """``record`` with one value replaced by an arbitrary JSON value (or a key removed)."""
    where = draw(st.sampled_from(paths(record)))
    replacement = draw(JSON_VALUES)
    if not where:
        return replacement
    out = json.loads(json.dumps(record))
    target = out
    for part in where[:-1]:
        target = target[part]
    if isinstance(target, dict) and draw(st.booleans()):
        del target[where[-1]]
    else:
        target[where[-1]] = replacement
    return out


@st.composite
def byte_mutations(draw: st.DrawFn, data: bytes) -> bytes:
    """``data`` with a few bytes deleted, inserted, replaced, or cut off."""
    out = bytearray(data)
    for _ in range(draw(st.integers(min_value=1, max_value=4))):
        kind = draw(st.sampled_from(["delete", "insert", "replace", "truncate", "duplicate"]))
        if not out:
            out += draw(st.binary(min_size=1, max_size=3))
            continue
        at = draw(st.integers(min_value=0, max_value=len(out) - 1))
        if kind == "delete":
            del out[at : at + draw(st.integers(min_value=1, max_value=8))]
        elif kind == "insert":
            out[at:at] = draw(st.binary(min_size=1, max_size=4))
        elif kind == "replace":
            out[at] = draw(st.integers(min_value=0, max_value=255))
        elif kind == "truncate":
            del out[at:]
        else:
            end = min(len(out), at + draw(st.integers(min_value=1, max_value=30)))
            out[at:at] = out[at:end]
    return bytes(out)
