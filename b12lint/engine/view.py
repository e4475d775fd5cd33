"""Per-encounter views: the validated record plus the derived facts rules read.

A view wraps the raw record dict (``raw``) and knows its JSON Pointer (``ptr``). Derived facts
(dose in mcg, normalised route, 11-digit NDC, B12 scope) are computed once, lazily, with the
named domain functions. :data:`TYPES` describes every field a rule path may name: the compiler
checks paths against it at load time.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass
from typing import Any

from b12lint.domain import (
    B12_DRUGS,
    Product,
    drug_kind,
    lookup_ndc,
    narrative_names_b12,
    normalize_icd10,
    normalize_ndc,
    normalize_phase,
    normalize_route,
    parse_dose,
    strength_in_name,
)
from b12lint.model import EncounterDict

B12_DRUG_CODES = frozenset({"J3420", "J3425"})
UNCLASSIFIED_DRUG_CODES = frozenset({"J3490", "J3590"})


@dataclass(frozen=True, slots=True)
class FieldSpec:
    """One field a rule path may name.

    ``kind`` is ``value``, ``object`` or ``list``; ``of`` names the object / element type;
    ``attr`` marks a derived fact read as an attribute (else a key of the raw dict);
    ``source`` is the raw key a derived fact comes from (its JSON Pointer); ``unreadable``
    names the attribute saying why a derived fact is unknown though its source was charted
    (a rule reading it then reports what it could not check), ``what`` names that source.
    """

    kind: str = "value"
    of: str | None = None
    attr: bool = False
    source: str | None = None
    unreadable: str | None = None
    what: str | None = None


def _raw(*names: str) -> dict[str, FieldSpec]:
    return {n: FieldSpec() for n in names}


_V = FieldSpec

#: Modifiers an export writes after the code ("J3420-JZ", "99213-25", "96372:59 XU"): CPT and
#: HCPCS codes are five characters, so what follows a separator is the line's modifiers.
_CODE_WITH_MODIFIERS = re.compile(r"([A-Z0-9]{5})((?:[-: ]+[A-Z0-9]{2})+)")
_MODIFIER = re.compile(r"[A-Z0-9]{2}")
#: Types backed by a view class (``raw`` + ``ptr``), by a plain dict, or by attributes only.
VIEW_TYPES = frozenset({"Encounter", "Line", "Administration"})
DICT_TYPES = frozenset({"Documentation", "Payer", "Monitoring", "Lab"})

TYPES: dict[str, dict[str, FieldSpec]] = {
    "Encounter": {
        **_raw("encounter_id", "patient_id", "date_of_service", "place_of_service"),
        **_raw("rendering_npi", "diagnoses", "claim_type", "type_of_bill", "adjudicated"),
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
        "labs": _V("list", "Lab"),
        "administrations": _V("list", "Administration"),
    },
    "Payer": _raw("id", "name", "type"),
    "Monitoring": _raw("plan", "last_b12_lab_date"),
    "Lab": _raw("test", "value", "unit", "date"),
    "Line": {
        **_raw("units", "dx_pointers", "date", "description", "ndc", "ndc_quantity"),
        **_raw("ndc_unit", "revenue_code", "charge", "place_of_service"),
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
        "dose_mcg": _V(
            attr=True, source="dose", unreadable="dose_error", what="the charted B12 dose"
        ),
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
            "labs",
            "drug_modifiers",
            "payer_type",
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
    """A claim line with derived facts (computed once, when the view is built)."""

    __slots__ = (
        "code",
        "index",
        "is_b12_drug",
        "modifiers",
        "ndc11",
        "number",
        "pointed_codes",
        "product",
        "ptr",
        "raw",
        "service_date",
    )

    def __init__(self, raw: dict[str, Any], index: int, enc: EncounterView) -> None:
        self.raw = raw
        self.index = index
        self.number = index + 1
        """1-based line number, as coders count claim lines."""
        self.ptr = f"/lines/{index}"
        code = raw.get("code")
        self.code: str | None = code.strip().upper() if isinstance(code, str) else None
        """The procedure code, upper-case and trimmed; a code written with its modifiers
        ("J3420-JZ") is the five-character code, its modifiers joining :attr:`modifiers`."""
        mods = raw.get("modifiers")
        self.modifiers: list[str] = [m.strip().upper() for m in mods] if mods else []
        """Modifiers, upper-case and trimmed (never None)."""
        if self.code is not None and len(self.code) > 5:
            written = _CODE_WITH_MODIFIERS.fullmatch(self.code)
            if written is not None:
                self.code = written[1]
                extra = _MODIFIER.findall(written[2])
                self.modifiers = self.modifiers + [m for m in extra if m not in self.modifiers]
        date: dt.date | None = raw.get("date")
        self.service_date: dt.date = enc.raw["date_of_service"] if date is None else date
        """The line date, defaulting to the encounter's date of service."""
        ndc = raw.get("ndc")
        self.ndc11: str | None = normalize_ndc(ndc) if ndc is not None else None
        """The NDC in 11-digit 5-4-2 form, or None when absent or malformed."""
        self.product: Product | None = lookup_ndc(self.ndc11) if self.ndc11 else None
        """The B12 product the NDC names, if it is in the shipped table."""
        self.is_b12_drug = self._b12_drug()
        """J3420/J3425, an unclassified drug code whose NDC or narrative names B12, or a
        facility line (a revenue code) with no procedure code whose NDC is a B12 product."""
        codes = enc.diagnosis_codes
        pointers = raw.get("dx_pointers")
        self.pointed_codes: list[str] = (
            [codes[p - 1] for p in pointers if 1 <= p <= len(codes)] if pointers else []
        )
        """Normalised diagnosis codes this line's pointers reach (invalid pointers skipped)."""

    def _b12_drug(self) -> bool:
        code = self.code
        if code in B12_DRUG_CODES:
            return True
        if code in UNCLASSIFIED_DRUG_CODES:
            product = self.product
            if product is not None:
                return product.b12_therapy
            return narrative_names_b12(self.raw.get("description"))
        if not code and self.raw.get("revenue_code"):
            # a facility's packaged drug line (837I/UB-04 revenue code, no HCPCS): its NDC
            product = self.product
            return product is not None and product.b12_therapy
        return False


class AdminView:
    """A documented administration with derived facts (computed when the view is built)."""

    __slots__ = (
        "dose_documented",
        "dose_error",
        "dose_mcg",
        "drug_kind",
        "index",
        "is_b12",
        "ndc11",
        "product",
        "ptr",
        "raw",
        "route_code",
        "supplier",
    )

    def __init__(self, raw: dict[str, Any], index: int, enc: EncounterView) -> None:
        self.raw = raw
        self.index = index
        self.ptr = f"/documentation/administrations/{index}"
        ndc = raw.get("ndc")
        self.ndc11: str | None = normalize_ndc(ndc) if ndc is not None else None
        """The NDC in 11-digit form, or None."""
        product = self.product = lookup_ndc(self.ndc11) if self.ndc11 else None
        """The B12 product the charted NDC names, if known."""
        drug = raw.get("drug")
        kind = drug_kind(drug)
        if kind is None and product is not None:
            kind = product.drug
        self.drug_kind: str | None = kind
        """``cyanocobalamin``, ``hydroxocobalamin``, ``other`` or None when not charted."""
        self.is_b12: bool = (product is None or product.b12_therapy) and kind in B12_DRUGS
        """A B12 product given as B12 therapy (Cyanokit, a cyanide antidote, is not)."""
        # A dose charted as a volume ("1 mL") reads with the strength in the drug name
        # ("Cyanocobalamin 1,000 mcg/mL") or, failing that, the charted NDC's product.
        strength = strength_in_name(drug)
        if strength is None and product is not None and product.drug == kind:
            strength = product.strength_mcg_per_ml
        dose = parse_dose(raw.get("dose"), strength)
        self.dose_documented: bool = dose is not None
        """Whether any dose was charted (readable or not)."""
        self.dose_mcg: float | None = None if dose is None else dose.mcg
        """The dose in mcg when it is readable and positive."""
        self.dose_error: str | None = None if dose is None else dose.error
        """Why a charted dose could not be read."""
        route = raw.get("route")
        self.route_code: str | None = normalize_route(route) if route is not None else None
        """IM, SC, IV, PO, SL, NASAL, UNKNOWN, or None when not charted."""
        supplier = raw.get("supplied_by")
        self.supplier: str = (
            supplier.strip().lower() if isinstance(supplier, str) and supplier.strip() else "clinic"
        )
        """``clinic`` (the default) or ``patient``, lower-case."""


class EncounterView:
    """An encounter with its lines and administrations wrapped as views.

    Every derived fact is computed once, when the view is built (plain attributes: rules
    read them millions of times in a batch).
    """

    __slots__ = (
        "administrations",
        "b12_administrations",
        "b12_drug_lines",
        "chart_missing",
        "diagnosis_codes",
        "has_chart",
        "indication_codes",
        "is_b12",
        "line_codes",
        "lines",
        "phase",
        "ptr",
        "raw",
    )

    def __init__(
        self, raw: EncounterDict, has_chart: bool = True, chart_missing: bool = False
    ) -> None:
        record: dict[str, Any] = raw  # type: ignore[assignment]
        self.raw = record
        self.ptr = ""
        self.has_chart = has_chart
        self.chart_missing = chart_missing
        diagnoses = record.get("diagnoses")
        self.diagnosis_codes: list[str] = (
            [normalize_icd10(c) for c in diagnoses] if diagnoses else []
        )
        """Claim diagnoses, normalised (upper-case, no dot), in pointer order."""
        lines = record.get("lines")
        self.lines: list[LineView] = (
            [LineView(line, i, self) for i, line in enumerate(lines)] if lines else []
        )
        """Claim lines as views."""
        doc = record.get("documentation") or {}
        admins = doc.get("administrations")
        self.administrations: list[AdminView] = (
            [AdminView(a, i, self) for i, a in enumerate(admins)] if admins else []
        )
        """Every documented administration as a view."""
        self.b12_administrations = [a for a in self.administrations if a.is_b12]
        """Documented administrations of a B12 product given as B12 therapy."""
        self.b12_drug_lines = [line for line in self.lines if line.is_b12_drug]
        """Claim lines that bill a B12 drug."""
        self.line_codes = frozenset([line.code for line in self.lines if line.code])
        """The set of billed codes."""
        codes = doc.get("indication_codes")
        self.indication_codes: list[str] = [normalize_icd10(c) for c in codes] if codes else []
        """Charted indication codes, normalised."""
        phase = doc.get("phase")
        self.phase: str | None = normalize_phase(phase) or (
            phase.strip().lower() if isinstance(phase, str) and phase.strip() else None
        )
        """``repletion`` ("loading", "initial", "acute" ...) or ``maintenance`` ("monthly",
        "maint."); other charted text lower-case and trimmed (a phase no rule reads as
        either: undocumented); None when absent or blank."""
        self.is_b12 = bool(self.b12_drug_lines) or bool(self.b12_administrations)
        """In scope: a B12 drug line or a documented B12 administration."""

    @property
    def chart_status(self) -> str:
        """``present``; ``absent`` (the input carries no chart, e.g. a bare 837P); ``missing``
        (a chart was given but has no record for this encounter)."""
        if self.has_chart:
            return "present"
        return "missing" if self.chart_missing else "absent"
