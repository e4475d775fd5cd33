"""Judge the built-in pack on the realistic set (shared by the test and the recall script)."""

from __future__ import annotations

import json
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

from b12lint.engine.linter import run
from b12lint.model.finding import Finding

HERE = Path(__file__).resolve().parent
ENCOUNTERS = HERE / "encounters.jsonl"
EXPECTED = HERE / "expected.yaml"

#: Severities that count: a clean encounter must have none, a defect needs one in its category.
BLOCKING = ("error", "warning")


@dataclass(frozen=True, slots=True)
class Case:
    """One encounter's expectation."""

    encounter_id: str
    expect: str
    note: str
    xfail: str | None


@dataclass(slots=True)
class Verdict:
    """How the pack did on one case."""

    case: Case
    findings: list[Finding] = field(default_factory=list)

    @property
    def blocking(self) -> list[Finding]:
        """The error and warning findings."""
        return [f for f in self.findings if f.severity in BLOCKING]

    @property
    def ok(self) -> bool:
        """Clean: nothing blocking; defect: a blocking finding of the labelled category."""
        if self.case.expect == "clean":
            return not self.blocking
        return any(f.category == self.case.expect for f in self.blocking)


def load_records() -> list[dict[str, Any]]:
    """The encounters, in file order."""
    with ENCOUNTERS.open(encoding="utf-8") as handle:
        return [json.loads(line) for line in handle if line.strip()]


def load_cases() -> list[Case]:
    """The expectations, in file order."""
    data = yaml.safe_load(EXPECTED.read_text(encoding="utf-8"))
    return [
        Case(eid, str(entry["expect"]), str(entry.get("note", "")), entry.get("xfail"))
        for eid, entry in data.items()
    ]


def judge(records: Iterable[dict[str, Any]] | None = None) -> list[Verdict]:
    """Check the whole set as one batch (history across visits) and judge each case."""
    result = run(load_records() if records is None else records)
    verdicts = {case.encounter_id: Verdict(case) for case in load_cases()}
    for finding in result.findings:
        verdict = verdicts.get(finding.encounter_id or "")
        if verdict is not None:
            verdict.findings.append(finding)
    return list(verdicts.values())
