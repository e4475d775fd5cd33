"""A small X12 837P / 837I writer for the realistic export set (test data only).

Written from the 5010 implementation guides (005010X222A1 professional, 005010X223A2
institutional), not from b12lint's readers: each export style (separators, line breaks, case,
loops) is a parameter, so that one claim can be written the way many systems write it.
"""

from __future__ import annotations

from dataclasses import dataclass, field


@dataclass(frozen=True)
class Style:
    """How a system writes an interchange: separators and line breaks."""

    element: str = "*"
    component: str = ":"
    repetition: str = "^"
    terminator: str = "~"
    newline: str = "\n"  # after each terminator: "\n", "\r\n" or "" (one long line)


@dataclass
class Line:
    """One service line (2400): SV1 for 837P, SV2 for 837I."""

    code: str | None
    charge: str
    units: str = "1"
    basis: str = "UN"  # SV103 / SV204: UN or MJ (minutes)
    modifiers: list[str] = field(default_factory=list)
    pointers: list[int] = field(default_factory=lambda: [1])
    description: str | None = None  # SV101-7 / SV202-7
    date: str | None = None  # D8 CCYYMMDD
    date_range: tuple[str, str] | None = None  # RD8
    ndc: str | None = None  # 11 digits, as written in LIN03
    ndc_qty: str | None = None
    ndc_unit: str | None = None
    rendering_npi: str | None = None  # 2420A
    pwk: bool = False
    note: str | None = None  # NTE*ADD
    revenue: str | None = None  # 837I SV201
    prior_paid: str | None = None  # 837I 2430 SVD amount
    line_pos: str | None = None  # 837P SV105, when it differs from CLM05-1


@dataclass
class Claim:
    """One 2300 claim."""

    claim_id: str
    pos: str  # 837P CLM05-1; 837I facility type code (e.g. 13)
    dx: list[str]  # first is the principal (ABK), the others ABF
    lines: list[Line]
    frequency: str = "1"
    payer_claim_number: str | None = None  # REF*F8
    rendering_npi: str | None = None  # 2310B (837P) / 2310A attending (837I)
    rendering_name: tuple[str, str] = ("WELBY", "MARCUS")
    pwk: bool = False
    k3: str | None = None
    note: str | None = None
    hi_split: int | None = None  # write diagnoses in two HI segments at this index
    value_codes: list[tuple[str, str]] = field(default_factory=list)  # 837I HI*BE
    statement: tuple[str, str] | None = None  # 837I DTP*434 RD8
    prior_payer: dict[str, str] | None = None  # 837I 2320/2330: name, id, paid, cas
    onset: str | None = None


@dataclass
class Patient:
    """A dependent patient (2000C) or the subscriber's own claims."""

    last: str
    first: str
    dob: str
    sex: str
    claims: list[Claim]
    relationship: str = "19"  # PAT01: 19 child, 01 spouse


@dataclass
class Subscriber:
    """One 2000B subscriber loop with its payer."""

    member_id: str
    last: str
    first: str
    dob: str
    sex: str
    payer_name: str
    payer_id: str
    sbr09: str
    claims: list[Claim] = field(default_factory=list)  # patient = subscriber
    dependents: list[Patient] = field(default_factory=list)  # patient != subscriber
    group: str | None = None


@dataclass
class Transaction:
    """One ST/SE transaction: a billing provider and its subscribers."""

    control: str
    billing_npi: str
    billing_name: str
    subscribers: list[Subscriber]
    institutional: bool = False
    billing_taxonomy: str = "207Q00000X"


class Writer:
    """Turns the model into segments with one style."""

    def __init__(self, style: Style, upper: bool = True) -> None:
        self.s = style
        self.upper = upper

    def seg(self, *elements: str) -> str:
        """One segment: trailing empty elements dropped, as the guide requires."""
        items = list(elements)
        while items and items[-1] == "":
            items.pop()
        if not self.upper:
            for index in FREE_TEXT.get(items[0], ()):
                if index < len(items):
                    items[index] = items[index].lower()
        return self.s.element.join(items)

    def comp(self, *parts: str) -> str:
        """A composite: trailing empty components dropped."""
        items = list(parts)
        while items and items[-1] == "":
            items.pop()
        return self.s.component.join(items)

    def isa(self, control: str, date: str, time: str) -> str:
        """The fixed-length ISA header with this style's separators."""
        e = self.s.element
        fields = [
            "ISA", "00", " " * 10, "00", " " * 10, "ZZ", "CLINICPMS".ljust(15), "ZZ",
            "CLEARINGHOUSE".ljust(15), date[2:], time, self.s.repetition, "00501",
            control.rjust(9, "0"), "0", "P", self.s.component,
        ]  # fmt: skip
        return e.join(fields)

    def interchange(self, control: str, groups: list[list[Transaction]]) -> str:
        """ISA, one GS per group, IEA."""
        out = [self.isa(control, "20260305", "1015")]
        for gi, group in enumerate(groups, start=1):
            version = "005010X223A2" if group[0].institutional else "005010X222A1"
            out.append(
                self.seg(
                    "GS",
                    "HC",
                    "CLINICPMS",
                    "CLEARINGHOUSE",
                    "20260305",
                    "1015",
                    str(gi),
                    "X",
                    version,
                )
            )
            for st in group:
                out.extend(self.transaction(st, version))
            out.append(self.seg("GE", str(len(group)), str(gi)))
        out.append(self.seg("IEA", str(len(groups)), control.rjust(9, "0")))
        t, n = self.s.terminator, self.s.newline
        return "".join(segment + t + n for segment in out)

    def transaction(self, st: Transaction, version: str) -> list[str]:
        """ST .. SE with the hierarchy."""
        segs = [
            self.seg("ST", "837", st.control, version),
            self.seg("BHT", "0019", "00", "B" + st.control, "20260305", "1015", "CH"),
            self.seg("NM1", "41", "2", "SUNRISE PM BILLING", "", "", "", "", "46", "SUB4471"),
            self.seg("PER", "IC", "BILLING DESK", "TE", "5035550100"),
            self.seg("NM1", "40", "2", "CLEARINGHOUSE", "", "", "", "", "46", "CH0001"),
            self.seg("HL", "1", "", "20", "1"),
            self.seg("PRV", "BI", "PXC", st.billing_taxonomy),
            self.seg("NM1", "85", "2", st.billing_name, "", "", "", "", "XX", st.billing_npi),
            self.seg("N3", "1200 MAIN ST"),
            self.seg("N4", "PORTLAND", "OR", "972010000"),
            self.seg("REF", "EI", "931234567"),
        ]
        hl = 1
        for sub in st.subscribers:
            hl += 1
            sub_hl = hl
            has_dependents = bool(sub.dependents)
            segs.append(self.seg("HL", str(sub_hl), "1", "22", "1" if has_dependents else "0"))
            claim_filing = sub.sbr09
            segs.append(
                self.seg(
                    "SBR",
                    "P",
                    "" if has_dependents else "18",
                    sub.group or "",
                    "",
                    "",
                    "",
                    "",
                    "",
                    claim_filing,
                )
            )
            segs.append(
                self.seg("NM1", "IL", "1", sub.last, sub.first, "", "", "", "MI", sub.member_id)
            )
            segs.append(self.seg("N3", "45 OAK AVE"))
            segs.append(self.seg("N4", "PORTLAND", "OR", "97202"))
            segs.append(self.seg("DMG", "D8", sub.dob, sub.sex))
            segs.append(
                self.seg("NM1", "PR", "2", sub.payer_name, "", "", "", "", "PI", sub.payer_id)
            )
            for claim in sub.claims:
                segs.extend(self.claim(claim, st.institutional))
            for dep in sub.dependents:
                hl += 1
                segs.append(self.seg("HL", str(hl), str(sub_hl), "23", "0"))
                segs.append(self.seg("PAT", dep.relationship))
                segs.append(self.seg("NM1", "QC", "1", dep.last, dep.first))
                segs.append(self.seg("N3", "45 OAK AVE"))
                segs.append(self.seg("N4", "PORTLAND", "OR", "97202"))
                segs.append(self.seg("DMG", "D8", dep.dob, dep.sex))
                for claim in dep.claims:
                    segs.extend(self.claim(claim, st.institutional))
        segs.append(self.seg("SE", str(len(segs) + 1), st.control))
        return segs

    def claim(self, c: Claim, institutional: bool) -> list[str]:
        """The 2300 loop and its lines."""
        total = f"{sum(float(ln.charge) for ln in c.lines):.2f}"
        composite = self.comp(c.pos, "A" if institutional else "B", c.frequency)
        signature = "" if institutional else "Y"  # CLM06 is not used in the 837I
        segs = [self.seg("CLM", c.claim_id, total, "", "", composite, signature, "A", "Y", "Y")]
        if institutional:
            start, end = c.statement or ("", "")
            segs.append(self.seg("DTP", "434", "RD8", f"{start}-{end}"))
            segs.append(self.seg("CL1", "", "", "01"))
        elif c.onset:
            segs.append(self.seg("DTP", "431", "D8", c.onset))
        if c.pwk:
            segs.append(self.seg("PWK", "OZ", "BM", "", "", "AC", "DOC" + c.claim_id))
        if c.payer_claim_number:
            segs.append(self.seg("REF", "F8", c.payer_claim_number))
        if c.k3:
            segs.append(self.seg("K3", c.k3))
        if c.note:
            segs.append(self.seg("NTE", "ADD", c.note))
        segs.extend(self.hi(c, institutional))
        if institutional:
            if c.rendering_npi:
                last, first = c.rendering_name
                segs.append(
                    self.seg("NM1", "71", "1", last, first, "", "", "", "XX", c.rendering_npi)
                )
            if c.prior_payer:
                segs.extend(self.prior_payer(c.prior_payer))
        elif c.rendering_npi:
            last, first = c.rendering_name
            segs.append(self.seg("NM1", "82", "1", last, first, "", "", "", "XX", c.rendering_npi))
            segs.append(self.seg("PRV", "PE", "PXC", "207Q00000X"))
        for i, ln in enumerate(c.lines, start=1):
            segs.extend(self.line(i, ln, institutional, c))
        return segs

    def hi(self, c: Claim, institutional: bool) -> list[str]:
        """HI: ABK principal then ABF; value codes (837I) in HI*BE."""
        codes = [self.comp("ABK", c.dx[0])] + [self.comp("ABF", d) for d in c.dx[1:]]
        if institutional:
            segs = [self.seg("HI", codes[0])] + ([self.seg("HI", *codes[1:])] if codes[1:] else [])
        elif c.hi_split:
            segs = [self.seg("HI", *codes[: c.hi_split]), self.seg("HI", *codes[c.hi_split :])]
        else:
            segs = [self.seg("HI", *codes)]
        if institutional and c.value_codes:
            segs.append(
                self.seg(
                    "HI", *[self.comp("BE", code, "", "", amount) for code, amount in c.value_codes]
                )
            )
        return segs

    def prior_payer(self, p: dict[str, str]) -> list[str]:
        """837I 2320 other subscriber with the prior payer's claim adjustments, and 2330A/B."""
        return [
            self.seg("SBR", "S", "18", "", "", "", "", "", "", "CI"),
            self.seg("CAS", "CO", "45", p["cas"]),
            self.seg("AMT", "D", p["paid"]),
            self.seg("OI", "", "", "Y", "", "", "Y"),
            self.seg(
                "NM1", "IL", "1", p["sub_last"], p["sub_first"], "", "", "", "MI", p["member"]
            ),
            self.seg("NM1", "PR", "2", p["name"], "", "", "", "", "PI", p["id"]),
        ]

    def line(self, i: int, ln: Line, institutional: bool, c: Claim) -> list[str]:
        """2400 with 2410 drug identification and 2420A rendering."""
        segs = [self.seg("LX", str(i))]
        mods = ln.modifiers + [""] * (4 - len(ln.modifiers))
        product = ""
        if ln.code:
            product = (
                self.comp("HC", ln.code, *mods, ln.description or "")
                if (ln.modifiers or ln.description)
                else self.comp("HC", ln.code)
            )
        if institutional:
            segs.append(self.seg("SV2", ln.revenue or "", product, ln.charge, ln.basis, ln.units))
        else:
            ptrs = self.comp(*[str(p) for p in ln.pointers])
            segs.append(
                self.seg("SV1", product, ln.charge, ln.basis, ln.units, ln.line_pos or "", "", ptrs)
            )
        if ln.pwk:
            segs.append(self.seg("PWK", "OZ", "BM", "", "", "AC", f"L{i}{c.claim_id}"))
        if ln.date_range:
            segs.append(self.seg("DTP", "472", "RD8", f"{ln.date_range[0]}-{ln.date_range[1]}"))
        elif ln.date:
            segs.append(self.seg("DTP", "472", "D8", ln.date))
        if ln.note:
            segs.append(self.seg("NTE", "ADD", ln.note))
        if ln.ndc:
            segs.append(self.seg("LIN", "", "N4", ln.ndc))
            segs.append(
                self.seg("CTP", "", "", "", ln.ndc_qty or "1", self.comp(ln.ndc_unit or "UN"))
            )
        if ln.rendering_npi and not institutional:
            segs.append(
                self.seg("NM1", "82", "1", "NURSE", "ANNA", "", "", "", "XX", ln.rendering_npi)
            )
        if institutional and ln.prior_paid is not None and c.prior_payer:
            segs.append(
                self.seg(
                    "SVD", c.prior_payer["id"], ln.prior_paid, product, ln.revenue or "", ln.units
                )
            )
            segs.append(
                self.seg("CAS", "CO", "45", f"{float(ln.charge) - float(ln.prior_paid):.2f}")
            )
            segs.append(self.seg("DTP", "573", "D8", "20260320"))
        return segs


FREE_TEXT = {"NM1": (3, 4), "NTE": (2,), "K3": (1,), "N3": (1,), "N4": (1,), "PER": (2,)}


def npi(nine: str) -> str:
    """A valid NPI: nine digits plus the Luhn check digit over 80840 + the nine."""
    digits = "80840" + nine
    total = 0
    for i, ch in enumerate(reversed(digits)):
        d = int(ch)
        if i % 2 == 0:
            d *= 2
            if d > 9:
                d -= 9
        total += d
    return nine + str((10 - total % 10) % 10)


def as_native_units(text: str) -> float:
    """The number a units element stands for."""
    return float(text)


def export(
    style: Style, groups: list[list[Transaction]], control: str = "1", upper: bool = True
) -> str:
    """One interchange as text."""
    return Writer(style, upper).interchange(control, groups)
