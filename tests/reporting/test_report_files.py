"""Report files: their modes (PHI is owner-only), the format a file name asks for, and the
outputs that leave the organisation (SARIF, GitHub annotations) redacted by default."""

from __future__ import annotations

import json
import os
import stat
from collections.abc import Iterator
from pathlib import Path

import pytest
from report_batch import SECRETS, Check

KEY = {"B12LINT_REDACT_KEY": "k" * 32}


def mode(path: Path) -> int:
    return stat.S_IMODE(path.stat().st_mode)


@pytest.fixture
def umask_022() -> Iterator[None]:
    old = os.umask(0o022)
    yield
    os.umask(old)


@pytest.mark.parametrize("fmt", ["json", "html", "csv", "text", "junit"])
def test_a_new_report_is_owner_only(check: Check, batch: Path, fmt: str, umask_022: None) -> None:
    result = check(str(batch), "-f", fmt, "-o", f"new.{fmt}", env=KEY)
    assert result.exit_code == 1, result.output
    assert mode(Path(f"new.{fmt}")) == 0o600


def test_replacing_a_report_keeps_its_mode(check: Check, batch: Path, umask_022: None) -> None:
    old = Path("report.json")
    old.write_text("{}")
    old.chmod(0o644)
    check(str(batch), "-o", "report.json")
    assert mode(old) == 0o644 and json.loads(old.read_text())["findings"]
    old.chmod(0o640)
    check(str(batch), "-o", "report.json", "--redact", env=KEY)
    assert mode(old) == 0o640


def test_a_redacted_report_follows_the_umask(check: Check, batch: Path, umask_022: None) -> None:
    check(str(batch), "-o", "shared.json", "--redact", env=KEY)
    assert mode(Path("shared.json")) == 0o644
    os.umask(0o027)
    check(str(batch), "-o", "group.html", "--redact", env=KEY)
    assert mode(Path("group.html")) == 0o640


def test_a_new_baseline_is_owner_only(check: Check, batch: Path, umask_022: None) -> None:
    check(str(batch), "--write-baseline", "base.json")
    assert mode(Path("base.json")) == 0o600


@pytest.mark.parametrize(
    ("name", "fmt"),
    [
        ("out.json", "json"),
        ("out.jsonl", "jsonl"),
        ("out.sarif", "sarif"),
        ("out.sarif.json", "sarif"),
        ("out.xml", "junit"),
        ("out.csv", "csv"),
        ("out.html", "html"),
        ("out.txt", "text"),
    ],
)
def test_output_without_format_follows_the_file_name(
    check: Check, batch: Path, name: str, fmt: str
) -> None:
    assert check(str(batch), "-o", name, env=KEY).exit_code == 1
    head = Path(name).read_text()[:200]
    starts = {
        "json": '{\n  "tool"',
        "jsonl": '{"rule_id"',
        "sarif": '{\n  "$schema"',
        "junit": "<?xml",
        "csv": "file,line,",
        "html": "<!DOCTYPE html>",
        "text": "claims/batch.jsonl:",
    }
    assert head.startswith(starts[fmt]), head


def test_output_with_a_name_that_says_no_format_is_refused(check: Check, batch: Path) -> None:
    result = check(str(batch), "-o", "report.out")
    assert result.exit_code == 2
    assert "cannot tell the report format of 'report.out'" in result.stderr
    assert "--format" in result.stderr and not Path("report.out").exists()


@pytest.mark.parametrize("fmt", ["sarif", "github"])
def test_shared_formats_are_redacted_by_default(check: Check, batch: Path, fmt: str) -> None:
    result = check(str(batch), "-f", "json", "-o", "local.json", "-f", fmt, env=KEY)
    assert result.exit_code == 1
    assert not [s for s in SECRETS if s in result.stdout]
    assert "ID-" in result.stdout
    # the other formats of the same run are not redacted
    assert "ENC-BRAVO-0003" in Path("local.json").read_text()


@pytest.mark.parametrize("fmt", ["sarif", "github"])
def test_shared_redaction_can_be_turned_off(check: Check, batch: Path, fmt: str) -> None:
    result = check(str(batch), "-f", fmt, "--no-redact-shared")
    assert "ENC-BRAVO-0003" in result.stdout
    assert "--redact" in result.stdout  # the advice to redact stays


def test_shared_redaction_without_a_key_says_so(check: Check, batch: Path) -> None:
    result = check(str(batch), "-f", "sarif", "-o", "out.sarif")
    assert "B12LINT_REDACT_KEY is not set" in result.stderr
    assert "sarif" in result.stderr
    assert "ENC-BRAVO-0003" not in Path("out.sarif").read_text()


def test_shared_files_follow_the_umask(check: Check, batch: Path, umask_022: None) -> None:
    check(str(batch), "-f", "sarif", "-o", "out.sarif", "-f", "json", "-o", "out.json", env=KEY)
    assert (mode(Path("out.sarif")), mode(Path("out.json"))) == (0o644, 0o600)
