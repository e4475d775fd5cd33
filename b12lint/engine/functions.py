"""Named domain functions the rule language may call (``{call: NAME, args: [...]}``).

Each is a small, tested Python function over plain values; the registry records its arity so
that a rule calling an unknown function, or with the wrong number of arguments, fails at load
time. ``None`` means "unknown": functions return None (or False) rather than raise.
"""

from __future__ import annotations

import calendar
import datetime as dt
import math
import re
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from functools import lru_cache
from typing import Any, TypeGuard

from b12lint.domain import (
    compile_icd10_patterns,
    deficient_tests,
    drug_kind,
    icd10_coverage,
    icd10_release_on,
    icd10_status_on,
    mcg_to_units,
    narrative_names_b12,
    ndc_is_malformed,
    normalize_icd10,
    normalize_ndc,
    npi_is_valid,
    padding_matches,
    repleted_tests,
    same_ten_digits,
)
from b12lint.engine.codesets import ICD10_TABLE, ImportedIcd10
from b12lint.engine.coverage import NotCovered
from b12lint.model.payer import payer_type


@dataclass(frozen=True, slots=True)
class Function:
    """A callable the rule language can name."""

    name: str
    fn: Callable[..., Any]
    min_args: int
    max_args: int
    doc: str
    check: Callable[[int, Any], str | None] | None = None
    """Validates a constant argument at load time (index, value) -> problem or None."""
    dated: bool = False
    """Reads dated domain data: called with the date of service before its arguments, and
    returns :class:`~b12lint.engine.coverage.NotCovered` for a date no version covers."""
    table: str | None = None
    """A dated function's pack table of imported data (:mod:`b12lint.engine.codesets`): on a
    date one of its versions covers, the function gets that version as ``imported=`` and
    judges by it instead of the shipped data."""


FUNCTIONS: dict[str, Function] = {}


def function(
    name: str,
    min_args: int,
    max_args: int | None = None,
    check: Callable[[int, Any], str | None] | None = None,
    *,
    dated: bool = False,
    table: str | None = None,
) -> Callable[[Any], Any]:
    """Register ``fn`` under ``name`` with its arity (and a load-time check of constants);
    a ``dated`` function takes the date of service first (not counted in the arity), and
    the version of its imported-data ``table`` as ``imported=`` when a pack has one."""

    def register(fn: Callable[..., Any]) -> Callable[..., Any]:
        FUNCTIONS[name] = Function(
            name,
            fn,
            min_args,
            min_args if max_args is None else max_args,
            (fn.__doc__ or "").strip(),
            check,
            dated,
            table,
        )
        return fn

    return register


def _check_patterns(index: int, value: Any) -> str | None:
    """The ICD-10 pattern list (argument 2) must be a list of valid codes (or of rows with a
    ``code``, as a reviewed coverage table gives them: ``{code, category, source}``)."""
    if index != 1:
        return None
    if isinstance(value, str) or not isinstance(value, Iterable):
        return "the ICD-10-CM pattern argument must be a list of codes"
    try:
        compile_icd10_patterns(_pattern_codes(value))
    except (ValueError, TypeError) as exc:
        return f"invalid ICD-10-CM pattern list: {exc}"
    return None


#: id(pattern list) -> (the list, its codes): data-table lists are constants, so rows are
#: turned into codes once per list (the list is kept alive so that its id is not reused).
_CODES_OF: dict[int, tuple[object, tuple[Any, ...]]] = {}


def _pattern_codes(patterns: Iterable[Any]) -> tuple[Any, ...]:
    """The codes of a pattern list: its strings, or the ``code`` of each row (mapping)."""
    cached = _CODES_OF.get(id(patterns))
    if cached is not None and cached[0] is patterns:
        return cached[1]
    codes = tuple(p.get("code") if isinstance(p, Mapping) else p for p in patterns)
    if isinstance(patterns, tuple):
        if len(_CODES_OF) > 1024:
            _CODES_OF.clear()
        _CODES_OF[id(patterns)] = (patterns, codes)
    return codes


#: Collections decoded from JSON or built by the engine: iterable and not text, tested by
#: their exact type before the slower ABC checks (``Iterable``) that every other value takes.
_PLAIN_COLLECTIONS = frozenset({list, tuple, set, frozenset, dict})


def _collection(value: object) -> TypeGuard[Iterable[Any]]:
    """Whether a value is iterable and not text."""
    if type(value) in _PLAIN_COLLECTIONS:
        return True
    return isinstance(value, Iterable) and not isinstance(value, str)


def _number(value: object) -> float | None:
    kind = type(value)
    if kind is float or kind is int:
        return float(value) if math.isfinite(value) else None  # type: ignore[arg-type]
    if isinstance(value, bool) or not isinstance(value, int | float):
        return None
    return float(value) if math.isfinite(value) else None


@function("units_for", 2)
def units_for(mcg: object, mcg_per_unit: object) -> int | None:
    """Billing units for a dose: ceil(mcg / mcg_per_unit); None when either is unknown."""
    dose, per = _number(mcg), _number(mcg_per_unit)
    if dose is None or per is None or dose <= 0 or per <= 0:
        return None
    return mcg_to_units(dose, per)


@function("icd10_status", 1, dated=True, table=ICD10_TABLE)
def _icd10_status(
    date: object, code: object, imported: ImportedIcd10 | None = None
) -> str | NotCovered:
    """``billable``, ``category`` or ``invalid`` in the ICD-10-CM release in force on the
    date of service: the pack's imported release for that date (table ``icd10cm``), else the
    shipped one (not checked when neither covers it)."""
    if imported is not None:
        return imported.status(code)
    status = icd10_status_on(code, date) if isinstance(date, dt.date) else None
    if status is None:
        return NotCovered("the ICD-10-CM code set", icd10_coverage())
    return status


@function("icd10_release", 0, dated=True, table=ICD10_TABLE)
def _icd10_release(date: object, imported: ImportedIcd10 | None = None) -> str | NotCovered:
    """The name of the ICD-10-CM release in force on the date of service (the pack's
    imported one for that date, else the shipped one)."""
    if imported is not None:
        return imported.name
    release = icd10_release_on(date) if isinstance(date, dt.date) else None
    if release is None:
        return NotCovered("the ICD-10-CM code set", icd10_coverage())
    return release.name


#: id(pattern tuple) -> (the tuple, code -> whether it matches): a pack's pattern lists are
#: constants (data tables, literals) and a batch repeats a few hundred codes, so each code is
#: matched once per list (the tuple is kept alive so that its id is not reused).
_MATCHED: dict[int, tuple[object, dict[str, bool]]] = {}


def _matched(patterns: object) -> dict[str, bool] | None:
    """The remembered matches of a pattern tuple (None: not a tuple, match it each time)."""
    entry = _MATCHED.get(id(patterns))
    if entry is not None and entry[0] is patterns:
        return entry[1]
    if type(patterns) is not tuple:
        return None
    compile_icd10_patterns(_pattern_codes(patterns))  # a bad list raises, as it always did
    memo: dict[str, bool] = {}
    if len(_MATCHED) > 1024:
        _MATCHED.clear()
    _MATCHED[id(patterns)] = (patterns, memo)
    return memo


def _match_once(code: str, patterns: Any, memo: dict[str, bool]) -> bool:
    found = memo.get(code)
    if found is None:
        found = compile_icd10_patterns(_pattern_codes(patterns))(normalize_icd10(code))
        if len(memo) > 4096:
            memo.clear()
        memo[code] = found
    return found


@function("icd10_in", 2, check=_check_patterns)
def icd10_in(code: object, patterns: object) -> bool:
    """Whether a code is one of, or a descendant of, the listed codes (strings, or rows
    with a ``code``)."""
    if not isinstance(code, str):
        return False
    memo = _matched(patterns)
    if memo is not None:
        return _match_once(code, patterns, memo)
    if not isinstance(patterns, Iterable):
        return False
    return compile_icd10_patterns(_pattern_codes(patterns))(normalize_icd10(code))


@function("any_icd10_in", 2, check=_check_patterns)
def any_icd10_in(codes: object, patterns: object) -> bool:
    """Whether any of the codes is one of, or a descendant of, the listed codes."""
    if not _collection(codes):
        return False
    memo = _matched(patterns)
    if memo is not None:
        for c in codes:
            if isinstance(c, str) and _match_once(c, patterns, memo):
                return True
        return False
    if not isinstance(patterns, Iterable):
        return False
    matcher = compile_icd10_patterns(_pattern_codes(patterns))
    return any(isinstance(c, str) and matcher(normalize_icd10(c)) for c in codes)


@function("ndc_malformed", 1)
def ndc_malformed(value: object) -> bool:
    """Whether an NDC is present but cannot be read as an 11-digit 5-4-2 code."""
    return ndc_is_malformed(value)


@function("npi_valid", 1)
def npi_valid(value: object) -> bool:
    """Whether an NPI has 10 digits and a correct Luhn check digit (prefix 80840)."""
    return npi_is_valid(value)


@function("days_between", 2)
def days_between(start: object, end: object) -> int | None:
    """Days from ``start`` to ``end`` (negative when end is earlier); None when unknown."""
    if isinstance(start, dt.date) and isinstance(end, dt.date):
        return (end - start).days
    return None


@function("len", 1)
def length(value: object) -> int:
    """The number of items (0 for None)."""
    if value is None:
        return 0
    try:
        return len(value)  # type: ignore[arg-type]
    except TypeError:
        return 1


@function("lower", 1)
def lower(value: object) -> str | None:
    """Lower-case, trimmed text (None for non-text)."""
    return value.strip().lower() if isinstance(value, str) else None


@function("payer_kind", 1)
def payer_kind(value: object) -> str | None:
    """A payer type as FORMATS.md spells it: lower case, spaces and hyphens as ``_``
    (``"Medicare Advantage"`` -> ``medicare_advantage``), the names exports use for the same
    payers mapped (``"Medicare Part B"`` -> ``medicare``: :mod:`b12lint.model.payer`); None for
    no text."""
    return payer_type(value)


_NO_CONTEXT: dict[str, Any] = {}


@function("contains_any", 2)
def contains_any(text: object, needles: object) -> bool:
    """Whether free text contains any of the words or phrases as whole words, case-insensitive
    ("dietary" does not contain "diet"); negation and history are not read (affirmed_phrase
    reads them)."""
    if not isinstance(text, str) or isinstance(needles, str) or not isinstance(needles, Iterable):
        return False
    if not isinstance(needles, tuple | list):
        needles = tuple(needles)
    if not all(isinstance(n, str) and any(ch.isalnum() for ch in n) for n in needles):
        needles = tuple(n for n in needles if isinstance(n, str) and any(c.isalnum() for c in n))
    from b12lint.domain.context import affirmed_phrase as affirmed

    return affirmed(text, needles, _NO_CONTEXT, ()) is not None


_CONTEXT_KEYS = frozenset({"max_scope", "triggers", "pseudo", "termination"})
_CONTEXT_CATEGORIES = frozenset({"negated", "historical", "other_experiencer"})
_CONTEXT_DIRECTIONS = frozenset({"forward", "backward", "both"})


def _phrase_list_problem(value: Any, where: str) -> str | None:
    if isinstance(value, str) or not isinstance(value, Iterable):
        return f"{where} must be a list of phrases"
    for item in value:
        if not isinstance(item, str) or not any(ch.isalnum() for ch in item):
            return f"{where}: {item!r} is not a phrase with a word in it"
    return None


def _check_context(index: int, value: Any) -> str | None:
    """Phrases (argument 2), the ConText lexicon (argument 3) and the disqualifying categories
    (argument 4) checked when a rule loads, without importing the matcher (it loads on the
    first call)."""
    if index == 1:
        return _phrase_list_problem(value, "the phrase argument")
    if index == 3:
        if isinstance(value, str) or not isinstance(value, Iterable):
            return "the disqualifying modifiers must be a list of context categories"
        unknown = set(value) - _CONTEXT_CATEGORIES
        return f"unknown context categories {sorted(unknown, key=str)}" if unknown else None
    if index != 2:
        return None
    if not isinstance(value, Mapping):
        return "the context lexicon must be a mapping (the pack's context table)"
    unknown = set(value) - _CONTEXT_KEYS
    if unknown:
        return f"context lexicon: unknown keys {sorted(unknown)}"
    scope = value.get("max_scope", 8)
    if isinstance(scope, bool) or not isinstance(scope, int) or not 1 <= scope <= 50:
        return "context lexicon: max_scope must be a whole number of words 1-50"
    triggers = value.get("triggers", {})
    if not isinstance(triggers, Mapping):
        return "context lexicon: triggers must map a category to its directions"
    for category, directions in triggers.items():
        if category not in _CONTEXT_CATEGORIES or not isinstance(directions, Mapping):
            return f"context lexicon: unknown trigger category {category!r}"
        for direction, phrases in directions.items():
            if direction not in _CONTEXT_DIRECTIONS:
                return f"context lexicon: {category}: unknown direction {direction!r}"
            problem = _phrase_list_problem(phrases, f"{category}.{direction}")
            if problem:
                return f"context lexicon: {problem}"
    for key in ("pseudo", "termination"):
        problem = _phrase_list_problem(value.get(key, ()), key)
        if problem:
            return f"context lexicon: {problem}"
    return None


_ALL_CONTEXT = ("negated", "historical", "other_experiencer")


@function("affirmed_phrase", 3, 4, check=_check_context)
def affirmed_phrase(
    text: object, phrases: object, lexicon: object, disqualify: object = _ALL_CONTEXT
) -> str | None:
    """The first of ``phrases`` that free text affirms, as written: whole words, not negated
    ("denies fatigue"), not history ("pemetrexed completed 2023", "s/p bypass for weight
    loss"), not another person ("family history of"); None when there is none. The optional
    fourth argument lists the modifiers that disqualify a mention (default: all three;
    ``[negated, other_experiencer]`` keeps "h/o pernicious anemia" as the patient's).

    ConText/NegEx over the pack's trigger lexicon (the ``context`` table); the matcher is
    imported on the first call, so a run whose rules never reach it does not load it.
    """
    from b12lint.domain.context import affirmed_phrase as affirmed

    return affirmed(text, phrases, lexicon, disqualify)


def _check_premedication(index: int, value: Any) -> str | None:
    """The drug names (argument 2) and course phrases (argument 3) are phrase lists, the
    ConText lexicon (argument 4) a lexicon, checked when a rule loads."""
    if index in (1, 2):
        return _phrase_list_problem(value, "the phrase argument")
    return _check_context(2, value) if index == 3 else None


@function("premedication_named", 4, check=_check_premedication)
def premedication_named(text: object, drugs: object, course: object, lexicon: object) -> str | None:
    """The premedication drug free text names for current or planned therapy, as written: an
    affirmed mention ("premed for Alimta C1 3/10"), or one only in the past ("s/p Alimta C3")
    when the text also says a cycle is coming (one of ``course``, cycle numbers read as
    "cycle": "C4 due 4/1"); None for a completed course, a negated or another person's one.

    The matcher is imported on the first call (:mod:`b12lint.domain.premedication`).
    """
    from b12lint.domain.premedication import premedication_for_course

    return premedication_for_course(text, drugs, course, lexicon)


@function("intersects", 2)
def intersects(left: object, right: object) -> bool:
    """Whether two collections share an item."""
    if not _collection(left) or not _collection(right):
        return False
    right_set = right if isinstance(right, frozenset | set) else set(right)
    for item in left:
        if item in right_set:
            return True
    return False


@function("round", 1, 2)
def round_number(value: object, digits: object = 0) -> float | None:
    """A number rounded to ``digits`` places."""
    number = _number(value)
    if number is None or not isinstance(digits, int):
        return None
    return round(number, digits)


@function("within", 2)
def within(value: object, limit: object) -> float | None:
    """``value`` when 0 < value <= limit, else None (a fix must never exceed an MUE)."""
    number, cap = _number(value), _number(limit)
    if number is None or cap is None or not 0 < number <= cap:
        return None
    return int(number) if number.is_integer() else number


@function("append", 2)
def append(items: object, item: object) -> list[Any] | None:
    """A new list: ``items`` (a list, or nothing) with ``item`` added at the end."""
    if items is None:
        return [item]
    if isinstance(items, list | tuple):
        return [*items, item]
    return None


@function("none_if_empty", 1)
def none_if_empty(value: object) -> object:
    """``value``, or None when it is empty (``[]``, ``""``, ``{}``)."""
    if isinstance(value, str | list | tuple | dict | set | frozenset) and not value:
        return None
    return value


@function("common", 2)
def common(left: object, right: object) -> list[Any]:
    """The items of ``left`` that are also in ``right``, sorted (for messages)."""
    if not isinstance(left, Iterable) or not isinstance(right, Iterable):
        return []
    if isinstance(left, str) or isinstance(right, str):
        return []
    right_set = set(right)
    return sorted({item for item in left if item in right_set}, key=str)


@function("get", 2)
def get(mapping: object, key: object) -> Any:
    """The value of ``key`` in a mapping (a data table row), or None."""
    if type(mapping) is not dict and not isinstance(mapping, Mapping):
        return None
    try:
        return mapping.get(key)
    except TypeError:
        return None


@function("find_key", 3)
def find_key(mapping: object, field: object, value: object) -> Any:
    """The first key (in table order) whose row has ``row[field] == value``, or None.

    ``find_key(hcpcs_units, drug, hydroxocobalamin)`` is the code of that drug.
    """
    if not isinstance(mapping, Mapping) or value is None:
        return None
    for key, row in mapping.items():
        if isinstance(row, Mapping) and row.get(field) == value:
            return key
    return None


@function("drug_kind", 1)
def _drug_kind(text: object) -> str | None:
    """``cyanocobalamin``, ``hydroxocobalamin``, ``other`` for a drug name or narrative."""
    return drug_kind(text)


@function("upper", 1)
def upper(value: object) -> str | None:
    """Upper-case, trimmed text (None for non-text)."""
    return value.strip().upper() if isinstance(value, str) else None


@function("add_months", 2)
def add_months(date: object, months: object) -> dt.date | None:
    """The same day ``months`` later (negative: earlier), clamped to the month's last day."""
    if not isinstance(date, dt.date) or isinstance(months, bool) or not isinstance(months, int):
        return None
    return _add_months(date, months)


@lru_cache(maxsize=4096)
def _add_months(date: dt.date, months: int) -> dt.date | None:
    """:func:`add_months` of a date and a whole number (a batch has a few hundred dates)."""
    index = date.year * 12 + date.month - 1 + months
    year, month = divmod(index, 12)
    if not 1 <= year <= 9999:
        return None
    day = min(date.day, calendar.monthrange(year, month + 1)[1])
    return dt.date(year, month + 1, day)


# A number starts only where no digit-and-comma run is going on (never inside "1,1,1,..."):
# each start then scans its own run once, and a search stays linear in the text.
_NARRATIVE_DOSE = re.compile(
    r"(?<![a-z0-9])(?<![0-9],)[0-9][0-9,]*(?:\.[0-9]+)?\s*"
    r"(?:mcg|µg|μg|ug|mg|g|ml|cc|units?)(?![a-z])",
    re.IGNORECASE,
)
_NARRATIVE_NDC = re.compile(
    r"(?:(?<![0-9a-z])n4|(?<![0-9]))(?:[0-9]{11}|[0-9]{4,5}-[0-9]{3,4}-[0-9]{1,2})(?![0-9])",
    re.IGNORECASE,
)


@function("noc_narrative_gaps", 2)
def noc_narrative_gaps(description: object, ndc: object) -> list[str]:
    """What an unclassified-drug line (J3490/J3590) narrative lacks: ``drug name``, ``dose``,
    ``NDC`` (an NDC on the line itself counts). Empty when complete.
    """
    text = description if isinstance(description, str) else ""
    text = text[:2048]
    gaps = []
    if not narrative_names_b12(text):
        gaps.append("drug name")
    if _NARRATIVE_DOSE.search(text) is None:
        gaps.append("dose")
    if normalize_ndc(ndc) is None and _NARRATIVE_NDC.search(text) is None:
        gaps.append("NDC")
    return gaps


#: mcg per unit of an NDC quantity qualifier that measures mass (ME milligram, GR gram).
_MASS_QUALIFIERS = {"ME": 1_000.0, "GR": 1_000_000.0}


@function("ndc_expected_quantity", 3, 4)
def ndc_expected_quantity(
    dose_mcg: object, unit: object, strength: object, vial_ml: object = None
) -> float | None:
    """The NDC quantity a dose needs in a unit qualifier: ``ML`` from the product strength
    (mcg/mL), ``ME`` mg, ``GR`` g, ``UN`` the vials used (ceil of mL / vial mL, when the vial
    size is known); None for ``F2`` or unknown inputs (not checkable).

    Rounded to 3 decimals, the precision of an 837P CTP04 quantity.
    """
    dose = _number(dose_mcg)
    if dose is None or dose <= 0 or not isinstance(unit, str):
        return None
    qualifier = unit.strip().upper()
    if qualifier in ("ML", "UN"):
        per_ml = _number(strength)
        if per_ml is None or per_ml <= 0:
            return None
        ml = round(dose / per_ml, 3)
        if qualifier == "ML":
            return _plain(ml)
        vial = _number(vial_ml)
        return None if vial is None or vial <= 0 else math.ceil(ml / vial - 1e-9)
    factor = _MASS_QUALIFIERS.get(qualifier)
    return None if factor is None else _plain(round(dose / factor, 3))


@function("ndc_quantity_mcg", 3)
def ndc_quantity_mcg(quantity: object, unit: object, strength: object) -> float | None:
    """The micrograms an NDC quantity reports: ``ML`` times the product strength (mcg/mL),
    ``ME`` mg, ``GR`` g; None for ``UN`` (vials used, not an amount), ``F2`` or unknown inputs."""
    amount = _number(quantity)
    if amount is None or amount <= 0 or not isinstance(unit, str):
        return None
    qualifier = unit.strip().upper()
    if qualifier == "ML":
        per_ml = _number(strength)
        return None if per_ml is None or per_ml <= 0 else _plain(round(amount * per_ml, 3))
    factor = _MASS_QUALIFIERS.get(qualifier)
    return None if factor is None else _plain(round(amount * factor, 3))


def _plain(number: float) -> float:
    """A whole number as an int (``1`` rather than ``1.0`` in fixes and messages)."""
    return int(number) if number.is_integer() else number


@function("one_of", 2)
def one_of(value: object, choices: object) -> object:
    """``value`` when it is one of ``choices``, else None (a fix only from an allowed value)."""
    if not isinstance(choices, Iterable) or isinstance(choices, str):
        return None
    try:
        return value if value is not None and value in choices else None
    except TypeError:
        return None


@function("remove", 2)
def remove(items: object, item: object) -> list[Any] | None:
    """A new list: ``items`` without ``item`` (None when ``items`` is not a list)."""
    if items is None:
        return []
    if isinstance(items, list | tuple):
        return [x for x in items if x != item]
    return None


@function("at_positions", 2)
def at_positions(items: object, positions: object) -> list[Any]:
    """The items at 1-based ``positions`` (diagnosis pointers), skipping positions out of range."""
    if not isinstance(items, list | tuple) or not isinstance(positions, list | tuple):
        return []
    out = []
    for position in positions:
        if isinstance(position, bool) or not isinstance(position, int):
            continue
        if 1 <= position <= len(items):
            out.append(items[position - 1])
    return out


@function("deficient_labs", 3)
def deficient_labs(labs: object, reference: object, on: object) -> list[str]:
    """The lab tests whose latest result on or before ``on`` (readable: known test, number
    and a unit the ``reference`` table lists) shows B12 deficiency, sorted; empty if none."""
    if not isinstance(labs, list | tuple) or not isinstance(reference, Mapping):
        return []
    if not isinstance(on, dt.date):
        return []
    readings = [r for r in labs if isinstance(r, tuple) and len(r) == 4]
    return deficient_tests(readings, reference, on)


@function("repleted_labs", 4)
def repleted_labs(labs: object, reference: object, on: object, since: object) -> list[str]:
    """The lab tests whose latest result dated after ``since`` and before ``on`` shows
    repletion (past the ``reference`` table's ``repleted`` limit in its unit), sorted."""
    if not isinstance(labs, list | tuple) or not isinstance(reference, Mapping):
        return []
    if not isinstance(on, dt.date) or not isinstance(since, dt.date):
        return []
    readings = [r for r in labs if isinstance(r, tuple) and len(r) == 4]
    return repleted_tests(readings, reference, on, since)


@function("ndc_padding_matches", 1)
def ndc_padding_matches(ndc11: object) -> list[str]:
    """The shipped products' NDCs that ``ndc11`` would be if its 10 digits were padded in
    another place (only when ``ndc11`` itself is not a known product)."""
    return list(padding_matches(ndc11))


@function("ndc_same_ten_digits", 2)
def ndc_same_ten_digits(left: object, right: object) -> bool:
    """Whether two different 11-digit NDCs are one 10-digit NDC padded in two places."""
    return same_ten_digits(left, right)


@function("only", 1)
def only(items: object) -> object:
    """The one item of a one-item list; None for any other length (a fix only when one value
    decides it)."""
    if isinstance(items, list | tuple) and len(items) == 1:
        return items[0]
    return None
