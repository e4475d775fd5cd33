"""Writes tests/realistic_clinic/ encounters.jsonl, claims.csv, claims.chart.jsonl and expected.yaml.

A busy family practice's B12 nurse visits as its EHR templates and its nurses chart them
(abbreviations, typos, "B-12", "subq", "IM L delt", negations and history in the note), billed by
its coder to Original Medicare, Medicare Advantage, Medicaid and commercial plans, with non-B12
visits of the same day mixed in. Expectations come from ../shared/DOMAIN.md (the policy), written
before the rules were read: `clean` (payable, correctly charted: no error or warning) or the
FORMATS.md category of the encounter's one defect. Edit this file, then run it.
"""

# ruff: noqa: E501

from __future__ import annotations

import csv
import json
from pathlib import Path
from typing import Any

import yaml

from b12lint.domain import npi_is_valid
from b12lint.readers.csv_reader import FIELDS

HERE = Path(__file__).resolve().parent


def npi_ok(nine: str) -> str:
    """A valid NPI: the nine digits and the check digit b12lint's NPI check accepts."""
    return next(nine + d for d in "0123456789" if npi_is_valid(nine + d))


NPI_MD = npi_ok("123456789")  # 1234567893
NPI_NP = npi_ok("176543210")
assert NPI_MD == "1234567893"

MCR = {"id": "01112", "name": "Noridian JE Part B", "type": "medicare"}
MA = {"id": "87726", "name": "AARP Medicare Advantage (UHC)", "type": "medicare_advantage"}
MCD = {"id": "CAMCD", "name": "Medi-Cal", "type": "medicaid"}
COM = {"id": "62308", "name": "Cigna Open Access Plus", "type": "commercial"}
COM2 = {"id": "47198", "name": "Anthem Blue Cross PPO", "type": "commercial"}

# NDCs (shared/reference/b12_ndc_products.csv): multi-dose 1 mL, 30 mL and 10 mL vials
NDC_AR = "00517003101"  # American Regent 1 mL MDV (0517-0031-01)
NDC_FK = "63323004441"  # Fresenius 1 mL MDV (63323-044-41)
NDC_30 = "69680012130"  # Vitruvias 30 mL MDV (69680-121-30)
NDC_10 = "00143962010"  # Hikma 10 mL MDV (0143-9620-10)
NDC_HY = "00591288830"  # hydroxocobalamin 30 mL MDV (0591-2888-30)

ENC: list[dict[str, Any]] = []
EXP: dict[str, dict[str, Any]] = {}
XF: dict[str, str] = {  # encounter id -> why b12lint is wrong on it (strict xfail)
    "CL-D32": "a same-date second B12 claim is reported once, on the encounter whose id sorts first (CL-P34-1: B12-FREQ-001, 0 days), and nothing on this one: the J3420 MUE is checked per encounter, not per patient and date across claims (DOMAIN MUE: date-of-service edit, MAI 3, all units of the date deny)",
}


def add(
    eid: str,
    expect: str,
    note: str,
    pt: str,
    dos: str,
    payer: dict[str, str] | None,
    dx: list[str],
    doc: dict[str, Any] | None,
    lines: list[dict[str, Any]],
    pos: str = "11",
    npi: str = NPI_MD,
    also: list[str] | None = None,
    info: str | None = None,
) -> None:
    """One encounter and its expectation (`also`: other categories the one defect implies)."""
    rec: dict[str, Any] = {"encounter_id": eid, "date_of_service": dos}
    if pt:
        rec["patient_id"] = pt
    rec["place_of_service"] = pos
    rec["rendering_npi"] = npi
    if payer is not None:
        rec["payer"] = payer
    rec["diagnoses"] = dx
    if doc is not None:
        rec["documentation"] = doc
    rec["lines"] = lines
    ENC.append(rec)
    EXP[eid] = {"expect": expect, "note": note}
    if also:
        EXP[eid]["also"] = also
    if info:
        EXP[eid]["info"] = info


def adm(
    drug: str,
    dose: Any,
    route: str,
    site: str | None = None,
    ndc: str | None = None,
    sup: str | None = None,
) -> dict[str, Any]:
    a: dict[str, Any] = {"drug": drug, "dose": dose, "route": route}
    if site:
        a["site"] = site
    if ndc:
        a["ndc"] = ndc
    if sup:
        a["supplied_by"] = sup
    return a


def doc(
    indication: str,
    codes: list[str],
    phase: str | None,
    admins: list[dict[str, Any]],
    plan: str | None = "B12 level q6mo",
    last_lab: str | None = None,
    labs: list[dict[str, Any]] | None = None,
) -> dict[str, Any]:
    d: dict[str, Any] = {"indication": indication, "indication_codes": codes}
    if phase is not None:
        d["phase"] = phase
    if plan is not None or last_lab is not None:
        m: dict[str, Any] = {}
        if plan is not None:
            m["plan"] = plan
        if last_lab is not None:
            m["last_b12_lab_date"] = last_lab
        d["monitoring"] = m
    if labs:
        d["labs"] = labs
    d["administrations"] = admins
    return d


def lab(test: str, value: float, unit: str, day: str) -> dict[str, Any]:
    return {"test": test, "value": value, "unit": unit, "date": day}


def ln(
    code: str,
    units: float = 1,
    mods: list[str] | None = None,
    ptr: list[int] | None = None,
    charge: float = 25.0,
    **kw: Any,
) -> dict[str, Any]:
    out: dict[str, Any] = {
        "code": code,
        "units": units,
        "modifiers": mods or [],
        "dx_pointers": ptr or [1],
    }
    out.update(kw)
    out["charge"] = charge
    return out


def j3420(
    units: float = 1,
    ndc: str | None = NDC_AR,
    qty: float = 1,
    unit: str = "ML",
    mods: list[str] | None = None,
    ptr: list[int] | None = None,
) -> dict[str, Any]:
    extra: dict[str, Any] = (
        {} if ndc is None else {"ndc": ndc, "ndc_quantity": qty, "ndc_unit": unit}
    )
    return ln("J3420", units, mods, ptr, 12.0, **extra)


def inj(
    units: float = 1, mods: list[str] | None = None, ptr: list[int] | None = None
) -> dict[str, Any]:
    return ln("96372", units, mods, ptr, 28.0)


CYANO = "Cyanocobalamin 1000mcg/mL inj"
PLAN = "B12 + CBC q6mo"

# ---------------------------------------------------------------------------------------------
# P01 Original Medicare, pernicious anemia: weekly x4 loading then monthly (EHR nurse template)
# ---------------------------------------------------------------------------------------------
p01_labs = [lab("B12", 142, "pg/mL", "2025-12-29"), lab("hemoglobin", 10.9, "g/dL", "2025-12-29")]
for i, day in enumerate(["2026-01-05", "2026-01-12", "2026-01-19", "2026-01-26"], start=1):
    add(
        f"CL-P01-L{i}",
        "clean",
        "D51.0 pernicious anemia covered (DOMAIN Coverage, specified anemias); weekly in a charted loading phase with a low B12 (142 pg/mL) is the initial phase ch.7 40.1.2.4 allows",
        "PT-C01",
        day,
        MCR,
        ["D51.0"],
        doc(
            "PA (+IF ab), B12 142",
            ["D51.0"],
            f"loading wk {i}/4",
            [adm(CYANO, "1mL", "IM L delt", ndc="0517-0031-01")],
            plan=PLAN,
            last_lab="2025-12-29",
            labs=p01_labs,
        ),
        [j3420(), inj()],
    )
for i, day in enumerate(["2026-02-23", "2026-03-23", "2026-04-20"], start=1):
    add(
        f"CL-P01-M{i}",
        "clean",
        "maintenance 28 days apart after the loading course: no more than once a month (ch.7 40.1.2.4); D51.0 covered",
        "PT-C01",
        day,
        MCR,
        ["D51.0"],
        doc(
            "pernicious anemia - maint",
            ["D51.0"],
            "monthly",
            [
                adm(
                    "cyanocobalamin 1000mcg/mL 1mL IM L delt",
                    "1000mcg",
                    "IM",
                    site="L delt",
                    ndc="0517-0031-01",
                )
            ],
            plan=PLAN,
            last_lab="2026-02-16",
            labs=[lab("B12", 412, "pg/mL", "2026-02-16")],
        ),
        [j3420(), inj()],
    )

# ---------------------------------------------------------------------------------------------
# P02 Medicare Advantage, total gastrectomy (Z90.3 + E53.8), SQ, volume x concentration
# ---------------------------------------------------------------------------------------------
for i, (day, route) in enumerate(
    [("2026-01-14", "SQ"), ("2026-02-11", "subq"), ("2026-03-11", "subcut")], start=1
):
    add(
        f"CL-P02-{i}",
        "clean",
        f"gastrectomy (Z90.3) with B12 deficiency E53.8 covered (DOMAIN Coverage: specified GI disorders); SC ('{route}') is a labelled route for J3420 + 96372 (DOMAIN Route); monthly",
        "PT-C02",
        day,
        MA,
        ["E53.8", "Z90.3"],
        doc(
            "B12 def s/p total gastrectomy 2019 (gastric ca)",
            ["E53.8", "Z90.3"],
            "maintenance",
            [
                adm(
                    "cyanocobalamin",
                    {"volume_ml": 1, "concentration": "1000 mcg/mL"},
                    route,
                    site="abd",
                    ndc="69680-121-30",
                )
            ],
            plan="B12 annually",
            last_lab="2025-11-03",
        ),
        [j3420(ndc=NDC_30, ptr=[1, 2]), inj(ptr=[1, 2])],
    )

# ---------------------------------------------------------------------------------------------
# P03 Medicaid, dietary (vegan) B12 deficiency anemia D51.3, dose in mg, R ventrogluteal
# ---------------------------------------------------------------------------------------------
for i, day in enumerate(["2025-11-04", "2025-12-03", "2026-01-05"], start=1):
    add(
        f"CL-P03-{i}",
        "clean",
        "D51.3 other dietary B12 deficiency anemia covered (DOMAIN Coverage: B12-deficiency anemias D51.x); '1 mg' = 1,000 mcg = J3420 x1; Medicaid line carries the 11-digit NDC (DOMAIN NDC)",
        "PT-C03",
        day,
        MCD,
        ["D51.3"],
        doc(
            "B12 def anemia, strict vegan x10y",
            ["D51.3"],
            "maint.",
            [adm("Vit B12 inj", "1 mg", "intramuscular", site="R VG", ndc="63323-044-41")],
            plan=PLAN,
            last_lab="2025-10-20",
        ),
        [j3420(ndc=NDC_FK), inj()],
    )

# ---------------------------------------------------------------------------------------------
# P04 commercial, celiac + B12 deficiency, "B-12", 1,000 mcg, with E/M-25 once
# ---------------------------------------------------------------------------------------------
add(
    "CL-P04-1",
    "clean",
    "K90.0 celiac (malabsorption: sprue) with E53.8 covered (DOMAIN Coverage); 99213-25 for a separately documented visit beside 96372 is correct coding (NCCI PTP indicator 1, DOMAIN Edits)",
    "PT-C04",
    "2026-02-02",
    COM,
    ["K90.0", "E53.8", "K21.9"],
    doc(
        "celiac dz w/ low B12 (180); GERD f/u today, separate",
        ["K90.0", "E53.8"],
        "maintenance",
        [adm("B-12", "1,000 mcg", "IM", site="R deltoid", ndc="0517-0031-01")],
        plan=PLAN,
        last_lab="2026-01-20",
    ),
    [ln("99213", 1, ["25"], [3, 1], 110.0), j3420(ptr=[1, 2]), inj(ptr=[1, 2])],
)
add(
    "CL-P04-2",
    "clean",
    "celiac + E53.8 covered, 28 days later (monthly, ch.7 40.1.2.4); nurse-only visit, no E/M",
    "PT-C04",
    "2026-03-02",
    COM,
    ["K90.0", "E53.8"],
    doc(
        "celiac, B12 def",
        ["K90.0", "E53.8"],
        "maintenance",
        [adm("B-12", "1,000 mcg", "IM", site="L deltoid", ndc="0517-0031-01")],
        plan=PLAN,
        last_lab="2026-01-20",
    ),
    [j3420(ptr=[1, 2]), inj(ptr=[1, 2])],
)

# ---------------------------------------------------------------------------------------------
# P05 Original Medicare, B12 deficiency anemia unspecified D51.9, 99214-25, history words
# ---------------------------------------------------------------------------------------------
add(
    "CL-P05-1",
    "clean",
    "D51.9 B12 deficiency anemia covered; 'prior B12 shots 2019' is history, restarted for a low level; 99214-25 for DM/HTN management beside 96372 is correct (NCCI indicator 1)",
    "PT-C05",
    "2026-03-09",
    MCR,
    ["D51.9", "E11.9", "I10"],
    doc(
        "B12 def anemia - prior B12 shots 2019, stopped; B12 now 168, restart monthly",
        ["D51.9"],
        "monthly",
        [adm("cyanocobalamin inj", "1000 MCG", "IM", site="L delt", ndc="0517-0031-01")],
        plan=PLAN,
        last_lab="2026-03-02",
    ),
    [ln("99214", 1, ["25"], [2, 3], 150.0), j3420(), inj()],
)
add(
    "CL-P05-2",
    "clean",
    "D51.9 covered; 30 days later, nurse visit (monthly limit ch.7 40.1.2.4)",
    "PT-C05",
    "2026-04-08",
    MCR,
    ["D51.9"],
    doc(
        "B12 def anemia",
        ["D51.9"],
        "monthly",
        [adm("cyanocobalamin inj", "1000 MCG", "IM", site="R delt", ndc="0517-0031-01")],
        plan=PLAN,
        last_lab="2026-03-02",
    ),
    [j3420(), inj()],
)

# ---------------------------------------------------------------------------------------------
# P06 commercial, neuropathy: E53.8 then G63 (code first), "Vitamin B-12"
# ---------------------------------------------------------------------------------------------
add(
    "CL-P06-1",
    "clean",
    "E53.8 coded first then G63 polyneuropathy in diseases classified elsewhere: a code-first manifestation after a covered condition (DOMAIN Coverage, etiology/manifestation)",
    "PT-C06",
    "2026-01-21",
    COM2,
    ["E53.8", "G63"],
    doc(
        "B12 deficiency w/ peripheral neuropathy (numb feet)",
        ["E53.8", "G63"],
        "maintenance",
        [
            adm(
                "Vitamin B-12 (cyanocobalamin)",
                "1000 mcg",
                "IM",
                site="L deltoid",
                ndc="0517-0031-01",
            )
        ],
        plan=PLAN,
        last_lab="2025-12-15",
    ),
    [j3420(ptr=[1, 2]), inj(ptr=[1, 2])],
)

# P07 Original Medicare, acute exacerbation of alcoholic polyneuropathy (G62.1)
add(
    "CL-P07-1",
    "clean",
    "acute phase of a neuropathy due to malnutrition and alcoholism is a covered category (DOMAIN Coverage, in full: certain neuropathies); G62.1 alcoholic polyneuropathy with F10.20; loading daily in the acute phase",
    "PT-C07",
    "2026-02-09",
    MCR,
    ["G62.1", "F10.20", "E46"],
    doc(
        "acute exacerbation of alcoholic polyneuropathy, poor PO intake; B12 185",
        ["G62.1", "F10.20"],
        "acute",
        [adm(CYANO, "1 mL", "IM R delt", ndc="0517-0031-01")],
        plan="B12/MMA in 4 wk",
        labs=[lab("B12", 185, "pg/mL", "2026-02-06")],
    ),
    [j3420(ptr=[1, 2]), inj(ptr=[1, 2])],
)

# P08 pemetrexed premedication (lung adenocarcinoma), Medicare Advantage
add(
    "CL-P08-1",
    "clean",
    "premedication for planned pemetrexed is covered (DOMAIN Coverage: pemetrexed premed, current or planned therapy; LCD L33967: one IM dose the week before the first dose)",
    "PT-C08",
    "2026-03-03",
    MA,
    ["C34.11", "Z51.11"],
    doc(
        "premed for Alimta (pemetrexed) C1D1 planned 3/10; lung adeno",
        ["C34.11"],
        None,
        [adm("cyanocobalamin", "1000 mcg", "IM", site="L delt", ndc="0517-0031-01")],
        plan=None,
    ),
    [j3420(), inj()],
)

# P09 pralatrexate premedication (PTCL), commercial
add(
    "CL-P09-1",
    "clean",
    "premedication for pralatrexate (Folotyn) 1 mg IM before starting is covered (DOMAIN Coverage; LCD L33967: pralatrexate 1 mg IM up to 10 weeks before)",
    "PT-C09",
    "2026-01-08",
    COM,
    ["C84.40"],
    doc(
        "PTCL - Folotyn to start 1/20, B12 premed per protocol",
        ["C84.40"],
        None,
        [adm("cyanocobalamin", "1 mg", "IM", site="R delt", ndc="0517-0031-01")],
        plan=None,
    ),
    [j3420(), inj()],
)

# P10 Medicaid, Crohn's of small + large intestine (K50.80), deep IM
add(
    "CL-P10-1",
    "clean",
    "K50.80 Crohn's disease of small and large intestine covered (DOMAIN Coverage: regional enteritis / Crohn's at any site); Medicaid NDC present",
    "PT-C10",
    "2026-02-17",
    MCD,
    ["K50.80"],
    doc(
        "Crohn's ileocolitis, ileal involvement, low B12",
        ["K50.80"],
        "maintenance",
        [adm("cyanocobalamin", "1000 mcg", "deep IM", site="R glut", ndc="0517-0031-01")],
        plan=PLAN,
        last_lab="2025-12-01",
    ),
    [j3420(), inj()],
)

# P11 Original Medicare, ileal resection (Z90.49 + K91.2), 30 mL MDV
add(
    "CL-P11-1",
    "clean",
    "resection of the small intestine with postsurgical malabsorption K91.2 covered (DOMAIN Coverage: specified GI disorders); 1 mL drawn from a 30 mL multi-dose vial: NDC qty 1 ML, no JW/JZ",
    "PT-C11",
    "2026-01-29",
    MCR,
    ["K91.2", "Z90.49"],
    doc(
        "s/p ileal resection (Crohn's), postsurgical malabsorption",
        ["K91.2"],
        "maintenance",
        [
            adm(
                "CYANOCOBALAMIN 1,000 MCG/ML INJECTION SOLUTION",
                "1 mL",
                "IM",
                site="L deltoid",
                ndc="69680-121-30",
            )
        ],
        plan=PLAN,
        last_lab="2025-09-30",
    ),
    [j3420(ndc=NDC_30), inj()],
)

# P12 commercial, blind loop syndrome K90.2
add(
    "CL-P12-1",
    "clean",
    "K90.2 blind loop syndrome is named in the manual's GI disorders (DOMAIN Coverage, in full)",
    "PT-C12",
    "2026-02-24",
    COM2,
    ["K90.2"],
    doc(
        "blind loop syndrome after Billroth II; B12 low",
        ["K90.2"],
        "maintenance",
        [adm("cyanocobalamin", "1000 mcg", "IM", site="R delt", ndc="0517-0031-01")],
        plan=PLAN,
        last_lab="2026-01-10",
    ),
    [j3420(), inj()],
)

# P13 Medicaid home visit (POS 12), severe protein-calorie malnutrition E43
add(
    "CL-P13-1",
    "clean",
    "E43 severe protein-calorie malnutrition covered (DOMAIN Coverage, in full); POS 12 home is not a facility place of service (DOMAIN Setting lists hospital POS)",
    "PT-C13",
    "2026-03-16",
    MCD,
    ["E43", "E53.8"],
    doc(
        "homebound, severe PCM, B12 def; RN home visit",
        ["E43", "E53.8"],
        "maintenance",
        [adm("cyanocobalamin", "1000 mcg", "IM", site="L delt", ndc="0517-0031-01")],
        plan=PLAN,
        last_lab="2026-02-01",
    ),
    [j3420(ptr=[1, 2]), inj(ptr=[1, 2])],
    pos="12",
)

# P14 Original Medicare, nursing facility (POS 32) visit by the practice NP
add(
    "CL-P14-1",
    "clean",
    "POS 32 nursing facility is not one of DOMAIN's facility settings (hospital outpatient/inpatient, e.g. 19, 21, 22, 23): the practitioner's 96372 + J3420 are billable; D51.0 covered",
    "PT-C14",
    "2026-02-05",
    MCR,
    ["D51.0"],
    doc(
        "PA, monthly B12 at NF",
        ["D51.0"],
        "monthly",
        [adm("cyanocobalamin", "1000 mcg", "IM", site="L delt", ndc="0517-0031-01")],
        plan=PLAN,
        last_lab="2025-12-05",
    ),
    [j3420(), inj()],
    pos="32",
    npi=NPI_NP,
)

# P15 Original Medicare, fish tapeworm anemia (B70.0 + D51.8)
add(
    "CL-P15-1",
    "clean",
    "fish tapeworm anemia is a specified anemia (DOMAIN Coverage, in full); B70.0 diphyllobothriasis with D51.8 other B12 deficiency anemia",
    "PT-C15",
    "2026-01-13",
    MCR,
    ["D51.8", "B70.0"],
    doc(
        "B12 def anemia due to D. latum (treated w/ praziquantel)",
        ["D51.8", "B70.0"],
        "repletion",
        [adm("cyanocobalamin", "1000 mcg", "IM", site="R delt", ndc="0517-0031-01")],
        plan="B12, CBC in 4 wk",
        labs=[lab("B12", 120, "pg/mL", "2026-01-09")],
    ),
    [j3420(ptr=[1, 2]), inj(ptr=[1, 2])],
)

# P16 commercial, urgent care (POS 20), split dose L + R deltoid
add(
    "CL-P16-1",
    "clean",
    "one 1,000 mcg dose given as two 0.5 mL injections: J3420 x1 (units = ceil(1000/1000)) and 96372 x2 (one per injection, MUE 4) (DOMAIN Billing, Units of administration); POS 20 urgent care is not a facility",
    "PT-C16",
    "2026-02-19",
    COM,
    ["D51.0"],
    doc(
        "pernicious anemia; pt prefers split inj (deltoid pain)",
        ["D51.0"],
        "maintenance",
        [
            adm(
                "cyanocobalamin",
                {"volume_ml": 0.5, "concentration": "1000 mcg/mL"},
                "IM",
                site="L delt",
                ndc="0517-0031-01",
            ),
            adm(
                "cyanocobalamin",
                {"volume_ml": 0.5, "concentration": "1000 mcg/mL"},
                "IM",
                site="R delt",
                ndc="0517-0031-01",
            ),
        ],
        plan=PLAN,
        last_lab="2026-01-15",
    ),
    [j3420(), inj(units=2)],
    pos="20",
)

# P17 Original Medicare, fatigue only, ABN signed: GA
add(
    "CL-P17-1",
    "clean",
    "fatigue-only B12 to Original Medicare with a signed ABN billed with GA: correct coding, the finding is at most info (DOMAIN Payer facts: GA = ABN on file)",
    "PT-C17",
    "2026-03-18",
    MCR,
    ["R53.83"],
    doc(
        "c/o fatigue, B12 wnl (410); pt requests B12 shot; ABN signed",
        ["R53.83"],
        None,
        [adm("cyanocobalamin", "1000 mcg", "IM", site="L delt", ndc="0517-0031-01")],
        plan=None,
    ),
    [j3420(mods=["GA"]), inj(mods=["GA"])],
)

# P18 weekly loading that runs 6 weeks because labs at week 4 are still low
p18_days = ["2026-01-06", "2026-01-13", "2026-01-20", "2026-01-27", "2026-02-03", "2026-02-10"]
for i, day in enumerate(p18_days, start=1):
    labs18 = [lab("B12", 98, "pg/mL", "2025-12-30")]
    if i >= 4:
        labs18.append(lab("B12", 171, "pg/mL", "2026-01-26"))
    add(
        f"CL-P18-{i}",
        "clean",
        "weekly loading continued past 4 weeks while the B12 (171 pg/mL at week 4) is still low: 'more frequent injections ... until it has been determined through laboratory tests that the patient can be sustained on a maintenance dose' (DOMAIN Coverage, in full: repletion ends on labs, not a day count)",
        "PT-C18",
        day,
        MA,
        ["D51.0", "G63"],
        doc(
            "PA w/ neuropathy, B12 98 -> 171",
            ["D51.0", "G63"],
            "loading",
            [adm(CYANO, "1mL", "IM R delt", ndc="0517-0031-01")],
            plan="recheck B12 q4wk until >300",
            labs=labs18,
        ),
        [j3420(ptr=[1, 2]), inj(ptr=[1, 2])],
    )

# P19 self-injection teaching, then the patient's own vial
add(
    "CL-P19-1",
    "clean",
    "RN gives the dose and teaches self-injection (SC); clinic-supplied drug billed J3420 + 96372; E53.8 + Z98.84 bariatric covered",
    "PT-C19",
    "2026-01-22",
    COM2,
    ["E53.8", "Z98.84"],
    doc(
        "B12 def s/p RYGB; self-inj teaching done, return demo good, Rx for vials sent",
        ["E53.8", "Z98.84"],
        "maintenance",
        [adm("cyanocobalamin", "1000 mcg", "subQ", site="abdomen", ndc="0517-0031-01")],
        plan=PLAN,
        last_lab="2026-01-05",
    ),
    [j3420(ptr=[1, 2]), inj(ptr=[1, 2])],
)
add(
    "CL-P19-2",
    "clean",
    "patient brought her own vial: the clinic bills 96372 only, no drug line (DOMAIN Who supplied the drug); 30 days after the last dose",
    "PT-C19",
    "2026-02-23",
    COM2,
    ["E53.8", "Z98.84"],
    doc(
        "B12 def s/p RYGB; pt brought own vial, RN admin (pt anxious self-inj)",
        ["E53.8", "Z98.84"],
        "maintenance",
        [adm("cyanocobalamin 1000 mcg/mL (pt's own)", "1 mL", "SC", site="abdomen", sup="patient")],
        plan=PLAN,
        last_lab="2026-01-05",
    ),
    [inj(ptr=[1, 2])],
)

# P20 hydroxocobalamin (J3425 from 2024) "hydroxo"
add(
    "CL-P20-1",
    "clean",
    "hydroxocobalamin 1,000 mcg IM = J3425 x100 (per 10 mcg, from 2024-01-01) (DOMAIN Billing); D51.0 covered",
    "PT-C20",
    "2026-02-12",
    MCR,
    ["D51.0"],
    doc(
        "PA - hydroxo per heme (cyano intolerance)",
        ["D51.0"],
        "maintenance",
        [adm("hydroxo", "1000mcg", "IM", site="L delt", ndc="0591-2888-30")],
        plan=PLAN,
        last_lab="2026-01-08",
    ),
    [ln("J3425", 100, [], [1], 30.0, ndc=NDC_HY, ndc_quantity=1, ndc_unit="ML"), inj()],
)

# P21 B12 and ketorolac same day: two injections, 96372 x2
add(
    "CL-P21-1",
    "clean",
    "two injections documented (B12 and ketorolac): 96372 x2 is one per injection (DOMAIN Units of administration); J3420 x1 for 1,000 mcg; E53.8 covered",
    "PT-C21",
    "2026-03-05",
    COM,
    ["E53.8", "M54.50"],
    doc(
        "B12 def (metformin); also acute LBP - toradol",
        ["E53.8"],
        "maintenance",
        [
            adm("cyanocobalamin", "1000 mcg", "IM", site="L delt", ndc="0517-0031-01"),
            adm("ketorolac", "60 mg", "IM", site="R glut"),
        ],
        plan=PLAN,
        last_lab="2026-01-12",
    ),
    [
        ln("99213", 1, ["25"], [2], 110.0),
        j3420(),
        ln("J1885", 4, [], [2], 8.0),
        inj(units=2, ptr=[1, 2]),
    ],
)

# P22 B12 IM + ondansetron IV push: 96374 with 96372-59
add(
    "CL-P22-1",
    "clean",
    "B12 IM (96372) beside an ondansetron IV push (96374): PTP indicator 1 (DOMAIN Edits), 96372 carries 59; the IV push is another drug, B12 itself is IM",
    "PT-C22",
    "2026-02-26",
    COM2,
    ["E53.8", "R11.2"],
    doc(
        "B12 def (monthly); N/V today - zofran IVP",
        ["E53.8"],
        "maintenance",
        [
            adm("cyanocobalamin", "1000 mcg", "IM", site="L delt", ndc="0517-0031-01"),
            adm("ondansetron", "4 mg", "IV"),
        ],
        plan=PLAN,
        last_lab="2026-01-12",
    ),
    [j3420(), inj(mods=["59"]), ln("J2405", 4, [], [2], 6.0), ln("96374", 1, [], [2], 60.0)],
    pos="20",
)

# P23 Medicaid with 10-digit charted NDC, 11-digit on the line, units UN for a 1 mL vial
add(
    "CL-P23-1",
    "clean",
    "NDC billed in the 11-digit 5-4-2 form with qualifier UN (1 vial of 1 mL): UN is an accepted unit qualifier (DOMAIN NDC); DOMAIN does not make UN for a single 1 mL vial a defect",
    "PT-C23",
    "2026-01-27",
    MCD,
    ["D51.8"],
    doc(
        "B12 def anemia (atrophic gastritis)",
        ["D51.8"],
        "maintenance",
        [adm("cyanocobalamin", "1000 mcg", "IM", site="R delt", ndc="70710-1663-1")],
        plan=PLAN,
        last_lab="2025-12-02",
    ),
    [j3420(ndc="70710166301", unit="UN"), inj()],
)

# P24 Medicare Advantage with KX on the drug line (a plan's attestation modifier)
add(
    "CL-P24-1",
    "clean",
    "KX on the drug line: DOMAIN gives KX no meaning for B12, so it is not a defect (brief: what DOMAIN does not settle is not a defect); D51.0 covered",
    "PT-C24",
    "2026-03-12",
    MA,
    ["D51.0"],
    doc(
        "PA maint",
        ["D51.0"],
        "maintenance",
        [adm("cyanocobalamin", "1000 mcg", "IM", site="L delt", ndc="0517-0031-01")],
        plan=PLAN,
        last_lab="2026-01-12",
    ),
    [j3420(mods=["KX"]), inj()],
)

# P25 negation of excluded purposes in the note
add(
    "CL-P25-1",
    "clean",
    "documented B12 deficiency; the note says B12 is not given for energy or weight loss (negated, DOMAIN excludes only those purposes); E53.8 covered",
    "PT-C25",
    "2026-02-03",
    COM,
    ["E53.8"],
    doc(
        "B12 def (level 155). Pt asked about B12 for energy - explained not indicated for energy or wt loss; given for deficiency. Denies fatigue.",
        ["E53.8"],
        "maintenance",
        [adm("cyanocobalamin", "1000 mcg", "IM", site="L delt", ndc="0517-0031-01")],
        plan=PLAN,
        last_lab="2026-01-27",
    ),
    [j3420(), inj()],
)

# P26 year-end monthly maintenance (Original Medicare), 28 days across Jan 1, 0.5 mL 1000/mL = 500 mcg
add(
    "CL-P26-1",
    "clean",
    "500 mcg (0.5 mL of 1,000 mcg/mL) is within 100-1,000 mcg maintenance; J3420 'up to 1,000 mcg' = 1 unit (DOMAIN Billing); NDC qty 0.5 ML",
    "PT-C26",
    "2025-12-29",
    MCR,
    ["D51.0"],
    doc(
        "PA maint 500mcg per heme",
        ["D51.0"],
        "monthly",
        [adm(CYANO, "0.5 mL", "IM", site="L delt", ndc="0517-0031-01")],
        plan=PLAN,
        last_lab="2025-10-01",
    ),
    [j3420(qty=0.5), inj()],
)
add(
    "CL-P26-2",
    "clean",
    "28 days after 2025-12-29 across the year end: once a month (ch.7 40.1.2.4)",
    "PT-C26",
    "2026-01-26",
    MCR,
    ["D51.0"],
    doc(
        "PA maint 500mcg per heme",
        ["D51.0"],
        "monthly",
        [adm(CYANO, "0.5 mL", "IM", site="R delt", ndc="0517-0031-01")],
        plan=PLAN,
        last_lab="2025-10-01",
    ),
    [j3420(qty=0.5), inj()],
)

# P27 daily x3 then weekly: repletion with "neuro sx" (daily then weekly in the initial phase)
for i, (day, ph) in enumerate(
    [
        ("2026-03-02", "loading - daily x3 then weekly x4"),
        ("2026-03-03", "loading - daily x3 then weekly x4"),
        ("2026-03-04", "loading - daily x3 then weekly x4"),
        ("2026-03-11", "loading, weekly 1/4"),
    ],
    start=1,
):
    add(
        f"CL-P27-{i}",
        "clean",
        "daily then weekly in a charted loading phase with very low B12 and neurologic symptoms: the initial phase (ch.7 40.1.2.4); D51.0 + G32.0 (subacute combined degeneration, code first after D51.0) covered",
        "PT-C27",
        day,
        MCR,
        ["D51.0", "G32.0"],
        doc(
            "PA with SCD (paresthesias, ataxia); B12 <100",
            ["D51.0", "G32.0"],
            ph,
            [
                adm(
                    "cyanocobalamin",
                    "1000 mcg",
                    "IM",
                    site="L delt" if i % 2 else "R delt",
                    ndc="0517-0031-01",
                )
            ],
            plan="B12/MMA in 4 wk",
            labs=[lab("B12", 90, "pg/mL", "2026-02-27"), lab("MMA", 1.9, "umol/L", "2026-02-27")],
        ),
        [j3420(ptr=[1, 2]), inj(ptr=[1, 2])],
    )

# ---------------------------------------------------------------------------------------------
# Non-B12 visits of the same clinic days (out of scope: no finding)
# ---------------------------------------------------------------------------------------------
add(
    "CL-N01",
    "clean",
    "flu vaccine visit: not a B12 encounter",
    "PT-C31",
    "2026-01-12",
    MCR,
    ["Z23"],
    {
        "indication": "flu shot",
        "administrations": [{"drug": "influenza vaccine HD", "dose": "0.5 mL", "route": "IM"}],
    },
    [ln("90662", 1, [], [1], 70.0), ln("G0008", 1, [], [1], 30.0)],
)
add(
    "CL-N02",
    "clean",
    "HTN follow-up; the note says 'no longer on IM B12, now SL': no B12 given or billed, out of scope",
    "PT-C32",
    "2026-01-20",
    MA,
    ["I10", "E53.8"],
    {
        "indication": "HTN f/u; B12 def - no longer on IM, now SL 1000mcg daily",
        "administrations": [],
    },
    [ln("99213", 1, [], [1, 2], 110.0)],
)
add(
    "CL-N03",
    "clean",
    "ketorolac injection for back pain; hx of B12 deficiency on oral B12: no B12 given or billed",
    "PT-C33",
    "2026-02-04",
    COM,
    ["M54.50"],
    {
        "indication": "acute LBP; hx B12 def on PO B12",
        "administrations": [
            {"drug": "ketorolac", "dose": "60 mg", "route": "IM", "site": "R glut"}
        ],
    },
    [ln("J1885", 4, [], [1], 8.0), ln("96372", 1, [], [1], 28.0)],
)
add(
    "CL-N04",
    "clean",
    "pt declines B12 injection today (no administration, no B12 line): E/M only, out of scope",
    "PT-C34",
    "2026-02-18",
    MCR,
    ["D51.0", "I10"],
    {"indication": "PA - pt declines B12 inj today, will return next wk", "administrations": []},
    [ln("99212", 1, [], [1, 2], 80.0)],
)
add(
    "CL-N05",
    "clean",
    "medroxyprogesterone injection: not B12",
    "PT-C35",
    "2026-03-03",
    MCD,
    ["Z30.42"],
    {
        "indication": "contraception",
        "administrations": [
            {"drug": "Depo-Provera", "dose": "150 mg", "route": "IM", "site": "L delt"}
        ],
    },
    [ln("J1050", 150, [], [1], 60.0), ln("96372", 1, [], [1], 28.0)],
)
add(
    "CL-N06",
    "clean",
    "ondansetron IV push at urgent care: not B12",
    "PT-C36",
    "2026-03-09",
    COM2,
    ["R11.2"],
    {
        "indication": "N/V",
        "administrations": [{"drug": "ondansetron", "dose": "4 mg", "route": "IV"}],
    },
    [ln("J2405", 4, [], [1], 6.0), ln("96374", 1, [], [1], 60.0)],
    pos="20",
)

# ---------------------------------------------------------------------------------------------
# One defect each
# ---------------------------------------------------------------------------------------------
# P01 gets an early "monthly" dose (pt traveling)
add(
    "CL-D01",
    "frequency",
    "maintenance ('monthly') dose 10 days after the 2026-04-20 one, 'pt traveling': maintenance no more than once a month (ch.7 40.1.2.4, DOMAIN Phase and frequency)",
    "PT-C01",
    "2026-04-30",
    MCR,
    ["D51.0"],
    doc(
        "pernicious anemia - maint; pt traveling x6wk, gave early",
        ["D51.0"],
        "monthly",
        [adm(CYANO, "1 mL", "IM", site="R delt", ndc="0517-0031-01")],
        plan=PLAN,
        last_lab="2026-02-16",
    ),
    [j3420(), inj()],
)
add(
    "CL-D02",
    "indication",
    "R63.4 abnormal weight loss alone: weight loss does not support B12 (DOMAIN Clinical intent: general good and welfare); commercial, so no ABN logic",
    "PT-C40",
    "2026-01-15",
    COM,
    ["R63.4"],
    doc(
        "wt loss 10 lb/3mo, pt wants B12 shots",
        ["R63.4"],
        None,
        [adm("vit b12 inj", "1000 mcg", "IM", site="L delt", ndc="0517-0031-01")],
        plan=None,
    ),
    [j3420(), inj()],
)
add(
    "CL-D03",
    "indication",
    "D52.9 folate deficiency anemia alone is not a B12 indication (DOMAIN Coverage: B12-deficiency anemias D51.x; folate deficiency is its own D52 category); Original Medicare, no ABN modifier",
    "PT-C41",
    "2026-02-10",
    MCR,
    ["D52.9"],
    doc(
        "folate def anemia (folate 2.1)",
        ["D52.9"],
        None,
        [adm("cyanocobalamin", "1000 mcg", "IM", site="L delt", ndc="0517-0031-01")],
        plan=None,
    ),
    [j3420(), inj()],
)
add(
    "CL-D04",
    "indication",
    "R41.3 memory loss is not dementia due to B12 deficiency (F02 after E53.8): not covered (DOMAIN Coverage, in full); Medicare Advantage, no ABN",
    "PT-C42",
    "2026-02-25",
    MA,
    ["R41.3"],
    doc(
        "memory c/o, family wants B12 shots; B12 360 (nl)",
        ["R41.3"],
        None,
        [adm("cyanocobalamin", "1000 mcg", "IM", site="R delt", ndc="0517-0031-01")],
        plan=None,
    ),
    [j3420(), inj()],
)
add(
    "CL-D05",
    "route",
    "sublingual B12 charted ('SL') but billed J3420 + 96372: oral/sublingual B12 is self-administered, not a J-code drug, not 96372 (DOMAIN Route, Noridian L33502)",
    "PT-C43",
    "2026-03-04",
    COM,
    ["E53.8"],
    doc(
        "B12 def; gave SL B12 1000mcg in office, pt to continue at home",
        ["E53.8"],
        "maintenance",
        [adm("cyanocobalamin", "1000 mcg", "SL")],
        plan=PLAN,
        last_lab="2026-02-01",
    ),
    [j3420(ndc=None), inj()],
    also=["ndc", "administration"],
)
add(
    "CL-D06",
    "dose",
    "5,000 mcg (5 mL of 1,000 mcg/mL) billed as J3420 x1: units should be 5 but the MUE is 1 unit per date (DOMAIN Billing/MUE), and 5,000 mcg is far above 100-1,000 mcg maintenance: a dose finding",
    "PT-C44",
    "2026-01-30",
    COM2,
    ["E53.8"],
    doc(
        "B12 def - 'mega dose' per pt request",
        ["E53.8"],
        "maintenance",
        [adm("cyanocobalamin", "5 mL of 1000 mcg/mL", "IM", site="L glut", ndc="69680-121-30")],
        plan=PLAN,
        last_lab="2026-01-02",
    ),
    [j3420(ndc=NDC_30, qty=5), inj()],
    also=["units"],
)
add(
    "CL-D07",
    "ndc",
    "the drug line's NDC is 10 digits without hyphens ('0517003101', leading zero dropped by the export): the billing form is 11 digits 5-4-2 (DOMAIN NDC); Medicaid",
    "PT-C45",
    "2026-02-02",
    MCD,
    ["D51.0"],
    doc(
        "PA maint",
        ["D51.0"],
        "maintenance",
        [adm("cyanocobalamin", "1000 mcg", "IM", site="L delt", ndc="0517-0031-01")],
        plan=PLAN,
        last_lab="2025-12-20",
    ),
    [j3420(ndc="0517003101"), inj()],
)
add(
    "CL-D08",
    "modifier",
    "B12 IM (96372) beside an ondansetron IV push (96374) without a modifier on 96372: PTP indicator 1 needs a modifier (DOMAIN Edits: 96374 with 96372 indicator 1)",
    "PT-C46",
    "2026-03-10",
    COM,
    ["E53.8", "R11.2"],
    doc(
        "B12 def (monthly); vomiting - zofran IVP",
        ["E53.8"],
        "maintenance",
        [
            adm("cyanocobalamin", "1000 mcg", "IM", site="L delt", ndc="0517-0031-01"),
            adm("ondansetron", "4 mg", "IV push"),
        ],
        plan=PLAN,
        last_lab="2026-01-12",
    ),
    [j3420(), inj(), ln("J2405", 4, [], [2], 6.0), ln("96374", 1, [], [2], 60.0)],
    pos="20",
)
add(
    "CL-D09",
    "units",
    "J3420 billed 2 units for 1 mL (1,000 mcg) drawn from a 30 mL vial: units = ceil(1000/1000) = 1 (DOMAIN Billing; MUE 1)",
    "PT-C47",
    "2026-01-19",
    MA,
    ["D51.0"],
    doc(
        "PA maint",
        ["D51.0"],
        "maintenance",
        [adm("cyanocobalamin 1000mcg/mL 30mL MDV", "1mL", "IM L delt", ndc="69680-121-30")],
        plan=PLAN,
        last_lab="2025-11-11",
    ),
    [j3420(units=2, ndc=NDC_30), inj()],
)
add(
    "CL-D10",
    "provider",
    "professional claim with 96372 + J3420 at POS 22 (hospital outpatient clinic where the practice's MD sees patients): the facility bills the injection and drug (DOMAIN Setting)",
    "PT-C48",
    "2026-02-16",
    MCR,
    ["D51.0"],
    doc(
        "PA maint, given in hospital-based clinic",
        ["D51.0"],
        "maintenance",
        [adm("cyanocobalamin", "1000 mcg", "IM", site="L delt", ndc="0517-0031-01")],
        plan=PLAN,
        last_lab="2025-12-20",
    ),
    [j3420(), inj()],
    pos="22",
)
add(
    "CL-D11",
    "frequency",
    "weekly injection with no phase documented (template left blank, no loading course charted): a finding (DOMAIN Phase and frequency)",
    "PT-C49",
    "2026-01-14",
    COM,
    ["E53.8"],
    doc(
        "B12 def",
        ["E53.8"],
        None,
        [adm("cyanocobalamin", "1000 mcg", "IM", site="R delt", ndc="0517-0031-01")],
        plan=PLAN,
        last_lab="2025-12-30",
    ),
    [j3420(), inj()],
)
# the previous week's first dose of PT-C49
add(
    "CL-P49-0",
    "clean",
    "the first B12 dose of PT-C49: with no earlier injection there is no interval to judge (DOMAIN Phase and frequency speaks of weekly injections, which needs a previous one)",
    "PT-C49",
    "2026-01-07",
    COM,
    ["E53.8"],
    doc(
        "B12 def - start B12 inj",
        ["E53.8"],
        None,
        [adm("cyanocobalamin", "1000 mcg", "IM", site="L delt", ndc="0517-0031-01")],
        plan=PLAN,
        last_lab="2025-12-30",
    ),
    [j3420(), inj()],
)
add(
    "CL-D12",
    "diagnosis",
    "E53 is a category (B vitamin deficiency), not billable; E53.8 is (DOMAIN ICD-10 validity: billable leaf codes only)",
    "PT-C50",
    "2026-02-09",
    MCR,
    ["E53"],
    doc(
        "B12 deficiency",
        ["E53.8"],
        "maintenance",
        [adm("cyanocobalamin", "1000 mcg", "IM", site="L delt", ndc="0517-0031-01")],
        plan=PLAN,
        last_lab="2026-01-09",
    ),
    [j3420(), inj()],
    also=["indication"],
)
add(
    "CL-D13",
    "diagnosis",
    "the J3420 line points to 1 and 5 on a claim of 4 diagnoses (a fifth was dropped from the claim): pointers must exist on the claim (DOMAIN Diagnosis pointers)",
    "PT-C51",
    "2026-02-11",
    MCR,
    ["D51.0", "I10", "E78.5", "E11.9"],
    doc(
        "PA maint; chronic dz f/u",
        ["D51.0"],
        "maintenance",
        [adm("cyanocobalamin", "1000 mcg", "IM", site="L delt", ndc="0517-0031-01")],
        plan=PLAN,
        last_lab="2026-01-09",
    ),
    [ln("99214", 1, ["25"], [2, 3, 4], 150.0), j3420(ptr=[1, 5]), inj(ptr=[1])],
)
add(
    "CL-D14",
    "administration",
    "99211 nurse visit billed with 96372 the same day: PTP indicator 0, never payable together (DOMAIN Edits), even with 25",
    "PT-C52",
    "2026-03-17",
    MA,
    ["D51.0"],
    doc(
        "PA maint; RN visit, BP check",
        ["D51.0"],
        "maintenance",
        [adm("cyanocobalamin", "1000 mcg", "IM", site="L delt", ndc="0517-0031-01")],
        plan=PLAN,
        last_lab="2026-01-09",
    ),
    [ln("99211", 1, ["25"], [1], 25.0), j3420(), inj()],
    also=["modifier"],
)
add(
    "CL-D15",
    "units",
    "96372 x2 with one documented injection (the split-dose template copied from last month): one unit per injection (DOMAIN Units of administration)",
    "PT-C16",
    "2026-03-19",
    COM,
    ["D51.0"],
    doc(
        "pernicious anemia; single inj today",
        ["D51.0"],
        "maintenance",
        [adm("cyanocobalamin", "1000 mcg", "IM", site="L delt", ndc="0517-0031-01")],
        plan=PLAN,
        last_lab="2026-01-15",
    ),
    [j3420(), inj(units=2)],
    pos="20",
)
add(
    "CL-D16",
    "drug",
    "the chart says hydroxocobalamin ('hydroxo') but the line bills J3420 (cyanocobalamin): the product does not match the code; J3425 from 2024-01-01 (DOMAIN Billing)",
    "PT-C20",
    "2026-03-12",
    MCR,
    ["D51.0"],
    doc(
        "PA - hydroxo per heme",
        ["D51.0"],
        "maintenance",
        [adm("hydroxo", "1000mcg", "IM", site="R delt", ndc="0591-2888-30")],
        plan=PLAN,
        last_lab="2026-01-08",
    ),
    [j3420(ndc=NDC_HY), inj()],
    also=["ndc", "units"],
)
add(
    "CL-D17",
    "indication",
    "fatigue/'energy' B12 billed to a Medicare Advantage plan with GA: the ABN applies only to Original Medicare, the non-coverage stays an error (DOMAIN Payer facts)",
    "PT-C53",
    "2026-01-26",
    MA,
    ["R53.83"],
    doc(
        "fatigue, wants B12 for energy; ABN signed",
        ["R53.83"],
        None,
        [adm("cyanocobalamin", "1000 mcg", "IM", site="L delt", ndc="0517-0031-01")],
        plan=None,
    ),
    [j3420(mods=["GA"]), inj(mods=["GA"])],
)
add(
    "CL-D18",
    "modifier",
    "99213 (separate HTN visit documented) beside 96372 without modifier 25: PTP indicator 1, the E/M needs 25 (DOMAIN Edits)",
    "PT-C05",
    "2026-05-08",
    MCR,
    ["D51.9", "I10"],
    doc(
        "B12 def anemia; HTN uncontrolled - med change",
        ["D51.9"],
        "monthly",
        [adm("cyanocobalamin inj", "1000 MCG", "IM", site="L delt", ndc="0517-0031-01")],
        plan=PLAN,
        last_lab="2026-03-02",
    ),
    [ln("99213", 1, [], [2], 110.0), j3420(), inj()],
)
add(
    "CL-D19",
    "ndc",
    "Medicaid B12 drug line without an NDC (the EHR's charge line dropped it): Medicaid denies physician-administered drug lines without NDC (DOMAIN NDC, DRA 2005 s6002)",
    "PT-C03",
    "2026-02-04",
    MCD,
    ["D51.3"],
    doc(
        "B12 def anemia, vegan",
        ["D51.3"],
        "maint.",
        [adm("Vit B12 inj", "1 mg", "intramuscular", site="L VG", ndc="63323-044-41")],
        plan=PLAN,
        last_lab="2025-10-20",
    ),
    [j3420(ndc=None), inj()],
)
add(
    "CL-D20",
    "route",
    "cyanocobalamin given IV push ('IVP', needle phobia) and billed 96374: labels say IM or SC only, avoid IV (DOMAIN Route on the label)",
    "PT-C54",
    "2026-02-20",
    COM2,
    ["D51.0"],
    doc(
        "PA; pt refuses IM (needle phobia) - B12 IVP",
        ["D51.0"],
        "maintenance",
        [adm("cyanocobalamin", "1000 mcg", "IVP")],
        plan=PLAN,
        last_lab="2026-01-20",
    ),
    [j3420(), ln("96374", 1, [], [1], 60.0)],
)
add(
    "CL-D21",
    "indication",
    "pemetrexed course completed in 2025 (not current or planned therapy): the premedication exception does not apply; C34.90 alone is not covered (DOMAIN Coverage: 'for current or planned therapy, not a completed course')",
    "PT-C55",
    "2026-03-20",
    MCR,
    ["C34.90"],
    doc(
        "hx NSCLC, finished Alimta 11/2025, 'keeps getting B12 monthly'",
        ["C34.90"],
        "monthly",
        [adm("cyanocobalamin", "1000 mcg", "IM", site="L delt", ndc="0517-0031-01")],
        plan=None,
    ),
    [j3420(), inj()],
)
add(
    "CL-D22",
    "provider",
    "rendering NPI with a transposed digit fails the Luhn check (prefix 80840) (DOMAIN NPI)",
    "PT-C56",
    "2026-01-09",
    COM,
    ["D51.0"],
    doc(
        "PA maint",
        ["D51.0"],
        "maintenance",
        [adm("cyanocobalamin", "1000 mcg", "IM", site="L delt", ndc="0517-0031-01")],
        plan=PLAN,
        last_lab="2025-12-09",
    ),
    [j3420(), inj()],
    npi="1234567839",
)


# ---------------------------------------------------------------------------------------------
# The EHR's free text: drug names, doses, routes, phases and notes as nurses type them
# (each its own patient, one monthly maintenance dose, covered diagnosis: payable)
# ---------------------------------------------------------------------------------------------
FREE_TEXT = [
    # (id, drug, dose, route, phase, indication, codes/dx, why)
    (
        "CL-F01",
        "cyanocobalamine",
        "1000 mcg",
        "IM",
        "maintenance",
        "pernicious anemia",
        ["D51.0"],
        "drug name with a common misspelling ('cyanocobalamine') on a J3420 line with the cyanocobalamin NDC",
    ),
    (
        "CL-F02",
        "cyanocobolamin",
        "1000 mcg",
        "IM",
        "maintenance",
        "pernicious anemia",
        ["D51.0"],
        "drug name misspelt 'cyanocobolamin' (o for a) with the cyanocobalamin NDC",
    ),
    (
        "CL-F03",
        "B12",
        "1000mcg/mL 1mL",
        "IM",
        "maintenance",
        "B12 deficiency",
        ["E53.8"],
        "dose typed strength then volume ('1000mcg/mL 1mL' = 1,000 mcg)",
    ),
    (
        "CL-F04",
        "cyanocobalamin",
        "1 mL (1000 mcg)",
        "IM",
        "maintenance",
        "B12 deficiency",
        ["E53.8"],
        "dose '1 mL (1000 mcg)'",
    ),
    (
        "CL-F05",
        "cyanocobalamin",
        "1000 micrograms",
        "IM",
        "maintenance",
        "B12 deficiency",
        ["E53.8"],
        "dose in words ('micrograms')",
    ),
    (
        "CL-F06",
        "Cyanocobalamin 1000 mcg/mL",
        "1cc",
        "IM",
        "maintenance",
        "B12 deficiency",
        ["E53.8"],
        "dose '1cc' with the strength in the drug name",
    ),
    (
        "CL-F07",
        "cyanocobalamin",
        "1000 mcg",
        "Intramuscular (IM)",
        "maintenance",
        "pernicious anemia",
        ["D51.0"],
        "route 'Intramuscular (IM)' as an EHR pick-list prints it",
    ),
    (
        "CL-F08",
        "cyanocobalamin",
        "1000 mcg",
        "L deltoid IM",
        "maintenance",
        "pernicious anemia",
        ["D51.0"],
        "route typed site first ('L deltoid IM')",
    ),
    (
        "CL-F09",
        "cyanocobalamin",
        "1000 mcg",
        "I.M.",
        "maintenance",
        "pernicious anemia",
        ["D51.0"],
        "route 'I.M.' with periods",
    ),
    (
        "CL-F10",
        "cyanocobalamin",
        "1000 mcg",
        "Sub-Q",
        "maintenance",
        "pernicious anemia",
        ["D51.0"],
        "route 'Sub-Q' (SC is labelled)",
    ),
    (
        "CL-F11",
        "cyanocobalamin",
        "1000 mcg",
        "34206005",
        "maintenance",
        "pernicious anemia",
        ["D51.0"],
        "route as the SNOMED CT code 34206005 subcutaneous (FORMATS)",
    ),
    (
        "CL-F12",
        "cyanocobalamin",
        "1000 mcg",
        "IM",
        "q4wk",
        "pernicious anemia",
        ["D51.0"],
        "phase written as the schedule 'q4wk' (a monthly maintenance schedule)",
    ),
    (
        "CL-F13",
        "cyanocobalamin",
        "1000 mcg",
        "IM",
        "maintenance",
        "h/o pernicious anemia on monthly B12; c/o fatigue today",
        ["D51.0"],
        "'h/o pernicious anemia' is how a lifelong condition is charted, with 'fatigue' as today's complaint: D51.0 supports it",
    ),
    (
        "CL-F14",
        "cyanocobalamin",
        "1000 mcg",
        "IM",
        "maintenance",
        "s/p RYGB 2015, B12 def; also hopes for more energy",
        ["E53.8", "Z98.84"],
        "bariatric status + E53.8 are covered; 'hopes for more energy' is a wish beside the covered reason, not the reason",
    ),
    (
        "CL-F15",
        "cyanocobalamin",
        "1000 mcg",
        "IM",
        "maintenance",
        "mother had pernicious anemia; pt's own B12 low (162) on metformin",
        ["E53.8"],
        "family history of PA is another experiencer; the patient's own low B12 (E53.8) supports it",
    ),
    (
        "CL-F16",
        "Vitamin B 12",
        "1 mg",
        "IM",
        "monthly",
        "B12 deficiency",
        ["E53.8"],
        "drug name 'Vitamin B 12' (with a space)",
    ),
    (
        "CL-F17",
        "OHCbl (hydroxocobalamin)",
        "1000 mcg",
        "IM",
        "maintenance",
        "pernicious anemia",
        ["D51.0"],
        "hydroxocobalamin abbreviated OHCbl with its name; J3425 x100",
    ),
    (
        "CL-F18",
        "Hydroxocobalamin acetate",
        "1,000 mcg",
        "IM",
        "maintenance",
        "pernicious anemia",
        ["D51.0"],
        "hydroxocobalamin acetate (the salt on the label); J3425 x100",
    ),
    (
        "CL-F19",
        "cyanocobalamin",
        "1,000mcg/1mL",
        "IM",
        "maintenance",
        "B12 deficiency",
        ["E53.8"],
        "dose '1,000mcg/1mL'",
    ),
    (
        "CL-F20",
        "cyanocobalamin",
        "1000 mcg",
        "IM",
        "maintenance",
        "s/p Alimta C3, C4 due 4/1; B12 q9wk per onc",
        ["C34.12"],
        "pemetrexed (Alimta) is current therapy (C4 due): premedication every 3 cycles is covered (LCD L33967, DOMAIN Coverage)",
    ),
]
for n, (eid, drug, dose, route, phase, ind, codes, why) in enumerate(FREE_TEXT, start=70):
    hydroxo = "hydroxo" in drug.lower() or "ohcbl" in drug.lower()
    dx = codes if codes != ["C34.12"] else ["C34.12", "Z51.11"]
    lines_ = (
        [ln("J3425", 100, [], [1], 30.0, ndc=NDC_HY, ndc_quantity=1, ndc_unit="ML"), inj()]
        if hydroxo
        else [j3420(), inj()]
    )
    add(
        eid,
        "clean",
        f"{why}; covered ({', '.join(codes)}, DOMAIN Coverage); monthly or first dose, payable",
        f"PT-C{n}",
        f"2026-03-{n - 60:02d}",
        [MCR, MA, COM, COM2][n % 4],
        dx,
        doc(
            ind,
            codes,
            phase,
            [
                adm(
                    drug,
                    dose,
                    route,
                    site="L delt",
                    ndc="0591-2888-30" if hydroxo else "0517-0031-01",
                )
            ],
            plan=None if codes == ["C34.12"] else PLAN,
            last_lab=None if codes == ["C34.12"] else "2026-01-10",
        ),
        lines_,
    )

# a monthly patient whose template has no phase field and no monitoring block (payable)
for i, day in enumerate(["2026-01-16", "2026-02-13", "2026-03-13"], start=1):
    add(
        f"CL-P30-{i}",
        "clean",
        "monthly (28-day) injections with no phase field and no monitoring block: DOMAIN makes weekly injections without a phase a finding, not monthly ones, and makes no monitoring field required; D51.0 covered",
        "PT-C30",
        day,
        MCR,
        ["D51.0"],
        doc(
            "PA",
            ["D51.0"],
            None,
            [adm("cyanocobalamin", "1000 mcg", "IM", site="R delt", ndc="0517-0031-01")],
            plan=None,
        ),
        [j3420(), inj()],
    )

# patient-supplied with supplied_by capitalised, POS 71 public health clinic, E/M-25 on the same dx
add(
    "CL-P31-1",
    "clean",
    "patient's own vial ('Patient'): 96372 only, no drug line (DOMAIN Who supplied the drug); POS 71 public health clinic is not a facility setting (DOMAIN Setting)",
    "PT-C91",
    "2026-02-06",
    MCD,
    ["E53.8"],
    doc(
        "B12 def, pt brings own vials",
        ["E53.8"],
        "maintenance",
        [adm("cyanocobalamin", "1000 mcg", "IM", site="L delt", sup="Patient")],
        plan=PLAN,
        last_lab="2026-01-02",
    ),
    [inj()],
    pos="71",
)
add(
    "CL-P32-1",
    "clean",
    "99213-25 for a visit about the anemia itself (labs reviewed, dose plan changed) pointing to D51.0 like the injection: CPT's modifier 25 does not require a different diagnosis (DOMAIN Edits: E/M with 25 beside 96372 is correct coding, at most an info audit note)",
    "PT-C92",
    "2026-02-18",
    MCR,
    ["D51.0"],
    doc(
        "PA - reviewed labs (B12 250, MCV 104), increased to monthly from q6wk; inj today",
        ["D51.0"],
        "maintenance",
        [adm("cyanocobalamin", "1000 mcg", "IM", site="L delt", ndc="0517-0031-01")],
        plan=PLAN,
        last_lab="2026-02-11",
    ),
    [ln("99213", 1, ["25"], [1], 110.0), j3420(), inj()],
)
add(
    "CL-D23",
    "frequency",
    "'maintenance q2wk' charted: maintenance no more often than once a month (ch.7 40.1.2.4); 14 days after the last dose",
    "PT-C92",
    "2026-03-04",
    MCR,
    ["D51.0"],
    doc(
        "PA - maint q2wk per pt request",
        ["D51.0"],
        "maintenance q2wk",
        [adm("cyanocobalamin", "1000 mcg", "IM", site="R delt", ndc="0517-0031-01")],
        plan=PLAN,
        last_lab="2026-02-11",
    ),
    [j3420(), inj()],
)
add(
    "CL-D24",
    "dose",
    "1.5 mL of 1,000 mcg/mL (1,500 mcg) needs 2 units of J3420 but the MUE is 1 per date (DOMAIN Billing/MUE: a dose finding, never units above the MUE); above the 100-1,000 mcg maintenance range",
    "PT-C93",
    "2026-02-23",
    MA,
    ["D51.0"],
    doc(
        "PA maint",
        ["D51.0"],
        "maintenance",
        [adm(CYANO, "1.5 mL", "IM", site="L delt", ndc="69680-121-30")],
        plan=PLAN,
        last_lab="2026-01-12",
    ),
    [j3420(ndc=NDC_30, qty=1.5), inj()],
    also=["units"],
)

# more single defects of a busy day
add(
    "CL-D25",
    "administration",
    "charge captured from the order but the chart says 'pt declined inj today' (no administration): J3420 + 96372 billed for nothing given (DOMAIN: the claim bills what the chart documents; 96372 one per injection)",
    "PT-C94",
    "2026-03-06",
    MCR,
    ["D51.0"],
    doc(
        "PA maint - pt declined inj today, will RTC next wk",
        ["D51.0"],
        "maintenance",
        [],
        plan=PLAN,
        last_lab="2026-01-12",
    ),
    [j3420(), inj()],
    also=["units", "dose"],
)
add(
    "CL-D26",
    "indication",
    "'premed for MTX': methotrexate is not pemetrexed or pralatrexate, and M06.9 rheumatoid arthritis is not a covered B12 condition (DOMAIN Coverage: premedication for pemetrexed or pralatrexate only)",
    "PT-C95",
    "2026-02-27",
    COM,
    ["M06.9"],
    doc(
        "RA on weekly MTX; B12 shot as premed for MTX per rheum",
        ["M06.9"],
        None,
        [adm("cyanocobalamin", "1000 mcg", "IM", site="L delt", ndc="0517-0031-01")],
        plan=None,
    ),
    [j3420(), inj()],
)
add(
    "CL-D27",
    "frequency",
    "'maintenance q3wk': 21 days after the previous maintenance dose; maintenance no more than once a month (ch.7 40.1.2.4)",
    "PT-C26",
    "2026-02-16",
    MCR,
    ["D51.0"],
    doc(
        "PA maint 500mcg per heme, pt wants q3wk",
        ["D51.0"],
        "maintenance q3wk",
        [adm(CYANO, "0.5 mL", "IM", site="L delt", ndc="0517-0031-01")],
        plan=PLAN,
        last_lab="2025-10-01",
    ),
    [j3420(qty=0.5), inj()],
)
add(
    "CL-D28",
    "diagnosis",
    "'D51.O' (letter O for zero, typed into the charge screen) is not an ICD-10-CM code (DOMAIN ICD-10 validity)",
    "PT-C96",
    "2026-01-23",
    COM2,
    ["D51.O"],
    doc(
        "PA maint",
        ["D51.0"],
        "maintenance",
        [adm("cyanocobalamin", "1000 mcg", "IM", site="L delt", ndc="0517-0031-01")],
        plan=PLAN,
        last_lab="2026-01-02",
    ),
    [j3420(), inj()],
    also=["indication"],
)
add(
    "CL-D29",
    "route",
    "the chart documents IV administration but the claim bills 96372 (SC/IM): IV push is 96374, and cyanocobalamin's label says avoid IV (DOMAIN Route, Route on the label)",
    "PT-C97",
    "2026-02-12",
    MA,
    ["D51.0"],
    doc(
        "PA; gave via existing IV line (infusion pt)",
        ["D51.0"],
        "maintenance",
        [adm("cyanocobalamin", "1000 mcg", "IV", ndc="0517-0031-01")],
        plan=PLAN,
        last_lab="2026-01-02",
    ),
    [j3420(), inj()],
)
add(
    "CL-D30",
    "ndc",
    "Medicaid NDC quantity 30 ML (the whole 30 mL vial) for a 1,000 mcg (1 mL) dose of a 1,000 mcg/mL product: mL ~ mcg / 1000 = 1 (DOMAIN NDC)",
    "PT-C98",
    "2026-03-09",
    MCD,
    ["E53.8", "K90.0"],
    doc(
        "celiac, B12 def",
        ["E53.8", "K90.0"],
        "maintenance",
        [adm("cyanocobalamin", "1000 mcg", "IM", site="R delt", ndc="69680-121-30")],
        plan=PLAN,
        last_lab="2026-01-15",
    ),
    [j3420(ndc=NDC_30, qty=30, ptr=[1, 2]), inj(ptr=[1, 2])],
)
add(
    "CL-D31",
    "modifier",
    "new-patient 99204 beside 96372 without modifier 25: CPT's modifier-25 rule covers 99202-99205 like 99212-99215 (DOMAIN Edits)",
    "PT-C99",
    "2026-01-08",
    COM2,
    ["D51.0", "I10"],
    doc(
        "new pt, PA dx'd elsewhere; establish care + first B12 here",
        ["D51.0"],
        "maintenance",
        [adm("cyanocobalamin", "1000 mcg", "IM", site="L delt", ndc="0517-0031-01")],
        plan=PLAN,
        last_lab="2025-12-20",
    ),
    [ln("99204", 1, [], [1, 2], 220.0), j3420(), inj()],
)
add(
    "CL-P33-1",
    "clean",
    "new-patient 99203-25 with a separately documented problem beside 96372: correct coding (DOMAIN Edits: CPT's modifier-25 rule covers 99202-99205)",
    "PT-C100",
    "2026-01-09",
    COM,
    ["E53.8", "J06.9"],
    doc(
        "new pt; B12 def on monthly inj from prior PCP; URI today",
        ["E53.8"],
        "maintenance",
        [adm("cyanocobalamin", "1000 mcg", "IM", site="R delt", ndc="0517-0031-01")],
        plan=PLAN,
        last_lab="2025-12-01",
    ),
    [ln("99203", 1, ["25"], [2], 170.0), j3420(), inj()],
)

# ---------------------------------------------------------------------------------------------
# Second round: abbreviations beside a complaint, more coverage codes, structured doses, and
# the defects a busy day makes (same-day duplicate charge, IM billed as IV push, half units)
# ---------------------------------------------------------------------------------------------
ROUND2 = [
    # (id, indication text, chart codes, claim dx, dose, why)
    (
        "CL-G01",
        "B12 def, c/o fatigue",
        ["E53.8"],
        ["E53.8"],
        "1000 mcg",
        "'B12 def' (the deficiency, abbreviated) with fatigue as today's complaint: E53.8 supports it",
    ),
    (
        "CL-G02",
        "low B12 (178), tired",
        ["E53.8"],
        ["E53.8"],
        "1000 mcg",
        "'low B12' is the deficiency; 'tired' is a symptom of it, not the purpose",
    ),
    (
        "CL-G03",
        "pernicious anaemia, fatigue",
        ["D51.0"],
        ["D51.0"],
        "1000 mcg",
        "British spelling 'anaemia'; D51.0 supports it",
    ),
    (
        "CL-G04",
        "IF ab +, B12 low - fatigue/energy",
        ["D51.0"],
        ["D51.0"],
        "1000 mcg",
        "intrinsic factor antibodies (pernicious anemia) with fatigue/energy as complaints: D51.0 supports it",
    ),
    (
        "CL-G05",
        "megaloblastic anemia, B12 responsive (MCV 112)",
        ["D53.1"],
        ["D53.1"],
        "1000 mcg",
        "megaloblastic anemia is a specified anemia (DOMAIN Coverage, in full); D53.1 other megaloblastic anemias",
    ),
    (
        "CL-G06",
        "tropical sprue w/ B12 malabsorption",
        ["K90.1"],
        ["K90.1"],
        "1000 mcg",
        "sprue is a named malabsorption syndrome (DOMAIN Coverage, in full); K90.1 tropical sprue",
    ),
    (
        "CL-G07",
        "dumping / postgastric surgery syndrome after Billroth II, B12 low",
        ["K91.1", "E53.8"],
        ["K91.1", "E53.8"],
        "1000 mcg",
        "gastrectomy is a specified GI disorder (DOMAIN Coverage); K91.1 with E53.8",
    ),
    (
        "CL-G08",
        "pregnant, vegan, B12 def (140)",
        ["O99.282", "E53.8"],
        ["O99.282", "E53.8", "Z3A.24"],
        "1000 mcg",
        "a pregnancy-complication code is sequenced first (ICD-10-CM chapter 15); E53.8 after it supports B12",
    ),
    (
        "CL-G09",
        "PA maint",
        ["D51.0", "I10", "E11.9"],
        ["D51.0"],
        {"value": 1, "unit": "mg"},
        "the chart's problem list carries I10 and E11.9 too; the claim bills only the covering D51.0 (a nurse visit codes what it treats); dose as {value: 1, unit: mg}",
    ),
    ("CL-G10", "PA maint", ["D51.0"], ["D51.0"], "1000 µg", "dose '1000 µg' (micro sign, FORMATS)"),
    (
        "CL-G11",
        "B12 def anemia",
        ["D51.9"],
        ["D51.9"],
        {"volume_ml": 1, "concentration": "1 mg/mL"},
        "volume with a concentration in mg/mL (1 mL of 1 mg/mL = 1,000 mcg)",
    ),
    (
        "CL-G12",
        "TC II deficiency (genetic), lifelong B12",
        ["D51.2"],
        ["D51.2"],
        "1000 mcg",
        "transcobalamin II deficiency D51.2 is a B12-deficiency anemia (D51.x, DOMAIN Coverage)",
    ),
]
for n, (eid, ind, codes, dx, dose, why) in enumerate(ROUND2, start=110):
    add(
        eid,
        "clean",
        f"{why}; covered (DOMAIN Coverage), monthly maintenance, payable",
        f"PT-C{n}",
        f"2026-04-{n - 105:02d}",
        [MCR, MA, COM, MCD][n % 4],
        dx,
        doc(
            ind,
            codes,
            "maintenance",
            [adm("cyanocobalamin", dose, "IM", site="R delt", ndc="0517-0031-01")],
            plan=PLAN,
            last_lab="2026-03-01",
        ),
        [
            j3420(ptr=list(range(1, min(len(dx), 2) + 1))),
            inj(ptr=list(range(1, min(len(dx), 2) + 1))),
        ],
    )

# same-day duplicate: the nurse visit and the provider visit each dropped a B12 charge
add(
    "CL-P34-1",
    "frequency",
    "the nurse's claim of a dose a second claim (CL-D32) bills again on the same date: J3420's MUE is a date-of-service edit (MAI 3: over 1 unit on the date, all units deny), so each claim of the date carries the defect; b12lint reports the 0-day interval here (same-date events are ordered by encounter id, so input order does not matter)",
    "PT-C130",
    "2026-04-14",
    MCR,
    ["D51.0"],
    doc(
        "PA maint",
        ["D51.0"],
        "maintenance",
        [adm("cyanocobalamin", "1000 mcg", "IM", site="L delt", ndc="0517-0031-01")],
        plan=PLAN,
        last_lab="2026-03-01",
    ),
    [j3420(), inj()],
    also=["units"],
)
add(
    "CL-D32",
    "frequency",
    "a second claim for the same patient's same-day dose (the provider's visit note copied the nurse's administration): J3420 MUE 1 unit per date of service, a date-of-service edit across claims, and one injection given (DOMAIN MUE, Units of administration)",
    "PT-C130",
    "2026-04-14",
    MCR,
    ["D51.0", "I10"],
    doc(
        "PA maint (B12 given by RN this AM); HTN f/u",
        ["D51.0"],
        "maintenance",
        [adm("cyanocobalamin", "1000 mcg", "IM", site="L delt", ndc="0517-0031-01")],
        plan=PLAN,
        last_lab="2026-03-01",
    ),
    [ln("99213", 1, ["25"], [2], 110.0), j3420(), inj()],
    also=["frequency"],
)
add(
    "CL-D33",
    "route",
    "the chart documents IM but the claim bills 96374 (IV push): 96372 is the IM/SC injection, 96374 the IV push (DOMAIN Billing, Route)",
    "PT-C131",
    "2026-04-16",
    COM,
    ["E53.8"],
    doc(
        "B12 def maint",
        ["E53.8"],
        "maintenance",
        [adm("cyanocobalamin", "1000 mcg", "IM", site="L delt", ndc="0517-0031-01")],
        plan=PLAN,
        last_lab="2026-03-01",
    ),
    [j3420(), ln("96374", 1, [], [1], 60.0)],
    also=["administration"],
)
add(
    "CL-D34",
    "units",
    "J3420 billed 0.5 units for 500 mcg: J3420 is 'up to 1,000 mcg', units = ceil(mcg / 1000) = 1 (DOMAIN Billing)",
    "PT-C132",
    "2026-04-17",
    MA,
    ["D51.0"],
    doc(
        "PA maint 500mcg",
        ["D51.0"],
        "maintenance",
        [adm(CYANO, "0.5 mL", "IM", site="L delt", ndc="0517-0031-01")],
        plan=PLAN,
        last_lab="2026-03-01",
    ),
    [j3420(units=0.5, qty=0.5), inj()],
)
add(
    "CL-D35",
    "indication",
    "D53.2 scorbutic anemia (vitamin C deficiency) is not a B12 indication: not among the specified anemias (pernicious, megaloblastic, macrocytic, fish tapeworm) (DOMAIN Coverage, in full)",
    "PT-C133",
    "2026-04-20",
    MCR,
    ["D53.2"],
    doc(
        "scorbutic anemia, poor diet",
        ["D53.2"],
        None,
        [adm("cyanocobalamin", "1000 mcg", "IM", site="L delt", ndc="0517-0031-01")],
        plan=None,
    ),
    [j3420(), inj()],
)
add(
    "CL-D36",
    "indication",
    "E44.0 moderate protein-calorie malnutrition is not the severe malnutrition the LCD lists (DOMAIN Coverage, in full: severe protein-calorie malnutrition); Medicaid, no B12 deficiency documented",
    "PT-C134",
    "2026-04-21",
    MCD,
    ["E44.0"],
    doc(
        "moderate malnutrition, B12 nl (450)",
        ["E44.0"],
        None,
        [adm("cyanocobalamin", "1000 mcg", "IM", site="L delt", ndc="0517-0031-01")],
        plan=None,
    ),
    [j3420(ndc=NDC_AR), inj()],
)

# ---------------------------------------------------------------------------------------------
# Third round: the nurse's dose, route, phase and drug lines exactly as typed in the MAR
# (each its own patient, D51.0 covered, monthly maintenance, payable)
# ---------------------------------------------------------------------------------------------
TYPED = [
    # (id, field, text, why)
    ("CL-H01", "dose", "1000mcg x1", "a count of one after the dose ('x1')"),
    ("CL-H02", "dose", "1000 mcg once", "'once' after the dose"),
    ("CL-H03", "dose", "1000 mcg (1 mg)", "the same dose in two units"),
    ("CL-H04", "dose", "1 mL = 1000 mcg", "volume and amount as an equation"),
    (
        "CL-H05",
        "dose",
        "1 mL of B12 (1000mcg/mL)",
        "volume of the drug with its strength in parentheses",
    ),
    (
        "CL-H06",
        "dose",
        "1000 mcg/1 mL vial, 1 mL given",
        "the vial's strength, then the volume given",
    ),
    (
        "CL-H07",
        "dose",
        "1000mcg (1mL) IM L delt",
        "amount, volume note, route and site in the dose field",
    ),
    ("CL-H08", "route", "IM R VL", "vastus lateralis abbreviated VL"),
    ("CL-H09", "route", "IM - LUOQ", "left upper outer quadrant (of the buttock)"),
    ("CL-H10", "route", "IM L DG", "dorsogluteal abbreviated DG"),
    (
        "CL-H11",
        "route",
        "IM - L deltoid - 25G 1 inch",
        "the needle's gauge and length after the site",
    ),
    ("CL-H12", "route", "left deltoid, intramuscular", "site first, route spelled out"),
    ("CL-H13", "phase", "1x/month", "a count per period: once a month"),
    ("CL-H14", "phase", "chronic maintenance", "'chronic' beside the phase word"),
    ("CL-H15", "phase", "monthly, indefinitely", "'indefinitely' beside the phase word"),
    ("CL-H16", "phase", "maintenance, last dose 3/2", "the last dose's date beside the phase word"),
    ("CL-H17", "phase", "Maintenance (monthly)", "phase with its schedule in parentheses"),
    ("CL-H18", "drug", "B 12", "'B 12' with a space"),
    ("CL-H19", "drug", "CYANOCOBALAMIN 1000 MCG/ML IJ SOLN", "the EHR formulary name (IJ SOLN)"),
    ("CL-H20", "drug", "Vit. B-12", "'Vit. B-12'"),
]
for n, (eid, field_, text, why) in enumerate(TYPED, start=140):
    fields = {"drug": "cyanocobalamin", "dose": "1000 mcg", "route": "IM", "phase": "maintenance"}
    fields[field_] = text
    add(
        eid,
        "clean",
        f"{field_} typed '{text}': {why}; DOMAIN: charts write doses and routes in many ways ('IM (L deltoid)', '1 mL of 1000 mcg/mL'); D51.0 covered, monthly, payable",
        f"PT-C{n}",
        f"2026-05-{n - 135:02d}",
        [MCR, MA, COM, MCD][n % 4],
        ["D51.0"],
        doc(
            "pernicious anemia",
            ["D51.0"],
            fields["phase"],
            [adm(fields["drug"], fields["dose"], fields["route"], ndc="0517-0031-01")],
            plan=PLAN,
            last_lab="2026-03-01",
        ),
        [j3420(), inj()],
    )

# ---------------------------------------------------------------------------------------------
# Fourth round: charge-entry slips of a busy day (one defect each, b12lint must say so)
# ---------------------------------------------------------------------------------------------
HYDROXO_ADM = adm("hydroxocobalamin", "1000 mcg", "IM", site="L delt", ndc="0591-2888-30")
CYANO_ADM = adm("cyanocobalamin", "1000 mcg", "IM", site="L delt", ndc="0517-0031-01")
SLIPS: list[
    tuple[str, str, str, dict[str, str], list[str], dict[str, Any], list[dict[str, Any]], list[str]]
] = [
    (
        "CL-E01",
        "units",
        "J3425 billed 1000 units for 1,000 mcg (units typed as mcg): J3425 is per 10 mcg, 100 units (DOMAIN Billing)",
        MCR,
        ["D51.0"],
        HYDROXO_ADM,
        [ln("J3425", 1000, [], [1], 30.0, ndc=NDC_HY, ndc_quantity=1, ndc_unit="ML"), inj()],
        [],
    ),
    (
        "CL-E02",
        "route",
        "oral B12 given in the office (PO) and billed 96372: oral B12 is self-administered, not 96372 (DOMAIN Route, Noridian L33502)",
        COM,
        ["E53.8"],
        adm("cyanocobalamin", "1000 mcg", "PO"),
        [inj()],
        ["administration"],
    ),
    (
        "CL-E03",
        "diagnosis",
        "the B12 lines point only to G63 (pointer 2), a 'code first' manifestation, not to E53.8 that supports B12 (DOMAIN Diagnosis pointers: lines point to the covering diagnosis)",
        MCR,
        ["E53.8", "G63"],
        CYANO_ADM,
        [j3420(ptr=[2]), inj(ptr=[2])],
        [],
    ),
    (
        "CL-E04",
        "diagnosis",
        "'D51.00' (an extra digit) is not an ICD-10-CM code (DOMAIN ICD-10 validity)",
        MA,
        ["D51.00"],
        CYANO_ADM,
        [j3420(), inj()],
        ["indication"],
    ),
    (
        "CL-E05",
        "modifier",
        "JW (discarded drug) on J3420 from a multiple-dose vial: JW/JZ are for single-dose containers, multi-dose vials need neither, and their remainder is not waste (DOMAIN JW/JZ)",
        MCR,
        ["D51.0"],
        CYANO_ADM,
        [j3420(mods=["JW"]), inj()],
        [],
    ),
    (
        "CL-E06",
        "diagnosis",
        "the B12 lines carry no diagnosis pointer (the charge screen's pointer left blank): each line points to 1-4 diagnoses (DOMAIN Diagnosis pointers)",
        COM2,
        ["D51.0"],
        CYANO_ADM,
        [{**j3420(), "dx_pointers": []}, {**inj(), "dx_pointers": []}],
        [],
    ),
    (
        "CL-E07",
        "units",
        "96372 billed 0 units for one documented injection: one unit per injection (DOMAIN Units of administration)",
        MCD,
        ["D51.0"],
        CYANO_ADM,
        [j3420(), inj(units=0)],
        [],
    ),
    (
        "CL-E08",
        "units",
        "J3420 billed 0 units for 1,000 mcg: units = ceil(1000/1000) = 1 (DOMAIN Billing)",
        MA,
        ["D51.0"],
        CYANO_ADM,
        [j3420(units=0), inj()],
        [],
    ),
    (
        "CL-E09",
        "indication",
        "wellness visit B12 to a Medicare Advantage plan with GZ: no ABN logic for MA, the non-coverage stays an error (DOMAIN Payer facts)",
        MA,
        ["Z00.00"],
        CYANO_ADM,
        [j3420(mods=["GZ"]), inj(mods=["GZ"])],
        [],
    ),
    (
        "CL-E10",
        "ndc",
        "Medicaid drug line NDC written 5-4-2 with hyphens ('00517-0031-01'): the billing form is 11 digits without hyphens (DOMAIN NDC)",
        MCD,
        ["D51.0"],
        CYANO_ADM,
        [j3420(ndc="00517-0031-01"), inj()],
        [],
    ),
]
for n, (eid, expect, note, payer, dx, admin, lines_, also) in enumerate(SLIPS, start=170):
    add(
        eid,
        expect,
        note,
        f"PT-C{n}",
        f"2026-06-{n - 168:02d}",
        payer,
        dx,
        doc(
            "B12 therapy per chart",
            dx[:1] if dx[0] not in ("D51.00",) else ["D51.0"],
            "maintenance",
            [admin],
            plan=PLAN,
            last_lab="2026-03-01",
        ),
        lines_,
        also=also,
    )
add(
    "CL-P35-1",
    "clean",
    "commercial B12 line without an NDC: DOMAIN makes a missing NDC an error for Medicaid only ('most commercial payers require it too' is payer-pack policy, not b12-core's): at most an info here",
    "PT-C181",
    "2026-06-15",
    COM,
    ["D51.0"],
    doc(
        "PA maint",
        ["D51.0"],
        "maintenance",
        [adm("cyanocobalamin", "1000 mcg", "IM", site="L delt")],
        plan=PLAN,
        last_lab="2026-03-01",
    ),
    [j3420(ndc=None), inj()],
)

# ---------------------------------------------------------------------------------------------
# Fifth round: loading courses as templates number them, labs as reports name them, re-loading
# ---------------------------------------------------------------------------------------------
# PT-C190: weekly loading for 6 weeks, the lab report's name "Vit B12 level", still low at wk 4
for i, day in enumerate(
    ["2026-01-05", "2026-01-12", "2026-01-19", "2026-01-26", "2026-02-02", "2026-02-09"]
):
    labs190 = [lab("Vit B12 level", 121, "pg/mL", "2026-01-02")]
    if i >= 3:
        labs190.append(lab("Vit B12 level", 176, "pg/mL", "2026-01-23"))
    add(
        f"CL-P40-{i + 1}",
        "clean",
        "weekly loading past 4 weeks while the charted B12 ('Vit B12 level', as the lab report names it) is still low: repletion ends on labs (DOMAIN Coverage, in full: ch.7 40.1.2.4)",
        "PT-C190",
        day,
        MCR,
        ["D51.0"],
        doc(
            "PA, B12 121",
            ["D51.0"],
            "loading",
            [adm("cyanocobalamin", "1000 mcg", "IM", site="L delt", ndc="0517-0031-01")],
            plan="recheck B12 in 3 wk",
            labs=labs190,
        ),
        [j3420(), inj()],
    )
# PT-C191: the template numbers the loading injections ("injection 2 of 4")
for i, day in enumerate(["2026-02-02", "2026-02-09", "2026-02-16", "2026-02-23"]):
    add(
        f"CL-P41-{i + 1}",
        "clean",
        f"weekly injections charted 'injection {i + 1} of 4': a numbered course of four is the loading series (DOMAIN Phase: repletion often weekly for 1-4 weeks), like 'B12 series 1/4'; E53.8 covered",
        "PT-C191",
        day,
        COM,
        ["E53.8"],
        doc(
            "B12 def (132) on metformin",
            ["E53.8"],
            f"injection {i + 1} of 4",
            [adm("cyanocobalamin", "1000 mcg", "IM", site="R delt", ndc="0517-0031-01")],
            plan="B12 after series",
            labs=[lab("B12", 132, "pg/mL", "2026-01-28")],
        ),
        [j3420(), inj()],
    )
# PT-C192: monthly maintenance, then the level falls and the doctor orders a re-load
for i, (day, phase, b12) in enumerate(
    [
        ("2026-01-06", "maintenance", 420),
        ("2026-02-03", "maintenance", 420),
        ("2026-03-10", "re-load weekly x4", 152),
        ("2026-03-17", "re-load weekly x4", 152),
        ("2026-03-24", "re-load weekly x4", 152),
    ]
):
    add(
        f"CL-P42-{i + 1}",
        "clean",
        "monthly maintenance, then a re-load ('re-load weekly x4') after the B12 fell to 152: 'more frequent injections would be appropriate in the initial or acute phase' until labs show maintenance suffices (DOMAIN Coverage, in full); D51.0 covered",
        "PT-C192",
        day,
        MA,
        ["D51.0"],
        doc(
            "PA" + ("; B12 down to 152 on monthly, re-load" if b12 < 200 else ""),
            ["D51.0"],
            phase,
            [adm("cyanocobalamin", "1000 mcg", "IM", site="L delt", ndc="0517-0031-01")],
            plan=PLAN,
            labs=[lab("B12", b12, "pg/mL", "2026-03-06" if b12 < 200 else "2025-12-30")],
        ),
        [j3420(), inj()],
    )

# ---------------------------------------------------------------------------------------------
# Sixth round: a record without its patient id cannot be judged across visits: it must say so
# ---------------------------------------------------------------------------------------------
for i, day in enumerate(["2026-06-02", "2026-06-09"], start=1):
    add(
        f"CL-U0{i}",
        "clean",
        "no patient_id (the integration dropped it): the weekly interval of this 'maintenance' dose cannot be judged across visits; FORMATS: a check that could not run is an info finding in its own category saying what was not checked and why (no error or warning can be right, an info in frequency must be there)",
        "",
        day,
        MCR,
        ["D51.0"],
        doc(
            "PA maint",
            ["D51.0"],
            "maintenance",
            [adm("cyanocobalamin", "1000 mcg", "IM", site="L delt", ndc="0517-0031-01")],
            plan=PLAN,
            last_lab="2026-03-01",
        ),
        [j3420(), inj()],
        info="frequency",
    )

# ---------------------------------------------------------------------------------------------
# A day's charge export as CSV (EHR layout, default headers) + the nurse charts beside it
# ---------------------------------------------------------------------------------------------
CSV_ROWS: list[dict[str, Any]] = []
CHART: list[dict[str, Any]] = []
CSV_EXP: dict[str, dict[str, Any]] = {}


def csv_enc(
    eid: str,
    expect: str,
    note: str,
    pt: str,
    dos: str,
    payer: dict[str, str],
    dx: str,
    rows: list[dict[str, Any]],
    chart: dict[str, Any] | None,
    pos: str = "11",
) -> None:
    for r in rows:
        CSV_ROWS.append(
            {
                "encounter_id": eid,
                "patient_id": pt,
                "date_of_service": dos,
                "place_of_service": pos,
                "rendering_npi": NPI_MD,
                "payer_id": payer["id"],
                "payer_name": payer["name"],
                "payer_type": payer["type"],
                "diagnoses": dx,
                **r,
            }
        )
    if chart is not None:
        CHART.append({"encounter_id": eid, "documentation": chart})
    CSV_EXP[eid] = {"expect": expect, "note": note}


def row(
    code: str,
    units: str = "1",
    mods: str = "",
    ptr: str = "A",
    ndc: str = "",
    qty: str = "",
    unit: str = "",
    charge: str = "25.00",
) -> dict[str, str]:
    return {
        "code": code,
        "units": units,
        "modifiers": mods,
        "dx_pointers": ptr,
        "ndc": ndc,
        "ndc_quantity": qty,
        "ndc_unit": unit,
        "charge": charge,
    }


csv_enc(
    "CSV-101",
    "ndc",
    "the export writes the NDC hyphenated (00517-0031-01): the billing form is 11 digits 5-4-2 without hyphens (DOMAIN NDC); otherwise D51.0 covered (no dots), letter pointers",
    "PT-C60",
    "2026-03-02",
    MCR,
    "D510",
    [
        row("J3420", "1.0", ptr="A", ndc="00517-0031-01", qty="1", unit="ML", charge="12.00"),
        row("96372", "1.0", ptr="A", charge="28.00"),
    ],
    doc(
        "PA maint",
        ["D51.0"],
        "monthly",
        [adm("B12 1000mcg/ml inj", "1 mL", "IM (L deltoid)")],
        plan=PLAN,
        last_lab="2026-01-05",
    ),
)
csv_enc(
    "CSV-102",
    "clean",
    "E53.8 + Z98.84 (bariatric) covered, pointers 'AB'; 99213-25 separately documented (DOMAIN Edits)",
    "PT-C61",
    "2026-03-02",
    COM,
    "E538;Z9884;E669",
    [
        row("99213", mods="25", ptr="C", charge="110.00"),
        row("J3420", ptr="AB", ndc="00517003101", qty="1", unit="ML", charge="12.00"),
        row("96372", ptr="AB", charge="28.00"),
    ],
    doc(
        "B12 def s/p gastric sleeve; obesity f/u today",
        ["E53.8", "Z98.84"],
        "maintenance",
        [adm("cyanocobalamin", "1000 mcg", "IM", site="R delt")],
        plan=PLAN,
        last_lab="2026-02-01",
    ),
)
csv_enc(
    "CSV-103",
    "clean",
    "Medicaid, Crohn's K50.90 (any site incl. unspecified), NDC present; SQ",
    "PT-C62",
    "2026-03-02",
    MCD,
    "K5090",
    [
        row("J3420", ndc="63323004441", qty="1", unit="ML", charge="12.00"),
        row("96372", charge="28.00"),
    ],
    doc(
        "Crohn's, B12 low",
        ["K50.90"],
        "maintenance",
        [adm("cyanocobalamin", "1mg", "SQ", site="abd")],
        plan=PLAN,
        last_lab="2026-01-15",
    ),
)
csv_enc(
    "CSV-104",
    "clean",
    "flu shot visit: not B12",
    "PT-C63",
    "2026-03-02",
    MA,
    "Z23",
    [row("90662", charge="70.00"), row("G0008", charge="30.00")],
    None,
)
csv_enc(
    "CSV-105",
    "indication",
    "Z00.00 wellness exam with a B12 shot for 'energy': wellness/energy excluded (DOMAIN Clinical intent); commercial",
    "PT-C64",
    "2026-03-02",
    COM2,
    "Z0000",
    [
        row("J3420", ndc="00517003101", qty="1", unit="ML", charge="12.00"),
        row("96372", charge="28.00"),
    ],
    doc(
        "annual wellness; pt wants B12 shot for energy",
        ["Z00.00"],
        None,
        [adm("cyanocobalamin", "1000 mcg", "IM", site="L delt")],
        plan=None,
    ),
)
csv_enc(
    "CSV-107",
    "diagnosis",
    "J3420 points to E (letter pointer 5) on a claim of 4 diagnoses: pointers must exist on the claim (DOMAIN Diagnosis pointers)",
    "PT-C66",
    "2026-03-02",
    MCR,
    "D510;I10;E785;E119",
    [
        row("J3420", ptr="AE", ndc="00517003101", qty="1", unit="ML", charge="12.00"),
        row("96372", ptr="A", charge="28.00"),
    ],
    doc(
        "PA maint",
        ["D51.0"],
        "monthly",
        [adm("cyanocobalamin", "1000 mcg", "IM")],
        plan=PLAN,
        last_lab="2026-01-05",
    ),
)
csv_enc(
    "CSV-108",
    "units",
    "the export writes the modifier after the code ('J3420-KX', as its CPT column does): J3420 billed 2 units for 1,000 mcg charted, units = ceil(mcg/1000) = 1 (DOMAIN Billing; MUE 1)",
    "PT-C67",
    "2026-03-02",
    MCD,
    "D519",
    [
        row("J3420-KX", "2", ndc="00517003101", qty="1", unit="ML", charge="24.00"),
        row("96372", charge="28.00"),
    ],
    doc(
        "B12 def anemia maint",
        ["D51.9"],
        "maintenance",
        [adm("cyanocobalamin", "1000 mcg", "IM")],
        plan=PLAN,
        last_lab="2026-01-05",
    ),
)
csv_enc(
    "CSV-106",
    "units",
    "J3420 x2 for 1 mL (1,000 mcg) charted: units = ceil(mcg/1000) = 1 (DOMAIN Billing)",
    "PT-C65",
    "2026-03-02",
    MCR,
    "D519",
    [
        row("J3420", "2", ndc="00517003101", qty="1", unit="ML", charge="24.00"),
        row("96372", charge="28.00"),
    ],
    doc(
        "B12 def anemia maint",
        ["D51.9"],
        "maintenance",
        [adm(CYANO, "1 mL", "IM L delt")],
        plan=PLAN,
        last_lab="2026-01-05",
    ),
)


def main() -> None:
    ids = [r["encounter_id"] for r in ENC]
    assert len(ids) == len(set(ids))
    for eid, why in XF.items():
        (EXP if eid in EXP else CSV_EXP)[eid]["xfail"] = why
    with (HERE / "encounters.jsonl").open("w", encoding="utf-8") as fh:
        for rec in ENC:
            fh.write(json.dumps(rec, separators=(",", ":")) + "\n")
    written = {key for row in CSV_ROWS for key in row}
    fields = [name for name in FIELDS if name in written]  # the export's columns, in FIELDS order
    with (HERE / "claims.csv").open("w", encoding="utf-8", newline="") as fh:
        w = csv.DictWriter(fh, fieldnames=fields)
        w.writeheader()
        w.writerows(CSV_ROWS)
    with (HERE / "claims.chart.jsonl").open("w", encoding="utf-8") as fh:
        for rec in CHART:
            fh.write(json.dumps(rec, separators=(",", ":")) + "\n")
    header = (
        "# Expected outcome per encounter of tests/realistic_clinic/ (encounters.jsonl; claims.csv with\n"
        "# claims.chart.jsonl), written from ../shared/DOMAIN.md before reading rules/ or b12lint/:\n"
        "# `clean` (no error or warning) or the FORMATS.md category of the one defect, with the policy it\n"
        "# rests on; `also` lists other categories that same defect legitimately raises; `xfail` says\n"
        "# why b12lint is wrong on it. Generated by build_set.py.\n"
    )
    body = yaml.safe_dump(
        {"encounters": EXP, "csv": CSV_EXP}, sort_keys=False, allow_unicode=True, width=200
    )
    (HERE / "expected.yaml").write_text(header + body, encoding="utf-8")
    n = len(EXP) + len(CSV_EXP)
    clean = sum(1 for e in [*EXP.values(), *CSV_EXP.values()] if e["expect"] == "clean")
    print(
        f"{len(EXP)} native + {len(CSV_EXP)} CSV encounters ({clean} clean, {n - clean} defective)"
    )


if __name__ == "__main__":
    main()
