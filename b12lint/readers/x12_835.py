"""X12 835 5010 remittance advice (005010X221A1) as claim payments.

One ``CLP`` (loop 2100) is one :class:`RemitClaim`, located at its segment number; its ``SVC``
lines (loop 2110) follow. What is read:

- 1000A payer ``N1*PR`` (name; N104 id) and ``REF*2U`` (payer identification);
- 2100 ``CLP`` (CLP01 the patient control number = the 837's CLM01, CLP02 status, CLP03
  charge, CLP04 paid, CLP05 patient responsibility, CLP07 payer claim control number),
  claim-level ``CAS``, ``MOA``/``MIA`` remark codes, ``DTM*232`` statement date;
- 2110 ``SVC`` (SVC01 code and modifiers, SVC02 charge, SVC03 paid, SVC05 units, SVC06 the
  code as submitted when the payer changed it, SVC07 units as submitted), ``DTM*472`` (or
  ``150``) service date, ``CAS`` (group, CARC, amount, quantity, up to six a segment),
  ``REF*6R`` line item control number, ``REF*0K`` payer policy, ``LQ*HE`` remark codes;
- ``PLB`` provider-level adjustments (recoupments, interest), reported as money not matched
  to a claim.

Delimiters come from each ISA (:mod:`x12_segments`). A claim with a segment that cannot be read
is an input error at that segment and the other claims are still read; a transaction that is not
an 835, or whose SE count does not match, is an input error at its segment.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from typing import IO

from b12lint.model import InputError, Source
from b12lint.model.remittance import Adjustment, ProviderAdjustment, RemitClaim, RemitLine
from b12lint.readers.x12_claim import ccyymmdd as _date
from b12lint.readers.x12_claim import number as _number
from b12lint.readers.x12_claim import text as _text
from b12lint.readers.x12_segments import Segment, SegmentError, iter_segments

VERSIONS = frozenset({"005010X221A1", "005010X221"})
GROUPS = frozenset({"CO", "PR", "OA", "PI", "CR"})
REMARK_ELEMENTS = {"MOA": (3, 4, 5, 6, 7), "MIA": (5, 20, 21, 22, 23)}

RemitItem = RemitClaim | ProviderAdjustment | InputError


class _BadSegmentError(Exception):
    """A segment of a claim that cannot be read."""


def _amount(seg: Segment, index: int, *, required: bool = True) -> float:
    text = seg.get(index)
    if not text and not required:
        return 0.0
    value = _number(text)
    if value is None:
        what = "missing" if not text else "not a number"
        raise _BadSegmentError(f"segment {seg.number} {seg.id}{index:02d}: amount {what}")
    return float(value)


def _composite(seg: Segment, index: int) -> tuple[str, list[str]]:
    """``HC:J3420:JZ`` → (``J3420``, [``JZ``]); the qualifier is dropped."""
    parts = seg.get(index).split(seg.delimiters.component)
    if len(parts) < 2 or not parts[1].strip():
        raise _BadSegmentError(f"segment {seg.number} {seg.id}{index:02d}: no procedure code")
    code = parts[1].strip().upper()
    modifiers = [m.strip().upper() for m in parts[2:6] if m.strip()]
    return code, modifiers


def _adjustments(seg: Segment) -> list[Adjustment]:
    group = seg.get(1).strip().upper()
    if group not in GROUPS:
        raise _BadSegmentError(
            f"segment {seg.number} CAS01: unknown adjustment group {group[:4]!r}"
        )
    out: list[Adjustment] = []
    for start in range(2, 20, 3):
        reason = seg.get(start).strip().upper()
        if not reason:
            continue
        if len(reason) > 5 or not reason.isalnum():
            raise _BadSegmentError(
                f"segment {seg.number} CAS{start:02d}: not an adjustment reason code"
            )
        amount = _amount(seg, start + 1)
        quantity = _number(seg.get(start + 2)) if seg.get(start + 2) else None
        out.append(Adjustment(group, reason, amount, None if quantity is None else quantity))
    if not out:
        raise _BadSegmentError(f"segment {seg.number} CAS: no adjustment reason")
    return out


class Reader835:
    """Reads one file's 835 transactions (a new reader per file)."""

    def __init__(self, file: str) -> None:
        self.file = file
        self.payer_id: str | None = None
        self.payer_name: str | None = None
        self.claim: RemitClaim | None = None
        self.line: RemitLine | None = None
        self.bad: InputError | None = None
        self.in_transaction = False
        self.st_number = 0

    def error(self, number: int, message: str, rule_id: str = "B12-INPUT-002") -> InputError:
        return InputError(Source(self.file, number), message, rule_id=rule_id)

    def read(self, stream: IO[bytes]) -> Iterator[RemitItem]:
        """Every claim payment, provider adjustment and input error of the stream."""
        seen_any = False
        for seg in iter_segments(stream):
            if isinstance(seg, SegmentError):
                yield from self.close()
                yield self.error(seg.number, seg.message, "B12-INPUT-001")
                continue
            seen_any = True
            yield from self.segment(seg)
        yield from self.close()
        if self.in_transaction:
            yield self.error(self.st_number, "the 835 transaction has no SE: the file is truncated")
        if not seen_any:
            yield self.error(1, "empty file: expected an X12 835 interchange", "B12-INPUT-001")

    def close(self) -> Iterator[RemitItem]:
        """Finish the open claim (or its input error)."""
        if self.bad is not None:
            yield self.bad
        elif self.claim is not None:
            yield self.claim
        self.claim = self.line = self.bad = None

    def segment(self, seg: Segment) -> Iterator[RemitItem]:
        sid = seg.id
        if sid == "ST":
            yield from self.close()
            self.in_transaction = True
            self.st_number = seg.number
            self.payer_id = self.payer_name = None
            if seg.get(1) != "835":
                yield self.error(
                    seg.number, f"transaction set {seg.get(1)[:6]!r} is not an 835 remittance"
                )
                self.in_transaction = False
            elif seg.get(3) and seg.get(3) not in VERSIONS:
                yield self.error(
                    seg.number,
                    f"835 implementation guide {seg.get(3)[:20]!r} is not 005010X221A1",
                )
            return
        if sid == "SE":
            yield from self.close()
            if self.in_transaction:
                expected = seg.number - self.st_number + 1
                count = _number(seg.get(1))
                if count != expected:
                    yield self.error(
                        seg.number,
                        f"SE01 counts {seg.get(1)[:10]!r} segments but the transaction has "
                        f"{expected}",
                    )
            self.in_transaction = False
            return
        if not self.in_transaction:
            return
        if sid == "PLB":
            yield from self.close()
            yield from self.plb(seg)
            return
        if sid == "CLP":
            yield from self.close()
        if sid == "LX":
            yield from self.close()
            return
        if self.claim is None and self.bad is None and sid != "CLP":
            self.header(seg)
            return
        if self.bad is not None:
            return  # the rest of a claim that cannot be read
        try:
            self.claim_segment(seg)
        except _BadSegmentError as exc:
            claim_id = self.claim.claim_id if self.claim is not None else None
            line = self.claim.source.line if self.claim is not None else seg.number
            self.bad = InputError(
                Source(self.file, line), str(exc), encounter_id=claim_id, rule_id="B12-INPUT-002"
            )
            self.claim = self.line = None

    def header(self, seg: Segment) -> None:
        """1000A payer identification (N1*PR, REF*2U)."""
        if seg.id == "N1" and seg.get(1) == "PR":
            self.payer_name = _text(seg.get(2)) or None
            self.payer_id = seg.get(4) or self.payer_id
        elif seg.id == "REF" and seg.get(1) == "2U":
            self.payer_id = seg.get(2) or self.payer_id

    def claim_segment(self, seg: Segment) -> None:
        sid = seg.id
        if sid == "CLP":
            claim_id = _text(seg.get(1)).strip()
            if not claim_id:
                raise _BadSegmentError(f"segment {seg.number} CLP01: no patient control number")
            self.claim = RemitClaim(
                claim_id=claim_id,
                status=seg.get(2).strip(),
                charge=_amount(seg, 3),
                paid=_amount(seg, 4),
                source=Source(self.file, seg.number),
                patient_responsibility=_amount(seg, 5) if seg.get(5) else None,
                payer_claim_number=seg.get(7) or None,
                payer_id=self.payer_id,
                payer_name=self.payer_name,
            )
            return
        claim = self.claim
        assert claim is not None
        if sid == "SVC":
            code, modifiers = _composite(seg, 1)
            original = _composite(seg, 6)[0] if seg.get(6) else None
            units = _number(seg.get(5)) if seg.get(5) else 1
            original_units = _number(seg.get(7)) if seg.get(7) else None
            if units is None:
                raise _BadSegmentError(f"segment {seg.number} SVC05: units not a number")
            self.line = RemitLine(
                code=code,
                modifiers=modifiers,
                charge=_amount(seg, 2),
                paid=_amount(seg, 3),
                units=float(units),
                segment=seg.number,
                original_code=original if original != code else None,
                original_units=None if original_units is None else float(original_units),
            )
            claim.lines.append(self.line)
            return
        line = self.line
        if sid == "CAS":
            (line.adjustments if line is not None else claim.adjustments).extend(_adjustments(seg))
        elif sid == "DTM":
            self.dtm(seg, claim, line)
        elif sid == "REF":
            qualifier, value = seg.get(1), seg.get(2).strip()
            if qualifier == "6R" and line is not None:
                line.control_number = value or None
            elif qualifier == "0K" and value:
                (line.policies if line is not None else claim.policies).append(value)
        elif sid == "LQ" and seg.get(1) == "HE" and seg.get(2):
            (line.remarks if line is not None else claim.remarks).append(seg.get(2).strip())
        elif sid in REMARK_ELEMENTS:
            claim.remarks.extend(
                seg.get(i).strip() for i in REMARK_ELEMENTS[sid] if seg.get(i).strip()
            )

    @staticmethod
    def dtm(seg: Segment, claim: RemitClaim, line: RemitLine | None) -> None:
        qualifier = seg.get(1)
        if qualifier not in {"232", "472", "150"}:
            return
        date: dt.date | None = _date(seg.get(2))
        if date is None:
            raise _BadSegmentError(f"segment {seg.number} DTM02: not a CCYYMMDD date")
        if line is not None and qualifier in {"472", "150"}:
            line.date = line.date or date
        if claim.date is None and (qualifier == "232" or line is not None):
            claim.date = date

    def plb(self, seg: Segment) -> Iterator[RemitItem]:
        """Provider-level adjustments: up to six (reason:reference, amount) pairs."""
        source = Source(self.file, seg.number)
        for start in range(3, 15, 2):
            composite = seg.get(start)
            if not composite:
                continue
            reason, _, reference = composite.partition(seg.delimiters.component)
            amount = _number(seg.get(start + 1))
            if amount is None or not reason.strip():
                yield self.error(
                    seg.number, f"segment {seg.number} PLB{start:02d}: adjustment not readable"
                )
                continue
            yield ProviderAdjustment(
                reason.strip().upper(), float(amount), source, reference.strip() or None
            )


def read_835(stream: IO[bytes], file: str) -> Iterator[RemitItem]:
    """The claim payments, provider adjustments and input errors of one 835 file."""
    return Reader835(file).read(stream)
