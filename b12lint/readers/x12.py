"""X12 837P 5010 professional claims (005010X222A1, and the X222A2 errata) as encounter records.

One claim (CLM, loop 2300) is one encounter, located at the CLM's segment number. What is
read, by loop:

- 2000A/2010AA billing provider ``NM1*85`` NPI (the rendering NPI when no 2310B is sent);
- 2000B subscriber ``SBR`` (SBR02 relationship, SBR09 claim filing indicator → payer type),
  2010BA ``NM1*IL`` member id (the patient id when the subscriber is the patient),
  2010BB ``NM1*PR`` payer name and id;
- 2000C/2010CA patient ``NM1*QC`` and ``DMG`` (a dependent's patient id is the member id with
  a short hash of the patient's name and birth date, so that family members stay apart);
- 2300 ``CLM`` (CLM01 encounter id, CLM05-1 place of service), ``HI`` (ABK/ABF, and BK/BF
  from older senders; codes are kept as written, without dots), 2310B ``NM1*82`` rendering NPI;
- 2400 ``LX``/``SV1`` (code, up to four modifiers, narrative, charge, units, pointers),
  ``DTP*472`` (D8, or RD8: the first day of the range), 2410 ``LIN**N4`` NDC and ``CTP``
  quantity and unit.

The 2320/2330 other-subscriber loops (coordination of benefits) are not mistaken for the
claim's own payer or rendering provider. A claim that cannot be read, or that a truncated file
cuts off, is an input error at its CLM naming the segment; the other claims are still read.
Envelope problems (a transaction that is not an 837P, control numbers or counts that do not
match) are input errors at their segment.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import re
from collections.abc import Iterator
from typing import IO, Any

from b12lint.model import InputError, Source
from b12lint.readers.base import DEFAULT_LIMITS, Item, Limits, to_item
from b12lint.readers.x12_segments import Segment, SegmentError, iter_segments

VERSIONS = frozenset({"005010X222A1", "005010X222A2"})
"""The 837P implementation guides read: the 5010 guide and its errata."""
DX_QUALIFIERS = frozenset({"ABK", "ABF", "BK", "BF"})
PROCEDURE_QUALIFIERS = frozenset({"HC", "ER", "IV", "WK"})
#: SBR09 claim filing indicator codes → the payer ``type`` of the native record (FORMATS.md):
#: MA/MB (Medicare Part A/B) are Original Medicare; 16 (HMO Medicare Risk) is a Medicare
#: Advantage plan (X12 005010X222A1, SBR09 code list).
PAYER_TYPES: dict[str, str] = {
    "MA": "medicare",
    "MB": "medicare",
    "16": "medicare_advantage",
    "MC": "medicaid",
    **dict.fromkeys(("12", "13", "14", "15", "BL", "CI", "HM"), "commercial"),
    "CH": "tricare",
    "VA": "veterans affairs",
    "WC": "workers compensation",
}
INPUT_STRUCTURE = "B12-INPUT-002"
INPUT_LIMIT = "B12-INPUT-004"
#: A composite that starts with a qualifier and a separator that is not the declared one.
_QUALIFIED = re.compile(r"[A-Z0-9]{1,3}([^A-Za-z0-9 ])")


def _date(text: str) -> dt.date | None:
    """A CCYYMMDD date, or None."""
    if len(text) != 8 or not text.isdigit():
        return None
    try:
        return dt.date(int(text[:4]), int(text[4:6]), int(text[6:]))
    except ValueError:
        return None


def _number(text: str) -> float | int | None:
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


def _text(value: str) -> str:
    """Element text as written: bytes were read as latin-1, decode them as UTF-8 if they are."""
    if value.isascii():
        return value
    try:
        return value.encode("latin-1").decode("utf-8")
    except UnicodeDecodeError:
        return value


def _is_segment_id(value: str) -> bool:
    return 2 <= len(value) <= 3 and value.isascii() and value.isalnum() and value.isupper()


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


class _Claim:
    """A claim being read: the native record under construction and where it came from."""

    __slots__ = (
        "date",
        "error",
        "hasher",
        "line",
        "number",
        "record",
        "rendering",
        "size",
        "sub_loop",
    )

    def __init__(self, number: int) -> None:
        self.number = number
        self.size = 0
        """Characters of the claim's segments so far (bounded by the record size limit)."""
        self.record: dict[str, Any] = {}
        self.line: dict[str, Any] | None = None
        self.rendering: str | None = None
        self.sub_loop = "2300"
        self.error: ClaimError | None = None
        self.hasher = hashlib.blake2b(digest_size=8)
        """The digest of the claim's segments (as :func:`base.digest` of their text)."""
        self.date: dt.date | None = None


class _Context:
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


class Reader837:
    """Reads the segments of one file into records and input errors."""

    def __init__(self, file: str, limits: Limits = DEFAULT_LIMITS) -> None:
        self.file = file
        self.limits = limits
        self.ctx = _Context()
        self.claim: _Claim | None = None
        # Envelope state: (segment number, control number) of the open ISA / GS / ST.
        self.isa: tuple[int, str] | None = None
        self.gs: tuple[int, str] | None = None
        self.st: tuple[int, str] | None = None
        self.groups = 0
        self.transactions = 0
        self.skip_transaction = False
        self.skip_interchange = False
        self.last = 0
        self.component: str | None = None
        """The component separator the interchange really uses, when not the declared one."""

    # -- envelope -------------------------------------------------------------------------

    def error(self, number: int, message: str, rule_id: str = "B12-INPUT-001") -> InputError:
        """An input error at a segment that no claim owns."""
        return InputError(Source(self.file, number), message, rule_id=rule_id)

    def read(self, stream: IO[bytes]) -> Iterator[Item]:
        """Every record and input error of the file, in file order."""
        for seg in iter_segments(stream):
            if isinstance(seg, SegmentError) and seg.oversized:
                self.last = seg.number
                if self.claim is not None:
                    self.claim.error = self.claim.error or ClaimError(
                        None, seg.message, rule_id=INPUT_LIMIT
                    )
                elif not self.skip_interchange and not self.skip_transaction:
                    yield self.error(seg.number, seg.message, INPUT_LIMIT)
                continue
            if isinstance(seg, SegmentError):
                yield from self.close_open(seg.number, seg.message, envelope=not seg.fatal)
                if seg.fatal:
                    yield self.error(seg.number, seg.message)
                continue
            self.last = seg.number
            sid = seg.elements[0]
            if self.skip_interchange:
                if sid == "IEA":
                    self.skip_interchange = False
                    self.isa = self.gs = self.st = None
                continue
            if not _is_segment_id(sid):
                yield from self.close_open(seg.number, "wrong delimiters", envelope=False)
                yield self.error(
                    seg.number,
                    f"segment {seg.number} ({sid[:4]!r}...) is not an X12 segment: the file "
                    f"does not use the delimiters its ISA declares ({seg.delimiters.describe()})",
                )
                self.skip_interchange = True
                continue
            if self.st is not None and sid not in ("SE", "ISA", "GS", "ST", "GE", "IEA"):
                if not self.skip_transaction:
                    yield from self.segment(seg)
                continue
            yield from self.envelope(seg)
        yield from self.close_open(self.last, "the file ends before its SE, GE or IEA")

    def close_open(self, number: int, why: str, *, envelope: bool = True) -> Iterator[Item]:
        """Report what a break at segment ``number`` leaves open (one error, innermost first).

        With ``envelope`` False only an open claim is reported (the caller reports the break).
        """
        cut = f"cut off at segment {number} ({why})"
        if self.claim is not None:
            claim = self.claim
            self.claim = None
            yield self.claim_error(claim, f"claim not checked: its transaction is {cut}")
        elif not envelope:
            pass
        elif self.st is not None:
            yield self.error(number, f"transaction {self.st[1]!r} is {cut}")
        elif self.gs is not None:
            yield self.error(number, f"functional group {self.gs[1]!r} is {cut}")
        elif self.isa is not None:
            yield self.error(number, f"interchange {self.isa[1]!r} is {cut}")
        self.isa = self.gs = self.st = None
        self.skip_transaction = self.skip_interchange = False

    def envelope(self, seg: Segment) -> Iterator[Item]:
        """ISA, GS, ST, SE, GE, IEA: open and close envelopes, check their counts."""
        sid = seg.id
        n = seg.number
        if sid == "ISA":
            if self.isa is not None:
                yield from self.close_open(n, "a new ISA starts before its IEA")
            version = seg.get(12)
            self.isa = (n, seg.get(13))
            self.groups = 0
            self.component = None
            if version != "00501":
                yield self.error(n, f"interchange version {version!r} is not 5010 (00501): skipped")
                self.skip_interchange = True
        elif sid == "GS":
            if self.isa is None or self.gs is not None:
                yield self.error(n, "GS outside an interchange or inside an open group")
            self.gs = (n, seg.get(6))
            self.groups += 1
            self.transactions = 0
        elif sid == "ST":
            if self.gs is None or self.st is not None:
                yield from self.close_open(n, "a new ST starts before its SE")
                yield self.error(n, "ST outside a functional group (GS) or inside an open ST")
            self.st = (n, seg.get(2))
            self.transactions += 1
            self.ctx = _Context()
            version = seg.get(3)
            if seg.get(1) != "837" or version not in VERSIONS:
                self.skip_transaction = True
                yield self.error(
                    n,
                    f"transaction {seg.get(1)!r} {version!r} is not an 837P "
                    f"({' or '.join(sorted(VERSIONS))}): skipped",
                )
        elif sid == "SE":
            if self.st is None:
                yield self.error(n, "SE without ST")
                return
            item = self.finish_claim()
            if item is not None:
                yield item
            st_number, control = self.st
            count = n - st_number + 1
            if seg.get(1) != str(count):
                yield self.error(
                    n, f"SE01 says {seg.get(1)!r} segments, the transaction has {count}"
                )
            if seg.get(2) != control:
                yield self.error(n, "SE02 does not match the ST02 control number")
            self.st = None
            self.skip_transaction = False
        elif sid == "GE":
            if self.gs is None or self.st is not None:
                yield from self.close_open(n, "GE before SE")
                return
            if seg.get(1) != str(self.transactions):
                yield self.error(
                    n, f"GE01 says {seg.get(1)!r} transactions, the group has {self.transactions}"
                )
            if seg.get(2) != self.gs[1]:
                yield self.error(n, "GE02 does not match the GS06 control number")
            self.gs = None
        elif sid == "IEA":
            if self.isa is None or self.gs is not None:
                yield from self.close_open(n, "IEA before GE")
                return
            if seg.get(1) != str(self.groups):
                yield self.error(
                    n, f"IEA01 says {seg.get(1)!r} groups, the interchange has {self.groups}"
                )
            if seg.get(2) != self.isa[1]:
                yield self.error(n, "IEA02 does not match the ISA13 control number")
            self.isa = None
        else:
            yield self.error(n, f"segment {sid} outside a transaction (ST/SE)")

    # -- claims ---------------------------------------------------------------------------

    def claim_error(
        self, claim: _Claim, message: str, pointer: str = "", rule_id: str = INPUT_STRUCTURE
    ) -> InputError:
        """The input error of a claim that is not checked, located at its CLM."""
        encounter_id = claim.record.get("encounter_id") or None
        return InputError(
            Source(self.file, claim.number),
            message,
            pointer,
            encounter_id=encounter_id,
            rule_id=rule_id,
            digest=claim.hasher.hexdigest(),
        )

    def finish_claim(self) -> Item | None:
        """The record (or input error) of the open claim, if any."""
        claim = self.claim
        if claim is None:
            return None
        self.claim = None
        if claim.error is not None:
            error = claim.error
            return self.claim_error(claim, f"claim not read: {error}", error.pointer, error.rule_id)
        record = claim.record
        lines: list[dict[str, Any]] = record["lines"]
        dates = [line["date"] for line in lines if line.get("date") is not None]
        date = min(dates) if dates else claim.date
        if date is None:
            return self.claim_error(
                claim,
                "claim not read: no service date (DTP*472) on the claim or its lines",
                "/date_of_service",
            )
        record["date_of_service"] = date
        npi = claim.rendering or self.ctx.billing_npi
        if npi:
            record["rendering_npi"] = npi
        item = to_item(
            record,
            Source(self.file, claim.number),
            has_chart=False,
            limits=self.limits,
            check_depth=False,
        )
        if isinstance(item, InputError):
            return self.claim_error(claim, item.message, item.pointer)
        return item

    def segment(self, seg: Segment) -> Iterator[Item]:
        """A segment inside an 837P transaction."""
        sid = seg.id
        claim = self.claim
        if claim is not None:
            self.keep(claim, seg)
            if claim.error is not None and sid not in ("CLM", "HL"):
                return
        try:
            if sid == "HL":
                item = self.finish_claim()
                if item is not None:
                    yield item
                self.hl(seg)
            elif sid == "CLM":
                item = self.finish_claim()
                if item is not None:
                    yield item
                self.clm(seg)
            elif claim is None:
                self.header(seg)
            else:
                self.claim_segment(claim, seg)
        except ClaimError as exc:
            if self.claim is not None:
                self.claim.error = exc
            else:
                yield self.error(seg.number, str(exc), INPUT_STRUCTURE)

    def keep(self, claim: _Claim, seg: Segment) -> None:
        """Add a segment to the claim's digest while the claim is within the size limit."""
        limit = self.limits.max_record_bytes
        if claim.size > limit:
            return
        text = seg.text()
        if claim.size:
            claim.hasher.update(b"\n")
        claim.size += len(text) + 1
        if claim.size > limit:
            claim.error = ClaimError(
                seg, f"the claim is larger than the {limit:,}-byte limit", rule_id=INPUT_LIMIT
            )
            return
        claim.hasher.update(text.encode("latin-1"))

    def hl(self, seg: Segment) -> None:
        level = seg.get(3)
        ctx = self.ctx
        if level == "20":
            ctx.billing_npi = None
            ctx.reset_subscriber()
        elif level == "22":
            ctx.reset_subscriber()
        elif level == "23":
            ctx.reset_patient()
        else:
            ctx.hl_level = ""
            raise ClaimError(seg, "HL03 is not 20, 22 or 23 (837P billing, subscriber, patient)")
        ctx.hl_level = level

    def header(self, seg: Segment) -> None:
        """Segments of the 2000A-2010CA loops (before the first claim of a subscriber)."""
        sid = seg.id
        ctx = self.ctx
        if sid == "NM1":
            entity = seg.get(1)
            if entity == "85":
                ctx.billing_npi = seg.get(9) if seg.get(8) == "XX" else None
            elif entity == "IL":
                ctx.member_id = _text(seg.get(9)) or None
            elif entity == "PR":
                payer = ctx.payer
                if seg.get(3):
                    payer["name"] = _text(seg.get(3))
                if seg.get(9):
                    payer["id"] = _text(seg.get(9))
            elif entity == "QC":
                ctx.patient_name = _text(f"{seg.get(3)}|{seg.get(4)}")
                ctx.patient_id = _text(seg.get(9)) or None
        elif sid == "SBR":
            kind = seg.get(9)
            if kind:
                ctx.payer["type"] = PAYER_TYPES.get(kind, "other")
        elif sid == "DMG" and ctx.hl_level == "23":
            ctx.patient_dob = seg.get(2)

    def clm(self, seg: Segment) -> None:
        ctx = self.ctx
        claim = _Claim(seg.number)
        self.claim = claim
        self.keep(claim, seg)
        record = claim.record
        record["encounter_id"] = _text(seg.get(1))
        patient = ctx.patient()
        if patient:
            record["patient_id"] = patient
        pos = self.split(seg, 5)[0]
        if pos:
            record["place_of_service"] = pos
        if ctx.payer:
            record["payer"] = dict(ctx.payer)
        record["diagnoses"] = []
        record["lines"] = []
        if not ctx.hl_level or ctx.hl_level == "20":
            raise ClaimError(seg, "CLM outside a subscriber (HL*22) or patient (HL*23) loop")

    def claim_segment(self, claim: _Claim, seg: Segment) -> None:
        """Segments of loops 2300-2440."""
        sid = seg.id
        if sid == "LX":
            line: dict[str, Any] = {"modifiers": [], "dx_pointers": []}
            claim.line = line
            claim.sub_loop = "2400"
            claim.record["lines"].append(line)
            return
        line_or_none = claim.line
        if sid == "SV1":
            if line_or_none is None or "code" in line_or_none:
                raise ClaimError(seg, "SV1 without its LX")
            self.sv1(line_or_none, seg, len(claim.record["lines"]) - 1)
        elif sid == "DTP":
            if seg.get(1) != "472":
                return
            date = self.dtp_date(seg)
            if line_or_none is not None:
                line_or_none["date"] = date
            elif claim.sub_loop == "2300":
                claim.date = date
        elif sid == "LIN" and line_or_none is not None:
            if seg.get(2) == "N4":
                line_or_none["ndc"] = seg.get(3)
        elif sid == "CTP" and line_or_none is not None:
            quantity = seg.get(4)
            if quantity:
                value = _number(quantity)
                if value is None:
                    raise ClaimError(seg, "CTP04 (NDC quantity) is not a number")
                line_or_none["ndc_quantity"] = value
            unit = self.split(seg, 5, detect=False)[0]
            if unit:
                line_or_none["ndc_unit"] = unit
        elif sid == "HI" and claim.sub_loop == "2300":
            self.hi(claim, seg)
        elif sid == "NM1" and seg.get(1) == "82":
            npi = seg.get(9) if seg.get(8) == "XX" else ""
            if claim.sub_loop == "2300" and npi:
                claim.rendering = npi
            elif claim.sub_loop == "2400" and npi and claim.rendering is None:
                claim.rendering = npi  # 2420A line rendering provider, when 2310B is absent
        elif sid == "SBR" and claim.sub_loop == "2300":
            claim.sub_loop = "2320"

    def split(self, seg: Segment, index: int, *, detect: bool = True) -> list[str]:
        """The components of composite element ``index``.

        Some published examples declare one component separator in ISA16 and write another
        (``HI*BK>496`` under ``:``). When a composite holds no declared separator but starts
        with a qualifier followed by another non-alphanumeric character that is none of the
        other delimiters, that character is taken as the interchange's component separator
        (once; ``detect`` is False for composites with no leading qualifier: SV107, CTP05).
        """
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

    def hi(self, claim: _Claim, seg: Segment) -> None:
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

    def sv1(self, line: dict[str, Any], seg: Segment, index: int) -> None:
        ptr = f"/lines/{index}"
        parts = self.split(seg, 1)
        if len(parts) < 2 or parts[0] not in PROCEDURE_QUALIFIERS:
            raise ClaimError(
                seg,
                "SV101 is not 'HC:code:modifiers...' with the component separator the ISA "
                f"declares ({seg.delimiters.component!r})",
                f"{ptr}/code",
            )
        line["code"] = parts[1]
        line["modifiers"] = [m for m in parts[2:6] if m]
        if len(parts) > 6 and parts[6]:
            line["description"] = _text(parts[6])
        charge = seg.get(2)
        if charge:
            value = _number(charge)
            if value is None:
                raise ClaimError(seg, "SV102 (charge) is not a number", f"{ptr}/charge")
            line["charge"] = value
        units = seg.get(4)
        if units:
            value = _number(units)
            if value is None:
                raise ClaimError(seg, "SV104 (units) is not a number", f"{ptr}/units")
            line["units"] = value
        pointers: list[int] = line["dx_pointers"]
        for pointer in self.split(seg, 7, detect=False):
            if not pointer:
                continue
            number = _number(pointer)  # "1", or "1.00" as some senders write it
            if not isinstance(number, int):
                raise ClaimError(
                    seg, "SV107 (diagnosis pointer) is not a whole number", f"{ptr}/dx_pointers"
                )
            pointers.append(number)

    @staticmethod
    def dtp_date(seg: Segment) -> dt.date:
        fmt = seg.get(2)
        value = seg.get(3)
        if fmt == "D8":
            date = _date(value)
        elif fmt == "RD8":
            date = _date(value.split("-", 1)[0])
        else:
            raise ClaimError(seg, "DTP02 is not D8 or RD8")
        if date is None:
            raise ClaimError(seg, f"DTP03 is not a {fmt} date (CCYYMMDD)")
        return date


def read_x12(stream: IO[bytes], file: str, limits: Limits = DEFAULT_LIMITS) -> Iterator[Item]:
    """Every claim of an 837P file (several interchanges, groups and transactions allowed)."""
    return Reader837(file, limits).read(stream)


__all__ = ["PAYER_TYPES", "VERSIONS", "Reader837", "read_x12"]
