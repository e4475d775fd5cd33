"""The X12 837P and 837I files of the realistic export set, with their expectations.

Each file is written the way one kind of practice-management system or clearinghouse writes
claims; each claim has an expectation from ../shared/DOMAIN.md and FORMATS.md (``clean``,
a FORMATS.md category, ``out_of_scope`` for a claim that bills no B12, ``void`` for a claim
that cancels an earlier one), plus the native fields a reader must produce from it.
"""

# ruff: noqa: E501

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from x12_writer import Claim, Line, Patient, Style, Subscriber, Transaction, export, npi

NPI_CLINIC = npi("123456789")  # 1234567893, the billing group
NPI_DR_A = npi("198765432")
NPI_DR_B = npi("145678901")
NPI_NURSE = npi("176543210")
NPI_HOSP = npi("156789012")
BAD_NPI = NPI_DR_B[:-1] + str((int(NPI_DR_B[-1]) + 1) % 10)

NDC_AR = "00517003101"  # American Regent cyanocobalamin 1 mL multi-dose
NDC_FK = "63323004441"  # Fresenius cyanocobalamin 1 mL multi-dose
NDC_ZY = "70710166301"  # Zydus cyanocobalamin 1 mL multi-dose
NDC_HYDROXO = "00591288830"  # hydroxocobalamin 30 mL multi-dose
NDC_INSULIN = "00002751001"  # not B12: insulin lispro 10 mL
NDC_CEFTRIAXONE = "60505075000"  # not B12: ceftriaxone 1 g vial

MEDICARE = {"payer_name": "MEDICARE PART B", "payer_id": "00952", "sbr09": "MB"}
MEDICAID = {"payer_name": "OREGON MEDICAID", "payer_id": "ORDHS", "sbr09": "MC"}
MEDICARE_ADV = {"payer_name": "HUMANA GOLD PLUS HMO", "payer_id": "61101", "sbr09": "16"}
AETNA = {"payer_name": "AETNA", "payer_id": "60054", "sbr09": "CI"}
BCBS = {"payer_name": "REGENCE BCBS OREGON", "payer_id": "00851", "sbr09": "BL"}
PAYER_TYPE = {
    "MB": "medicare",
    "MA": "medicare",
    "MC": "medicaid",
    "16": "medicare_advantage",
    "CI": "commercial",
    "BL": "commercial",
}


@dataclass
class Expect:
    """What a claim must give."""

    expect: str  # clean | category | out_of_scope | void
    note: str
    xfail: str | None = None


@dataclass
class FileSpec:
    """One file of the set."""

    name: str
    kind: str
    description: str
    text: str = ""
    claims: dict[str, Expect] = field(default_factory=dict)
    fields: dict[str, dict[str, Any]] = field(default_factory=dict)
    parts: list[str] = field(default_factory=list)
    """Interchanges validated one by one (pyx12 reads one ISA's delimiters per file)."""
    counts: int | None = None
    """Encounters in the file when claim ids repeat (else one per claim that is not void)."""


def b12(
    cid: str,
    date: str,
    dx: list[str] | None = None,
    units: str = "1",
    ndc: str | None = None,
    ndc_qty: str = "1",
    ndc_unit: str = "ML",
    admin: bool = True,
    pos: str = "11",
    code: str = "J3420",
    charge: str = "12.00",
    **claim_kw: Any,
) -> Claim:
    """A B12 visit: the drug line and its 96372 administration line."""
    lines = [
        Line(
            code,
            charge,
            units=units,
            date=date,
            ndc=ndc,
            ndc_qty=ndc_qty if ndc else None,
            ndc_unit=ndc_unit if ndc else None,
        )
    ]
    if admin:
        lines.append(Line("96372", "25.00", date=date))
    return Claim(cid, pos, dx or ["D510"], lines, **claim_kw)


def visit(cid: str, date: str, code: str = "99213", dx: list[str] | None = None) -> Claim:
    """An office visit (not B12)."""
    return Claim(cid, "11", dx or ["J069"], [Line(code, "110.00", date=date)])


def flu(cid: str, date: str) -> Claim:
    """A flu shot (not B12): vaccine product and its Medicare administration code."""
    return Claim(
        cid, "11", ["Z23"], [Line("90686", "24.00", date=date), Line("G0008", "20.00", date=date)]
    )


def sub(
    member: str,
    last: str,
    first: str,
    dob: str,
    sex: str,
    payer: dict[str, str],
    claims: list[Claim],
    **kw: Any,
) -> Subscriber:
    """A subscriber who is the patient."""
    return Subscriber(member, last, first, dob, sex, claims=claims, **payer, **kw)


def st(
    control: str,
    subscribers: list[Subscriber],
    billing: str = NPI_CLINIC,
    name: str = "SUNRISE FAMILY MEDICINE",
    institutional: bool = False,
) -> Transaction:
    """One transaction of the clinic (or the hospital)."""
    return Transaction(
        control,
        billing,
        name,
        subscribers,
        institutional=institutional,
        billing_taxonomy="282NC2000X" if institutional else "207Q00000X",
    )


#: The hospital outpatient department's transactions (837I).
HOSPITAL: dict[str, Any] = {
    "billing": NPI_HOSP,
    "name": "ST MARY OUTPATIENT",
    "institutional": True,
}
STD = Style()
ONE_LINE = Style(newline="")
CRLF = Style(newline="\r\n")
PIPES = Style(element="|", component=">", repetition="!", terminator="~", newline="\r\n")
CARETS = Style(element="^", component="\\", repetition="{", terminator="~", newline="\n")
NEWLINE_TERM = Style(terminator="\n", newline="")


def one_transaction(
    style: Style, control: str, subscribers: list[Subscriber], upper: bool = True, **st_kw: Any
) -> str:
    """An interchange of one group holding one transaction (how most files are written)."""
    return export(style, [[st("0001", subscribers, **st_kw)]], control=control, upper=upper)


def iso(d: str) -> str:
    """CCYYMMDD to ISO."""
    return f"{d[:4]}-{d[4:6]}-{d[6:]}"


def fields_of(c: Claim, payer_type: str, rendering: str) -> dict[str, Any]:
    """The native record fields a reader must produce from a claim (FORMATS.md section 1)."""
    lines = []
    for ln in c.lines:
        entry: dict[str, Any] = {
            "code": ln.code,
            "units": float(ln.units),
            "modifiers": ln.modifiers,
        }
        if ln.revenue is None:
            entry["dx_pointers"] = ln.pointers
        else:
            entry["revenue_code"] = ln.revenue.zfill(4)
        entry["date"] = iso(
            ln.date_range[0] if ln.date_range else ln.date or (c.statement or ("",))[0]
        )
        if ln.ndc:
            entry["ndc"] = ln.ndc
            entry["ndc_quantity"] = float(ln.ndc_qty or "1")
            entry["ndc_unit"] = ln.ndc_unit
        if ln.description:
            entry["description"] = ln.description
        lines.append(entry)
    out: dict[str, Any] = {
        "diagnoses": c.dx,
        "lines": lines,
        "payer_type": payer_type,
        "rendering_npi": rendering,
    }
    if c.lines and c.lines[0].revenue is not None:
        out["type_of_bill"] = f"0{c.pos}{c.frequency}"
    else:
        out["place_of_service"] = c.pos
    return out


def expect(
    spec: FileSpec,
    c: Claim,
    verdict: str,
    note: str,
    sbr09: str,
    billing: str = NPI_CLINIC,
    xfail: str | None = None,
) -> Claim:
    """Record a claim's expectation and the native fields it must read as (a void is counted
    in not_judged, never read as a record: it has none)."""
    spec.claims[c.claim_id] = Expect(verdict, note, xfail)
    if verdict == "void":
        return c
    line_npi = next((ln.rendering_npi for ln in c.lines if ln.rendering_npi), None)
    spec.fields[c.claim_id] = fields_of(
        c, PAYER_TYPE[sbr09], c.rendering_npi or line_npi or billing
    )
    return c


CLEAN_MCR = "D51.0 pernicious anemia is covered (DOMAIN Coverage); J3420 x1 (MUE 1) with one 96372; Medicare Part B needs no NDC"


def p01() -> FileSpec:
    """One segment a line, the common `*:^~` separators: a day of mixed visits."""
    spec = FileSpec(
        "p01_segment_per_line.837",
        "x12-837p",
        "one segment per line, ~ and LF, * : ^; Medicare, Medicaid and non-B12 visits in one transaction",
    )
    c1 = expect(spec, b12("P01-A", "20260302"), "clean", CLEAN_MCR, "MB")
    c2 = expect(
        spec,
        b12("P01-B", "20260302", dx=["E538", "K900"], ndc=NDC_AR),
        "clean",
        "E53.8 B12 deficiency with K90.0 celiac malabsorption covered; Medicaid line carries its NDC (DRA 2005 / state policy), 1 ML for 1 unit",
        "MC",
    )
    c3 = expect(
        spec,
        flu("P01-C", "20260302"),
        "out_of_scope",
        "flu vaccine 90686 + G0008: no B12 drug line",
        "MB",
    )
    c4 = expect(
        spec,
        visit("P01-D", "20260302"),
        "out_of_scope",
        "office visit for an upper respiratory infection",
        "CI",
    )
    text = one_transaction(
        STD,
        "101",
        [
            sub("1EG4TE5MK72", "HARTLEY", "ROSE", "19480312", "F", MEDICARE, [c1]),
            sub("OR55512345", "NGUYEN", "DAVID", "19790624", "M", MEDICAID, [c2]),
            sub("1EG4TE5MK99", "OKAFOR", "JAMES", "19510101", "M", MEDICARE, [c3]),
            sub("W123456789", "PATEL", "ASHA", "19900215", "F", AETNA, [c4]),
        ],
    )
    spec.text = text
    return spec


def p02() -> FileSpec:
    """One long line; several claims per subscriber; subscriber and dependents on one policy."""
    spec = FileSpec(
        "p02_one_long_line_family.837",
        "x12-837p",
        "the whole interchange on one line (no line breaks); a subscriber with two monthly claims; a mother and her daughter (HL 23) on one member id, injected 7 days apart: two patients, not one",
    )
    m1 = expect(
        spec,
        b12("P02-MOM-1", "20260105", dx=["D519"], ndc=NDC_FK),
        "clean",
        "D51.9 B12-deficiency anemia covered; commercial line with NDC; first monthly dose",
        "CI",
    )
    m2 = expect(
        spec,
        b12("P02-MOM-2", "20260202", dx=["D519"], ndc=NDC_FK),
        "clean",
        "28 days after P02-MOM-1: monthly maintenance (no more than once a month)",
        "CI",
    )
    kid = expect(
        spec,
        b12("P02-KID-1", "20260112", dx=["E538", "K5090"], ndc=NDC_FK),
        "clean",
        "the daughter (HL 23 PAT*19) on her mother's member id, 7 days after the mother's dose: another patient, so no frequency finding; K50.90 Crohn's covered (DOMAIN Coverage in full)",
        "CI",
    )
    kid2 = expect(
        spec,
        b12("P02-SON-1", "20260112", dx=["D510"], ndc=NDC_FK),
        "clean",
        "the son (second HL 23) on the same day as his sister: another patient again (different name and birth date)",
        "CI",
    )
    text = one_transaction(
        ONE_LINE,
        "102",
        [
            sub(
                "W987654321",
                "GARCIA",
                "ELENA",
                "19750405",
                "F",
                AETNA,
                [m1, m2],
                group="GRP4411",
            ),
            Subscriber(
                "W987654321",
                "GARCIA",
                "ELENA",
                "19750405",
                "F",
                **AETNA,
                group="GRP4411",
                dependents=[
                    Patient("GARCIA", "LUCIA", "20080911", "F", [kid]),
                    Patient("GARCIA", "MATEO", "20110302", "M", [kid2]),
                ],
            ),
        ],
    )
    spec.text = text
    return spec


def p03() -> FileSpec:
    """`|` elements, `>` components, `!` repetition, `~` + CRLF (a Windows clearinghouse)."""
    spec = FileSpec(
        "p03_pipes_crlf.837",
        "x12-837p",
        "ISA declares | > ! with ~ and CRLF: modifiers and pointers must be split on > not :",
    )
    c1 = b12("P03-A", "20260310", dx=["D510", "I10"], ndc=NDC_ZY)
    c1.lines.insert(0, Line("99213", "95.00", modifiers=["25"], pointers=[2], date="20260310"))
    expect(
        spec,
        c1,
        "clean",
        "99213-25 for the hypertension follow-up beside 96372 (NCCI PTP indicator 1: 25 makes it payable); J3420/96372 point to D51.0",
        "BL",
    )
    c2 = b12("P03-B", "20260310", dx=["D510", "I10"], ndc=NDC_ZY)
    c2.lines.insert(0, Line("99213", "95.00", pointers=[2], date="20260310"))
    expect(
        spec,
        c2,
        "modifier",
        "99213 without 25 beside 96372: NCCI PTP indicator 1 needs modifier 25 (DOMAIN Edits)",
        "BL",
    )
    c3 = b12("P03-C", "20260311", dx=["E538", "K912", "Z9884", "E669"], ndc=NDC_ZY)
    for ln in c3.lines:
        ln.pointers = [1, 2, 3, 4]
    expect(
        spec,
        c3,
        "clean",
        "E53.8 after bariatric surgery (K91.2 postsurgical malabsorption, Z98.84) covered; pointers 1>2>3>4 (four is the maximum)",
        "BL",
    )
    text = one_transaction(
        PIPES,
        "103",
        [
            sub("XJH400112233", "BROOKS", "TANYA", "19660721", "F", BCBS, [c1]),
            sub("XJH400445566", "LEE", "MICHAEL", "19700130", "M", BCBS, [c2]),
            sub("XJH400778899", "SANTOS", "MARIA", "19830808", "F", BCBS, [c3]),
        ],
    )
    spec.text = text
    return spec


def p04() -> FileSpec:
    """`^` elements, `\\` components, `{` repetition (a legacy PM system's choice)."""
    spec = FileSpec(
        "p04_caret_backslash.837",
        "x12-837p",
        "ISA declares ^ as the element separator, backslash components, { repetition: ^ is NOT the repetition separator here",
    )
    c1 = b12("P04-A", "20260303", dx=["D510", "G63"], ndc=NDC_AR)
    c1.lines[0].pointers = [1, 2]
    c1.lines[1].pointers = [1, 2]
    expect(
        spec,
        c1,
        "clean",
        "D51.0 first with G63 polyneuropathy as its manifestation (code-first pair, DOMAIN Coverage in full); pointers 1\\\\2",
        "MB",
    )
    c2 = expect(
        spec,
        b12("P04-B", "20260303", dx=["R5383"], ndc=NDC_AR),
        "indication",
        "fatigue R53.83 alone does not support B12 (excluded: general good and welfare)",
        "MB",
    )
    text = one_transaction(
        CARETS,
        "104",
        [
            sub("1EG4TE5MK11", "WINTERS", "HAROLD", "19440212", "M", MEDICARE, [c1]),
            sub("1EG4TE5MK12", "ADAMS", "JOYCE", "19490919", "F", MEDICARE, [c2]),
        ],
    )
    spec.text = text
    return spec


def p05() -> FileSpec:
    """Several ST per GS, several GS per ISA: a clearinghouse batch for two clinics."""
    spec = FileSpec(
        "p05_multi_st_gs.837",
        "x12-837p",
        "one ISA, two GS; the first GS has two ST (two billing providers), the second one ST",
    )
    a = expect(
        spec,
        b12("P05-A", "20260304", ndc=NDC_AR),
        "clean",
        "Medicaid B12 with its NDC, D51.0",
        "MC",
    )
    b = expect(
        spec,
        b12("P05-B", "20260304"),
        "ndc",
        "Medicaid B12 drug line without an NDC: denied by state policy (DRA 2005 s6002, SMDL 06-016)",
        "MC",
    )
    c = expect(
        spec,
        b12("P05-C", "20260305", dx=["D519"]),
        "clean",
        "Medicare Advantage (SBR09 16), D51.9 covered",
        "16",
        billing=NPI_DR_A,
    )
    d = expect(
        spec,
        b12("P05-D", "20260306", dx=["D51"], ndc=NDC_AR),
        "diagnosis",
        "D51 is a category, not a billable code (needs a 4th character)",
        "CI",
    )
    text = export(
        STD,
        [
            [
                st(
                    "0001",
                    [
                        sub("OR55500001", "KIM", "SORA", "19880101", "F", MEDICAID, [a]),
                        sub("OR55500002", "BELL", "AARON", "19920202", "M", MEDICAID, [b]),
                    ],
                ),
                st(
                    "0002",
                    [sub("H12345678", "FOX", "LINDA", "19500505", "F", MEDICARE_ADV, [c])],
                    billing=NPI_DR_A,
                    name="WELBY MARCUS MD",
                ),
            ],
            [st("0003", [sub("W555000111", "DIAZ", "CARMEN", "19770707", "F", AETNA, [d])])],
        ],
        control="105",
    )
    spec.text = text
    return spec


def p06() -> FileSpec:
    """Two interchanges in one file, each with its own separators (a concatenated daily drop)."""
    spec = FileSpec(
        "p06_two_interchanges.837",
        "x12-837p",
        "two ISA/IEA envelopes back to back: the first * : ^ ~ LF, the second | > ! ~ CRLF",
    )
    a = expect(spec, b12("P06-A", "20260309", dx=["D510"]), "clean", CLEAN_MCR, "MB")
    b = b12("P06-B", "20260309", dx=["D510", "E119"], ndc=NDC_FK)
    b.lines[0].modifiers = ["JZ"]
    b.lines[0].pointers = [1]
    expect(
        spec,
        b,
        "modifier",
        "JZ on a multi-dose vial (63323-0044-41 is labelled multi-dose): multi-dose vials need neither JW nor JZ (DOMAIN Edits)",
        "CI",
    )
    first = export(
        STD,
        [[st("0001", [sub("1EG4TE5MK21", "MORRIS", "GLEN", "19460606", "M", MEDICARE, [a])])]],
        control="106",
    )
    second = export(
        PIPES,
        [[st("0001", [sub("W222333444", "REYES", "ANA", "19800404", "F", AETNA, [b])])]],
        control="107",
    )
    spec.text = first + second
    spec.parts = [first, second]
    return spec


def p07() -> FileSpec:
    """Claim frequency codes: original, replacement (7) and void (8) with REF*F8."""
    spec = FileSpec(
        "p07_frequency_codes.837",
        "x12-837p",
        "CLM05-3 1, 7 (replacement of a claim sent in an earlier file, REF*F8) and 8 (void of an earlier claim, REF*F8)",
    )
    a = expect(spec, b12("P07-A", "20260302", dx=["D510"]), "clean", CLEAN_MCR, "MB")
    b = expect(
        spec,
        b12("P07-B", "20260216", dx=["D519"], frequency="7", payer_claim_number="26047000123450"),
        "clean",
        "replacement (CLM05-3 7) of an earlier claim, correctly billed: judged as the claim now stands",
        "MB",
    )
    c = expect(
        spec,
        b12(
            "P07-C",
            "20260209",
            dx=["D519"],
            units="2",
            frequency="8",
            payer_claim_number="26040000999990",
        ),
        "void",
        "void (CLM05-3 8) of an earlier claim: it bills nothing, so its 2 units are not a new overbilling (FHIR voids are counted, not judged: README)",
        "MB",
    )
    text = one_transaction(
        STD,
        "108",
        [
            sub("1EG4TE5MK31", "PRICE", "OWEN", "19450303", "M", MEDICARE, [a]),
            sub("1EG4TE5MK32", "STONE", "EDITH", "19470707", "F", MEDICARE, [b]),
            sub("1EG4TE5MK33", "VANCE", "LOIS", "19420202", "F", MEDICARE, [c]),
        ],
    )
    spec.text = text
    return spec


def p08() -> FileSpec:
    """Twelve diagnoses; the B12 diagnosis is the ninth (pointer 9)."""
    spec = FileSpec(
        "p08_twelve_diagnoses.837",
        "x12-837p",
        "12 diagnosis codes in HI (ABK + 11 ABF); the drug line points to the 9th (837P allows one HI of up to 12 codes: a second HI is invalid per pyx12 X222A1)",
    )
    dx = [
        "I10",
        "E119",
        "E785",
        "M1990",
        "K219",
        "J449",
        "N1830",
        "F329",
        "D510",
        "G4733",
        "Z7901",
        "E039",
    ]
    a = b12("P08-A", "20260317", dx=dx, ndc=NDC_ZY)
    a.lines[0].pointers = [9]
    a.lines[1].pointers = [9]
    a.lines.insert(
        0, Line("99214", "140.00", modifiers=["25"], pointers=[1, 2, 3, 4], date="20260317")
    )
    expect(
        spec,
        a,
        "clean",
        "D51.0 is the ninth diagnosis and the J3420/96372 lines point to it (pointer values 1-12 are valid, DOMAIN Edits); 99214-25 separately identifiable",
        "MB",
    )
    text = export(
        STD,
        [[st("0001", [sub("1EG4TE5MK41", "COLE", "RUTH", "19400101", "F", MEDICARE, [a])])]],
        control="109",
    )
    spec.text = text
    return spec


def p09() -> FileSpec:
    """Billing vs rendering: 2310B claim rendering, 2420A line rendering, none."""
    spec = FileSpec(
        "p09_rendering_providers.837",
        "x12-837p",
        "2310B rendering on one claim, 2420A line-level rendering (a nurse) on another, none on a third; an invalid 2420A NPI",
    )
    a = expect(
        spec,
        b12("P09-A", "20260318", rendering_npi=NPI_DR_B, rendering_name=("STEIN", "ANNA")),
        "clean",
        "2310B rendering NPI valid (Luhn over 80840)",
        "MB",
    )
    b = b12("P09-B", "20260318")
    for ln in b.lines:
        ln.rendering_npi = NPI_NURSE
    expect(
        spec,
        b,
        "clean",
        "no 2310B; 2420A rendering on each line (a nurse practitioner), valid",
        "MB",
    )
    c = expect(
        spec,
        b12("P09-C", "20260318"),
        "clean",
        "no rendering loop: the 2010AA billing provider is the rendering provider (TR3 2310B note)",
        "MB",
    )
    d = b12("P09-D", "20260318")
    for ln in d.lines:
        ln.rendering_npi = BAD_NPI
    expect(spec, d, "provider", "the 2420A rendering NPI fails its Luhn check digit", "MB")
    text = one_transaction(
        STD,
        "110",
        [
            sub("1EG4TE5MK51", "HUNT", "PAUL", "19430303", "M", MEDICARE, [a]),
            sub("1EG4TE5MK52", "WARD", "IRIS", "19440404", "F", MEDICARE, [b]),
            sub("1EG4TE5MK53", "KNOX", "EARL", "19450505", "M", MEDICARE, [c]),
            sub("1EG4TE5MK54", "LANE", "VERA", "19460606", "F", MEDICARE, [d]),
        ],
    )
    spec.text = text
    return spec


def p10() -> FileSpec:
    """SV1 as systems write it: decimal units, four modifiers, minutes, pointers, narrative."""
    spec = FileSpec(
        "p10_sv1_variants.837",
        "x12-837p",
        "SV104 written 1.0 and 1.000; four modifiers on a non-B12 line; anesthesia minutes (MJ); 96372 with 2 units for two injections",
    )
    a = b12("P10-A", "20260319", dx=["D510"], units="1.000", ndc=NDC_AR, ndc_qty="1.000")
    a.lines[1].units = "1.0"
    expect(spec, a, "clean", "units 1.000 and 1.0 are one unit", "MC")
    b = Claim(
        "P10-B",
        "11",
        ["M170"],
        [
            Line("20610", "180.00", modifiers=["RT", "59", "XS", "KX"], date="20260319"),
            Line(
                "J3301",
                "15.00",
                units="4",
                modifiers=["RT"],
                date="20260319",
                ndc="00003029320",
                ndc_qty="1",
                ndc_unit="ML",
            ),
        ],
    )
    expect(
        spec, b, "out_of_scope", "knee injection with triamcinolone: four modifiers, not B12", "CI"
    )
    c = Claim(
        "P10-C", "24", ["K635"], [Line("00810", "900.00", units="45", basis="MJ", date="20260319")]
    )
    expect(
        spec, c, "out_of_scope", "anesthesia for a colonoscopy in minutes (SV103 MJ): not B12", "CI"
    )
    d = b12("P10-D", "20260319", dx=["D510", "M0579"], ndc=NDC_AR)
    d.lines.append(
        Line(
            "J1100",
            "8.00",
            units="1",
            pointers=[2],
            date="20260319",
            ndc="63323016501",
            ndc_qty="1",
            ndc_unit="ML",
        )
    )
    d.lines[1].units = "2"
    d.lines[1].pointers = [1, 2]
    expect(
        spec,
        d,
        "clean",
        "two injections (B12 and dexamethasone J1100 for rheumatoid arthritis): 96372 x2 is one unit per injection and within its MUE of 4",
        "MC",
    )
    text = one_transaction(
        STD,
        "111",
        [
            sub("OR55500011", "FINCH", "NORA", "19850505", "F", MEDICAID, [a]),
            sub("OR55500012", "GRAY", "OTTO", "19860606", "M", MEDICAID, [d]),
            sub("W777000111", "GRANT", "OLIVER", "19600606", "M", AETNA, [b, c]),
        ],
    )
    spec.text = text
    return spec


def p11() -> FileSpec:
    """2410 LIN/CTP as systems write the NDC quantity: ML, UN, ME, F2; errors a coder makes."""
    spec = FileSpec(
        "p11_ndc_units.837",
        "x12-837p",
        "CTP05 unit ML, UN (one vial), ME (1 milligram) and F2 (international units, on insulin); a 10-digit NDC; a whole 30 mL vial billed for one unit",
    )
    a = expect(
        spec,
        b12("P11-A", "20260320", ndc=NDC_AR, ndc_unit="UN"),
        "clean",
        "1 UN = one 1 mL vial of 1,000 mcg/mL for J3420 x1",
        "MC",
    )
    b = expect(
        spec,
        b12("P11-B", "20260320", ndc=NDC_AR, ndc_unit="ME"),
        "clean",
        "1 ME = 1 mg = 1,000 mcg for J3420 x1",
        "MC",
    )
    c = Claim(
        "P11-C",
        "11",
        ["E1065"],
        [
            Line(
                "J1815",
                "30.00",
                units="2",
                date="20260320",
                ndc=NDC_INSULIN,
                ndc_qty="10",
                ndc_unit="F2",
            ),
            Line("96372", "25.00", date="20260320"),
        ],
    )
    expect(
        spec,
        c,
        "out_of_scope",
        "insulin J1815 with its NDC in international units (F2): not B12",
        "MC",
    )
    d = expect(
        spec,
        b12("P11-D", "20260320", ndc="5170031010", ndc_unit="ML"),
        "ndc",
        "LIN03 holds 10 digits: N4 requires the 11-digit 5-4-2 form (DOMAIN Edits: NDC)",
        "MC",
    )
    e = expect(
        spec,
        b12("P11-E", "20260320", ndc="69680012130", ndc_qty="30", ndc_unit="ML"),
        "ndc",
        "30 mL (the whole multi-dose vial, 30,000 mcg) for J3420 x1 (at most 1,000 mcg): quantity inconsistent with the billed dose (DOMAIN Edits: mL = mcg/1000)",
        "MC",
    )
    text = one_transaction(
        STD,
        "112",
        [
            sub("OR55500021", "HOLT", "GINA", "19710101", "F", MEDICAID, [a]),
            sub("OR55500022", "IVES", "CARL", "19720202", "M", MEDICAID, [b]),
            sub("OR55500023", "JAMES", "KAREN", "19730303", "F", MEDICAID, [c]),
            sub("OR55500024", "KEMP", "LEON", "19740404", "M", MEDICAID, [d]),
            sub("OR55500025", "LOWE", "MAE", "19750505", "F", MEDICAID, [e]),
        ],
    )
    spec.text = text
    return spec


def p12() -> FileSpec:
    """Notes, attachments, date ranges, lower-case names; hydroxocobalamin by era."""
    spec = FileSpec(
        "p12_notes_hydroxo.837",
        "x12-837p",
        "NTE and K3 notes, PWK attachments, DTP*472 RD8 ranges, lower-case names; J3425 (from 2024), J3490 hydroxocobalamin with SV101-7 narrative and NDC before 2024 and after",
    )
    a = b12(
        "P12-A",
        "20250114",
        dx=["D510"],
        code="J3425",
        units="100",
        ndc=NDC_HYDROXO,
        charge="30.00",
        note="PT TOLERATED WELL",
        pwk=True,
        k3="HYDROXOCOBALAMIN PER LABEL",
    )
    a.lines[0].date = None
    a.lines[0].date_range = ("20250114", "20250114")
    a.lines[0].note = "HYDROXOCOBALAMIN 1000MCG IM"
    expect(
        spec,
        a,
        "clean",
        "J3425 is 10 mcg per unit: 1,000 mcg = 100 units (DOMAIN Billing); RD8 range of one day",
        "CI",
    )
    b = b12("P12-B", "20230612", dx=["D510"], code="J3490", ndc=NDC_HYDROXO, charge="30.00")
    b.lines[0].description = "HYDROXOCOBALAMIN 1000MCG/ML INJ 1ML"
    expect(
        spec,
        b,
        "clean",
        "before J3425 existed (2024-01-01) hydroxocobalamin is J3490 with drug name, dose and NDC in the narrative (MAC NOC guidance)",
        "CI",
    )
    c = b12("P12-C", "20250610", dx=["D510"], code="J3490", ndc=NDC_HYDROXO, charge="30.00")
    c.lines[0].description = "HYDROXOCOBALAMIN 1000MCG/ML INJ 1ML"
    expect(
        spec,
        c,
        "drug",
        "J3490 for hydroxocobalamin in 2025: J3425 exists, an unclassified code is wrong when a specific one exists",
        "CI",
    )
    d = b12("P12-D", "20260302", dx=["D510"], ndc=NDC_AR, onset="20250101")
    d.lines[1].pwk = True
    d.lines[1].date = None
    d.lines[1].date_range = ("20260302", "20260302")
    expect(
        spec, d, "clean", "line-level PWK and an RD8 service date on the administration line", "CI"
    )
    text = one_transaction(
        STD,
        "113",
        [
            sub("W444000111", "MARSH", "IDA", "19580808", "F", AETNA, [a]),
            sub("W444000222", "NOLAN", "PERCY", "19590909", "M", AETNA, [b]),
            sub("W444000333", "ORTIZ", "RAUL", "19601010", "M", AETNA, [c]),
            sub("W444000444", "PAGE", "SYLVIA", "19611111", "F", AETNA, [d]),
        ],
        upper=False,
    )
    spec.text = text
    return spec


def p13() -> FileSpec:
    """A day of a busy practice: mostly not B12, a few B12 claims, two with defects."""
    spec = FileSpec(
        "p13_mixed_day.837",
        "x12-837p",
        "non-B12 claims (flu shots, visits, a ceftriaxone injection with 96372, a 96372 alone) mixed with B12 claims",
    )
    cs = [
        expect(spec, flu("P13-01", "20261002"), "out_of_scope", "flu shot", "MB"),
        expect(
            spec,
            visit("P13-02", "20261002", "99214", ["E119", "I10"]),
            "out_of_scope",
            "diabetes follow-up",
            "MB",
        ),
        expect(
            spec,
            Claim(
                "P13-03",
                "11",
                ["J189"],
                [
                    Line(
                        "J0696",
                        "15.00",
                        units="4",
                        date="20261002",
                        ndc=NDC_CEFTRIAXONE,
                        ndc_unit="UN",
                    ),
                    Line("96372", "25.00", date="20261002"),
                ],
            ),
            "out_of_scope",
            "ceftriaxone 1 g IM for pneumonia with 96372: an injection, but not B12",
            "MB",
        ),
        expect(
            spec,
            Claim("P13-04", "11", ["E119"], [Line("96372", "25.00", date="20261002")]),
            "out_of_scope",
            "96372 alone (a patient-supplied non-B12 drug): no B12 drug line and no chart, so not B12",
            "MB",
        ),
        expect(spec, b12("P13-05", "20261002", dx=["D510"]), "clean", CLEAN_MCR, "MB"),
        expect(
            spec,
            b12("P13-06", "20261002", dx=["D510"], units="3"),
            "units",
            "J3420 x3 over its MUE of 1 per date of service (all units deny)",
            "MB",
        ),
        expect(
            spec,
            b12("P13-07", "20261002", dx=["D510"], pos="22"),
            "provider",
            "professional claim with 96372/J3420 at POS 22 (outpatient hospital): the facility bills them (CPT 96360-96379 instructions, NCCI ch. XI)",
            "MB",
        ),
        expect(
            spec,
            b12("P13-08", "20261002", dx=["D510"], admin=False),
            "administration",
            "J3420 without its 96372 administration line",
            "MB",
        ),
        expect(
            spec,
            visit("P13-09", "20261002", "99212", ["Z0000"]),
            "out_of_scope",
            "wellness visit",
            "MB",
        ),
    ]
    text = one_transaction(
        CRLF,
        "114",
        [
            sub(f"1EG4TE5MK6{i}", "SMITH", f"PAT{i}", "19450101", "F", MEDICARE, [c])
            for i, c in enumerate(cs)
        ],
    )
    spec.text = text
    return spec


def p14() -> FileSpec:
    """One patient's injections over months, in one file, claim-only (no chart)."""
    spec = FileSpec(
        "p14_patient_series.837",
        "x12-837p",
        "one patient's claims: monthly doses, then a dose a week after the last with no phase documented",
    )
    a = expect(
        spec,
        b12("P14-1", "20260105", dx=["D510"]),
        "clean",
        "first maintenance dose of the file",
        "MB",
    )
    b = expect(spec, b12("P14-2", "20260202", dx=["D510"]), "clean", "28 days later: monthly", "MB")
    c = expect(spec, b12("P14-3", "20260302", dx=["D510"]), "clean", "28 days later: monthly", "MB")
    d = expect(
        spec,
        b12("P14-4", "20260309", dx=["D510"]),
        "frequency",
        "7 days after P14-3 with no phase documented: weekly injections outside a documented repletion phase are a finding (DOMAIN Phase and frequency)",
        "MB",
    )
    text = export(
        STD,
        [
            [
                st(
                    "0001",
                    [sub("1EG4TE5MK71", "QUINN", "DORA", "19410909", "F", MEDICARE, [a, b, c, d])],
                )
            ]
        ],
        control="115",
    )
    spec.text = text
    return spec


def p15() -> FileSpec:
    """The segment terminator is a line feed (ISA16 followed by LF)."""
    spec = FileSpec(
        "p15_newline_terminator.837",
        "x12-837p",
        "segment terminator = LF (no ~), as some Unix PM systems write it",
    )
    a = expect(
        spec,
        b12("P15-A", "20260305", dx=["D510"], ndc=NDC_AR),
        "clean",
        "Medicaid with NDC, D51.0",
        "MC",
    )
    text = export(
        NEWLINE_TERM,
        [[st("0001", [sub("OR55500031", "RAY", "NINA", "19820202", "F", MEDICAID, [a])])]],
        control="116",
    )
    spec.text = text
    return spec


def i01() -> FileSpec:
    """837I outpatient hospital clinic: TOB 131, 0636 J3420 with NDC, 0510 96372."""
    spec = FileSpec(
        "i01_outpatient_b12.837",
        "x12-837i",
        "TOB 0131, revenue 0636 J3420 with LIN/CTP NDC, revenue 0510 96372; HI ABK/ABF; Medicare (SBR09 MA)",
    )
    a = Claim(
        "I01-A",
        "13",
        ["D510", "K900"],
        [
            Line(
                "J3420",
                "40.00",
                revenue="0636",
                date="20260302",
                ndc=NDC_AR,
                ndc_qty="1",
                ndc_unit="ML",
            ),
            Line("96372", "95.00", revenue="0510", date="20260302"),
        ],
        statement=("20260302", "20260302"),
        rendering_npi=NPI_DR_A,
    )
    expect(
        spec,
        a,
        "clean",
        "outpatient clinic visit: drug on 0636 (drugs requiring detailed coding), 96372 on 0510; institutional lines carry no pointers",
        "MA",
        billing=NPI_HOSP,
    )
    b = Claim(
        "I01-B",
        "13",
        ["D510"],
        [
            Line(
                "J3420",
                "80.00",
                units="2",
                revenue="0636",
                date="20260302",
                ndc=NDC_AR,
                ndc_qty="2",
                ndc_unit="ML",
            ),
            Line("96372", "95.00", revenue="0510", date="20260302"),
        ],
        statement=("20260302", "20260302"),
        rendering_npi=NPI_DR_A,
    )
    expect(
        spec, b, "units", "J3420 x2 over its MUE of 1 per date of service", "MA", billing=NPI_HOSP
    )
    text = one_transaction(
        ONE_LINE,
        "201",
        [
            sub(
                "1EG4TE5MK81",
                "TATE",
                "ALMA",
                "19380303",
                "F",
                {**MEDICARE, "sbr09": "MA"},
                [a],
            ),
            sub(
                "1EG4TE5MK82",
                "UPTON",
                "BERT",
                "19390404",
                "M",
                {**MEDICARE, "sbr09": "MA"},
                [b],
            ),
        ],
        **HOSPITAL,
    )
    spec.text = text
    return spec


def i02() -> FileSpec:
    """837I with 0260 (IV therapy) for 96372, value codes, a non-B12 ED claim."""
    spec = FileSpec(
        "i02_value_codes_ed.837",
        "x12-837i",
        "96372 on revenue 0260, value codes in HI*BE, an emergency-department claim (0450 99283) that is not B12",
    )
    a = Claim(
        "I02-A",
        "13",
        ["E538", "Z9884"],
        [
            Line(
                "J3420",
                "40.00",
                revenue="0636",
                date="20260306",
                ndc=NDC_FK,
                ndc_qty="1",
                ndc_unit="ML",
            ),
            Line("96372", "95.00", revenue="0260", date="20260306"),
        ],
        statement=("20260306", "20260306"),
        rendering_npi=NPI_DR_A,
        value_codes=[("A1", "20.00")],
    )
    expect(
        spec,
        a,
        "clean",
        "E53.8 after bariatric surgery covered; 96372 billed under revenue 0260; a value code A1 (deductible) is not a diagnosis",
        "CI",
        billing=NPI_HOSP,
    )
    b = Claim(
        "I02-B",
        "13",
        ["S0101XA"],
        [
            Line("99283", "450.00", revenue="0450", date="20260306"),
            Line("12001", "300.00", revenue="0450", date="20260306"),
        ],
        statement=("20260306", "20260306"),
        rendering_npi=NPI_DR_B,
    )
    expect(spec, b, "out_of_scope", "an ED visit for a scalp laceration", "CI", billing=NPI_HOSP)
    c = Claim(
        "I02-C",
        "13",
        [
            "I10",
            "E119",
            "E785",
            "M1990",
            "K219",
            "J449",
            "N1830",
            "F329",
            "G4733",
            "Z7901",
            "E039",
            "K5090",
            "E538",
        ],
        [
            Line(
                "J3420",
                "40.00",
                revenue="0636",
                date="20260306",
                ndc=NDC_FK,
                ndc_qty="1",
                ndc_unit="ML",
            ),
            Line("96372", "95.00", revenue="0510", date="20260306"),
        ],
        statement=("20260306", "20260306"),
        rendering_npi=NPI_DR_A,
    )
    expect(
        spec,
        c,
        "clean",
        "principal HI*ABK then 12 ABF in the other-diagnosis HI: E53.8 with Crohn's K50.90 are the 12th and 13th codes and support the drug",
        "CI",
        billing=NPI_HOSP,
    )
    text = one_transaction(
        STD,
        "202",
        [
            sub("W888000111", "VOSS", "CLARA", "19690606", "F", AETNA, [a]),
            sub("W888000333", "XU", "MEI", "19710202", "F", AETNA, [c]),
            sub("W888000222", "WEBB", "DEAN", "19700707", "M", AETNA, [b]),
        ],
        **HOSPITAL,
    )
    spec.text = text
    return spec


def i03() -> FileSpec:
    """837I to a secondary payer after the primary paid: 2320 CAS/AMT, 2430 SVD/CAS."""
    spec = FileSpec(
        "i03_secondary_cas.837",
        "x12-837i",
        "Medicaid secondary claim after a commercial primary: 2320 SBR/CAS/AMT*D/OI, 2330A/B, 2430 SVD+CAS per line: the prior payer's loops never replace the claim's payer",
    )
    prior = {
        "name": "AETNA",
        "id": "60054",
        "paid": "90.00",
        "cas": "45.00",
        "member": "W999000111",
        "sub_last": "YATES",
        "sub_first": "FERN",
    }
    a = Claim(
        "I03-A",
        "13",
        ["D510"],
        [
            Line(
                "J3420",
                "40.00",
                revenue="0636",
                date="20260309",
                ndc=NDC_AR,
                ndc_qty="1",
                ndc_unit="ML",
                prior_paid="30.00",
            ),
            Line("96372", "95.00", revenue="0510", date="20260309", prior_paid="60.00"),
        ],
        statement=("20260309", "20260309"),
        rendering_npi=NPI_DR_A,
        prior_payer=prior,
    )
    expect(
        spec,
        a,
        "clean",
        "the claim's payer is Medicaid (2000B SBR09 MC) with the NDC it requires; CAS is the primary's adjustment",
        "MC",
        billing=NPI_HOSP,
    )
    text = export(
        CRLF,
        [
            [
                st(
                    "0001",
                    [sub("OR55500041", "YATES", "FERN", "19900909", "F", MEDICAID, [a])],
                    billing=NPI_HOSP,
                    name="ST MARY OUTPATIENT",
                    institutional=True,
                )
            ]
        ],
        control="203",
    )
    spec.text = text
    return spec


def i04() -> FileSpec:
    """837I with | > ! separators and a replacement bill (TOB 0137)."""
    spec = FileSpec(
        "i04_pipes_replacement.837",
        "x12-837i",
        "ISA | > ! ~ CRLF; a replacement bill (frequency 7 -> TOB 0137) with REF*F8 and a clean original (0131)",
    )
    a = Claim(
        "I04-A",
        "13",
        ["D518", "K909"],
        [
            Line(
                "J3420",
                "40.00",
                revenue="636",
                date="20260312",
                ndc=NDC_ZY,
                ndc_qty="1",
                ndc_unit="ML",
            ),
            Line("96372", "95.00", revenue="0510", date="20260312"),
        ],
        statement=("20260312", "20260312"),
        rendering_npi=NPI_DR_A,
    )
    expect(
        spec,
        a,
        "clean",
        "D51.8 other B12-deficiency anemia covered; revenue code written 636 (3 digits) reads as 0636",
        "16",
        billing=NPI_HOSP,
    )
    b = Claim(
        "I04-B",
        "13",
        ["D510"],
        [
            Line(
                "J3420",
                "40.00",
                revenue="0636",
                date="20260213",
                ndc=NDC_ZY,
                ndc_qty="1",
                ndc_unit="ML",
            ),
            Line("96372", "95.00", revenue="0510", date="20260213"),
        ],
        statement=("20260213", "20260213"),
        rendering_npi=NPI_DR_A,
        frequency="7",
        payer_claim_number="0026044000123",
    )
    expect(
        spec,
        b,
        "clean",
        "replacement of an earlier bill (TOB 0137), correctly billed",
        "16",
        billing=NPI_HOSP,
    )
    text = one_transaction(
        PIPES,
        "204",
        [
            sub("H22233344", "ZANE", "GWEN", "19480808", "F", MEDICARE_ADV, [a]),
            sub("H22233355", "ABBOT", "HUGO", "19490909", "M", MEDICARE_ADV, [b]),
        ],
        **HOSPITAL,
    )
    spec.text = text
    return spec


def p16() -> FileSpec:
    """A month's export from a PM system: an original and its corrected claim; a line place of service."""
    spec = FileSpec(
        "p16_month_corrections.837",
        "x12-837p",
        "a monthly export holding a claim and, later in the file, its replacement (CLM05-3 7, same CLM01, REF*F8); a claim whose lines carry SV105 place of service 22 under CLM05-1 11",
    )
    orig = b12("P16-A", "20260303", dx=["D510"], units="2")
    repl = b12("P16-A", "20260303", dx=["D510"], frequency="7", payer_claim_number="26062000555510")
    spec.claims["P16-A"] = Expect(
        "clean",
        "the replacement (CLM05-3 7) corrects units 2 -> 1 and supersedes the original in the same export: the claim as it now stands is correct; the original is not a second visit and the replacement is not a duplicate record",
    )
    spec.fields["P16-A"] = fields_of(repl, "medicare", NPI_CLINIC)
    b = b12("P16-B", "20260304", dx=["D510"])
    for ln in b.lines:
        ln.line_pos = "22"
    expect(
        spec,
        b,
        "provider",
        "SV105 = 22 (on-campus outpatient hospital) on both lines overrides CLM05-1 11 (TR3 2400 SV105: required when it differs from the claim's): 96372/J3420 by a professional in a facility are billed by the facility (CPT 96360-96379, NCCI ch. XI)",
        "MB",
    )
    text = export(
        STD,
        [
            [
                st(
                    "0001",
                    [
                        sub("1EG4TE5MK91", "BARNES", "OLGA", "19440404", "F", MEDICARE, [orig]),
                        sub("1EG4TE5MK92", "CROSS", "PETER", "19450505", "M", MEDICARE, [b]),
                    ],
                ),
                st(
                    "0002",
                    [sub("1EG4TE5MK91", "BARNES", "OLGA", "19440404", "F", MEDICARE, [repl])],
                ),
            ]
        ],
        control="117",
    )
    spec.text = text
    return spec


def i05() -> FileSpec:
    """837I void bill (TOB 0138) and a one-day bill with no line dates (DTP*434 only)."""
    spec = FileSpec(
        "i05_void_and_statement_dates.837",
        "x12-837i",
        "a void/cancel bill (CLM05-3 8 -> TOB 0138, REF*F8) and a one-day outpatient bill whose lines have no DTP*472 (the TR3 requires it only when the statement period is longer than a day)",
    )
    a = Claim(
        "I05-A",
        "13",
        ["D510"],
        [
            Line(
                "J3420",
                "80.00",
                units="2",
                revenue="0636",
                date="20260210",
                ndc=NDC_AR,
                ndc_qty="2",
                ndc_unit="ML",
            ),
            Line("96372", "95.00", revenue="0510", date="20260210"),
        ],
        statement=("20260210", "20260210"),
        rendering_npi=NPI_DR_A,
        frequency="8",
        payer_claim_number="0026041000777",
    )
    spec.claims["I05-A"] = Expect(
        "void",
        "a void bill (TOB 0138) cancels an earlier bill: it bills nothing, so it is not judged (as FHIR voids are counted, not judged)",
    )
    b = Claim(
        "I05-B",
        "13",
        ["D510"],
        [
            Line("J3420", "40.00", revenue="0636", ndc=NDC_AR, ndc_qty="1", ndc_unit="ML"),
            Line("96372", "95.00", revenue="0510"),
        ],
        statement=("20260311", "20260311"),
        rendering_npi=NPI_DR_A,
    )
    expect(
        spec,
        b,
        "clean",
        "one-day bill: the lines' date is the statement date (DTP*434)",
        "MA",
        billing=NPI_HOSP,
    )
    text = one_transaction(
        STD,
        "205",
        [
            sub(
                "1EG4TE5MK93",
                "DALE",
                "RITA",
                "19360606",
                "F",
                {**MEDICARE, "sbr09": "MA"},
                [a],
            ),
            sub(
                "1EG4TE5MK94",
                "EVANS",
                "SAUL",
                "19370707",
                "M",
                {**MEDICARE, "sbr09": "MA"},
                [b],
            ),
        ],
        **HOSPITAL,
    )
    spec.text = text
    return spec


def p17() -> FileSpec:
    """A DOS-era PM system's file: CRLF after each segment and a Ctrl-Z (0x1A) end-of-file mark."""
    spec = FileSpec(
        "p17_dos_eof_mark.837",
        "x12-837p",
        "CRLF segment ends and a trailing SUB (0x1A, Ctrl-Z) end-of-file byte, as DOS/Windows PM systems and some modem-era clearinghouse tools write files; pyx12 accepts it",
    )
    a = expect(
        spec,
        b12("P17-A", "20260323", dx=["D510"], ndc=NDC_AR),
        "clean",
        "Medicaid B12 with its NDC, D51.0",
        "MC",
    )
    b = expect(spec, visit("P17-B", "20260323"), "out_of_scope", "office visit", "MC")
    text = one_transaction(
        CRLF,
        "118",
        [
            sub("OR55500051", "FORD", "ELLA", "19810101", "F", MEDICAID, [a]),
            sub("OR55500052", "GILL", "IVAN", "19820202", "M", MEDICAID, [b]),
        ],
    )
    spec.text = text + "\x1a"
    return spec


def p18() -> FileSpec:
    """Several dates of service on one claim: a series billed together, as CMS-1500 allows."""
    spec = FileSpec(
        "p18_series_on_one_claim.837",
        "x12-837p",
        "one claim per patient holding several dates of service, each line with its own DTP*472 (the CMS-1500 and the 837P allow lines of different dates on one claim): monthly doses, and a weekly loading course",
    )
    a = b12("P18-A", "20260105", dx=["D510"], ndc=NDC_AR)
    a.lines += [
        Line("J3420", "12.00", date="20260202", ndc=NDC_AR, ndc_qty="1", ndc_unit="ML"),
        Line("96372", "25.00", date="20260202"),
    ]
    expect(
        spec,
        a,
        "clean",
        "two monthly maintenance doses 28 days apart billed on one claim: J3420 x1 on each date of service is within its MUE of 1 per date of service (the MUE counts units per date, not per claim)",
        "MC",
    )
    b = b12("P18-B", "20260302", dx=["D510"], ndc=NDC_AR)
    for day_ in ("20260309", "20260316", "20260323"):
        b.lines += [
            Line("J3420", "12.00", date=day_, ndc=NDC_AR, ndc_qty="1", ndc_unit="ML"),
            Line("96372", "25.00", date=day_),
        ]
    expect(
        spec,
        b,
        "frequency",
        "four weekly injections on one claim with no phase documented (claim only): weekly injections with no documented repletion phase are a frequency finding (DOMAIN Phase and frequency); each date is within the MUE",
        "MC",
    )
    # FORMATS.md: one encounter is one visit on one date. b12lint reads a professional claim
    # with lines of several dates as one encounter per date, CLM01@YYYY-MM-DD (README).
    by_date(spec, "P18-A", {
        "2026-01-05": ("clean", "the first monthly dose of P18-A (J3420 x1, 96372)"),
        "2026-02-02": ("clean", "the second monthly dose, 28 days after the first: within the maintenance interval and the MUE of 1 per date of service"),
    })  # fmt: skip
    weekly = "a weekly injection 7 days after the previous one on the same claim with no phase documented (claim only): a frequency finding (DOMAIN Phase and frequency); within the MUE"
    by_date(spec, "P18-B", {
        "2026-03-02": ("clean", "the first of four weekly injections on one claim: no earlier injection"),
        "2026-03-09": ("frequency", weekly),
        "2026-03-16": ("frequency", weekly),
        "2026-03-23": ("frequency", weekly),
    })  # fmt: skip
    text = export(STD, [[st("0001", [
        sub("OR55500061", "HALE", "JUNE", "19630303", "F", MEDICAID, [a]),
        sub("OR55500062", "IRWIN", "KYLE", "19640404", "M", MEDICAID, [b]),
    ])]], control="119")  # fmt: skip
    spec.text = text
    return spec


def by_date(spec: FileSpec, claim_id: str, days: dict[str, tuple[str, str]]) -> None:
    """Expect a claim with lines of several dates as one encounter per date (CLM01@date):
    each date's verdict and note, its fields the claim's with that date's lines."""
    whole = spec.fields.pop(claim_id)
    del spec.claims[claim_id]
    for day, (verdict, note) in days.items():
        spec.claims[f"{claim_id}@{day}"] = Expect(verdict, note)
        lines = [ln for ln in whole["lines"] if ln["date"] == day]
        spec.fields[f"{claim_id}@{day}"] = {**whole, "lines": lines}


def p19() -> FileSpec:
    """Unlisted-drug narratives where MACs also take them: the line note (2400 NTE) and item 19 (2300 NTE)."""
    spec = FileSpec(
        "p19_noc_narrative_in_notes.837",
        "x12-837p",
        "J3490 hydroxocobalamin before J3425 existed, its drug name and dose written in the 2400 NTE*ADD line note (one claim) or the 2300 NTE*ADD claim note = CMS-1500 item 19 (the other) instead of SV101-7; NDC in LIN",
    )
    a = b12("P19-A", "20230615", dx=["D510"], code="J3490", ndc=NDC_HYDROXO, charge="30.00")
    a.lines[0].note = "HYDROXOCOBALAMIN 1000MCG/ML 1ML IM"
    spec.claims["P19-A"] = Expect(
        "clean",
        "NOC drug narrative in the 2400 NTE*ADD (MACs take SV101-7 or 2400 NTE02 for unlisted drugs: name, dose, NDC); hydroxocobalamin before 2024 is J3490",
    )
    spec.fields["P19-A"] = fields_of(a, "commercial", NPI_CLINIC)
    b = b12(
        "P19-B",
        "20230615",
        dx=["D510"],
        code="J3490",
        ndc=NDC_HYDROXO,
        charge="30.00",
        note="HYDROXOCOBALAMIN 1000MCG IM",
    )
    spec.claims["P19-B"] = Expect(
        "clean",
        "NOC drug narrative in the 2300 NTE*ADD (the 837P home of CMS-1500 item 19, where MACs ask for the unlisted drug's name and dose)",
    )
    spec.fields["P19-B"] = fields_of(b, "commercial", NPI_CLINIC)
    text = export(STD, [[st("0001", [
        sub("W666000111", "OWENS", "TESS", "19620202", "F", AETNA, [a]),
        sub("W666000222", "PIKE", "URI", "19630303", "M", AETNA, [b]),
    ])]], control="120")  # fmt: skip
    spec.text = text
    return spec


def i06() -> FileSpec:
    """837I: the packaged B12 drug under general pharmacy (0250) with its NDC and no HCPCS."""
    spec = FileSpec(
        "i06_packaged_pharmacy_0250.837",
        "x12-837i",
        "an outpatient bill whose cyanocobalamin is reported under revenue 0250 (general pharmacy) with its NDC in LIN/CTP and no HCPCS (OPPS packages J3420, status indicator N), and 96372 under 0510: the B12 is known by its NDC alone",
    )
    a = Claim(
        "I06-A",
        "13",
        ["D510"],
        [
            Line(
                None,
                "40.00",
                revenue="0250",
                date="20260316",
                ndc=NDC_AR,
                ndc_qty="1",
                ndc_unit="ML",
            ),
            Line("96372", "95.00", revenue="0510", date="20260316"),
        ],
        statement=("20260316", "20260316"),
        rendering_npi=NPI_DR_A,
    )
    spec.claims["I06-A"] = Expect(
        "clean",
        "a packaged drug billed under 0250 without HCPCS is allowed on an outpatient bill (the drug cost rides on the visit); the B12 is identified by its NDC; 96372 x1 on 0510; D51.0 covered",
    )
    spec.fields["I06-A"] = fields_of(a, "medicare", NPI_DR_A)
    b = Claim(
        "I06-B",
        "13",
        ["R5383"],
        [
            Line(
                None,
                "40.00",
                revenue="0250",
                date="20260316",
                ndc=NDC_AR,
                ndc_qty="1",
                ndc_unit="ML",
            ),
            Line("96372", "95.00", revenue="0510", date="20260316"),
        ],
        statement=("20260316", "20260316"),
        rendering_npi=NPI_DR_A,
    )
    spec.claims["I06-B"] = Expect(
        "indication",
        "the same packaged B12 (cyanocobalamin NDC on 0250) given for fatigue R53.83 alone: not covered (general good and welfare, DOMAIN Coverage)",
    )
    text = export(STD, [[st("0001", [sub("1EG4TE5MK95", "FROST", "TINA", "19380808", "F", {**MEDICARE, "sbr09": "MA"}, [a]), sub("1EG4TE5MK96", "GLENN", "ABE", "19390909", "M", {**MEDICARE, "sbr09": "MA"}, [b])], **HOSPITAL)]], control="206")  # fmt: skip
    spec.text = text
    return spec


def p20() -> FileSpec:
    """CLM01 holding the patient's account number, as many PM systems write it: it repeats."""
    spec = FileSpec(
        "p20_account_number_as_clm01.837",
        "x12-837p",
        "a month-end batch of a PM system that writes the patient account number in CLM01 (the TR3 calls it the Patient Control Number and only recommends it be unique per claim): one patient's two monthly B12 visits both carry CLM01 ACCT-20417",
    )
    a = b12("ACCT-20417", "20260202", dx=["D510"], ndc=NDC_AR)
    b = b12("ACCT-20417", "20260302", dx=["D510"], ndc=NDC_AR)
    spec.claims["ACCT-20417"] = Expect(
        "clean",
        "two visits 28 days apart (monthly maintenance), both correctly billed; the repeated CLM01 is the account number, not a duplicate claim (different dates, different lines)",
    )
    spec.fields["ACCT-20417"] = fields_of(a, "medicaid", NPI_CLINIC)
    spec.counts = 2
    spec.text = one_transaction(
        STD, "121", [sub("OR55500071", "ROSS", "VERA", "19660606", "F", MEDICAID, [a, b])]
    )
    return spec


ALL = [
    p01,
    p02,
    p03,
    p04,
    p05,
    p06,
    p07,
    p08,
    p09,
    p10,
    p11,
    p12,
    p13,
    p14,
    p15,
    p16,
    p17,
    p18,
    p19,
    p20,
    i01,
    i02,
    i03,
    i04,
    i05,
    i06,
]
