"""ConText/NegEx reading of free text (b12lint/domain/context.py) with the pack's lexicon."""

from __future__ import annotations

import subprocess
import sys
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
import yaml

from b12lint.domain.context import (
    MAX_CHARS,
    Matcher,
    affirmed_phrase,
    matcher_for,
    tokenize,
    words,
)
from b12lint.engine.datatable import freeze
from b12lint.engine.functions import FUNCTIONS

DATA = Path(__file__).resolve().parents[2] / "rules" / "b12-core" / "data"


def _values(name: str) -> Any:
    return freeze(yaml.safe_load((DATA / f"{name}.yaml").read_text(encoding="utf-8"))["values"])


LEXICON = _values("context")
PURPOSES = _values("non_covered")["purposes"]
PREMEDICATION = _values("premedication")
COVERED = _values("covered_terms")


def purpose(text: str) -> str | None:
    return affirmed_phrase(text, PURPOSES, LEXICON)


def premedication(text: str) -> str | None:
    return affirmed_phrase(text, PREMEDICATION, LEXICON)


@pytest.mark.parametrize(
    ("text", "found"),
    [
        # whole words and phrases, quoted as written
        ("wants B12 shot for Energy", "Energy"),
        ("weight-loss program", "weight-loss"),
        ("WEIGHT  LOSS clinic", "WEIGHT  LOSS"),
        ("Fatigue - pt requests B12", "Fatigue"),
        ("energy/weight loss", "energy"),
        ("strengthen tendons of the foot", "tendons"),
        ("Lipo-B12 injection, weight reduction program", "Lipo"),
        ("neg for fatigue", None),
        ("dietary B12 deficiency", None),
        ("vegan diet", None),
        ("energetic", None),
        ("fatigued", None),
        ("wellnesses", None),
        # negation (NegEx)
        ("denies fatigue", None),
        ("no weight loss", None),
        ("not for energy", None),
        ("pt denied fatigue or tiredness", None),
        ("w/o fatigue", None),
        ("fatigue ruled out", None),
        ("no fever; wants energy shot", "energy"),
        ("denies fatigue but wants energy boost", "energy boost"),
        ("no chest pain, here for energy", "energy"),
        ("no change in diet program", "diet program"),
        # history (ConText)
        ("s/p gastric bypass for weight loss (2019)", None),
        ("status post sleeve gastrectomy for weight loss", None),
        ("PMH: gastric bypass for weight loss", None),
        ("h/o fatigue, resolved", None),
        ("history of weight loss surgery. Now wants B12 for energy", "energy"),
        # other experiencer
        ("family history of fatigue", None),
        ("mother on B12 shots for fatigue", None),
        # scope: beyond max_scope words the trigger no longer applies
        (
            "no nausea vomiting diarrhea constipation chills fever sweats cough and wants energy",
            "energy",
        ),
        ("", None),
    ],
)
def test_non_covered_purposes_in_context(text: str, found: str | None) -> None:
    assert purpose(text) == found


@pytest.mark.parametrize(
    ("text", "found"),
    [
        ("premedication before pemetrexed cycle 1", "pemetrexed"),
        ("B12 1000 mcg IM prior to Alimta C1D1", "Alimta"),
        ("Premed: pralatrexate planned 3/10", "pralatrexate"),
        ("on folotyn, B12 q8-10 weeks", "folotyn"),
        ("pemetrexed completed 2023", None),
        ("completed pemetrexed in 2023", None),
        ("s/p Alimta x 6 cycles", None),
        ("h/o pemetrexed", None),
        ("no longer on pemetrexed", None),
        ("not on pemetrexed", None),
        ("pemetrexed discontinued", None),
        ("husband on pemetrexed", None),
        ("pemetrexed completed 2023; restarting pemetrexed next week", "pemetrexed"),
        ("s/p carboplatin, now pemetrexed maintenance", "pemetrexed"),
        ("pemetrexedx", None),
    ],
)
def test_premedication_in_context(text: str, found: str | None) -> None:
    assert premedication(text) == found


def test_covered_terms_read_in_context() -> None:
    def covered(text: str) -> str | None:
        return affirmed_phrase(text, COVERED, LEXICON)

    curly = "Crohn\u2019s"
    assert covered(curly + " disease of ileum") == curly
    assert covered("B12-deficient, vegan") == "B12-deficient"
    assert covered("B-12 deficiency") == "B-12 deficiency"
    assert covered("Roux-en-Y 2019") == "Roux-en-Y"
    assert covered("family history of pernicious anemia") is None
    assert covered("B12 deficiency ruled out") is None


def test_tokenizer_words_sentences_and_slashes() -> None:
    tokens = tokenize("S/P RNY; w/o energy/weight loss. 1.5 mg/mL, Crohn's")
    assert [t.text for t in tokens] == [
        "s/p", "rny", "w/o", "energy", "weight", "loss", "1", "5", "mg/ml", "crohn's",
    ]  # fmt: skip
    assert [t.sentence for t in tokens] == [0, 0, 1, 1, 1, 1, 2, 2, 2, 2]
    assert words("Well-Being") == ("well", "being")
    assert tokenize("  ;;..  ") == []


def test_mentions_carry_their_modifiers_and_offsets() -> None:
    matcher = matcher_for(PURPOSES, LEXICON)
    text = "denies fatigue; h/o weight loss; mother tired; wants energy"
    mentions = matcher.mentions(text)
    assert [(m.phrase, sorted(m.modifiers)) for m in mentions] == [
        ("fatigue", ["negated"]),
        ("weight loss", ["historical"]),
        ("tired", ["other_experiencer"]),
        ("energy", []),
    ]
    assert all(text[m.start : m.end] == m.phrase for m in mentions)
    assert [m.affirmed for m in mentions] == [False, False, False, True]


def test_matcher_is_cached_per_data_object() -> None:
    assert matcher_for(PURPOSES, LEXICON) is matcher_for(PURPOSES, LEXICON)
    other = tuple(PURPOSES)
    assert matcher_for(other, LEXICON) is not matcher_for(PURPOSES, LEXICON) or other is PURPOSES


def test_non_text_and_blank_input() -> None:
    assert affirmed_phrase(None, PURPOSES, LEXICON) is None
    assert affirmed_phrase(42, PURPOSES, LEXICON) is None
    assert affirmed_phrase("   ", PURPOSES, LEXICON) is None


@pytest.mark.parametrize(
    ("targets", "lexicon", "problem"),
    [
        (["energy"], {"triggers": {"speculative": {"forward": ["maybe"]}}}, "unknown context"),
        (["energy"], {"triggers": {"negated": {"sideways": ["no"]}}}, "unknown direction"),
        (["energy"], {"triggers": {"negated": {"forward": "no"}}}, "list of phrases"),
        (["energy"], {"triggers": {"negated": ["no"]}}, "forward/backward"),
        (["energy"], {"triggers": ["no"]}, "mapping"),
        (["energy"], {"max_scope": 0}, "max_scope"),
        (["energy"], {"max_scope": True}, "max_scope"),
        (["!!!"], {}, "no words"),
        ([3], {}, "text"),
        ("energy", {}, "list of text"),
        (["energy"], ["no"], "mapping"),
    ],
)
def test_malformed_data_is_refused(targets: Any, lexicon: Any, problem: str) -> None:
    with pytest.raises(ValueError, match=problem):
        matcher_for(targets, lexicon)


@pytest.mark.parametrize(
    ("index", "value", "problem"),
    [
        (1, "energy", "list of phrases"),
        (1, ["energy", "!!"], "not a phrase"),
        (1, [False], "not a phrase"),
        (2, ["no"], "mapping"),
        (2, {"triggers": {"negated": {"forward": [False]}}}, "not a phrase"),
        (2, {"triggers": {"guess": {"forward": ["no"]}}}, "unknown trigger category"),
        (2, {"triggers": {"negated": {"up": ["no"]}}}, "unknown direction"),
        (2, {"max_scope": 99}, "max_scope"),
        (2, {"scope": 3}, "unknown keys"),
        (2, {"pseudo": "prior to"}, "list of phrases"),
    ],
)
def test_load_time_check_of_rule_arguments(index: int, value: Any, problem: str) -> None:
    check = FUNCTIONS["affirmed_phrase"].check
    assert check is not None
    result = check(index, value)
    assert result is not None and problem in result
    assert check(1, PURPOSES) is None
    assert check(2, LEXICON) is None


def test_time_is_bounded_on_hostile_text() -> None:
    matcher = matcher_for(PURPOSES, LEXICON)
    hostile = ("no " * 200_000) + "energy " * 100_000
    started = time.perf_counter()
    assert matcher.first_affirmed(hostile) is None  # cut at MAX_CHARS: all in "no" territory
    assert time.perf_counter() - started < 1.0
    assert len(tokenize(hostile)) <= MAX_CHARS
    long_words = "a" * 1_000_000 + " energy"
    assert matcher.first_affirmed(long_words) is None
    for unit in ("a'", "s/", "ab/c", "'.", "no/ "):
        started = time.perf_counter()
        matcher.first_affirmed(unit * 200_000 + " energy")
        assert time.perf_counter() - started < 0.5, unit


def test_imported_only_when_a_rule_calls_it() -> None:
    code = (
        "import sys\n"
        "from b12lint.engine import load_ruleset\n"
        "load_ruleset()\n"
        "assert 'b12lint.domain.context' not in sys.modules, 'imported at start-up'\n"
        "from b12lint.engine.functions import affirmed_phrase\n"
        "affirmed_phrase('energy', ('energy',), {})\n"
        "assert 'b12lint.domain.context' in sys.modules\n"
    )
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=False)
    assert done.returncode == 0, done.stderr


def test_matcher_with_both_directions_and_termination() -> None:
    lexicon = {
        "max_scope": 3,
        "triggers": {"negated": {"both": ["neg"]}},
        "termination": ["stop"],
        "pseudo": ["neg not"],
    }
    matcher = Matcher(["x"], lexicon)
    assert matcher.first_affirmed("neg x") is None
    assert matcher.first_affirmed("x neg") is None
    assert matcher.first_affirmed("neg stop x") == "x"
    assert matcher.first_affirmed("neg a b c x") == "x"  # beyond 3 words
    assert matcher.first_affirmed("neg not x") == "x"  # pseudo-trigger
    assert matcher.first_affirmed("neg. x") == "x"  # another sentence


def test_disqualifying_modifiers_can_be_chosen() -> None:
    chronic = ("negated", "other_experiencer")
    assert affirmed_phrase("h/o pernicious anemia", COVERED, LEXICON) is None
    assert affirmed_phrase("h/o pernicious anemia", COVERED, LEXICON, chronic) == (
        "pernicious anemia"
    )
    assert affirmed_phrase("s/p gastrectomy 2018", COVERED, LEXICON, chronic) == "gastrectomy"
    assert affirmed_phrase("no B12 deficiency", COVERED, LEXICON, chronic) is None
    assert affirmed_phrase("mother: pernicious anemia", COVERED, LEXICON, chronic) is None
    assert affirmed_phrase("denies fatigue", PURPOSES, LEXICON, ()) == "fatigue"
    with pytest.raises(ValueError, match="unknown context categories"):
        affirmed_phrase("fatigue", PURPOSES, LEXICON, ("speculative",))
    with pytest.raises(ValueError, match="list of categories"):
        affirmed_phrase("fatigue", PURPOSES, LEXICON, "negated")


def test_load_time_check_of_the_disqualifying_modifiers() -> None:
    check = FUNCTIONS["affirmed_phrase"].check
    assert check is not None
    assert check(3, ("negated", "other_experiencer")) is None
    assert "unknown context categories" in (check(3, ("negated", "hypothetical")) or "")
    assert "list of context categories" in (check(3, "negated") or "")


def _context_rule(rule_doc: Callable[..., dict[str, Any]]) -> dict[str, Any]:
    """A rule that quotes the purpose the text affirms, read with the pack's ``ctx`` table."""
    args = ["$documentation.indication", ["energy"], {"data": "ctx"}]
    return rule_doc(
        id="T-CTX-001",
        category="indication",
        message='the chart says "{purpose}"',
        let={"purpose": {"call": {"fn": "affirmed_phrase", "args": args}}},
        when={"exists": "$purpose"},
        examples={
            "fail": [{"documentation": {"indication": "wants Energy"}}],
            "pass": [{"documentation": {"indication": "not for energy"}}],
        },
    )


def test_a_rule_reads_text_in_context_and_quotes_it(
    make_pack: Callable[..., Path],
    make_table: Callable[[Any], dict[str, Any]],
    rule_doc: Callable[..., dict[str, Any]],
) -> None:
    from b12lint.engine import combine, load_pack, run

    lexicon = {"triggers": {"negated": {"forward": ["not"]}}}
    folder = make_pack("p", [_context_rule(rule_doc)], data={"ctx": make_table(lexicon)})
    ruleset = combine([load_pack(folder)])

    def record(eid: str, indication: str) -> dict[str, Any]:
        return {
            "encounter_id": eid,
            "date_of_service": "2026-01-05",
            "documentation": {
                "indication": indication,
                "administrations": [{"drug": "cyanocobalamin"}],
            },
            "lines": [{"code": "J3420", "units": 1}],
        }

    records = [record("A", "wants Energy"), record("B", "not for energy")]
    found = [(f.encounter_id, f.message) for f in run(records, ruleset).findings]
    assert found == [("A", 'the chart says "Energy"')]


def test_a_malformed_lexicon_fails_when_the_rule_loads(
    make_pack: Callable[..., Path],
    make_table: Callable[[Any], dict[str, Any]],
    rule_doc: Callable[..., dict[str, Any]],
) -> None:
    from b12lint.engine import PackError, load_pack

    lexicon = {"triggers": {"negated": {"forward": ["not", "..."]}}}
    folder = make_pack("p", [_context_rule(rule_doc)], data={"ctx": make_table(lexicon)})
    with pytest.raises(PackError) as caught:
        load_pack(folder)
    message = str(caught.value)
    assert "T-CTX-001" in message
    assert "not a phrase with a word in it" in message


@pytest.mark.parametrize(
    ("text", "needles", "expected"),
    [
        ("strict vegan diet", ("diet",), True),
        ("dietary deficiency", ("diet",), False),
        ("Weight-Loss clinic", ("weight loss",), True),
        ("denies fatigue", ("fatigue",), True),  # no context read here
        ("anything", ("", "!!", 3), False),
        ("energy", iter(["energy"]), True),
        (None, ("energy",), False),
        ("energy", "energy", False),
    ],
)
def test_contains_any_matches_whole_words(text: Any, needles: Any, expected: bool) -> None:
    assert FUNCTIONS["contains_any"].fn(text, needles) is expected


def test_remembered_answers_are_per_text_and_disqualifying_set() -> None:
    matcher = matcher_for(COVERED, LEXICON)
    text = "h/o pernicious anemia"
    everything = frozenset({"negated", "historical", "other_experiencer"})
    patient = frozenset({"negated", "other_experiencer"})
    for _ in range(2):  # the second round from the remembered answers
        assert matcher.first_affirmed(text, everything) is None
        assert matcher.first_affirmed(text, patient) == "pernicious anemia"
        long = "denies fatigue. " * 20 + "pernicious anemia"  # too long to remember
        assert matcher.first_affirmed(long, patient) == "pernicious anemia"
