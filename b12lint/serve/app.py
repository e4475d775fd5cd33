"""The ASGI application: routes, bearer-token auth, problem responses. No claim data is logged
or kept after a response."""

from __future__ import annotations

import hmac
import logging
from collections.abc import Mapping
from importlib import resources
from typing import Any

import orjson
from starlette.applications import Starlette
from starlette.middleware import Middleware
from starlette.middleware.base import BaseHTTPMiddleware, RequestResponseEndpoint
from starlette.requests import Request
from starlette.responses import HTMLResponse, JSONResponse, Response
from starlette.routing import Route

from b12lint import __version__
from b12lint.model import RuleInfo
from b12lint.readers.streams import compression
from b12lint.serve import cds
from b12lint.serve.checker import (
    Checker,
    HistoryUnavailableError,
    RequestError,
    input_format,
    output_format,
    record_flag,
)
from b12lint.serve.jwt_auth import ReplayCache, TokenError, verify
from b12lint.serve.limits import BodyTooLargeError, Slots, read_body
from b12lint.serve.openapi import document
from b12lint.serve.problems import problem
from b12lint.serve.settings import ServeSettings

log = logging.getLogger("b12lint.serve")
#: Security headers on every response: the page loads nothing from elsewhere.
HEADERS = {
    "Content-Security-Policy": "default-src 'none'; script-src 'unsafe-inline'; "
    "style-src 'unsafe-inline'; connect-src 'self'; img-src 'self' data: blob:; "
    "form-action 'none'; frame-ancestors 'none'",
    "X-Content-Type-Options": "nosniff",
    "Referrer-Policy": "no-referrer",
    "Cache-Control": "no-store",
}


def _authorized(request: Request, settings: ServeSettings) -> bool:
    if not settings.token:
        return True
    given = request.headers.get("authorization", "")
    expected = f"Bearer {settings.token}"
    return hmac.compare_digest(given.encode(), expected.encode())


def _unauthorized() -> JSONResponse:
    response = problem(401, "Unauthorized", "send Authorization: Bearer <token>")
    response.headers["WWW-Authenticate"] = "Bearer"
    return response


def create_app(
    checker: Checker, settings: ServeSettings, rules: Mapping[str, RuleInfo] | None = None
) -> Starlette:
    """The service: check API, CDS Hooks and the page, over one loaded engine."""
    slots = Slots(settings)
    replay = ReplayCache()
    rule_infos = dict(rules or {})
    page = resources.files("b12lint.serve").joinpath("page.html").read_text(encoding="utf-8")
    rules_doc = orjson.dumps([r.as_dict() for r in rule_infos.values()])

    async def check(request: Request) -> Response:
        if not _authorized(request, settings):
            return _unauthorized()
        try:
            fmt = input_format(
                request.headers.get("content-type"), request.query_params.get("format")
            )
            out_fmt, media = output_format(request.headers.get("accept"))
            record = record_flag(request.query_params.get("record"))
            if record and checker.history is None:
                raise RequestError(
                    409,
                    "No history store",
                    "?record=true needs a history: start the service with --history or set "
                    "history in the configuration",
                )
            body = await read_body(request, settings.max_body_bytes)
        except RequestError as exc:
            return problem(exc.status, exc.title, str(exc))
        except BodyTooLargeError:
            return problem(413, "Body too large", f"the limit is {settings.max_body_bytes:,} bytes")
        if not body.strip():
            return problem(400, "Empty body", "send the claims to check in the body")
        if compression(body[:6]) is not None:  # never inflated here: a small body, a huge batch
            return problem(
                415, "Compressed body", "send the claims uncompressed (no Content-Encoding)"
            )

        def work() -> str:
            return checker.render(checker.report(body, fmt, out_fmt, record=record), out_fmt)

        try:
            text = await slots.run(len(body), work)
        except HistoryUnavailableError as exc:
            return problem(503, "History store unavailable", str(exc))
        except TimeoutError:
            return problem(
                503,
                "Check took too long",
                f"over {settings.request_timeout:g} s: send smaller batches",
            )
        return Response(text, media_type=media)

    async def health(request: Request) -> Response:
        return JSONResponse({"status": "ok"})

    async def version(request: Request) -> Response:
        return JSONResponse(
            {"name": "b12lint", "version": __version__, "rulesets": checker.router.default.info()}
        )

    async def rules_list(request: Request) -> Response:
        if not _authorized(request, settings):
            return _unauthorized()
        return Response(rules_doc, media_type="application/json")

    async def openapi(request: Request) -> Response:
        return JSONResponse(document())

    async def index(request: Request) -> Response:
        return HTMLResponse(page)

    async def cds_discovery(request: Request) -> Response:
        return JSONResponse(cds.discovery())

    async def cds_call(request: Request) -> Response:
        service = request.path_params["service"]
        known = {s["id"]: s["hook"] for s in cds.discovery()["services"]}
        if service not in known:
            return problem(404, "Unknown CDS service", f"services: {', '.join(sorted(known))}")
        audience = (settings.public_url or str(request.base_url)).rstrip("/")
        audience = f"{audience}/cds-services/{service}"
        try:
            verify(request.headers.get("authorization"), settings.cds_issuers, audience, replay)
        except TokenError as exc:
            return problem(401, "Unauthorized", str(exc))
        try:
            body = await read_body(request, settings.max_body_bytes)
            payload: Any = orjson.loads(body)
        except BodyTooLargeError:
            return problem(413, "Body too large", f"the limit is {settings.max_body_bytes:,} bytes")
        except orjson.JSONDecodeError:
            return problem(400, "Not JSON", "a CDS Hooks request is a JSON object")
        if not isinstance(payload, dict):
            return problem(400, "Not a hook request", "a CDS Hooks request is a JSON object")
        if payload.get("hook") != known[service]:
            return problem(400, "Wrong hook", f"this service answers {known[service]}")

        def work() -> dict[str, Any]:
            return cds.cards(payload, checker.router, rule_infos)

        try:
            answer = await slots.run(len(body), work)
        except cds.HookError as exc:
            return problem(400, "Not a hook request", str(exc))
        except TimeoutError:
            return problem(503, "Hook took too long", "the cards could not be computed in time")
        return JSONResponse(answer)

    async def secure(request: Request, call_next: RequestResponseEndpoint) -> Response:
        try:
            response = await call_next(request)
        except Exception as exc:  # a message, never a traceback or claim data
            log.error("internal error on %s: %s", request.url.path, type(exc).__name__)
            response = problem(500, "Internal error", "the check failed; see the server log")
        for key, value in HEADERS.items():
            response.headers.setdefault(key, value)
        return response

    return Starlette(
        routes=[
            Route("/", index, methods=["GET"]),
            Route("/v1/check", check, methods=["POST"]),
            Route("/v1/rules", rules_list, methods=["GET"]),
            Route("/healthz", health, methods=["GET"]),
            Route("/version", version, methods=["GET"]),
            Route("/openapi.json", openapi, methods=["GET"]),
            Route("/cds-services", cds_discovery, methods=["GET"]),
            Route("/cds-services/{service}", cds_call, methods=["POST"]),
        ],
        middleware=[Middleware(BaseHTTPMiddleware, dispatch=secure)],
    )
