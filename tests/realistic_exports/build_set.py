# ruff: noqa: E501
"""Writes tests/realistic_exports/files/* and expected.yaml (edit build_x12.py / build_fhir.py, then run this).

The files are claims exported the way practice-management systems, clearinghouses and payer
APIs write them; every X12 file is validated by pyx12 (the X222A1 / X223 maps) and every FHIR
resource by fhir.resources (R4B) as it is written, and the build exits 1 if one fails, so that
a disagreement with b12lint is b12lint's, not the file's. Expectations come
from ../shared/DOMAIN.md and FORMATS.md (the first files before b12lint's readers were read,
the later ones aimed at what the readers' code leaves out).
"""

from __future__ import annotations

import io
import logging
import shutil
import sys
from pathlib import Path
from typing import Any

import yaml

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

import build_fhir  # noqa: E402
import build_x12  # noqa: E402

FILES = HERE / "files"

#: b12lint is wrong here (the lead's case (a)): strict xfails naming the reader or rule and why.
XFAIL_COUNTS = {
    "p20_account_number_as_clm01.837": "x12 reader: CLM01 is the encounter id as written; a PM system's account number repeated in CLM01 for two visits makes the second a duplicate input error (B12-INPUT-003), not checked",
    "p07_frequency_codes.837": "x12_claim/x12_837p ignore CLM05-3: the void (frequency 8) P07-C is read and judged as an encounter (TR3 2300 CLM05-3 8 = void/cancel of prior claim); FHIR voids are counted in not_judged instead",
    "p16_month_corrections.837": "x12 reader: a replacement (CLM05-3 7) with the CLM01 of a claim earlier in the batch is a duplicate input error (B12-INPUT-003) and the superseded original is judged instead",
    "p17_dos_eof_mark.837": "x12 reader: a trailing Ctrl-Z (0x1A) after the last IEA is an input error 'not an X12 interchange' (exit 1 on a file pyx12 accepts); trailing end-of-file bytes after IEA should be ignored like trailing blanks",
    "i05_void_and_statement_dates.837": "x12_837i: a void bill (CLM05-3 8, TOB 0138) is read and counted as a B12 encounter to judge instead of not judged",
}
XFAIL_FIELDS = {
    (
        "p16_month_corrections.837",
        "P16-A",
    ): "x12 reader: the replacement P16-A (CLM05-3 7, units 1) is refused as a duplicate id, so P16-A reads as the superseded original (units 2)",
}
XFAIL_CLAIMS = {
    (
        "p20_account_number_as_clm01.837",
        "ACCT-20417",
    ): "x12 reader: the second visit with the same CLM01 (account number) is a duplicate input error on ACCT-20417 (B12-INPUT-003, error) and is never checked",
    (
        "p19_noc_narrative_in_notes.837",
        "P19-A",
    ): "x12_837p reads the NOC narrative from SV101-7 only: B12-DRUG-005 (error) on J3490 whose drug name and dose are in the 2400 NTE*ADD line note, where MACs also take them",
    (
        "p19_noc_narrative_in_notes.837",
        "P19-B",
    ): "x12_837p ignores the 2300 NTE*ADD claim note (CMS-1500 item 19, where CMS asks for an NOC drug's name and dosage): B12-DRUG-005 (error) on a described J3490",
    (
        "p18_series_on_one_claim.837",
        "P18-B",
    ): "frequency rules (B12-FREQ-001) compare encounters only: four weekly J3420 lines (DTP*472 a week apart) on one claim with no phase documented pass silently; the x12 reader makes one encounter dated by the earliest line",
    (
        "p07_frequency_codes.837",
        "P07-C",
    ): "x12_837p ignores CLM05-3 8 (void): B12-UNITS-003 judges the cancelled claim's 2 units as overbilling",
    (
        "p16_month_corrections.837",
        "P16-A",
    ): "x12 reader: the replacement P16-A (CLM05-3 7) is refused as a duplicate (B12-INPUT-003) and the superseded original's units 2 draw B12-UNITS-003",
    (
        "p16_month_corrections.837",
        "P16-B",
    ): "x12_837p ignores SV105 (line place of service): lines at POS 22 under CLM05-1 11 pass B12-PROV-002 silently",
    (
        "i01_outpatient_b12.837",
        "I01-B",
    ): "no sourced outpatient hospital MUE for J3420 (DOMAIN gives the practitioner value only): B12-UNITS-008 names the gap as an info ('not checked'), no longer silent, but the expected units error needs a sourced value in mue_outpatient_hospital",
}


def pyx12_errors(path: Path) -> list[str]:
    """pyx12's verdict on an X12 file: [] when valid."""
    import pyx12.params
    import pyx12.x12n_document

    logging.getLogger("pyx12").setLevel(logging.CRITICAL)
    report = io.StringIO()
    ok = pyx12.x12n_document.x12n_document(
        param=pyx12.params.params(),
        src_file=str(path),
        fd_997=io.StringIO(),
        fd_html=None,
        fd_json=report,
    )
    return [] if ok else [report.getvalue()[:3000] or "not valid"]


def fhir_errors(spec: Any) -> list[str]:
    """Each resource of a FHIR spec validated by the fhir.resources R4B models ([] when valid)."""
    from fhir.resources.R4B import get_fhir_model_class

    content = spec.content
    if isinstance(content, dict) and "resourceType" not in content:
        resources = [r for rs in content.values() for r in rs]
    elif isinstance(content, list):
        resources = content
    else:
        resources = [content]
    errors = []
    for r in resources:
        try:
            get_fhir_model_class(r["resourceType"]).model_validate(r)
        except Exception as exc:
            lines = [
                ln
                for ln in str(exc).splitlines()
                if ln and not ln[0].isspace() and "validation error" not in ln
            ]
            if not all(ln.split(".")[-1] in spec.deviations for ln in lines):
                errors.append(f"{r['resourceType']}/{r.get('id')}: {str(exc)[:600]}")
    return errors


def entry(spec: Any) -> dict[str, Any]:
    """A file's expectation for expected.yaml: counts, per-claim verdicts, native fields."""
    claims = {}
    for cid, e in spec.claims.items():
        claims[cid] = {"expect": e.expect, "note": e.note}
        if (spec.name, cid) in XFAIL_CLAIMS:
            claims[cid]["xfail"] = XFAIL_CLAIMS[(spec.name, cid)]
        if (spec.name, cid) in XFAIL_FIELDS:
            claims[cid]["fields_xfail"] = XFAIL_FIELDS[(spec.name, cid)]
    verdicts = [e.expect for e in spec.claims.values()]
    out: dict[str, Any] = {
        "kind": spec.kind,
        "description": spec.description,
        "encounters": getattr(spec, "counts", None) or sum(v != "void" for v in verdicts),
        "b12_encounters": getattr(spec, "counts", None)
        or sum(v not in ("void", "out_of_scope") for v in verdicts),
    }
    if spec.name in XFAIL_COUNTS:
        out["xfail"] = XFAIL_COUNTS[spec.name]
    out["claims"] = claims
    out["fields"] = spec.fields
    return out


def main() -> int:
    """Write every file, validate the X12 ones, write expected.yaml."""
    if FILES.exists():
        shutil.rmtree(FILES)
    FILES.mkdir()
    expected: dict[str, Any] = {}
    bad = 0
    for make in build_x12.ALL:
        spec = make()
        path = FILES / spec.name
        path.write_bytes(spec.text.encode("ascii"))
        errors = pyx12_errors(path) if not spec.parts else []
        for i, part in enumerate(spec.parts):
            tmp = FILES / f".part{i}.tmp"
            tmp.write_bytes(part.encode("ascii"))
            errors += pyx12_errors(tmp)
            tmp.unlink()
        if errors:
            bad += 1
            print(f"pyx12 rejects {spec.name}: {errors[0][:1500]}", file=sys.stderr)
        expected[spec.name] = entry(spec)
    for spec in build_fhir.ALL():
        spec.write(FILES)
        errors = fhir_errors(spec)
        if errors:
            bad += 1
            print(f"fhir.resources rejects {spec.name}: {errors}", file=sys.stderr)
        expected[spec.name] = entry(spec)
    header = "# Expected outcome per file of tests/realistic_exports/files (written by build_set.py: edit it, not this).\n"
    (HERE / "expected.yaml").write_text(
        header
        + yaml.safe_dump({"files": expected}, sort_keys=False, width=200, default_flow_style=None),
        encoding="utf-8",
    )
    return 1 if bad else 0


if __name__ == "__main__":
    raise SystemExit(main())
