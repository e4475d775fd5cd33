"""The pack's NDC product table and the domain's shipped CSV hold the same 30 packages."""

from __future__ import annotations

import csv
import importlib.util
from pathlib import Path

from b12lint.engine import Pack

ROOT = Path(__file__).resolve().parents[2]
CSV = ROOT / "b12lint" / "domain" / "data" / "b12_ndc_products.csv"
PACK_TABLE = ROOT / "rules" / "b12-core" / "data" / "ndc_products.yaml"


def _number(text: str) -> float | None:
    return float(text) if text else None


def test_pack_table_matches_domain_csv(packs: dict[str, Pack]) -> None:
    table = packs["b12-core"].data["ndc_products"].values
    with CSV.open(encoding="utf-8", newline="") as fh:
        rows = {r["ndc11"]: r for r in csv.DictReader(fh)}
    assert set(table) == set(rows) and len(rows) == 30
    for ndc, row in rows.items():
        entry = table[ndc]
        assert entry["drug"] == row["drug"]
        assert float(entry["strength_mcg_per_ml"]) == float(row["strength_mcg_per_ml"])
        vial = entry["vial_ml"]
        assert (float(vial) if vial is not None else None) == _number(row["vial_ml"])
        assert entry["container"] == row["container"]
        assert entry["use"] == row["route_use"]
        assert entry["labeler"] == row["labeler"] and entry["source"] == row["source"]


def test_pack_table_is_what_the_build_script_writes() -> None:
    spec = importlib.util.spec_from_file_location(
        "build_ndc_table", ROOT / "scripts/build_ndc_table.py"
    )
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    with CSV.open(encoding="utf-8", newline="") as fh:
        rows = list(csv.DictReader(fh))
    meta = (CSV.parent / "b12_ndc_products.meta.json").read_text(encoding="utf-8")
    import json

    sha = json.loads(meta)["source_sha256"]
    assert PACK_TABLE.read_text(encoding="utf-8") == module.pack_table(rows, sha)


def test_containers_as_the_listings_say(packs: dict[str, Pack]) -> None:
    table = packs["b12-core"].data["ndc_products"].values
    assert table["00517003101"]["container"] == "multi-dose"
    assert table["70756063510"]["container"] == "unknown"
    assert table["00591288830"] == {
        **table["00591288830"],
        "drug": "hydroxocobalamin",
        "vial_ml": 30,
        "container": "multi-dose",
    }
    assert table["50633031011"]["use"] == "cyanide-antidote"
