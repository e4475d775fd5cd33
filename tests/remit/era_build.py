"""Build X12 835 5010 (005010X221A1) remittance files for tests: envelope, payer, claims."""

from __future__ import annotations

from dataclasses import dataclass, field


@dataclass
class Svc:
    code: str
    charge: float
    paid: float
    units: float = 1
    date: str = "20260601"
    cas: list[tuple[str, str, float]] = field(default_factory=list)
    remarks: list[str] = field(default_factory=list)
    original: str | None = None
    control: str | None = None


@dataclass
class Clp:
    claim_id: str
    status: str
    charge: float
    paid: float
    patient: float = 0.0
    lines: list[Svc] = field(default_factory=list)
    cas: list[tuple[str, str, float]] = field(default_factory=list)
    remarks: list[str] = field(default_factory=list)
    member: str = "MBR0501"
    date: str = "20260601"


def _n(value: float) -> str:
    text = f"{value:.2f}".rstrip("0").rstrip(".")
    return text or "0"


def transaction(
    claims: list[Clp],
    *,
    control: str = "0001",
    payer: str = "MEDICARE PART B",
    payer_id: str = "00952",
    plb: list[tuple[str, float]] = (),  # type: ignore[assignment]
) -> list[str]:
    """The segments of one ST..SE 835 transaction."""
    total = sum(c.paid for c in claims) - sum(a for _, a in plb)
    segs = [
        f"ST*835*{control}",
        f"BPR*I*{_n(total)}*C*ACH*CCP*01*999999999*DA*123456*1512345678**01*999999999*DA*654321*20260715",
        f"TRN*1*EFT{control}*1512345678",
        "DTM*405*20260715",
        f"N1*PR*{payer}",
        "N3*PO BOX 1",
        "N4*NASHVILLE*TN*37202",
        f"REF*2U*{payer_id}",
        "PER*BL*EDI HELP*TE*8005551212",
        "N1*PE*B12 CLINIC*XX*1234567893",
        "N3*1 MAIN ST",
        "N4*MIAMI*FL*33111",
        "REF*TJ*123456789",
        "LX*1",
    ]
    for claim in claims:
        segs.append(
            f"CLP*{claim.claim_id}*{claim.status}*{_n(claim.charge)}*{_n(claim.paid)}*"
            f"{_n(claim.patient)}*MB*PCN{claim.claim_id.replace('-', '')}*11*1"
        )
        segs.extend(_cas(claim.cas))
        segs.append(f"NM1*QC*1*DOE*PAT****MI*{claim.member}")
        if claim.remarks:
            segs.append("MOA***" + "*".join(claim.remarks))
        segs.append(f"DTM*232*{claim.date}")
        for line in claim.lines:
            svc = f"SVC*HC:{line.code}*{_n(line.charge)}*{_n(line.paid)}**{_n(line.units)}"
            if line.original:
                svc += f"*HC:{line.original}"
            segs.append(svc)
            segs.append(f"DTM*472*{line.date}")
            segs.extend(_cas(line.cas))
            if line.control:
                segs.append(f"REF*6R*{line.control}")
            segs.extend(f"LQ*HE*{r}" for r in line.remarks)
    for reason, amount in plb:
        segs.append(f"PLB*1234567893*20261231*{reason}*{_n(amount)}")
    segs.append(f"SE*{len(segs) + 1}*{control}")
    return segs


def _cas(items: list[tuple[str, str, float]]) -> list[str]:
    by_group: dict[str, list[str]] = {}
    for group, reason, amount in items:
        by_group.setdefault(group, []).append(f"{reason}*{_n(amount)}")
    return [f"CAS*{group}*" + "**".join(parts) for group, parts in by_group.items()]


def interchange(transactions: list[list[str]], control: str = "000000502") -> str:
    """An ISA/GS/IEA envelope around transactions, one segment a line."""
    isa = (
        "ISA*00*          *00*          *ZZ*RECEIVER       *ZZ*SUBMITTER      *260715*1200*^*"
        f"00501*{control}*0*T*:"
    )
    segs = [isa, "GS*HP*RECEIVER*SUBMITTER*20260715*1200*2*X*005010X221A1"]
    for tx in transactions:
        segs.extend(tx)
    segs += [f"GE*{len(transactions)}*2", f"IEA*1*{control}"]
    return "~\n".join(segs) + "~\n"


def sample_era() -> str:
    """The remittance that answers sample_claims/clinic-e-2026-06.837 (see its README)."""
    paid_j3420 = Svc("J3420", 12, 0.4, cas=[("CO", "45", 11.5), ("PR", "2", 0.1)])
    paid_96372 = Svc("96372", 25, 12, cas=[("CO", "45", 10), ("PR", "2", 3)])
    e500 = Clp("E-500", "1", 37, 12.4, 3.1, [paid_j3420, paid_96372])
    reversal = Clp(
        "E-500",
        "22",
        -37,
        -12.4,
        -3.1,
        [
            Svc("J3420", -12, -0.4, cas=[("CO", "45", -11.5), ("PR", "2", -0.1)]),
            Svc("96372", -25, -12, cas=[("CO", "45", -10), ("PR", "2", -3)]),
        ],
    )
    e501 = Clp(
        "E-501",
        "1",
        37,
        12,
        3,
        [
            Svc(
                "J3420", 12, 0, units=2, date="20260629", cas=[("CO", "151", 12)], remarks=["N362"]
            ),
            Svc("96372", 25, 12, date="20260629", cas=[("CO", "45", 10), ("PR", "2", 3)]),
        ],
        date="20260629",
    )
    e502 = Clp(
        "E-502",
        "1",
        127,
        12.4,
        3.1,
        [
            Svc("J3420", 12, 0.4, date="20260602", cas=[("CO", "45", 11.5), ("PR", "2", 0.1)]),
            Svc("96372", 25, 12, date="20260602", cas=[("CO", "45", 10), ("PR", "2", 3)]),
            Svc("99213", 90, 0, date="20260602", cas=[("CO", "97", 90)], remarks=["M80"]),
        ],
        member="MBR0502",
        date="20260602",
    )
    e503 = Clp(
        "E-503",
        "4",
        12,
        0,
        0,
        [Svc("J3420", 12, 0, date="20260630", cas=[("CO", "16", 12)], remarks=["M119"])],
        date="20260630",
    )
    stranger = Clp(
        "E-499", "1", 37, 12.4, 3.1, [paid_j3420, paid_96372], member="MBR0499", date="20260531"
    )
    first = transaction([e500, e501, e502], control="0001")
    corrected = Clp(
        "E-500",
        "1",
        37,
        0.4,
        0.1,
        [paid_j3420, Svc("96372", 25, 0, cas=[("CO", "50", 25)], remarks=["N115"])],
    )
    second = transaction(
        [reversal, corrected, e503, stranger], control="0002", plb=[("WO:PCN0400", 15)]
    )
    return interchange([first, second])
