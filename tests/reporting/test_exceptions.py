"""Configured exceptions: matching by rule/encounter/provider, reasons, expiry, unused ones."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

import pytest
from report_batch import Check, finding

from b12lint.suppress.exceptions import ExceptionConfigError, apply, parse


def configure(tmp_path: Path, toml: str) -> None:
    (tmp_path / "b12lint.toml").write_text(toml, encoding="utf-8")


def rules(check: Check, *args: str) -> list[tuple[str, str | None]]:
    out = json.loads(check(*args, "-f", "json").stdout)
    return [(f["rule_id"], f["encounter_id"]) for f in out["findings"]]


def test_rule_encounter_and_provider_exceptions(check: Check, batch: Path, tmp_path: Path) -> None:
    configure(
        tmp_path,
        """
[[exceptions]]
rule = "B12-UNITS"            # a prefix: both units rules
encounter = "ENC-BRAVO-0003"
reason = "payer confirmed the 2,000 mcg order in writing"

[[exceptions]]
provider = "1234567890"
reason = "NPI correction filed"
expires = 2999-12-31
""",
    )
    result = check(str(batch), "-f", "json")
    doc = json.loads(result.stdout)
    assert [(f["rule_id"], f["encounter_id"]) for f in doc["findings"]] == [
        ("B12-FREQ-001", "ENC-ALPHA-0002"),
        ("B12-INPUT-001", None),
        ("B12-INPUT-002", "ENC-FOXTROT-0007"),
    ]
    assert doc["summary"]["suppressed"] == 3
    assert doc["summary"]["by_severity"]["error"] == 3
    shown = check(str(batch), "--show-suppressed").stdout
    assert (
        "suppressed (exception 1: payer confirmed the 2,000 mcg order in writing): "
        "claims/batch.jsonl:3: ENC-BRAVO-0003 B12-UNITS-001"
    ) in shown


def test_expired_and_unused_exceptions_are_noted(check: Check, batch: Path, tmp_path: Path) -> None:
    configure(
        tmp_path,
        """
[[exceptions]]
rule = "B12-PROV-001"
reason = "old agreement"
expires = 2020-01-31

[[exceptions]]
rule = "B12-DX-001"
reason = "nothing to match"
""",
    )
    result = check(str(batch))
    assert ("ENC-CHARLIE-0004 B12-PROV-001") in result.stdout  # reported again
    assert (
        "note: exception 1 (rule B12-PROV-001) expired on 2020-01-31: its findings are "
        "reported again (reason was: old agreement)"
    ) in result.stdout
    assert "note: exception 2 (rule B12-DX-001) matched no finding" in result.stdout
    assert result.exit_code == 1


def test_exceptions_do_not_hide_other_encounters(check: Check, batch: Path, tmp_path: Path) -> None:
    configure(tmp_path, '[[exceptions]]\nencounter = "ENC-ALPHA-0001"\nreason = "r"\n')
    assert ("B12-FREQ-001", "ENC-ALPHA-0002") in rules(check, str(batch))


@pytest.mark.parametrize(
    ("toml", "problem"),
    [
        ('[[exceptions]]\nrule = "B12-UNITS-001"\n', "'reason' is a required property"),
        ('[[exceptions]]\nrule = "B12-UNITS-001"\nreason = ""\n', "reason"),
        ('[[exceptions]]\nreason = "why"\n', "exceptions.0"),
        ('[[exceptions]]\nrule = "X"\nreason = "r"\nexpires = "soon"\n', "is not a 'date'"),
        ('[[exceptions]]\nrule = "X"\nreason = "r"\nuntil = 2026-01-01\n', "'exceptions.0.until'"),
    ],
)
def test_bad_exception_is_exit_2(
    toml: str, problem: str, check: Check, batch: Path, tmp_path: Path
) -> None:
    configure(tmp_path, toml)
    result = check(str(batch))
    assert result.exit_code == 2, result.output
    assert result.stderr.startswith("b12lint: error: invalid configuration")
    assert problem in result.stderr


def test_matching_rules() -> None:
    entries = parse(
        [
            {"rule": "b12-units", "reason": "prefix, any case"},
            {"encounter": "E2", "provider": "111", "reason": "both must match"},
        ]
    )
    findings = [
        finding("B12-UNITS-001", "E1", "999"),
        finding("B12-UNITSX-001", "E1", "999"),  # a prefix matches whole id parts only
        finding("B12-DX-001", "E2", "111"),
        finding("B12-DX-001", "E2", "222"),
    ]
    out = apply(findings, entries, dt.date(2026, 1, 1))
    assert [f.rule_id for f in out.suppressed] == ["B12-UNITS-001", "B12-DX-001"]
    assert [f.context.rendering_npi for f in out.kept if f.context] == ["999", "222"]
    assert out.suppressed[1].suppressed_by == "exception 2: both must match"


def test_expiry_is_inclusive() -> None:
    entries = parse([{"rule": "R", "reason": "r", "expires": "2026-03-31"}])
    one = finding("R", "E", None)
    assert apply([one], entries, dt.date(2026, 3, 31)).suppressed
    late = apply([one], entries, dt.date(2026, 4, 1))
    assert late.kept == [one] and late.expired == entries


def test_library_parse_rejects_what_the_schema_would() -> None:
    with pytest.raises(ExceptionConfigError, match="reason"):
        parse([{"rule": "R"}])
    with pytest.raises(ExceptionConfigError, match="at least one of"):
        parse([{"reason": "r"}])
    with pytest.raises(ExceptionConfigError, match="expires"):
        parse([{"rule": "R", "reason": "r", "expires": "31/03/2026"}])
