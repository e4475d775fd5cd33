"""normalize_phase: charted phases to repletion / maintenance, never guessed."""

import pytest
from hypothesis import given
from hypothesis import strategies as st

from b12lint.domain import MAINTENANCE, REPLETION, normalize_phase


@pytest.mark.parametrize(
    "text",
    [
        "repletion",
        "Repletion",
        "loading",
        "Loading phase",
        "loading dose #2",
        "loading - week 3",
        "initial",
        "Initial phase",
        "acute",
        "acute phase",
        "induction",
        "weekly loading",
        "replete",
        "Loading phase (weekly x4)",
        "loading dose 3 of 4",
        "Repletion (week 3)",
        # only today's phase is read: the later schedule after "then" is not this visit's
        "loading then monthly",
        "weekly x4 then monthly",
        # a loading schedule with no phase word is the repletion course
        "weekly",
        "daily x7",
        "B12 series 1/4",
        # an order's interval of a week or less is a loading schedule
        "qwk",
        "qweek x4",
        "qd x7",
        "qod",
        "every other day",
        "loading qwk x4",
        "2x/week",
        "once weekly",
        "last loading dose",
        # a numbered dose of a course is a loading series; re-loading is repletion
        "injection 2 of 4",
        "shot #2 of 4",
        "week 1 of 4",
        "dose 2/4",
        "re-load weekly x4",
        "reloading (B12 150)",
    ],
)
def test_repletion(text: str) -> None:
    assert normalize_phase(text) == REPLETION


@pytest.mark.parametrize(
    "text",
    [
        "maintenance",
        "Maintenance",
        "maint.",
        "Maint",
        "monthly",
        "monthly maintenance",
        "maintenance dose",
        "Monthly B12 injection",
        # an explicit phase word wins over a schedule word: weekly maintenance stays
        # maintenance (and its interval is then judged)
        "maintenance weekly",
        "monthly then as needed",
        # an order's interval of 28 days or more is the monthly maintenance schedule
        "q4wk",
        "Q4W",
        "q 4 weeks",
        "every 4 weeks",
        "every 4-6 weeks",
        "qmonth",
        "q month",
        "q1mo",
        "q30d",
        "q28 days",
        "every 3 months",
        "B12 q4wk",
        "maintenance q2wk",
        "1x/month",
        "once a month",
        # words about duration or the last dose, beside a phase word
        "chronic maintenance",
        "monthly, indefinitely",
        "lifelong monthly",
        "Monthly - ongoing",
        "maintenance, last dose 3/2",
    ],
)
def test_maintenance(text: str) -> None:
    assert normalize_phase(text) == MAINTENANCE


@pytest.mark.parametrize(
    "text",
    [
        "loading-ish",
        "as needed",
        "not loading",
        "weekly not loading",
        "phase",
        "",
        "   ",
        "per protocol",
        # an interval between a week and four weeks is neither schedule
        "q2wk",
        "every other week",
        "ongoing",
        "chronic",
        "2x/month",
        "3/2",
        "dose 5 of 4",
        "dose 2 of 24",
        "q3wk",
        "q12h",
        "q",
        "maintenance" + " x" * 60,
    ],
)
def test_unrecognised_text_is_not_guessed(text: str) -> None:
    assert normalize_phase(text) is None


@pytest.mark.parametrize("value", [None, 1, True, ["loading"], {"phase": "loading"}])
def test_non_text(value: object) -> None:
    assert normalize_phase(value) is None


@given(st.text(max_size=300))
def test_never_raises(text: str) -> None:
    assert normalize_phase(text) in (None, REPLETION, MAINTENANCE)
