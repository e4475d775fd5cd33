"""The native record as msgspec Structs (imported only by :mod:`b12lint.readers.typed`, on
first use: msgspec costs start-up time a one-encounter YAML check does not need).

Each Struct mirrors the TypedDict of the same name in ``b12lint/model/encounter.py``, field
for field and in the same order (the order of the dicts built from it); absent fields are
``UNSET`` and left out of those dicts, ``null`` is kept.
"""

from __future__ import annotations

import datetime as dt
from typing import Annotated, Any

from msgspec import UNSET, Meta, Struct, UnsetType

__all__ = ["STRUCTS", "Encounter"]

_Text = str | UnsetType | None
_Number = float | UnsetType | None
_Date = dt.date | UnsetType | None
_Texts = list[str] | UnsetType | None


class Payer(Struct):
    """``Payer``."""

    id: _Text = UNSET
    name: _Text = UNSET
    type: _Text = UNSET


class Monitoring(Struct):
    """``Monitoring``."""

    plan: _Text = UNSET
    last_b12_lab_date: _Date = UNSET


class Lab(Struct):
    """``Lab``."""

    test: _Text = UNSET
    value: _Number = UNSET
    unit: _Text = UNSET
    date: _Date = UNSET


class Administration(Struct):
    """``Administration``: ``dose`` and ``route`` are any JSON value, as in the model."""

    drug: _Text = UNSET
    dose: Any = UNSET
    route: Any = UNSET
    site: _Text = UNSET
    ndc: _Text = UNSET
    supplied_by: _Text = UNSET
    time: _Text = UNSET


class Documentation(Struct):
    """``Documentation``."""

    indication: _Text = UNSET
    indication_codes: _Texts = UNSET
    phase: _Text = UNSET
    monitoring: Monitoring | UnsetType | None = UNSET
    labs: list[Lab] | UnsetType | None = UNSET
    administrations: list[Administration] | UnsetType | None = UNSET


class Line(Struct):
    """``Line``. ``dx_pointers`` takes integers only: ``1.0``, which the model reads as 1, is
    refused here and so left to pydantic."""

    code: _Text = UNSET
    units: _Number = UNSET
    modifiers: _Texts = UNSET
    dx_pointers: list[int] | UnsetType | None = UNSET
    date: _Date = UNSET
    description: _Text = UNSET
    ndc: _Text = UNSET
    ndc_quantity: _Number = UNSET
    ndc_unit: _Text = UNSET
    revenue_code: _Text = UNSET
    charge: _Number = UNSET
    place_of_service: _Text = UNSET


class Encounter(Struct):
    """``EncounterDict``."""

    encounter_id: Annotated[str, Meta(min_length=1)]
    date_of_service: dt.date
    patient_id: _Text = UNSET
    place_of_service: _Text = UNSET
    rendering_npi: _Text = UNSET
    claim_type: _Text = UNSET
    type_of_bill: _Text = UNSET
    adjudicated: bool | UnsetType | None = UNSET
    payer: Payer | UnsetType | None = UNSET
    diagnoses: _Texts = UNSET
    documentation: Documentation | UnsetType | None = UNSET
    lines: list[Line] | UnsetType | None = UNSET


#: Each Struct by the name of the TypedDict it mirrors (a test compares their fields).
STRUCTS: dict[str, type[Struct]] = {
    "Payer": Payer,
    "Monitoring": Monitoring,
    "Lab": Lab,
    "Administration": Administration,
    "Documentation": Documentation,
    "Line": Line,
    "EncounterDict": Encounter,
}
