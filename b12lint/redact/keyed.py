"""Stable keyed hashes for identifiers and free text (HMAC-SHA-256 with a secret key).

The key comes from ``B12LINT_REDACT_KEY`` (at least 16 characters). The same key gives the
same hash for the same value in every run and format, so redacted reports can be compared and
joined; without the key, the hashes cannot be reversed by guessing ids. When no key is set, a
random key is made for the run: hashes are consistent within that run's outputs only.
"""

from __future__ import annotations

import hashlib
import hmac
import re
import secrets
from collections.abc import Mapping

KEY_ENV = "B12LINT_REDACT_KEY"
MIN_KEY_LENGTH = 16
ID_PREFIX = "ID-"
TEXT_PREFIX = "TEXT-"
_DIGITS = 16
HASH_PATTERN = re.compile(rf"(?:{ID_PREFIX}|{TEXT_PREFIX})[0-9a-f]{{{_DIGITS}}}")


class RedactKeyError(ValueError):
    """A redaction key that is too weak to protect the ids."""


def resolve_key(env: Mapping[str, str]) -> tuple[bytes, bool]:
    """The key from the environment, or a random one: ``(key, from_environment)``."""
    raw = env.get(KEY_ENV)
    if raw is None or raw == "":
        return secrets.token_bytes(32), False
    if len(raw) < MIN_KEY_LENGTH:
        raise RedactKeyError(
            f"{KEY_ENV} must be at least {MIN_KEY_LENGTH} characters "
            "(a short key lets anyone recover ids by guessing)"
        )
    return raw.encode("utf-8"), True


class Hasher:
    """Keyed hashes: ``ID-`` for patient and encounter ids, ``TEXT-`` for free text."""

    def __init__(self, key: bytes) -> None:
        self._key = key
        self._cache: dict[tuple[str, str], str] = {}

    def _digest(self, domain: str, value: str) -> str:
        cached = self._cache.get((domain, value))
        if cached is None:
            mac = hmac.new(self._key, f"{domain}\x00{value}".encode(), hashlib.sha256)
            prefix = ID_PREFIX if domain == "id" else TEXT_PREFIX
            cached = prefix + mac.hexdigest()[:_DIGITS]
            self._cache[(domain, value)] = cached
        return cached

    def id(self, value: str) -> str:
        """The hash that stands for a patient or encounter id."""
        return self._digest("id", value)

    def text(self, value: str) -> str:
        """The hash that stands for a piece of free text."""
        return self._digest("text", value)


def is_hash(value: str) -> bool:
    """Whether ``value`` is already one of our hashes (never hashed twice)."""
    return HASH_PATTERN.fullmatch(value) is not None
