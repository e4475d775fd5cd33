"""Byte streams the readers read through: a head already taken put back in front of the rest,
and UTF-16 (with its byte-order mark) read as UTF-8, in bounded memory."""

from __future__ import annotations

import codecs
import io
from pathlib import Path
from typing import IO, Any

CHUNK = 1 << 16
_UTF16_BOMS = (codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)


class Prefixed(io.RawIOBase):
    """A stream that reads ``head`` (bytes already taken from ``rest``), then ``rest``."""

    def __init__(self, head: bytes, rest: IO[bytes]) -> None:
        super().__init__()
        self.head = memoryview(head)
        self.rest = rest
        self.read_rest = getattr(rest, "read1", rest.read)

    def readable(self) -> bool:
        return True

    def readinto(self, buffer: Any) -> int:
        if self.head:
            n = min(len(buffer), len(self.head))
            buffer[:n] = self.head[:n]
            self.head = self.head[n:]
            return n
        data = self.read_rest(len(buffer))
        buffer[: len(data)] = data
        return len(data)


class Transcoded(io.RawIOBase):
    """A UTF-16 byte stream (starting with its byte-order mark) read as UTF-8 bytes.

    Bytes that are not UTF-16 become U+FFFD (the readers then report what they cannot read).
    """

    def __init__(self, raw: IO[bytes]) -> None:
        super().__init__()
        self.raw = raw
        self.decoder = codecs.getincrementaldecoder("utf-16")("replace")
        self.pending = b""
        self.done = False

    def readable(self) -> bool:
        return True

    def readinto(self, buffer: Any) -> int:
        while not self.pending and not self.done:
            chunk = self.raw.read(CHUNK)
            self.done = not chunk
            self.pending = self.decoder.decode(chunk, final=self.done).encode("utf-8")
        n = min(len(buffer), len(self.pending))
        buffer[:n] = self.pending[:n]
        self.pending = self.pending[n:]
        return n


def prefixed(head: bytes, rest: IO[bytes]) -> IO[bytes]:
    """``head`` then ``rest``, buffered."""
    return io.BufferedReader(Prefixed(head, rest), buffer_size=CHUNK)


def is_utf16(path: Path) -> bool:
    """Whether a file starts with a UTF-16 byte-order mark (read through :func:`utf8_stream`)."""
    with path.open("rb") as handle:
        return handle.read(2) in _UTF16_BOMS


def utf8_stream(source: IO[bytes]) -> IO[bytes]:
    """``source`` as UTF-8 bytes: transcoded when it starts with a UTF-16 byte-order mark,
    else as it is (any stream: nothing is seeked)."""
    bom = source.read(2)
    stream = prefixed(bom, source)
    if bom in _UTF16_BOMS:
        return io.BufferedReader(Transcoded(stream), buffer_size=CHUNK)
    return stream


__all__ = ["CHUNK", "Prefixed", "Transcoded", "is_utf16", "prefixed", "utf8_stream"]
