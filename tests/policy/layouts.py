"""Small files in the published layouts, built from each layout's documentation.

The rows are what the b12-core tables say (NCCI practitioner edits and MUEs as of 2024-07-01,
DOMAIN.md) plus rows a filter must drop; the PTP pairs' own effective dates and the MUE
rationales are illustrative, not copied from a CMS file.
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

from b12lint.policy.icd10cm_order import order_line

PTP_PREAMBLE = [
    "Procedure-to-Procedure (PTP) Edits for Practitioner Services - v303r0 (illustrative excerpt)",
    "CPT codes and descriptions only are copyright © 2023 American Medical Association.",
    "",
]
PTP_HEADER = [
    "Column 1",
    "Column 2",
    "* = In existence prior to 1996",
    "Effective Date",
    "Deletion Date *=no data",
    "Modifier 0=not allowed 1=allowed 9=not applicable",
    "PTP Edit Rationale",
]
#: column 1, column 2, prior-1996 flag, effective, deletion, modifier, rationale
PTP_ROWS = [
    ["96372", "99211", "", "20130101", "*", "0", "CPT Manual or CMS manual coding instructions"],
    ["96372", "99212", "", "20130101", "*", "1", "CPT Manual or CMS manual coding instructions"],
    ["96372", "99213", "", "20130101", "*", "1", "CPT Manual or CMS manual coding instructions"],
    ["96372", "99214", "", "20130101", "*", "1", "CPT Manual or CMS manual coding instructions"],
    ["96372", "99215", "", "20130101", "*", "1", "CPT Manual or CMS manual coding instructions"],
    ["96372", "99202", "", "20170101", "*", "1", "CPT Manual or CMS manual coding instructions"],
    ["96372", "G0463", "", "20140101", "*", "1", "CPT Manual or CMS manual coding instructions"],
    ["96374", "96372", "", "20090101", "*", "1", "Standards of medical / surgical practice"],
    ["96401", "96372", "", "20090101", "*", "1", "Standards of medical / surgical practice"],
    # not about the pack's codes: a filter must drop these
    ["11900", "96372", "", "20090101", "*", "1", "Misuse of column two code with column one code"],
    ["36000", "96374", "*", "19960101", "*", "1", "Standards of medical / surgical practice"],
]
MUE_HEADER = [
    "HCPCS/CPT Code",
    "Practitioner Services MUE Values",
    "MUE Adjudication Indicator",
    "MUE Rationale",
]
MUE_ROWS = [
    ["96372", "4", "3 Date of Service Edit: Clinical", "Clinical: Data"],
    ["96374", "1", "2 Date of Service Edit: Policy", "Code Descriptor / CPT Instruction"],
    ["J3420", "1", "3 Date of Service Edit: Clinical", "Clinical: Data"],
    ["11900", "1", "2 Date of Service Edit: Policy", "Code Descriptor / CPT Instruction"],
]


def write_tab(
    path: Path, preamble: Sequence[str], header: Sequence[str], rows: Sequence[Sequence[str]]
) -> Path:
    """A tab-delimited TXT file: preamble lines, the header, the rows."""
    lines = [*preamble, "\t".join(header), *("\t".join(r) for r in rows)]
    path.write_text("\r\n".join(lines) + "\r\n", encoding="cp1252")
    return path


def write_csv(
    path: Path, preamble: Sequence[str], header: Sequence[str], rows: Sequence[Sequence[str]]
) -> Path:
    """A CSV file with the same content."""
    import csv

    with path.open("w", newline="", encoding="utf-8") as out:
        writer = csv.writer(out)
        for line in preamble:
            writer.writerow([line] if line else [])
        writer.writerow(header)
        writer.writerows(rows)
    return path


def write_xlsx(
    path: Path, preamble: Sequence[str], header: Sequence[str], rows: Sequence[Sequence[str]]
) -> Path:
    """An XLSX workbook with the same content (codes as text, numbers as numbers)."""
    import openpyxl

    book = openpyxl.Workbook()
    sheet = book.active
    for line in preamble:
        sheet.append([line] if line else [None])
    sheet.append(list(header))
    for row in rows:
        sheet.append([int(c) if c.isdigit() and len(c) == 8 else c for c in row])
    book.save(path)
    return path


#: Codes and titles of the ICD-10-CM tabular (FY2026, public domain: CMS/NCHS), as code,
#: billable, title; the order file's short titles are abbreviations, here the title again.
ICD10_ROWS = [
    ("D51", False, "Vitamin B12 deficiency anemia"),
    ("D510", True, "Vitamin B12 deficiency anemia due to intrinsic factor deficiency"),
    (
        "D511",
        True,
        "Vitamin B12 deficiency anemia due to selective vitamin B12 malabsorption with proteinuria",
    ),
    ("D512", True, "Transcobalamin II deficiency"),
    ("D513", True, "Other dietary vitamin B12 deficiency anemia"),
    ("D518", True, "Other vitamin B12 deficiency anemias"),
    ("D519", True, "Vitamin B12 deficiency anemia, unspecified"),
    ("E53", False, "Deficiency of other B group vitamins"),
    ("E530", True, "Riboflavin deficiency"),
    ("E531", True, "Pyridoxine deficiency"),
    ("E538", True, "Deficiency of other specified B group vitamins"),
    ("E539", True, "Vitamin B deficiency, unspecified"),
    ("R5383", True, "Other fatigue"),
]


def write_order_file(path: Path, rows: Sequence[tuple[str, bool, str]] = ICD10_ROWS) -> Path:
    """An order file of ``rows``; parents a row needs (R53, R53.8) are added with a
    placeholder title."""
    full = list(rows)
    codes = {c for c, _, _ in full}
    for code, _, _ in list(full):
        for n in range(3, len(code)):
            if code[:n] not in codes:
                full.append((code[:n], False, f"Parent {code[:n]}"))
                codes.add(code[:n])
    full.sort(key=lambda r: r[0])
    lines = [order_line(i, c, b, t, t) for i, (c, b, t) in enumerate(full, start=1)]
    path.write_text("\n".join(lines) + "\n", encoding="ascii")
    return path


HCPCS_HEADER = [
    "HCPC",
    "SEQNUM",
    "RECID",
    "LONG DESCRIPTION",
    "SHORT DESCRIPTION",
    "PRICE1",
    "ADD DT",
    "ACT EFF DT",
    "TERM DT",
    "ACTION CD",
]
HCPCS_ROWS = [
    [
        "J3420",
        "00100",
        "3",
        "Injection, vitamin b-12 cyanocobalamin, up to",
        "Vitamin b12 injection",
        "51",
        "19840101",
        "20000101",
        "",
        "N",
    ],
    ["J3420", "00200", "4", "1,000 mcg", "", "", "", "", "", ""],
    [
        "J3425",
        "00100",
        "3",
        "Injection, hydroxocobalamin, intramuscular, 10 mcg",
        "Inj hydroxocobalamin im",
        "51",
        "20240101",
        "20240101",
        "",
        "A",
    ],
    [
        "J3490",
        "00100",
        "3",
        "Unclassified drugs",
        "Drugs unclassified injection",
        "51",
        "19840101",
        "19840101",
        "",
        "N",
    ],
    [
        "GA",
        "00100",
        "7",
        "Waiver of liability statement issued as required by payer policy,",
        "Liability waiver",
        "",
        "20020101",
        "20020101",
        "",
        "N",
    ],
    ["GA", "00200", "8", "individual case", "", "", "", "", "", ""],
]

NDC_PRODUCT_HEADER = [
    "PRODUCTID",
    "PRODUCTNDC",
    "PRODUCTTYPENAME",
    "PROPRIETARYNAME",
    "PROPRIETARYNAMESUFFIX",
    "NONPROPRIETARYNAME",
    "DOSAGEFORMNAME",
    "ROUTENAME",
    "STARTMARKETINGDATE",
    "ENDMARKETINGDATE",
    "MARKETINGCATEGORYNAME",
    "APPLICATIONNUMBER",
    "LABELERNAME",
    "SUBSTANCENAME",
    "ACTIVE_NUMERATOR_STRENGTH",
    "ACTIVE_INGRED_UNIT",
    "PHARM_CLASSES",
    "DEASCHEDULE",
    "NDC_EXCLUDE_FLAG",
    "LISTING_RECORD_CERTIFIED_THROUGH",
]
NDC_PRODUCTS = [
    [
        "0517-0031_a1",
        "0517-0031",
        "HUMAN PRESCRIPTION DRUG",
        "Cyanocobalamin",
        "",
        "Cyanocobalamin",
        "INJECTION, SOLUTION",
        "INTRAMUSCULAR; SUBCUTANEOUS",
        "19750101",
        "",
        "ANDA",
        "ANDA080557",
        "American Regent, Inc.",
        "CYANOCOBALAMIN",
        "1000",
        "ug/mL",
        "Vitamin B12 [CS]",
        "",
        "N",
        "20261231",
    ],
    [
        "0591-2888_b2",
        "0591-2888",
        "HUMAN PRESCRIPTION DRUG",
        "Hydroxocobalamin",
        "",
        "Hydroxocobalamin",
        "INJECTION, SOLUTION",
        "INTRAMUSCULAR",
        "19900101",
        "",
        "ANDA",
        "ANDA085998",
        "Actavis Pharma, Inc.",
        "HYDROXOCOBALAMIN",
        "1000",
        "ug/mL",
        "",
        "",
        "N",
        "20261231",
    ],
    [
        "9999-0001_c3",
        "9999-0001",
        "HUMAN PRESCRIPTION DRUG",
        "B-Complex",
        "",
        "Vitamins",
        "INJECTION, SOLUTION",
        "INTRAMUSCULAR",
        "20000101",
        "",
        "UNAPPROVED",
        "",
        "Example Labs",
        "CYANOCOBALAMIN; PYRIDOXINE",
        "1000; 100",
        "ug/mL; mg/mL",
        "",
        "",
        "N",
        "20261231",
    ],
]
NDC_PACKAGE_HEADER = [
    "PRODUCTID",
    "PRODUCTNDC",
    "NDCPACKAGECODE",
    "PACKAGEDESCRIPTION",
    "STARTMARKETINGDATE",
    "ENDMARKETINGDATE",
    "NDC_EXCLUDE_FLAG",
    "SAMPLE_PACKAGE",
]
NDC_PACKAGES = [
    [
        "0517-0031_a1",
        "0517-0031",
        "0517-0031-01",
        "25 VIAL, MULTI-DOSE in 1 TRAY (0517-0031-25) > 1 mL in 1 VIAL, MULTI-DOSE (0517-0031-01)",
        "19750101",
        "",
        "N",
        "N",
    ],
    [
        "0591-2888_b2",
        "0591-2888",
        "0591-2888-30",
        "1 VIAL, MULTI-DOSE in 1 CARTON (0591-2888-30) > 30 mL in 1 VIAL, MULTI-DOSE",
        "19900101",
        "",
        "N",
        "N",
    ],
    [
        "9999-0001_c3",
        "9999-0001",
        "9999-0001-01",
        "1 VIAL in 1 CARTON > 10 mL in 1 VIAL",
        "20000101",
        "",
        "N",
        "N",
    ],
]
