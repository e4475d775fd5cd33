"""The X12 837P reader: fixtures that pyx12 validates, broken files, the reference examples."""

from __future__ import annotations

import datetime as dt
import io
from pathlib import Path

import pytest
from x12_build import Delims, Subscriber, b12_claim, interchange

from b12lint.engine import load_ruleset, run
from b12lint.model import InputError, Record
from b12lint.readers import read_inputs
from b12lint.readers.x12 import read_x12
from b12lint.readers.x12_segments import Segment, iter_segments, parse_isa


def read(text: str | bytes, file: str = "t.837") -> list[Record | InputError]:
    data = text.encode("latin-1") if isinstance(text, str) else text
    return list(read_x12(io.BytesIO(data), file))


def records(items: list[Record | InputError]) -> list[Record]:
    return [i for i in items if isinstance(i, Record)]


def errors(items: list[Record | InputError]) -> list[InputError]:
    return [i for i in items if isinstance(i, InputError)]


def batch() -> list[list[Subscriber]]:
    """Two transactions: three claims of two subscribers, then one claim."""
    second = b12_claim("CLM0002", "20260330")
    second["lines"][0]["modifiers"] = ["JZ"]
    second["lines"].append(
        {"code": "99213", "units": 1, "charge": 90.0, "modifiers": ["25"], "dx_pointers": [1, 2]}
    )
    second["diagnoses"] = ["D510", "K900"]
    return [
        [
            Subscriber(claims=[b12_claim("CLM0001"), second]),
            Subscriber(member_id="MBR0002", last="ROE", claims=[b12_claim("CLM0003")]),
        ],
        [Subscriber(member_id="MBR0003", filing="CI", claims=[b12_claim("CLM0004")])],
    ]


UNUSUAL = [
    Delims(),
    Delims("|", ">", "!", "\n", ""),
    Delims("^", "\\", "{", "'", "\r\n"),
]


@pytest.mark.parametrize("delims", UNUSUAL, ids=["usual", "pipe-newline", "caret-quote"])
def test_fixture_is_valid_837p_and_reads_every_claim(tmp_path, delims, assert_pyx12_valid):
    path = tmp_path / "batch.837"
    path.write_text(interchange(batch(), delims), encoding="latin-1")
    assert_pyx12_valid(path)
    items = list(read_inputs([str(path)]))
    assert errors(items) == []
    got = records(items)
    assert [r.encounter["encounter_id"] for r in got] == [
        "CLM0001",
        "CLM0002",
        "CLM0003",
        "CLM0004",
    ]
    assert all(not r.has_chart for r in got)
    second = got[1].encounter
    assert second["date_of_service"] == dt.date(2026, 3, 30)
    assert second["diagnoses"] == ["D510", "K900"]
    assert second["payer"] == {"id": "00952", "name": "MEDICARE PART B", "type": "medicare"}
    assert second["patient_id"] == "MBR0001"
    assert second["rendering_npi"] == "1234567893"
    assert second["place_of_service"] == "11"
    drug, admin, em = second["lines"]
    assert drug["code"] == "J3420" and drug["modifiers"] == ["JZ"]
    assert drug["ndc"] == "00517003101" and drug["ndc_quantity"] == 1 and drug["ndc_unit"] == "ML"
    assert drug["units"] == 1 and drug["dx_pointers"] == [1] and drug["charge"] == 12.0
    assert admin["code"] == "96372" and "ndc" not in admin
    assert em["modifiers"] == ["25"] and em["dx_pointers"] == [1, 2]
    assert got[3].encounter["payer"]["type"] == "commercial"


def test_records_are_located_at_their_clm_segment():
    text = interchange(batch(), Delims(newline="\n"))
    lines = text.splitlines()
    clm_lines = [i + 1 for i, line in enumerate(lines) if line.startswith("CLM*")]
    got = records(read(text))
    assert [r.source.line for r in got] == clm_lines
    # Without line breaks the segment number is the same.
    flat = records(read(interchange(batch(), Delims(newline=""))))
    assert [r.source.line for r in flat] == clm_lines


def test_several_interchanges_with_their_own_delimiters(tmp_path, assert_pyx12_valid):
    first = interchange([[Subscriber(claims=[b12_claim("A1")])]], Delims(), control="000000001")
    second = interchange(
        [[Subscriber(claims=[b12_claim("B1"), b12_claim("B2", "20260401")])]],
        Delims("|", ">", "!", "\n", ""),
        control="000000002",
    )
    path = tmp_path / "two.837"
    path.write_text(first + second, encoding="latin-1")
    items = read(first + second)
    assert errors(items) == []
    assert [r.encounter["encounter_id"] for r in records(items)] == ["A1", "B1", "B2"]
    assert_pyx12_valid(path)


def test_truncated_file_reports_the_cut_claim_and_keeps_the_others():
    text = interchange(batch())
    cut = text.index("CLM*CLM0003") + 60  # inside the third claim
    items = read(text[:cut])
    assert [r.encounter["encounter_id"] for r in records(items)] == ["CLM0001", "CLM0002"]
    (error,) = errors(items)
    assert error.encounter_id == "CLM0003"
    assert error.rule_id == "B12-INPUT-002"
    clm_segment = text[:cut].count("~", 0, text.index("CLM*CLM0003")) + 1
    assert error.source.line == clm_segment
    assert "cut off at segment" in error.message and "truncated" in error.message
    assert "MBR0002" not in error.message and "ROE" not in error.message  # no PHI


def test_file_cut_between_claims_reports_the_open_transaction_once():
    text = interchange(batch())
    cut = text.index("SE*")  # the first transaction loses its SE and everything after
    items = read(text[:cut])
    assert len(records(items)) == 2  # CLM0001, CLM0002 ended by the next CLM / HL
    (error,) = errors(items)
    assert error.encounter_id == "CLM0003" and "cut off" in error.message


def test_truncated_isa_header():
    items = read(interchange(batch())[:50])
    (error,) = errors(items)
    assert "truncated" in error.message and error.source.line == 1
    assert records(items) == []


def test_wrong_element_separator_is_one_input_error():
    text = interchange(batch())
    head, rest = text[:106], text[106:]
    items = read(head + rest.replace("*", "|"))  # the ISA still declares '*'
    assert records(items) == []
    (error,) = errors(items)
    assert error.source.line == 2
    assert "delimiters its ISA declares" in error.message and "'*'" in error.message


def test_wrong_segment_terminator_is_an_input_error():
    text = interchange(batch(), Delims(newline="\n"))
    head, rest = text[:106], text[106:]
    items = read(head + rest.replace("~", ""))  # segments end with line breaks only
    assert records(items) == []
    assert len(errors(items)) == 1
    assert "no terminator" in errors(items)[0].message


def test_not_x12_at_all():
    items = read(b'{"encounter_id": "E1"}\n')
    (error,) = errors(items)
    assert "not an X12 interchange" in error.message


def test_bad_units_make_one_claim_an_input_error():
    text = interchange(batch()).replace("SV1*HC:96372*25.00*UN*1", "SV1*HC:96372*25.00*UN*ONE", 1)
    items = read(text)
    (error,) = errors(items)
    assert error.encounter_id == "CLM0001"
    assert error.pointer == "/lines/1/units"
    assert "SV104" in error.message
    assert len(records(items)) == 3


def test_bad_date_and_pointer():
    bad_date = interchange(batch()).replace("DTP*472*D8*20260302", "DTP*472*D8*20261340", 1)
    (error,) = errors(read(bad_date))
    assert "DTP03" in error.message and error.encounter_id == "CLM0001"
    bad_pointer = interchange(batch()).replace("UN*1***1~", "UN*1***X~", 1)
    (error,) = errors(read(bad_pointer))
    assert "SV107" in error.message and error.pointer == "/lines/0/dx_pointers"


def test_envelope_counts_and_control_numbers_are_checked():
    text = interchange(batch())
    text = text.replace("SE*", "SE*9", 1).replace("IEA*1*000000001", "IEA*1*000000009")
    items = read(text)
    assert len(records(items)) == 4
    messages = [e.message for e in errors(items)]
    assert any("SE01" in m for m in messages)
    assert any("IEA02" in m for m in messages)


@pytest.mark.parametrize(
    ("version", "says"),
    [
        ("005010X224A2", "not an 837P or 837I"),  # 837D (dental): an 837 b12lint does not read
        ("005010X223A2", "SV1 is an 837P service line, not one of an 837I"),  # mislabelled
    ],
)
def test_a_transaction_that_is_not_read_as_declared_is_an_error_the_others_are_read(version, says):
    text = interchange(batch()).replace("ST*837*0002*005010X222A1", f"ST*837*0002*{version}")
    items = read(text)
    assert [r.encounter["encounter_id"] for r in records(items)] == [
        "CLM0001",
        "CLM0002",
        "CLM0003",
    ]
    (error,) = errors(items)
    assert says in error.message and (version in error.message or error.encounter_id == "CLM0004")


def test_x222a2_and_rd8_ranges():
    claim = b12_claim("R1", "20260302-20260306")
    text = interchange([[Subscriber(claims=[claim])]], version="005010X222A2")
    (record,) = records(read(text))
    assert record.encounter["date_of_service"] == dt.date(2026, 3, 2)


def test_base_x222_of_the_x12_examples_is_read_as_837p():
    """X12's published 837P examples declare the base guide 005010X222 (A1 is its errata)."""
    claim = b12_claim("B1")
    (record,) = records(read(interchange([[Subscriber(claims=[claim])]], version="005010X222")))
    assert record.encounter["encounter_id"] == "B1"
    assert record.encounter["claim_type"] == "professional"


def test_missing_st03_takes_the_guide_from_gs08():
    text = interchange([[Subscriber(claims=[b12_claim("G1")])]])
    assert "ST*837*0001*005010X222A1~" in text
    text = text.replace("ST*837*0001*005010X222A1~", "ST*837*0001~")
    items = read(text)
    assert [r.encounter["encounter_id"] for r in records(items)] == ["G1"]
    assert not errors(items)
    # neither ST03 nor a GS08 the reader knows: still a reported, skipped transaction
    gs08_dental = text.replace("*X*005010X222A1~", "*X*005010X224A2~")
    assert gs08_dental != text
    (error,) = errors(read(gs08_dental))
    assert "not an 837P or 837I" in error.message


def test_dependent_patients_get_distinct_ids_without_names():
    text = interchange([[Subscriber(claims=[b12_claim("P1")])]])
    subscriber_loop = "HL*2*1*22*0~\n"
    dependent = (
        "HL*2*1*22*1~\n",
        "HL*3*2*23*0~\nPAT*19~\nNM1*QC*1*DOE*TIMMY~\nDMG*D8*20100101*M~\nCLM*P1*",
    )
    text = text.replace(subscriber_loop, dependent[0]).replace("CLM*P1*", dependent[1])
    text = text.replace("SE*", "SE*X", 1)  # counts no longer match: still read
    (record,) = records(read(text))
    patient = record.encounter["patient_id"]
    assert patient.startswith("MBR0001-") and "TIMMY" not in patient


def test_coordination_of_benefits_loops_do_not_replace_payer_or_rendering(shared_samples):
    path = shared_samples / "demo.cob.example3.A.837"
    (record,) = records(list(read_inputs([str(path)])))
    assert record.encounter["payer"]["name"] == "KEY INSURANCE COMPANY"
    assert record.encounter["rendering_npi"] == "1999996666"
    assert [line["code"] for line in record.encounter["lines"]] == ["99213", "90782", "J3301"]


def test_reference_examples_read_cleanly(shared_samples):
    paths = sorted(shared_samples.glob("*.837"))
    assert len(paths) == 18
    ruleset = load_ruleset()
    # the TR3's examples 1 and 2 bill visits on two dates on one claim: an encounter per date
    dates = {"demo.example1.837": 2, "demo.example2.837": 2}
    for path in paths:
        items = list(read_inputs([str(path)]))
        assert errors(items) == [], path.name
        assert len(records(items)) == dates.get(path.name, 1), path.name
        result = run(items, ruleset)
        assert result.findings == [], (path.name, result.findings)
        assert result.summary.encounters == dates.get(path.name, 1)


def test_published_component_separator_mismatch_is_read(shared_samples):
    # demo.example9.837 declares ':' in ISA16 but writes '>' and a pointer "1.00".
    (record,) = records(list(read_inputs([str(shared_samples / "demo.example9.837")])))
    line = record.encounter["lines"][0]
    assert line["code"] == "00142" and line["modifiers"] == ["QK", "QS", "P1"]
    assert line["dx_pointers"] == [1]
    assert record.encounter["place_of_service"] == "22"


def test_parse_isa_rejects_what_it_cannot_trust():
    good = interchange(batch())[:106]
    assert not isinstance(parse_isa(good), str)
    assert "truncated" in parse_isa(good[:80])
    assert "not distinct" in parse_isa(good[:104] + "*~")
    shifted = good[:8] + good[9:] + " "
    assert "fixed-length" in parse_isa(shifted)


def test_segments_cross_chunk_boundaries_and_tolerate_crlf(monkeypatch):
    from b12lint.readers import x12_segments

    monkeypatch.setattr(x12_segments, "_CHUNK", 7)
    text = interchange(batch(), Delims(newline="\r\n"))
    segments = [s for s in iter_segments(io.BytesIO(b"\xef\xbb\xbf" + text.encode()))]
    assert all(isinstance(s, Segment) for s in segments)
    assert [s.id for s in segments if isinstance(s, Segment)] == [
        line.split("*")[0] for line in text.split("~\r\n") if line
    ]


def test_input_format_is_detected_by_content(tmp_path):
    path = tmp_path / "claims.dat"
    path.write_text(interchange(batch()), encoding="latin-1")
    assert len(records(list(read_inputs([str(path)])))) == 4
    folder = tmp_path / "batch"
    folder.mkdir()
    (folder / "a.x12").write_text(interchange(batch()), encoding="latin-1")
    (folder / "b.edi").write_text(interchange(batch()), encoding="latin-1")
    assert len(records(list(read_inputs([str(folder)])))) == 8


def test_sample_837_is_valid(assert_pyx12_valid):
    assert_pyx12_valid(
        Path(__file__).resolve().parents[2] / "sample_claims" / "clinic-e-2026-06.837"
    )


def test_an_interchange_cut_by_the_next_isa_reports_the_open_claim():
    first = interchange([[Subscriber(claims=[b12_claim("A1")])]])
    second = interchange(
        [[Subscriber(claims=[b12_claim("B1")])]],
        Delims("|", ">", "!", "~", "\n"),
        control="000000002",
    )
    items = read(first[: first.index("SE*")] + second)
    assert [r.encounter["encounter_id"] for r in records(items)] == ["B1"]
    (error,) = errors(items)
    assert error.encounter_id == "A1" and "a new ISA starts" in error.message


def _noc_claim(claim_id: str, **extra: object) -> dict[str, object]:
    claim = b12_claim(claim_id, "20230615", **extra)
    claim["lines"][0] = {"code": "J3490", "units": 1, "ndc": "00591288830", "ndc_quantity": 1}
    return claim


def test_an_unlisted_drug_narrative_is_read_from_the_line_note_or_the_claim_note():
    line_note = _noc_claim("N1")
    line_note["lines"][0]["note"] = "HYDROXOCOBALAMIN 1000MCG IM"
    described = _noc_claim("N3", note="CLAIM NOTE")
    described["lines"][0]["description"] = "HYDROXOCOBALAMIN 1000 MCG"
    described["lines"][0]["note"] = "LINE NOTE"
    text = interchange(
        [[Subscriber(claims=[line_note, _noc_claim("N2", note="HYDROXOCOBALAMIN 1MG"), described])]]
    )
    got = {
        r.encounter["encounter_id"]: [line.get("description") for line in r.encounter["lines"]]
        for r in records(read(text))
    }
    assert got == {
        "N1": ["HYDROXOCOBALAMIN 1000MCG IM", None],
        # the claim note (item 19) names the unlisted drug only: 96372 gets no narrative
        "N2": ["HYDROXOCOBALAMIN 1MG", None],
        # SV101-7 comes first
        "N3": ["HYDROXOCOBALAMIN 1000 MCG", None],
    }


def test_a_line_place_of_service_sv105_is_read(tmp_path, assert_pyx12_valid):
    claim = b12_claim("S1")
    for line in claim["lines"]:
        line["place_of_service"] = "22"
    text = interchange([[Subscriber(claims=[claim, b12_claim("S2", "20260406")])]])
    path = tmp_path / "sv105.837"
    path.write_text(text, encoding="latin-1")
    assert_pyx12_valid(path)
    first, second = records(read(text))
    assert first.encounter["place_of_service"] == "11"
    assert [line.get("place_of_service") for line in first.encounter["lines"]] == ["22", "22"]
    assert [line.get("place_of_service") for line in second.encounter["lines"]] == [None, None]
    found = run([first, second], load_ruleset()).findings
    assert [(f.encounter_id, f.rule_id) for f in found if f.severity == "error"] == [
        ("S1", "B12-PROV-002")
    ]


def test_a_professional_claim_with_several_dates_is_one_encounter_per_date():
    claim = b12_claim("W1", "20260302", diagnoses=["D510", "K900"])
    for day in ("20260309", "20260316"):
        claim["lines"] += [
            {"code": "J3420", "units": 1, "date": day, "ndc": "00517003101"},
            {"code": "96372", "units": 1, "date": day},
        ]
    got = records(read(interchange([[Subscriber(claims=[claim])]])))
    assert [
        (r.encounter["encounter_id"], str(r.encounter["date_of_service"]), r.source.line)
        for r in got
    ] == [
        ("W1@2026-03-02", "2026-03-02", got[0].source.line),
        ("W1@2026-03-09", "2026-03-09", got[0].source.line),
        ("W1@2026-03-16", "2026-03-16", got[0].source.line),
    ]
    for r in got:
        assert [line["code"] for line in r.encounter["lines"]] == ["J3420", "96372"]
        assert r.encounter["diagnoses"] == ["D510", "K900"]
    # weekly with no phase: the frequency rule sees each date (one finding per later date)
    found = run(got, load_ruleset()).findings
    assert [(f.encounter_id, f.rule_id) for f in found if f.severity == "error"] == [
        ("W1@2026-03-09", "B12-FREQ-001"),
        ("W1@2026-03-16", "B12-FREQ-001"),
    ]
