"""Package-level contracts: exports, import isolation, lazy tables, import time."""

import ast
import os
import subprocess
import sys
from pathlib import Path

import b12lint.domain as domain

PACKAGE = Path(domain.__file__).parent
ROOT = PACKAGE.parents[1]

EXPECTED = {
    "B12_DRUGS",
    "IM",
    "INJECTABLE",
    "IV",
    "NASAL",
    "NDC_UNIT_QUALIFIERS",
    "PO",
    "SC",
    "SELF_ADMINISTERED",
    "SL",
    "UNKNOWN",
    "Dose",
    "Product",
    "compile_icd10_patterns",
    "drug_kind",
    "icd10_matches",
    "icd10_status",
    "lookup_ndc",
    "mcg_to_units",
    "narrative_names_b12",
    "ndc_is_malformed",
    "normalize_icd10",
    "normalize_ndc",
    "normalize_route",
    "npi_is_valid",
    "parse_dose",
    "Release",
    "icd10_coverage",
    "icd10_release_on",
    "icd10_releases",
    "icd10_status_on",
    # 2026-12 (issue 11): charts as written, labs, NDC padding
    "MAINTENANCE",
    "REPLETION",
    "LabReading",
    "deficient_tests",
    "lab_reading",
    "normalize_phase",
    "padding_matches",
    "repaddings",
    "repleted_tests",
    "same_ten_digits",
    "strength_in_name",
}


def _run(code: str) -> str:
    result = subprocess.run(
        [sys.executable, "-c", code],
        capture_output=True,
        text=True,
        cwd=ROOT,
        env={**os.environ, "PYTHONPATH": str(ROOT)},
        check=True,
    )
    return result.stdout.strip()


def test_public_api() -> None:
    assert set(domain.__all__) == EXPECTED
    for name in EXPECTED:
        assert hasattr(domain, name)


def test_imports_nothing_of_ours_outside_the_package() -> None:
    for path in PACKAGE.glob("*.py"):
        tree = ast.parse(path.read_text(encoding="utf-8"))
        for node in ast.walk(tree):
            if isinstance(node, ast.Import):
                names = [alias.name for alias in node.names]
            elif isinstance(node, ast.ImportFrom):
                assert node.level == 0, f"{path.name}: use absolute imports"
                names = [node.module or ""]
            else:
                continue
            for name in names:
                if name.split(".")[0] == "b12lint":
                    assert name.startswith("b12lint.domain"), f"{path.name} imports {name}"
                assert not name.startswith("simple_icd_10_cm"), f"{path.name} imports {name}"


def test_import_does_not_load_tables() -> None:
    out = _run(
        "import b12lint.domain, b12lint.domain.icd10 as i, b12lint.domain.products as p;"
        "print(i._INDEX is None, not i._EXPANDED, p._PRODUCTS is None)"
    )
    assert out == "True True True"


def test_first_lookup_loads_once_without_simple_icd_10_cm() -> None:
    out = _run(
        "import sys, b12lint.domain as d, b12lint.domain.icd10 as i;"
        "s = d.icd10_status('D51.0'); index = i._INDEX;"
        "d.icd10_status('E53'); d.icd10_status('D51.9');"
        "print(s, i._INDEX is index, sorted(i._EXPANDED), 'simple_icd_10_cm' in sys.modules)"
    )
    assert out == "billable True ['D51', 'E53'] False"


def test_import_is_fast() -> None:
    """Generous bound (CI machines vary); the measured figure is ~10-15 ms above Python's own."""
    out = _run(
        "import time; t = time.perf_counter(); import b12lint.domain as d;"
        "t1 = time.perf_counter(); d.icd10_status('D51.0'); t2 = time.perf_counter();"
        "print(t1 - t, t2 - t1)"
    )
    import_s, first_status_s = (float(x) for x in out.split())
    assert import_s < 0.5
    assert first_status_s < 0.5
