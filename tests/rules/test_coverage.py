"""Coverage in full (issue 11, items 1-2): the reviewed covered list and the code-first
manifestations, judged on realistic claims of every coverage category."""

from __future__ import annotations

from typing import Any

import pytest
from coverage_claims import COVERED, NOT_COVERED, claim

import b12lint
from b12lint.domain import icd10_status
from b12lint.engine import Pack, Ruleset, combine, load_pack
from b12lint.engine.functions import any_icd10_in, icd10_in
from b12lint.engine.pack import builtin_pack_paths


@pytest.fixture(scope="module")
def core_pack() -> Pack:
    return next(load_pack(p) for p in builtin_pack_paths() if p.name == "b12-core")


@pytest.fixture(scope="module")
def core(core_pack: Pack) -> Ruleset:
    return combine([core_pack])


def covered_rows(core_pack: Pack) -> list[dict[str, Any]]:
    return list(core_pack.data["covered_icd10"].values)


def manifestation_rows(core_pack: Pack) -> list[dict[str, Any]]:
    return list(core_pack.data["code_first"].values["manifestations"])


def test_every_entry_is_a_reviewed_row_with_category_and_source(core_pack: Pack) -> None:
    rows = covered_rows(core_pack) + manifestation_rows(core_pack)
    assert len(rows) >= 40
    for row in rows:
        assert set(row) == {"code", "category", "source"}, row
        assert row["category"].strip() and row["source"].strip(), row
        assert "ICD-10-CM" in row["source"], row  # names the tabular entry it maps to


def test_every_listed_code_is_in_the_fy2026_code_set(core_pack: Pack) -> None:
    rows = covered_rows(core_pack) + manifestation_rows(core_pack)
    for row in rows:
        assert icd10_status(row["code"]) in {"billable", "category"}, row["code"]
    codes = [row["code"] for row in rows]
    assert len(codes) == len(set(codes)), "a code listed twice"


def test_manifestations_are_not_covered_on_their_own(core_pack: Pack) -> None:
    covered = covered_rows(core_pack)
    for row in manifestation_rows(core_pack):
        assert not icd10_in(row["code"], covered), row["code"]
    for code in ("G63", "G32.0", "F02.80", "F02.A11", "F02.C4"):
        assert not any_icd10_in([code], covered), code


#: Each category of DOMAIN.md "Coverage, in full" and a word its table rows must name.
CATEGORIES = [
    "pernicious", "megaloblastic", "macrocytic", "fish tapeworm", "without anemia", "gastrectomy",
    "sprue", "steatorrhea", "malabsorption", "resection", "stricture", "anastomosis", "blind loop",
    "Crohn", "atrophic gastritis", "intrinsic factor", "malnutrition and alcoholism",
    "methylmalonic", "homocystinuria", "nutritional optic", "toxic optic", "tobacco amblyopia",
    "severe protein-calorie", "branched-chain", "posterolateral", "pernicious anemia", "dementia",
]  # fmt: skip


@pytest.mark.parametrize("word", CATEGORIES)
def test_every_policy_category_is_mapped(core_pack: Pack, word: str) -> None:
    rows = covered_rows(core_pack) + manifestation_rows(core_pack)
    assert any(word.lower() in row["category"].lower() for row in rows), word


#: Codes a coder bills for each category (covered), and the reviewed near misses (not covered).
COVERED_CODES = [
    "D51.0", "D51.1", "D51.2", "D51.3", "D51.8", "D51.9", "D53.1", "D53.9", "B70.0", "E53.8",
    "K50.00", "K50.012", "K50.119", "K50.811", "K50.90", "K50.919", "K29.40", "K29.41",
    "Z90.3", "K91.1", "Z98.84", "K90.0", "K90.1", "K90.2", "K90.3", "K90.81", "K90.821",
    "K90.829", "K90.83", "K90.89", "K90.9", "Z90.49", "K91.2", "K56.690", "K56.699", "Z98.0",
    "G62.1", "E71.120", "E72.11", "E71.0", "E71.111", "E71.121", "E71.2", "H46.2", "H46.3",
    "E40", "E41", "E42", "E43",
]  # fmt: skip
EXCLUDED_CODES = [
    "R53.83", "R53.82", "R63.4", "E66.9", "Z71.3", "Z00.00", "D52.0", "D52.9", "D53.0",
    "D53.2", "D53.8", "D64.9", "K90.41", "K90.49", "E73.9", "K29.50", "K29.70", "K31.83",
    "K56.50", "K56.609", "K91.30", "K91.89", "Q43.8", "E44.0", "E46", "E52", "G62.9",
    "E72.12", "F03.90", "H46.9", "Z51.11",
]  # fmt: skip


@pytest.mark.parametrize(
    ("code", "covered"),
    [(c, True) for c in COVERED_CODES] + [(c, False) for c in EXCLUDED_CODES],
)
def test_covered_codes_and_reviewed_exclusions(core_pack: Pack, code: str, covered: bool) -> None:
    assert icd10_status(code) == "billable", code
    assert any_icd10_in([code], covered_rows(core_pack)) is covered, code


def above_info(ruleset: Ruleset, *records: dict[str, Any]) -> list[tuple[str, str, str]]:
    return sorted(
        (f.encounter_id or "", f.rule_id, f.severity)
        for f in b12lint.lint(list(records), ruleset)
        if f.severity != "info"
    )


@pytest.mark.parametrize(("category", "record"), COVERED, ids=[c for c, _ in COVERED])
def test_realistic_covered_claim_passes_clean(
    core: Ruleset, category: str, record: dict[str, Any]
) -> None:
    assert above_info(core, record) == []


@pytest.mark.parametrize(("purpose", "record"), NOT_COVERED, ids=[p for p, _ in NOT_COVERED])
def test_general_welfare_claims_still_fail(
    core: Ruleset, purpose: str, record: dict[str, Any]
) -> None:
    found = above_info(core, record)
    assert (record["encounter_id"], "B12-IND-002", "error") in found, found


@pytest.mark.parametrize(
    ("diagnoses", "expected"),
    [
        (["D51.0", "G63"], set()),  # supported by any covered condition coded before it
        (["K50.90", "G63"], set()),
        (["E53.8", "F02.80"], set()),
        (["E43", "G63"], set()),
        (["H46.2"], set()),  # optic neuropathy stands on its own
        (["G63"], {"B12-IND-008", "B12-DX-006"}),  # alone: not covered, and listed first
        (["G63", "D51.0"], {"B12-DX-006"}),  # coded first: a diagnosis finding only
        (["F02.80", "E53.8"], {"B12-DX-006"}),
        (["C34.90", "G63"], {"B12-IND-008"}),  # after a condition that is not covered
        (["R53.83", "G32.0"], {"B12-IND-008"}),
        (["F03.90", "F02.80"], {"B12-IND-008"}),
    ],
)
def test_code_first_manifestations(core: Ruleset, diagnoses: list[str], expected: set[str]) -> None:
    record = claim("CF-1", diagnoses, "neurological symptoms, see assessment")
    found = {rule for _, rule, _ in above_info(core, record)}
    assert found == expected


def test_manifestation_findings_are_errors_in_their_categories(core: Ruleset) -> None:
    record = claim("CF-2", ["G63"], "neuropathy")
    got = {
        (f.rule_id, f.category, f.severity, f.location.pointer)
        for f in b12lint.lint([record], core)
    }
    assert ("B12-DX-006", "diagnosis", "error", "/diagnoses/0") in got
    assert ("B12-IND-008", "indication", "error", "/diagnoses") in got
    assert not any(rule == "B12-IND-002" for rule, *_ in got)  # one coverage finding, not two


def test_premedication_supports_a_manifestation_claim(core: Ruleset) -> None:
    record = claim("CF-3", ["C34.90", "G63"], "premedication before pemetrexed")
    assert above_info(core, record) == []


def test_pattern_rows_and_plain_codes_match_alike() -> None:
    rows = ({"code": "K50", "category": "Crohn's", "source": "s"}, {"code": "E53.8"})
    assert icd10_in("K50.90", rows) and icd10_in("k5090", rows) and icd10_in("E538", rows)
    assert not icd10_in("K51.90", rows) and not icd10_in("E53.0", rows)
    assert any_icd10_in(["R53.83", "K50.012"], rows)
    assert any_icd10_in(["K50.012"], ("K50",))  # a payer pack's plain list still works
    assert not any_icd10_in(["R53.83"], rows)
    assert icd10_in("K50.90", rows) is icd10_in("K50.90", rows)  # cached per list: same answer
