"""Claims that amend others in one 837 file (b12lint.readers.x12_amend): a void (CLM05-3 8)
is counted, not judged; a replacement (7) supersedes its original earlier in the file; a CLM01
reused for another date of service (an account number) is read with the date in its id."""

from __future__ import annotations

import datetime as dt
import io

import x12i_build as x12i
from x12_build import Subscriber, b12_claim, interchange

from b12lint.model import InputError, Record
from b12lint.readers.stats import collecting
from b12lint.readers.x12 import read_x12
from b12lint.readers.x12_amend import Amendments


def read(text: str) -> tuple[list[Record | InputError], dict[str, int], list[str]]:
    with collecting() as stats:
        items = list(read_x12(io.BytesIO(text.encode("latin-1")), "t.837"))
    return items, dict(stats.not_judged), list(stats.notes)


def file_of(*claims: dict[str, object]) -> str:
    return interchange([[Subscriber(claims=list(claims))]])


def records(items: list[Record | InputError]) -> list[tuple[str, str, float]]:
    return [
        (
            i.encounter["encounter_id"],
            str(i.encounter["date_of_service"]),
            i.encounter["lines"][0]["units"],
        )
        for i in items
        if isinstance(i, Record)
    ]


def test_a_void_is_counted_not_read():
    items, not_judged, _ = read(file_of(b12_claim("A1"), b12_claim("V1", frequency="8")))
    assert records(items) == [("A1", "2026-03-02", 1)]
    assert not_judged == {"void claim": 1}
    assert [i for i in items if isinstance(i, InputError)] == []


def test_a_void_bill_837i_type_of_bill_xx8_is_counted_not_read():
    text = x12i.interchange(
        [[Subscriber(claims=[x12i.b12_claim("I1"), x12i.b12_claim("I2", type_of_bill="138")])]]
    )
    items, not_judged, _ = read(text)
    assert [i.encounter["encounter_id"] for i in items if isinstance(i, Record)] == ["I1"]
    assert not_judged == {"void claim": 1}


def test_a_replacement_supersedes_its_original_earlier_in_the_file():
    original = b12_claim("A1")
    original["lines"][0]["units"] = 2
    text = file_of(original, b12_claim("B1", "20260303"), b12_claim("A1", frequency="7"))
    items, not_judged, _ = read(text)
    assert records(items) == [("B1", "2026-03-03", 1), ("A1", "2026-03-02", 1)]
    assert not_judged == {"replaced claim": 1}
    assert [i for i in items if isinstance(i, InputError)] == []


def test_a_replacement_whose_original_is_not_in_the_file_is_judged():
    items, not_judged, _ = read(file_of(b12_claim("A1", frequency="7")))
    assert records(items) == [("A1", "2026-03-02", 1)]
    assert not_judged == {}


def test_a_void_of_a_claim_earlier_in_the_file_drops_both():
    items, not_judged, _ = read(
        file_of(b12_claim("A1"), b12_claim("B1"), b12_claim("A1", frequency="8"))
    )
    assert records(items) == [("B1", "2026-03-02", 1)]
    assert not_judged == {"void claim": 1, "voided claim": 1}


def test_a_reused_clm01_with_another_date_is_read_with_the_date_in_its_id():
    items, _, notes = read(file_of(b12_claim("ACCT-1", "20260202"), b12_claim("ACCT-1")))
    assert records(items) == [("ACCT-1", "2026-02-02", 1), ("ACCT-1@2026-03-02", "2026-03-02", 1)]
    assert len(notes) == 1
    assert "1 claim repeats the CLM01" in notes[0]
    assert "'ACCT-1@2026-03-02'" in notes[0]


def test_the_same_clm01_on_the_same_date_stays_a_duplicate():
    items, _, notes = read(file_of(b12_claim("A1"), b12_claim("A1")))
    # both records are given: the engine reports the second as a duplicate id (B12-INPUT-003)
    assert [r[0] for r in records(items)] == ["A1", "A1"]
    assert notes == []


def test_items_leave_in_file_order_and_a_claim_beyond_the_window_is_not_superseded():
    amend = Amendments("t.837", window=2)
    out: list[object] = []
    for name in ("a", "b", "c"):
        out += amend.push(name, clm01=name.upper())  # type: ignore[arg-type]
    assert out == ["a"]  # the window holds two claims
    assert amend.encounter_id("A", "7", dt.date(2026, 3, 2)) == "A"
    out += amend.push("error")  # type: ignore[arg-type]
    out += amend.flush()
    assert out == ["a", "b", "c", "error"]
