"""The README's adoption workflow end to end: a new quarter imported into a team's pack
changes what ``b12lint check`` finds on that quarter's dates of service, and only there."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

from click.testing import CliRunner

from b12lint.cli import cli

from .layouts import PTP_HEADER, PTP_PREAMBLE, PTP_ROWS, write_tab

ROOT = Path(__file__).resolve().parents[2]


def _claim(encounter: str, date: str) -> dict[str, object]:
    return {
        "encounter_id": encounter,
        "patient_id": f"PT-{encounter}",
        "date_of_service": date,
        "place_of_service": "11",
        "diagnoses": ["D51.0"],
        "documentation": {
            "indication": "pernicious anemia",
            "phase": "maintenance",
            "administrations": [
                {"drug": "cyanocobalamin", "dose": "1000 mcg", "route": "IM"},
                {"drug": "ondansetron", "dose": "4 mg", "route": "IV"},
            ],
        },
        "lines": [
            {"code": "J3420", "units": 1, "dx_pointers": [1]},
            {"code": "96374", "units": 1, "dx_pointers": [1]},
            {"code": "96372", "units": 1, "dx_pointers": [1]},
        ],
    }


def _mod007(runner: CliRunner, pack: Path, claims: Path) -> list[str]:
    result = runner.invoke(
        cli,
        [
            "check",
            str(claims),
            "--no-builtin",
            "--rules",
            str(pack),
            "--format",
            "json",
            "--select",
            "B12-MOD-007",
            "--fail-on",
            "never",
        ],
    )
    assert result.exit_code == 0, result.output
    return sorted(f["encounter_id"] for f in json.loads(result.output)["findings"])


def test_an_imported_quarter_changes_the_findings_of_its_dates_only(tmp_path: Path) -> None:
    pack = tmp_path / "acme"
    shutil.copytree(ROOT / "rules" / "b12-core", pack)
    claims = tmp_path / "claims.jsonl"
    claims.write_text(
        "\n".join(
            json.dumps(_claim(e, d))
            for e, d in [("E-2025", "2025-12-15"), ("E-2026", "2026-01-15")]
        )
        + "\n"
    )
    runner = CliRunner()
    assert _mod007(runner, pack, claims) == ["E-2025", "E-2026"]  # the shipped pairs

    rows = [list(r) for r in PTP_ROWS]
    rows[7][4] = "20251231"  # the new quarter's file: 96374 x 96372 deleted after 2025
    quarter = write_tab(tmp_path / "ccipra-v321r0-f1.txt", PTP_PREAMBLE, PTP_HEADER, rows)
    imported = runner.invoke(
        cli,
        [
            "data",
            "import",
            "ptp-practitioner",
            str(quarter),
            "--effective",
            "2026-01-01..2026-03-31",
            "--into",
            str(pack),
        ],
    )
    assert imported.exit_code == 0, imported.output
    assert (
        "retroactive: 96374 x 96372 (indicator 1) is deleted after 2025-12-31"
        not in imported.output
    )

    listed = runner.invoke(cli, ["data", "list", str(pack)])
    assert "2024-07-01 to 2025-12-31" in listed.output and "after 2026-03-31" in listed.output
    table = pack / "data" / "ptp.yaml"
    diffed = runner.invoke(cli, ["data", "diff", f"{table}@2025-12-31", f"{table}@2026-01-01"])
    assert diffed.output.splitlines()[1:] == ["  pair 96374 x 96372 deleted (was indicator 1)"]
    # the rule's own failing example (dated 2026) relied on the deleted pair: `b12lint test`
    # says so, which is the cue to update the pack's examples for the new quarter
    tested = runner.invoke(cli, ["test", str(pack)])
    assert tested.exit_code == 1
    assert (
        "FAIL b12-core B12-MOD-007 fail[0]: failing example did not trigger the rule"
        in tested.output
    )
    assert "1 failed" in tested.output

    assert _mod007(runner, pack, claims) == ["E-2025"]
