"""X12 segments streamed from bytes, with the delimiters each interchange's ISA header declares.

An ISA header is a fixed 106-character segment: the element separator is its fourth
character, the repetition separator ISA11 (position 82), the component separator ISA16
(position 104) and the segment terminator the character after it. Nothing else is assumed:
``*``, ``:``, ``^`` and ``~`` are only the usual choices. Each interchange of a file may
declare its own delimiters. Segments are numbered from 1 across the whole file (the ISA is
segment 1): with one segment a line, the number is also the line number.

Lenient where real files are (each accepted by the pyx12 validator too): ISA11 holding a
letter, digit or space (5010 files written with the 4010 habit ``U``) means "no repetition
separator"; line breaks, blanks and indentation around segments are ignored (a CR terminator
followed by LF, CR LF after ``~``, indented segments), and so are NUL padding and a DOS
end-of-file mark (SUB, Ctrl-Z) between or after interchanges; the interchange version (ISA12) is
checked before the delimiters, so a 4010 file is told it is 4010.
"""

from __future__ import annotations

from collections.abc import Generator, Iterator
from dataclasses import dataclass
from typing import IO

ISA_LENGTH = 106
"""The ISA header with its segment terminator."""
#: Where the element separator must stand in a fixed-length ISA (16 elements).
ISA_SEPARATORS = (3, 6, 17, 20, 31, 34, 50, 53, 69, 76, 81, 83, 89, 99, 101, 103)
_CHUNK = 1 << 20
_BLANKS = " \t\r\n"
"""Characters around segments that are not part of them (unless one is a delimiter)."""
VERSION = "00501"
"""The interchange control version read (ISA12): 5010."""
_SKIP_AT_START = " \t\r\n\x00\x1a\xef\xbb\xbf"
"""Skipped before a header and after an IEA: whitespace, NUL padding, the SUB (Ctrl-Z) that DOS
and Windows tools write at the end of a file (pyx12 accepts it), a UTF-8 BOM as latin-1."""
MAX_SEGMENT = 1 << 20
"""A segment longer than this is not read (skipped in bounded memory up to its terminator)."""


@dataclass(frozen=True, slots=True)
class Delimiters:
    """The four delimiters of one interchange."""

    element: str
    component: str
    repetition: str
    """``""`` when ISA11 holds no separator (a letter, digit or space: the 4010 habit ``U``)."""
    segment: str

    def describe(self) -> str:
        """``element '*', component ':', repetition '^', segment '~'``."""
        repetition = repr(self.repetition) if self.repetition else "none"
        return (
            f"element {self.element!r}, component {self.component!r}, "
            f"repetition {repetition}, segment {self.segment!r}"
        )


@dataclass(slots=True)
class Segment:
    """One segment: its 1-based number in the file and its elements (``elements[0]`` is the id)."""

    number: int
    elements: list[str]
    delimiters: Delimiters
    raw: str
    """The segment as it was written, without its terminator (the elements joined)."""

    @property
    def id(self) -> str:
        """The segment id (``CLM``, ``SV1``...)."""
        return self.elements[0]

    def get(self, index: int) -> str:
        """Element ``index`` (1-based, as the X12 guides count: ``CLM01`` is 1), or ``""``."""
        elements = self.elements
        return elements[index] if index < len(elements) else ""

    def text(self) -> str:
        """The segment as it was written (without its terminator)."""
        return self.raw


@dataclass(frozen=True, slots=True)
class SegmentError:
    """Text that cannot be read as a segment: a broken header, a truncated file."""

    number: int
    message: str
    fatal: bool = False
    """True when the rest of the interchange cannot be read (delimiters unknown or wrong)."""
    oversized: bool = False
    """True for one segment too long to read: the segments after it are still read."""


def parse_isa(header: str) -> Delimiters | str:
    """The delimiters of a 106-character ISA header, or why it is not one."""
    if len(header) < ISA_LENGTH:
        return "the ISA header is truncated (an ISA is 106 characters)"
    sep = header[3]
    if sep.isalnum() or sep.isspace():
        return f"the ISA element separator {sep!r} is a letter, digit or space"
    for position in ISA_SEPARATORS:
        if header[position] != sep:
            element = ISA_SEPARATORS.index(position) + 1
            return (
                f"the ISA header is not the fixed-length form: element separator {sep!r} "
                f"expected before ISA{element:02d} (character {position + 1})"
            )
    version = header[84:89]
    if version != VERSION:
        return (
            f"interchange version {version!r} (ISA12) is not 5010 ({VERSION}): "
            "b12lint reads 5010 837P and 837I files; interchange skipped"
        )
    repetition = header[82]
    if repetition.isalnum() or repetition.isspace():
        repetition = ""  # no repetition separator (ISA11 "U", as 4010 wrote it)
    delims = Delimiters(
        element=sep, component=header[104], repetition=repetition, segment=header[105]
    )
    chars = [c for c in (delims.element, delims.component, repetition, delims.segment) if c]
    if len(set(chars)) != len(chars):
        return f"the ISA declares delimiters that are not distinct ({delims.describe()})"
    if delims.component.isalnum() or delims.component == " ":
        return f"the ISA declares a letter, digit or space as a delimiter ({delims.describe()})"
    if delims.segment.isalnum():
        return f"the ISA segment terminator {delims.segment!r} is a letter or digit"
    return delims


class _Buffer:
    """Latin-1 text of a byte stream read in chunks (every byte maps to one character)."""

    __slots__ = ("eof", "pos", "stream", "text")

    def __init__(self, stream: IO[bytes]) -> None:
        self.stream = stream
        self.text = ""
        self.pos = 0
        self.eof = False

    def fill(self) -> bool:
        """Read one more chunk; False at the end of the stream."""
        if self.eof:
            return False
        chunk = self.stream.read(_CHUNK)
        if not chunk:
            self.eof = True
            return False
        self.text = self.text[self.pos :] + chunk.decode("latin-1")
        self.pos = 0
        return True

    def skip_blank(self) -> None:
        """Move past whitespace (and a byte-order mark) before a header."""
        while True:
            text, pos = self.text, self.pos
            while pos < len(text) and text[pos] in _SKIP_AT_START:
                pos += 1
            self.pos = pos
            if pos < len(text) or not self.fill():
                return

    def ensure(self, size: int) -> bool:
        """Whether ``size`` characters are buffered past ``pos`` (reading more as needed)."""
        while len(self.text) - self.pos < size:
            if not self.fill():
                return False
        return True

    def skip_past(self, char: str) -> bool:
        """Discard text up to and including the next ``char``; False (all consumed) if none."""
        while True:
            index = self.text.find(char, self.pos)
            if index >= 0:
                self.pos = index + 1
                return True
            self.pos = len(self.text)
            if not self.fill():
                return False

    def find_isa(self) -> bool:
        """Move to the next ``ISA`` that starts a readable header; False (all consumed) if none."""
        while True:
            index = self.text.find("ISA", self.pos)
            if index < 0:
                self.pos = max(self.pos, len(self.text) - 2)  # "ISA" may straddle chunks
                if not self.fill():
                    self.pos = len(self.text)
                    return False
                continue
            self.pos = index
            self.ensure(ISA_LENGTH)
            if not isinstance(parse_isa(self.text[self.pos : self.pos + ISA_LENGTH]), str):
                return True
            self.pos += 1


def iter_segments(stream: IO[bytes]) -> Iterator[Segment | SegmentError]:
    """Every segment of every interchange in a byte stream, or an error where text is not X12.

    A header that cannot be read is reported and the reader moves on to the next ``ISA``;
    a segment that is not terminated before the end of the file is reported as truncated.
    """
    buf = _Buffer(stream)
    number = 0
    while True:
        buf.skip_blank()
        if buf.pos >= len(buf.text):
            return
        number += 1
        if not buf.text.startswith("ISA", buf.pos):
            yield SegmentError(
                number, "not an X12 interchange: expected an ISA header here", fatal=True
            )
            if not buf.find_isa():
                return
        buf.ensure(ISA_LENGTH)
        header = buf.text[buf.pos : buf.pos + ISA_LENGTH]
        delims = parse_isa(header)
        if isinstance(delims, str):
            yield SegmentError(number, delims, fatal=True)
            buf.pos += 3
            if not buf.find_isa():
                return
            continue
        buf.pos += ISA_LENGTH
        isa = header[: ISA_LENGTH - 1]
        yield Segment(number, isa.split(delims.element), delims, isa)
        number = yield from _interchange(buf, delims, number)


def _interchange(
    buf: _Buffer, delims: Delimiters, number: int
) -> Generator[Segment | SegmentError, None, int]:
    """The segments after an ISA header, up to and including its IEA, an error that ends the
    interchange, or a new ISA (not read); returns the number of the last one yielded."""
    term = delims.segment
    sep = delims.element
    used = (sep, delims.component, delims.repetition, term)
    strip = "".join(c for c in _BLANKS if c not in used)
    iea = "IEA" + sep
    while True:
        text = buf.text
        pos = buf.pos
        end = text.find(term, pos)
        # the segments the buffer holds whole, in a tight loop (the buffer changes only below)
        while end >= 0:
            raw = text[pos:end]
            if strip:
                raw = raw.strip(strip)
            if raw.startswith("ISA"):  # a new interchange before this one's IEA: re-read it
                buf.pos = text.index("ISA", pos)
                return number
            pos = end + 1
            if raw:
                number += 1
                buf.pos = pos
                yield Segment(number, raw.split(sep), delims, raw)
                if raw.startswith(iea) or raw == "IEA":
                    return number
            end = text.find(term, pos)
        buf.pos = pos
        if len(text) - pos > MAX_SEGMENT:
            # skipped in bounded memory: one overlong segment, or no terminator at all
            if not buf.skip_past(term):
                yield SegmentError(
                    number + 1,
                    f"no segment terminator {term!r} in the rest of the file: the file "
                    f"does not use the delimiters its ISA declares ({delims.describe()})",
                    fatal=True,
                )
                return number + 1
            number += 1
            yield SegmentError(
                number,
                f"segment {number} is longer than {MAX_SEGMENT:,} characters: not read",
                oversized=True,
            )
            continue
        if buf.fill():
            continue
        rest = text[pos:].strip()
        buf.pos = len(text)
        if rest:
            yield SegmentError(
                number + 1,
                f"segment {number + 1} has no terminator {term!r}: the file is truncated",
            )
            return number + 1
        return number
