"""Errors as RFC 9457 problem details (``application/problem+json``)."""

from __future__ import annotations

from starlette.responses import JSONResponse

PROBLEM = "application/problem+json"


def problem(status: int, title: str, detail: str, **extra: object) -> JSONResponse:
    """A problem document: type, title, status, detail (never any claim data)."""
    body: dict[str, object] = {"type": "about:blank", "title": title, "status": status}
    body["detail"] = detail
    body.update(extra)
    return JSONResponse(body, status_code=status, media_type=PROBLEM)
