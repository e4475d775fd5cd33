"""What a running service is configured with (CLI > environment > ``[tool.b12lint.serve]``)."""

from __future__ import annotations

import ipaddress
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

#: A body larger than this is a "large" check: it waits for the one large-check slot, so a big
#: upload never takes the slots of single-encounter checks.
LARGE_BODY = 256 * 1024


@dataclass(frozen=True)
class ServeSettings:
    """Limits and security of one service."""

    host: str = "127.0.0.1"
    port: int = 8412
    token: str | None = None
    """Bearer token required on the API and the page's checks (required off loopback)."""
    max_body_bytes: int = 16 * 1024 * 1024
    request_timeout: float = 60.0
    small_slots: int = 4
    """Checks of bodies under :data:`LARGE_BODY` that may run at once."""
    large_slots: int = 1
    public_url: str | None = None
    """The URL the EHR calls (behind a proxy): the JWT ``aud`` of CDS Hooks calls."""
    cds_issuers: Mapping[str, Any] = field(default_factory=dict)
    """``iss`` → PEM public key text or a JWKS document (dict): the EHRs allowed to call."""
    tls: bool = False
    allow_insecure_http: bool = False

    @property
    def loopback(self) -> bool:
        """Whether the service binds only to the loopback interface."""
        return is_loopback(self.host)

    def problems(self) -> list[str]:
        """Why this configuration must not start (empty: it may)."""
        out = []
        if not self.loopback and not self.token:
            out.append(
                f"binding {self.host} (beyond loopback) needs a bearer token: "
                "--token or B12LINT_SERVE_TOKEN"
            )
        if not self.loopback and not self.tls and not self.allow_insecure_http:
            out.append(
                f"binding {self.host} without TLS: give --tls-cert/--tls-key, or put a TLS "
                "proxy in front and pass --allow-insecure-http (CDS Hooks requires TLS)"
            )
        if self.max_body_bytes < 1 or self.request_timeout <= 0:
            out.append("--max-body and --timeout must be positive")
        if self.small_slots < 1 or self.large_slots < 1:
            out.append("--workers must be at least 1")
        return out


def is_loopback(host: str) -> bool:
    """``127.0.0.1``, ``::1``, ``localhost``: nothing beyond this machine."""
    if host == "localhost":
        return True
    try:
        return ipaddress.ip_address(host.strip("[]")).is_loopback
    except ValueError:
        return False
