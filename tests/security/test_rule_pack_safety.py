"""Rule packs come from other teams: nothing in one can run code, read files outside its
folder, or hang a run. Each refusal is exit 2 with a one-line message naming the file (and
the rule), checked through the command line as users meet it.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from b12lint.engine.regex import RegexError, compile_regex

MakePack = Callable[..., Path]
RuleDoc = Callable[..., dict[str, Any]]


@pytest.fixture
def check_with(
    b12lint_process: Callable[..., Any], make_record: Callable[..., dict[str, Any]]
) -> Callable[..., Any]:
    """``check_with(pack, tmp_path, record=None)``: b12lint checking one record with a pack."""

    def run(pack: Path, tmp_path: Path, record: dict[str, Any] | None = None) -> Any:
        batch = tmp_path / "batch.jsonl"
        batch.write_text(json.dumps(record or make_record()) + "\n", encoding="utf-8")
        return b12lint_process("check", "--rules", str(pack), str(batch), cwd=tmp_path, timeout=60)

    return run


def refused(done: Any, *fragments: str) -> str:
    stderr: str = done.stderr.decode()
    assert done.returncode == 2, stderr
    assert "Traceback" not in stderr, stderr
    lines = [line for line in stderr.splitlines() if line.strip()]
    assert len(lines) == 1 and lines[0].startswith("b12lint: error: invalid rule pack: "), stderr
    for fragment in fragments:
        assert fragment in stderr, stderr
    return stderr


# -- regular expressions ------------------------------------------------------------------


def regex_rule(rule_doc: RuleDoc, pattern: str) -> dict[str, Any]:
    return rule_doc(when={"regex": ["$documentation.indication", pattern]})


def test_a_catastrophic_pattern_does_not_hang_on_hostile_input(
    make_pack: MakePack,
    rule_doc: RuleDoc,
    tmp_path: Path,
    check_with: Callable[..., Any],
    make_record: Callable[..., dict[str, Any]],
) -> None:
    pack = make_pack("evil", [regex_rule(rule_doc, "(a+)+$")])
    record = make_record()
    record["documentation"]["indication"] = "a" * 100_000 + "!"  # the worst case for (a+)+$
    started = time.monotonic()
    done = check_with(pack, tmp_path, record)  # a backtracking engine: never ends (timeout)
    elapsed = time.monotonic() - started
    assert done.returncode in (0, 1), done.stderr.decode()
    assert elapsed < 30, f"{elapsed:.1f} s"


def test_the_old_input_cap_did_not_bound_a_backtracking_engine() -> None:
    """Why RE2: 2,048 characters (the cap on regex input) keep Python's re busy for ever."""
    script = "import re; re.search(r'(a+)+$', 'a' * 2048 + '!')"
    with pytest.raises(subprocess.TimeoutExpired):
        subprocess.run([sys.executable, "-c", script], timeout=2, check=False)


def test_rule_patterns_match_in_linear_time() -> None:
    matches = compile_regex("(a+)+$")
    timings = []
    for size in (10_000, 100_000, 1_000_000):
        text = "a" * size + "!"
        started = time.perf_counter()
        assert matches(text) is False
        timings.append(time.perf_counter() - started)
    assert timings[-1] < 1.0, timings  # a million characters: milliseconds, not centuries


@pytest.mark.parametrize(
    ("pattern", "fragment"),
    [
        ("(unclosed", "missing )"),
        (r"(a)\1", "invalid escape sequence"),  # a backreference: not linear-time
        ("(?=lookahead)", "invalid perl operator"),
        ("(?<=lookbehind)x", "invalid perl operator"),
        ("(a{1000}){1000}", "invalid repetition size"),
    ],
)
def test_a_pattern_re2_cannot_run_is_refused_naming_file_and_rule(
    make_pack: MakePack,
    rule_doc: RuleDoc,
    tmp_path: Path,
    pattern: str,
    fragment: str,
    check_with: Callable[..., Any],
) -> None:
    pack = make_pack("bad-regex", [regex_rule(rule_doc, pattern)])
    refused(check_with(pack, tmp_path), "T-RULE-001.yaml", "T-RULE-001", fragment, "RE2")


def test_compile_regex_reports_without_logging(capfd: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(RegexError, match="invalid escape sequence"):
        compile_regex(r"(a)\1")
    assert capfd.readouterr().err == ""  # RE2 logs errors to stderr unless told not to


# -- files outside the pack ---------------------------------------------------------------


@pytest.mark.parametrize("ref", ["../b12-core", "/etc", "b12-core/../../etc", "~root"])
def test_extends_takes_a_pack_name_never_a_path(
    make_pack: MakePack, rule_doc: RuleDoc, tmp_path: Path, ref: str, check_with: Callable[..., Any]
) -> None:
    pack = make_pack("ext", [rule_doc()], manifest={"name": "ext", "extends": ref})
    refused(check_with(pack, tmp_path), "pack.yaml", "extends")


def secret_table(tmp_path: Path) -> Path:
    outside = tmp_path / "outside"
    outside.mkdir()
    secret = outside / "mue.yaml"
    secret.write_text(
        json.dumps(
            {
                "description": "x",
                "source": "x",
                "effective": {"from": "2000-01-01"},
                "values": {"J3420": 99},
            }
        ),
        encoding="utf-8",
    )
    return secret


def test_a_data_table_linked_from_outside_the_pack_is_refused(
    make_pack: MakePack, rule_doc: RuleDoc, tmp_path: Path, check_with: Callable[..., Any]
) -> None:
    pack = make_pack("linked-data", [rule_doc()])
    (pack / "data").mkdir()
    (pack / "data" / "mue.yaml").symlink_to(secret_table(tmp_path))
    refused(check_with(pack, tmp_path), "data/mue.yaml", "leaves the pack folder")


def test_a_manifest_linked_from_outside_the_pack_is_refused(
    make_pack: MakePack, rule_doc: RuleDoc, tmp_path: Path, check_with: Callable[..., Any]
) -> None:
    pack = make_pack("linked-manifest", [rule_doc()])
    outside = tmp_path / "elsewhere.yaml"
    outside.write_text("name: linked-manifest\n", encoding="utf-8")
    (pack / "pack.yaml").symlink_to(outside)
    refused(check_with(pack, tmp_path), "pack.yaml", "leaves the pack folder")


def test_a_rule_file_linked_from_outside_the_pack_is_refused(
    make_pack: MakePack, rule_doc: RuleDoc, tmp_path: Path, check_with: Callable[..., Any]
) -> None:
    pack = make_pack("linked-rule")
    outside = tmp_path / "T-RULE-001.yaml"
    outside.write_text(json.dumps(rule_doc()), encoding="utf-8")
    (pack / "T-RULE-001.yaml").symlink_to(outside)
    refused(check_with(pack, tmp_path), "T-RULE-001.yaml", "leaves the pack folder")


def test_a_folder_linked_from_outside_is_not_read(
    make_pack: MakePack, rule_doc: RuleDoc, tmp_path: Path, b12lint_process: Callable[..., Any]
) -> None:
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    (elsewhere / "T-RULE-002.yaml").write_text(
        json.dumps(rule_doc(id="T-RULE-002")), encoding="utf-8"
    )
    pack = make_pack("linked-folder", [rule_doc()])
    (pack / "more").symlink_to(elsewhere, target_is_directory=True)
    done = b12lint_process("rules", "--rules", str(pack), "--format", "json", cwd=tmp_path)
    ids = {rule["id"] for rule in json.loads(done.stdout)}
    assert "T-RULE-001" in ids and "T-RULE-002" not in ids


# -- YAML that is not data ----------------------------------------------------------------


CANARY = "rule-pack-canary"


@pytest.mark.parametrize(
    ("text", "fragment"),
    [
        (f"id: T-RULE-001\nname: !!python/object/apply:os.system ['touch {CANARY}']\n", "YAML"),
        ("id: !!python/name:os.system\n", "YAML"),
        ("id: T-RULE-001\nname: a\nname: b\n", "duplicate key 'name'"),
        ("id: T-RULE-001\nwhen: " + "[" * 50_000 + "]" * 50_000 + "\n", "nest"),
        (
            "a: &a [x, x, x, x, x, x, x, x, x]\n"
            + "".join(
                f"{c}: &{c} [{', '.join(['*' + p] * 9)}]\n"
                for p, c in zip("abcdefgh", "bcdefghi", strict=True)
            )
            + "id: T-RULE-001\n",
            "aliases",
        ),
    ],
    ids=["python-object", "python-name", "duplicate-key", "deep", "alias-bomb"],
)
def test_rule_files_are_data_only(
    make_pack: MakePack, tmp_path: Path, text: str, fragment: str, check_with: Callable[..., Any]
) -> None:
    pack = make_pack("hostile", {"T-RULE-001.yaml": text})
    refused(check_with(pack, tmp_path), "T-RULE-001.yaml", fragment)
    assert not (tmp_path / CANARY).exists()


def test_a_message_cannot_ask_for_a_giant_string(
    make_pack: MakePack, rule_doc: RuleDoc, tmp_path: Path, check_with: Callable[..., Any]
) -> None:
    pack = make_pack("wide", [rule_doc(message="{patient_id:999999999}")])
    refused(check_with(pack, tmp_path), "T-RULE-001", "width or precision over 99")


def test_a_configuration_nested_too_deeply_is_exit_2(
    tmp_path: Path, b12lint_process: Callable[..., Any], make_record: Callable[..., dict[str, Any]]
) -> None:
    (tmp_path / "b12lint.toml").write_text("select = " + "[" * 50_000 + "]" * 50_000 + "\n")
    batch = tmp_path / "batch.jsonl"
    batch.write_text(json.dumps(make_record()) + "\n", encoding="utf-8")
    done = b12lint_process("check", str(batch), cwd=tmp_path)
    stderr = done.stderr.decode()
    assert done.returncode == 2 and "Traceback" not in stderr, stderr
    assert "invalid configuration" in stderr and "nested too deeply" in stderr


def test_nothing_in_a_rule_pack_is_imported(
    tmp_path: Path, make_pack: MakePack, rule_doc: RuleDoc, check_with: Callable[..., Any]
) -> None:
    """A .py file in a pack folder is neither imported nor run (rules are YAML data)."""
    pack = make_pack("with-python", [rule_doc()])
    (pack / "plugin.py").write_text(f"open({str(tmp_path / CANARY)!r}, 'w')\n")
    (pack / "__init__.py").write_text(f"open({str(tmp_path / CANARY)!r}, 'w')\n")
    done = check_with(pack, tmp_path)
    assert done.returncode in (0, 1), done.stderr.decode()
    assert not (tmp_path / CANARY).exists()
    assert os.listdir(pack)  # the files were there to be found
