"""837 inputs the reader tests share: the repository's 837 files, a generated 837P and its
837I twin (the benchmark's), and seeded byte mutations of them."""

from __future__ import annotations

import importlib.util
import random
import sys
from pathlib import Path
from typing import Any

REPO = Path(__file__).resolve().parents[2]


def bench(name: str) -> Any:
    """A script of ``bench/`` imported as a module."""
    spec = importlib.util.spec_from_file_location(f"bench_{name}", REPO / "bench" / f"{name}.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module
    spec.loader.exec_module(module)
    return module


def inputs(tmp: Path) -> dict[str, bytes]:
    """The 837 inputs by name (the generated ones are written under ``tmp``)."""
    paths = sorted((REPO / "sample_claims").glob("*.837"))
    paths += sorted((REPO / "tests" / "corpus" / "files").glob("x12-*"))
    out = {p.name: p.read_bytes() for p in paths}
    generated = tmp / "g.837"
    bench("x12_bench").make_file(generated, 60)
    out["generated-837p"] = generated.read_bytes()
    out["generated-837i"] = bench("read_formats").as_837i(generated.read_text()).encode()
    return out


def mutations(data: bytes, rng: random.Random, count: int = 40) -> list[bytes]:
    """``count`` copies of ``data`` with bytes deleted, inserted, replaced, cut off, repeated."""
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
