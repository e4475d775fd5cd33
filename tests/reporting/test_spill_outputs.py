"""Findings spilled to disk (a threshold of one) give every format the same bytes as findings
kept in memory, through exceptions, a baseline, ``--show-suppressed`` and ``--redact``."""

from __future__ import annotations

from pathlib import Path

from report_batch import Check

FORMATS = ("json", "jsonl", "text", "csv", "github", "junit", "sarif", "html")

EXCEPTIONS = """
[[exceptions]]
rule = "B12-UNITS"
encounter = "ENC-BRAVO-0003"
reason = "payer confirmed the order in writing"

[[exceptions]]
provider = "1234567890"
reason = "NPI correction filed"
"""


def outputs(check: Check, tmp_path: Path, name: str, env: dict[str, str], *args: str) -> dict:
    folder = tmp_path / name
    folder.mkdir()
    pairs: list[str] = []
    for fmt in FORMATS:
        pairs += ["-f", fmt, "-o", str(folder / fmt)]
    result = check(*args, *pairs, env={"B12LINT_REDACT_KEY": "k" * 32, **env})
    assert result.exit_code in (0, 1), result.output
    return {fmt: (folder / fmt).read_bytes() for fmt in FORMATS} | {"err": result.stderr}


def test_spilled_findings_every_format_the_same(check: Check, batch: Path, tmp_path: Path) -> None:
    (tmp_path / "b12lint.toml").write_text(EXCEPTIONS, encoding="utf-8")
    base = tmp_path / "baseline.json"
    # the baseline accepts today's findings but one rule's, so both kinds of suppression show
    wrote = check(str(batch), "--write-baseline", str(base), "--ignore", "B12-UNITS,B12-FREQ")
    assert wrote.exit_code in (0, 1) and base.is_file(), wrote.output
    spill = {"B12LINT_SPILL_THRESHOLD": "1"}
    for extra in ((), ("--redact",)):
        args = (str(batch), "--baseline", str(base), "--show-suppressed", *extra)
        memory = outputs(check, tmp_path, f"memory{len(extra)}", {}, *args)
        spilled = outputs(check, tmp_path, f"spilled{len(extra)}", spill, *args)
        assert spilled == memory
        assert b'"rule_id"' in memory["json"] and b"suppressed_by" not in memory["json"]
        assert b"exception 1" in memory["text"] and b"baseline" in memory["text"]
