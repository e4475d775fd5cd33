"""The 837 reader's items pinned: what the reader gave before issue 13's speed work (recorded
with that version), over the repository's 837 files, a generated 837P and its 837I twin and
seeded mutations of each, under four record size limits. One SHA-256 per input file of the
``repr`` of every item (records with their dicts, input errors with message, pointer, rule and
digest). After an intended change to what the reader gives, regenerate with
``B12LINT_UPDATE_GOLDEN=1 pytest tests/readers/test_x12_unchanged.py`` and say why.
"""

from __future__ import annotations

import hashlib
import importlib.util
import io
import json
import os
import random
import sys
from pathlib import Path
from typing import Any

from b12lint.model import Record
from b12lint.readers.base import Limits
from b12lint.readers.x12 import read_x12

REPO = Path(__file__).resolve().parents[2]
EXPECTED = Path(__file__).with_name("fixtures") / "x12_items.json"
LIMITS = (Limits(), *(Limits(max_record_bytes=size) for size in (40, 150, 400)))


def _bench(name: str) -> Any:
    spec = importlib.util.spec_from_file_location(f"bench_{name}", REPO / "bench" / f"{name}.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module
    spec.loader.exec_module(module)
    return module


def inputs(tmp: Path) -> dict[str, bytes]:
    paths = sorted((REPO / "sample_claims").glob("*.837"))
    paths += sorted((REPO / "tests" / "corpus" / "files").glob("x12-*"))
    out = {p.name: p.read_bytes() for p in paths}
    generated = tmp / "g.837"
    _bench("x12_bench").make_file(generated, 60)
    out["generated-837p"] = generated.read_bytes()
    out["generated-837i"] = _bench("read_formats").as_837i(generated.read_text()).encode()
    return out


def mutations(data: bytes, rng: random.Random, count: int = 40) -> list[bytes]:
    out = []
    for _ in range(count):
        text = bytearray(data)
        for _ in range(rng.randint(1, 4)):
            if not text:
                break
            at = rng.randrange(len(text))
            kind = rng.randrange(5)
            if kind == 0:
                del text[at : at + rng.randint(1, 8)]
            elif kind == 1:
                text[at:at] = bytes(rng.choice(b"*:~^\nAX09 .") for _ in range(3))
            elif kind == 2:
                text[at] = rng.randrange(256)
            elif kind == 3:
                del text[at:]
            else:
                text[at:at] = text[at : at + rng.randint(1, 60)]
        out.append(bytes(text))
    return out


def fingerprints(tmp: Path) -> dict[str, str]:
    rng = random.Random(13)
    result = {}
    for name, data in inputs(tmp).items():
        digest = hashlib.sha256()
        for variant in [data, *mutations(data, rng)]:
            for limits in LIMITS:
                for item in read_x12(io.BytesIO(variant), "f.837", limits):
                    if isinstance(item, Record):
                        shown = repr((item.encounter, item.source, item.has_chart))
                    else:
                        shown = repr(item)
                    digest.update(shown.encode("utf-8", "surrogatepass") + b"\n")
                digest.update(b"--\n")
        result[name] = digest.hexdigest()
    return result


def test_the_837_reader_gives_the_items_it_gave(tmp_path: Path) -> None:
    got = fingerprints(tmp_path)
    if os.environ.get("B12LINT_UPDATE_GOLDEN") == "1":
        EXPECTED.write_text(json.dumps(got, indent=1, sort_keys=True) + "\n")
    expected = json.loads(EXPECTED.read_text())
    assert got == expected
