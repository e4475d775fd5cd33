"""Per-encounter views: the validated record plus the derived facts rules read.

A view wraps the raw record dict (``raw``) and knows its JSON Pointer (``ptr``). Derived facts
(dose in mcg, normalised route, 11-digit NDC, B12 scope) are computed once, lazily, with the
named domain functions. :data:`TYPES` describes every field a rule path may name: the compiler
checks paths against it at load time.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from functools import cached_property
from typing import Any

from b12lint.domain import (
    B12_DRUGS,
    Product,
    drug_kind,
    lookup_ndc,
    narrative_names_b12,
    normalize_icd10,
    normalize_ndc,
    normalize_route,
    parse_dose,
)
from b12lint.model import EncounterDict

B12_DRUG_CODES = frozenset({"J3420", "J3425"})
UNCLASSIFIED_DRUG_CODES = frozenset({"J3490", "J3590"})


@dataclass(frozen=True, slots=True)
class FieldSpec:
    """One field a rule path may name.

    ``kind`` is ``value``, ``object`` or ``list``; ``of`` names the object / element type;
    ``attr`` marks a derived fact read as an attribute (else a key of the raw dict);
    ``source`` is the raw key a derived fact comes from (its JSON Pointer).
    """

    kind: str = "value"
    of: str | None = None
    attr: bool = False
    source: str | None = None


def _raw(*names: str) -> dict[str, FieldSpec]:
    return {n: FieldSpec() for n in names}


_V = FieldSpec
#: Types backed by a view class (``raw`` + ``ptr``), by a plain dict, or by attributes only.
VIEW_TYPES = frozenset({"Encounter", "Line", "Administration"})
DICT_TYPES = frozenset({"Documentation", "Payer", "Monitoring"})

TYPES: dict[str, dict[str, FieldSpec]] = {
    "Encounter": {
        **_raw("encounter_id", "patient_id", "date_of_service", "place_of_service"),
        **_raw("rendering_npi", "diagnoses"),
        "payer": _V("object", "Payer"),
        "documentation": _V("object", "Documentation"),
        "lines": _V("list", "Line", attr=True, source="lines"),
        "administrations": _V(
            "list", "Administration", attr=True, source="documentation/administrations"
        ),
        "b12_administrations": _V(
            "list", "Administration", attr=True, source="documentation/administrations"
        ),
        "b12_drug_lines": _V("list", "Line", attr=True, source="lines"),
        "line_codes": _V(attr=True, source="lines"),
        "diagnosis_codes": _V(attr=True, source="diagnoses"),
        "indication_codes": _V(attr=True, source="documentation/indication_codes"),
        "phase": _V(attr=True, source="documentation/phase"),
        "is_b12": _V(attr=True),
        "has_chart": _V(attr=True, source="documentation"),
        "chart_status": _V(attr=True, source="documentation"),
    },
    "Documentation": {
        **_raw("indication", "indication_codes", "phase"),
        "monitoring": _V("object", "Monitoring"),
        "administrations": _V("list", "Administration"),
    },
    "Payer": _raw("id", "name", "type"),
    "Monitoring": _raw("plan", "last_b12_lab_date"),
    "Line": {
        **_raw("units", "dx_pointers", "date", "description", "ndc", "ndc_quantity"),
        **_raw("ndc_unit", "charge"),
        "code": _V(attr=True, source="code"),
        "modifiers": _V(attr=True, source="modifiers"),
        "index": _V(attr=True),
        "number": _V(attr=True),
        "service_date": _V(attr=True, source="date"),
        "ndc11": _V(attr=True, source="ndc"),
        "product": _V("object", "Product", attr=True, source="ndc"),
        "is_b12_drug": _V(attr=True, source="code"),
        "pointed_codes": _V(attr=True, source="dx_pointers"),
    },
    "Administration": {
        **_raw("drug", "dose", "route", "site", "ndc", "supplied_by", "time"),
        "index": _V(attr=True),
        "drug_kind": _V(attr=True, source="drug"),
        "is_b12": _V(attr=True, source="drug"),
        "dose_mcg": _V(attr=True, source="dose"),
        "dose_error": _V(attr=True, source="dose"),
        "dose_documented": _V(attr=True, source="dose"),
        "route_code": _V(attr=True, source="route"),
        "supplier": _V(attr=True, source="supplied_by"),
        "ndc11": _V(attr=True, source="ndc"),
        "product": _V("object", "Product", attr=True, source="ndc"),
    },
    "Event": {
        n: _V(attr=True)
        for n in (
            "encounter_id",
            "patient_id",
            "date",
            "phase",
            "codes",
            "drugs",
            "dose_mcg",
            "injection",
            "repletion_started",
        )
    }
    | {
        "previous": _V("object", "Event", attr=True),
        "earlier": _V("list", "Event", attr=True),
    },
    "Product": {
        n: _V(attr=True)
        for n in (
            "ndc11",
            "drug",
            "strength_mcg_per_ml",
            "vial_ml",
            "container",
            "b12_therapy",
            "labeler",
        )
    },
}


class LineView:
    """A claim line with derived facts."""

    __slots__ = ("__dict__", "enc", "index", "ptr", "raw")

    def __init__(self, raw: dict[str, Any], index: int, enc: EncounterView) -> None:
        self.raw = raw
        self.index = index
        self.ptr = f"/lines/{index}"
        self.enc = enc

    @property
    def number(self) -> int:
        """1-based line number, as coders count claim lines."""
        return self.index + 1

    @cached_property
    def code(self) -> str | None:
        """The procedure code, upper-case and trimmed."""
        code = self.raw.get("code")
        return code.strip().upper() if isinstance(code, str) else None

    @cached_property
    def modifiers(self) -> list[str]:
        """Modifiers, upper-case and trimmed (never None)."""
        mods = self.raw.get("modifiers") or ()
        return [m.strip().upper() for m in mods]

    @cached_property
    def service_date(self) -> dt.date:
        """The line date, defaulting to the encounter's date of service."""
        date: dt.date | None = self.raw.get("date")
        if date is None:
            dos: dt.date = self.enc.raw["date_of_service"]
            return dos
        return date

    @cached_property
    def ndc11(self) -> str | None:
        """The NDC in 11-digit 5-4-2 form, or None when absent or malformed."""
        return normalize_ndc(self.raw.get("ndc"))

    @cached_property
    def product(self) -> Product | None:
        """The B12 product the NDC names, if it is in the shipped table."""
        return lookup_ndc(self.ndc11) if self.ndc11 else None

    @cached_property
    def is_b12_drug(self) -> bool:
        """J3420/J3425, or an unclassified drug code whose NDC or narrative names B12."""
        code = self.code
        if code in B12_DRUG_CODES:
            return True
        if code in UNCLASSIFIED_DRUG_CODES:
            product = self.product
            if product is not None:
                return product.b12_therapy
            return narrative_names_b12(self.raw.get("description"))
        return False

    @cached_property
    def pointed_codes(self) -> list[str]:
        """Normalised diagnosis codes this line's pointers reach (invalid pointers skipped)."""
        codes = self.enc.diagnosis_codes
        out = []
        for p in self.raw.get("dx_pointers") or ():
            if 1 <= p <= len(codes):
                out.append(codes[p - 1])
        return out


class AdminView:
    """A documented administration with derived facts."""

    __slots__ = ("__dict__", "enc", "index", "ptr", "raw")

    def __init__(self, raw: dict[str, Any], index: int, enc: EncounterView) -> None:
        self.raw = raw
        self.index = index
        self.ptr = f"/documentation/administrations/{index}"
        self.enc = enc

    @cached_property
    def drug_kind(self) -> str | None:
        """``cyanocobalamin``, ``hydroxocobalamin``, ``other`` or None when not charted."""
        kind = drug_kind(self.raw.get("drug"))
        if kind is None and self.product is not None:
            return self.product.drug
        return kind

    @cached_property
    def is_b12(self) -> bool:
        """A B12 product given as B12 therapy (Cyanokit, a cyanide antidote, is not)."""
        if self.product is not None and not self.product.b12_therapy:
            return False
        return self.drug_kind in B12_DRUGS

    @cached_property
    def _dose(self) -> tuple[float | None, str | None]:
        dose = parse_dose(self.raw.get("dose"))
        if dose is None:
            return None, None
        return dose.mcg, dose.error

    @property
    def dose_documented(self) -> bool:
        """Whether any dose was charted (readable or not)."""
        return parse_dose(self.raw.get("dose")) is not None

    @property
    def dose_mcg(self) -> float | None:
        """The dose in mcg when it is readable and positive."""
        return self._dose[0]

    @property
    def dose_error(self) -> str | None:
        """Why a charted dose could not be read."""
        return self._dose[1]

    @cached_property
    def route_code(self) -> str | None:
        """IM, SC, IV, PO, SL, NASAL, UNKNOWN, or None when not charted."""
        return normalize_route(self.raw.get("route"))

    @cached_property
    def supplier(self) -> str:
        """``clinic`` (the default) or ``patient``, lower-case."""
        value = self.raw.get("supplied_by")
        if isinstance(value, str) and value.strip():
            return value.strip().lower()
        return "clinic"

    @cached_property
    def ndc11(self) -> str | None:
        """The NDC in 11-digit form, or None."""
        return normalize_ndc(self.raw.get("ndc"))

    @cached_property
    def product(self) -> Product | None:
        """The B12 product the charted NDC names, if known."""
        return lookup_ndc(self.ndc11) if self.ndc11 else None


class EncounterView:
    """An encounter with its lines and administrations wrapped as views."""

    __slots__ = ("__dict__", "chart_missing", "has_chart", "ptr", "raw")

    def __init__(
        self, raw: EncounterDict, has_chart: bool = True, chart_missing: bool = False
    ) -> None:
        self.raw: dict[str, Any] = raw  # type: ignore[assignment]
        self.ptr = ""
        self.has_chart = has_chart
        self.chart_missing = chart_missing

    @property
    def chart_status(self) -> str:
        """``present``; ``absent`` (the input carries no chart, e.g. a bare 837P); ``missing``
        (a chart was given but has no record for this encounter)."""
        if self.has_chart:
            return "present"
        return "missing" if self.chart_missing else "absent"

    @cached_property
    def lines(self) -> list[LineView]:
        """Claim lines as views."""
        return [LineView(line, i, self) for i, line in enumerate(self.raw.get("lines") or ())]

    @cached_property
    def administrations(self) -> list[AdminView]:
        """Every documented administration as a view."""
        doc = self.raw.get("documentation") or {}
        return [AdminView(a, i, self) for i, a in enumerate(doc.get("administrations") or ())]

    @cached_property
    def b12_administrations(self) -> list[AdminView]:
        """Documented administrations of a B12 product given as B12 therapy."""
        return [a for a in self.administrations if a.is_b12]

    @cached_property
    def b12_drug_lines(self) -> list[LineView]:
        """Claim lines that bill a B12 drug."""
        return [line for line in self.lines if line.is_b12_drug]

    @cached_property
    def line_codes(self) -> frozenset[str]:
        """The set of billed codes."""
        return frozenset(line.code for line in self.lines if line.code)

    @cached_property
    def diagnosis_codes(self) -> list[str]:
        """Claim diagnoses, normalised (upper-case, no dot), in pointer order."""
        return [normalize_icd10(c) for c in self.raw.get("diagnoses") or ()]

    @cached_property
    def indication_codes(self) -> list[str]:
        """Charted indication codes, normalised."""
        doc = self.raw.get("documentation") or {}
        return [normalize_icd10(c) for c in doc.get("indication_codes") or ()]

    @cached_property
    def phase(self) -> str | None:
        """The charted phase, lower-case and trimmed (None when absent or blank)."""
        doc = self.raw.get("documentation") or {}
        phase = doc.get("phase")
        if isinstance(phase, str) and phase.strip():
            return phase.strip().lower()
        return None

    @cached_property
    def is_b12(self) -> bool:
        """In scope: a B12 drug line or a documented B12 administration."""
        return bool(self.b12_drug_lines) or bool(self.b12_administrations)
