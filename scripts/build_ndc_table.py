"""Build b12lint/domain/data/b12_ndc_products.csv (+ .meta.json) from the reference CSV.

Usage: python scripts/build_ndc_table.py [--source CSV] [--output CSV]

Dev time only: reads ../shared/reference/b12_ndc_products.csv (openFDA / DailyMed listings) and
writes the product table b12lint ships; the runtime reads only the shipped copy. Columns:

- ndc11: 11-digit 5-4-2 NDC without hyphens (from ndc_10, checked against ndc_11)
- drug: cyanocobalamin | hydroxocobalamin
- strength_mcg_per_ml: mcg per mL of the solution given (Cyanokit: 25 mg/mL after reconstitution)
- vial_ml: mL of solution per vial (Cyanokit: the 200 mL it is reconstituted with), or empty
- container: multi-dose | single-dose | unknown (unknown where the listing does not say)
- route_use: b12 (B12 therapy) | cyanide-antidote (Cyanokit, not B12 therapy)
- labeler, source: as in the reference CSV
- strength_note: how the strength was derived when it is not the labelled per-mL strength

Provenance (source file, its SHA-256, generation date, row count) goes to
b12_ndc_products.meta.json beside the CSV, so the CSV stays plain for csv.DictReader.
"""

from __future__ import annotations

import argparse
import csv
import datetime as dt
import hashlib
import io
import json
import re
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
DEFAULT_SOURCE = ROOT.parent / "shared" / "reference" / "b12_ndc_products.csv"
DEFAULT_OUTPUT = ROOT / "b12lint" / "domain" / "data" / "b12_ndc_products.csv"
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
MCG_PER = {"mcg": 1, "mg": 1000}
STRENGTH = re.compile(r"([0-9][0-9,]*(?:\.[0-9]+)?)\s*(mcg|mg)\s*/\s*mL", re.IGNORECASE)
RECONSTITUTED_ML = re.compile(r"reconstitute with\s*([0-9]+(?:\.[0-9]+)?)\s*mL", re.IGNORECASE)
VIAL_ML = re.compile(r"([0-9]+(?:\.[0-9]+)?)\s*mL", re.IGNORECASE)
NDC10 = re.compile(r"([0-9]{4,5})-([0-9]{3,4})-([0-9]{1,2})")


def ndc11(ndc10: str) -> str:
    """5-4-2 digits from a hyphenated 4-4-2 / 5-3-2 / 5-4-1 / 5-4-2 NDC."""
    match = NDC10.fullmatch(ndc10.strip())
    if match is None:
        raise SystemExit(f"unreadable NDC {ndc10!r}")
    labeler, product, package = match.groups()
    return labeler.zfill(5) + product.zfill(4) + package.zfill(2)


def number(value: float) -> str:
    """A number without a needless '.0'."""
    return str(int(value)) if value == int(value) else str(value)


def derive(row: dict[str, str]) -> dict[str, str]:
    """One shipped row from one reference row."""
    code = ndc11(row["ndc_10"])
    if code != row["ndc_11"].replace("-", ""):
        raise SystemExit(f"{row['ndc_10']}: ndc_11 column says {row['ndc_11']}, derived {code}")
    drug_text = row["drug"].lower()
    if "hydroxocobalamin" in drug_text:
        drug = "hydroxocobalamin"
    elif "cyanocobalamin" in drug_text:
        drug = "cyanocobalamin"
    else:
        raise SystemExit(f"{code}: unknown drug {row['drug']!r}")
    route_use = "cyanide-antidote" if "cyanokit" in drug_text else "b12"

    strength_text = row["strength"]
    found = STRENGTH.search(strength_text)
    if found is None:
        raise SystemExit(f"{code}: no per-mL strength in {strength_text!r}")
    strength = float(found[1].replace(",", "")) * MCG_PER[found[2].lower()]
    reconstituted = RECONSTITUTED_ML.search(strength_text)
    note = ""
    if reconstituted is not None:
        vial_ml: str = reconstituted[1]
        note = f"after reconstitution; labelled: {strength_text}"
    else:
        volume = VIAL_ML.search(row["container"])
        vial_ml = volume[1] if volume else ""

    container_text = row["container"].lower()
    if "not stated" in container_text:
        container = "unknown"
    elif re.search(r"multi(?:ple)?[- ]dose", container_text):
        container = "multi-dose"
    elif re.search(r"single[- ]dose", container_text):
        container = "single-dose"
    else:
        container = "unknown"
    return {
        "ndc11": code,
        "drug": drug,
        "strength_mcg_per_ml": number(strength),
        "vial_ml": vial_ml,
        "container": container,
        "route_use": route_use,
        "labeler": row["labeler"],
        "source": row["source"],
        "strength_note": note,
    }


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--source", type=Path, default=DEFAULT_SOURCE)
    parser.add_argument("--output", type=Path, default=DEFAULT_OUTPUT)
    args = parser.parse_args(argv)
    raw = args.source.read_bytes()
    rows = [derive(r) for r in csv.DictReader(io.StringIO(raw.decode("utf-8")))]
    codes = [r["ndc11"] for r in rows]
    if len(set(codes)) != len(codes):
        raise SystemExit("duplicate NDCs in the source")
    rows.sort(key=lambda r: r["ndc11"])

    out = io.StringIO()
    writer = csv.DictWriter(out, fieldnames=COLUMNS, lineterminator="\n")
    writer.writeheader()
    writer.writerows(rows)
    args.output.parent.mkdir(parents=True, exist_ok=True)
    args.output.write_text(out.getvalue(), encoding="utf-8")

    meta = {
        "table": args.output.name,
        "source_file": "shared/reference/b12_ndc_products.csv",
        "source_description": "30 real B12 injection NDC packages (openFDA NDC directory, "
        "DailyMed SPL); per-row source URL in the 'source' column",
        "source_sha256": hashlib.sha256(raw).hexdigest(),
        "generated": dt.date.today().isoformat(),
        "generator": "scripts/build_ndc_table.py",
        "rows": len(rows),
        "columns": {
            "ndc11": "11-digit 5-4-2 NDC, no hyphens",
            "drug": "cyanocobalamin | hydroxocobalamin",
            "strength_mcg_per_ml": "mcg per mL of the solution given",
            "vial_ml": "mL of solution per vial (empty when unknown)",
            "container": "multi-dose | single-dose | unknown (listing does not say)",
            "route_use": "b12 | cyanide-antidote (Cyanokit: not B12 therapy, out of scope)",
            "labeler": "labeler as listed",
            "source": "where the listing was read",
            "strength_note": "set when strength is not the labelled per-mL strength",
        },
    }
    meta_path = args.output.with_name(args.output.stem + ".meta.json")
    meta_path.write_text(json.dumps(meta, indent=2) + "\n", encoding="utf-8")
    print(f"wrote {args.output} ({len(rows)} rows) and {meta_path.name}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
