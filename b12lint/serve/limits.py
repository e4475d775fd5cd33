"""Request bodies read within a size limit, and bounded pools of check slots."""

from __future__ import annotations

from collections.abc import Callable
from typing import TypeVar

import anyio
from starlette.requests import Request

from b12lint.serve.settings import LARGE_BODY, ServeSettings

T = TypeVar("T")


class BodyTooLargeError(Exception):
    """A body over the configured limit (413)."""


async def read_body(request: Request, limit: int) -> bytes:
    """The whole body, refused as soon as it passes ``limit`` bytes (never buffered beyond)."""
    declared = request.headers.get("content-length")
    if declared is not None and declared.isdigit() and int(declared) > limit:
        raise BodyTooLargeError
    chunks: list[bytes] = []
    size = 0
    async for chunk in request.stream():
        size += len(chunk)
        if size > limit:
            raise BodyTooLargeError
        chunks.append(chunk)
    return b"".join(chunks)


class Slots:
    """Two bounded pools of worker threads: small checks never wait behind a big upload."""

    def __init__(self, settings: ServeSettings) -> None:
        self.small = anyio.CapacityLimiter(settings.small_slots)
        self.large = anyio.CapacityLimiter(settings.large_slots)
        self.timeout = settings.request_timeout

    async def run(self, size: int, fn: Callable[[], T]) -> T:
        """Run ``fn`` in a worker thread of the pool its body size belongs to, within the
        request time limit (TimeoutError past it; the thread finishes its bounded work)."""
        limiter = self.large if size > LARGE_BODY else self.small
        with anyio.fail_after(self.timeout):
            return await anyio.to_thread.run_sync(fn, limiter=limiter, abandon_on_cancel=True)
