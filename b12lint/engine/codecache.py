"""The on-disk cache of compiled generated rule code (like ``__pycache__``, but verified).

``compile()`` of a pack's generated source is most of what the generated engine adds to a
run's start-up, so its code object is kept, marshalled, in ``<cache dir>/code/`` (the folder of
:mod:`b12lint.engine.packcache`; ``B12LINT_NO_CACHE=1`` turns both off). The cache is code, so:

* an entry is keyed by the b12lint version, the Python version (``cache_tag``, ``sys.version``)
  and the SHA-256 of the generated source, itself a function of the pack's rules and data;
* an entry carries an HMAC-SHA256 of its key and bytes under a random secret kept in the same
  folder (``key``, owner-only); an entry whose HMAC does not verify is compiled again and
  rewritten, never unmarshalled, never run;
* the folder must be owned by the user and closed to group and others (0700), the secret file
  too (0600); otherwise the cache is not used at all (nothing is read from it). Where the
  file system cannot show that (Windows reports other modes), the code is compiled every run.
"""

from __future__ import annotations

import hashlib
import hmac
import marshal
import os
import stat
import sys
import tempfile
import types
from pathlib import Path

import b12lint
from b12lint.engine.packcache import cache_dir

FORMAT = b"b12lint-generated-code-1"
SECRET = "key"  # noqa: S105 - the file name of the HMAC secret, not a secret
SECRET_BYTES = 32
MAX_ENTRIES = 256
_MAC = hashlib.sha256().digest_size


def code_folder() -> Path | None:
    """Where compiled generated code is kept (None: the cache is off)."""
    base = cache_dir()
    return None if base is None else base / "code"


def cache_key(source: str, filename: str) -> str:
    """The entry name of a source compiled under ``filename`` by this b12lint and Python."""
    h = hashlib.sha256()
    for part in (FORMAT, b12lint.__version__.encode(), sys.implementation.cache_tag.encode()):
        h.update(part + b"\0")
    h.update(sys.version.encode() + b"\0")
    h.update(filename.encode() + b"\0")
    h.update(source.encode("utf-8", "surrogatepass"))
    return h.hexdigest()


def _private(path: Path, *, folder: bool) -> bool:
    """Owned by this user, of the expected kind, no access for group or others."""
    try:
        info = path.lstat()
    except OSError:
        return False
    kind = stat.S_ISDIR(info.st_mode) if folder else stat.S_ISREG(info.st_mode)
    owner = not hasattr(os, "getuid") or info.st_uid == os.getuid()
    return kind and owner and info.st_mode & 0o077 == 0


def _secret(folder: Path) -> bytes | None:
    """The folder's HMAC secret (created on first use), or None when it cannot be trusted."""
    try:
        folder.mkdir(parents=True, exist_ok=True, mode=0o700)
    except OSError:
        return None
    if not _private(folder, folder=True):
        return None
    path = folder / SECRET
    if not path.exists():
        try:
            flags = os.O_WRONLY | os.O_CREAT | os.O_EXCL | getattr(os, "O_NOFOLLOW", 0)
            fd = os.open(path, flags, 0o600)
        except FileExistsError:
            pass  # another process made it first: read theirs
        except OSError:
            return None
        else:
            with os.fdopen(fd, "wb") as out:
                out.write(os.urandom(SECRET_BYTES))
    if not _private(path, folder=False):
        return None
    try:
        secret = path.read_bytes()
    except OSError:
        return None
    return secret if len(secret) == SECRET_BYTES else None


def _mac(secret: bytes, key: str, body: bytes) -> bytes:
    return hmac.new(secret, key.encode() + b"\0" + body, hashlib.sha256).digest()


def read_entry(folder: Path, secret: bytes, key: str, filename: str) -> types.CodeType | None:
    """The verified code object of an entry, or None (absent, tampered, unreadable)."""
    try:
        data = (folder / f"{key}.code").read_bytes()
    except OSError:
        return None
    mac, body = data[:_MAC], data[_MAC:]
    if len(mac) != _MAC or not hmac.compare_digest(mac, _mac(secret, key, body)):
        return None  # never unmarshal bytes this user's secret did not sign
    try:
        code = marshal.loads(body)  # noqa: S302 - bytes whose HMAC verified above
    except (EOFError, ValueError, TypeError):
        return None
    if not isinstance(code, types.CodeType) or code.co_filename != filename:
        return None
    return code


def write_entry(folder: Path, secret: bytes, key: str, code: types.CodeType) -> None:
    """Store a code object with its HMAC (silently, if it can)."""
    body = marshal.dumps(code)
    try:
        with tempfile.NamedTemporaryFile(dir=folder, suffix=".tmp", delete=False) as out:
            out.write(_mac(secret, key, body) + body)  # mkstemp: owner-only (0600)
        Path(out.name).replace(folder / f"{key}.code")
        _prune(folder)
    except OSError:
        return


def _prune(folder: Path) -> None:
    entries = list(folder.glob("*.code"))
    if len(entries) <= MAX_ENTRIES:
        return
    entries.sort(key=lambda p: p.stat().st_mtime)
    for stale in entries[: len(entries) - MAX_ENTRIES]:
        stale.unlink(missing_ok=True)


def load_code(source: str, filename: str) -> types.CodeType:
    """The code object of ``source``: from the cache when a verified entry exists, else
    compiled (and stored)."""
    folder = code_folder()
    secret = _secret(folder) if folder is not None else None
    key = cache_key(source, filename)
    if folder is not None and secret is not None:
        code = read_entry(folder, secret, key, filename)
        if code is not None:
            return code
    code = compile(source, filename, "exec", dont_inherit=True)
    if folder is not None and secret is not None:
        write_entry(folder, secret, key, code)
    return code
