"""--redact: no original id or free text in any format; stable hashes with a key."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest
from report_batch import FORMATS, SECRETS, Check

from b12lint.redact import Hasher, Scrubber

KEY = {"B12LINT_REDACT_KEY": "correct horse battery staple"}

#: A pack whose message names free text, as a payer pack might.
TEXT_RULE = """\
id: X-TEXT-001
name: indication-echo
severity: warning
category: indication
summary: Echoes the indication and site
message: "Indication {documentation.indication} at {adm.site}"
rationale: A test rule that puts free text into its message.
references: [{title: test}]
effective: {from: 2000-01-01}
for_each: {of: $administrations, as: adm}
when: {exists: $documentation.indication}
examples:
  fail:
    - documentation: {indication: x, administrations: [{drug: cyanocobalamin, dose: 1000 mcg}]}
      lines: [{code: J3420, units: 1}]
  pass:
    - documentation: {administrations: [{drug: cyanocobalamin, dose: 1000 mcg}]}
      lines: [{code: J3420, units: 1}]
"""


@pytest.fixture
def text_pack(tmp_path: Path) -> str:
    pack = tmp_path / "echo-pack"
    pack.mkdir()
    (pack / "X-TEXT-001.yaml").write_text(TEXT_RULE, encoding="utf-8")
    return str(pack.relative_to(tmp_path))


def test_the_batch_really_exposes_the_secrets(check: Check, batch: Path, text_pack: str) -> None:
    """Without --redact the outputs do carry the values the next test looks for."""
    out = check(str(batch), "--rules", text_pack, "-f", "html").stdout
    for secret in ("ENC-ALPHA-0001", "ENC-BRAVO-0003", "Jane Roe", "left deltoid near mole"):
        assert secret in out


def test_no_original_id_in_any_format(
    check: Check, batch: Path, text_pack: str, tmp_path: Path
) -> None:
    args = ["--redact", "--rules", text_pack]
    for fmt in FORMATS:
        args += ["--format", fmt, "--output", f"out.{fmt}"]
    result = check(str(batch), *args, env=KEY)
    assert result.exit_code == 1, result.output
    assert result.stdout == ""
    outputs = {fmt: (tmp_path / f"out.{fmt}").read_text(encoding="utf-8") for fmt in FORMATS}
    outputs["stderr"] = result.stderr
    # and a baseline written under --redact, with every suppressed finding listed
    again = check(
        str(batch),
        "--redact",
        "--rules",
        text_pack,
        "--write-baseline",
        "b.json",
        "--show-suppressed",
        env=KEY,
    )
    outputs["baseline"] = (tmp_path / "b.json").read_text(encoding="utf-8")
    outputs["suppressed text"] = again.stdout
    for name, text in outputs.items():
        for secret in SECRETS:
            assert secret not in text, f"{secret!r} in {name}"
        if name != "stderr":
            assert re.search(r"ID-[0-9a-f]{16}", text), name
    for fmt in ("text", "json", "jsonl", "sarif", "junit", "github", "csv", "html"):
        assert re.search(r"Indication TEXT-[0-9a-f]{16}", outputs[fmt]), fmt  # free text hashed


def test_hashes_are_stable_and_consistent(check: Check, batch: Path) -> None:
    first = check(str(batch), "--redact", "-f", "json", env=KEY).stdout
    second = check(str(batch), "--redact", "-f", "json", env=KEY).stdout
    assert first == second
    findings = json.loads(first)["findings"]
    hasher = Hasher(KEY["B12LINT_REDACT_KEY"].encode())
    earlier = hasher.id("ENC-ALPHA-0001")
    freq = next(f for f in findings if f["rule_id"] == "B12-FREQ-001")
    # the frequency finding names the earlier encounter by the same hash it would carry
    assert freq["encounter_id"] == hasher.id("ENC-ALPHA-0002")
    assert f"({earlier} on 2026-03-02)" in freq["message"]
    assert {f["rule_id"] for f in findings} >= {"B12-UNITS-001", "B12-PROV-001"}
    codes = next(f for f in findings if f["rule_id"] == "B12-UNITS-003")["message"]
    assert "J3420 billed 2 units on 2026-04-06" in codes  # codes and dates are kept


def test_other_key_other_hashes(check: Check, batch: Path) -> None:
    one = check(str(batch), "--redact", "-f", "jsonl", env=KEY).stdout
    other = check(str(batch), "--redact", "-f", "jsonl", env={"B12LINT_REDACT_KEY": "x" * 20})
    assert one != other.stdout


def test_without_key_a_random_key_and_a_note(check: Check, batch: Path) -> None:
    first = check(str(batch), "--redact", "-f", "json")
    second = check(str(batch), "--redact", "-f", "json")
    assert "B12LINT_REDACT_KEY is not set" in first.stderr
    assert first.stdout != second.stdout
    assert "ENC-" not in first.stdout


def test_short_key_is_refused(check: Check, batch: Path) -> None:
    result = check(str(batch), "--redact", env={"B12LINT_REDACT_KEY": "short"})
    assert result.exit_code == 2
    assert "at least 16 characters" in result.stderr


def test_redact_from_config(check: Check, batch: Path, tmp_path: Path) -> None:
    (tmp_path / "b12lint.toml").write_text("redact = true\n")
    out = check(str(batch), "-f", "csv", env=KEY).stdout
    assert "ENC-BRAVO-0003" not in out and "ID-" in out
    plain = check(str(batch), "-f", "csv", "--no-redact", env=KEY).stdout
    assert "ENC-BRAVO-0003" in plain and "ID-" not in plain


def test_exceptions_and_baselines_still_match_under_redaction(
    check: Check, batch: Path, tmp_path: Path
) -> None:
    (tmp_path / "b12lint.toml").write_text(
        '[[exceptions]]\nencounter = "ENC-BRAVO-0003"\nreason = "agreed"\n'
        '[[exceptions]]\nencounter = "ENC-GONE-9999"\nreason = "unused"\n'
    )
    check(str(batch), "--write-baseline", "plain.json")  # written without --redact
    result = check(str(batch), "--redact", "--baseline", "plain.json", env=KEY)
    assert result.exit_code == 0
    assert "6 suppressed" in result.stdout
    assert "ENC-GONE-9999" not in result.stdout  # the unused exception's note is redacted too
    assert "matched no finding" in result.stdout


def test_scrubber_matches_whole_words_and_prefers_longest() -> None:
    scrub = Scrubber({"A-1": "<a1>", "A-10": "<a10>", "x y": "<xy>", "--": "<dash>"})
    assert scrub("(A-10 on 2026) A-1, 'A-1' A-100") == "(<a10> on 2026) <a1>, '<a1>' A-100"
    assert scrub("x y z -- end") == "<xy> z <dash> end"
    assert scrub("nothing here") == "nothing here"
    assert scrub("A-1_b A-10b A-1.") == "A-1_b A-10b <a1>."  # ids glued to a word stay
