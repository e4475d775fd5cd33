"""Fixtures of the serve tests: a real b12lint service (uvicorn in a thread) and EHR keys."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest

pytest.importorskip("starlette", reason="b12lint serve needs the serve extra (in the test extra)")
pytest.importorskip("uvicorn", reason="b12lint serve needs the serve extra (in the test extra)")
pytest.importorskip("jwt", reason="b12lint serve needs PyJWT (in the test extra)")
pytest.importorskip("httpx", reason="the serve tests use httpx (in the test extra)")

from serve_support import ISSUER, Running, public_pem, start


@pytest.fixture(scope="session")
def ehr_key() -> Any:
    from cryptography.hazmat.primitives.asymmetric import ec

    return ec.generate_private_key(ec.SECP384R1())


def _service(ehr_key: Any, **overrides: Any) -> Iterator[Running]:
    from b12lint.cli.common import rule_infos
    from b12lint.engine import build_router, load_packs
    from b12lint.serve import ServeSettings, create_app
    from b12lint.serve.checker import Checker

    router = build_router(load_packs(), {})
    infos = rule_infos(router)
    settings = ServeSettings(cds_issuers={ISSUER: public_pem(ehr_key)}, **overrides)
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
