"""What an imported code set or directory says about the pack's own tables: remarks for the
compliance lead (a B12 drug code terminated or with a new unit, a new code for a B12 drug, a
B12 package the pack's product table does not know). Remarks, never changes: the pack's
derived tables (``hcpcs_units``, ``ndc_products``) are edited by people who read them."""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterable, Mapping
from typing import Any

from b12lint.engine.datatable import DataTable, DatedValue
from b12lint.policy.codeset import HcpcsEntry

#: The dose a HCPCS drug descriptor bills per unit: "up to 1,000 mcg", "10 mcg", "1 mg".
_DOSE = re.compile(r"(\d[\d,]*(?:\.\d+)?)\s*(mcg|mg)\b", re.IGNORECASE)
_MCG = {"mcg": 1.0, "mg": 1000.0}
_LISTED = 10


def values_on(table: DataTable | None, date: dt.date) -> Any:
    """A table's values in force on a date (None: no table or no version)."""
    if table is None:
        return None
    return DatedValue(table.versions, [v.values for v in table.versions]).at(date)


def descriptor_mcg(description: str) -> float | None:
    """The mcg per unit a drug descriptor names (its last dose), or None."""
    doses = _DOSE.findall(description)
    if not doses:
        return None
    amount, unit = doses[-1]
    return float(amount.replace(",", "")) * _MCG[unit.lower()]


def _listed(codes: list[str]) -> str:
    more = f" and {len(codes) - _LISTED} more" if len(codes) > _LISTED else ""
    return ", ".join(codes[:_LISTED]) + more


def review_hcpcs(
    codes: Mapping[str, HcpcsEntry], units: Any, drugs: Iterable[str], date: dt.date
) -> list[str]:
    """The pack's drug codes (``hcpcs_units`` on ``date``) against the file's descriptors."""
    out: list[str] = []
    units = units if isinstance(units, Mapping) else {}
    for code in sorted(units):
        entry = codes.get(code)
        if entry is None:
            out.append(f"review: {code} (hcpcs_units) is not in this file")
            continue
        if entry.terminated and entry.terminated <= date.isoformat():
            out.append(f"review: {code} (hcpcs_units) is terminated {entry.terminated}")
        expected = units[code].get("mcg_per_unit") if isinstance(units[code], Mapping) else None
        found = descriptor_mcg(entry.description)
        if expected is not None and found is not None and float(expected) != found:
            out.append(
                f"review: {code}: hcpcs_units bills {expected} mcg per unit, this file's "
                f"descriptor says {entry.description!r}"
            )
    names = [d.lower() for d in drugs]
    new = sorted(
        code
        for code, entry in codes.items()
        if code not in units and any(name in entry.description.lower() for name in names)
    )
    if new:
        out.append(f"review: codes for the pack's drugs not in hcpcs_units: {_listed(new)}")
    return out


def review_ndc(values: Mapping[str, Any], products: DataTable | None) -> list[str]:
    """Directory packages of the pack's drugs against the pack's ``ndc_products``."""
    known: set[str] = set()
    for version in products.versions if products is not None else ():
        if isinstance(version.values, Mapping):
            known.update(str(k) for k in version.values)
    out = []
    unknown = sorted(set(values) - known)
    if unknown:
        out.append(
            f"review: {len(unknown)} packages of the pack's drugs are not in ndc_products "
            f"(their strength and container cannot be checked): {_listed(unknown)}"
        )
    gone = sorted(known - set(values))
    if gone:
        out.append(
            f"review: {len(gone)} ndc_products packages are not in this directory: {_listed(gone)}"
        )
    return out


def review_icd10(codes: Mapping[str, bool], refs: Mapping[str, tuple[str, ...]]) -> list[str]:
    """The ICD-10-CM codes the pack's tables name that this release does not have."""
    missing: dict[str, list[str]] = {}
    for code, tables in refs.items():
        if code not in codes:
            for table in tables:
                missing.setdefault(table, []).append(code)
    return [
        f"review: {table} names codes this release does not have: {_listed(listed)}"
        for table, listed in sorted(missing.items())
    ]
