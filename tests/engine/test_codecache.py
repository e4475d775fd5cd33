"""The cache of compiled generated code: used when its HMAC verifies, owner-only, never run
when tampered with (compiled again instead), off with B12LINT_NO_CACHE."""

from __future__ import annotations

import marshal
import os
import stat
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from b12lint.engine import codecache
from b12lint.engine.codecache import SECRET, _mac, cache_key, load_code

SOURCE = "VALUE = 'genuine'\n"
EVIL = "VALUE = 'evil'\n"
NAME = "<b12lint generated rules>"


@pytest.fixture
def folder(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.delenv("B12LINT_NO_CACHE", raising=False)
    monkeypatch.setenv("B12LINT_CACHE_DIR", str(tmp_path / "cache"))
    return tmp_path / "cache" / "code"


@pytest.fixture
def compiles(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """Sources the cache compiled (rather than loaded)."""
    seen: list[str] = []
    real: Callable[..., Any] = compile

    def counting(source: str, *args: Any, **kwargs: Any) -> Any:
        seen.append(source)
        return real(source, *args, **kwargs)

    monkeypatch.setattr(codecache, "compile", counting, raising=False)
    return seen


def value(code: Any) -> str:
    namespace: dict[str, Any] = {"__builtins__": {}}
    exec(code, namespace)
    return str(namespace["VALUE"])


def entry(folder: Path) -> Path:
    return folder / f"{cache_key(SOURCE, NAME)}.code"


def test_a_second_load_takes_the_verified_entry(folder: Path, compiles: list[str]) -> None:
    assert value(load_code(SOURCE, NAME)) == "genuine"
    assert value(load_code(SOURCE, NAME)) == "genuine"
    assert compiles == [SOURCE]
    assert entry(folder).is_file()


def test_entries_and_secret_are_owner_only(folder: Path) -> None:
    load_code(SOURCE, NAME)
    assert stat.S_IMODE(folder.stat().st_mode) == 0o700
    assert stat.S_IMODE((folder / SECRET).stat().st_mode) == 0o600
    assert stat.S_IMODE(entry(folder).stat().st_mode) == 0o600


def test_the_key_changes_with_the_source_python_and_b12lint(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    base = cache_key(SOURCE, NAME)
    assert cache_key(EVIL, NAME) != base
    monkeypatch.setattr(codecache.sys, "version", "3.99.0 (other)")
    assert cache_key(SOURCE, NAME) != base
    monkeypatch.undo()
    monkeypatch.setattr(codecache.b12lint, "__version__", "99.0")
    assert cache_key(SOURCE, NAME) != base


def _forge(folder: Path, secret: bytes) -> None:
    """Replace the entry of SOURCE with EVIL's code, signed with ``secret``."""
    key = cache_key(SOURCE, NAME)
    body = marshal.dumps(compile(EVIL, NAME, "exec"))
    entry(folder).write_bytes(_mac(secret, key, body) + body)


@pytest.mark.parametrize("how", ["wrong secret", "flipped byte", "truncated", "no mac"])
def test_a_tampered_entry_is_compiled_again_never_run(
    folder: Path, compiles: list[str], how: str
) -> None:
    load_code(SOURCE, NAME)
    path = entry(folder)
    if how == "wrong secret":
        _forge(folder, os.urandom(32))
    elif how == "flipped byte":
        _forge(folder, (folder / SECRET).read_bytes())
        data = bytearray(path.read_bytes())
        data[-3] ^= 0x01
        path.write_bytes(bytes(data))
    elif how == "truncated":
        path.write_bytes(path.read_bytes()[:40])
    else:
        path.write_bytes(marshal.dumps(compile(EVIL, NAME, "exec")))
    assert value(load_code(SOURCE, NAME)) == "genuine"
    assert compiles == [SOURCE, SOURCE]
    assert value(load_code(SOURCE, NAME)) == "genuine"  # rewritten: verified again
    assert compiles == [SOURCE, SOURCE]


def test_an_entry_signed_with_the_secret_is_trusted(folder: Path, compiles: list[str]) -> None:
    """What the HMAC buys: only someone holding the owner-only secret can make an entry."""
    load_code(SOURCE, NAME)
    _forge(folder, (folder / SECRET).read_bytes())
    assert value(load_code(SOURCE, NAME)) == "evil"


@pytest.mark.skipif(not hasattr(os, "getuid"), reason="POSIX permissions")
@pytest.mark.parametrize("target", ["folder", "secret"])
def test_a_cache_others_can_write_is_not_used(
    folder: Path, compiles: list[str], target: str
) -> None:
    load_code(SOURCE, NAME)
    _forge(folder, (folder / SECRET).read_bytes())  # a valid entry, planted
    (folder if target == "folder" else folder / SECRET).chmod(
        0o777 if target == "folder" else 0o666
    )
    assert value(load_code(SOURCE, NAME)) == "genuine"  # nothing read from the cache
    assert compiles == [SOURCE, SOURCE]


def test_a_cache_that_is_off_or_unwritable_still_compiles(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, compiles: list[str]
) -> None:
    monkeypatch.setenv("B12LINT_NO_CACHE", "1")
    monkeypatch.setenv("B12LINT_CACHE_DIR", str(tmp_path / "off"))
    assert value(load_code(SOURCE, NAME)) == "genuine"
    assert not (tmp_path / "off").exists()
    monkeypatch.delenv("B12LINT_NO_CACHE")
    blocker = tmp_path / "file"
    blocker.write_text("not a folder")
    monkeypatch.setenv("B12LINT_CACHE_DIR", str(blocker))
    assert value(load_code(SOURCE, NAME)) == "genuine"
    assert compiles == [SOURCE, SOURCE]


def test_a_pack_loads_from_the_cache_with_identical_behaviour(
    folder: Path, compiles: list[str], make_pack: Callable[..., Path], rule_doc: Any
) -> None:
    from b12lint.engine.pack import load_pack

    path = make_pack("cached", [rule_doc()])
    first = load_pack(path)
    second = load_pack(path)
    assert len(compiles) == 1
    assert first.generated is not None and second.generated is not None
    assert first.generated.source == second.generated.source
    from b12lint.engine.selftest import run_pack_examples

    assert all(r.ok for r in run_pack_examples(second))
