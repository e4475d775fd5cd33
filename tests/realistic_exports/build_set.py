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
XFAIL_COUNTS = {}
XFAIL_FIELDS = {}
XFAIL_CLAIMS = {
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
