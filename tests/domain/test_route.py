"""normalize_route."""

import pytest
from hypothesis import given
from hypothesis import strategies as st

from b12lint.domain import (
    IM,
    INJECTABLE,
    IV,
    NASAL,
    PO,
    SC,
    SELF_ADMINISTERED,
    SL,
    UNKNOWN,
    normalize_route,
)


def test_constants() -> None:
    routes = [IM, SC, IV, PO, SL, NASAL, UNKNOWN]
    assert routes == ["IM", "SC", "IV", "PO", "SL", "NASAL", "UNKNOWN"]
    assert frozenset({IM, SC, IV}) == INJECTABLE
    assert frozenset({PO, SL, NASAL}) == SELF_ADMINISTERED
    assert not INJECTABLE & SELF_ADMINISTERED


@pytest.mark.parametrize(
    ("value", "route"),
    [
        ("IM", IM),
        ("im", IM),
        (" Im ", IM),
        ("I.M.", IM),
        ("intramuscular", IM),
        ("Intramuscularly", IM),
        ("intramuscular injection", IM),
        ("IM injection", IM),
        ("deep IM", IM),
        ("Deep intramuscular", IM),
        ("SC", SC),
        ("s.c.", SC),
        ("SQ", SC),
        ("subq", SC),
        ("sub-q", SC),
        ("Sub-Q", SC),
        ("sub q", SC),
        ("subcut", SC),
        ("subcutaneous", SC),
        ("subcutaneously", SC),
        ("deep subcutaneous", SC),
        ("subcutaneous injection", SC),
        ("IV", IV),
        ("i.v.", IV),
        ("intravenous", IV),
        ("IV push", IV),
        ("IV infusion", IV),
        ("PO", PO),
        ("p.o.", PO),
        ("oral", PO),
        ("Orally", PO),
        ("by mouth", PO),
        ("SL", SL),
        ("sublingual", SL),
        ("nasal", NASAL),
        ("IN", NASAL),
        ("intranasal", NASAL),
        ("nasal spray", NASAL),
        ("Nasal Spray", NASAL),
        ("78421000", IM),
        (78421000, IM),
        ("34206005", SC),
        (34206005, SC),
        ("47625008", IV),
        (47625008, IV),
        ("26643006", PO),
        (26643006, PO),
        ("46713006", NASAL),
        (46713006, NASAL),
        ("37839007", SL),
        (37839007, SL),
        (" 78421000 ", IM),
        # an EHR pick-list's route with its own abbreviation
        ("Intramuscular (IM)", IM),
        ("Subcutaneous (SC)", SC),
        ("subcut/SQ", SC),
        ("Intravenous (IV)", IV),
        ("Oral (PO)", PO),
        ("Intramuscular (IM) - L deltoid", IM),
        # site abbreviations and the needle charted after the route
        ("IM R VL", IM),
        ("IM - LUOQ", IM),
        ("IM L DG", IM),
        ('IM, L delt, 1" needle', IM),
        ("IM 23g 1in", IM),
        ("IM - L deltoid - 25G 1 inch", IM),
        ("SQ LLQ", SC),
    ],
)
def test_known_routes_plain(value: object, route: str) -> None:
    assert normalize_route(value) == route


@pytest.mark.parametrize("value", [None, "", "   ", "-", [], {}, ()])
def test_missing(value: object) -> None:
    assert normalize_route(value) is None


@pytest.mark.parametrize(
    "value",
    [
        "topical",
        "injection",
        "left deltoid",
        "deltoid IM or SC",
        "IM (SC)",
        "Intramuscular (SC)",
        "IV IM",
        "23g",
        "PO 1",
        "IM or SC 1",
        "shot in arm",
        "nasal in left nostril",
        "PO left",
        "IM (L deltoid) then oral",
        "IM " + "x" * 300,
        "intradermal",
        "12345678",
        12345678,
        78421000.0,
        True,
        False,
        ["IM"],
        {"code": "78421000"},
        "IM or SC",
    ],
)
def test_unknown(value: object) -> None:
    assert normalize_route(value) == UNKNOWN


@pytest.mark.parametrize(
    ("value", "route"),
    [
        ("IM (L deltoid)", IM),
        ("IM (R deltoid)", IM),
        ("IM - right gluteal", IM),
        ("IM left deltoid", IM),
        ("im, left deltoid", IM),
        ("deep IM, R ventrogluteal", IM),
        ("intramuscular injection to the left deltoid", IM),
        ("IM into R vastus lateralis", IM),
        ("SQ abdomen", SC),
        ("subQ L upper arm", SC),
        ("Sub-Q, back of arm", SC),
        ("IV R arm", IV),
        ("IM x1", IM),
        ("Deltoid IM", IM),
        ("IM (Lt deltoid)", IM),
        ("IM in right vastus lateralis", IM),
    ],
)
def test_routes_charted_with_a_site(value: str, route: str) -> None:
    """An injection site after an injectable route is dropped; the route is kept."""
    assert normalize_route(value) == route


def test_in_alone_is_nasal_but_a_connector_after_a_route() -> None:
    assert normalize_route("IN") == NASAL
    assert normalize_route("IM in L deltoid") == IM


@given(st.text(max_size=300))
def test_never_raises_on_any_text(text: str) -> None:
    assert normalize_route(text) in {IM, SC, IV, PO, SL, NASAL, UNKNOWN, None}


def test_bounded_time_on_long_site_text() -> None:
    import time

    worst = ["IM " + "left deltoid " * 15, "IM" + " (L)" * 49, "a " * 150, "IM " + "l " * 98]
    start = time.process_time()
    for text in worst:
        normalize_route(text + " ")  # past the cache
    assert time.process_time() - start < 0.5
