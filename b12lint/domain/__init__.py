"""Domain functions the rules call: dose, route, NDC, NPI, ICD-10-CM and B12 products.

Pure functions over plain values; this package imports nothing else of b12lint. Code tables
(ICD-10-CM, NDC products) load lazily on first use, so importing it stays cheap.
"""

from b12lint.domain.dose import Dose, mcg_to_units, parse_dose, strength_in_name
from b12lint.domain.icd10 import (
    compile_icd10_patterns,
    icd10_matches,
    icd10_status,
    normalize_icd10,
)
from b12lint.domain.icd10_history import (
    Release,
    icd10_coverage,
    icd10_release_on,
    icd10_releases,
    icd10_status_on,
)
from b12lint.domain.labs import LabReading, deficient_tests, lab_reading, repleted_tests
from b12lint.domain.ndc import NDC_UNIT_QUALIFIERS, ndc_is_malformed, normalize_ndc
from b12lint.domain.ndc_padding import padding_matches, repaddings, same_ten_digits
from b12lint.domain.npi import npi_is_valid
from b12lint.domain.phase import MAINTENANCE, REPLETION, normalize_phase
from b12lint.domain.products import (
    B12_DRUGS,
    Product,
    drug_kind,
    lookup_ndc,
    narrative_names_b12,
)
from b12lint.domain.route import (
    IM,
    INJECTABLE,
    IV,
    NASAL,
    PO,
    SC,
    SELF_ADMINISTERED,
    SL,
    UNKNOWN,
    normalize_route,
)

__all__ = [
    "B12_DRUGS",
    "IM",
    "INJECTABLE",
    "IV",
    "MAINTENANCE",
    "NASAL",
    "NDC_UNIT_QUALIFIERS",
    "PO",
    "REPLETION",
    "SC",
    "SELF_ADMINISTERED",
    "SL",
    "UNKNOWN",
    "Dose",
    "LabReading",
    "Product",
    "Release",
    "compile_icd10_patterns",
    "deficient_tests",
    "drug_kind",
    "icd10_coverage",
    "icd10_matches",
    "icd10_release_on",
    "icd10_releases",
    "icd10_status",
    "icd10_status_on",
    "lab_reading",
    "lookup_ndc",
    "mcg_to_units",
    "narrative_names_b12",
    "ndc_is_malformed",
    "normalize_icd10",
    "normalize_ndc",
    "normalize_phase",
    "normalize_route",
    "npi_is_valid",
    "padding_matches",
    "parse_dose",
    "repaddings",
    "repleted_tests",
    "same_ten_digits",
    "strength_in_name",
]
