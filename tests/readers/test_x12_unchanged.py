"""The 837 reader's items pinned: what the reader gave before issue 13's speed work (recorded
with that version), over the repository's 837 files, a generated 837P and its 837I twin and
seeded mutations of each, under four record size limits. One SHA-256 per input file of the
``repr`` of every item (records with their dicts, input errors with message, pointer, rule and
digest). After an intended change to what the reader gives, regenerate with
``B12LINT_UPDATE_GOLDEN=1 pytest tests/readers/test_x12_unchanged.py`` and say why.
"""

from __future__ import annotations

import hashlib
import io
import json
import os
import random
from pathlib import Path

from x12_inputs import inputs, mutations

from b12lint.model import Record
from b12lint.readers.base import Limits
from b12lint.readers.x12 import read_x12

EXPECTED = Path(__file__).with_name("fixtures") / "x12_items.json"
LIMITS = (Limits(), *(Limits(max_record_bytes=size) for size in (40, 150, 400)))


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
