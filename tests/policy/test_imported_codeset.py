"""An imported ICD-10-CM release takes over from the shipped ones on its own dates of service:
through ``b12lint data import icd10cm`` into a team's pack and ``b12lint check --rules``, in
both engines, and ``data list`` says which dates each judges."""

from __future__ import annotations

import datetime as dt
import gzip
import json
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner

from b12lint.cli import cli
from b12lint.domain import icd10_status_on
from b12lint.engine import PackError, combine, load_pack, run
from b12lint.engine.codegen import expression
from b12lint.engine.compiler import DOS, ENC, Scope, compile_expr
from b12lint.engine.view import EncounterView
from b12lint.model import Record
from b12lint.policy import run_import
from b12lint.policy.listing import list_pack, render_listing
from b12lint.readers import read_file

from .layouts import ICD10_ROWS, write_order_file

#: The imported release (FY2027 order file, from 2026-10-01): E53.1 deleted, D51.4 added.
DELETED, ADDED = "E53.1", "D51.4"
RELEASE_ROWS = [r for r in ICD10_ROWS if r[0] != "E531"] + [
    ("D514", True, "Vitamin B12 deficiency anemia, illustrative code added by this release")
]
SHIPPED_END = dt.date(2027, 3, 31)  # the newest shipped release (FY2027) ends here


def _team_pack(tmp_path: Path) -> Path:
    """A compliance team's pack: it extends b12-core and holds only its own data."""
    pack = tmp_path / "acme"
    pack.mkdir(parents=True)
    (pack / "pack.yaml").write_text("name: acme\nversion: '1'\nextends: b12-core\n")
    return pack


def _claim(encounter: str, date: str) -> str:
    return json.dumps(
        {
            "encounter_id": encounter,
            "patient_id": f"PT-{encounter}",
            "date_of_service": date,
            "place_of_service": "11",
            "diagnoses": ["D51.0", DELETED, ADDED],
            "documentation": {
                "indication": "pernicious anemia",
                "phase": "maintenance",
                "administrations": [{"drug": "cyanocobalamin", "dose": "1000 mcg", "route": "IM"}],
            },
            "lines": [
                {"code": "J3420", "units": 1, "dx_pointers": [1]},
                {"code": "96372", "units": 1, "dx_pointers": [1]},
            ],
        }
    )


def _claims(tmp_path: Path, dates: dict[str, str]) -> Path:
    path = tmp_path / "claims.jsonl"
    path.write_text("".join(_claim(e, d) + "\n" for e, d in dates.items()))
    return path


def _dx_findings(pack: Path, claims: Path, engine: str = "generated") -> list[tuple[str, ...]]:
    result = CliRunner().invoke(
        cli,
        [
            "check",
            str(claims),
            "--rules",
            str(pack),
            "--format",
            "json",
            "--select",
            "B12-DX-001,B12-DX-002",
            "--fail-on",
            "never",
            "--engine",
            engine,
        ],
    )
    assert result.exit_code == 0, result.output
    report = json.loads(result.output)
    assert [r["name"] for r in report["rulesets"]] == ["acme"]
    return sorted(
        (f["encounter_id"], f["rule_id"], f["severity"], f["location"]["pointer"], f["message"])
        for f in report["findings"]
    )


@pytest.fixture
def imported(tmp_path: Path) -> Path:
    """The team pack with the FY2027 order file imported (open-ended from 2026-10-01)."""
    pack = _team_pack(tmp_path)
    order = write_order_file(tmp_path / "icd10cm_order_2027.txt", RELEASE_ROWS)
    result = run_import("icd10cm", [order], pack)
    assert result.changed and result.versions == ["from 2026-10-01"]
    return pack


def test_the_shipped_releases_judge_the_two_codes_the_other_way() -> None:
    """The premise: the shipped releases have E53.1 and not D51.4, before and after."""
    for date in (dt.date(2026, 9, 30), dt.date(2026, 10, 1)):
        assert icd10_status_on(DELETED, date) == "billable"
        assert icd10_status_on(ADDED, date) == "invalid"


def test_a_claim_after_the_import_is_judged_by_it_and_one_before_by_the_shipped_release(
    tmp_path: Path, imported: Path
) -> None:
    claims = _claims(tmp_path, {"E-BEFORE": "2026-09-30", "E-AFTER": "2026-10-01"})
    found = _dx_findings(imported, claims)
    assert [f[:4] for f in found] == [
        ("E-AFTER", "B12-DX-001", "error", "/diagnoses/1"),  # E53.1: deleted by the import
        ("E-BEFORE", "B12-DX-001", "error", "/diagnoses/2"),  # D51.4: not yet a code
    ]
    after, before = found
    assert (
        "ICD-10-CM FY2027 (icd10cm_order_2027.txt), the release in force on 2026-10-01"
        in (after[4])
    )
    assert (
        "ICD-10-CM FY2026 April 1, 2026 update, the release in force on 2026-09-30" in (before[4])
    )
    assert _dx_findings(imported, claims, "closures") == found


def test_without_the_import_the_same_claims_are_judged_by_the_shipped_releases(
    tmp_path: Path,
) -> None:
    claims = _claims(tmp_path, {"E-BEFORE": "2026-09-30", "E-AFTER": "2026-10-01"})
    found = _dx_findings(_team_pack(tmp_path), claims)
    assert [f[:4] for f in found] == [
        ("E-AFTER", "B12-DX-001", "error", "/diagnoses/2"),
        ("E-BEFORE", "B12-DX-001", "error", "/diagnoses/2"),
    ]


def test_an_import_covers_dates_no_shipped_release_does(tmp_path: Path, imported: Path) -> None:
    """2027-06-01 is after the newest shipped release: judged by the open-ended import."""
    claims = _claims(tmp_path, {"E-LATE": "2027-06-01"})
    assert [f[:4] for f in _dx_findings(imported, claims)] == [
        ("E-LATE", "B12-DX-001", "error", "/diagnoses/1")
    ]


def test_a_date_neither_covers_is_not_checked_and_says_what_is_covered(tmp_path: Path) -> None:
    pack = _team_pack(tmp_path)
    order = write_order_file(tmp_path / "icd10cm_order_2027.txt", RELEASE_ROWS)
    run_import("icd10cm", [order], pack, "2026-10-01..2027-09-30")
    claims = _claims(tmp_path, {"E-LATE": "2027-06-01", "E-LATER": "2027-10-01"})
    found = _dx_findings(pack, claims)
    assert [f[:4] for f in found[:1]] == [("E-LATE", "B12-DX-001", "error", "/diagnoses/1")]
    later = [f for f in found if f[0] == "E-LATER"]
    assert {(f[1], f[2], f[3]) for f in later} == {
        ("B12-DX-001", "info", "/date_of_service"),
        ("B12-DX-002", "info", "/date_of_service"),
    }
    message = later[0][4]
    assert message.startswith("Not checked (")
    assert "(shipped: 2015-10-01 to 2027-03-31; the pack's table 'icd10cm': " in message
    assert "2026-10-01 to 2027-09-30)" in message


def test_data_list_says_which_dates_each_judges(tmp_path: Path, imported: Path) -> None:
    (listing,) = [t for t in list_pack(imported) if t.name == "icd10cm"]
    assert [label for label, _ in listing.versions] == ["from 2026-10-01"]
    assert listing.fallback == "the shipped ICD-10-CM releases (2015-10-01 to 2027-03-31)"
    assert listing.gaps == ("before 2015-10-01",)
    text = render_listing([listing])
    assert "  other dates: the shipped ICD-10-CM releases (2015-10-01 to 2027-03-31)\n" in text
    closed = _team_pack(tmp_path / "closed")
    order = write_order_file(tmp_path / "icd10cm_order_2029.txt", RELEASE_ROWS)
    run_import("icd10cm", [order], closed, "2028-10-01..2029-09-30")
    (listing,) = [t for t in list_pack(closed) if t.name == "icd10cm"]
    assert listing.gaps == ("before 2015-10-01", "2027-04-01 to 2028-09-30", "after 2029-09-30")
    other = next(t for t in list_pack(closed) if t.name == "mue")
    assert other.fallback is None and other.gaps == ("before 2024-07-01",)


def test_both_engines_agree_on_the_dated_calls(tmp_path: Path, imported: Path) -> None:
    """The generated code calls the closures' own bound function (date of service, imports)."""
    generated, closures = load_pack(imported, "generated"), load_pack(imported, "closures")
    scope = Scope(generated.data)
    claims = _claims(
        tmp_path, {"A": "2026-09-30", "B": "2026-10-01", "C": "2027-06-01", "D": "2015-09-30"}
    )
    records = [i for i in read_file(str(claims), claims) if isinstance(i, Record)]

    def status_of(position: int) -> dict[str, Any]:
        nth = {"call": {"fn": "at_positions", "args": ["$diagnoses", [position]]}}
        return {"call": {"fn": "icd10_status", "args": [{"call": {"fn": "only", "args": [nth]}}]}}

    nodes = [status_of(1), status_of(2), status_of(3), {"call": {"fn": "icd10_release"}}]
    seen = []
    for record in records:
        view = EncounterView(record.encounter, record.has_chart, record.chart_missing)
        env = {ENC: view, DOS: view.raw["date_of_service"]}
        want = [compile_expr(node, scope).fn(dict(env)) for node in nodes]
        assert [expression(node, scope)(view) for node in nodes] == want
        seen.append(want)
    assert seen == [
        ["billable", "billable", "invalid", "FY2026 April 1, 2026 update"],  # shipped
        ["billable", "invalid", "billable", "FY2027 (icd10cm_order_2027.txt)"],  # imported
        ["billable", "invalid", "billable", "FY2027 (icd10cm_order_2027.txt)"],  # past shipped
        [None, None, None, None],  # before ICD-10-CM: neither covers it
    ]
    items = list(read_file(str(claims), claims))
    assert run(items, combine([generated])).findings == run(items, combine([closures])).findings


def test_the_pack_refuses_a_code_set_it_cannot_read(tmp_path: Path, imported: Path) -> None:
    (stored,) = (imported / "data" / "codesets").iterdir()
    stored.write_bytes(gzip.compress(b"not a code table\n"))
    with pytest.raises(PackError, match="not a format-1 b12lint ICD-10-CM code table"):
        load_pack(imported)
    table = imported / "data" / "icd10cm.yaml"
    table.write_text(table.read_text().replace("codesets/", "../../"))
    with pytest.raises(PackError, match="is not a file of its folder"):
        load_pack(imported)


def test_a_code_set_is_read_once_per_process(tmp_path: Path, imported: Path) -> None:
    from b12lint.engine import codesets

    first, second = load_pack(imported), load_pack(imported)
    bound = [codesets.imported_icd10(p.data) for p in (first, second)]
    assert all(b is not None for b in bound)
    releases = [b[1].at(dt.date(2026, 10, 1)) for b in bound if b is not None]
    assert releases[0].table() is releases[1].table()
    assert releases[0].status("E53.1") == "invalid" and releases[0].status("D514") == "billable"
    assert releases[0].status(None) == "invalid" and releases[0].status("E5") == "invalid"


def test_an_april_update_closes_the_october_release_and_judges_its_own_dates(
    tmp_path: Path, imported: Path
) -> None:
    """The update ships under the year's file name: ``--effective`` dates it (through the CLI)."""
    update_dir = tmp_path / "april"
    update_dir.mkdir()
    rows = [*RELEASE_ROWS, ("D515", True, "Illustrative code added on April 1")]
    order = write_order_file(update_dir / "icd10cm_order_2027.txt", rows)
    runner = CliRunner()
    done = runner.invoke(
        cli,
        [
            "data",
            "import",
            "icd10cm",
            str(order),
            "--effective",
            "2027-04-01",
            "--into",
            str(imported),
        ],
    )
    assert done.exit_code == 0, done.output
    assert "closed the version from 2026-10-01 on 2027-03-31" in done.output
    listed = runner.invoke(cli, ["data", "list", str(imported)])
    assert "  2026-10-01 to 2027-03-31: CMS ICD-10-CM order file: icd10cm_order_2027.txt" in (
        listed.output
    )
    claims = tmp_path / "claims.jsonl"
    claims.write_text(
        _claim("E-MARCH", "2027-03-31").replace('"D51.4"', '"D51.5"')
        + "\n"
        + _claim("E-APRIL", "2027-04-01").replace('"D51.4"', '"D51.5"')
        + "\n"
    )
    found = _dx_findings(imported, claims)
    assert [f[:4] for f in found] == [
        ("E-APRIL", "B12-DX-001", "error", "/diagnoses/1"),  # E53.1, still deleted
        ("E-MARCH", "B12-DX-001", "error", "/diagnoses/1"),
        ("E-MARCH", "B12-DX-001", "error", "/diagnoses/2"),  # D51.5 only from April 1
    ]
    assert "ICD-10-CM FY2027 April 1, 2027 update (icd10cm_order_2027.txt)" in found[0][4]


def test_a_payer_packs_import_judges_only_its_payers_encounters(
    tmp_path: Path, imported: Path
) -> None:
    """The table is read from the pack that judges the encounter."""

    def claim(encounter: str, payer: str) -> str:
        record = json.loads(_claim(encounter, "2026-10-01"))
        record["payer"] = {"id": payer, "type": "commercial"}
        return json.dumps(record)

    claims = tmp_path / "claims.jsonl"
    claims.write_text(claim("E-ACME", "60054") + "\n" + claim("E-OTHER", "11111") + "\n")
    result = CliRunner().invoke(
        cli,
        [
            "check",
            str(claims),
            "--rules",
            str(imported),
            "--payer",
            "60054=acme",
            "--format",
            "json",
            "--select",
            "B12-DX-001",
            "--fail-on",
            "never",
        ],
    )
    assert result.exit_code == 0, result.output
    found = sorted(
        (f["encounter_id"], f["location"]["pointer"]) for f in json.loads(result.output)["findings"]
    )
    assert found == [("E-ACME", "/diagnoses/1"), ("E-OTHER", "/diagnoses/2")]
