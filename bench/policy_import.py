"""Cost of ``b12lint data import`` on large files in the published layouts.

Writes, in a temporary folder: a practitioner PTP file in the quarterly TXT layout with --pairs
synthetic rows (three of them about the B12 pack's codes), and an ICD-10-CM order file of the
whole shipped FY2026 code set (98,186 codes). Each is timed against a baseline measured in the
same run: reading the file and splitting its lines into fields (PTP) or columns (order file),
the floor any parser pays. Then the whole import into a copy of b12-core (parse, filter,
versions, YAML or code set written). Best of --repeat runs each (the machine is shared:
minimums are the stable figure); the process's memory peak is printed last.

    python bench/policy_import.py [--pairs 300000] [--repeat 3]
"""

from __future__ import annotations

import argparse
import resource
import shutil
import tempfile
import time
from collections import deque
from collections.abc import Callable
from pathlib import Path

from b12lint.domain.icd10 import _iter_table
from b12lint.policy import run_import
from b12lint.policy.icd10cm_order import parse_order_file
from b12lint.policy.ptp import iter_ptp

ROOT = Path(__file__).resolve().parents[1]
HEADER = (
    "Column 1\tColumn 2\t* = In existence prior to 1996\tEffective Date\t"
    "Deletion Date *=no data\tModifier 0=not allowed 1=allowed 9=not applicable\t"
    "PTP Edit Rationale"
)
B12_ROWS = [
    "96372\t99211\t\t20130101\t*\t0\tCPT Manual or CMS manual coding instructions",
    "96372\t99212\t\t20130101\t*\t1\tCPT Manual or CMS manual coding instructions",
    "96374\t96372\t\t20090101\t*\t1\tStandards of medical / surgical practice",
]


def best(repeat: int, action: Callable[[], object]) -> float:
    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        action()
        times.append(time.perf_counter() - start)
    return min(times)


def write_ptp(path: Path, pairs: int) -> None:
    """Written a line at a time: the generator must not be what the memory peak measures."""
    with path.open("w", encoding="ascii") as out:
        out.write("PTP edits for practitioner services (synthetic, published layout)\n\n")
        out.write(HEADER + "\n")
        out.writelines(row + "\n" for row in B12_ROWS)
        for i in range(pairs - len(B12_ROWS)):
            first = f"{10000 + i // 40:05d}"
            second = f"{20000 + (i % 40) * 1777:05d}"  # unique within a column 1 code
            deletion = "*" if i % 5 else "20201231"
            out.write(
                f"{first}\t{second}\t\t20090101\t{deletion}\t{i % 2}\tMisuse of column two code\n"
            )


def write_order(path: Path) -> int:
    count = 0
    with path.open("w", encoding="ascii") as out:
        for i, (code, billable) in enumerate(sorted(_iter_table()), start=1):
            title = f"Title of {code}"
            out.write(f"{i:05d} {code:<7} {int(billable)} {title:<60} Long title of {code}\n")
            count += 1
    return count


def split_floor(path: Path, sep: str | None) -> int:
    count = 0
    with path.open(encoding="ascii") as handle:
        for line in handle:
            fields = line.rstrip("\n").split(sep) if sep else [line[0:5], line[6:13], line[14]]
            count += len(fields)
    return count


def import_into_copy(kind: str, path: Path, effective: str | None) -> None:
    with tempfile.TemporaryDirectory() as folder:
        pack = Path(folder) / "pack"
        shutil.copytree(ROOT / "rules" / "b12-core", pack)
        run_import(kind, [path], pack, effective)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--pairs", type=int, default=300_000)
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as folder:
        ptp = Path(folder) / "ccipra-v304r0-f1.txt"
        write_ptp(ptp, args.pairs)
        order = Path(folder) / "icd10cm_order_2026.txt"
        codes = write_order(order)
        rows = [
            (
                "PTP file",
                args.pairs,
                ptp,
                "\t",
                lambda: deque(iter_ptp(ptp), maxlen=0),
                lambda: import_into_copy("ptp-practitioner", ptp, "2024-10-01"),
            ),
            (
                "ICD-10-CM order file",
                codes,
                order,
                None,
                lambda: parse_order_file(order),
                lambda: import_into_copy("icd10cm", order, None),
            ),
        ]
        heads = ("rows", "floor", "parse", "ratio", "import", "ratio")
        print(f"{'file':<22} " + " ".join(f"{h:>9}" for h in heads))
        peak = 0
        for name, count, path, sep, parse, full in rows:
            floor = best(args.repeat, lambda p=path, s=sep: split_floor(p, s))
            parsed = best(args.repeat, parse)
            imported = best(args.repeat, full)
            peak = max(peak, resource.getrusage(resource.RUSAGE_SELF).ru_maxrss)
            print(
                f"{name:<22} {count:>9} {floor:>8.3f}s {parsed:>8.3f}s {parsed / floor:>8.1f}x "
                f"{imported:>8.3f}s {imported / floor:>8.1f}x  ({parsed * 1e6 / count:.2f} us/row)"
            )
        print(f"peak resident memory of the process: {peak // 1024} MB")


if __name__ == "__main__":
    main()
