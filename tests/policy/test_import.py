"""``b12lint data import``: dated versions with their source, filtered to the pack's codes,
row dates over --effective, no silent overlap, the same file twice changes nothing."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from click.testing import CliRunner

from b12lint.cli import cli
from b12lint.domain.icd10 import parse_code_table
from b12lint.engine import load_pack
from b12lint.engine.pack import read_data
from b12lint.engine.selftest import run_pack_examples
from b12lint.policy import PackImportError, run_import
from b12lint.policy.codeset import gunzip_text, parse_hcpcs_set
from b12lint.policy.importer import sha256

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
    write_csv,
    write_order_file,
    write_tab,
)

ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture
def pack(tmp_path: Path) -> Path:
    """A copy of b12-core to import into."""
    target = tmp_path / "pack"
    shutil.copytree(ROOT / "rules" / "b12-core", target)
    return target


def _ptp_file(
    tmp_path: Path, rows: list[list[str]] = PTP_ROWS, name: str = "ccipra-v304r0-f1.txt"
) -> Path:
    return write_tab(tmp_path / name, PTP_PREAMBLE, PTP_HEADER, rows)


def _snapshot(folder: Path) -> dict[str, bytes]:
    return {
        str(p.relative_to(folder)): p.read_bytes() for p in sorted(folder.rglob("*")) if p.is_file()
    }


def test_ptp_import_adds_a_version_of_the_packs_pairs_only(tmp_path: Path, pack: Path) -> None:
    source = _ptp_file(tmp_path)
    result = run_import("ptp-practitioner", [source], pack, "2024-10-01..2024-12-31")
    assert result.changed
    table = read_data(pack / "data" / "ptp.yaml")
    assert [v.label() for v in table.versions] == [
        "2024-07-01 to 2024-09-30",
        "2024-10-01 to 2024-12-31",
    ]
    assert "closed the version from 2024-07-01 on 2024-09-30" in result.remarks
    new = table.versions[-1]
    assert "11900" not in new.values and "36000" not in new.values
    assert new.values["96372"]["99211"] == 0 and new.values["96401"]["96372"] == 1
    assert new.values == table.versions[0].values  # the shipped pairs, now from the file
    assert source.name in new.source and sha256(source) in new.source
    assert load_pack(pack).data["ptp"].versions[-1].values == new.values


def test_the_same_import_twice_leaves_the_pack_byte_identical(tmp_path: Path, pack: Path) -> None:
    source = _ptp_file(tmp_path)
    run_import("ptp-practitioner", [source], pack, "2024-10-01..2024-12-31")
    before = _snapshot(pack)
    again = run_import("ptp-practitioner", [source], pack, "2024-10-01..2024-12-31")
    assert not again.changed
    assert _snapshot(pack) == before


def test_overlapping_versions_are_an_error_naming_both(tmp_path: Path, pack: Path) -> None:
    run_import("ptp-practitioner", [_ptp_file(tmp_path)], pack, "2024-10-01..2024-12-31")
    before = _snapshot(pack)
    rows = [list(r) for r in PTP_ROWS]
    rows[1][5] = "0"
    other = _ptp_file(tmp_path, rows, "ccipra-v304r1-f1.txt")
    with pytest.raises(PackImportError) as caught:
        run_import("ptp-practitioner", [other], pack, "2024-12-01..2025-03-31")
    message = str(caught.value)
    assert "2024-12-01 to 2025-03-31" in message and "ccipra-v304r1-f1.txt" in message
    assert "2024-10-01 to 2024-12-31" in message and "ccipra-v304r0-f1.txt" in message
    assert _snapshot(pack) == before


def test_row_dates_win_over_effective(tmp_path: Path, pack: Path) -> None:
    rows = [list(r) for r in PTP_ROWS]
    rows[1][3] = "20241115"  # 96372 x 99212 starts inside the quarter
    rows[0][4] = "20241130"  # 96372 x 99211 deleted: last day 2024-11-30
    result = run_import(
        "ptp-practitioner", [_ptp_file(tmp_path, rows)], pack, "2024-10-01..2024-12-31"
    )
    table = read_data(pack / "data" / "ptp.yaml")
    labels = [v.label() for v in table.versions[1:]]
    assert labels == [
        "2024-10-01 to 2024-11-14",
        "2024-11-15 to 2024-11-30",
        "2024-12-01 to 2024-12-31",
    ]
    first, middle, last = (v.values["96372"] for v in table.versions[1:])
    assert "99212" not in first and middle["99212"] == 1
    assert middle["99211"] == 0 and "99211" not in last
    assert any("cut" in r for r in result.remarks)


def test_retroactive_pair_is_reported(tmp_path: Path, pack: Path) -> None:
    rows = [
        *PTP_ROWS,
        ["96374", "99211", "", "20240101", "*", "0", "Standards of medical / surgical practice"],
    ]
    result = run_import("ptp-practitioner", [_ptp_file(tmp_path, rows)], pack, "2024-10-01")
    retro = [r for r in result.remarks if r.startswith("retroactive")]
    assert retro == [
        "retroactive: 96374 x 99211 (indicator 0) is dated from 2024-01-01 but the version "
        "in force on 2024-09-30 does not have it"
    ]
    assert result.remarks[-1].startswith("versions before the import's span were not changed")


def test_retroactive_deletion_is_reported(tmp_path: Path, pack: Path) -> None:
    rows = [list(r) for r in PTP_ROWS]
    rows[1][4] = "20240815"  # 96372 x 99212 deleted after 2024-08-15, the file says
    result = run_import("ptp-practitioner", [_ptp_file(tmp_path, rows)], pack, "2024-10-01")
    assert (
        "retroactive: 96372 x 99212 (indicator 1) is deleted after 2024-08-15 but the version "
        "in force on 2024-09-30 still has it"
    ) in result.remarks
    new = read_data(pack / "data" / "ptp.yaml").versions[-1].values
    assert "99212" not in new["96372"]


def test_mue_import_keeps_values_and_indicators(tmp_path: Path, pack: Path) -> None:
    rows = [list(r) for r in MUE_ROWS]
    rows[0][1] = "5"
    path = write_csv(
        tmp_path / "MCR_MUE_PractitionerServices_Eff_10-01-2024.csv", ["(c) AMA"], MUE_HEADER, rows
    )
    result = run_import("mue-practitioner", [path], pack)  # the file's name dates it
    assert result.versions == ["from 2024-10-01"]
    table = read_data(pack / "data" / "mue.yaml")
    assert table.versions[-1].values == {"96372": 5, "96374": 1, "J3420": 1}
    assert "(file date 2024-10-01)" in table.versions[-1].source
    doc = (pack / "data" / "mue.yaml").read_text()
    assert "J3420 3" in doc and "96374 2" in doc
    with pytest.raises(PackImportError, match="give --effective"):
        run_import(
            "mue-practitioner", [write_csv(tmp_path / "mue.csv", [], MUE_HEADER, rows)], pack
        )


def test_outpatient_mue_goes_to_its_own_table_and_refuses_a_practitioner_file(
    tmp_path: Path, pack: Path
) -> None:
    path = write_csv(tmp_path / "mue.csv", [], MUE_HEADER, MUE_ROWS)
    from b12lint.policy import LayoutError

    with pytest.raises(LayoutError, match="not Outpatient Hospital"):
        run_import("mue-outpatient", [path], pack, "2024-10-01")
    header = list(MUE_HEADER)
    header[1] = "Outpatient Hospital Services MUE Values"
    path = write_csv(tmp_path / "mue.csv", [], header, MUE_ROWS)
    run_import("mue-outpatient", [path], pack, "2024-10-01")
    assert read_data(pack / "data" / "mue_outpatient.yaml").versions[0].values["96372"] == 4


def test_imported_pack_still_passes_its_rule_examples(tmp_path: Path, pack: Path) -> None:
    run_import("ptp-practitioner", [_ptp_file(tmp_path)], pack, "2024-10-01")
    mue = write_csv(tmp_path / "mue.csv", [], MUE_HEADER, MUE_ROWS)
    run_import("mue-practitioner", [mue], pack, "2024-10-01")
    results = run_pack_examples(load_pack(pack))
    assert len(results) > 100
    assert [f"{r.label}: {r.problem}" for r in results if not r.ok] == []


def test_icd10cm_import_stores_the_whole_code_set(tmp_path: Path, pack: Path) -> None:
    order = write_order_file(tmp_path / "icd10cm_order_2026.txt")
    result = run_import("icd10cm", [order], pack)
    assert result.versions == ["from 2025-10-01"]
    # the excerpt lacks most of the codes b12-core's tables name: the import says which
    covered = next(r for r in result.remarks if r.startswith("review: covered_icd10 names"))
    assert "B700" in covered and "D51," not in covered
    table = read_data(pack / "data" / "icd10cm.yaml")
    values = table.versions[0].values
    stored = pack / "data" / values["codeset"]
    codes = parse_code_table(gunzip_text(stored.read_bytes()))
    assert codes["D510"] is True and codes["D51"] is False and codes["R5383"] is True
    assert values["codes"] == len(codes)
    before = _snapshot(pack)
    assert not run_import("icd10cm", [order], pack).changed
    assert _snapshot(pack) == before


def test_hcpcs_and_ndc_imports(tmp_path: Path, pack: Path) -> None:
    hcpcs = write_csv(tmp_path / "HCPC2024_JUL.csv", [], HCPCS_HEADER, HCPCS_ROWS)
    run_import("hcpcs", [hcpcs], pack, "2024-07-01..2024-09-30")
    values = read_data(pack / "data" / "hcpcs.yaml").versions[0].values
    codes = parse_hcpcs_set(gunzip_text((pack / "data" / values["codeset"]).read_bytes()))
    assert codes["J3420"].description.endswith("up to 1,000 mcg") and "GA" in codes
    product = write_tab(tmp_path / "product.txt", [], NDC_PRODUCT_HEADER, NDC_PRODUCTS)
    package = write_tab(tmp_path / "package.txt", [], NDC_PACKAGE_HEADER, NDC_PACKAGES)
    run_import("ndc", [product, package], pack, "2026-12-01")
    ndc = read_data(pack / "data" / "ndc_directory.yaml").versions[0].values
    assert sorted(ndc) == ["00517003101", "00591288830"]  # not the B-complex product
    assert ndc["00517003101"]["container"] == "multi-dose" and ndc["00517003101"]["vial_ml"] == 1
    assert ndc["00591288830"]["drug"] == "hydroxocobalamin"
    before = _snapshot(pack)
    assert not run_import("ndc", [product, package], pack, "2026-12-01").changed
    assert not run_import("hcpcs", [hcpcs], pack, "2024-07-01..2024-09-30").changed
    assert _snapshot(pack) == before


def test_cli_import_reports_a_malformed_file_with_line_and_column(
    tmp_path: Path, pack: Path
) -> None:
    rows = [list(r) for r in PTP_ROWS]
    rows[2][3] = "2013-01-01"
    path = _ptp_file(tmp_path, rows)
    before = _snapshot(pack)
    result = CliRunner().invoke(
        cli,
        [
            "data",
            "import",
            "ptp-practitioner",
            str(path),
            "--effective",
            "2024-10-01",
            "--into",
            str(pack),
        ],
    )
    assert result.exit_code == 2
    assert f"{path}:{len(PTP_PREAMBLE) + 4}:4 (Effective Date)" in result.output
    assert _snapshot(pack) == before
    args = [
        "data",
        "import",
        "ptp-practitioner",
        str(_ptp_file(tmp_path)),
        "--effective",
        "2024-10-01",
    ]
    dry = CliRunner().invoke(cli, [*args, "--into", str(pack), "--dry-run"])
    assert dry.exit_code == 0, dry.output
    assert "would add version(s) from 2024-10-01 (dry run: nothing written)" in dry.output
    assert "closed the version from 2024-07-01 on 2024-09-30" in dry.output
    assert _snapshot(pack) == before
    ok = CliRunner().invoke(cli, [*args, "--into", str(pack)])
    assert ok.exit_code == 0, ok.output
    assert "added version(s) from 2024-10-01." in ok.output


def test_import_into_a_payer_pack_keeps_the_inherited_versions(tmp_path: Path) -> None:
    payer = tmp_path / "rules" / "acme"
    (payer / "data").mkdir(parents=True)
    (payer / "pack.yaml").write_text("name: acme\nversion: '1'\nextends: b12-core\n")
    result = run_import("ptp-practitioner", [_ptp_file(tmp_path)], payer, "2024-10-01")
    assert result.remarks[0].startswith("the pack inherits ptp")
    table = read_data(payer / "data" / "ptp.yaml")
    assert [v.label() for v in table.versions] == ["2024-07-01 to 2024-09-30", "from 2024-10-01"]
    core = read_data(ROOT / "rules" / "b12-core" / "data" / "ptp.yaml")
    assert [v.label() for v in core.versions] == ["from 2024-07-01"]  # the base pack untouched


def test_table_name_and_code_set_paths_stay_inside_the_pack(tmp_path: Path, pack: Path) -> None:
    with pytest.raises(PackImportError, match="a table name"):
        run_import("ptp-practitioner", [_ptp_file(tmp_path)], pack, "2024-10-01", "../../x")
    run_import("icd10cm", [write_order_file(tmp_path / "icd10cm_order_2026.txt")], pack)
    table = pack / "data" / "icd10cm.yaml"
    table.write_text(
        table.read_text().replace("codesets/icd10cm-2025-10-01.txt.gz", "../../../etc/hostname")
    )
    from b12lint.policy.diff import diff, open_side

    with pytest.raises(PackImportError, match="not a file of its folder"):
        diff(open_side(f"{table}@2025-10-01"), open_side(f"{table}@2025-10-01"))


def test_the_whole_shipped_code_set_round_trips_through_an_order_file(
    tmp_path: Path, pack: Path
) -> None:
    """All 98,186 codes of the shipped FY2026 table, written as an order file and imported,
    give the same codes and billable flags (the import keeps the whole code set)."""
    from b12lint.domain.icd10 import _iter_table
    from b12lint.policy.icd10cm_order import parse_order_file

    from .layouts import order_line

    shipped = dict(_iter_table())
    order = tmp_path / "icd10cm_order_2026.txt"
    lines = [
        order_line(i, c, shipped[c], f"Title {c}", f"Long title {c}")
        for i, c in enumerate(sorted(shipped), 1)
    ]
    order.write_text("\n".join(lines) + "\n", encoding="ascii")
    assert len(parse_order_file(order)) == len(shipped) > 98_000
    result = run_import("icd10cm", [order], pack)
    assert [r for r in result.remarks if r.startswith("review:")] == []  # b12-core's codes exist
    values = read_data(pack / "data" / "icd10cm.yaml").versions[0].values
    stored = pack / "data" / values["codeset"]
    assert parse_code_table(gunzip_text(stored.read_bytes())) == shipped
    assert stored.stat().st_size < 120_000


def test_an_earlier_quarter_can_be_filled_in_but_not_left_open(tmp_path: Path, pack: Path) -> None:
    path = _ptp_file(tmp_path)
    with pytest.raises(PackImportError, match="overlaps the version from 2024-07-01"):
        run_import("ptp-practitioner", [path], pack, "2024-04-01")
    run_import("ptp-practitioner", [path], pack, "2024-04-01..2024-06-30")
    labels = [v.label() for v in read_data(pack / "data" / "ptp.yaml").versions]
    assert labels == ["2024-04-01 to 2024-06-30", "from 2024-07-01"]


def test_hcpcs_import_reviews_the_packs_drug_codes(tmp_path: Path, pack: Path) -> None:
    rows = [list(r) for r in HCPCS_ROWS if r[0] != "J3420"]
    rows[0][3] = "Injection, hydroxocobalamin, intramuscular, 1 mg"
    rows.append(
        [
            "J3424",
            "00100",
            "3",
            "Injection, hydroxocobalamin, intravenous, 25 mg",
            "Inj hydroxocobalamin iv",
            "51",
            "20240401",
            "20240401",
            "",
            "A",
        ]
    )
    result = run_import(
        "hcpcs", [write_csv(tmp_path / "h.csv", [], HCPCS_HEADER, rows)], pack, "2024-07-01"
    )
    review = [r for r in result.remarks if r.startswith("review:")]
    assert review == [
        "review: J3420 (hcpcs_units) is not in this file",
        "review: J3425: hcpcs_units bills 10 mcg per unit, this file's descriptor says "
        "'Injection, hydroxocobalamin, intramuscular, 1 mg'",
        "review: codes for the pack's drugs not in hcpcs_units: J3424",
    ]
    clean = run_import(
        "hcpcs", [write_csv(tmp_path / "h2.csv", [], HCPCS_HEADER, HCPCS_ROWS)], pack, "2024-10-01"
    )
    assert [r for r in clean.remarks if r.startswith("review:")] == []


def test_ndc_import_reviews_the_packs_product_table(tmp_path: Path, pack: Path) -> None:
    products = [
        *NDC_PRODUCTS,
        [
            "1234-5678_d4",
            "1234-5678",
            "HUMAN PRESCRIPTION DRUG",
            "Cyanocobalamin",
            "",
            "Cyanocobalamin",
            "INJECTION, SOLUTION",
            "INTRAMUSCULAR",
            "20250101",
            "",
            "ANDA",
            "",
            "New Labs",
            "CYANOCOBALAMIN",
            "1000",
            "ug/mL",
            "",
            "",
            "N",
            "20261231",
        ],
    ]
    packages = [
        *NDC_PACKAGES,
        [
            "1234-5678_d4",
            "1234-5678",
            "1234-5678-10",
            "1 VIAL, MULTI-DOSE in 1 CARTON > 10 mL in 1 VIAL, MULTI-DOSE",
            "20250101",
            "",
            "N",
            "N",
        ],
    ]
    product = write_tab(tmp_path / "product.txt", [], NDC_PRODUCT_HEADER, products)
    package = write_tab(tmp_path / "package.txt", [], NDC_PACKAGE_HEADER, packages)
    result = run_import("ndc", [product, package], pack, "2026-12-01")
    review = [r for r in result.remarks if r.startswith("review:")]
    assert review[0] == (
        "review: 1 packages of the pack's drugs are not in ndc_products (their strength and "
        "container cannot be checked): 01234567810"
    )
    assert review[1].startswith("review: 28 ndc_products packages are not in this directory: ")


def test_a_pair_listed_again_after_its_deletion_and_overlapping_rows(
    tmp_path: Path, pack: Path
) -> None:
    rows = [list(r) for r in PTP_ROWS]
    rows[0][4] = "20241031"  # 96372 x 99211 indicator 0 until 2024-10-31 ...
    rows.append(["96372", "99211", "", "20241101", "*", "1", "CPT Manual"])  # ... then 1
    run_import("ptp-practitioner", [_ptp_file(tmp_path, rows)], pack, "2024-10-01..2024-12-31")
    versions = read_data(pack / "data" / "ptp.yaml").versions[1:]
    assert [v.values["96372"]["99211"] for v in versions] == [0, 1]
    rows[-1][3] = "20241015"  # now both rows apply from 2024-10-15 to 2024-10-31
    with pytest.raises(PackImportError, match="apply on the same dates"):
        run_import("ptp-practitioner", [_ptp_file(tmp_path, rows, "other.txt")], pack, "2025-01-01")


def test_a_pair_in_two_files_of_one_quarter_is_refused(tmp_path: Path, pack: Path) -> None:
    f1 = _ptp_file(tmp_path, PTP_ROWS[:5], "ccipra-v304r0-f1.txt")
    f2 = _ptp_file(tmp_path, PTP_ROWS[4:], "ccipra-v304r0-f2.txt")
    with pytest.raises(
        PackImportError, match=r"ccipra-v304r0-f2.txt:5: pair 96372 x 99215 is also in .*f1.txt:9"
    ):
        run_import("ptp-practitioner", [f1, f2], pack, "2024-10-01")
    f2 = _ptp_file(tmp_path, PTP_ROWS[5:], "ccipra-v304r0-f2.txt")
    result = run_import("ptp-practitioner", [f1, f2], pack, "2024-10-01")
    source = read_data(pack / "data" / "ptp.yaml").versions[-1].source
    assert "ccipra-v304r0-f1.txt" in source and "ccipra-v304r0-f2.txt" in source
    assert result.remarks[1] == "9 pairs of the pack's codes apply in from 2024-10-01"


def test_an_import_that_keeps_nothing_is_refused(tmp_path: Path, pack: Path) -> None:
    before = _snapshot(pack)
    unrelated = _ptp_file(tmp_path, PTP_ROWS[-2:])
    with pytest.raises(PackImportError, match="none of the 2 rows read gives pairs for the pack"):
        run_import("ptp-practitioner", [unrelated], pack, "2024-10-01")
    empty = _ptp_file(tmp_path, [], "empty.txt")
    with pytest.raises(PackImportError, match="none of the 0 rows read"):
        run_import("ptp-practitioner", [empty], pack, "2024-10-01")
    mue = write_csv(tmp_path / "mue.csv", [], MUE_HEADER, MUE_ROWS[-1:])
    with pytest.raises(PackImportError, match="gives MUE values"):
        run_import("mue-practitioner", [mue], pack, "2024-10-01")
    assert _snapshot(pack) == before


def test_a_table_the_pack_loader_could_not_read_is_not_written(
    tmp_path: Path, pack: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from b12lint.policy import importer

    monkeypatch.setattr(importer, "MAX_RULE_FILE_BYTES", 500)
    before = _snapshot(pack)
    with pytest.raises(PackImportError, match="over the pack loader's 500; nothing was written"):
        run_import("ptp-practitioner", [_ptp_file(tmp_path)], pack, "2024-10-01")
    assert _snapshot(pack) == before


def test_the_shipped_code_table_round_trips_through_the_format_functions() -> None:
    """The shipped table's text is exactly its header plus the category lines the pack's code
    sets are written with (one format, one writer: scripts/build_icd10_table.py uses it too)."""
    import gzip

    from b12lint.domain.icd10 import code_table_lines

    data = ROOT / "b12lint" / "domain" / "data" / "icd10cm_2026.txt.gz"
    text = gzip.decompress(data.read_bytes()).decode("ascii")
    header = "".join(line for line in text.splitlines(keepends=True) if line.startswith("#"))
    assert header + "".join(code_table_lines(parse_code_table(text))) == text
