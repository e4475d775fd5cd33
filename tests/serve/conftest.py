"""A real b12lint service on a loopback port (uvicorn in a thread), and EHR signing keys."""

from __future__ import annotations

import asyncio
import threading
import time
from collections.abc import Iterator
from dataclasses import dataclass, replace
from typing import Any

import pytest

pytest.importorskip("starlette", reason="b12lint serve needs the serve extra (in the test extra)")
pytest.importorskip("uvicorn", reason="b12lint serve needs the serve extra (in the test extra)")
pytest.importorskip("jwt", reason="b12lint serve needs PyJWT (in the test extra)")
pytest.importorskip("httpx", reason="the serve tests use httpx (in the test extra)")

ISSUER = "https://ehr.example.org"


@dataclass
class Running:
    """A started service: its base URL and the key its trusted EHR signs with."""

    url: str
    private_key: Any
    settings: Any


@pytest.fixture(scope="session")
def ehr_key() -> Any:
    from cryptography.hazmat.primitives.asymmetric import ec

    return ec.generate_private_key(ec.SECP384R1())


def _pem(key: Any) -> str:
    from cryptography.hazmat.primitives import serialization

    return (
        key.public_key()
        .public_bytes(serialization.Encoding.PEM, serialization.PublicFormat.SubjectPublicKeyInfo)
        .decode()
    )


def start(app: Any) -> tuple[str, Any, threading.Thread]:
    """Serve ``app`` on a free loopback port; (base URL, server, thread)."""
    import uvicorn

    config = uvicorn.Config(app, host="127.0.0.1", port=0, log_level="warning", lifespan="off")
    server = uvicorn.Server(config)
    thread = threading.Thread(target=lambda: asyncio.run(server.serve()), daemon=True)
    thread.start()
    deadline = time.monotonic() + 20
    while not server.started:
        if time.monotonic() > deadline or not thread.is_alive():
            raise RuntimeError("the test server did not start")
        time.sleep(0.02)
    port = server.servers[0].sockets[0].getsockname()[1]
    return f"http://127.0.0.1:{port}", server, thread


def _service(ehr_key: Any, **overrides: Any) -> Iterator[Running]:
    from b12lint.cli.common import rule_infos
    from b12lint.engine import build_router, load_packs
    from b12lint.serve import ServeSettings, create_app
    from b12lint.serve.checker import Checker

    router = build_router(load_packs(), {})
    infos = rule_infos(router)
    settings = ServeSettings(cds_issuers={ISSUER: _pem(ehr_key)}, **overrides)
    url, server, thread = start(create_app(Checker(router, rule_infos=infos), settings, infos))
    try:
        yield Running(url, ehr_key, settings)
    finally:
        server.should_exit = True
        thread.join(timeout=10)


@pytest.fixture(scope="module")
def service(ehr_key: Any) -> Iterator[Running]:
    yield from _service(ehr_key)


@pytest.fixture(scope="module")
def guarded(ehr_key: Any) -> Iterator[Running]:
    """A service that requires a bearer token, with a small body limit."""
    yield from _service(ehr_key, token="s3cret-token-0123456789", max_body_bytes=4096)


def sign(key: Any, audience: str, **claims: Any) -> str:
    import jwt

    now = int(time.time())
    payload = {
        "iss": ISSUER,
        "sub": "ehr-client",
        "aud": audience,
        "exp": now + 300,
        "iat": now,
        "jti": f"jti-{time.monotonic_ns()}",
    }
    payload.update(claims)
    payload = {k: v for k, v in payload.items() if v is not None}
    return jwt.encode(payload, key, algorithm="ES384", headers={"typ": "JWT"})


__all__ = ["ISSUER", "Running", "replace", "sign", "start"]
