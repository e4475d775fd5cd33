"""Documented doses (text, ``{value, unit}``, ``{volume_ml, concentration}``) to micrograms.

Accepted forms::

    "1000 mcg"  "1,000 mcg"  "1000mcg"  "1 mg"  "1000 µg"  "1000 ug"  "1 g"  "1000 micrograms"
    "1 mL of 1000 mcg/mL"  "1.5 mL x 1000 mcg/mL"  "1000 mcg/mL x 1 mL"
    "1000 mcg/1 mL"  "2000 mcg/2 mL"  "1 mL (1000 mcg)"  (an amount in a stated volume: the
                                      amount is the dose)
    "1000 mcg/mL, 1 mL"  "1000 mcg/mL 1 mL"
    "1,000 mcg IM"  "1000 mcg IM (L deltoid)"  (a route charted after the dose is dropped)
    "1000 mcg = 1 mL"  "1 mL = 1000 mcg"  "1000 mcg (1 mg)"  (one dose written two ways: the
                                      mass; two masses that differ are an error)
    "1000mcg x1"  "1000 mcg once"  "1000 mcg/1 mL vial, 1 mL given"  (a count of one and
                                      words about the act or the vial, dropped only when
                                      the text does not read as written; "1 vial" stays
                                      unreadable)
    "1 mL of B12 (1000mcg/mL)"        (the strength inside the drug's name after "of")
    "1 mL"  "1cc"  {"value": 1, "unit": "mL"}  {"volume_ml": 1}   (only with a strength: the
                                      drug name's "1,000 mcg/mL" or the NDC's product)
    {"value": 1000, "unit": "mcg"}   (value a number or numeric text; FHIR Quantity ``code``
                                      stands in for a missing unit; {"value": "1000 mcg"} too)
    {"volume_ml": 1.5, "concentration": "1000 mcg/mL"}   (or {"value": 1, "unit": "mg/mL"})

Numbers use ASCII digits, an optional decimal point and optional thousands commas (``1,000``);
``0,5`` and exponents are unreadable. Text echoed in an error is cut to 20 characters (it may be
PHI-adjacent).
"""

import math
import re
from dataclasses import dataclass
from functools import lru_cache

from b12lint.domain.route import INJECTABLE, normalize_route

__all__ = ["Dose", "mcg_to_units", "parse_dose", "strength_in_name"]

#: Micrograms per unit of mass, keyed by lower-case unit text.
MASS_UNITS: dict[str, float] = {
    **dict.fromkeys(("mcg", "mcgs", "µg", "μg", "ug", "microgram", "micrograms"), 1.0),
    **dict.fromkeys(("microgramme", "microgrammes"), 1.0),
    **dict.fromkeys(("mg", "mgs", "milligram", "milligrams", "milligramme"), 1_000.0),
    **dict.fromkeys(("g", "gm", "gms", "gram", "grams", "gramme", "grammes"), 1_000_000.0),
}
_VOLUME_UNITS = frozenset(
    {"ml", "mls", "cc", "milliliter", "milliliters", "millilitre", "millilitres"}
)

_NUM = r"[-+]?\s*(?:[0-9]{1,3}(?:,[0-9]{3})+|[0-9]+)(?:\.[0-9]*)?|[-+]?\s*\.[0-9]+"
_VOL_UNIT = r"m(?:l|ls|illilit(?:er|re)s?)|cc"
_TIMES = r"(?:of|x|\u00d7|\*|@|at|,)"
_NUMBER_RE = re.compile(rf"\s*(?:{_NUM})\s*")
_AMOUNT_RE = re.compile(rf"\s*(?P<num>{_NUM})\s*(?P<unit>[^\W\d_].*?)?\s*")
_VOL_CONC_RE = re.compile(
    rf"\s*(?P<vol>{_NUM})\s*(?:{_VOL_UNIT})\s*{_TIMES}\s*(?P<conc>.+?)\s*", re.IGNORECASE
)
_CONC_VOL_RE = re.compile(
    rf"\s*(?P<conc>.+?/\s*(?:1\s*)?(?:{_VOL_UNIT}))\s*(?:x|\u00d7|\*|,)?\s*(?P<vol>{_NUM})\s*"
    rf"(?:{_VOL_UNIT})\s*",
    re.IGNORECASE,
)
# "1000 mcg (1 mL)": the volume note beside a mass dose is dropped.
_TRAILING_VOLUME_RE = re.compile(
    rf"(?<=[^\W\d_])\s*\(\s*(?:{_NUM})\s*(?:{_VOL_UNIT})\s*\)\s*$", re.IGNORECASE
)
_CONC_RE = re.compile(
    rf"\s*(?P<num>{_NUM})\s*(?P<unit>[^\W\d_]+)\s*(?:/|per)\s*(?:1\s*)?(?:{_VOL_UNIT})\s*",
    re.IGNORECASE,
)
_PER_ML_RE = re.compile(
    rf"\s*(?P<unit>[^\W\d_]+)\s*(?:/|per)\s*(?:1\s*)?(?:{_VOL_UNIT})\s*", re.IGNORECASE
)

# "1000 mcg/1 mL": an amount in an explicitly stated volume (the "1" makes it a dose).
_AMOUNT_IN_VOLUME_RE = re.compile(
    rf"\s*(?P<num>{_NUM})\s*(?P<unit>[^\W\d_]+)\s*/\s*(?P<vol>{_NUM})\s*(?:{_VOL_UNIT})\s*",
    re.IGNORECASE,
)
# "1 mL (1000 mcg)": a volume with the amount it holds in parentheses: the amount is the dose.
_VOLUME_THEN_MASS_RE = re.compile(
    rf"\s*(?:{_NUM})\s*(?:{_VOL_UNIT})\s*\(\s*(?P<num>{_NUM})\s*(?P<unit>[^\W\d_]+)\s*\)\s*",
    re.IGNORECASE,
)
_BARE_VOLUME_RE = re.compile(rf"\s*(?P<vol>{_NUM})\s*(?:{_VOL_UNIT})\s*", re.IGNORECASE)
# A strength inside a drug name: "Cyanocobalamin 1,000 mcg/mL", "B12 1000mcg/ml inj".
_STRENGTH_IN_NAME_RE = re.compile(
    rf"(?<![0-9.,])(?P<num>{_NUM})\s*(?P<unit>[^\W\d_]+)\s*(?:/|per)\s*(?:1\s*)?"
    rf"(?:{_VOL_UNIT})(?![^\W\d_])",
    re.IGNORECASE,
)
_SPACE_RE = re.compile(r"\s+")
# What a chart adds to a dose without changing it: a count of one ("x1", "once", "#1") and
# words about the act or the container ("given", "administered", "vial", "inj"). Dropped
# only when the dose as written cannot be read ("1000 mcg once", "1000 mcg/1 mL vial, 1 mL
# given"); "1 vial" stays unreadable (no amount is left).
_CHART_WORDS_RE = re.compile(
    r"(?<![^\W_])(?:x\s*1|\u00d7\s*1|#\s*1|once|one\s+time|given|administered|admin"
    r"|vials?|mdv|sdv|inj|injection|injected|total)(?![^\W_])",
    re.IGNORECASE,
)
# Two ways of writing one dose: "1000 mcg = 1 mL", "1 mL = 1000 mcg", "1000 mcg (1 mg)".
_EQUIVALENT_RE = re.compile(
    r"\s*(?P<a>[^=()]+?)\s*(?:=\s*(?P<b>[^=()]+?)|\(\s*(?P<c>[^=()]+?)\s*\))\s*"
)

_ECHO_MAX = 20
#: Longest dose, unit or concentration text read: real ones are a few words, and the
#: patterns above take time growing with the square of a long run of spaces.
MAX_TEXT = 200
# isinstance() with a tuple constant: an ``int | float`` union is rebuilt on every call.
_REAL: tuple[type[int], type[float]] = (int, float)
_SCALAR: tuple[type[int], type[float], type[str]] = (int, float, str)


@dataclass(frozen=True, slots=True)
class Dose:
    """A documented dose: ``mcg`` when readable, else ``error`` (a short human reason)."""

    mcg: float | None
    error: str | None

    def __post_init__(self) -> None:
        if (self.mcg is None) == (self.error is None):
            raise ValueError("exactly one of Dose.mcg and Dose.error must be set")


_UNREADABLE_TEXT = Dose(None, "unreadable dose text")
_UNREADABLE_OBJECT = Dose(None, "unreadable dose object")
_UNREADABLE_VALUE = Dose(None, "unreadable dose value")
_NO_UNIT = Dose(None, "dose has no unit")
_NOT_POSITIVE = Dose(None, "dose must be positive")
_NOT_FINITE = Dose(None, "dose is not a finite number")
_VOLUME_NEEDS_CONCENTRATION = Dose(None, "dose in mL needs a concentration")
_CONCENTRATION_NOT_DOSE = Dose(None, "concentration without a volume")
_CONCENTRATION_UNREADABLE = Dose(None, "concentration unreadable")
_VOLUME_UNREADABLE = Dose(None, "volume unreadable")
_VOLUME_NOT_POSITIVE = Dose(None, "volume must be positive")
_VOLUME_MISSING = Dose(None, "dose volume missing")
_TOO_LONG = Dose(None, f"dose text longer than {MAX_TEXT} characters")


def _echo(text: str) -> str:
    """Printable, whitespace-collapsed ``text`` cut to at most 20 characters."""
    flat = "".join(c if c.isprintable() else "?" for c in " ".join(text.split()))
    return flat if len(flat) <= _ECHO_MAX else flat[: _ECHO_MAX - 1] + "…"


def _number(value: object) -> float | None:
    """A float from a real number or numeric text (not bool); None when unreadable."""
    if isinstance(value, bool):
        return None
    if isinstance(value, _REAL):
        try:
            return float(value)
        except OverflowError:
            return math.inf
    if isinstance(value, str) and len(value) <= MAX_TEXT and _NUMBER_RE.fullmatch(value):
        return _text_number(value)
    return None


def _text_number(text: str) -> float:
    return float(text.replace(",", "").replace(" ", "").strip())


def _amount(number: float, factor: float) -> Dose:
    """A dose of ``number`` units worth ``factor`` mcg each, checked finite and positive."""
    if not math.isfinite(number):
        return _NOT_FINITE
    if number <= 0:
        return _NOT_POSITIVE
    mcg = number * factor
    if not math.isfinite(mcg):
        return _NOT_FINITE
    rounded = round(mcg, 6)  # drop float noise such as 1.1 * 1000 = 1100.0000000000002
    return Dose(rounded if rounded > 0 else mcg, None)


@lru_cache(maxsize=256)
def _unit_dose_or_error(number: float, unit: str) -> Dose:
    """``number`` of ``unit`` (raw unit text) as a Dose."""
    if len(unit) > MAX_TEXT:
        return _TOO_LONG
    key = unit.strip().lower().rstrip(".").strip()
    if not key:
        return _NO_UNIT
    factor = MASS_UNITS.get(key)
    if factor is not None:
        return _amount(number, factor)
    if key in _VOLUME_UNITS:
        return _VOLUME_NEEDS_CONCENTRATION
    if _PER_ML_RE.fullmatch(key):
        return _CONCENTRATION_NOT_DOSE
    return Dose(None, f"unknown unit '{_echo(unit.strip())}'")


@lru_cache(maxsize=256)
def _conc_from_text(text: str) -> float | None:
    """mcg per mL from ``"1000 mcg/mL"`` style text; None when unreadable or not positive."""
    match = _CONC_RE.fullmatch(text) if len(text) <= MAX_TEXT else None
    if match is None:
        return None
    factor = MASS_UNITS.get(match["unit"].lower())
    if factor is None:
        return None
    value = _text_number(match["num"]) * factor
    return value if math.isfinite(value) and value > 0 else None


def _conc_from_object(value: object) -> float | None:
    """mcg per mL from concentration text or a ``{"value", "unit"}`` object."""
    if isinstance(value, str):
        return _conc_from_text(value)
    if isinstance(value, dict):
        number = _number(value.get("value"))
        unit = value.get("unit", value.get("code"))
        if number is None or not isinstance(unit, str) or len(unit) > MAX_TEXT:
            return None
        match = _PER_ML_RE.fullmatch(unit)
        factor = MASS_UNITS.get(match["unit"].lower()) if match else None
        if factor is None:
            return None
        conc = number * factor
        return conc if math.isfinite(conc) and conc > 0 else None
    return None


def _volume_times_conc(volume: float | None, conc: float | None) -> Dose:
    if volume is None:
        return _VOLUME_UNREADABLE
    if not math.isfinite(volume) or volume <= 0:
        return _VOLUME_NOT_POSITIVE
    if conc is None:
        return _CONCENTRATION_UNREADABLE
    return _amount(volume, conc)


def _parse_core(text: str) -> Dose:
    match = _VOL_CONC_RE.fullmatch(text) or _CONC_VOL_RE.fullmatch(text)
    if match is not None:
        conc = _conc_from_text(match["conc"])
        if conc is None:  # "1 mL of B12 (1000mcg/mL)": the strength inside a drug name
            conc = _strength_in_name(match["conc"])
        return _volume_times_conc(_text_number(match["vol"]), conc)
    match = _VOLUME_THEN_MASS_RE.fullmatch(text)
    if match is not None and MASS_UNITS.get(match["unit"].lower()) is not None:
        return _unit_dose_or_error(_text_number(match["num"]), match["unit"])
    match = _AMOUNT_IN_VOLUME_RE.fullmatch(text)
    if match is not None and MASS_UNITS.get(match["unit"].lower()) is not None:
        volume = _text_number(match["vol"])
        if not math.isfinite(volume) or volume <= 0:
            return _VOLUME_NOT_POSITIVE
        return _unit_dose_or_error(_text_number(match["num"]), match["unit"])
    match = _AMOUNT_RE.fullmatch(_TRAILING_VOLUME_RE.sub("", text))
    if match is None:
        return _UNREADABLE_TEXT
    if match["unit"] is None:
        return _NO_UNIT
    return _unit_dose_or_error(_text_number(match["num"]), match["unit"])


def _route_tail_split(text: str) -> str | None:
    """The dose part of ``"1,000 mcg IM (L deltoid)"``: the text before the first space after
    which the rest reads as an injectable route; None when there is no such split."""
    for match in _SPACE_RE.finditer(text):
        head = text[: match.start()].rstrip(",;:-")
        if head and normalize_route(text[match.end() :]) in INJECTABLE:
            return head
    return None


def _equivalent(text: str) -> Dose | None:
    """One dose written two ways ("1000 mcg = 1 mL", "1000 mcg (1 mg)"): the mass, when one
    side is a mass and the other the same mass or a volume; an error when two masses differ;
    None when the text is not two such parts."""
    match = _EQUIVALENT_RE.fullmatch(text)
    if match is None:
        return None
    sides = [_parse_core(match["a"]), _parse_core(match["b"] or match["c"])]
    masses = [side.mcg for side in sides if side.mcg is not None]
    volumes = [side for side in sides if side is _VOLUME_NEEDS_CONCENTRATION]
    if len(masses) == 2:
        low, high = sorted(masses)
        return sides[0] if high - low <= 1e-9 * high else Dose(None, "two doses that differ")
    if len(masses) == 1 and len(volumes) == 1:
        return sides[0] if sides[0].mcg is not None else sides[1]
    return None


def _reread(text: str) -> Dose | None:
    """The dose of text that does not read as written: without a route charted after it,
    as one dose written two ways, or without chart words ("once", "given", "vial")."""
    head = _route_tail_split(text.strip())
    if head is not None:
        dose = _parse_core(head)
        if dose.error is None:
            return dose
    both = _equivalent(text)
    if both is not None:
        return both
    cleaned = _CHART_WORDS_RE.sub(" ", text)
    if cleaned != text and cleaned.strip(" ,;:-"):
        cleaned = cleaned.strip(" ,;:-")
        dose = _parse_core(cleaned)
        if dose.error is None:
            return dose
        both = _equivalent(cleaned)
        if both is not None and both.error is None:
            return both
    return None if head is None else _parse_core(head)


@lru_cache(maxsize=2048)
def _parse_text(text: str) -> Dose | None:
    if not text.strip():
        return None
    if len(text) > MAX_TEXT:
        return _TOO_LONG
    dose = _parse_core(text)
    if dose.error is not None and dose is not _VOLUME_NEEDS_CONCENTRATION:
        return _reread(text) or dose  # (a bare volume has nothing to re-read)
    return dose


@lru_cache(maxsize=256)
def _bare_volume(text: str) -> float | None:
    """The volume of ``"1 mL"`` / ``"1cc"`` / ``"1 mL IM"`` (None when not a bare volume)."""
    if len(text) > MAX_TEXT:
        return None
    head = text if _BARE_VOLUME_RE.fullmatch(text) else _route_tail_split(text.strip())
    match = _BARE_VOLUME_RE.fullmatch(head) if head is not None else None
    return _text_number(match["vol"]) if match is not None else None


@lru_cache(maxsize=256)
def _strength_in_name(text: str) -> float | None:
    strengths = set()
    for match in _STRENGTH_IN_NAME_RE.finditer(text):
        factor = MASS_UNITS.get(match["unit"].lower())
        if factor is None:
            continue
        value = _text_number(match["num"]) * factor
        if math.isfinite(value) and value > 0:
            strengths.add(value)
    return strengths.pop() if len(strengths) == 1 else None


def strength_in_name(name: object) -> float | None:
    """mcg per mL named in a charted drug name ("Cyanocobalamin 1,000 mcg/mL", "B12
    1000mcg/ml inj", "1 mg/mL"); None when there is none, or several that disagree."""
    if not isinstance(name, str) or len(name) > MAX_TEXT:
        return None
    return _strength_in_name(name)


def _blank(value: object) -> bool:
    return value is None or (isinstance(value, str) and not value.strip())


@lru_cache(maxsize=512, typed=True)
def _amount_dose(amount: float | str, unit: str) -> Dose:
    number = _number(amount)
    return _UNREADABLE_VALUE if number is None else _unit_dose_or_error(number, unit)


@lru_cache(maxsize=512, typed=True)
def _volume_text_dose(volume: float | str, concentration: str) -> Dose:
    return _volume_times_conc(_number(volume), _conc_from_text(concentration))


def _parse_mapping(value: dict[object, object]) -> Dose | None:
    if "volume_ml" in value or "concentration" in value:
        volume, conc = value.get("volume_ml"), value.get("concentration")
        if isinstance(volume, _SCALAR) and not _blank(volume) and isinstance(conc, str):
            return _volume_text_dose(volume, conc)  # the common shape, cached
        if _blank(volume):
            return None if _blank(conc) else _VOLUME_MISSING
        return _volume_times_conc(_number(volume), _conc_from_object(conc))
    amount = value.get("value")
    unit = value.get("unit")
    if _blank(unit):
        unit = value.get("code")
    if isinstance(amount, _SCALAR) and isinstance(unit, str) and not _blank(unit):
        return _amount_dose(amount, unit)  # the common shape, cached
    if isinstance(amount, str) and _blank(unit) and not _blank(amount):
        return _parse_text(amount)  # {"value": "1000 mcg"}
    if all(_blank(v) for v in value.values()):
        return None
    if "value" not in value:
        return _UNREADABLE_OBJECT
    if _number(amount) is None:
        return _UNREADABLE_VALUE
    return _NO_UNIT if _blank(unit) else _UNREADABLE_OBJECT


def parse_dose(value: object, mcg_per_ml: float | None = None) -> Dose | None:
    """The documented dose in mcg, or why it can't be read; None when nothing is documented.

    ``mcg_per_ml`` is the strength known from elsewhere in the chart (the drug name, the NDC's
    product): it turns a bare volume ("1 mL", "1cc", ``{"volume_ml": 1}``) into a dose.
    """
    dose = _parse_dose(value)
    if dose is None or mcg_per_ml is None or dose.error is None:
        return dose
    if not (isinstance(mcg_per_ml, _REAL) and math.isfinite(mcg_per_ml) and mcg_per_ml > 0):
        return dose
    volume = _volume_of(value)
    return dose if volume is None else _volume_times_conc(volume, float(mcg_per_ml))


def _volume_of(value: object) -> float | None:
    """The volume of a dose charted as a volume only (no concentration)."""
    if isinstance(value, str):
        return _bare_volume(value)
    if not isinstance(value, dict):
        return None
    if "volume_ml" in value and _blank(value.get("concentration")):
        return _number(value.get("volume_ml"))
    unit = value.get("unit")
    if _blank(unit):
        unit = value.get("code")
    if isinstance(unit, str) and unit.strip().lower().rstrip(".") in _VOLUME_UNITS:
        return _number(value.get("value"))
    if isinstance(value.get("value"), str) and _blank(unit):
        return _bare_volume(value["value"])
    return None


def _parse_dose(value: object) -> Dose | None:
    if value is None:
        return None
    if isinstance(value, str):
        return _parse_text(value)
    if isinstance(value, dict):
        return _parse_mapping(value)
    if isinstance(value, bool):
        return _UNREADABLE_VALUE
    if isinstance(value, _REAL):
        number = _number(value)
        return _NOT_FINITE if number is None or not math.isfinite(number) else _NO_UNIT
    if isinstance(value, (list, tuple)) and not value:
        return None
    return _UNREADABLE_VALUE


_UNIT_TOLERANCE = 1e-9


@lru_cache(maxsize=4096)
def mcg_to_units(mcg: float, mcg_per_unit: float) -> int:
    """Billing units ``ceil(mcg / mcg_per_unit)``, ignoring float noise; at least 1 if mcg > 0.

    A quotient within a relative 1e-9 above a whole number counts as that number
    (1000.0000001 mcg at 1000 mcg per unit is 1 unit). Raises ValueError on a negative or
    non-finite dose or a non-positive unit size.
    """
    if not math.isfinite(mcg_per_unit) or mcg_per_unit <= 0:
        raise ValueError("mcg_per_unit must be a positive finite number")
    if not math.isfinite(mcg) or mcg < 0:
        raise ValueError("mcg must be a non-negative finite number")
    if mcg == 0:
        return 0
    quotient = mcg / mcg_per_unit
    whole = math.floor(quotient)
    units = whole if quotient - whole <= _UNIT_TOLERANCE * max(1.0, quotient) else whole + 1
    return max(1, int(units))
