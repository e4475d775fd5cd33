"""Lab results as charted, judged against a reference table: which still show B12 deficiency.

A result is evidence only when its test, value and unit are all readable and the reference
table has a limit for that test *in that unit* (no unit, or a unit the table does not list, is
not evidence: no conversion is guessed). Per test, only the latest result dated on or before
the date of service counts (an undated result is taken as charted at the visit).

Reference table shape (a pack's data, so a payer can change it)::

    {"B12": {"direction": "below", "limits": {"pg/mL": 200, "pmol/L": 148}}, ...}

``below``: a value under the limit is deficient; ``above``: a value over it is (MMA,
homocysteine, MCV).
"""

import datetime as dt
import math
import re
from collections.abc import Iterable, Mapping
from functools import lru_cache

__all__ = [
    "LabReading",
    "deficient_tests",
    "lab_reading",
    "normalize_lab_test",
    "normalize_lab_unit",
    "repleted_tests",
]

#: (test, value, unit, date): a readable lab result.
LabReading = tuple[str, float, str, dt.date | None]

_TESTS: dict[str, str] = {
    **dict.fromkeys(
        ("b12", "vitamin b12", "vit b12", "serum b12", "cobalamin", "vitamin b 12"), "B12"
    ),
    **dict.fromkeys(("cyanocobalamin", "b12 level", "serum vitamin b12", "vitb12"), "B12"),
    **dict.fromkeys(("mma", "methylmalonic acid", "serum mma", "methylmalonic"), "MMA"),
    **dict.fromkeys(("homocysteine", "hcy", "thcy", "total homocysteine"), "homocysteine"),
    **dict.fromkeys(("hemoglobin", "hgb", "hb", "haemoglobin"), "hemoglobin"),
    **dict.fromkeys(("mcv", "mean corpuscular volume"), "MCV"),
    **dict.fromkeys(("folate", "folic acid", "serum folate"), "folate"),
}
_UNITS: dict[str, str] = {
    "pg/ml": "pg/mL",
    "ng/l": "ng/L",
    "pmol/l": "pmol/L",
    "umol/l": "umol/L",
    "micromol/l": "umol/L",
    "mcmol/l": "umol/L",
    "nmol/l": "nmol/L",
    "fl": "fL",
    "g/dl": "g/dL",
    "g/l": "g/L",
    "ng/ml": "ng/mL",
}
_SEPARATORS = re.compile(r"[\s\-_.,()/:]+")
#: Words a lab report puts around a test's name ("Vit B12 level", "B12, serum").
_QUALIFIERS = frozenset({"level", "levels", "serum", "plasma", "blood", "result", "lab", "value"})
MAX_TEXT = 60


@lru_cache(maxsize=256)
def _test(text: str) -> str | None:
    key = " ".join(_SEPARATORS.split(text.strip().lower())).strip()
    key = key.replace("vitamin b-12", "vitamin b12").replace("b-12", "b12")
    found = _TESTS.get(key) or _TESTS.get(key.replace(" ", ""))
    if found is None:
        bare = " ".join(w for w in key.split() if w not in _QUALIFIERS)
        found = _TESTS.get(bare) or _TESTS.get(bare.replace(" ", "")) if bare else None
    return found


def normalize_lab_test(value: object) -> str | None:
    """``B12``, ``MMA``, ``homocysteine``, ``hemoglobin``, ``MCV`` or ``folate``; None when
    the test name is not one of these."""
    if not isinstance(value, str) or len(value) > MAX_TEXT:
        return None
    return _test(value)


@lru_cache(maxsize=256)
def _unit(text: str) -> str | None:
    key = "".join(text.split()).lower().replace("µ", "u").replace("μ", "u")
    return _UNITS.get(key)


def normalize_lab_unit(value: object) -> str | None:
    """The unit in one spelling (``pg/mL``, ``pmol/L``, ``umol/L`` ...); None when unknown."""
    if not isinstance(value, str) or len(value) > MAX_TEXT:
        return None
    return _unit(value)


def lab_reading(lab: object) -> LabReading | None:
    """A charted lab (``{test, value, unit, date}``) as a reading; None when any part of the
    test, value or unit cannot be read (a date may be missing)."""
    if not isinstance(lab, Mapping):
        return None
    test = normalize_lab_test(lab.get("test"))
    unit = normalize_lab_unit(lab.get("unit"))
    value = lab.get("value")
    if test is None or unit is None or isinstance(value, bool):
        return None
    if not isinstance(value, int | float) or not math.isfinite(value):
        return None
    date = lab.get("date")
    return (test, float(value), unit, date if isinstance(date, dt.date) else None)


def _deficient(reading: LabReading, reference: Mapping[str, object]) -> bool:
    entry = reference.get(reading[0])
    if not isinstance(entry, Mapping):
        return False
    limits = entry.get("limits")
    limit = limits.get(reading[2]) if isinstance(limits, Mapping) else None
    if isinstance(limit, bool) or not isinstance(limit, int | float):
        return False
    direction = entry.get("direction")
    if direction == "below":
        return reading[1] < limit
    if direction == "above":
        return reading[1] > limit
    return False


def _latest(
    readings: Iterable[LabReading],
    reference: Mapping[str, object],
    on: dt.date,
    key: str,
) -> dict[str, LabReading]:
    """Per test, the latest result dated on or before ``on`` (undated: at the visit) whose
    unit the reference table lists under ``key`` (``limits`` or ``repleted``)."""
    latest: dict[str, tuple[dt.date, int, LabReading]] = {}
    for order, reading in enumerate(readings):
        test, _, unit, date = reading
        when = on if date is None else date
        if when > on:
            continue
        entry = reference.get(test)
        limits = entry.get(key) if isinstance(entry, Mapping) else None
        if not isinstance(limits, Mapping) or unit not in limits:
            continue  # a unit without a limit is not evidence (no conversion is guessed)
        if test not in latest or (when, order) > latest[test][:2]:
            latest[test] = (when, order, reading)
    return {test: reading for test, (_, _, reading) in latest.items()}


def deficient_tests(
    readings: Iterable[LabReading], reference: Mapping[str, object], on: dt.date
) -> list[str]:
    """The tests (sorted) whose latest result on or before ``on`` shows deficiency."""
    latest = _latest(readings, reference, on, "limits")
    return sorted(test for test, reading in latest.items() if _deficient(reading, reference))


def repleted_tests(
    readings: Iterable[LabReading],
    reference: Mapping[str, object],
    on: dt.date,
    since: dt.date,
) -> list[str]:
    """The tests (sorted) whose latest result dated after ``since`` and before ``on`` is past
    the table's ``repleted`` limit in its unit (above it for a ``below`` test such as B12, at
    or under it for an ``above`` test such as MMA): laboratory evidence, back before the visit,
    that repletion worked. Undated results, results of the visit day (not back yet), borderline
    values and tests without a ``repleted`` limit in that unit are not."""
    dated = [r for r in readings if r[3] is not None and since < r[3] < on]
    latest = _latest(dated, reference, on, "repleted")
    done = []
    for test, reading in latest.items():
        entry = reference[test]
        assert isinstance(entry, Mapping)
        limit = entry["repleted"].get(reading[2])
        if isinstance(limit, bool) or not isinstance(limit, int | float):
            continue
        direction = entry.get("direction")
        if (direction == "below" and reading[1] > limit) or (
            direction == "above" and reading[1] <= limit
        ):
            done.append(test)
    return sorted(done)
