"""Redaction of PHI in every output format (``--redact``); imports only the model."""

from b12lint.redact.keyed import KEY_ENV, Hasher, RedactKeyError, resolve_key
from b12lint.redact.redactor import Redactor, narrative
from b12lint.redact.scrub import Scrubber

__all__ = [
    "KEY_ENV",
    "Hasher",
    "RedactKeyError",
    "Redactor",
    "Scrubber",
    "narrative",
    "resolve_key",
]
