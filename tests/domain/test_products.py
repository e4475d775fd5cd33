"""lookup_ndc, the shipped product table, drug_kind and narrative_names_b12."""

import csv
import json
from pathlib import Path

import pytest

from b12lint.domain import B12_DRUGS, Product, drug_kind, lookup_ndc, narrative_names_b12
from b12lint.domain import products as products_module

DATA = Path(products_module.__file__).parent / "data"
TABLE = DATA / products_module.DATA_FILE
META = DATA / "b12_ndc_products.meta.json"
REFERENCE = Path(__file__).resolve().parents[3] / "shared" / "reference" / "b12_ndc_products.csv"
COLUMNS = [
    "ndc11",
    "drug",
    "strength_mcg_per_ml",
    "vial_ml",
    "container",
    "route_use",
    "labeler",
    "source",
    "strength_note",
]


def _rows() -> list[dict[str, str]]:
    with TABLE.open(encoding="utf-8", newline="") as fh:
        return list(csv.DictReader(fh))


def test_american_regent_1ml_vial() -> None:
    product = lookup_ndc("0517-0031-01")
    assert product == Product(
        ndc11="00517003101",
        drug="cyanocobalamin",
        strength_mcg_per_ml=1000.0,
        vial_ml=1.0,
        container="multi-dose",
        b12_therapy=True,
        labeler="American Regent, Inc.",
        source=product.source if product else "",
    )
    assert product is not None and "api.fda.gov" in product.source


@pytest.mark.parametrize(
    ("ndc", "drug", "vial_ml", "container"),
    [
        ("70710-1663-1", "cyanocobalamin", 1.0, "multi-dose"),
        ("70710166301", "cyanocobalamin", 1.0, "multi-dose"),
        ("63323-044-41", "cyanocobalamin", 1.0, "multi-dose"),
        ("0591-2888-30", "hydroxocobalamin", 30.0, "multi-dose"),
        ("N400591288830", "hydroxocobalamin", 30.0, "multi-dose"),
        ("70756-635-10", "cyanocobalamin", 1.0, "unknown"),  # listing says VIAL only
        ("0143-9621-25", "cyanocobalamin", 1.0, "unknown"),
        ("0143-9620-10", "cyanocobalamin", 10.0, "multi-dose"),
        ("69680-121-30", "cyanocobalamin", 30.0, "multi-dose"),
    ],
)
def test_lookup(ndc: str, drug: str, vial_ml: float, container: str) -> None:
    product = lookup_ndc(ndc)
    assert product is not None
    assert (product.drug, product.vial_ml, product.container) == (drug, vial_ml, container)
    assert product.strength_mcg_per_ml == 1000.0
    assert product.b12_therapy


def test_cyanokit_is_not_b12_therapy() -> None:
    product = lookup_ndc("50633-310-11")
    assert product is not None
    assert product.drug == "hydroxocobalamin"
    assert not product.b12_therapy
    assert product.strength_mcg_per_ml == 25_000.0  # 25 mg/mL after reconstitution
    assert product.vial_ml == 200.0
    assert product.container == "single-dose"


@pytest.mark.parametrize("ndc", [None, "", "0517003101", "99999-9999-99", 517003101, "garbage"])
def test_unknown_or_malformed(ndc: object) -> None:
    assert lookup_ndc(ndc) is None


def test_table_shape() -> None:
    rows = _rows()
    assert len(rows) == 30
    assert list(rows[0]) == COLUMNS
    assert len({r["ndc11"] for r in rows}) == 30
    for row in rows:
        assert len(row["ndc11"]) == 11 and row["ndc11"].isdigit()
        assert row["drug"] in B12_DRUGS
        assert float(row["strength_mcg_per_ml"]) > 0
        assert row["vial_ml"] == "" or float(row["vial_ml"]) > 0
        assert row["container"] in {"multi-dose", "single-dose", "unknown"}
        assert row["route_use"] in {"b12", "cyanide-antidote"}
        assert row["labeler"] and row["source"]
        assert bool(row["strength_note"]) == (row["route_use"] == "cyanide-antidote")
    assert [r["ndc11"] for r in rows if r["route_use"] != "b12"] == ["50633031011"]


def test_meta_provenance() -> None:
    meta = json.loads(META.read_text(encoding="utf-8"))
    assert meta["table"] == TABLE.name
    assert meta["source_file"] == "shared/reference/b12_ndc_products.csv"
    assert meta["generator"] == "scripts/build_ndc_table.py"
    assert meta["rows"] == len(_rows())
    assert set(meta["columns"]) == set(COLUMNS)
    assert len(meta["source_sha256"]) == 64


@pytest.mark.skipif(not REFERENCE.exists(), reason="../shared reference data not present")
def test_every_reference_ndc_is_found() -> None:
    with REFERENCE.open(encoding="utf-8", newline="") as fh:
        reference = list(csv.DictReader(fh))
    for row in reference:
        product = lookup_ndc(row["ndc_10"])
        assert product is not None, row["ndc_10"]
        assert product.ndc11 == row["ndc_11"].replace("-", "")
        assert product.labeler == row["labeler"]


def test_b12_drugs() -> None:
    assert frozenset({"cyanocobalamin", "hydroxocobalamin"}) == B12_DRUGS


@pytest.mark.parametrize(
    ("text", "kind"),
    [
        ("cyanocobalamin", "cyanocobalamin"),
        ("Cyanocobalamin", "cyanocobalamin"),
        ("  CYANOCOBALAMIN ", "cyanocobalamin"),
        ("cyanocobalamin injection", "cyanocobalamin"),
        ("Cyanocobalamin 1000 MCG/ML Injectable Solution", "cyanocobalamin"),
        ("vitamin b12", "cyanocobalamin"),
        ("Vitamin B12", "cyanocobalamin"),
        ("vitamin b-12", "cyanocobalamin"),
        ("Vitamin B 12", "cyanocobalamin"),
        ("B 12", "cyanocobalamin"),
        ("B 12 inj", "cyanocobalamin"),
        ("vit B12", "cyanocobalamin"),
        ("b12", "cyanocobalamin"),
        ("B-12", "cyanocobalamin"),
        ("cobalamin", "cyanocobalamin"),
        ("hydroxocobalamin", "hydroxocobalamin"),
        ("Hydroxocobalamin acetate", "hydroxocobalamin"),
        ("hydroxycobalamin", "hydroxocobalamin"),
        ("hydroxo-b12", "hydroxocobalamin"),
        ("Hydroxo B12", "hydroxocobalamin"),
        ("vitamin B12 (hydroxocobalamin)", "hydroxocobalamin"),
        # nurses' short name and common misspellings
        ("hydroxo", "hydroxocobalamin"),
        ("Hydroxo 1000mcg IM", "hydroxocobalamin"),
        ("hydroxocobalamine", "hydroxocobalamin"),
        ("cyanocobalamine", "cyanocobalamin"),
        ("cyanocobolamin", "cyanocobalamin"),
        ("Cyanocobalmin inj", "cyanocobalamin"),
        ("cyano cobalamin", "cyanocobalamin"),
        ("hydroxyzine", "other"),
        ("hydroxychloroquine", "other"),
        ("hydroxyurea", "other"),
        ("methylcobalamine", "other"),
        ("methylcobalamin", "other"),
        ("Methylcobalamin (vitamin B12)", "other"),
        ("adenosylcobalamin", "other"),
        ("Cyanokit", "other"),
        ("hydroxocobalamin (Cyanokit)", "other"),
        ("folic acid", "other"),
        ("B123", "other"),
        ("vitamin B1", "other"),
        ("AB12", "other"),
        (1000, "other"),
        (None, None),
        ("", None),
        ("   ", None),
        ([], None),
    ],
)
def test_drug_kind(text: object, kind: str | None) -> None:
    assert drug_kind(text) == kind


@pytest.mark.parametrize(
    ("text", "names"),
    [
        ("cyanocobalamin 1000mcg/ml inj 1ml NDC 00517003101", True),
        ("CYANOCOBALAMIN1000MCG/ML", True),
        ("Hydroxocobalamin 1000 mcg/mL 30 mL MDV", True),
        ("hydroxycobalamin inj", True),
        ("Vitamin B12 injection", True),
        ("vit b-12 1000 mcg", True),
        ("B12 inj", True),
        ("b12", True),
        ("inj b-12 1ml", True),
        ("cyanocobalamine 1000 mcg/mL", True),
        ("hydroxo 1000 mcg IM", True),
        ("hydroxyzine 25 mg", False),
        ("Cyanokit 5 g IV", False),
        ("methylcobalamin 5000 mcg", False),
        ("methylcobalamin (vitamin B12) 5000 mcg", False),
        ("hydroxocobalamin 5 g IV (Cyanokit)", False),
        ("cobalamin", False),
        ("vitamin B1 100 mg", False),
        ("B123 lot", False),
        ("AB12 kit", False),
        ("ketorolac 30 mg", False),
        ("", False),
        (None, False),
        (12, False),
    ],
)
def test_narrative_names_b12(text: object, names: bool) -> None:
    assert narrative_names_b12(text) is names
