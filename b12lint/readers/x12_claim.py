"""What the 837P and 837I readers share: element values, the claim under construction, the
subscriber/patient hierarchy above it, composites, and the segments both guides write alike
(HI diagnoses, DTP*472 service dates, the 2410 NDC segments)."""

from __future__ import annotations

import datetime as dt
import hashlib
import re
from typing import Any, ClassVar

from b12lint.model.payer import SBR09_TYPES
from b12lint.readers.x12_segments import Segment

INPUT_STRUCTURE = "B12-INPUT-002"
INPUT_LIMIT = "B12-INPUT-004"
DX_QUALIFIERS = frozenset({"ABK", "ABF", "BK", "BF"})
"""Principal and other diagnoses (ICD-10-CM; BK/BF from older senders). The 837I's other HI
qualifiers (admitting ABJ, reason for visit APR, external cause ABN, procedures, occurrence,
value and condition codes) are not claim diagnoses."""
PROCEDURE_QUALIFIERS = frozenset({"HC", "ER", "IV", "WK"})
#: SBR09 claim filing indicator codes → the payer ``type`` of the native record (FORMATS.md).
PAYER_TYPES = SBR09_TYPES
#: A composite that starts with a qualifier and a separator that is not the declared one.
_QUALIFIED = re.compile(r"[A-Z0-9]{1,3}([^A-Za-z0-9 ])")


def ccyymmdd(text: str) -> dt.date | None:
    """A CCYYMMDD date, or None."""
    if len(text) != 8 or not text.isdigit():
        return None
    try:
        return dt.date(int(text[:4]), int(text[4:6]), int(text[6:]))
    except ValueError:
        return None


def number(text: str) -> float | int | None:
    """An X12 decimal (R) as a number: integral values as int. None for text that is not one."""
    if not text:
        return None
    try:
        value = float(text)
    except ValueError:
        return None
    if value != value or value in (float("inf"), float("-inf")):
        return None
    return int(value) if value.is_integer() else value


def text(value: str) -> str:
    """Element text as written: bytes were read as latin-1, decode them as UTF-8 if they are."""
    if value.isascii():
        return value
    try:
        return value.encode("latin-1").decode("utf-8")
    except UnicodeDecodeError:
        return value


def npi_of(seg: Segment) -> str:
    """The NPI of an NM1 (NM109 when NM108 is ``XX``), else ``""``."""
    return seg.get(9) if seg.get(8) == "XX" else ""


class ClaimError(Exception):
    """A claim segment that cannot be read (the claim becomes an input error)."""

    def __init__(
        self,
        segment: Segment | None,
        message: str,
        pointer: str = "",
        *,
        rule_id: str = INPUT_STRUCTURE,
    ) -> None:
        super().__init__(
            f"segment {segment.number} {segment.id}: {message}" if segment else message
        )
        self.pointer = pointer
        self.rule_id = rule_id


class Claim:
    """A claim being read: the native record under construction and where it came from."""

    __slots__ = (
        "cut",
        "date",
        "error",
        "frequency",
        "line",
        "note",
        "npis",
        "number",
        "record",
        "served",
        "size",
        "sub_loop",
        "texts",
    )

    def __init__(self, number: int) -> None:
        self.number = number
        self.size = 0
        """Characters of the claim's segments so far (bounded by the record size limit)."""
        self.record: dict[str, Any] = {}
        self.line: dict[str, Any] | None = None
        self.served = False
        """Whether the current line (LX) already had its service segment (SV1/SV2)."""
        self.npis: dict[str, str] = {}
        """Provider NPIs of the claim by role (``rendering``, ``attending``, ``operating``)."""
        self.sub_loop = "2300"
        self.error: ClaimError | None = None
        self.texts: list[str] = []
        """The claim's segments as written, while within the size limit (for its digest)."""
        self.cut = False
        """Whether a segment took the claim over the size limit (it is not in ``texts``)."""
        self.note = ""
        """The 2300 ``NTE*ADD`` claim note (CMS-1500 item 19): an unclassified drug line's
        narrative when the line has none (:func:`noc_narratives`)."""
        self.frequency = ""
        """The claim frequency code (CLM05-3): ``7`` replacement, ``8`` void (x12_amend)."""
        self.date: dt.date | None = None
        """The claim-level date (837P 2300 DTP*472, 837I statement from date DTP*434)."""

    def digest(self) -> str:
        """The digest of the claim's segments, a line each (as :func:`base.digest` of that
        text); a claim cut at the size limit ends with the line break before the cut."""
        text = "\n".join(self.texts)
        if self.cut and self.texts:
            text += "\n"
        return hashlib.blake2b(text.encode("latin-1"), digest_size=8).hexdigest()

    def provider(self, role: str, npi: str) -> None:
        """Keep an NPI of a 2310 loop (the claim's) or of a 2420 loop (a line's, if the claim
        names none for that role); 2330 other-payer loops are not the claim's providers."""
        if not npi or self.sub_loop == "2320":
            return
        if self.sub_loop == "2300":
            self.npis[role] = npi
        else:
            self.npis.setdefault(role, npi)


class Context:
    """The hierarchy above the claims: billing provider, subscriber, patient."""

    __slots__ = (
        "billing_npi",
        "hl_level",
        "member_id",
        "patient_dob",
        "patient_id",
        "patient_name",
        "payer",
    )

    def __init__(self) -> None:
        self.billing_npi: str | None = None
        self.hl_level = ""
        self.reset_subscriber()

    def reset_subscriber(self) -> None:
        self.member_id: str | None = None
        self.payer: dict[str, str] = {}
        self.reset_patient()

    def reset_patient(self) -> None:
        self.patient_id: str | None = None
        self.patient_name = ""
        self.patient_dob = ""

    def patient(self) -> str | None:
        """The patient id of the claims under the current hierarchy level."""
        if self.hl_level != "23":
            return self.member_id
        if self.patient_id:
            return self.patient_id
        if not (self.patient_name or self.patient_dob):
            return self.member_id
        key = f"{self.patient_name}|{self.patient_dob}".upper().encode("utf-8")
        tag = hashlib.blake2b(key, digest_size=4).hexdigest()
        return f"{self.member_id}-{tag}" if self.member_id else tag


class Composites:
    """Splits composite elements, learning an interchange's real component separator.

    Some published examples declare one component separator in ISA16 and write another
    (``HI*BK>496`` under ``:``). When a composite holds no declared separator but starts
    with a qualifier followed by another non-alphanumeric character that is none of the
    other delimiters, that character is taken as the interchange's component separator
    (once; ``detect`` is False for composites with no leading qualifier: SV107, CTP05).
    """

    __slots__ = ("component",)

    def __init__(self) -> None:
        self.component: str | None = None

    def split(self, seg: Segment, index: int, *, detect: bool = True) -> list[str]:
        """The components of composite element ``index``."""
        value = seg.get(index)
        delims = seg.delimiters
        if delims.component in value:
            return value.split(delims.component)
        if self.component is not None and self.component in value:
            return value.split(self.component)
        match = _QUALIFIED.match(value) if detect and self.component is None else None
        if match is not None:
            char = match.group(1)
            if char not in (delims.element, delims.segment, delims.repetition):
                self.component = char
                return value.split(char)
        return [value]

    def procedure(self, seg: Segment, index: int, line: dict[str, Any], ptr: str) -> None:
        """A procedure composite (SV101, SV202): ``HC:code:mod1..mod4:description``."""
        parts = self.split(seg, index)
        if len(parts) < 2 or parts[0] not in PROCEDURE_QUALIFIERS:
            raise ClaimError(
                seg,
                f"{seg.id}{index:02d} is not 'HC:code:modifiers...' with the component "
                f"separator the ISA declares ({seg.delimiters.component!r})",
                f"{ptr}/code",
            )
        line["code"] = parts[1]
        line["modifiers"] = [m for m in parts[2:6] if m]
        if len(parts) > 6 and parts[6]:
            line["description"] = text(parts[6])

    def hi(self, claim: Claim, seg: Segment) -> None:
        """The claim diagnoses of an HI segment (ABK/ABF, BK/BF), kept as written."""
        codes: list[str] = claim.record["diagnoses"]
        component = seg.delimiters.component
        for index in range(1, len(seg.elements)):
            if not seg.elements[index]:
                continue
            parts = self.split(seg, index)
            qualifier = parts[0]
            if len(parts) < 2 and len(qualifier) > 3:
                raise ClaimError(
                    seg,
                    f"HI is not 'qualifier{component}code': the file does not use the "
                    f"component separator its ISA declares ({component!r})",
                    "/diagnoses",
                )
            if qualifier in DX_QUALIFIERS and parts[1:] and parts[1]:
                codes.append(parts[1])

    def common(self, claim: Claim, seg: Segment) -> None:
        """Segments both guides write alike in loops 2300-2410 (others are ignored)."""
        sid = seg.id
        line = claim.line
        if sid == "DTP":
            if seg.get(1) != "472":
                return
            date = dtp_date(seg)
            if line is not None:
                line["date"] = date
            elif claim.sub_loop == "2300":
                claim.date = date
        elif sid == "LIN" and line is not None:
            if seg.get(2) == "N4":
                line["ndc"] = seg.get(3)
        elif sid == "CTP" and line is not None:
            quantity = seg.get(4)
            if quantity:
                value = number(quantity)
                if value is None:
                    raise ClaimError(seg, "CTP04 (NDC quantity) is not a number")
                line["ndc_quantity"] = value
            unit = self.split(seg, 5, detect=False)[0]
            if unit:
                line["ndc_unit"] = unit
        elif sid == "HI" and claim.sub_loop == "2300":
            self.hi(claim, seg)
        elif sid == "NTE" and seg.get(1) == "ADD" and seg.get(2):
            note = text(seg.get(2))
            if line is not None:
                line.setdefault("description", note)  # SV101-7 first, else the line note
            elif claim.sub_loop == "2300":
                claim.note = claim.note or note
        elif sid == "SBR" and claim.sub_loop == "2300":
            claim.sub_loop = "2320"


#: HCPCS "not otherwise classified" drug codes: the narrative names the drug (SV101-7, the
#: 2400 NTE*ADD line note, or the 2300 NTE*ADD claim note = CMS-1500 item 19).
NOC_DRUG_CODES = frozenset({"J3490", "J3590", "J7799", "J8499", "J8999", "J9999", "C9399"})


def noc_narratives(claim: Claim) -> None:
    """Give the claim note as narrative to the unclassified drug lines that have none
    (MACs take an NOC drug's name and dose in item 19 = 2300 NTE*ADD, X222A1 2300 NTE)."""
    if not claim.note:
        return
    for line in claim.record["lines"]:
        if line.get("code") in NOC_DRUG_CODES and not line.get("description"):
            line["description"] = claim.note


def by_date(record: dict[str, Any], clm01: str, claim_date: dt.date | None) -> list[dict[str, Any]]:
    """A professional claim as one record per date of service (FORMATS.md: one encounter is
    one visit on one date). The CMS-1500 and the 837P let one claim bill several dates (each
    line its own ``DTP*472``, e.g. a month of weekly injections); a claim with lines of
    several dates becomes one record per date, ``CLM01@YYYY-MM-DD``, with that date's lines
    and the claim's diagnoses, payer and providers, so that the frequency rules see each
    visit. A line without a date is on the claim's ``DTP*472`` date, else the earliest."""
    lines: list[dict[str, Any]] = record["lines"]
    first: dt.date = record["date_of_service"]
    if all(line.get("date") in (None, first) for line in lines) and claim_date in (None, first):
        return [record]
    days: dict[dt.date, list[dict[str, Any]]] = {}
    for line in lines:
        days.setdefault(line.get("date") or claim_date or first, []).append(line)
    if len(days) < 2:
        return [record]
    parts = []
    for day in sorted(days):
        part = dict(record)
        part["encounter_id"] = f"{clm01}@{day.isoformat()}"
        part["date_of_service"] = day
        part["diagnoses"] = list(record["diagnoses"])
        part["lines"] = days[day]
        parts.append(part)
    return parts


def dtp_date(seg: Segment) -> dt.date:
    """The date of a DTP (D8, or RD8: the first day of the range)."""
    fmt = seg.get(2)
    value = seg.get(3)
    if fmt == "D8":
        date = ccyymmdd(value)
    elif fmt == "RD8":
        date = ccyymmdd(value.split("-", 1)[0])
    else:
        raise ClaimError(seg, "DTP02 is not D8 or RD8")
    if date is None:
        raise ClaimError(seg, f"DTP03 is not a {fmt} date (CCYYMMDD)")
    return date


def amount(seg: Segment, index: int, what: str, pointer: str) -> float | int | None:
    """A numeric element (None when empty); text that is not a number is a claim error."""
    raw = seg.get(index)
    if not raw:
        return None
    value = number(raw)
    if value is None:
        raise ClaimError(seg, f"{seg.id}{index:02d} ({what}) is not a number", pointer)
    return value


#: The service line segment of each guide (one guide's in another's claim is an error).
SERVICE_SEGMENTS = {"SV1": "837P", "SV2": "837I"}


class Guide:
    """What differs between the 837 implementation guides a reader follows (one subclass
    per guide: :mod:`b12lint.readers.x12_837p`, :mod:`b12lint.readers.x12_837i`)."""

    name = ""
    versions: frozenset[str] = frozenset()
    """The ST03 implementation guide ids read with this guide."""
    service_id = ""
    """The segment of a service line (``SV1``, ``SV2``)."""
    roles: ClassVar[dict[str, str]] = {}
    """NM1 entity codes of the claim's providers (2310/2420 loops) → their role."""
    npi_order: tuple[str, ...] = ()
    """The roles whose NPI becomes ``rendering_npi``, first found wins (then the billing NPI)."""

    def clm(self, record: dict[str, Any], seg: Segment, composites: Composites) -> None:
        """The guide's fields of a claim's CLM segment."""
        raise NotImplementedError

    def new_line(self) -> dict[str, Any]:
        """The fields of a service line at its LX."""
        return {"modifiers": []}

    def service(
        self, line: dict[str, Any], seg: Segment, composites: Composites, index: int
    ) -> None:
        """Read the service segment of line ``index``."""
        raise NotImplementedError

    def other(self, claim: Claim, seg: Segment) -> bool:
        """Another segment of the guide's own (False: not one)."""
        return False

    def segment(self, claim: Claim, seg: Segment, composites: Composites) -> bool:
        """Read a guide-specific segment of loops 2300-2440; False when it is not one."""
        sid = seg.id
        if sid == "LX":
            claim.line = self.new_line()
            claim.served = False
            claim.sub_loop = "2400"
            claim.record["lines"].append(claim.line)
        elif sid == self.service_id:
            if claim.line is None or claim.served:
                raise ClaimError(seg, f"{sid} without its LX")
            claim.served = True
            self.service(claim.line, seg, composites, len(claim.record["lines"]) - 1)
        elif sid in SERVICE_SEGMENTS:
            guide = SERVICE_SEGMENTS[sid]
            raise ClaimError(seg, f"{sid} is an {guide} service line, not one of an {self.name}")
        elif sid == "NM1":
            role = self.roles.get(seg.get(1))
            if role is None:
                return False
            claim.provider(role, npi_of(seg))
        else:
            return self.other(claim, seg)
        return True

    def rendering(self, claim: Claim) -> str | None:
        """The NPI reported as ``rendering_npi`` (None: fall back to the billing provider)."""
        for role in self.npi_order:
            if role in claim.npis:
                return claim.npis[role]
        return None
