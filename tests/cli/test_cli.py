"""The command line: exit codes 0/1/2, --fail-on, --select/--ignore, outputs, rules, rule, test."""

from __future__ import annotations

import importlib
import json
import os
import re
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner, Result

from b12lint import __version__
from b12lint.cli import cli

check_module = importlib.import_module("b12lint.cli.check")

MakeRecord = Callable[..., dict[str, Any]]
WriteJsonl = Callable[..., Path]
MakePack = Callable[..., Path]
RuleDoc = Callable[..., dict[str, Any]]

TEXT_LINE = re.compile(
    r"^(?P<file>[^:]+):(?P<line>\d+)?: (?P<enc>\S+) (?P<rule>[A-Z0-9]+(?:-[A-Z0-9]+)+) "
    r"(?P<severity>error|warning|info) (?P<message>.+)$"
)


@pytest.fixture(autouse=True)
def isolated(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    """No configuration file or B12LINT_* variable from the developer's environment."""
    work = tmp_path / "work"
    work.mkdir()
    monkeypatch.chdir(work)
    for name in list(os.environ):
        if name.startswith("B12LINT_") or name in ("GITHUB_ACTIONS", "NO_COLOR"):
            monkeypatch.delenv(name)
    yield


def invoke(*args: str, stdin: str | None = None) -> Result:
    return CliRunner().invoke(cli, list(args), input=stdin, catch_exceptions=False)


def finding_lines(output: str) -> list[dict[str, str]]:
    out = []
    for text in output.splitlines():
        match = TEXT_LINE.match(text)
        if match:
            out.append(match.groupdict())
    return out


@pytest.fixture
def clean(write_jsonl: WriteJsonl, make_record: MakeRecord, make_flu: MakeRecord) -> Path:
    return write_jsonl([make_record("A"), make_record("B"), make_flu("F")], "clean.jsonl")


@pytest.fixture
def faulty(write_jsonl: WriteJsonl, make_record: MakeRecord) -> Path:
    return write_jsonl(
        [
            make_record("A"),
            make_record("B", lines=[{"code": "J3420", "units": 2}, {"code": "96372", "units": 1}]),
            "{not json",
            make_record("C", documentation={"phase": "loading-ish"}),
        ],
        "faulty.jsonl",
    )


@pytest.fixture
def warning_only(write_jsonl: WriteJsonl, make_record: MakeRecord) -> Path:
    doc = dict(make_record("W")["documentation"], phase="loading-ish")
    return write_jsonl([make_record("W", documentation=doc)], "warning.jsonl")


# --------------------------------------------------------------------------- exit codes


def test_clean_batch_exits_0(clean: Path) -> None:
    result = invoke("check", str(clean))
    assert result.exit_code == 0, result.output
    assert finding_lines(result.stdout) == []
    assert result.stdout.strip() == (
        "0 findings (0 error, 0 warning, 0 info); 2 of 3 encounters in B12 scope; 0 input errors."
    )


def test_errors_exit_1_with_one_text_line_per_finding(faulty: Path) -> None:
    result = invoke("check", str(faulty))
    assert result.exit_code == 1
    found = finding_lines(result.stdout)
    assert {(f["enc"], f["rule"], f["severity"]) for f in found} >= {
        ("B", "B12-UNITS-001", "error"),
        ("-", "B12-INPUT-001", "error"),
        ("C", "B12-FREQ-002", "warning"),
    }
    assert all(f["file"] == str(faulty) for f in found)
    units = next(f for f in found if f["rule"] == "B12-UNITS-001")
    assert units["line"] == "2"
    assert units["message"] == "J3420 billed 2 units but 1,000 mcg is documented (1 unit expected)"
    assert next(f for f in found if f["rule"] == "B12-INPUT-001")["line"] == "3"
    assert "1 input error" in result.stdout
    assert result.stderr == ""


def test_only_input_errors_exit_1(write_jsonl: WriteJsonl, make_record: MakeRecord) -> None:
    path = write_jsonl([make_record("A"), "{oops", {"encounter_id": "X"}], "inputs.jsonl")
    result = invoke("check", str(path))
    assert result.exit_code == 1
    assert [f["rule"] for f in finding_lines(result.stdout)] == ["B12-INPUT-001", "B12-INPUT-002"]


def test_missing_path_exits_2(clean: Path, tmp_path: Path) -> None:
    result = invoke("check", str(clean), str(tmp_path / "nope.jsonl"))
    assert result.exit_code == 2
    assert "nope.jsonl: no such file or directory" in result.stderr
    assert finding_lines(result.stdout) == []  # nothing is checked when a path is wrong


def test_invalid_rule_pack_exits_2_naming_file_rule_and_key(
    clean: Path, make_pack: MakePack, rule_doc: RuleDoc
) -> None:
    folder = make_pack("bad", [rule_doc(when={"eq": ["$line.nope", 1]})])
    result = invoke("check", "--rules", str(folder), str(clean))
    assert result.exit_code == 2
    message = result.stderr
    assert str(folder / "T-RULE-001.yaml") in message
    assert "T-RULE-001" in message
    assert "'line'" in message
    assert message.startswith("b12lint: error: invalid rule pack:")


@pytest.mark.parametrize(
    "args",
    [
        ["check", "--bogus", "x.jsonl"],
        ["check", "--format", "pdf", "x.jsonl"],
        ["check", "--fail-on", "critical", "x.jsonl"],
        ["check"],
        ["nope"],
    ],
)
def test_bad_usage_exits_2(args: list[str]) -> None:
    result = invoke(*args)
    assert result.exit_code == 2


def test_unknown_select_token_exits_2(clean: Path) -> None:
    result = invoke("check", "--select", "B12-NOPE", str(clean))
    assert result.exit_code == 2
    assert "'B12-NOPE' matches no rule" in result.stderr


# --------------------------------------------------------------------------- --fail-on


@pytest.mark.parametrize(
    ("fail_on", "code"), [(None, 0), ("error", 0), ("warning", 1), ("info", 1), ("never", 0)]
)
def test_fail_on_with_a_warning(warning_only: Path, fail_on: str | None, code: int) -> None:
    args = ["check", str(warning_only)] + (["--fail-on", fail_on] if fail_on else [])
    result = invoke(*args)
    assert result.exit_code == code
    assert [f["rule"] for f in finding_lines(result.stdout)] == ["B12-FREQ-002"]


@pytest.mark.parametrize(("fail_on", "code"), [("error", 1), ("warning", 1), ("never", 0)])
def test_fail_on_with_errors(faulty: Path, fail_on: str, code: int) -> None:
    assert invoke("check", "--fail-on", fail_on, str(faulty)).exit_code == code


def test_fail_on_info_with_an_info_finding(
    clean: Path, make_pack: MakePack, rule_doc: RuleDoc
) -> None:
    folder = make_pack("info", [rule_doc(severity="info", when=True)])
    args = ["check", "--no-builtin", "--rules", str(folder), str(clean)]
    assert invoke(*args).exit_code == 0
    assert invoke(*args, "--fail-on", "warning").exit_code == 0
    result = invoke(*args, "--fail-on", "info")
    assert result.exit_code == 1
    assert {f["severity"] for f in finding_lines(result.stdout)} == {"info"}


# --------------------------------------------------------------------------- --select / --ignore


def rules_of(result: Result) -> set[str]:
    return {f["rule"] for f in finding_lines(result.stdout)}


def test_select_and_ignore(faulty: Path) -> None:
    everything = rules_of(invoke("check", str(faulty)))
    assert {"B12-UNITS-001", "B12-FREQ-002"} <= everything
    only_units = invoke("check", "--select", "B12-UNITS-001", str(faulty))
    assert rules_of(only_units) == {"B12-UNITS-001", "B12-INPUT-001"}
    by_category = invoke("check", "--select", "units", str(faulty))
    assert rules_of(by_category) == {
        r for r in everything if r.startswith(("B12-UNITS", "B12-INPUT"))
    }
    ignored = invoke("check", "--ignore", "B12-UNITS,frequency", str(faulty))
    assert rules_of(ignored) == {
        r for r in everything if not r.startswith(("B12-UNITS", "B12-FREQ"))
    }
    both = invoke("check", "--select", "units", "--select", "B12-FREQ-002", str(faulty))
    assert "B12-FREQ-002" in rules_of(both) and "B12-UNITS-001" in rules_of(both)


def test_selecting_away_the_errors_changes_the_exit_code(warning_only: Path) -> None:
    assert invoke("check", "--fail-on", "warning", str(warning_only)).exit_code == 1
    result = invoke("check", "--fail-on", "warning", "--ignore", "B12-FREQ-002", str(warning_only))
    assert result.exit_code == 0


# --------------------------------------------------------------------------- outputs


def test_json_to_a_file_leaves_stdout_empty(faulty: Path, tmp_path: Path) -> None:
    out = tmp_path / "reports" / "report.json"
    out.parent.mkdir()
    result = invoke("check", "--format", "json", "--output", str(out), str(faulty))
    assert result.exit_code == 1
    assert result.stdout == ""
    document = json.loads(out.read_text(encoding="utf-8"))
    assert document["summary"]["input_errors"] == 1
    assert {f["rule_id"] for f in document["findings"]} >= {"B12-UNITS-001", "B12-INPUT-001"}
    assert sorted(p.name for p in out.parent.iterdir()) == ["report.json"]  # no temp file left


def test_json_output_is_byte_identical_across_runs(faulty: Path, tmp_path: Path) -> None:
    first, second = tmp_path / "1.json", tmp_path / "2.json"
    invoke("check", "-f", "json", "-o", str(first), str(faulty))
    invoke("check", "-f", "json", "-o", str(second), str(faulty))
    assert first.read_bytes() == second.read_bytes()
    stdout = invoke("check", "-f", "json", str(faulty)).stdout
    assert stdout.encode() == first.read_bytes()


def test_two_formats_two_outputs(faulty: Path, tmp_path: Path) -> None:
    js, txt = tmp_path / "r.json", tmp_path / "r.txt"
    result = invoke("check", "-f", "json", "-o", str(js), "-f", "text", "-o", str(txt), str(faulty))
    assert result.exit_code == 1
    assert result.stdout == ""
    assert json.loads(js.read_text())["summary"]["encounters"] == 3
    assert any(f["rule"] == "B12-UNITS-001" for f in finding_lines(txt.read_text()))


def test_second_format_to_stdout(faulty: Path, tmp_path: Path) -> None:
    js = tmp_path / "r.json"
    result = invoke("check", "-f", "json", "-f", "text", "-o", str(js), str(faulty))
    assert result.exit_code == 1
    assert json.loads(js.read_text())["findings"]
    assert finding_lines(result.stdout)
    assert not result.stdout.lstrip().startswith("{")


@pytest.mark.parametrize(
    ("args", "fragment"),
    [
        (["-f", "json", "-f", "text"], "only one format can go to stdout"),
        (["-f", "json", "-o", "a.json", "-o", "b.json"], "more --output files than --format"),
        (["-f", "text", "-o", "a.txt", "-o", "b.txt"], "more --output files than --format"),
        (["-o", "report.out"], "cannot tell the report format of 'report.out'"),
    ],
)
def test_output_pairing_errors_exit_2(faulty: Path, args: list[str], fragment: str) -> None:
    result = invoke("check", *args, str(faulty))
    assert result.exit_code == 2
    assert fragment in result.stderr


def test_output_into_a_missing_folder_exits_2(faulty: Path, tmp_path: Path) -> None:
    target = tmp_path / "no" / "such" / "dir" / "r.json"
    result = invoke("check", "-f", "json", "-o", str(target), str(faulty))
    assert result.exit_code == 2
    assert "cannot write" in result.stderr
    assert not target.exists()


def test_output_is_atomic_when_rendering_fails(
    faulty: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    target = tmp_path / "out" / "report.json"
    target.parent.mkdir()
    target.write_text("previous report\n", encoding="utf-8")

    def broken(report: Any, stream: Any, color: bool) -> None:
        stream.write('{"tool": {"name": "b12lint", ')
        raise RuntimeError("renderer crashed half way")

    monkeypatch.setattr(check_module, "get_reporter", lambda name: broken)
    result = CliRunner().invoke(cli, ["check", "-f", "json", "-o", str(target), str(faulty)])
    assert isinstance(result.exception, RuntimeError)
    assert target.read_text(encoding="utf-8") == "previous report\n"
    assert sorted(p.name for p in target.parent.iterdir()) == ["report.json"]


def test_stdin(make_record: MakeRecord) -> None:
    bad = make_record("S", lines=[{"code": "J3420", "units": 2}, {"code": "96372", "units": 1}])
    text = json.dumps(make_record("R")) + "\n" + json.dumps(bad) + "\n"
    result = invoke("check", "-", stdin=text)
    assert result.exit_code == 1
    units = next(f for f in finding_lines(result.stdout) if f["rule"] == "B12-UNITS-001")
    assert (units["file"], units["line"], units["enc"]) == ("<stdin>", "2", "S")


def test_a_directory_of_mixed_formats(tmp_path: Path, make_record: MakeRecord) -> None:
    folder = tmp_path / "claims"
    (folder / "sub").mkdir(parents=True)
    (folder / "a.json").write_text(json.dumps([make_record("A1"), make_record("A2")], indent=1))
    (folder / "sub" / "b.jsonl").write_text(json.dumps(make_record("B1")) + "\n")
    (folder / "notes.txt").write_text("ignored")
    result = invoke("check", "-f", "json", str(folder))
    assert result.exit_code == 0
    assert json.loads(result.stdout)["summary"]["encounters"] == 3


def test_custom_pack_with_and_without_builtin(
    clean: Path, make_pack: MakePack, rule_doc: RuleDoc
) -> None:
    folder = make_pack("mine", [rule_doc(when={"eq": ["$encounter_id", "A"]})])
    with_core = invoke("check", "-f", "json", "--rules", str(folder), str(clean))
    document = json.loads(with_core.stdout)
    assert [r["name"] for r in document["rulesets"]] == ["b12-core", "mine"]
    assert [f["rule_id"] for f in document["findings"]] == ["T-RULE-001"]
    alone = json.loads(
        invoke("check", "-f", "json", "--no-builtin", "--rules", str(folder), str(clean)).stdout
    )
    assert alone["rulesets"] == [{"name": "mine", "version": "0", "rules": 1}]


def test_version() -> None:
    result = invoke("--version")
    assert result.exit_code == 0
    assert __version__ in result.stdout


# --------------------------------------------------------------------------- rules, rule, test


def test_rules_json_lists_every_rule_with_its_metadata() -> None:
    result = invoke("rules", "--format", "json")
    assert result.exit_code == 0
    listed = json.loads(result.stdout)
    ids = [r["id"] for r in listed]
    assert ids == sorted(ids)
    assert {"B12-UNITS-001", "B12-FREQ-001", "B12-INPUT-001", "B12-INPUT-003"} <= set(ids)
    rule_files = sorted(
        p.stem
        for p in (Path(__file__).resolve().parents[2] / "rules" / "b12-core").rglob("B12-*.yaml")
    )
    assert set(rule_files) <= set(ids)
    for entry in listed:
        assert {"id", "name", "severity", "category", "summary", "references", "effective"} <= set(
            entry
        )
        assert entry["severity"] in ("error", "warning", "info")
        assert entry["references"] and all(ref["title"] for ref in entry["references"])
        assert set(entry["effective"]) == {"from", "to"}
    units = next(r for r in listed if r["id"] == "B12-UNITS-001")
    assert (units["name"], units["severity"], units["category"]) == (
        "j3420-units-match-dose",
        "error",
        "units",
    )
    assert units["effective"] == {"from": "2000-01-01", "to": None}


def test_rules_text_and_selection() -> None:
    result = invoke("rules", "--select", "units")
    assert result.exit_code == 0
    listed = [line.split()[0] for line in result.stdout.splitlines() if line.startswith("B12-")]
    assert "B12-UNITS-001" in listed
    assert not any(i.startswith(("B12-FREQ", "B12-DX")) for i in listed)


def test_rule_explains_one_rule() -> None:
    result = invoke("rule", "B12-UNITS-001")
    assert result.exit_code == 0
    text = result.stdout
    assert text.startswith("B12-UNITS-001 (j3420-units-match-dose)")
    sections = [
        "## What it does",
        "## Why",
        "## Source",
        "## Example that triggers it",
        "## Example that passes",
    ]
    positions = [text.index(s) for s in sections]
    assert positions == sorted(positions)
    assert "Severity: error" in text and "Category: units" in text
    assert "Effective (date of service): from 2000-01-01" in text
    assert "CMS HCPCS Level II, J3420 descriptor" in text
    assert "units: 2" in text  # the failing example
    assert invoke("rule", "j3420-units-match-dose").stdout == text
    assert invoke("rule", "b12-units-001").stdout == text


def test_rule_for_an_input_rule_and_an_unknown_one() -> None:
    result = invoke("rule", "B12-INPUT-001")
    assert result.exit_code == 0
    assert "Built into the engine" in result.stdout
    unknown = invoke("rule", "B12-NOPE-001")
    assert unknown.exit_code == 2
    assert "no rule 'B12-NOPE-001'" in unknown.stderr


def test_test_passes_on_the_builtin_packs() -> None:
    result = invoke("test")
    assert result.exit_code == 0, result.stdout
    assert "FAIL" not in result.stdout
    assert re.search(r"^b12-core: \d+ rules, \d+ examples, 0 failed$", result.stdout, re.M)


def test_test_fails_on_a_broken_example(make_pack: MakePack, rule_doc: RuleDoc) -> None:
    broken = rule_doc(
        examples={
            "fail": [{"patient_id": "OK", "lines": [{"code": "J3420", "units": 1}]}],
            "pass": [{"patient_id": "OK", "lines": [{"code": "J3420", "units": 1}]}],
        }
    )
    folder = make_pack("broken", [broken])
    result = invoke("test", str(folder))
    assert result.exit_code == 1
    assert (
        "FAIL broken T-RULE-001 fail[0]: failing example did not trigger the rule" in result.stdout
    )
    assert result.stdout.rstrip().endswith("1 passed, 1 failed")


def test_test_verbose_and_good_pack(make_pack: MakePack, rule_doc: RuleDoc) -> None:
    folder = make_pack("good", [rule_doc()])
    result = invoke("test", "-v", str(folder))
    assert result.exit_code == 0
    assert "ok   good T-RULE-001 fail[0]" in result.stdout
    assert "ok   good T-RULE-001 pass[0]" in result.stdout


def test_test_on_an_invalid_pack_exits_2(make_pack: MakePack, rule_doc: RuleDoc) -> None:
    folder = make_pack("bad", [rule_doc(severity="fatal")])
    result = invoke("test", str(folder))
    assert result.exit_code == 2
    assert str(folder / "T-RULE-001.yaml") in result.stderr


@pytest.mark.parametrize(
    ("mode", "coloured"), [("always", True), ("never", False), ("auto", False)]
)
def test_colour_modes(faulty: Path, mode: str, coloured: bool) -> None:
    result = invoke("check", "--color", mode, str(faulty))
    assert result.exit_code == 1
    assert ("\x1b[" in result.stdout) is coloured


def test_colour_never_goes_into_files(faulty: Path, tmp_path: Path) -> None:
    out = tmp_path / "r.txt"
    invoke("check", "--color", "always", "-o", str(out), str(faulty))
    assert "\x1b[" not in out.read_text(encoding="utf-8")
    assert finding_lines(out.read_text(encoding="utf-8"))


def test_every_command_the_output_advertises_exists(faulty: Path) -> None:
    text = invoke("check", str(faulty)).stdout
    for command in re.findall(r"`b12lint (\w+)", text):
        assert invoke(command, "--help").exit_code == 0, command


# --------------------------------------------------------------------------- quiet surprises


@pytest.mark.parametrize(("value", "coloured"), [("", True), ("1", False), ("0", False)])
def test_no_color_disables_colour_only_when_not_empty(
    monkeypatch: pytest.MonkeyPatch, value: str, coloured: bool
) -> None:
    import io

    from b12lint.cli.output import use_color

    class Tty(io.StringIO):
        def isatty(self) -> bool:
            return True

    monkeypatch.setenv("NO_COLOR", value)
    assert use_color("auto", Tty()) is coloured
    monkeypatch.delenv("NO_COLOR")
    assert use_color("auto", Tty()) is True


def test_rules_are_counted_alike_everywhere(tmp_path: Path, clean: Path) -> None:
    """ "68 rules + 4 input checks": `rules`, docs/rules.md, and the JSON report's count."""
    listed = invoke("rules").stdout
    match = re.search(r"^(\d+) rules \+ 4 input checks \(b12-core\)\.$", listed, re.M)
    assert match, listed.splitlines()[-1]
    rules = int(match.group(1))
    assert len([line for line in listed.splitlines() if line.startswith("B12-")]) == rules + 4
    report = json.loads(invoke("check", "-f", "json", str(clean)).stdout)
    assert report["rulesets"][0]["rules"] == rules
    markdown = invoke("rules", "--format", "markdown").stdout
    assert f"{rules} rules + 4 input checks: the rules of b12-core" in markdown
    assert not re.search(rf"\b{rules + 4} rules\b", listed + markdown)


def test_one_input_error_is_singular(write_jsonl: WriteJsonl, make_record: MakeRecord) -> None:
    path = write_jsonl([make_record("A"), "{not json"], "one.jsonl")
    text = invoke("check", str(path)).stdout
    assert "; 1 input error." in text or "; 1 input error;" in text
    github = invoke("check", "-f", "github", "--no-redact-shared", str(path)).stdout
    assert github.rstrip().endswith("1 input error")
    assert "1 input errors" not in text + github
    stats = invoke("check", "--statistics", str(path)).stdout
    assert "1 finding in 1 rule" in stats


def test_rules_option_help_names_builtin_packs() -> None:
    text = invoke("check", "--help").stdout
    assert "built-in pack's name" in " ".join(text.split())


def test_rules_option_takes_a_builtin_pack_name(clean: Path) -> None:
    report = json.loads(
        invoke("check", "-f", "json", "--rules", "b12-commercial-example", str(clean)).stdout
    )
    assert "b12-commercial-example" in [r["name"] for r in report["rulesets"]]


def test_spark_without_pyspark_names_the_extra(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str], clean: Path
) -> None:
    import sys

    from b12lint.spark.submit import main

    monkeypatch.setitem(sys.modules, "pyspark", None)
    monkeypatch.setitem(sys.modules, "pyspark.sql", None)
    assert main([str(clean), "--output", "out"]) == 2
    err = capsys.readouterr().err
    assert 'pip install "b12lint[spark]"' in err and "Java 17" in err


def test_a_command_imports_only_its_own_module() -> None:
    """`b12lint check` does not import the other commands' modules (start-up, issue 13)."""
    import subprocess
    import sys

    code = (
        "import sys\n"
        "from b12lint.cli import cli\n"
        "try:\n"
        "    cli.main(['check', '--help'], standalone_mode=False)\n"
        "except SystemExit:\n"
        "    pass\n"
        "print(sorted(m for m in sys.modules if m.startswith('b12lint.cli.')))\n"
    )
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    loaded = done.stdout.strip().splitlines()[-1]
    assert "b12lint.cli.check" in loaded
    for other in ("data", "remit", "serve", "fix", "rules"):
        assert f"'b12lint.cli.{other}'" not in loaded, other


def test_help_lists_every_command() -> None:
    result = CliRunner().invoke(cli, ["--help"])
    assert result.exit_code == 0
    for name in ("check", "rules", "rule", "test", "history", "fix", "remit", "serve", "data"):
        assert f"\n  {name} " in result.output, name
