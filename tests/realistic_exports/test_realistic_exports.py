"""Claims exported the way real systems write them, checked end to end.

``files/`` holds X12 837P and 837I interchanges (pyx12-valid, written with the separators,
line breaks, loops and segments practice-management systems and clearinghouses use) and FHIR R4
Claims and ExplanationOfBenefits (CARIN Blue Button, Blue Button 2.0, EHR and Synthea-like
Bundles, NDJSON, bulk-export directories, single resources). ``expected.yaml`` (written by
``build_set.py`` from ../shared/DOMAIN.md and FORMATS.md: p01-p15, i01-i04 and f01-f08 before
the readers were read, the later files aimed at what the readers' code leaves out) gives
per file the encounters and B12 encounters to read, per claim ``clean`` / ``out_of_scope`` /
``void`` (no error or warning) or the FORMATS.md category of its one defect, and the native
fields a reader must produce. A strict ``xfail`` names the reader or rule that is wrong and why.
"""

from __future__ import annotations

import json
from collections import defaultdict
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Any

import pytest
import yaml
from click.testing import CliRunner

import b12lint
from b12lint.cli import cli
from b12lint.model.finding import CATEGORIES as FINDING_CATEGORIES
from b12lint.model.record import Record
from b12lint.readers import read_inputs

HERE = Path(__file__).resolve().parent
FILES = HERE / "files"
EXPECTED: dict[str, dict[str, Any]] = yaml.safe_load(
    (HERE / "expected.yaml").read_text(encoding="utf-8")
)["files"]
CATEGORIES = set(FINDING_CATEGORIES) - {"input"}  # a rule category
PASSING = {"clean", "out_of_scope", "void"}
BLOCKING = {"error", "warning"}


@dataclass(frozen=True)
class Claim:
    """One claim's expectation."""

    file: str
    claim_id: str
    expect: str
    note: str
    xfail: str | None
    fields_xfail: str | None


def _claims() -> list[Claim]:
    return [
        Claim(name, cid, str(c["expect"]), str(c["note"]), c.get("xfail"), c.get("fields_xfail"))
        for name, spec in EXPECTED.items()
        for cid, c in spec["claims"].items()
    ]


_ITEMS: dict[str, list[object]] = {}
_REPORTS: dict[str, dict[str, Any]] = {}


def items_of(name: str) -> list[object]:
    """What the readers give for one file (records and input errors), read once."""
    if name not in _ITEMS:
        _ITEMS[name] = list(read_inputs([str(FILES / name)]))
    return _ITEMS[name]


@cache
def ruleset() -> Any:
    """The built-in pack, loaded once for the whole set (the CLI loads it per run)."""
    return b12lint.load_ruleset()


def report_of(name: str) -> dict[str, Any]:
    """One file's report as the CLI's JSON spells it, through the library (CLI test below)."""
    if name not in _REPORTS:
        result = b12lint.run(items_of(name), ruleset())
        _REPORTS[name] = {
            "summary": result.summary.report_dict(),
            "findings": [f.model_dump(mode="json") for f in result.findings],
        }
    return _REPORTS[name]


def cli_report(name: str) -> dict[str, Any]:
    """One file's JSON report through ``b12lint check FILE -f json``."""
    result = CliRunner().invoke(cli, ["check", str(FILES / name), "-f", "json"])
    assert result.exit_code in (0, 1), result.output
    parsed: dict[str, Any] = json.loads(result.stdout)
    return parsed


def blocking_of(name: str) -> dict[str, list[dict[str, Any]]]:
    """Error and warning findings of one file per encounter id."""
    found: dict[str, list[dict[str, Any]]] = defaultdict(list)
    for finding in report_of(name)["findings"]:
        if finding["severity"] in BLOCKING:
            found[finding["encounter_id"]].append(finding)
    return found


def _ndc11(text: str | None) -> str | None:
    """An NDC as 11 digits (a hyphenated 10-digit form padded 5-4-2), for comparison only."""
    if text is None:
        return None
    parts = text.split("-")
    if len(parts) == 3 and sum(map(len, parts)) == 10:
        return parts[0].zfill(5) + parts[1].zfill(4) + parts[2].zfill(2)
    return text.replace("-", "")


def _view(encounter: dict[str, Any], want: dict[str, Any]) -> dict[str, Any]:
    """The fields of a read encounter that ``want`` names, in its shape."""
    lines = []
    for line, wanted in zip(encounter.get("lines") or [], want["lines"], strict=False):
        got: dict[str, Any] = {
            "code": line.get("code"),
            "units": None if line.get("units") is None else float(line["units"]),
            "modifiers": list(line.get("modifiers") or []),
            "date": str(line.get("date") or encounter.get("date_of_service")),
        }
        for key in ("dx_pointers", "revenue_code", "ndc_quantity", "ndc_unit", "description"):
            if key in wanted:
                value = line.get(key)
                got[key] = list(value or []) if key == "dx_pointers" else value
        if "ndc" in wanted or line.get("ndc"):
            got["ndc"] = _ndc11(line.get("ndc"))
        lines.append(got)
    view: dict[str, Any] = {
        "diagnoses": [d.replace(".", "") for d in encounter.get("diagnoses") or []],
        "line_count": len(encounter.get("lines") or []),
        "lines": lines,
    }
    for key in ("place_of_service", "type_of_bill"):
        if key in want:
            view[key] = encounter.get(key)
    if "payer_type" in want:
        view["payer_type"] = (encounter.get("payer") or {}).get("type")
    if "rendering_npi" in want:
        view["rendering_npi"] = encounter.get("rendering_npi")
    return view


def _wanted(want: dict[str, Any]) -> dict[str, Any]:
    out = dict(want)
    out["diagnoses"] = [d.replace(".", "") for d in want["diagnoses"]]
    out["line_count"] = len(want["lines"])
    out["lines"] = [{**ln, "ndc": _ndc11(ln["ndc"])} if "ndc" in ln else ln for ln in want["lines"]]
    return out


def records_of(name: str) -> dict[str, dict[str, Any]]:
    """The encounters one file reads as, by id (the first of an id: the engine checks only it)."""
    read: dict[str, dict[str, Any]] = {}
    for item in items_of(name):
        if isinstance(item, Record):
            read.setdefault(item.encounter["encounter_id"], dict(item.encounter))
    return read


def _file_param(name: str) -> object:
    reason = EXPECTED[name].get("xfail")
    marks = [pytest.mark.xfail(reason=reason, strict=True)] if reason else []
    return pytest.param(name, id=name, marks=marks)


def _claim_param(claim: Claim, reason: str | None) -> object:
    marks = [pytest.mark.xfail(reason=reason, strict=True)] if reason else []
    return pytest.param(claim, id=f"{claim.file}::{claim.claim_id}", marks=marks)


def test_the_set_covers_the_export_styles() -> None:
    kinds = [spec["kind"] for spec in EXPECTED.values()]
    assert kinds.count("x12-837p") >= 12
    assert kinds.count("x12-837i") >= 4
    assert kinds.count("fhir") + kinds.count("fhir-bulk") >= 8
    claims = _claims()
    assert {c.expect for c in claims} <= CATEGORIES | PASSING
    assert all(c.note for c in claims)
    assert sum(c.expect == "clean" for c in claims) >= 40
    assert sorted(p.name for p in FILES.iterdir()) == sorted(EXPECTED)


@pytest.mark.parametrize(
    "name",
    [
        "p13_mixed_day.837",
        "p07_frequency_codes.837",
        "f01_carin_eob_collection.json",
        "f04_bulk_export",
    ],
)
def test_the_library_run_is_what_the_cli_reports(name: str) -> None:
    def key(report: dict[str, Any]) -> tuple[object, ...]:
        summary = {
            k: report["summary"][k]
            for k in ("encounters", "b12_encounters", "input_errors", "by_severity")
        }
        found = sorted(
            (f["encounter_id"], f["rule_id"], f["severity"], f["category"])
            for f in report["findings"]
        )
        return summary, found

    assert key(cli_report(name)) == key(report_of(name))


@pytest.mark.parametrize("name", [_file_param(n) for n in EXPECTED])
def test_every_claim_is_read_once_and_none_is_an_input_error(name: str) -> None:
    summary = report_of(name)["summary"]
    spec = EXPECTED[name]
    inputs = [f["message"] for f in report_of(name)["findings"] if f["category"] == "input"]
    assert inputs == [], inputs
    assert summary["input_errors"] == 0
    assert summary["encounters"] == spec["encounters"], summary
    assert summary["b12_encounters"] == spec["b12_encounters"], summary


@pytest.mark.parametrize("claim", [_claim_param(c, c.xfail) for c in _claims()])
def test_claim_verdict(claim: Claim) -> None:
    found = blocking_of(claim.file).get(claim.claim_id, [])
    shown = [f"{f['rule_id']} {f['severity']}: {f['message']}" for f in found]
    if claim.expect in PASSING:
        assert not found, f"false findings on a {claim.expect} claim ({claim.note}): {shown}"
    else:
        assert {f["category"] for f in found} == {claim.expect}, (
            f"{claim.expect} expected ({claim.note}): {shown}"
        )


@pytest.mark.parametrize(
    "claim",
    [
        _claim_param(c, c.fields_xfail)
        for c in _claims()
        if c.claim_id in EXPECTED[c.file]["fields"]
    ],
)
def test_claim_fields_are_read(claim: Claim) -> None:
    encounter = records_of(claim.file).get(claim.claim_id)
    assert encounter is not None, f"{claim.claim_id} was not read from {claim.file}"
    want = EXPECTED[claim.file]["fields"][claim.claim_id]
    assert _view(encounter, want) == _wanted(want)
