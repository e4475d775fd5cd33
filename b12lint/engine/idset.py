"""The encounter ids of a big batch as fixed-size digests, for duplicate detection.

A Python set of a million id strings holds over 100 MB; :class:`IdSet` keeps an 8-byte
BLAKE2b digest per id (an ``array``) and an open-addressing table of 4-byte indexes into it
(at most two-thirds full): about 16 bytes an id. The ids themselves go to an owner-only file
in the spill area, read back only when two digests are equal, so that a digest collision is
never taken for a duplicate: membership is exact, the same as the set's.
"""

from __future__ import annotations

import hashlib
import os
from array import array
from collections.abc import Callable
from typing import IO

from b12lint.engine.spill import SpillArea

Digest = Callable[[bytes], int]

_INITIAL = 1 << 12


def digest8(data: bytes) -> int:
    """The 8-byte BLAKE2b digest of ``data`` as an integer."""
    return int.from_bytes(hashlib.blake2b(data, digest_size=8).digest(), "little")


class IdSet:
    """A set of strings (``add``, ``in``, ``len``) in about 16 bytes an element.

    ``digest`` is replaceable for tests (a tiny one forces collisions).
    """

    def __init__(self, area: SpillArea, digest: Digest = digest8) -> None:
        self._area = area
        self._digest = digest
        self._digests = array("Q")
        self._table = array("I", bytes(4 * _INITIAL))
        self._mask = _INITIAL - 1
        self._ids: IO[bytes] | None = None
        self._offsets: IO[bytes] | None = None
        self._written = 0
        self._dirty = False

    def __len__(self) -> int:
        return len(self._digests)

    def __contains__(self, value: object) -> bool:
        if not isinstance(value, str):
            return False
        data = value.encode("utf-8", "surrogatepass")
        return self._find(data, self._digest(data))[1]

    def add(self, value: str) -> bool:
        """Add ``value``; whether it was new."""
        data = value.encode("utf-8", "surrogatepass")
        key = self._digest(data) & 0xFFFFFFFFFFFFFFFF
        slot, found = self._find(data, key)
        if found:
            return False
        index = len(self._digests)
        self._digests.append(key)
        self._table[slot] = index + 1
        self._store(data)
        if 3 * len(self._digests) >= 2 * len(self._table):
            self._grow()
        return True

    def _find(self, data: bytes, key: int) -> tuple[int, bool]:
        key &= 0xFFFFFFFFFFFFFFFF
        table, digests, mask = self._table, self._digests, self._mask
        slot = key & mask
        while True:
            index = table[slot]
            if index == 0:
                return slot, False
            if digests[index - 1] == key and self._id(index - 1) == data:
                return slot, True
            slot = (slot + 1) & mask

    def _grow(self) -> None:
        size = 2 * len(self._table)
        table = array("I", bytes(4 * size))
        mask = size - 1
        for index, key in enumerate(self._digests, start=1):
            slot = key & mask
            while table[slot]:
                slot = (slot + 1) & mask
            table[slot] = index
        self._table, self._mask = table, mask

    def _store(self, data: bytes) -> None:
        if self._ids is None:
            self._ids = self._area.new_file("ids")[1]
            self._offsets = self._area.new_file("id-offsets")[1]
        assert self._offsets is not None
        self._offsets.write(self._written.to_bytes(8, "little"))
        self._ids.write(len(data).to_bytes(4, "little"))
        self._ids.write(data)
        self._written += 4 + len(data)
        self._dirty = True

    def _id(self, index: int) -> bytes:
        """The id at ``index``, read back from the file (only for equal digests)."""
        assert self._ids is not None and self._offsets is not None
        if self._dirty:
            self._ids.flush()
            self._offsets.flush()
            self._dirty = False
        where = int.from_bytes(os.pread(self._offsets.fileno(), 8, 8 * index), "little")
        size = int.from_bytes(os.pread(self._ids.fileno(), 4, where), "little")
        return os.pread(self._ids.fileno(), size, where + 4)

    def close(self) -> None:
        """Close the files (the spill area removes them)."""
        for handle in (self._ids, self._offsets):
            if handle is not None:
                handle.close()
        self._ids = self._offsets = None
