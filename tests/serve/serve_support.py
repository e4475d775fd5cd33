"""Helpers of the serve tests: a real service on a loopback port, EHR tokens, a clean record."""

from __future__ import annotations

import asyncio
import threading
import time
from dataclasses import dataclass
from typing import Any

ISSUER = "https://ehr.example.org"


@dataclass
class Running:
    """A started service: its base URL and the key its trusted EHR signs with."""

    url: str
    private_key: Any
    settings: Any


def public_pem(key: Any) -> str:
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


CLEAN = {
    "encounter_id": "S-1",
    "patient_id": "P-1",
    "date_of_service": "2026-03-02",
    "place_of_service": "11",
    "payer": {"id": "00952", "type": "medicare"},
    "diagnoses": ["D51.0"],
    "documentation": {
        "indication": "pernicious anemia, maintenance",
        "indication_codes": ["D51.0"],
        "phase": "maintenance",
        "monitoring": {"plan": "B12 level every 6 months", "last_b12_lab_date": "2026-01-12"},
        "administrations": [{"drug": "cyanocobalamin", "dose": "1000 mcg", "route": "IM"}],
    },
    "lines": [
        {"code": "J3420", "units": 1, "dx_pointers": [1]},
        {"code": "96372", "units": 1, "dx_pointers": [1]},
    ],
}
