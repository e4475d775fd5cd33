"""The procedure codes and drugs a pack is about, read from the pack's own data.

An import of an edit table keeps only the rows about these codes (the B12 drugs, their
administration and the E/M services billed beside them), so the list comes from the pack's
tables that name procedure codes, never from a list in Python: a pack that adds a code to
``codes`` gets its edits from the next import.
"""

from __future__ import annotations

import re
from collections.abc import Iterator, Mapping
from typing import Any

from b12lint.engine.datatable import DataTable
from b12lint.policy.ptp import CODE

#: The pack tables whose keys and values name procedure codes (CPT / HCPCS).
CODE_TABLES = ("codes", "hcpcs_units", "mue", "ptp")
#: An ICD-10-CM code or pattern as packs write it (with or without its dot).
_ICD10 = re.compile(r"[A-Z][0-9][0-9A-Z](?:\.?[0-9A-Z]{1,4})?")
#: The pack tables whose rows name ICD-10-CM codes (covered conditions, manifestations).
ICD10_TABLES = ("covered_icd10", "code_first")
#: The table naming each B12 drug code's drug (``drug`` of each value).
DRUG_TABLE = "hcpcs_units"


def strings(value: Any) -> Iterator[str]:
    """Every string of a table's values, mapping keys included, depth first."""
    if isinstance(value, str):
        yield value
    elif isinstance(value, Mapping):
        for key, item in value.items():
            yield str(key)
            yield from strings(item)
    elif isinstance(value, list | tuple):
        for item in value:
            yield from strings(item)


def pack_codes(data: Mapping[str, DataTable], extra: tuple[str, ...] = ()) -> frozenset[str]:
    """Every CPT/HCPCS code the pack's code tables (and ``extra`` tables) name, any version."""
    found: set[str] = set()
    for name in (*CODE_TABLES, *extra):
        table = data.get(name)
        if table is None:
            continue
        for version in table.versions:
            found.update(s for s in strings(version.values) if CODE.fullmatch(s))
    return frozenset(found)


def pack_drugs(data: Mapping[str, DataTable]) -> frozenset[str]:
    """The drug names (lower case) of the pack's B12 drug codes."""
    table = data.get(DRUG_TABLE)
    drugs: set[str] = set()
    for version in table.versions if table is not None else ():
        for value in version.values.values() if isinstance(version.values, Mapping) else ():
            if isinstance(value, Mapping) and isinstance(value.get("drug"), str):
                drugs.add(value["drug"].lower())
    return frozenset(drugs)


def _row_codes(value: Any) -> Iterator[str]:
    """The ``code`` of every row (a mapping with a ``code`` key) and every string item of a
    list (a plain code list), at any depth."""
    if isinstance(value, Mapping):
        code = value.get("code")
        if isinstance(code, str):
            yield code
        for item in value.values():
            yield from _row_codes(item)
    elif isinstance(value, list | tuple):
        for item in value:
            if isinstance(item, str):
                yield item
            else:
                yield from _row_codes(item)


def pack_icd10_codes(data: Mapping[str, DataTable]) -> dict[str, tuple[str, ...]]:
    """The ICD-10-CM codes (no dot) of the rows of the pack's :data:`ICD10_TABLES` -> those
    tables."""
    found: dict[str, set[str]] = {}
    for name in ICD10_TABLES:
        table = data.get(name)
        for version in table.versions if table is not None else ():
            for text in _row_codes(version.values):
                if _ICD10.fullmatch(text):
                    found.setdefault(text.replace(".", ""), set()).add(name)
    return {code: tuple(sorted(names)) for code, names in sorted(found.items())}
