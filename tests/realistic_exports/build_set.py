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
    "f16_bulk_export_server_names": "discover/fhir_bulk: the $export completion manifest saved as manifest.json is read as a native record (B12-INPUT-002 '/encounter_id: required field is missing', exit 1)",
    "f14_adjusted_claim.json": "fhir_map ignores ExplanationOfBenefit.related: the original EOB (relationship replacedby) is read and judged beside its adjustment (relationship prior): two encounters for one visit",
    "f13_history_bundle.json": "fhir reader: a history Bundle's DELETE entry (request + response, no resource: valid R4) is an input error 'not a FHIR resource (no resourceType)', and the EOB's older version 1 is a duplicate input error (B12-INPUT-003) instead of history",
}
XFAIL_FIELDS = {
    (
        "f16_bulk_export_server_names",
        "F16-A",
    ): "fhir_bulk resolves references across an export's files only when they are named by type (Coverage.ndjson...): with the server's opaque names, payer (Coverage) and rendering NPI (Practitioner) are lost",
    (
        "f16_bulk_export_server_names",
        "F16-B",
    ): "fhir_bulk: payer and rendering NPI lost across opaque-named export files (as for F16-A)",
}
XFAIL_CLAIMS = {
    (
        "f17_other_patients_chart.json",
        "F17-A",
    ): "fhir_map: any MedicationAdministration in a file (here another patient's ceftriaxone) makes every claim without one 'missing its chart': B12-IND-003 (error) on a correctly billed B12 claim whose patient has no chart in the export",
    (
        "f16_bulk_export_server_names",
        "F16-B",
    ): "fhir_bulk: the Coverage in another opaque-named file of the export is not resolved, so the payer is unknown and the Medicaid NDC requirement (B12-NDC-009) is silently not applied; the info even says 'Not required by Medicare Part B'",
    (
        "f14_adjusted_claim.json",
        "F14-A",
    ): "fhir_map ignores related.relationship replacedby: B12-UNITS-003 (error) on the superseded adjudication",
    (
        "f14_adjusted_claim.json",
        "F14-B",
    ): "the superseded original F14-A counts as a visit: B12-FREQ-001 (error) 'B12 injection 0 days after the previous one' on the adjustment",
    (
        "f13_history_bundle.json",
        "F13-A",
    ): "fhir reader: the superseded version 1 of EOB F13-A in a history Bundle is reported as a duplicate record (B12-INPUT-003, error) on the claim",
    (
        "f11_ehr_codings_chart.ndjson",
        "F11-D",
    ): "a Claim with two dates of service: fhir_map joins both dates' MedicationAdministrations to the one encounter and B12-DOSE-004 / B12-NDC-004 sum them per date (2,000 mcg 'documented on 2026-01-12'): false warnings on two correct 1,000 mcg doses",
    (
        "i01_outpatient_b12.837",
        "I01-B",
    ): "B12-UNITS-007 data mue_outpatient_hospital lists only 96372: J3420 x2 on an 837I passes silently (no error, no 'not checked' info); DOMAIN: J3420 MUE 1 per date of service",
    (
        "f01_carin_eob_collection.json",
        "F01-A",
    ): "B12-NDC-007 (error) and B12-NDC-002 (warning) on a paid CARIN EOB: an NDC given as a productOrService coding has no NDC quantity in FHIR, and FHIR writes NDCs hyphenated; the CTP04/CTP05 requirement is the 837's",
    (
        "f01_carin_eob_collection.json",
        "F01-B",
    ): "B12-NDC-007 (error) and B12-NDC-002 (warning) on a paid CARIN EOB (NDC coding without a quantity, hyphenated NDC)",
    (
        "f04_bulk_export",
        "F04-A",
    ): "B12-NDC-007 (error) on a paid EOB whose NDC is a productOrService coding (no NDC quantity element in FHIR outside item.detail)",
    (
        "f04_bulk_export",
        "F04-B",
    ): "B12-NDC-007 (error) on a paid EOB beside the real B12-MOD-001 defect (NDC coding without a quantity)",
    (
        "f06_single_eob_institutional.json",
        "F06-A",
    ): "B12-NDC-007 (error) on a paid outpatient institutional EOB (NDC coding without a quantity)",
    (
        "f09_oids_condition_refs.ndjson",
        "F09-C",
    ): "B12-DX-007 (warning) on a paid EOB whose items carry no diagnosisSequence (0..* in R4 and CARIN): the pointers were not exported, the claim's one diagnosis D51.0 covers it",
    (
        "f10_bluebutton_carrier.json",
        "10001234567",
    ): "B12-NDC-007 (error) on a paid Medicare carrier EOB: Blue Button 2.0 has no NDC quantity (line_ndc_cd only)",
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
