"""FHIR code systems and the small accessors every FHIR mapping module uses.

Values read from a parsed resource are untrusted JSON: every accessor returns ``None`` or an
empty list for a value of the wrong type instead of raising.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

NPI = "http://hl7.org/fhir/sid/us-npi"
NDC = frozenset({"http://hl7.org/fhir/sid/ndc", "urn:oid:2.16.840.1.113883.6.69"})
ICD10 = frozenset(
    {
        "http://hl7.org/fhir/sid/icd-10-cm",
        "http://hl7.org/fhir/sid/icd-10",
        "urn:oid:2.16.840.1.113883.6.90",
    }
)
PROCEDURE = frozenset(
    {
        "http://www.ama-assn.org/go/cpt",
        "urn:oid:2.16.840.1.113883.6.12",
        "https://www.cms.gov/Medicare/Coding/HCPCSReleaseCodeSets",
        "http://www.cms.gov/Medicare/Coding/HCPCSReleaseCodeSets",
        "urn:oid:2.16.840.1.113883.6.285",
        "https://bluebutton.cms.gov/resources/codesystem/hcpcs",
    }
)
POS = frozenset(
    {
        "https://www.cms.gov/Medicare/Coding/place-of-service-codes/Place_of_Service_Code_Set",
        "https://bluebutton.cms.gov/resources/variables/line_place_of_srvc_cd",
    }
)
SNOMED = "http://snomed.info/sct"
BB = "https://bluebutton.cms.gov/resources/variables/"
"""Blue Button 2.0 (CMS) variable systems and extension URLs start with this."""


def as_list(value: Any) -> list[Any]:
    """``value`` if it is a list, else an empty list."""
    return value if isinstance(value, list) else []


def as_dict(value: Any) -> dict[str, Any]:
    """``value`` if it is an object, else an empty dict."""
    return value if isinstance(value, dict) else {}


def day(value: Any) -> str | None:
    """The date part of a FHIR date or dateTime (``2026-03-02T10:15:00Z`` → ``2026-03-02``)."""
    if isinstance(value, str) and len(value) >= 10:
        return value[:10]
    return None


def code(concept: Any, systems: Iterable[str] | None = None) -> str | None:
    """The code of the first coding in ``systems`` (or the first coding at all)."""
    wanted = frozenset(systems) if systems is not None else None
    for coding in as_list(as_dict(concept).get("coding")):
        coding = as_dict(coding)
        if wanted is None or coding.get("system") in wanted:
            value = coding.get("code")
            if isinstance(value, str) and value:
                return value
    return None


def has_code(concept: Any, wanted: str) -> bool:
    """Whether any coding of ``concept`` has the code ``wanted`` (any system, any case)."""
    for coding in as_list(as_dict(concept).get("coding")):
        value = as_dict(coding).get("code")
        if isinstance(value, str) and value.lower() == wanted.lower():
            return True
    return False


def text(concept: Any) -> str | None:
    """A CodeableConcept's text, else its first coding's display."""
    concept = as_dict(concept)
    if isinstance(concept.get("text"), str) and concept["text"].strip():
        return str(concept["text"])
    for coding in as_list(concept.get("coding")):
        display = as_dict(coding).get("display")
        if isinstance(display, str) and display.strip():
            return display
    return None


def seq(value: Any) -> int:
    """A ``sequence`` value for sorting (0 when absent or not an integer)."""
    return value if isinstance(value, int) and not isinstance(value, bool) else 0


def number(value: Any) -> float | int | None:
    """A JSON number as int when whole, else float; None for anything else."""
    if isinstance(value, bool) or not isinstance(value, int | float):
        return None
    return int(value) if float(value).is_integer() else value


def npi(identifiers: Any) -> str | None:
    """The NPI among ``identifiers``: system us-npi, or typed ``npi`` / ``NPI`` without one
    (CARIN Blue Button and CMS Blue Button write the type and leave out the system)."""
    for identifier in as_list(identifiers):
        identifier = as_dict(identifier)
        value = identifier.get("value")
        if not isinstance(value, str) or not value:
            continue
        system = identifier.get("system")
        if system == NPI or (system is None and has_code(identifier.get("type"), "npi")):
            return value
    return None


def extension_values(element: Any, suffix: str) -> list[Any]:
    """The ``value[x]`` of each extension of ``element`` whose URL ends with ``suffix``."""
    out: list[Any] = []
    for ext in as_list(as_dict(element).get("extension")):
        ext = as_dict(ext)
        url = ext.get("url")
        if isinstance(url, str) and url.endswith(suffix):
            out.extend(v for k, v in ext.items() if k.startswith("value"))
    return out


__all__ = [
    "BB",
    "ICD10",
    "NDC",
    "NPI",
    "POS",
    "PROCEDURE",
    "SNOMED",
    "as_dict",
    "as_list",
    "code",
    "day",
    "extension_values",
    "has_code",
    "npi",
    "number",
    "seq",
    "text",
]
