"""The finding categories of FORMATS.md, as the rule schema's ``category`` enum lists them:
the realistic sets' expectations name one of these (or ``clean``). Any test module can
``from finding_categories import CATEGORIES``."""

from __future__ import annotations

import json
from pathlib import Path

_SCHEMA = Path(__file__).resolve().parents[1] / "schemas" / "rule.schema.json"
CATEGORIES: frozenset[str] = frozenset(
    json.loads(_SCHEMA.read_text(encoding="utf-8"))["properties"]["category"]["enum"]
)
