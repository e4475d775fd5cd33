"""The parsers accept the published layouts and refuse anything else at its line and column."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from b12lint.policy import LayoutError
from b12lint.policy.hcpcs import parse_hcpcs
from b12lint.policy.icd10cm_order import parse_order_file
from b12lint.policy.mue import parse_mue
from b12lint.policy.ndc import parse_packages, parse_products
from b12lint.policy.ptp import parse_ptp

from .layouts import (
    HCPCS_HEADER,
    HCPCS_ROWS,
    MUE_HEADER,
    MUE_ROWS,
    NDC_PACKAGE_HEADER,
    NDC_PACKAGES,
    NDC_PRODUCT_HEADER,
    NDC_PRODUCTS,
    PTP_HEADER,
    PTP_PREAMBLE,
    PTP_ROWS,
    order_line,
    write_csv,
    write_order_file,
    write_tab,
    write_xlsx,
)

MUE_PREAMBLE = ["CPT codes and descriptions only are copyright 2023 American Medical Association."]


def _ptp(tmp_path: Path, rows: list[list[str]], header: list[str] = PTP_HEADER) -> Path:
    return write_tab(tmp_path / "ccipra-v303r0-f1.txt", PTP_PREAMBLE, header, rows)


def test_ptp_txt_reads_every_row_after_the_preamble(tmp_path: Path) -> None:
    edits = parse_ptp(_ptp(tmp_path, PTP_ROWS))
    assert len(edits) == len(PTP_ROWS)
    first = edits[0]
    assert (first.column1, first.column2, first.modifier) == ("96372", "99211", 0)
    assert first.effective == dt.date(2013, 1, 1) and first.deletion is None
    assert first.line == len(PTP_PREAMBLE) + 2
    assert edits[-1].prior_1996 is True


def test_ptp_csv_and_xlsx_give_the_same_edits(tmp_path: Path) -> None:
    txt = parse_ptp(_ptp(tmp_path, PTP_ROWS))
    csv_edits = parse_ptp(write_csv(tmp_path / "ptp.csv", PTP_PREAMBLE, PTP_HEADER, PTP_ROWS))
    strip = [(e.column1, e.column2, e.effective, e.deletion, e.modifier) for e in txt]
    assert [(e.column1, e.column2, e.effective, e.deletion, e.modifier) for e in csv_edits] == strip
    pytest.importorskip("openpyxl", reason="XLSX needs the policy extra (openpyxl)")
    xlsx = parse_ptp(write_xlsx(tmp_path / "ptp.xlsx", PTP_PREAMBLE, PTP_HEADER, PTP_ROWS))
    assert [(e.column1, e.column2, e.effective, e.deletion, e.modifier) for e in xlsx] == strip


@pytest.mark.parametrize(
    ("index", "value", "column", "words"),
    [
        (0, "9637", 1, "not a 5-character"),
        (1, "99-11", 2, "not a 5-character"),
        (2, "Y", 3, "not * or empty"),
        (3, "2013-01-01", 4, "not a date YYYYMMDD"),
        (3, "20131301", 4, "not a date YYYYMMDD"),
        (4, "20120101", 5, "before the effective date"),
        (4, "none", 5, "or *"),
        (5, "2", 6, "modifier indicator"),
    ],
)
def test_ptp_bad_cell_is_refused_at_its_line_and_column(
    tmp_path: Path, index: int, value: str, column: int, words: str
) -> None:
    rows = [list(r) for r in PTP_ROWS]
    rows[3][index] = value
    with pytest.raises(LayoutError) as caught:
        parse_ptp(_ptp(tmp_path, rows))
    error = caught.value
    assert (error.line, error.column) == (len(PTP_PREAMBLE) + 5, column)
    assert words in error.message
    assert error.column_name == PTP_HEADER[column - 1]
    assert f"ccipra-v303r0-f1.txt:{error.line}:{column}" in str(error)


def test_ptp_without_a_header_column_names_the_missing_column(tmp_path: Path) -> None:
    header = [h for h in PTP_HEADER if h != "Effective Date"]
    with pytest.raises(LayoutError) as caught:
        parse_ptp(_ptp(tmp_path, [r[:3] + r[4:] for r in PTP_ROWS], header))
    assert caught.value.line == len(PTP_PREAMBLE) + 1
    assert "Effective Date" in caught.value.message


def test_ptp_extra_header_column_and_extra_value_are_refused(tmp_path: Path) -> None:
    with pytest.raises(LayoutError) as caught:
        parse_ptp(_ptp(tmp_path, PTP_ROWS, [*PTP_HEADER, "Notes"]))
    assert (caught.value.line, caught.value.column) == (len(PTP_PREAMBLE) + 1, 8)
    rows = [list(r) for r in PTP_ROWS]
    rows[1].append("stray")
    with pytest.raises(LayoutError) as caught:
        parse_ptp(_ptp(tmp_path, rows))
    assert (caught.value.line, caught.value.column) == (len(PTP_PREAMBLE) + 3, 8)


def test_ptp_duplicate_pair_and_no_header_are_refused(tmp_path: Path) -> None:
    with pytest.raises(LayoutError, match="already on line 5"):
        parse_ptp(_ptp(tmp_path, [*PTP_ROWS, PTP_ROWS[0]]))
    path = tmp_path / "notes.txt"
    path.write_text("just some text\nand more\n", encoding="utf-8")
    with pytest.raises(LayoutError, match="no header row"):
        parse_ptp(path)
    with pytest.raises(LayoutError, match="unknown file type"):
        parse_ptp(tmp_path / "ptp.pdf")


def test_mue_reads_values_and_adjudication_indicators(tmp_path: Path) -> None:
    path = write_csv(
        tmp_path / "MCR_MUE_PractitionerServices_Eff_07-01-2024.csv",
        MUE_PREAMBLE,
        MUE_HEADER,
        MUE_ROWS,
    )
    kind, rows = parse_mue(path, "practitioner")
    assert kind == "practitioner"
    assert [(r.code, r.value, r.indicator) for r in rows[:3]] == [
        ("96372", 4, 3),
        ("96374", 1, 2),
        ("J3420", 1, 3),
    ]


def test_mue_without_indicator_column_is_read(tmp_path: Path) -> None:
    header = [h for h in MUE_HEADER if "Adjudication" not in h]
    rows = [[r[0], r[1], r[3]] for r in MUE_ROWS]
    _, parsed = parse_mue(write_csv(tmp_path / "mue.csv", [], header, rows))
    assert parsed[0].indicator is None and parsed[0].value == 4


def test_mue_of_another_provider_type_is_refused_at_the_header(tmp_path: Path) -> None:
    header = list(MUE_HEADER)
    header[1] = "Outpatient Hospital Services MUE Values"
    path = write_csv(tmp_path / "mue.csv", MUE_PREAMBLE, header, MUE_ROWS)
    with pytest.raises(LayoutError) as caught:
        parse_mue(path, "practitioner")
    assert (caught.value.line, caught.value.column) == (2, 2)
    assert parse_mue(path, "outpatient")[0] == "outpatient"


@pytest.mark.parametrize(
    ("index", "value", "column"), [(0, "963", 1), (1, "four", 2), (2, "7 Line Edit", 3)]
)
def test_mue_bad_cell_is_refused(tmp_path: Path, index: int, value: str, column: int) -> None:
    rows = [list(r) for r in MUE_ROWS]
    rows[2][index] = value
    with pytest.raises(LayoutError) as caught:
        parse_mue(write_csv(tmp_path / "mue.csv", MUE_PREAMBLE, MUE_HEADER, rows))
    assert (caught.value.line, caught.value.column) == (5, column)


def test_icd10_order_file_reads_the_whole_code_set(tmp_path: Path) -> None:
    lines = parse_order_file(write_order_file(tmp_path / "icd10cm_order_2026.txt"))
    codes = {e.code: e.billable for e in lines}
    assert codes["D51"] is False and codes["D510"] is True and codes["R5383"] is True
    assert codes["R53"] is False and codes["R538"] is False
    assert lines[0].long_title == "Vitamin B12 deficiency anemia"


@pytest.mark.parametrize(
    ("edit", "column", "words"),
    [
        (lambda s: "0000A" + s[5:], 1, "order number"),
        (lambda s: s[:6] + "d51.0  " + s[13:], 7, "not an ICD-10-CM code"),
        (lambda s: s[:14] + "2" + s[15:], 15, "billable flag"),
        (lambda s: s[:15] + "x" + s[16:], 16, "blank"),
        (lambda s: s[:70], 71, "shorter than 78"),
    ],
)
def test_icd10_order_bad_line_is_refused(tmp_path: Path, edit, column: int, words: str) -> None:  # type: ignore[no-untyped-def]
    path = write_order_file(tmp_path / "icd10cm_order_2026.txt")
    lines = path.read_text().splitlines()
    lines[2] = edit(lines[2])
    path.write_text("\n".join(lines) + "\n")
    with pytest.raises(LayoutError) as caught:
        parse_order_file(path)
    assert (caught.value.line, caught.value.column) == (3, column)
    assert words in caught.value.message


def test_icd10_order_flag_that_contradicts_the_tree_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "icd10cm_order_2026.txt"
    path.write_text(
        order_line(1, "D51", True, "Vitamin B12 deficiency anemia", "Vitamin B12 deficiency anemia")
        + "\n"
        + order_line(2, "D510", True, "Due to IF deficiency", "Due to IF deficiency")
        + "\n"
    )
    with pytest.raises(LayoutError, match="D51 is flagged billable") as caught:
        parse_order_file(path)
    assert (caught.value.line, caught.value.column) == (1, 15)


def test_hcpcs_joins_continuation_lines(tmp_path: Path) -> None:
    codes = parse_hcpcs(write_csv(tmp_path / "HCPC2024_JUL.csv", [], HCPCS_HEADER, HCPCS_ROWS))
    by_code = {c.code: c for c in codes}
    assert (
        by_code["J3420"].long_description
        == "Injection, vitamin b-12 cyanocobalamin, up to 1,000 mcg"
    )
    assert by_code["J3425"].added == dt.date(2024, 1, 1)
    assert by_code["GA"].modifier and by_code["GA"].long_description.endswith("individual case")


def test_hcpcs_continuation_without_first_line_and_bad_recid_are_refused(tmp_path: Path) -> None:
    rows = [HCPCS_ROWS[1], *HCPCS_ROWS]
    with pytest.raises(LayoutError, match="without its first line") as caught:
        parse_hcpcs(write_csv(tmp_path / "h.csv", [], HCPCS_HEADER, rows))
    assert (caught.value.line, caught.value.column) == (2, 3)
    rows = [list(r) for r in HCPCS_ROWS]
    rows[2][2] = "5"
    with pytest.raises(LayoutError, match="record id") as caught:
        parse_hcpcs(write_csv(tmp_path / "h.csv", [], HCPCS_HEADER, rows))
    assert caught.value.line == 4


def test_ndc_product_and_package_files(tmp_path: Path) -> None:
    products = parse_products(
        write_tab(tmp_path / "product.txt", [], NDC_PRODUCT_HEADER, NDC_PRODUCTS)
    )
    packages = parse_packages(
        write_tab(tmp_path / "package.txt", [], NDC_PACKAGE_HEADER, NDC_PACKAGES)
    )
    assert [i.substance for i in products[2].ingredients] == ["CYANOCOBALAMIN", "PYRIDOXINE"]
    assert packages[0].ndc11 == "00517003101"
    bad = [list(r) for r in NDC_PACKAGES]
    bad[1][2] = "0591288830"
    with pytest.raises(LayoutError, match="hyphenated") as caught:
        parse_packages(write_tab(tmp_path / "package.txt", [], NDC_PACKAGE_HEADER, bad))
    assert (caught.value.line, caught.value.column) == (3, 3)


def test_ptp_header_on_two_lines_is_read(tmp_path: Path) -> None:
    header = [
        "Column 1",
        "Column 2",
        "* = In existence prior to 1996",
        "Effective Date",
        "Deletion Date",
        "Modifier",
        "PTP Edit Rationale",
    ]
    legend = ["", "", "", "", "*=no data", "0=not allowed 1=allowed 9=not applicable", ""]
    path = write_tab(tmp_path / "ptp.txt", PTP_PREAMBLE, header, [legend, *PTP_ROWS])
    edits = parse_ptp(path)
    assert len(edits) == len(PTP_ROWS) and edits[0].line == len(PTP_PREAMBLE) + 3
    # a row without codes anywhere else is still an error
    path = write_tab(tmp_path / "ptp.txt", PTP_PREAMBLE, header, [*PTP_ROWS[:2], legend])
    with pytest.raises(LayoutError, match="not a 5-character"):
        parse_ptp(path)


def test_xlsx_with_real_date_cells_and_a_damaged_workbook(tmp_path: Path) -> None:
    openpyxl = pytest.importorskip("openpyxl", reason="XLSX needs the policy extra (openpyxl)")
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.append(MUE_PREAMBLE)
    sheet.append(PTP_HEADER)
    sheet.append(["96372", "99211", None, dt.datetime(2013, 1, 1), "*", 0, "CPT Manual"])
    sheet.append(
        [
            "96372",
            "99212",
            None,
            dt.datetime(2013, 1, 1),
            dt.datetime(2024, 12, 31),
            1,
            "CPT Manual",
        ]
    )
    book.save(tmp_path / "ptp.xlsx")
    edits = parse_ptp(tmp_path / "ptp.xlsx")
    assert edits[1].deletion == dt.date(2024, 12, 31) and edits[0].modifier == 0
    mue = write_xlsx(tmp_path / "mue.xlsx", MUE_PREAMBLE, MUE_HEADER, MUE_ROWS)
    assert parse_mue(mue, "practitioner")[1][2].code == "J3420"
    (tmp_path / "broken.xlsx").write_bytes(b"PK\x03\x04 not really a workbook")
    with pytest.raises(LayoutError, match="not a readable XLSX workbook"):
        parse_ptp(tmp_path / "broken.xlsx")


def test_icd10_order_code_without_its_category_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "icd10cm_order_2026.txt"
    path.write_text(
        order_line(1, "D510", True, "Due to IF deficiency", "Due to IF deficiency") + "\n"
    )
    with pytest.raises(LayoutError, match="its category D51 is not listed") as caught:
        parse_order_file(path)
    assert (caught.value.line, caught.value.column) == (1, 7)
