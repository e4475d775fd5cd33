"""Claim data is PHI: a distinctive patient name, patient id and free text, put in every
field of good and broken records of every input format, never reach stderr (notes, errors,
progress) nor the message of an input error (which names only the file, line and pointer).
"""

from __future__ import annotations

import copy
import json
import sys
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
import yaml
from b12_records import clean_record

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "readers"))

from fhir_build import admin, base, bundle, claim, condition
from x12_build import Subscriber, b12_claim, interchange

NAME = "Zebulon Quixotic-Marmaduke"
PATIENT = "PT-ZQM-99107"
TEXT = f"{NAME} of 12 Quixote Lane, SSN 078-05-1120"
SECRETS = ("Zebulon", "Marmaduke", "ZQM-99107", "Quixote Lane", "078-05-1120")

#: A clean B12 encounter (the FORMATS.md example): what every run here checks.
RECORD: dict[str, Any] = clean_record()


def leaves(value: Any, pointer: str = "") -> Iterator[str]:
    if isinstance(value, dict):
        for key, item in value.items():
            yield from leaves(item, f"{pointer}/{key}")
    elif isinstance(value, list):
        for index, item in enumerate(value):
            yield from leaves(item, f"{pointer}/{index}")
    else:
        yield pointer


def put(record: dict[str, Any], pointer: str, value: Any) -> dict[str, Any]:
    out = copy.deepcopy(record)
    parts = [int(p) if p.isdigit() else p for p in pointer.strip("/").split("/")]
    target: Any = out
    for part in parts[:-1]:
        target = target[part]
    target[parts[-1]] = value
    return out


def native_records() -> list[Any]:
    """The secret in every field (good records), and as the wrong-typed value of each."""
    base_record = copy.deepcopy(RECORD)
    base_record["patient_id"] = PATIENT
    base_record["x-note"] = TEXT
    out: list[Any] = []
    for n, pointer in enumerate(leaves(base_record)):
        if pointer == "/encounter_id":
            continue
        record = put(base_record, pointer, TEXT)
        record["encounter_id"] = f"E-{n}"
        out.append(record)
    for n, pointer in enumerate(
        [
            "/lines",
            "/lines/0/units",
            "/documentation",
            "/diagnoses",
            "/date_of_service",
            "/lines/0/dx_pointers",
            "/payer",
        ]
    ):
        record = put(base_record, pointer, {"name": TEXT} if pointer == "/diagnoses" else TEXT)
        record["encounter_id"] = f"W-{n}"
        out.append(record)
    return out


def broken_lines() -> list[bytes]:
    """JSON text that cannot be read, each holding the secret."""
    record = json.dumps(dict(RECORD, encounter_id="B-1", patient_id=PATIENT, note=TEXT)).encode()
    return [
        record[: record.index(PATIENT.encode()) + 8],  # truncated inside the secret
        b'{"encounter_id": "B-2", "patient_id": ' + NAME.encode() + b"}",  # a bare word
        record.replace(b'"B-1"', b'"B-3"').replace(b'"note":', b'"units": NaN, "note":'),
        record.replace(b'"B-1"', b'"B-4"').replace(b'"note":', b'"note": "x", "note":'),
        record.replace(b'"B-1"', b'"B-5"').replace(b"Quixote", b"Quix\xffote"),
        b'{"encounter_id": "B-6", "x": '
        + b"[" * 100
        + json.dumps(TEXT).encode()
        + b"]" * 100
        + b"}",
        json.dumps(TEXT).encode(),  # a top-level scalar
    ]


def native_files(tmp: Path) -> list[Path]:
    records = native_records()
    jsonl = tmp / "batch.jsonl"
    jsonl.write_bytes(
        b"".join(json.dumps(r).encode() + b"\n" for r in records)
        + b"\n".join(broken_lines())
        + b"\n"
    )
    doc = tmp / "batch.json"
    doc.write_bytes(
        b"["
        + b",\n".join(
            [json.dumps(r).replace('"E-', '"J-').replace('"W-', '"K-').encode() for r in records]
            + broken_lines()[1:6]
        )
        + b"]"
    )
    yml = tmp / "batch.yaml"
    items = [dict(r, encounter_id="Y" + r["encounter_id"]) for r in records]
    text = yaml.safe_dump(items, sort_keys=False)
    text += f"- !!python/object/apply:os.system ['echo {NAME}']\n"
    text += f"- &anchor\n  encounter_id: YA\n  note: {NAME}\n"
    text += f"- encounter_id: YB\n  note: {NAME}\n  note: {PATIENT}\n"
    text += f"- encounter_id: YC\n  date_of_service: 2026-03-02\n  note: {NAME} \x01\n"
    text += f"- {{encounter_id: YD, note: {NAME} lines: ]\n"  # a syntax error
    yml.write_text(text, encoding="utf-8")
    return [jsonl, doc, yml]


def x12_file(tmp: Path) -> Path:
    last, first = NAME.upper().split(" ")
    good = b12_claim("CX1")
    bad = b12_claim("CX2", description=TEXT)
    bad["lines"][0]["units"] = "ZEBULON"
    sub = Subscriber(member_id=PATIENT, last=last, first=first, claims=[good, bad])
    path = tmp / "claims.837"
    path.write_text(interchange([[sub]]), encoding="latin-1")
    return path


def fhir_file(tmp: Path) -> Path:
    resources = base()
    resources[0]["identifier"][0]["value"] = PATIENT
    resources[0]["name"] = [{"text": NAME, "family": "Quixotic-Marmaduke", "given": ["Zebulon"]}]
    resources += [
        condition("c1", "p1", "D51.0", TEXT),
        admin("ma1", "p1", "2026-03-02", "78421000", reason="c1", drug=TEXT),
        claim(
            "FX-1",
            "p1",
            "2026-03-02",
            [("J3420", 2, 12.0), ("96372", 1, 25.0)],
            ["D51.0"],
            support="ma1",
        ),
        {
            "resourceType": "Patient",
            "id": "p2",
            "birthDate": NAME,
            "identifier": [{"value": PATIENT}],
        },
        {"resourceType": "Claim", "id": "fx-2", "status": TEXT, "patient": NAME},
    ]
    path = tmp / "bundle.fhir.json"
    path.write_text(json.dumps(bundle(resources), indent=1), encoding="utf-8")
    return path


def csv_file(tmp: Path) -> Path:
    rows = [
        "encounter_id,patient_id,date_of_service,diagnoses,code,units,dx_pointers,description",
        f'C-1,{PATIENT},2026-03-02,D51.0,J3420,2,1,"{TEXT}"',
        f"C-2,{PATIENT},{NAME},D51.0,J3420,1,1,x",
        f"C-3,{PATIENT},2026-03-02,D51.0,J3420,{NAME},1,x",
        f"C-4,{PATIENT},2026-03-02,D51.0,J3420,1,{NAME},x",
        f'C-5,{PATIENT},2026-03-02,D51.0,J3420,1,1,"{NAME}',
    ]
    path = tmp / "export.csv"
    path.write_text("\n".join(rows) + "\n", encoding="utf-8")
    return path


def chart_file(tmp: Path) -> Path:
    path = tmp / "chart.jsonl"
    records = [
        {
            "encounter_id": "CX1",
            "documentation": {
                "indication": TEXT,
                "administrations": [
                    {"drug": "cyanocobalamin", "dose": "1000 mcg", "route": "IM", "site": NAME}
                ],
            },
        },
        {"encounter_id": "CX-NONE", "documentation": {"indication": TEXT}},
        {"encounter_id": "CX-BAD", "documentation": TEXT},
    ]
    path.write_text("".join(json.dumps(r) + "\n" for r in records), encoding="utf-8")
    return path


def assert_no_secret(text: str, where: str) -> None:
    for secret in SECRETS:
        assert secret.lower() not in text.lower(), f"{secret!r} in {where}:\n{text[:2000]}"


@pytest.fixture(scope="module")
def inputs(tmp_path_factory: pytest.TempPathFactory) -> dict[str, list[Path]]:
    tmp = tmp_path_factory.mktemp("phi")
    return {
        "native": native_files(tmp),
        "x12": [x12_file(tmp)],
        "fhir": [fhir_file(tmp)],
        "csv": [csv_file(tmp)],
    }


@pytest.mark.parametrize("kind", ["native", "x12", "fhir", "csv"])
def test_no_claim_data_on_stderr_or_in_input_errors(
    inputs: dict[str, list[Path]], kind: str, tmp_path: Path, b12lint_process: Callable[..., Any]
) -> None:
    files = [str(p) for p in inputs[kind]]
    extra = ["--documentation", str(chart_file(tmp_path))] if kind == "x12" else []
    outputs = []
    for fmt in ("json", "sarif", "junit", "csv", "html", "jsonl", "github"):
        outputs += ["-f", fmt, "-o", str(tmp_path / f"report.{fmt}")]
    done = b12lint_process(
        "check",
        *files,
        *extra,
        *outputs,
        "-f",
        "text",
        "--history",
        str(tmp_path / "h.db"),
        cwd=tmp_path,
    )
    stderr = done.stderr.decode()
    assert done.returncode == 1, stderr
    assert "Traceback" not in stderr
    assert_no_secret(stderr, "stderr")
    report = json.loads((tmp_path / "report.json").read_text())
    errors = [f for f in report["findings"] if f["category"] == "input"]
    assert errors, "the inputs hold broken records"
    for finding in errors:
        assert_no_secret(finding["message"], f"input error {finding['location']}")
        assert_no_secret(finding["location"]["pointer"], f"pointer {finding['location']}")
    # the history keeps hashes and codes, never the patient id or free text
    db = (tmp_path / "h.db").read_bytes()
    for secret in SECRETS:
        assert secret.encode() not in db


def test_stdin_and_redacted_runs_hide_claim_data(
    inputs: dict[str, list[Path]], tmp_path: Path, b12lint_process: Callable[..., Any]
) -> None:
    data = inputs["native"][0].read_bytes()
    done = b12lint_process("check", "-", "--redact", "-f", "json", cwd=tmp_path, stdin=data)
    assert done.returncode == 1
    assert_no_secret(done.stderr.decode(), "stderr")
    assert_no_secret(done.stdout.decode(), "redacted report")
