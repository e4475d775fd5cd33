"""The data model: encounter records, findings and run summaries. Imports nothing else of ours."""

from b12lint.model.billing import ADMINISTRATION, DRUG, OTHER, BilledLine, EncounterBilling
from b12lint.model.encounter import EncounterDict, StructureError, validate_encounter
from b12lint.model.finding import (
    CATEGORIES,
    SEVERITIES,
    SEVERITY_RANK,
    Category,
    Context,
    Finding,
    Fix,
    Location,
    Severity,
)
from b12lint.model.fingerprint import fingerprint
from b12lint.model.record import InputError, Record, Source
from b12lint.model.report import EncounterRef, Report, RuleInfo
from b12lint.model.summary import Summary
from b12lint.model.wording import plural, rule_count

__all__ = [
    "ADMINISTRATION",
    "CATEGORIES",
    "DRUG",
    "OTHER",
    "SEVERITIES",
    "SEVERITY_RANK",
    "BilledLine",
    "Category",
    "Context",
    "EncounterBilling",
    "EncounterDict",
    "EncounterRef",
    "Finding",
    "Fix",
    "InputError",
    "Location",
    "Record",
    "Report",
    "RuleInfo",
    "Severity",
    "Source",
    "StructureError",
    "Summary",
    "fingerprint",
    "plural",
    "rule_count",
    "validate_encounter",
]
