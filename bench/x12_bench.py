"""Benchmark: read + lint a 10,000-claim 837P file, next to pyx12 validating the same file.

    python bench/x12_bench.py [--claims 10000] [--repeat 3] [--no-pyx12] [--baseline TREE]

Writes a valid 005010X222A1 file (B12 claims of 2,500 patients, four monthly claims each,
with a J3420 + NDC line and a 96372 line; a tenth of them with a deliberate defect) to a
temporary folder, then times in this one process:

- ``read``: the b12lint 837P reader alone (records validated into the native model);
- ``read+lint``: reader and the built-in rule pack, as ``b12lint check`` runs them;
- ``pyx12``: ``pyx12.x12n_document`` validating the file (the structural validator).

b12lint figures are the best of ``--repeat`` runs (the machine is shared); pyx12 runs once.
Ratios are against pyx12 measured in the same run.

``--baseline TREE`` (a checkout or ``git archive`` of another version, e.g. ``git archive
main | tar -x -C /tmp/base``) also times the 837P and 837I readers of that tree against this
tree's, each in a fresh process with its tree first on ``PYTHONPATH`` (same interpreter and
dependencies), interleaved, best CPU time of ``--repeat``.
"""

from __future__ import annotations

import argparse
import io
import logging
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from b12lint.engine import load_ruleset, run
from b12lint.readers.x12 import read_x12

CLAIMS_PER_PATIENT = 4


def _seg(*elements: str) -> str:
    return "*".join(elements) + "~\n"


def claim(number: int, patient: int, month: int) -> str:
    cid = f"CLM{number:06d}"
    date = f"2026{month:02d}0{1 + patient % 9}"
    units = "2" if number % 10 == 3 else "1"  # a units defect on a tenth of the claims
    out = [
        _seg("CLM", cid, "37.00", "", "", "11:B:1", "Y", "A", "Y", "Y"),
        _seg("HI", "ABK:D510", "ABF:K900"),
        _seg("NM1", "82", "1", "SMITH", "ANNA", "", "", "", "XX", "1234567893"),
        _seg("LX", "1"),
        _seg("SV1", "HC:J3420:JZ", "12.00", "UN", units, "", "", "1:2"),
        _seg("DTP", "472", "D8", date),
        _seg("LIN", "", "N4", "00517003101"),
        _seg("CTP", "", "", "", "1", "ML"),
        _seg("LX", "2"),
        _seg("SV1", "HC:96372", "25.00", "UN", "1", "", "", "1"),
        _seg("DTP", "472", "D8", date),
    ]
    return "".join(out)


def make_file(path: Path, claims: int) -> None:
    body = [
        _seg("BHT", "0019", "00", "BATCH1", "20260701", "1200", "CH"),
        _seg("NM1", "41", "2", "CLINIC BILLING", "", "", "", "", "46", "TGJ23"),
        _seg("PER", "IC", "JERRY", "TE", "3055552222"),
        _seg("NM1", "40", "2", "MEDICARE", "", "", "", "", "46", "00952"),
        _seg("HL", "1", "", "20", "1"),
        _seg("NM1", "85", "2", "B12 CLINIC", "", "", "", "", "XX", "1234567893"),
        _seg("N3", "1 MAIN ST"),
        _seg("N4", "MIAMI", "FL", "33111"),
        _seg("REF", "EI", "123456789"),
    ]
    number = 0
    hl = 1
    patient = 0
    while number < claims:
        hl += 1
        patient += 1
        body += [
            _seg("HL", str(hl), "1", "22", "0"),
            _seg("SBR", "P", "18", "", "", "", "", "", "", "MB"),
            _seg("NM1", "IL", "1", "DOE", "JANE", "", "", "", "MI", f"MBR{patient:06d}"),
            _seg("N3", "2 OAK ST"),
            _seg("N4", "MIAMI", "FL", "33111"),
            _seg("DMG", "D8", "19500101", "F"),
            _seg("NM1", "PR", "2", "MEDICARE PART B", "", "", "", "", "PI", "00952"),
        ]
        for month in range(1, CLAIMS_PER_PATIENT + 1):
            if number >= claims:
                break
            number += 1
            body.append(claim(number, patient, month))
    segments = "".join(body)
    count = segments.count("~") + 2
    isa = (
        "ISA*00*          *00*          *ZZ*SUBMITTER      *ZZ*RECEIVER       "
        "*260701*1200*^*00501*000000001*0*T*:~\n"
    )
    text = (
        isa
        + _seg("GS", "HC", "SUBMITTER", "RECEIVER", "20260701", "1200", "1", "X", "005010X222A1")
        + _seg("ST", "837", "0001", "005010X222A1")
        + segments
        + _seg("SE", str(count), "0001")
        + _seg("GE", "1", "1")
        + _seg("IEA", "1", "000000001")
    )
    path.write_text(text, encoding="ascii")


def best_of(repeat: int, fn) -> tuple[float, object]:  # type: ignore[no-untyped-def]
    best = float("inf")
    result: object = None
    for _ in range(repeat):
        start = time.perf_counter()
        result = fn()
        best = min(best, time.perf_counter() - start)
    return best, result


#: Run in a fresh process: the CPU seconds of reading the file, best of N.
_READ_ONLY = """
import sys, time
from b12lint.readers.x12 import read_x12
best = float("inf")
for _ in range(int(sys.argv[2])):
    start = time.process_time()
    with open(sys.argv[1], "rb") as handle:
        count = sum(1 for _ in read_x12(handle, "f.837"))
    best = min(best, time.process_time() - start)
print(best, count)
"""


def read_in(tree: Path, path: Path, repeat: int) -> tuple[float, int]:
    """(best CPU seconds, items) of ``tree``'s X12 reader on ``path``, in a fresh process."""
    env = {k: v for k, v in os.environ.items() if not k.startswith("B12LINT_")}
    env["PYTHONPATH"] = str(tree)
    done = subprocess.run(
        [sys.executable, "-c", _READ_ONLY, str(path), str(repeat)],
        env=env,
        cwd=tree,
        capture_output=True,
        text=True,
        check=True,
    )
    seconds, count = done.stdout.split()
    return float(seconds), int(count)


def compare_trees(baseline: Path, files: dict[str, Path], claims: int, repeat: int) -> None:
    """This tree's 837 readers against ``baseline``'s, interleaved, best of ``repeat``."""
    here = Path(__file__).resolve().parents[1]
    for label, path in files.items():
        best = {"baseline": float("inf"), "this tree": float("inf")}
        counts = {}
        for _ in range(repeat):
            for name, tree in (("baseline", baseline), ("this tree", here)):
                took, counts[name] = read_in(tree, path, 1)
                best[name] = min(best[name], took)
        if counts["baseline"] != counts["this tree"]:
            raise SystemExit(f"{label}: the trees read different numbers of items: {counts}")
        base, this = best["baseline"], best["this tree"]
        print(
            f"{label} read, CPU: baseline {base / claims * 1e6:.1f} µs/claim, this tree "
            f"{this / claims * 1e6:.1f} µs/claim, ratio {this / base:.2f}"
        )


def pyx12_validate(path: Path) -> tuple[float, bool]:
    import pyx12.params
    import pyx12.x12n_document

    logging.getLogger("pyx12").setLevel(logging.CRITICAL)
    start = time.perf_counter()
    valid = pyx12.x12n_document.x12n_document(
        param=pyx12.params.params(), src_file=str(path), fd_997=io.StringIO(), fd_html=None
    )
    return time.perf_counter() - start, bool(valid)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--claims", type=int, default=10_000)
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--no-pyx12", action="store_true")
    parser.add_argument("--baseline", type=Path, help="another tree's readers to compare")
    args = parser.parse_args()
    ruleset = load_ruleset()
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "bench.837"
        make_file(path, args.claims)
        size = path.stat().st_size

        def read_only() -> int:
            with path.open("rb") as handle:
                return sum(1 for _ in read_x12(handle, path.name))

        def read_lint() -> tuple[int, int]:
            with path.open("rb") as handle:
                result = run(read_x12(handle, path.name), ruleset)
            return result.summary.encounters, len(result.findings)

        read_s, count = best_of(args.repeat, read_only)
        lint_s, (encounters, findings) = best_of(args.repeat, read_lint)  # type: ignore[misc]
        print(f"file: {args.claims:,} claims, {size / 1e6:.1f} MB")
        print(f"read       {read_s:7.3f} s  {args.claims / read_s:10,.0f} claims/s ({count} items)")
        print(
            f"read+lint  {lint_s:7.3f} s  {args.claims / lint_s:10,.0f} claims/s "
            f"({encounters} encounters, {findings} findings)"
        )
        if args.baseline is not None:
            from read_formats import as_837i  # type: ignore[import-not-found]

            institutional = Path(tmp) / "bench-i.837"
            institutional.write_text(as_837i(path.read_text()), encoding="ascii")
            files = {"837P": path, "837I": institutional}
            compare_trees(args.baseline, files, args.claims, args.repeat)
        if args.no_pyx12:
            return
        pyx_s, valid = pyx12_validate(path)
        print(f"pyx12      {pyx_s:7.3f} s  {args.claims / pyx_s:10,.0f} claims/s (valid: {valid})")
        print(f"ratio read/pyx12 {pyx_s / read_s:.1f}x, read+lint/pyx12 {pyx_s / lint_s:.1f}x")


if __name__ == "__main__":
    main()
