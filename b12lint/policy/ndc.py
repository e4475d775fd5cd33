"""The FDA NDC directory: ``product.txt`` and ``package.txt`` (tab-delimited, header row).

product.txt: PRODUCTID, PRODUCTNDC, ..., PROPRIETARYNAME, NONPROPRIETARYNAME, DOSAGEFORMNAME,
ROUTENAME, STARTMARKETINGDATE, ENDMARKETINGDATE, ..., LABELERNAME, SUBSTANCENAME,
ACTIVE_NUMERATOR_STRENGTH, ACTIVE_INGRED_UNIT, ... (several ingredients are ``; ``-separated).
package.txt: PRODUCTID, PRODUCTNDC, NDCPACKAGECODE, PACKAGEDESCRIPTION, STARTMARKETINGDATE,
ENDMARKETINGDATE, NDC_EXCLUDE_FLAG, SAMPLE_PACKAGE. Other columns are allowed and not kept.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

from b12lint.domain import normalize_ndc
from b12lint.policy.errors import LayoutError
from b12lint.policy.tabular import Column, Row, Table, parse_yyyymmdd, read_table

_PRODUCT_NDC = re.compile(r"[0-9]{4,5}-[0-9]{3,4}")

PRODUCT_COLUMNS = (
    Column("id", "PRODUCTID"),
    Column("product_ndc", "PRODUCTNDC"),
    Column("proprietary", "PROPRIETARYNAME"),
    Column("nonproprietary", "NONPROPRIETARYNAME"),
    Column("form", "DOSAGEFORMNAME"),
    Column("route", "ROUTENAME"),
    Column("start", "STARTMARKETINGDATE"),
    Column("end", "ENDMARKETINGDATE"),
    Column("labeler", "LABELERNAME"),
    Column("substance", "SUBSTANCENAME"),
    Column("strength", "ACTIVE_NUMERATOR_STRENGTH"),
    Column("unit", "ACTIVE_INGRED_UNIT"),
)
PACKAGE_COLUMNS = (
    Column("id", "PRODUCTID"),
    Column("product_ndc", "PRODUCTNDC"),
    Column("package_ndc", "NDCPACKAGECODE"),
    Column("description", "PACKAGEDESCRIPTION"),
    Column("start", "STARTMARKETINGDATE"),
    Column("end", "ENDMARKETINGDATE"),
    Column("exclude", "NDC_EXCLUDE_FLAG"),
    Column("sample", "SAMPLE_PACKAGE"),
)


@dataclass(frozen=True, slots=True)
class Ingredient:
    """One active ingredient: substance name, strength and unit as listed (``1000``, ``ug/mL``)."""

    substance: str
    strength: str
    unit: str


@dataclass(frozen=True, slots=True)
class NdcProduct:
    """A row of product.txt."""

    product_id: str
    product_ndc: str
    name: str
    form: str
    route: str
    labeler: str
    ingredients: tuple[Ingredient, ...]
    start: dt.date | None
    end: dt.date | None
    line: int


@dataclass(frozen=True, slots=True)
class NdcPackage:
    """A row of package.txt, with its 11-digit NDC."""

    product_id: str
    package_ndc: str
    ndc11: str
    description: str
    start: dt.date | None
    end: dt.date | None
    excluded: bool
    sample: bool
    line: int


def _product(table: Table, row: Row) -> NdcProduct:
    product_ndc = table.get(row, "product_ndc")
    if _PRODUCT_NDC.fullmatch(product_ndc) is None:
        raise table.error(row, "product_ndc", f"{product_ndc!r} is not a product NDC")
    parts = [table.get(row, k).split(";") for k in ("substance", "strength", "unit")]
    if len({len(p) for p in parts}) != 1:
        raise table.error(row, "strength", "not one strength and unit per substance")
    ingredients = tuple(
        Ingredient(s.strip(), n.strip(), u.strip()) for s, n, u in zip(*parts, strict=True)
    )
    name = table.get(row, "proprietary") or table.get(row, "nonproprietary")
    return NdcProduct(
        table.get(row, "id"),
        product_ndc,
        name,
        table.get(row, "form"),
        table.get(row, "route"),
        table.get(row, "labeler"),
        ingredients,
        parse_yyyymmdd(table, row, "start", star=True),
        parse_yyyymmdd(table, row, "end", star=True),
        row.line,
    )


def _package(table: Table, row: Row) -> NdcPackage:
    code = table.get(row, "package_ndc")
    ndc11 = normalize_ndc(code) if code.count("-") == 2 else None
    if ndc11 is None:
        raise table.error(row, "package_ndc", f"{code!r} is not a hyphenated 10-digit NDC")
    flags = {}
    for key in ("exclude", "sample"):
        flag = table.get(row, key)
        if flag not in ("Y", "N", ""):
            raise table.error(row, key, f"{flag!r} is not Y or N")
        flags[key] = flag == "Y"
    return NdcPackage(
        table.get(row, "id"),
        code,
        ndc11,
        table.get(row, "description"),
        parse_yyyymmdd(table, row, "start", star=True),
        parse_yyyymmdd(table, row, "end", star=True),
        flags["exclude"],
        flags["sample"],
        row.line,
    )


def is_package_file(path: Path) -> bool:
    """Whether a directory file is package.txt (its header has NDCPACKAGECODE)."""
    try:
        read_table(path, PACKAGE_COLUMNS[2:3], exact=False)
    except LayoutError:
        return False
    return True


def iter_products(path: Path) -> Iterator[NdcProduct]:
    """Every product of product.txt, read as it is iterated."""
    table = read_table(path, PRODUCT_COLUMNS, exact=False)
    return (_product(table, row) for row in table.rows)


def iter_packages(path: Path) -> Iterator[NdcPackage]:
    """Every package of package.txt, read as it is iterated."""
    table = read_table(path, PACKAGE_COLUMNS, exact=False)
    return (_package(table, row) for row in table.rows)


def parse_products(path: Path) -> list[NdcProduct]:
    """Every product of product.txt."""
    return list(iter_products(path))


def parse_packages(path: Path) -> list[NdcPackage]:
    """Every package of package.txt."""
    return list(iter_packages(path))
