"""The cache of parsed, schema-valid pack documents: same documents, same rules, no stale hits."""

from __future__ import annotations

import datetime as dt
import os
from collections.abc import Iterator
from pathlib import Path

import pytest

from b12lint.engine import PackError, load_pack
from b12lint.engine import pack as pack_module
from b12lint.engine.packcache import DocumentCache, cache_dir, decode, encode, key
from b12lint.engine.ruleset import combine
from b12lint.engine.view import EncounterView
from b12lint.model import validate_encounter

ROOT = Path(__file__).resolve().parents[2]
CORE = ROOT / "rules" / "b12-core"


@pytest.fixture
def cache(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Path]:
    folder = tmp_path / "cache"
    monkeypatch.setenv("B12LINT_CACHE_DIR", str(folder))
    monkeypatch.delenv("B12LINT_NO_CACHE", raising=False)
    yield folder


def test_documents_round_trip_with_dates() -> None:
    doc = {
        "effective": {"from": dt.date(2024, 7, 1)},
        "values": [1, 2.5, "x", None, True, [dt.date(2000, 1, 1)]],
        "at": dt.datetime(2026, 3, 2, 10, 15),
    }
    data = encode(doc)
    assert data is not None
    back = decode(data)
    assert back == doc
    assert type(back["values"][1]) is float and type(back["values"][0]) is int
    assert type(back["effective"]["from"]) is dt.date and type(back["at"]) is dt.datetime


@pytest.mark.parametrize(
    "doc", [{1: "int key"}, {"x": {1, 2}}, {"x": b"bytes"}, {"x": float("nan")}, [float("inf")]]
)
def test_what_json_cannot_hold_is_not_cached(doc: object) -> None:
    assert encode(doc) is None


def test_cache_location(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    monkeypatch.setenv("B12LINT_CACHE_DIR", str(tmp_path / "c"))
    assert cache_dir() == tmp_path / "c"
    monkeypatch.delenv("B12LINT_CACHE_DIR")
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "xdg"))
    assert cache_dir() == tmp_path / "xdg" / "b12lint"
    monkeypatch.setenv("B12LINT_NO_CACHE", "1")
    assert cache_dir() is None


def test_keys_depend_on_bytes_and_schema() -> None:
    assert key("rule", b"a") != key("rule", b"b")
    assert key("rule", b"a") != key("data", b"a")
    assert key("rule", b"a") == key("rule", b"a")


def _findings(pack_path: Path) -> list[object]:
    ruleset = combine([load_pack(pack_path)])
    record = {
        "encounter_id": "E",
        "date_of_service": "2026-03-02",
        "rendering_npi": "1234567890",
        "diagnoses": ["D51"],
        "lines": [{"code": "J3420", "units": 2}, {"code": "99213"}, {"code": "96372"}],
        "documentation": {"administrations": [{"drug": "cyanocobalamin", "dose": "1000 mcg"}]},
    }
    view = EncounterView(validate_encounter(record))
    return [(r.meta.id, h) for r in ruleset.encounter_rules for h in r.evaluate(view)]


def test_a_cached_pack_compiles_to_the_same_rules(
    cache: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    cold = _findings(CORE)
    entries = sorted(cache.glob("*.json"))
    assert len(entries) > 60  # every rule, table and the manifest
    parsed = []
    original = pack_module._parse_file

    def counting(path: Path, data: bytes) -> object:
        parsed.append(path)
        return original(path, data)

    monkeypatch.setattr(pack_module, "_parse_file", counting)
    warm = _findings(CORE)
    assert parsed == []  # nothing parsed nor validated: every document came from the cache
    assert warm == cold and cold


def test_a_changed_or_invalid_file_is_read_again(cache: Path, tmp_path: Path) -> None:
    pack = tmp_path / "pack"
    (pack / "data").mkdir(parents=True)
    rule = (CORE / "provider" / "B12-PROV-001.yaml").read_text(encoding="utf-8")
    for table in ("codes", "mue"):
        (pack / "data" / f"{table}.yaml").write_text(
            (CORE / "data" / f"{table}.yaml").read_text(encoding="utf-8"), encoding="utf-8"
        )
    target = pack / "B12-PROV-001.yaml"
    target.write_text(rule, encoding="utf-8")
    load_pack(pack)
    target.write_text(rule.replace("severity: error", "severity: warning"), encoding="utf-8")
    assert load_pack(pack).rules[0].meta.severity == "warning"
    target.write_text(rule.replace("severity: error", "severity: fatal"), encoding="utf-8")
    for _ in range(2):  # an invalid file is never cached: the same error every time
        with pytest.raises(PackError, match="severity"):
            load_pack(pack)


def test_a_broken_cache_entry_is_ignored(cache: Path) -> None:
    store = DocumentCache(cache)
    store.put("rule", b"x: 1", {"x": 1})
    assert store.get("rule", b"x: 1") == {"x": 1}
    (cache / f"{key('rule', b'x: 1')}.json").write_bytes(b"{not json")
    assert store.get("rule", b"x: 1") is None


def test_no_cache(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    monkeypatch.setenv("B12LINT_NO_CACHE", "1")
    monkeypatch.setenv("B12LINT_CACHE_DIR", str(tmp_path / "unused"))
    assert _findings(CORE)
    assert not (tmp_path / "unused").exists()


def test_an_unwritable_cache_is_not_an_error(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    blocker = tmp_path / "file"
    blocker.write_text("not a folder")
    monkeypatch.setenv("B12LINT_CACHE_DIR", str(blocker / "cache"))
    assert _findings(CORE)
    assert os.path.isfile(blocker)
