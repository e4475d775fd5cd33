"""B12 drug products: the shipped NDC table, drug names, and B12 mentions in line narratives.

``data/b12_ndc_products.csv`` (30 real NDC packages, 15 labelers) is built by
``scripts/build_ndc_table.py`` from the openFDA / DailyMed reference list; its provenance
(source file and hash, date generated, column meanings) is in ``b12_ndc_products.meta.json``
beside it. It is read once, on the first lookup.

Drug kinds: ``cyanocobalamin`` (J3420) and ``hydroxocobalamin`` (J3425) are the B12 drugs with
HCPCS codes. Everything else is ``"other"``, including methylcobalamin / adenosylcobalamin (B12
forms with no J code: billed, if at all, as J3490 with a narrative) and Cyanokit (hydroxocobalamin
5 g IV for cyanide poisoning, J3424: not B12 therapy, out of b12lint's scope).
"""

import math
import re
from dataclasses import dataclass
from functools import lru_cache

from b12lint.domain._data import read_data
from b12lint.domain.ndc import normalize_ndc

__all__ = [
    "B12_DRUGS",
    "Product",
    "drug_kind",
    "known_labeler_codes",
    "lookup_ndc",
    "narrative_names_b12",
]

DATA_FILE = "b12_ndc_products.csv"
B12_DRUGS = frozenset({"cyanocobalamin", "hydroxocobalamin"})


@dataclass(frozen=True, slots=True)
class Product:
    """One NDC package of the product table.

    ``container`` is ``multi-dose``, ``single-dose`` or ``unknown`` (the listing does not say).
    ``b12_therapy`` is False for Cyanokit (cyanide antidote), whose ``strength_mcg_per_ml`` is
    its 25 mg/mL after reconstitution.
    """

    ndc11: str
    drug: str
    strength_mcg_per_ml: float
    vial_ml: float | None
    container: str
    b12_therapy: bool
    labeler: str
    source: str


_PRODUCTS: dict[str, Product] | None = None


def _read_products() -> dict[str, Product]:
    import csv  # lazy: only on the first lookup
    import io

    text = read_data(DATA_FILE).decode("utf-8")
    products: dict[str, Product] = {}
    for row in csv.DictReader(io.StringIO(text)):
        strength = float(row["strength_mcg_per_ml"])
        vial = float(row["vial_ml"]) if row["vial_ml"] else None
        if not (math.isfinite(strength) and strength > 0):
            raise ValueError(f"{DATA_FILE}: bad strength for {row['ndc11']}")
        products[row["ndc11"]] = Product(
            ndc11=row["ndc11"],
            drug=row["drug"],
            strength_mcg_per_ml=strength,
            vial_ml=vial,
            container=row["container"],
            b12_therapy=row["route_use"] == "b12",
            labeler=row["labeler"],
            source=row["source"],
        )
    return products


def lookup_ndc(ndc: object) -> Product | None:
    """The product of an NDC in any accepted form; None when malformed or not in the table."""
    global _PRODUCTS  # a lazily loaded module cache
    code = normalize_ndc(ndc)
    if code is None:
        return None
    if _PRODUCTS is None:
        _PRODUCTS = _read_products()
    return _PRODUCTS.get(code)


_B12_WORDS = r"vit(?:amin)?\.?[\s-]*b[\s-]*12|b[\s-]?12"
# "cobalamin" as charts spell it: cobalamin(e), cobolamin(e), cobalmin (a vowel typed for
# another, dropped, or a French/German final e)
_COBALAMIN = r"cob[ao]l[ae]?mine?"
_NOT_B12_THERAPY = re.compile(
    r"(?<![a-z])(?:methylcobalamin|mecobalamin|adenosylcobalamin|cobamamide|cyanokit)(?![a-z])"
)
# "hydroxo" alone is the nurses' short name of hydroxocobalamin (no other drug is called so:
# hydroxyzine and hydroxychloroquine do not match a whole word)
_HYDROXO = re.compile(
    rf"(?<![a-z])(?:hydrox[oy][\s-]?{_COBALAMIN}|hydroxo(?:[\s-]*b-?12(?![0-9]))?)(?![a-z])"
)
_CYANO = re.compile(
    rf"(?<![a-z])(?:cyano[\s-]?{_COBALAMIN}|cobalamin)(?![a-z])"
    rf"|(?<![a-z0-9])(?:{_B12_WORDS})(?![0-9])"
)
_NARRATIVE = re.compile(
    rf"(?<![a-z])(?:cyano[\s-]?{_COBALAMIN}|hydrox[oy][\s-]?{_COBALAMIN}|hydroxo)(?![a-z])"
    rf"|(?<![a-z0-9])(?:{_B12_WORDS})(?![0-9])"
)


@lru_cache(maxsize=512)
def _kind(text: str) -> str | None:
    low = text.strip().lower()
    if not low:
        return None
    if _NOT_B12_THERAPY.search(low):
        return "other"
    if _HYDROXO.search(low):
        return "hydroxocobalamin"
    if _CYANO.search(low):
        return "cyanocobalamin"
    return "other"


def drug_kind(text: object) -> str | None:
    """``"cyanocobalamin"``, ``"hydroxocobalamin"``, ``"other"``, or None when not charted.

    Matches words, case-insensitively: "Cyanocobalamin injection", "vitamin B-12", "B12" and
    "cobalamin" are cyanocobalamin; "hydroxocobalamin" / "hydroxycobalamin" / "hydroxo-B12" /
    "hydroxo" (also in "vitamin B12 (hydroxocobalamin)") are hydroxocobalamin, and so are the
    names' common misspellings ("cyanocobalamine", "cyanocobolamin", "cyanocobalmin").
    Methylcobalamin, adenosylcobalamin and Cyanokit are "other" (no B12 J code / not B12
    therapy), even when the text also says B12.
    """
    if isinstance(text, str):
        return _kind(text)
    if text is None or (isinstance(text, (list, tuple, dict)) and not text):
        return None
    return "other"


@lru_cache(maxsize=1024)
def _names_b12(text: str) -> bool:
    low = text.lower()
    return _NARRATIVE.search(low) is not None and _NOT_B12_THERAPY.search(low) is None


def narrative_names_b12(text: object) -> bool:
    """Whether free text names cyanocobalamin, hydroxocobalamin or vitamin B12 / B-12 / B12.

    Case-insensitive, on word boundaries (letters may not touch a name, a digit may:
    "CYANOCOBALAMIN1000MCG" counts). Like :func:`drug_kind`, text that names Cyanokit or
    methylcobalamin / adenosylcobalamin is False even beside "B12" or "hydroxocobalamin":
    those have no B12-therapy J code. Bare "cobalamin" does not count.
    """
    return isinstance(text, str) and _names_b12(text)


def known_labeler_codes() -> frozenset[str]:
    """The 5-digit labeler segments (of the 11-digit form) of the products in the table."""
    global _PRODUCTS  # a lazily loaded module cache
    if _PRODUCTS is None:
        _PRODUCTS = _read_products()
    return frozenset(code[:5] for code in _PRODUCTS)
