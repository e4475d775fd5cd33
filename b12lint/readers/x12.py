"""X12 837 5010 claims as encounter records: 837P professional (005010X222A1, the base
005010X222 the X12 examples are written in, and the X222A2 errata) and 837I institutional
(005010X223 with its A1, A2 and A3 errata), chosen per transaction by its ST03 (GS08 when a
sender leaves ST03 out).

One claim (CLM, loop 2300) is one encounter, located at the CLM's segment number. What both
guides share, by loop:

- 2000A/2010AA billing provider ``NM1*85`` NPI (the rendering NPI when the claim names none);
- 2000B subscriber ``SBR`` (SBR02 relationship, SBR09 claim filing indicator → payer type),
  2010BA ``NM1*IL`` member id (the patient id when the subscriber is the patient),
  2010BB ``NM1*PR`` payer name and id;
- 2000C/2010CA patient ``NM1*QC`` and ``DMG`` (a dependent's patient id is the member id with
  a short hash of the patient's name and birth date, so that family members stay apart);
- 2300 ``CLM`` (CLM01 encounter id), ``HI`` (ABK/ABF, and BK/BF from older senders; codes are
  kept as written, without dots); 2400 ``DTP*472`` (D8, or RD8: the first day of the range),
  2410 ``LIN**N4`` NDC and ``CTP`` quantity and unit.

What differs (CLM05, the service line, the providers) is the guide's:
:mod:`b12lint.readers.x12_837p` (place of service, ``SV1`` with pointers, ``NM1*82``) and
:mod:`b12lint.readers.x12_837i` (type of bill, ``SV2`` with revenue codes, attending,
operating and rendering providers).

The 2320/2330 other-subscriber loops (coordination of benefits) are not mistaken for the
claim's own payer or providers. A claim that cannot be read, or that a truncated file
cuts off, is an input error at its CLM naming the segment; the other claims are still read.
Envelope problems (a transaction that is not an 837P or 837I, control numbers or counts that
do not match) are input errors at their segment.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import IO, Any

from b12lint.model import InputError, Source
from b12lint.readers.base import DEFAULT_LIMITS, Item, Limits, to_item
from b12lint.readers.typed import converter
from b12lint.readers.x12_837i import INSTITUTIONAL
from b12lint.readers.x12_837p import PROFESSIONAL
from b12lint.readers.x12_amend import Amendments
from b12lint.readers.x12_claim import (
    INPUT_LIMIT,
    INPUT_STRUCTURE,
    PAYER_TYPES,
    Claim,
    ClaimError,
    Composites,
    Context,
    Guide,
    by_date,
    noc_narratives,
    text,
)
from b12lint.readers.x12_segments import Segment, SegmentError, iter_segments

GUIDES: tuple[Guide, ...] = (PROFESSIONAL, INSTITUTIONAL)
#: ST03 implementation guide id → the guide its claims are read with.
BY_VERSION: dict[str, Guide] = {v: guide for guide in GUIDES for v in guide.versions}
VERSIONS = frozenset(BY_VERSION)
"""The 837 implementation guides read (837P X222A1/A2, 837I X223A1/A2)."""


def _is_segment_id(value: str) -> bool:
    if value in _SEGMENT_IDS:
        return True
    if 2 <= len(value) <= 3 and value.isascii() and value.isalnum() and value.isupper():
        if len(_SEGMENT_IDS) < 4096:  # a file of many made-up ids does not grow it further
            _SEGMENT_IDS.add(value)
        return True
    return False


_ENVELOPE = frozenset(("SE", "ISA", "GS", "ST", "GE", "IEA"))
#: Segment ids seen valid (most segments repeat a few dozen ids: a set lookup decides them).
_SEGMENT_IDS: set[str] = set()


class Reader837:
    """Reads the segments of one file into records and input errors."""

    def __init__(self, file: str, limits: Limits = DEFAULT_LIMITS) -> None:
        self.file = file
        self.limits = limits
        self.ctx = Context()
        self.claim: Claim | None = None
        self.guide: Guide = PROFESSIONAL
        # Envelope state: (segment number, control number) of the open ISA / GS / ST.
        self.isa: tuple[int, str] | None = None
        self.gs: tuple[int, str] | None = None
        self.gs_version = ""
        self.st: tuple[int, str] | None = None
        self.groups = 0
        self.transactions = 0
        self.skip_transaction = False
        self.skip_interchange = False
        self.last = 0
        self.composites = Composites()
        self.convert = converter()
        self.amend = Amendments(file)
        self.keyed: dict[int, tuple[str, bool]] = {}
        """The records :meth:`finish_claim` gave (by ``id``): the CLM01 each was read from,
        and whether it is a second or later record of its claim (split by date)."""

    # -- envelope -------------------------------------------------------------------------

    def error(self, number: int, message: str, rule_id: str = "B12-INPUT-001") -> InputError:
        """An input error at a segment that no claim owns."""
        return InputError(Source(self.file, number), message, rule_id=rule_id)

    def read(self, stream: IO[bytes]) -> Iterator[Item]:
        """Every record and input error of the file, in file order, less the claims that a
        later void or replacement of the file supersedes (:mod:`~b12lint.readers.x12_amend`)."""
        amend = self.amend
        keyed = self.keyed
        for item in self.items(stream):
            key = keyed.pop(id(item), None) if keyed else None
            if key is not None:
                yield from amend.push(item, key[0], part=key[1])
            else:
                yield from amend.push(item)
        yield from amend.flush()

    def items(self, stream: IO[bytes]) -> Iterator[Item]:
        """Every item of the file as it is read (the claims' records are :attr:`keyed`)."""
        for seg in iter_segments(stream):
            if isinstance(seg, SegmentError):
                yield from self.broken(seg)
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
            if self.st is not None and sid not in _ENVELOPE:
                if not self.skip_transaction:
                    items = self.segment(seg)
                    if items is not None:
                        yield from items
                continue
            yield from self.envelope(seg)
        yield from self.close_open(self.last, "the file ends before its SE, GE or IEA")

    def broken(self, seg: SegmentError) -> Iterator[Item]:
        """Text that could not be read as a segment: an oversized one spoils only its claim,
        others close what is open (and a fatal one is reported)."""
        if seg.oversized:
            self.last = seg.number
            if self.claim is not None:
                self.claim.error = self.claim.error or ClaimError(
                    None, seg.message, rule_id=INPUT_LIMIT
                )
            elif not self.skip_interchange and not self.skip_transaction:
                yield self.error(seg.number, seg.message, INPUT_LIMIT)
            return
        yield from self.close_open(seg.number, seg.message, envelope=not seg.fatal)
        if seg.fatal:
            yield self.error(seg.number, seg.message)

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
            self.isa = (n, seg.get(13))  # a 4010 header is refused by parse_isa
            self.groups = 0
            self.composites = Composites()
        elif sid == "GS":
            if self.isa is None or self.gs is not None:
                yield self.error(n, "GS outside an interchange or inside an open group")
            self.gs = (n, seg.get(6))
            self.gs_version = seg.get(8)
            self.groups += 1
            self.transactions = 0
        elif sid == "ST":
            if self.gs is None or self.st is not None:
                yield from self.close_open(n, "a new ST starts before its SE")
                yield self.error(n, "ST outside a functional group (GS) or inside an open ST")
            self.st = (n, seg.get(2))
            self.transactions += 1
            self.ctx = Context()
            # ST03 names the guide; a sender that leaves it out has it in GS08
            version = seg.get(3) or self.gs_version
            guide = BY_VERSION.get(version)
            if seg.get(1) == "835":
                self.skip_transaction = True
                yield self.error(
                    n,
                    "transaction '835' is a remittance, not a claim: skipped (compare it with "
                    "the claims it answers: b12lint remit CLAIMS --remit FILE)",
                )
            elif seg.get(1) != "837" or guide is None:
                self.skip_transaction = True
                yield self.error(
                    n,
                    f"transaction {seg.get(1)!r} {version!r} is not an 837P or 837I "
                    f"({' or '.join(sorted(VERSIONS))}): skipped",
                )
            else:
                self.guide = guide
        elif sid == "SE":
            if self.st is None:
                yield self.error(n, "SE without ST")
                return
            yield from self.finish_claim()
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
        self, claim: Claim, message: str, pointer: str = "", rule_id: str = INPUT_STRUCTURE
    ) -> InputError:
        """The input error of a claim that is not checked, located at its CLM."""
        encounter_id = claim.record.get("encounter_id") or None
        return InputError(
            Source(self.file, claim.number),
            message,
            pointer,
            encounter_id=encounter_id,
            rule_id=rule_id,
            digest=claim.digest(),
        )

    def finish_claim(self) -> list[Item]:
        """The records (or input error) of the open claim, if any: one record, or one per
        date of service of a professional claim whose lines have several
        (:func:`~b12lint.readers.x12_claim.by_date`)."""
        claim = self.claim
        if claim is None:
            return []
        self.claim = None
        if claim.error is not None:
            error = claim.error
            return [
                self.claim_error(claim, f"claim not read: {error}", error.pointer, error.rule_id)
            ]
        record = claim.record
        lines: list[dict[str, Any]] = record["lines"]
        dates = [line["date"] for line in lines if line.get("date") is not None]
        date = min(dates) if dates else claim.date
        if date is None:
            return [
                self.claim_error(
                    claim,
                    "claim not read: no service date (DTP*472, or 837I DTP*434) on the claim "
                    "or its lines",
                    "/date_of_service",
                )
            ]
        record["date_of_service"] = date
        noc_narratives(claim)
        clm01 = record["encounter_id"]
        encounter_id = self.amend.encounter_id(clm01, claim.frequency, date)
        if encounter_id is None:
            return []
        record["encounter_id"] = encounter_id
        npi = self.guide.rendering(claim) or self.ctx.billing_npi
        if npi:
            record["rendering_npi"] = npi
        parts = by_date(record, clm01, claim.date) if self.guide is PROFESSIONAL else [record]
        out: list[Item] = []
        for part in parts:
            item = to_item(
                part,
                Source(self.file, claim.number),
                has_chart=False,
                limits=self.limits,
                check_depth=False,
                convert=self.convert,
            )
            if isinstance(item, InputError):
                return [self.claim_error(claim, item.message, item.pointer)]
            self.keyed[id(item)] = (clm01, bool(out))
            out.append(item)
        return out

    def segment(self, seg: Segment) -> list[Item] | None:
        """A segment inside an 837 transaction: the items it completes, if any (a list, not
        a generator: this runs for every segment and seldom yields)."""
        sid = seg.elements[0]
        claim = self.claim
        if claim is not None:
            self.keep(claim, seg)
            if claim.error is not None and sid != "CLM" and sid != "HL":
                return None
        out: list[Item] | None = None
        try:
            if sid == "HL" or sid == "CLM":
                items = self.finish_claim()
                if items:
                    out = items
                if sid == "HL":
                    self.hl(seg)
                else:
                    self.clm(seg)
            elif claim is None:
                self.header(seg)
            else:
                self.claim_segment(claim, seg)
        except ClaimError as exc:
            if self.claim is not None:
                self.claim.error = exc
            else:
                error = self.error(seg.number, str(exc), INPUT_STRUCTURE)
                out = [error] if out is None else [*out, error]
        return out

    def keep(self, claim: Claim, seg: Segment) -> None:
        """Add a segment to the claim's digest while the claim is within the size limit."""
        limit = self.limits.max_record_bytes
        if claim.size > limit:
            return
        text = seg.raw
        claim.size += len(text) + 1
        if claim.size > limit:
            claim.cut = True
            claim.error = ClaimError(
                seg, f"the claim is larger than the {limit:,}-byte limit", rule_id=INPUT_LIMIT
            )
            return
        claim.texts.append(text)

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
            raise ClaimError(
                seg, "HL03 is not 20, 22 or 23 (billing provider, subscriber, patient)"
            )
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
                ctx.member_id = text(seg.get(9)) or None
            elif entity == "PR":
                payer = ctx.payer
                if seg.get(3):
                    payer["name"] = text(seg.get(3))
                if seg.get(9):
                    payer["id"] = text(seg.get(9))
            elif entity == "QC":
                ctx.patient_name = text(f"{seg.get(3)}|{seg.get(4)}")
                ctx.patient_id = text(seg.get(9)) or None
        elif sid == "SBR":
            kind = seg.get(9)
            if kind:
                ctx.payer["type"] = PAYER_TYPES.get(kind, "other")
        elif sid == "DMG" and ctx.hl_level == "23":
            ctx.patient_dob = seg.get(2)

    def clm(self, seg: Segment) -> None:
        ctx = self.ctx
        claim = Claim(seg.number)
        self.claim = claim
        self.keep(claim, seg)
        record = claim.record
        record["encounter_id"] = text(seg.get(1))
        parts = self.composites.split(seg, 5)
        claim.frequency = parts[2] if len(parts) > 2 else ""
        patient = ctx.patient()
        if patient:
            record["patient_id"] = patient
        self.guide.clm(record, seg, self.composites)
        if ctx.payer:
            record["payer"] = dict(ctx.payer)
        record["diagnoses"] = []
        record["lines"] = []
        if not ctx.hl_level or ctx.hl_level == "20":
            raise ClaimError(seg, "CLM outside a subscriber (HL*22) or patient (HL*23) loop")

    def claim_segment(self, claim: Claim, seg: Segment) -> None:
        """Segments of loops 2300-2440: the guide's own, then those both guides share."""
        if not self.guide.segment(claim, seg, self.composites):
            self.composites.common(claim, seg)


def read_x12(stream: IO[bytes], file: str, limits: Limits = DEFAULT_LIMITS) -> Iterator[Item]:
    """Every claim of an 837P or 837I file (several interchanges, groups, transactions)."""
    return Reader837(file, limits).read(stream)


__all__ = ["GUIDES", "PAYER_TYPES", "VERSIONS", "Reader837", "read_x12"]
