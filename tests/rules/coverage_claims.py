"""Realistic B12 claims, billed as a coder would bill them, for the coverage and payer tests.

``COVERED`` holds one correctly billed and documented encounter per coverage category of the
Benefit Policy Manual and the Medicare-era LCD lists (DOMAIN.md "Coverage, in full"): each must
pass the built-in pack with no error and no warning. ``NOT_COVERED`` holds the fatigue,
wellness, weight-loss and "energy" claims that must keep failing.
"""

from __future__ import annotations

from typing import Any

from b12_records import clean_record

HYDROXO_NDC = "00591288830"  # hydroxocobalamin 1,000 mcg/mL, 30 mL multi-dose (openFDA)


def claim(
    encounter_id: str,
    diagnoses: list[str],
    indication: str,
    pointers: list[int] | None = None,
    **changes: Any,
) -> dict[str, Any]:
    """The clean maintenance encounter (Original Medicare, cyanocobalamin 1,000 mcg IM), with
    these diagnoses, the chart's indication text and codes, and both B12 lines pointing to
    ``pointers`` (default: every diagnosis, up to 4)."""
    record = clean_record(encounter_id=encounter_id, patient_id=f"PT-{encounter_id}", **changes)
    record["diagnoses"] = list(diagnoses)
    record["documentation"]["indication"] = indication
    record["documentation"]["indication_codes"] = list(diagnoses)
    chosen = pointers or list(range(1, min(len(diagnoses), 4) + 1))
    for line in record["lines"]:
        line["dx_pointers"] = list(chosen)
    return record


def hydroxocobalamin(record: dict[str, Any]) -> dict[str, Any]:
    """The same visit with hydroxocobalamin 1,000 mcg IM billed as J3425 x 100."""
    adm = record["documentation"]["administrations"][0]
    adm.update(drug="hydroxocobalamin", ndc="0591-2888-30")
    drug = record["lines"][0]
    drug.update(code="J3425", units=100, ndc=HYDROXO_NDC, ndc_quantity=1, ndc_unit="ML")
    return record


#: (coverage category, encounter): correctly billed and documented, must be clean.
COVERED: list[tuple[str, dict[str, Any]]] = [
    ("pernicious anemia", claim("CV-01", ["D51.0"], "pernicious anemia, monthly maintenance")),
    ("B12 deficiency anemia, unspecified", claim("CV-02", ["D51.9"], "B12 deficiency anemia")),
    ("megaloblastic anemia", claim("CV-03", ["D53.1"], "megaloblastic anemia, low B12")),
    ("macrocytic anemia", claim("CV-04", ["D53.9"], "macrocytic anemia, MCV 108, low B12")),
    ("fish tapeworm", claim("CV-05", ["B70.0"], "diphyllobothriasis with low B12")),
    ("B12 deficiency without anemia", claim("CV-06", ["E53.8"], "vitamin B12 deficiency")),
    ("Crohn's disease, site unspecified", claim("CV-07", ["K50.90"], "Crohn's disease, low B12")),
    (
        "Crohn's disease of the small intestine with obstruction",
        claim("CV-08", ["K50.012"], "ileal Crohn's with stricture, B12 malabsorption"),
    ),
    (
        "bariatric surgery with B12 deficiency",
        claim("CV-09", ["E53.8", "Z98.84"], "B12 deficiency after Roux-en-Y gastric bypass"),
    ),
    ("bariatric surgery status", claim("CV-10", ["Z98.84"], "status post gastric bypass")),
    ("atrophic gastritis", claim("CV-11", ["K29.40"], "chronic atrophic gastritis, low B12")),
    ("gastrectomy", claim("CV-12", ["Z90.3"], "status post total gastrectomy")),
    ("postgastrectomy syndrome", claim("CV-13", ["K91.1"], "postgastrectomy syndrome")),
    ("celiac sprue", claim("CV-14", ["K90.0"], "celiac sprue, B12 malabsorption")),
    ("tropical sprue", claim("CV-15", ["K90.1"], "tropical sprue")),
    ("blind loop syndrome", claim("CV-16", ["K90.2"], "blind loop syndrome")),
    ("postsurgical blind loop", claim("CV-17", ["K91.2"], "postsurgical malabsorption")),
    ("short bowel after resection", claim("CV-18", ["K90.822"], "short bowel syndrome")),
    ("ileal resection", claim("CV-19", ["Z90.49"], "status post ileal resection")),
    ("intestinal stricture", claim("CV-20", ["K56.699"], "small bowel stricture")),
    ("intestinal anastomosis", claim("CV-21", ["Z98.0"], "ileocolic anastomosis status")),
    (
        "G63 after pernicious anemia",
        claim("CV-22", ["D51.0", "G63"], "neuropathy, pernicious anemia"),
    ),
    (
        "G63 after Crohn's disease",
        claim("CV-23", ["K50.90", "G63"], "polyneuropathy, Crohn's disease"),
    ),
    (
        "subacute combined degeneration",
        claim("CV-24", ["D51.0", "G32.0"], "subacute combined degeneration, pernicious anemia"),
    ),
    (
        "dementia due to B12 deficiency",
        claim("CV-25", ["E53.8", "F02.80"], "dementia due to low B12"),
    ),
    ("alcoholic polyneuropathy", claim("CV-26", ["G62.1", "F10.20"], "acute alcoholic neuropathy")),
    (
        "G63 after severe malnutrition",
        claim("CV-27", ["E43", "G63"], "neuropathy, severe malnutrition"),
    ),
    (
        "severe protein-calorie malnutrition",
        claim("CV-28", ["E43"], "severe protein-calorie malnutrition"),
    ),
    (
        "methylmalonic acidemia (hydroxocobalamin)",
        hydroxocobalamin(claim("CV-29", ["E71.120"], "methylmalonic acidemia, hydroxocobalamin")),
    ),
    ("homocystinuria", claim("CV-30", ["E72.11"], "homocystinuria, cobalamin responsive")),
    ("maple syrup urine disease", claim("CV-31", ["E71.0"], "branched-chain amino-acid disorder")),
    ("nutritional optic neuropathy", claim("CV-32", ["H46.2"], "nutritional optic neuropathy")),
    ("toxic optic neuropathy", claim("CV-33", ["H46.3"], "tobacco amblyopia")),
    (
        "Medicare Advantage, covered",
        claim(
            "CV-34",
            ["D51.0"],
            "pernicious anemia",
            payer={"id": "87726", "name": "MA plan", "type": "medicare_advantage"},
        ),
    ),
    (
        "premedication for pemetrexed",
        claim("CV-35", ["C34.90"], "premedication before pemetrexed, cycle 1 next week"),
    ),
]

#: (purpose, encounter): B12 for the general good and welfare, still not covered.
NOT_COVERED: list[tuple[str, dict[str, Any]]] = [
    ("fatigue", claim("NC-01", ["R53.83"], "fatigue, requests B12 shot")),
    ("energy", claim("NC-02", ["R53.83"], "wants an energy shot")),
    ("wellness", claim("NC-03", ["Z00.00"], "wellness visit, B12 requested")),
    ("weight loss", claim("NC-04", ["E66.9", "Z71.3"], "B12 injection for weight loss program")),
    ("abnormal weight loss", claim("NC-05", ["R63.4"], "weight loss, wants B12")),
    ("folate deficiency anemia", claim("NC-06", ["D52.9"], "folate deficiency anemia")),
    ("anemia NOS", claim("NC-07", ["D64.9"], "anemia")),
    ("non-celiac gluten sensitivity", claim("NC-08", ["K90.41"], "gluten sensitivity")),
    ("lactose intolerance", claim("NC-09", ["E73.9"], "lactose intolerance")),
    ("unspecified dementia", claim("NC-10", ["F03.90"], "dementia")),
    ("polyneuropathy NOS", claim("NC-11", ["G62.9"], "peripheral neuropathy")),
    ("moderate malnutrition", claim("NC-12", ["E44.0"], "moderate malnutrition")),
]
