"""CDS Hooks 2.0 authorization: the EHR's signed JWT, verified as the specification requires.

The token is verified with a key configured for its issuer (``iss``) — never with one the
token points to (``jku`` is not followed: there is no network, and it would let a caller pick
its own key) — with an asymmetric algorithm only; ``aud`` must be this service's URL, ``exp``,
``iat`` and ``jti`` must be present, and a ``jti`` is accepted once until it expires (replay).
"""

from __future__ import annotations

import threading
import time
from collections.abc import Mapping
from typing import Any

ALGORITHMS = ["ES256", "ES384", "ES512", "RS256", "RS384", "RS512", "PS384"]
MAX_REMEMBERED = 100_000


class TokenError(Exception):
    """A CDS Hooks call that is not authorized (401); the message says why, without the token."""


class ReplayCache:
    """The ``jti`` of every accepted token until its ``exp`` (bounded)."""

    def __init__(self) -> None:
        self._seen: dict[str, float] = {}
        self._lock = threading.Lock()

    def accept(self, jti: str, exp: float) -> bool:
        """True the first time a ``jti`` is seen before it expires."""
        now = time.time()
        with self._lock:
            if len(self._seen) >= MAX_REMEMBERED:
                self._seen = {k: v for k, v in self._seen.items() if v > now}
                if len(self._seen) >= MAX_REMEMBERED:
                    return False  # flooded with live tokens: refuse rather than forget
            if jti in self._seen and self._seen[jti] > now:
                return False
            self._seen[jti] = exp
            return True


def _key_for(issuer_keys: Any, kid: str | None) -> Any:
    """The verification key: a PEM text, or the JWKS key with the token's ``kid``."""
    import jwt

    if isinstance(issuer_keys, str):
        return issuer_keys
    if isinstance(issuer_keys, Mapping) and isinstance(issuer_keys.get("keys"), list):
        keys = issuer_keys["keys"]
        chosen = [k for k in keys if kid is None or k.get("kid") == kid]
        if len(chosen) != 1:
            raise TokenError("no single configured key matches the token's kid")
        return jwt.PyJWK.from_dict(chosen[0]).key
    raise TokenError("the issuer's key is not configured as a PEM key or a JWKS")


def verify(
    authorization: str | None,
    issuers: Mapping[str, Any],
    audience: str,
    replay: ReplayCache,
) -> dict[str, Any]:
    """The verified claims of a ``Bearer`` JWT, or :class:`TokenError`."""
    import jwt

    if not authorization or not authorization.startswith("Bearer "):
        raise TokenError("a CDS Hooks call needs an Authorization: Bearer JWT")
    token = authorization[len("Bearer ") :].strip()
    try:
        header = jwt.get_unverified_header(token)
        unverified = jwt.decode(token, options={"verify_signature": False})
    except jwt.PyJWTError:
        raise TokenError("the bearer token is not a JWT") from None
    if header.get("alg") not in ALGORITHMS:
        raise TokenError(f"algorithm {str(header.get('alg'))[:10]!r} is not accepted")
    issuer = unverified.get("iss")
    if not isinstance(issuer, str) or issuer not in issuers:
        raise TokenError("the token's issuer is not configured for this service")
    key = _key_for(issuers[issuer], header.get("kid"))
    try:
        claims: dict[str, Any] = jwt.decode(
            token,
            key,
            algorithms=ALGORITHMS,
            audience=audience,
            issuer=issuer,
            options={"require": ["iss", "aud", "exp", "iat", "jti"]},
            leeway=30,
        )
    except jwt.ExpiredSignatureError:
        raise TokenError("the token has expired") from None
    except jwt.InvalidAudienceError:
        raise TokenError("the token's aud is not this service's URL") from None
    except jwt.PyJWTError as exc:
        raise TokenError(f"the token is not valid: {type(exc).__name__}") from None
    if not replay.accept(str(claims["jti"]), float(claims["exp"])):
        raise TokenError("the token's jti was already used (replay)")
    return claims
