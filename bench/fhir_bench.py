"""Benchmark: a FHIR bulk export (NDJSON per resource type) against the same data as one Bundle.

    python bench/fhir_bench.py [--claims 1000] [--repeat 3]

Writes, to a temporary folder, ``--claims`` B12 ExplanationOfBenefits (four monthly visits
per patient; a J3420 + NDC line and a 96372 line each) with their Patients, a Coverage, a
payer Organization and a Practitioner, once as a bulk export directory and once as a
single Bundle, then times in this one process:

- ``bundle``: the Bundle read whole (the baseline: every resource in memory at once);
- ``bulk``: the bulk export directory (claims streamed, the other files indexed);

each as read alone and as read + the built-in rules, best of ``--repeat`` runs (the machine
is shared). Peak Python memory (tracemalloc, one extra run each) is reported for the bundle,
the bulk export, and one with four times the claims of the same patients: bounded memory
shows as a bulk peak that grows with the resources indexed (patients), not with the claims
streamed.
"""

from __future__ import annotations

import argparse
import gc
import json
import tempfile
import time
import tracemalloc
from collections.abc import Callable
from pathlib import Path
from typing import Any

from b12lint.engine import load_ruleset, run
from b12lint.readers import read_inputs

HCPCS = "https://www.cms.gov/Medicare/Coding/HCPCSReleaseCodeSets"
CPT = "http://www.ama-assn.org/go/cpt"
NDC = "http://hl7.org/fhir/sid/ndc"
ICD = "http://hl7.org/fhir/sid/icd-10-cm"
VISITS = 4


def _eob(number: int, patient: int, month: int) -> dict[str, Any]:
    date = f"2026-{month:02d}-0{1 + patient % 9}"
    item = [
        {
            "sequence": 1,
            "productOrService": {
                "coding": [{"system": HCPCS, "code": "J3420"}],
                "extension": [{"url": NDC, "valueCoding": {"system": NDC, "code": "00517003101"}}],
            },
            "servicedDate": date,
            "quantity": {"value": 2 if number % 10 == 3 else 1},
            "diagnosisSequence": [1],
        },
        {
            "sequence": 2,
            "productOrService": {"coding": [{"system": CPT, "code": "96372"}]},
            "servicedDate": date,
            "quantity": {"value": 1},
            "diagnosisSequence": [1],
        },
    ]
    return {
        "resourceType": "ExplanationOfBenefit",
        "id": f"eob-{number}",
        "identifier": [{"system": "urn:bench:claims", "value": f"CLM{number:06d}"}],
        "status": "active",
        "type": {
            "coding": [
                {
                    "system": "http://terminology.hl7.org/CodeSystem/claim-type",
                    "code": "professional",
                }
            ]
        },
        "use": "claim",
        "patient": {"reference": f"Patient/p{patient}"},
        "created": "2026-06-30T00:00:00Z",
        "insurer": {"reference": "Organization/payer"},
        "provider": {"reference": "Practitioner/doc"},
        "outcome": "complete",
        "careTeam": [
            {
                "sequence": 1,
                "provider": {"reference": "Practitioner/doc"},
                "role": {"coding": [{"code": "performing"}]},
            }
        ],
        "diagnosis": [
            {
                "sequence": 1,
                "diagnosisCodeableConcept": {"coding": [{"system": ICD, "code": "D51.0"}]},
            }
        ],
        "insurance": [{"focal": True, "coverage": {"reference": "Coverage/cov"}}],
        "item": item,
    }


def resources(claims: int, patients: int | None = None) -> dict[str, list[dict[str, Any]]]:
    """The export's resources by type (``patients``: default a quarter of the claims)."""
    patients = patients or max(1, claims // VISITS)
    return {
        "Patient": [
            {
                "resourceType": "Patient",
                "id": f"p{i}",
                "identifier": [{"system": "urn:bench:mrn", "value": f"MBR{i:06d}"}],
                "name": [{"family": "Bench", "given": ["Patient"]}],
                "birthDate": "1950-01-01",
            }
            for i in range(patients)
        ],
        "Organization": [
            {
                "resourceType": "Organization",
                "id": "payer",
                "name": "Medicare Part B",
                "identifier": [{"value": "00952"}],
            }
        ],
        "Practitioner": [
            {
                "resourceType": "Practitioner",
                "id": "doc",
                "identifier": [{"system": "http://hl7.org/fhir/sid/us-npi", "value": "1234567893"}],
            }
        ],
        "Coverage": [
            {
                "resourceType": "Coverage",
                "id": "cov",
                "status": "active",
                "beneficiary": {"reference": "Patient/p0"},
                "payor": [{"reference": "Organization/payer"}],
                "type": {"coding": [{"system": "https://nahdo.org/sopt", "code": "121"}]},
            }
        ],
        "ExplanationOfBenefit": [_eob(n, n // VISITS, 1 + n % VISITS) for n in range(claims)],
    }


def write_bulk(folder: Path, data: dict[str, list[dict[str, Any]]]) -> Path:
    folder.mkdir(parents=True)
    for kind, items in data.items():
        (folder / f"{kind}.ndjson").write_text("".join(json.dumps(r) + "\n" for r in items))
    return folder


def write_bundle(path: Path, data: dict[str, list[dict[str, Any]]]) -> Path:
    entries = [{"resource": r} for items in data.values() for r in items]
    path.write_text(json.dumps({"resourceType": "Bundle", "type": "collection", "entry": entries}))
    return path


def best(fn: Callable[[], int], repeat: int) -> tuple[float, int]:
    times = []
    count = 0
    for _ in range(repeat):
        gc.collect()
        start = time.perf_counter()
        count = fn()
        times.append(time.perf_counter() - start)
    return min(times), count


def peak(fn: Callable[[], int]) -> float:
    gc.collect()
    tracemalloc.start()
    fn()
    _, top = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    return top / 2**20


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--claims", type=int, default=1000)
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()
    ruleset = load_ruleset()
    with tempfile.TemporaryDirectory() as tmp:
        root = Path(tmp)
        data = resources(args.claims)
        bulk = write_bulk(root / "export", data)
        bundle = write_bundle(root / "bundle.json", data)
        patients = len(data["Patient"])
        large = write_bulk(root / "export4", resources(4 * args.claims, patients))

        def read(path: Path) -> Callable[[], int]:
            return lambda: sum(1 for _ in read_inputs([str(path)]))

        def lint(path: Path) -> Callable[[], int]:
            return lambda: run(read_inputs([str(path)]), ruleset).summary.encounters

        read(bundle)()  # import fhir.resources and the models once, outside the timings
        rows = []
        for name, path in (("bundle", bundle), ("bulk", bulk)):
            t_read, n = best(read(path), args.repeat)
            t_lint, _ = best(lint(path), args.repeat)
            rows.append((name, n, t_read, t_lint))
        print(f"{args.claims:,} ExplanationOfBenefits, {len(data['Patient']):,} patients")
        base_read, base_lint = rows[0][2], rows[0][3]
        for name, n, t_read, t_lint in rows:
            print(
                f"  {name:6} {n:6,} encounters  read {n / t_read:8,.0f}/s "
                f"({t_read / base_read:4.2f}x bundle time)  read+lint {n / t_lint:8,.0f}/s "
                f"({t_lint / base_lint:4.2f}x)"
            )
        m_bundle = peak(read(bundle))
        m_bulk = peak(read(bulk))
        m_large = peak(read(large))
        print(
            f"  peak memory: bundle {m_bundle:.1f} MiB, bulk {m_bulk:.1f} MiB "
            f"({m_bulk / m_bundle:.2f}x), bulk with 4x the claims {m_large:.1f} MiB "
            f"({m_large / m_bulk:.2f}x the bulk peak)"
        )


if __name__ == "__main__":
    main()
