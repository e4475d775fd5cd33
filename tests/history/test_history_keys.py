"""The keyed patient hash and its key: from the environment, a file, or generated."""

from __future__ import annotations

import os
import stat
import threading
from pathlib import Path

import pytest

from b12lint.history import HistoryError
from b12lint.history.keys import (
    MIN_KEY_CHARS,
    create_key_file,
    default_key_path,
    key_from_text,
    read_key_file,
)

KEY_A = "a" * MIN_KEY_CHARS
KEY_B = "b" * MIN_KEY_CHARS


def test_hash_is_keyed_stable_and_hides_the_id() -> None:
    a, b = key_from_text(KEY_A, "test"), key_from_text(KEY_B, "test")
    assert a.hash("PT-0077") == key_from_text(f"  {KEY_A}\n", "other").hash("PT-0077")
    assert a.hash("PT-0077") != b.hash("PT-0077")
    assert a.hash("PT-0077") != a.hash("PT-0078")
    digest = a.hash("PT-0077")
    assert len(digest) == 64 and "0077" not in digest
    assert a.fingerprint() != b.fingerprint()
    assert a.fingerprint() not in (a.hash(""), KEY_A)


def test_the_key_is_not_in_its_repr() -> None:
    assert KEY_A not in repr(key_from_text(KEY_A, "env"))


@pytest.mark.parametrize("text", ["", "   ", "short", "x" * (MIN_KEY_CHARS - 1)])
def test_a_short_key_is_refused_with_a_recipe(text: str) -> None:
    with pytest.raises(HistoryError, match=r"too short.*secrets\.token_hex"):
        key_from_text(text, "B12LINT_HISTORY_KEY")


def test_created_key_file_is_owner_only_and_reads_back(tmp_path: Path) -> None:
    path = default_key_path(tmp_path / "h.db")
    assert path.name == "h.db.key"
    key, created = create_key_file(path)
    assert created
    assert stat.S_IMODE(path.stat().st_mode) == 0o600
    again, notes = read_key_file(path)
    assert again.secret == key.secret and notes == []
    assert [p.name for p in tmp_path.iterdir()] == ["h.db.key"]  # no temp file left


def test_a_second_creation_keeps_the_first_key(tmp_path: Path) -> None:
    path = tmp_path / "h.db.key"
    first, _ = create_key_file(path)
    second, created = create_key_file(path)
    assert not created and second.secret == first.secret


def test_racing_creators_agree_on_one_key(tmp_path: Path) -> None:
    path = tmp_path / "h.db.key"
    keys: list[bytes] = []
    barrier = threading.Barrier(8)

    def make() -> None:
        barrier.wait()
        keys.append(create_key_file(path)[0].secret)

    threads = [threading.Thread(target=make) for _ in range(8)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert len(keys) == 8 and len(set(keys)) == 1
    assert path.read_text().strip().encode() == keys[0]


def test_a_key_file_readable_by_others_warns(tmp_path: Path) -> None:
    path = tmp_path / "team.key"
    path.write_text(KEY_A + "\n")
    os.chmod(path, 0o644)
    key, notes = read_key_file(path)
    assert key.secret == KEY_A.encode()
    assert len(notes) == 1 and "chmod 600" in notes[0]


def test_missing_unreadable_or_binary_key_files(tmp_path: Path) -> None:
    with pytest.raises(HistoryError, match="does not exist"):
        read_key_file(tmp_path / "nope.key")
    binary = tmp_path / "bin.key"
    binary.write_bytes(b"\xff\xfe" * 40)
    with pytest.raises(HistoryError, match="not UTF-8"):
        read_key_file(binary)
    with pytest.raises(HistoryError, match="cannot read"):
        read_key_file(tmp_path)  # a directory
    short = tmp_path / "short.key"
    short.write_text("abc")
    with pytest.raises(HistoryError, match="too short"):
        read_key_file(short)


def test_key_file_cannot_be_created_in_a_missing_folder(tmp_path: Path) -> None:
    with pytest.raises(HistoryError, match="cannot create history key"):
        create_key_file(tmp_path / "missing" / "h.db.key")
