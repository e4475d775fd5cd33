"""Write the malformed-input corpus (``files/``) and what each file must give (``expected.json``).

Run from the repository root: ``python tests/corpus/make_corpus.py``. The output is
committed; this script is how it was made, and how to change it. Expectations come from
how each file is built (which records were broken, and how), never from running b12lint:
an encounter that is read is expected exactly when the published JSON Schema
(``schemas/encounter.schema.json``) accepts it.

Every file mixes good records with broken ones. A good record is a B12 encounter billed
with two J3420 units (over the MUE of 1), so that checking it always gives a rule finding:
"checked" is visible. Files too big to commit (deep nesting, a 30 MB line) are made at test
time by ``test_corpus_large.py``.
"""

from __future__ import annotations

import copy
import json
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any

import jsonschema
import yaml

HERE = Path(__file__).resolve().parent
REPO = HERE.parents[1]
FILES = HERE / "files"
sys.path.insert(0, str(REPO / "tests" / "readers"))

from fhir_build import admin, base, bundle, claim, condition  # noqa: E402
from x12_build import Subscriber, b12_claim, interchange  # noqa: E402

UNREADABLE, STRUCTURE, DUPLICATE, LIMIT = (f"B12-INPUT-00{n}" for n in range(1, 5))
SCHEMA = json.loads((REPO / "schemas" / "encounter.schema.json").read_text(encoding="utf-8"))
_VALIDATOR = jsonschema.Draft202012Validator(
    SCHEMA, format_checker=jsonschema.Draft202012Validator.FORMAT_CHECKER
)


def good(eid: str) -> dict[str, Any]:
    """A B12 encounter with a defect every input format can show: J3420 units over the MUE."""
    return {
        "encounter_id": eid,
        "patient_id": f"P-{eid}",
        "date_of_service": "2026-03-02",
        "place_of_service": "11",
        "rendering_npi": "1234567893",
        "payer": {"id": "00952", "name": "Medicare Part B", "type": "medicare"},
        "diagnoses": ["D51.0"],
        "documentation": {
            "indication": "pernicious anemia",
            "indication_codes": ["D51.0"],
            "phase": "maintenance",
            "monitoring": {"plan": "B12 level every 6 months", "last_b12_lab_date": "2026-01-12"},
            "administrations": [
                {
                    "drug": "cyanocobalamin",
                    "dose": "1000 mcg",
                    "route": "IM",
                    "site": "left deltoid",
                    "ndc": "0517-0031-01",
                    "supplied_by": "clinic",
                    "time": "2026-03-02T10:15:00",
                }
            ],
        },
        "lines": [
            {
                "code": "J3420",
                "units": 2,
                "modifiers": [],
                "dx_pointers": [1],
                "date": "2026-03-02",
                "description": "cyanocobalamin 1000 mcg",
                "ndc": "00517003101",
                "ndc_quantity": 1,
                "ndc_unit": "ML",
                "charge": 12.0,
            },
            {"code": "96372", "units": 1, "dx_pointers": [1], "charge": 25.0},
        ],
    }


def schema_accepts(record: object) -> bool:
    """The oracle for "read or input error": the published JSON Schema of the record."""
    return _VALIDATOR.is_valid(record)


# A wrong type for each field of the record (JSON Pointer → value).
WRONG_TYPES: list[tuple[str, object]] = [
    ("/encounter_id", 42),
    ("/encounter_id", ""),
    ("/patient_id", ["P"]),
    ("/date_of_service", 20260302),
    ("/date_of_service", "2026-02-30"),
    ("/date_of_service", "March 2"),
    ("/place_of_service", 11),
    ("/rendering_npi", 1234567893),
    ("/payer", "medicare"),
    ("/payer/id", 952),
    ("/payer/type", True),
    ("/diagnoses", "D51.0"),
    ("/diagnoses/0", 51.0),
    ("/documentation", ["pernicious anemia"]),
    ("/documentation/indication", {"text": "x"}),
    ("/documentation/indication_codes", "D51.0"),
    ("/documentation/phase", 1),
    ("/documentation/monitoring", "every 6 months"),
    ("/documentation/monitoring/last_b12_lab_date", "last week"),
    ("/documentation/administrations", {"drug": "cyanocobalamin"}),
    ("/documentation/administrations/0", "cyanocobalamin 1000 mcg IM"),
    ("/documentation/administrations/0/drug", 12),
    ("/documentation/administrations/0/dose", [1000, "mcg"]),
    ("/documentation/administrations/0/route", {"code": "IM"}),
    ("/documentation/administrations/0/site", 3),
    ("/documentation/administrations/0/supplied_by", False),
    ("/lines", {"code": "J3420"}),
    ("/lines/0", "J3420"),
    ("/lines/0/code", 3420),
    ("/lines/0/units", "2"),
    ("/lines/0/units", True),
    ("/lines/0/modifiers", "JZ"),
    ("/lines/0/dx_pointers", "1"),
    ("/lines/0/dx_pointers/0", "A"),
    ("/lines/0/date", 20260302),
    ("/lines/0/ndc", 517003101),
    ("/lines/0/ndc_quantity", "1 mL"),
    ("/lines/0/charge", "$12"),
]


def with_value(record: dict[str, Any], pointer: str, value: object) -> dict[str, Any]:
    out = copy.deepcopy(record)
    parts = [int(p) if p.isdigit() else p for p in pointer.strip("/").split("/")]
    target: Any = out
    for part in parts[:-1]:
        target = target[part]
    target[parts[-1]] = value
    return out


class Case:
    """One corpus file: its bytes and the records it holds, in order."""

    def __init__(self, name: str, about: str) -> None:
        self.name = name
        self.about = about
        self.parts: list[bytes] = []
        self.expect: list[dict[str, Any]] = []
        self.exit = 1
        self.line = 1

    def add(self, text: bytes, kind: str, detail: str = "", lines: int | None = None) -> None:
        """``kind``: ``good`` (an encounter id), ``read`` (read, no finding needed), ``bad``
        (the input rule id), or ``none`` (blank text, no record)."""
        if kind != "none":
            self.expect.append({"line": self.line, "kind": kind, "detail": detail})
        self.parts.append(text)
        self.line += text.count(b"\n") if lines is None else lines

    def data(self) -> bytes:
        return b"".join(self.parts)

    def manifest(self) -> dict[str, Any]:
        return {"about": self.about, "exit": self.exit, "records": self.expect}


def jl(value: object) -> bytes:
    return json.dumps(value).encode() + b"\n"


def jsonl_cases() -> list[Case]:
    out = []

    c = Case("jsonl-mixed.jsonl", "good lines around broken JSON, scalars, NaN, huge numbers")
    c.add(jl(good("JL-1")), "good", "JL-1")
    c.add(jl(good("JL-2"))[:60] + b"\n", "bad", UNREADABLE)  # truncated
    c.add(b"{encounter_id: JL-3}\n", "bad", UNREADABLE)  # not JSON
    c.add(b"\n   \n\t\n", "none")  # blank lines are not records
    for scalar in (b"42", b'"JL-4"', b"null", b"true", b"[]", b"[{}]"):
        c.add(scalar + b"\n", "bad", STRUCTURE)
    c.add(jl(good("JL-5")).replace(b'"units": 2', b'"units": NaN'), "bad", UNREADABLE)
    c.add(jl(good("JL-6")).replace(b'"units": 2', b'"units": Infinity'), "bad", UNREADABLE)
    c.add(jl(good("JL-7")).replace(b'"units": 2', b'"units": 1e400'), "bad", UNREADABLE)
    c.add(jl(good("JL-8")).replace(b'"units": 2', b'"units": ' + b"9" * 400), "bad", UNREADABLE)
    big = jl(good("JL-9")).replace(b'"charge": 12.0', b'"charge": 123456789012345678901234567890')
    c.add(big, "good", "JL-9")  # a big integer is a number: read, judged by the rules
    c.add(jl(good("JL-10")).replace(b'"units": 2,', b'"units": 1, "units": 2,'), "bad", UNREADABLE)
    c.add(b'{"encounter_id": "JL-11", "encounter_id": "JL-12"}\n', "bad", UNREADABLE)
    c.add(jl(good("JL-1")), "bad", DUPLICATE)  # a second JL-1
    c.add(jl(good("JL-13")).rstrip(b"\n"), "good", "JL-13", lines=0)  # no final newline
    out.append(c)

    c = Case("jsonl-bom-crlf.jsonl", "a UTF-8 byte-order mark and CRLF line ends")
    c.add(b"\xef\xbb\xbf" + jl(good("JB-1")).replace(b"\n", b"\r\n"), "good", "JB-1")
    c.add(jl(good("JB-2")).replace(b"\n", b"\r\n"), "good", "JB-2")
    out.append(c)

    c = Case("jsonl-bad-utf8.jsonl", "invalid UTF-8 and a NUL byte in one line each")
    c.add(jl(good("JU-1")), "good", "JU-1")
    c.add(jl(good("JU-2")).replace(b"pernicious", b"pern\xff\xfeious"), "bad", UNREADABLE)
    c.add(jl(good("JU-3")).replace(b"pernicious", b"pern\xc3ious"), "bad", UNREADABLE)
    c.add(jl(good("JU-4")).replace(b"left", b"le\x00ft"), "bad", UNREADABLE)
    c.add(jl(good("JU-5")), "good", "JU-5")
    out.append(c)

    c = Case("jsonl-wrong-types.jsonl", "a wrong type in every field of the record, one a line")
    c.add(jl(good("JT-0")), "good", "JT-0")
    for n, (pointer, value) in enumerate(WRONG_TYPES, 1):
        record = with_value(good(f"JT-{n}"), pointer, value)
        if schema_accepts(record):
            c.add(jl(record), "read", f"JT-{n}")
        else:
            c.add(jl(record), "bad", STRUCTURE)
    out.append(c)

    c = Case("jsonl-missing-fields.jsonl", "required fields missing; extra and x- keys allowed")
    c.add(b'{"date_of_service": "2026-03-02"}\n', "bad", STRUCTURE)
    c.add(b'{"encounter_id": "JM-1"}\n', "bad", STRUCTURE)
    c.add(b"{}\n", "bad", STRUCTURE)
    extra = good("JM-2") | {"x-clinic": {"anything": [1, None]}, "unknown_key": True}
    c.add(jl(extra), "good", "JM-2")
    out.append(c)

    c = Case("jsonl-empty.jsonl", "an empty file: no record at all, exit 2 (--allow-empty: 0)")
    c.exit = 2
    out.append(c)
    return out


def json_doc(records: list[bytes]) -> bytes:
    return b"[\n" + b",\n".join(records) + b"\n]\n"


def json_cases() -> list[Case]:
    out = []

    c = Case("json-mixed.json", "a list whose broken elements do not lose the ones after them")
    c.add(b"[\n", "none")
    c.add(json.dumps(good("J-1")).encode() + b",\n", "good", "J-1")
    broken = json.dumps(good("J-2")).replace('"units": 2', '"units": 2,,').encode()
    c.add(broken + b",\n", "bad", UNREADABLE)  # a syntax error inside an element
    c.add(b"42,\n", "bad", STRUCTURE)
    c.add(
        json.dumps(good("J-3")).replace('"units": 2', '"units": NaN').encode() + b",\n",
        "bad",
        UNREADABLE,
    )
    dup = json.dumps(good("J-4")).replace('"phase":', '"phase": "repletion", "phase":')
    c.add(dup.encode() + b",\n", "bad", UNREADABLE)
    c.add(
        json.dumps(with_value(good("J-5"), "/lines", "J3420")).encode() + b",\n", "bad", STRUCTURE
    )
    surrogate = json.dumps(good("J-7")).replace("pernicious", "pern\\ud800icious")
    c.add(surrogate.encode() + b",\n", "bad", UNREADABLE)  # an escape that is no character
    c.add(json.dumps(good("J-6")).encode() + b"\n", "good", "J-6")
    c.add(b"]\n", "none")
    out.append(c)

    c = Case("json-truncated.json", "a document cut off: the records before the cut are read")
    c.add(b"[\n", "none")
    c.add(json.dumps(good("JT-A")).encode() + b",\n", "good", "JT-A")
    c.add(json.dumps(good("JT-B")).encode()[:200], "bad", UNREADABLE)
    out.append(c)

    c = Case("json-single.json", "one record, with a byte-order mark")
    c.add(b"\xef\xbb\xbf" + json.dumps(good("JS-1"), indent=2).encode() + b"\n", "good", "JS-1")
    out.append(c)

    c = Case("json-scalar.json", "a top-level scalar")
    c.add(b'"not a record"\n', "bad", STRUCTURE)
    out.append(c)

    c = Case("json-bad-utf8.json", "invalid UTF-8 inside one element of a list")
    c.add(b"[", "none")
    c.add(json.dumps(good("JX-1")).encode() + b",\n", "good", "JX-1")
    c.add(
        json.dumps(good("JX-2")).encode().replace(b"deltoid", b"delt\xffoid") + b",\n",
        "bad",
        UNREADABLE,
    )
    c.add(json.dumps(good("JX-3")).encode() + b"]\n", "good", "JX-3")
    out.append(c)

    c = Case("json-empty.json", "an empty file: no record at all, exit 2 (--allow-empty: 0)")
    c.exit = 2
    out.append(c)
    return out


def yaml_item(record: dict[str, Any]) -> bytes:
    return yaml.safe_dump([record], sort_keys=False, width=200).encode()


BOMB = """\
  a: &a [x, x, x, x, x, x, x, x, x]
  b: &b [*a, *a, *a, *a, *a, *a, *a, *a, *a]
  c: &c [*b, *b, *b, *b, *b, *b, *b, *b, *b]
  d: &d [*c, *c, *c, *c, *c, *c, *c, *c, *c]
  e: &e [*d, *d, *d, *d, *d, *d, *d, *d, *d]
  f: &f [*e, *e, *e, *e, *e, *e, *e, *e, *e]
  g: &g [*f, *f, *f, *f, *f, *f, *f, *f, *f]
  h: &h [*g, *g, *g, *g, *g, *g, *g, *g, *g]
  i: &i [*h, *h, *h, *h, *h, *h, *h, *h, *h]
"""
#: The file these tags would create if YAML ever ran code (the tests look for it).
CANARY = "b12lint-corpus-canary"


def yaml_cases() -> list[Case]:
    out = []

    c = Case("yaml-hostile.yaml", "an alias bomb and !!python tags between good records")
    c.add(yaml_item(good("Y-1")), "good", "Y-1")
    c.add(
        b"- encounter_id: Y-BOMB\n  date_of_service: 2026-03-02\n" + BOMB.encode(),
        "bad",
        UNREADABLE,
    )
    c.add(f"- !!python/object/apply:os.system ['touch {CANARY}']\n".encode(), "bad", UNREADABLE)
    run = f"!!python/object/apply:subprocess.check_output [['touch', '{CANARY}']]"
    c.add(
        f"- encounter_id: Y-2\n  date_of_service: 2026-03-02\n  note: {run}\n".encode(),
        "bad",
        UNREADABLE,
    )
    c.add(b"- !!python/name:os.system\n", "bad", UNREADABLE)
    c.add(yaml_item(good("Y-3")), "good", "Y-3")
    out.append(c)

    c = Case("yaml-items.yaml", "duplicate keys, anchors, control characters, wrong types")
    c.add(yaml_item(good("YI-1")), "good", "YI-1")
    c.add(
        yaml_item(good("YI-2")).replace(
            b"    phase: maintenance\n", b"    phase: maintenance\n    phase: repletion\n"
        ),
        "bad",
        UNREADABLE,
    )
    c.add(b"- &rec\n  encounter_id: YI-3\n  date_of_service: 2026-03-02\n", "bad", UNREADABLE)
    c.add(
        b"- encounter_id: YI-4\n  date_of_service: 2026-03-02\n  note: a\x01b\n", "bad", UNREADABLE
    )
    c.add(
        b"- encounter_id: YI-5\n  date_of_service: 2026-03-02\n  note: caf\xe9\n", "bad", UNREADABLE
    )
    c.add(
        b'- {encounter_id: YI-8, date_of_service: 2026-03-02, note: "\\ud800"}\n', "bad", UNREADABLE
    )
    c.add(b"- 42\n", "bad", STRUCTURE)
    c.add(yaml_item(with_value(good("YI-6"), "/lines/0/units", "two")), "bad", STRUCTURE)
    c.add(yaml_item(good("YI-7")), "good", "YI-7")
    out.append(c)

    c = Case("yaml-documents.yaml", "several documents: a record, a list, a scalar")
    c.add(yaml.safe_dump(good("YD-1"), sort_keys=False).encode(), "good", "YD-1")
    c.add(b"---\n", "none")
    c.add(yaml_item(good("YD-2")), "good", "YD-2")
    c.add(b"---\n", "none")
    c.add(b"just text\n", "bad", STRUCTURE)
    out.append(c)

    c = Case(
        "yaml-syntax-error.yaml",
        "a syntax error: the records before it are read, the rest is reported as not read",
    )
    c.add(yaml_item(good("YS-1")), "good", "YS-1")
    c.add(b"- {encounter_id: YS-2 lines: ]\n", "bad", UNREADABLE)
    c.parts.append(yaml_item(good("YS-3")))  # after the error: not read (the message says so)
    out.append(c)

    c = Case("yaml-empty.yaml", "an empty file: no record at all, exit 2 (--allow-empty: 0)")
    c.exit = 2
    out.append(c)
    return out


def x12_text(claims: list[dict[str, Any]]) -> str:
    return interchange([[Subscriber(claims=claims)]])


def x12_claim(cid: str) -> dict[str, Any]:
    claim = b12_claim(cid)
    claim["lines"][0]["units"] = 2
    return claim


def x12_case(name: str, about: str, text: str, expect: list[tuple[str, str, str]]) -> Case:
    """``expect``: (segment text that starts the record's location, kind, detail)."""
    c = Case(name, about)
    data = text.encode("latin-1")
    c.parts = [data]
    lines = data.split(b"\n")
    for marker, kind, detail in expect:
        line = next(i for i, ln in enumerate(lines, 1) if ln.startswith(marker.encode()))
        c.expect.append({"line": line, "kind": kind, "detail": detail})
    return c


def x12_cases() -> list[Case]:
    out = []

    def claims(prefix: str) -> str:
        return x12_text([x12_claim(f"{prefix}{i}") for i in range(1, 4)])

    out.append(
        x12_case(
            "x12-clean.837",
            "three claims, nothing broken",
            claims("XA"),
            [(f"CLM*XA{i}*", "good", f"XA{i}") for i in (1, 2, 3)],
        )
    )

    bad = claims("XB").replace("SV1*HC:J3420*12.00*UN*2*", "SV1*HC:J3420*12.00*UN*TWO*", 1)
    out.append(
        x12_case(
            "x12-bad-element.837",
            "a units element that is not a number",
            bad,
            [
                ("CLM*XB1*", "bad", STRUCTURE),
                ("CLM*XB2*", "good", "XB2"),
                ("CLM*XB3*", "good", "XB3"),
            ],
        )
    )

    text = claims("XC")
    cut = text[: text.index("CLM*XC3*") + 120]
    out.append(
        x12_case(
            "x12-truncated.837",
            "cut off inside the third claim",
            cut,
            [
                ("CLM*XC1*", "good", "XC1"),
                ("CLM*XC2*", "good", "XC2"),
                ("CLM*XC3*", "bad", STRUCTURE),
            ],
        )
    )

    text = claims("XD")
    wrong = text[:106] + text[106:].replace("*", "|")
    out.append(
        x12_case(
            "x12-wrong-delimiter.837",
            "segments use | where the ISA declares *",
            wrong,
            [("GS|", "bad", UNREADABLE)],
        )
    )

    two = claims("XE") + x12_text([x12_claim("XF1")]).replace("000000001", "000000002")
    broken_first = two.replace("DTP*472*D8*20260302", "DTP*472*D8*2026030", 1)
    out.append(
        x12_case(
            "x12-two-interchanges.837",
            "two interchanges; a service date that is not CCYYMMDD in the first",
            broken_first,
            [
                ("CLM*XE1*", "bad", STRUCTURE),
                ("CLM*XE2*", "good", "XE2"),
                ("CLM*XE3*", "good", "XE3"),
                ("CLM*XF1*", "good", "XF1"),
            ],
        )
    )

    not837 = claims("XG").replace("ST*837*0001*005010X222A1", "ST*835*0001*005010X221A1")
    out.append(
        x12_case(
            "x12-not-837p.837",
            "a transaction that is not an 837P is skipped",
            not837,
            [("ST*835", "bad", UNREADABLE)],
        )
    )

    garbage = Case("x12-garbage.837", "bytes that are not X12 at all")
    garbage.add(b"hello \x00\x01\xff world\n", "bad", UNREADABLE)
    out.append(garbage)

    empty = Case("x12-empty.837", "an empty file: no record at all, exit 2 (--allow-empty: 0)")
    empty.exit = 2
    out.append(empty)
    return out


def fhir_resources(prefix: str, n: int = 3) -> list[dict[str, Any]]:
    out = [*base()]
    for i in range(1, n + 1):
        out += [
            condition(f"cond{i}", "p1", "D51.0", "pernicious anemia"),
            admin(f"ma{i}", "p1", f"2026-03-0{i}", "78421000", reason=f"cond{i}"),
            claim(
                f"{prefix}-{i}",
                "p1",
                f"2026-03-0{i}",
                [("J3420", 2, 12.0), ("96372", 1, 25.0)],
                ["D51.0"],
                support=f"ma{i}",
            ),
        ]
    return out


def fhir_claims(prefix: str) -> list[tuple[str, str, str]]:
    return [(f'"id": "{prefix.lower()}-{i}"', "good", f"{prefix}-{i}") for i in (1, 2, 3)]


def fhir_case(
    name: str,
    about: str,
    resources: list[dict[str, Any]],
    expect: list[tuple[str, str, str]],
    patch: Callable[[bytes], bytes] = lambda b: b,
    ndjson: bool = False,
) -> Case:
    """``expect``: (text of the line the record is located at, kind, detail)."""
    if ndjson:
        data = b"".join(json.dumps(r).encode() + b"\n" for r in resources)
    else:
        data = json.dumps(bundle(resources), indent=1).encode() + b"\n"
    data = patch(data)
    c = Case(name, about)
    c.parts = [data]
    lines = data.split(b"\n")
    for marker, kind, detail in expect:
        line = next(i for i, ln in enumerate(lines, 1) if marker.encode() in ln)
        if not ndjson:
            # a bundle entry is located at the line of its opening brace
            while lines[line - 1].strip() != b"{":
                line -= 1
        c.expect.append({"line": line, "kind": kind, "detail": detail})
    return c


def fhir_cases() -> list[Case]:
    out = []
    out.append(
        fhir_case(
            "fhir-clean.fhir.json",
            "a Bundle of three claims and their chart",
            fhir_resources("FA"),
            fhir_claims("FA"),
        )
    )

    broken = fhir_resources("FB")
    for r in broken:
        if r.get("id") == "fb-2":
            r["item"] = "J3420 x2"
        if r.get("id") == "ma3":
            r["dosage"]["dose"]["value"] = "lots"
    # FB-3's administration is then unreadable: the claim is read, its chart gap a finding
    out.append(
        fhir_case(
            "fhir-wrong-types.fhir.json",
            "a Claim and a MedicationAdministration with wrong types",
            broken,
            [
                ('"id": "fb-1"', "good", "FB-1"),
                ('"id": "fb-2"', "bad", STRUCTURE),
                ('"id": "ma3"', "bad", STRUCTURE),
                ('"id": "fb-3"', "good", "FB-3"),
            ],
        )
    )

    def nan_and_dup(data: bytes) -> bytes:
        data = data.replace(b'"value": 1000', b'"value": NaN', 1)
        return data.replace(b'"status": "active",', b'"status": "active", "status": "draft",', 1)

    out.append(
        fhir_case(
            "fhir-nan-duplicate.fhir.json",
            "NaN in one resource and a duplicate key in another",
            fhir_resources("FC"),
            [
                ('"id": "ma1"', "bad", UNREADABLE),
                ('"id": "cov1"', "bad", UNREADABLE),
                *fhir_claims("FC"),
            ],
            patch=nan_and_dup,
        )
    )

    nd = fhir_case(
        "fhir-lines.ndjson",
        "NDJSON with a truncated line and invalid UTF-8",
        fhir_resources("FD"),
        [],
        ndjson=True,
    )
    data = nd.parts[0].split(b"\n")
    insert_at = 5  # after the base resources and the first condition
    data[insert_at:insert_at] = [
        b'{"resourceType": "Claim", "id": "x"',
        b'{"resourceType": "Condition", "id": "bad\xff"}',
        b'{"resourceType": 7}',
    ]
    nd.parts = [b"\n".join(data)]
    lines = nd.parts[0].split(b"\n")
    nd.expect = [
        {"line": i, "kind": "bad", "detail": rule}
        for i, rule in ((6, UNREADABLE), (7, UNREADABLE), (8, STRUCTURE))
    ]
    for marker, kind, detail in fhir_claims("FD"):
        line = next(i for i, ln in enumerate(lines, 1) if marker.encode() in ln)
        nd.expect.append({"line": line, "kind": kind, "detail": detail})
    out.append(nd)

    data = json.dumps(bundle(fhir_resources("FE")), indent=1).encode()
    trunc = Case("fhir-truncated.fhir.json", "a Bundle cut off: nothing after the cut is read")
    cut = data[: data.index(b'"id": "fe-2"')]
    trunc.parts = [cut]
    lines = cut.split(b"\n")
    line = next(i for i, ln in enumerate(lines, 1) if b'"id": "fe-1"' in ln)
    while lines[line - 1].strip() != b"{":
        line -= 1
    last_entry = max(i for i, ln in enumerate(lines, 1) if ln == b"  {")
    trunc.expect = [
        {"line": line, "kind": "good", "detail": "FE-1"},
        {"line": last_entry, "kind": "bad", "detail": UNREADABLE},
    ]
    out.append(trunc)
    return out


CSV_HEADER = b"encounter_id,patient_id,date_of_service,diagnoses,code,units,dx_pointers\n"


def csv_rows(eid: str, units: bytes = b"2") -> bytes:
    return (
        eid.encode()
        + b",P-"
        + eid.encode()
        + b",2026-03-02,D51.0,J3420,"
        + units
        + b",1\n"
        + eid.encode()
        + b",P-"
        + eid.encode()
        + b",2026-03-02,D51.0,96372,1,1\n"
    )


def csv_cases() -> list[Case]:
    out = []
    c = Case("csv-mixed.csv", "bad rows between good encounters")
    c.add(b"\xef\xbb\xbf" + CSV_HEADER, "none")
    c.add(csv_rows("C-1"), "good", "C-1")
    c.add(csv_rows("C-2").replace(b"J3420", b"J34\xff20"), "bad", UNREADABLE)
    c.add(csv_rows("C-3", b"two"), "bad", STRUCTURE)
    c.add(csv_rows("C-4").replace(b"2026-03-02", b"03/02/2026", 1), "bad", STRUCTURE)
    c.add(csv_rows("C-5").replace(b",1\n", b",Q\n", 1), "bad", STRUCTURE)
    c.add(b",P-X,2026-03-02,D51.0,J3420,1,1\n", "bad", STRUCTURE)  # no encounter id
    c.add(csv_rows("C-7"), "good", "C-7")
    c.add(csv_rows("C-8").replace(b"P-C-8,2026", b'"P-C-8,2026', 1), "bad", UNREADABLE)
    out.append(c)

    c = Case("csv-no-header.csv", "a header without the required columns")
    c.add(b"claim;date;cpt\n", "bad", UNREADABLE)
    c.add(b"C-9;2026-03-02;J3420\n", "none")
    out.append(c)

    c = Case("csv-empty.csv", "an empty file: no record at all, exit 2 (--allow-empty: 0)")
    c.exit = 2
    out.append(c)
    return out


def all_cases() -> list[Case]:
    return [*jsonl_cases(), *json_cases(), *yaml_cases(), *x12_cases(), *fhir_cases(), *csv_cases()]


def main() -> None:
    FILES.mkdir(exist_ok=True)
    for old in FILES.iterdir():
        old.unlink()
    manifest = {}
    for case in all_cases():
        (FILES / case.name).write_bytes(case.data())
        manifest[case.name] = case.manifest()
    text = json.dumps(manifest, indent=1, sort_keys=True) + "\n"
    (HERE / "expected.json").write_text(text, encoding="utf-8")
    print(f"{len(manifest)} corpus files written to {FILES.relative_to(REPO)}")


if __name__ == "__main__":
    main()
