"""Byte streams the readers read through: a head already taken put back in front of the rest,
gzip, bzip2 and xz data decompressed, UTF-16 (with its byte-order mark) read as UTF-8, and
old-Mac text (lines ended by CR alone) read with LF line ends, each in bounded memory."""

from __future__ import annotations

import codecs
import io
import stat
from pathlib import Path
from typing import IO, Any

CHUNK = 1 << 16
_UNREADABLE = "b12lint-not-utf16"
"""The decoding error handler of :class:`Transcoded`: what is not UTF-16 becomes ``\\udcff``,
written as the byte ``\\xff`` (never valid UTF-8)."""


def _not_utf16(exc: UnicodeError) -> tuple[str, int]:
    assert isinstance(exc, UnicodeDecodeError)
    return "\udcff", exc.end


codecs.register_error(_UNREADABLE, _not_utf16)
_UTF16_BOMS = (codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)
#: Compressed data by its magic bytes: the module that reads it (imported when met).
COMPRESSED: dict[bytes, str] = {b"\x1f\x8b": "gzip", b"BZh": "bz2", b"\xfd7zXZ\x00": "lzma"}


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

    Bytes that are not UTF-16 (a lone surrogate) become a byte that is not UTF-8, so that the
    reader reports the record holding them as not text, never reads it altered (U+FFFD).
    """

    def __init__(self, raw: IO[bytes]) -> None:
        super().__init__()
        self.raw = raw
        self.decoder = codecs.getincrementaldecoder("utf-16")(_UNREADABLE)
        self.pending = b""
        self.done = False

    def readable(self) -> bool:
        return True

    def readinto(self, buffer: Any) -> int:
        while not self.pending and not self.done:
            chunk = self.raw.read(CHUNK)
            self.done = not chunk
            text = self.decoder.decode(chunk, final=self.done)
            self.pending = text.encode("utf-8", "surrogateescape")
        n = min(len(buffer), len(self.pending))
        buffer[:n] = self.pending[:n]
        self.pending = self.pending[n:]
        return n


class Decompressed(io.RawIOBase):
    """A compressed stream's content; corrupt or cut-off data is an ``OSError`` (the readers
    report a file they cannot read), never another exception type."""

    def __init__(self, raw: IO[bytes], module: str) -> None:
        super().__init__()
        import importlib

        opener = importlib.import_module(module)
        self.inner: IO[bytes] = opener.open(raw, "rb")

    def readable(self) -> bool:
        return True

    def readinto(self, buffer: Any) -> int:
        try:
            data = self.inner.read(len(buffer))
        except OSError:
            raise OSError("the compressed data is corrupt") from None
        except (EOFError, ValueError, RuntimeError) as exc:  # cut off; zlib/lzma/bz2 errors
            what = "cut off" if isinstance(exc, EOFError) else "corrupt"
            raise OSError(f"the compressed data is {what}") from None
        except Exception as exc:  # zlib.error and the like: not OSError subclasses
            raise OSError(f"the compressed data is corrupt ({type(exc).__name__})") from None
        buffer[: len(data)] = data
        return len(data)


class CrLines(io.RawIOBase):
    """Text whose lines end with CR alone (old Mac OS, some exports) read with LF line ends
    (one byte for one: offsets and line numbers are kept)."""

    def __init__(self, raw: IO[bytes]) -> None:
        super().__init__()
        self.raw = raw

    def readable(self) -> bool:
        return True

    def readinto(self, buffer: Any) -> int:
        data = self.raw.read(len(buffer)).replace(b"\r", b"\n")
        buffer[: len(data)] = data
        return len(data)


def compression(head: bytes) -> str | None:
    """The module that reads compressed data starting with ``head`` (None: not compressed)."""
    for magic, module in COMPRESSED.items():
        if head.startswith(magic):
            return module
    return None


def prefixed(head: bytes, rest: IO[bytes]) -> IO[bytes]:
    """``head`` then ``rest``, buffered."""
    return io.BufferedReader(Prefixed(head, rest), buffer_size=CHUNK)


def is_utf16(path: Path) -> bool:
    """Whether a file starts with a UTF-16 byte-order mark (read through :func:`utf8_stream`)."""
    with path.open("rb") as handle:
        return handle.read(2) in _UTF16_BOMS


def plain(path: Path) -> bool:
    """Whether a file's bytes are its text as the readers read it: a regular file, not
    compressed, not UTF-16, its lines ended by LF (or CRLF). Only such a file is read twice
    or by byte ranges; another is read once, through :func:`utf8_stream`."""
    if not stat.S_ISREG(path.stat().st_mode):
        return False  # a FIFO or a device: it can be read only once
    with path.open("rb") as handle:
        head = handle.read(CHUNK)
    return head[:2] not in _UTF16_BOMS and compression(head) is None and not _cr_only(head)


def _cr_only(head: bytes) -> bool:
    return b"\r" in head and b"\n" not in head


def _peek(source: IO[bytes], size: int) -> tuple[bytes, IO[bytes]]:
    """Up to ``size`` bytes from the start of ``source``, and the whole stream again."""
    head = b""
    while len(head) < size:
        data = source.read(size - len(head))
        if not data:
            break
        head += data
    return head, prefixed(head, source)


def utf8_stream(source: IO[bytes]) -> IO[bytes]:
    """``source`` as UTF-8 bytes with LF line ends: decompressed (gzip, bzip2, xz), then
    transcoded when it starts with a UTF-16 byte-order mark, and lines ended by CR alone
    read as LF (any stream: nothing is seeked)."""
    head, stream = _peek(source, CHUNK)  # one layer in the common case: plain UTF-8
    module = compression(head)
    if module is not None:
        stream = io.BufferedReader(Decompressed(stream, module), buffer_size=CHUNK)
        head, stream = _peek(stream, CHUNK)
    if head[:2] in _UTF16_BOMS:
        stream = io.BufferedReader(Transcoded(stream), buffer_size=CHUNK)
        head, stream = _peek(stream, CHUNK)
    if _cr_only(head):
        return io.BufferedReader(CrLines(stream), buffer_size=CHUNK)
    return stream


__all__ = [
    "CHUNK",
    "COMPRESSED",
    "CrLines",
    "Decompressed",
    "Prefixed",
    "Transcoded",
    "compression",
    "is_utf16",
    "plain",
    "prefixed",
    "utf8_stream",
]
