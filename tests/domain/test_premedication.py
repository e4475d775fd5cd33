"""Premedication for a current chemotherapy course (b12lint/domain/premedication.py)."""

from __future__ import annotations

import subprocess
import sys
import time
from pathlib import Path
from typing import Any

import pytest
import yaml

from b12lint.domain.premedication import premedication_for_course
from b12lint.engine.datatable import freeze
from b12lint.engine.functions import FUNCTIONS

DATA = Path(__file__).resolve().parents[2] / "rules" / "b12-core" / "data"


def _values(name: str) -> Any:
    return freeze(yaml.safe_load((DATA / f"{name}.yaml").read_text(encoding="utf-8"))["values"])


LEXICON = _values("context")
DRUGS = _values("premedication")
COURSE = _values("premedication_course")


def named(text: object) -> str | None:
    return premedication_for_course(text, DRUGS, COURSE, LEXICON)


@pytest.mark.parametrize(
    ("text", "found"),
    [
        # affirmed mentions, as before
        ("premedication before pemetrexed cycle 1", "pemetrexed"),
        ("B12 1000 mcg IM prior to Alimta C1D1", "Alimta"),
        ("on folotyn, B12 q8-10 weeks", "folotyn"),
        # a past cycle with the next one coming: current therapy
        ("s/p Alimta C3, C4 due 4/1; B12 q9wk per onc", "Alimta"),
        ("pemetrexed C3 completed, C4 due", "pemetrexed"),
        ("s/p Alimta C3, next cycle 4/28", "Alimta"),
        ("s/p pemetrexed C2D1, C3D1 due 5/2", "pemetrexed"),
        ("s/p Folotyn cycle 2; cycle 3 scheduled 6/1", "Folotyn"),
        ("h/o pemetrexed C1-C3, cycle #4 planned", "pemetrexed"),
        # a completed course, a negated or another person's one: not current
        ("pemetrexed completed 2023", None),
        ("pemetrexed completed 2023, next B12 due 4/1", None),
        ("hx NSCLC, finished Alimta 11/2025", None),
        ("Alimta x6 completed 2023, no further cycles planned", None),
        ("s/p Alimta C6, no more cycles planned", None),
        ("no longer on Alimta, C4 cancelled", None),
        ("mother on pemetrexed, next cycle due", None),
        ("s/p carboplatin C3, C4 due", None),
        ("next cycle due", None),
        ("", None),
        (None, None),
        (12, None),
    ],
)
def test_premedication_for_a_current_course(text: object, found: str | None) -> None:
    assert named(text) == found


def test_the_rule_function_checks_its_data_at_load_time() -> None:
    check = FUNCTIONS["premedication_named"].check
    assert check is not None
    assert check(1, DRUGS) is None and check(2, COURSE) is None and check(3, LEXICON) is None
    assert "list of phrases" in (check(2, "cycle due") or "")
    assert "mapping" in (check(3, ["no"]) or "")
    assert FUNCTIONS["premedication_named"].fn("s/p Alimta C3, C4 due", DRUGS, COURSE, LEXICON)


def test_time_is_bounded_on_hostile_text() -> None:
    for unit in ("cycle ", "cycle    #   ", "c1d", "no further ", "s/p alimta "):
        started = time.perf_counter()
        named(unit * 100_000 + " pemetrexed C4 due")
        assert time.perf_counter() - started < 1.0, unit


def test_imported_only_when_a_rule_calls_it() -> None:
    code = (
        "import sys\n"
        "from b12lint.engine import load_ruleset\n"
        "load_ruleset()\n"
        "assert 'b12lint.domain.premedication' not in sys.modules, 'imported at start-up'\n"
        "from b12lint.engine.functions import premedication_named\n"
        "premedication_named('Alimta C4 due', ('alimta',), ('cycle due',), {})\n"
        "assert 'b12lint.domain.premedication' in sys.modules\n"
    )
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=False)
    assert done.returncode == 0, done.stderr
