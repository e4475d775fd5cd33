"""The key of the patient hash: HMAC-SHA256 of the patient id, so the history holds no raw id.

A plain hash of an id like ``PT-0077`` is reversed by trying every id; a keyed hash is not,
without the key. The key is text of at least :data:`MIN_KEY_CHARS` characters, taken from the
``B12LINT_HISTORY_KEY`` environment variable, from a key file (``history-key-file``), or, for
a SQLite history, from ``<history>.key`` beside it, generated owner-only (0600) at first use.
The store keeps a fingerprint of the key (an HMAC of a fixed text, which reveals nothing of
the key) so that a wrong key is refused instead of silently matching no patient.
"""

from __future__ import annotations

import contextlib
import functools
import hashlib
import hmac
import os
import secrets
import stat
from dataclasses import dataclass, field
from pathlib import Path

from b12lint.history.store import HistoryError

KEY_ENV = "B12LINT_HISTORY_KEY"
MIN_KEY_CHARS = 32
_CHECK_TEXT = b"b12lint history key check v1"
HOW_TO_MAKE = "python3 -c 'import secrets; print(secrets.token_hex(32))'"


@dataclass(frozen=True)
class PatientKey:
    """An HMAC key and where it came from (the key itself is never shown)."""

    secret: bytes = field(repr=False)
    origin: str

    @functools.cached_property
    def _hmac(self) -> hmac.HMAC:
        return hmac.new(self.secret, digestmod=hashlib.sha256)

    def hash(self, patient_id: str) -> str:
        """The keyed hash of a patient id (64 hex digits)."""
        mac = self._hmac.copy()  # the keyed state, without re-deriving it per id
        mac.update(patient_id.encode("utf-8"))
        return mac.hexdigest()

    def fingerprint(self) -> str:
        """What the store remembers of the key: equal for equal keys, useless to an attacker."""
        return hmac.new(self.secret, _CHECK_TEXT, hashlib.sha256).hexdigest()


def key_from_text(text: str, origin: str) -> PatientKey:
    """A key from its text (surrounding whitespace ignored); too short is a HistoryError."""
    value = text.strip()
    if len(value) < MIN_KEY_CHARS:
        raise HistoryError(
            f"history key from {origin} is too short ({len(value)} characters, at least "
            f"{MIN_KEY_CHARS}): make one with {HOW_TO_MAKE}"
        )
    return PatientKey(value.encode("utf-8"), origin)


def default_key_path(history: Path) -> Path:
    """Where a SQLite history keeps its generated key: ``h.db`` → ``h.db.key``."""
    return history.with_name(history.name + ".key")


def read_key_file(path: Path) -> tuple[PatientKey, list[str]]:
    """The key in ``path``, with a warning when other users can read it."""
    try:
        text = path.read_text(encoding="utf-8")
        mode = path.stat().st_mode
    except FileNotFoundError:
        raise HistoryError(f"history key file {path} does not exist") from None
    except (OSError, UnicodeDecodeError) as exc:
        reason = exc.strerror if isinstance(exc, OSError) and exc.strerror else "not UTF-8 text"
        raise HistoryError(f"history key file {path}: cannot read: {reason}") from None
    notes = []
    if mode & (stat.S_IRWXG | stat.S_IRWXO):
        notes.append(f"history key file {path} is readable by other users: chmod 600 {path}")
    return key_from_text(text, str(path)), notes


def create_key_file(path: Path) -> tuple[PatientKey, bool]:
    """A new random key in ``path`` (0600), or the one another process wrote first.

    The key is written to a private temporary file and hard-linked into place, which fails if
    the file exists: two first runs at once end up with one key. Returns ``(key, created)``.
    """
    text = secrets.token_hex(32) + "\n"
    tmp = path.with_name(f".{path.name}.{secrets.token_hex(4)}.tmp")
    try:
        fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        with os.fdopen(fd, "w", encoding="utf-8") as handle:
            handle.write(text)
            handle.flush()
            os.fsync(handle.fileno())
        try:
            os.link(tmp, path)
            created = True
        except FileExistsError:
            created = False
    except OSError as exc:
        raise HistoryError(f"cannot create history key {path}: {exc.strerror or exc}") from None
    finally:
        with contextlib.suppress(OSError):
            tmp.unlink()
    if created:
        return PatientKey(text.strip().encode("utf-8"), str(path)), True
    key, _ = read_key_file(path)
    return key, False
