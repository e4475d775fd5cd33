"""``b12lint data list`` (versions, and the dates no version covers) and ``data diff`` (what a
new quarter changes for B12 billing)."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from click.testing import CliRunner

from b12lint.cli import cli
from b12lint.policy import PackImportError, run_import
from b12lint.policy.diff import diff, open_side
from b12lint.policy.listing import list_pack

from .layouts import (
    HCPCS_HEADER,
    HCPCS_ROWS,
    ICD10_ROWS,
    MUE_HEADER,
    MUE_ROWS,
    NDC_PACKAGE_HEADER,
    NDC_PACKAGES,
    NDC_PRODUCT_HEADER,
    NDC_PRODUCTS,
    PTP_HEADER,
    PTP_PREAMBLE,
    PTP_ROWS,
    write_csv,
    write_order_file,
    write_tab,
)

ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture
def packs(tmp_path: Path) -> tuple[Path, Path]:
    """OLD: b12-core with 2024-Q4 imported; NEW: a copy with 2025-Q1 imported as well."""
    old = tmp_path / "old"
    shutil.copytree(ROOT / "rules" / "b12-core", old)
    q4 = write_tab(tmp_path / "ptp-q4.txt", PTP_PREAMBLE, PTP_HEADER, PTP_ROWS)
    run_import("ptp-practitioner", [q4], old, "2024-10-01..2024-12-31")
    run_import(
        "mue-practitioner",
        [write_csv(tmp_path / "mue-q4.csv", [], MUE_HEADER, MUE_ROWS)],
        old,
        "2024-10-01..2024-12-31",
    )
    new = tmp_path / "new"
    shutil.copytree(old, new)
    rows = [list(r) for r in PTP_ROWS]
    rows[1][5] = "0"  # 96372 x 99212: indicator 1 -> 0
    rows[0][4] = "20241231"  # 96372 x 99211 deleted after 2024
    rows.append(
        ["96372", "99203", "", "20250101", "*", "1", "CPT Manual or CMS manual coding instructions"]
    )
    q1 = write_tab(tmp_path / "ptp-q1.txt", PTP_PREAMBLE, PTP_HEADER, rows)
    run_import("ptp-practitioner", [q1], new, "2025-01-01..2025-03-31")
    mue = [list(r) for r in MUE_ROWS]
    mue[0][1] = "6"
    run_import(
        "mue-practitioner",
        [write_csv(tmp_path / "mue-q1.csv", [], MUE_HEADER, mue)],
        new,
        "2025-01-01..2025-03-31",
    )
    return old, new


def test_list_shows_versions_sources_and_gaps(packs: tuple[Path, Path]) -> None:
    _, new = packs
    listing = {t.name: t for t in list_pack(new)}
    ptp = listing["ptp"]
    assert [label for label, _ in ptp.versions] == [
        "2024-07-01 to 2024-09-30",
        "2024-10-01 to 2024-12-31",
        "2025-01-01 to 2025-03-31",
    ]
    assert "ptp-q1.txt" in ptp.versions[-1][1] and "sha256" in ptp.versions[-1][1]
    assert ptp.gaps == ("before 2024-07-01", "after 2025-03-31")
    assert listing["codes"].gaps == ("before 2000-01-01",)


def test_list_shows_a_hole_between_versions(tmp_path: Path) -> None:
    pack = tmp_path / "pack"
    shutil.copytree(ROOT / "rules" / "b12-core", pack)
    path = write_tab(tmp_path / "p.txt", PTP_PREAMBLE, PTP_HEADER, PTP_ROWS)
    (pack / "data" / "ptp.yaml").write_text(
        (pack / "data" / "ptp.yaml")
        .read_text()
        .replace("effective: {from: 2024-07-01}", "effective: {from: 2024-07-01, to: 2024-09-30}")
    )
    run_import("ptp-practitioner", [path], pack, "2025-01-01")
    ptp = next(t for t in list_pack(pack) if t.name == "ptp")
    assert ptp.gaps == ("before 2024-07-01", "2024-10-01 to 2024-12-31")


def test_diff_of_two_packs_lists_pair_and_mue_changes(packs: tuple[Path, Path]) -> None:
    old, new = packs
    lines = diff(open_side(str(old)), open_side(str(new)))
    text = "\n".join(lines)
    assert "ptp (2024-10-01 to 2024-12-31 -> 2025-01-01 to 2025-03-31):" in lines
    assert "  pair 96372 x 99212 indicator 1 -> 0" in lines
    assert "  pair 96372 x 99211 deleted (was indicator 0)" in lines
    assert "  pair 96372 x 99203 added (indicator 1)" in lines
    assert "  96372: 4 -> 6" in lines
    assert "codes" not in text  # unchanged tables say nothing


def test_diff_of_two_versions_of_one_table(packs: tuple[Path, Path]) -> None:
    _, new = packs
    table = new / "data" / "ptp.yaml"
    lines = diff(open_side(f"{table}@2024-12-31"), open_side(f"{table}@2025-01-01"))
    assert "  pair 96372 x 99203 added (indicator 1)" in lines
    assert diff(open_side(f"{table}@2024-11-01"), open_side(f"{table}@2024-12-31")) == []
    with pytest.raises(PackImportError, match="not a date"):
        open_side(f"{table}@2024-13-01")


def test_diff_of_code_sets_counts_and_lists_the_packs_codes(tmp_path: Path) -> None:
    pack = tmp_path / "pack"
    shutil.copytree(ROOT / "rules" / "b12-core", pack)
    run_import("icd10cm", [write_order_file(tmp_path / "icd10cm_order_2025.txt")], pack)
    rows = [r for r in ICD10_ROWS if r[0] != "D512"]
    rows += [("D5181", True, "New B12 anemia code"), ("D5189", True, "Other")]
    rows = [(c, False, t) if c == "D518" else (c, b, t) for c, b, t in rows]
    run_import("icd10cm", [write_order_file(tmp_path / "icd10cm_order_2026.txt", rows)], pack)
    table = pack / "data" / "icd10cm.yaml"
    lines = diff(open_side(f"{table}@2025-09-30"), open_side(f"{table}@2025-10-01"))
    assert "  2 codes added, 1 deleted, 1 changed billable" in lines
    assert "  D5181 added (billable)" in lines and "  D512 deleted" in lines
    assert "  D518 is now a category (not billable)" in lines
    hcpcs = [list(r) for r in HCPCS_ROWS]
    run_import(
        "hcpcs", [write_csv(tmp_path / "h1.csv", [], HCPCS_HEADER, hcpcs)], pack, "2024-07-01"
    )
    hcpcs[2][8] = "20241231"
    hcpcs[2][9] = "D"
    run_import(
        "hcpcs", [write_csv(tmp_path / "h2.csv", [], HCPCS_HEADER, hcpcs)], pack, "2024-10-01"
    )
    table = pack / "data" / "hcpcs.yaml"
    lines = diff(open_side(f"{table}@2024-07-01"), open_side(f"{table}@2024-10-01"))
    assert "  J3425 terminated 2024-12-31" in lines


def test_cli_list_and_diff(packs: tuple[Path, Path]) -> None:
    old, new = packs
    runner = CliRunner()
    listed = runner.invoke(cli, ["data", "list", str(new)])
    assert listed.exit_code == 0, listed.output
    assert "ptp  (" in listed.output and "after 2025-03-31" in listed.output
    diffed = runner.invoke(cli, ["data", "diff", str(old), str(new)])
    assert diffed.exit_code == 0 and "pair 96372 x 99212 indicator 1 -> 0" in diffed.output
    same = runner.invoke(cli, ["data", "diff", str(old), str(old)])
    assert same.exit_code == 0 and same.output == "no change\n"
    missing = runner.invoke(cli, ["data", "diff", str(old), str(old / "nothing")])
    assert missing.exit_code == 2 and "no such pack folder or table file" in missing.output


def test_diff_of_record_tables_names_the_changed_fields(tmp_path: Path) -> None:
    core = ROOT / "rules" / "b12-core" / "data" / "hcpcs_units.yaml"
    lines = diff(open_side(f"{core}@2023-12-31"), open_side(f"{core}@2024-01-01"))
    assert lines == [
        "hcpcs_units (2000-01-01 to 2023-12-31 -> from 2024-01-01):",
        "  J3425 added: {'drug': 'hydroxocobalamin', 'mcg_per_unit': 10}",
    ]
    pack = tmp_path / "pack"
    shutil.copytree(ROOT / "rules" / "b12-core", pack)
    product = write_tab(tmp_path / "product.txt", [], NDC_PRODUCT_HEADER, NDC_PRODUCTS)
    package = write_tab(tmp_path / "package.txt", [], NDC_PACKAGE_HEADER, NDC_PACKAGES)
    run_import("ndc", [product, package], pack, "2026-11-01..2026-11-30")
    packages = [list(r) for r in NDC_PACKAGES]
    packages[0][3] = packages[0][3].replace("MULTI-DOSE", "SINGLE-DOSE")
    packages[0][5] = "20261231"
    package = write_tab(tmp_path / "package.txt", [], NDC_PACKAGE_HEADER, packages)
    run_import("ndc", [product, package], pack, "2026-12-01")
    table = pack / "data" / "ndc_directory.yaml"
    lines = diff(open_side(f"{table}@2026-11-30"), open_side(f"{table}@2026-12-01"))
    assert "  00517003101 container: multi-dose -> single-dose" in lines
    assert "  00517003101 marketed_to added: 2026-12-31" in lines
