"""Rule packs: every invalid rule file is a PackError naming the file, the rule and the key."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from b12lint.engine import PackError, combine, load_pack, load_ruleset
from b12lint.engine import pack as pack_module
from b12lint.engine.pack import builtin_pack_paths, resolve_pack

MakePack = Callable[..., Path]
RuleDoc = Callable[..., dict[str, Any]]


def load_error(folder: Path) -> PackError:
    with pytest.raises(PackError) as info:
        load_pack(folder)
    return info.value


def assert_names(error: PackError, file: Path, rule: str | None, *fragments: str) -> None:
    message = str(error)
    assert error.file == str(file)
    assert message.startswith(str(file))
    assert error.rule == rule
    if rule is not None:
        assert f"rule {rule}" in message
    for fragment in fragments:
        assert fragment in message, message


# --------------------------------------------------------------------------- one bad rule file

LINE_LOOP = {"for_each": {"of": "$lines", "as": "line"}}


@pytest.mark.parametrize(
    ("changes", "fragments"),
    [
        pytest.param({"foo": 1}, ["'foo' was unexpected"], id="unknown-top-level-key"),
        pytest.param({"When": True}, ["'When' was unexpected"], id="key-case-matters"),
        pytest.param(
            {"when": {"equals": ["$patient_id", "FLAG"]}}, ["when", "'equals'"], id="unknown-op"
        ),
        pytest.param(
            {"when": {"all": [True, {"nope": 1}]}},
            ["when.all[1]: unknown operator 'nope'"],
            id="unknown-nested-op",
        ),
        pytest.param(
            {**LINE_LOOP, "when": {"eq": ["$line.nope", 1]}},
            ["when.eq[0]: unknown field 'nope' of Line"],
            id="unknown-field-of-bound-line",
        ),
        pytest.param(
            {"when": {"eq": ["$line.nope", 1]}},
            ["when.eq[0]: unknown field 'line' of Encounter"],
            id="unbound-name",
        ),
        pytest.param(
            {"when": {"exists": "$documentation.monitoring.nope"}},
            ["when.exists: unknown field 'nope' of Monitoring"],
            id="unknown-nested-field",
        ),
        pytest.param(
            {"when": {"call": {"fn": "nope", "args": [1]}}},
            ["when.call: unknown function 'nope'"],
            id="unknown-function",
        ),
        pytest.param(
            {"when": {"call": {"fn": "len", "args": [1, 2]}}},
            ["when.call: function len takes 1 argument(s), got 2"],
            id="wrong-arity",
        ),
        pytest.param(
            {"when": {"in": ["$patient_id", {"data": "nope"}]}},
            ["when.in[1].data: unknown data table 'nope'"],
            id="unknown-data-table",
        ),
        pytest.param(
            {"when": {"regex": ["$patient_id", "(["]}},
            ["when.regex: invalid regular expression '(['"],
            id="bad-regex",
        ),
        pytest.param({"severity": "fatal"}, ["severity: 'fatal' is not one of"], id="severity"),
        pytest.param({"severity": "off"}, ["severity: 'off' is not one of"], id="severity-off"),
        pytest.param({"category": "billing"}, ["category: 'billing'"], id="category"),
        pytest.param({"category": "input"}, ["category: 'input'"], id="category-input-reserved"),
        pytest.param({"name": "Not A Slug"}, ["name: 'Not A Slug' does not match"], id="name"),
        pytest.param({"references": []}, ["references"], id="no-references"),
        pytest.param(
            {"message": "flagged {nope}"},
            ["message: unknown field 'nope' of Encounter"],
            id="template-path",
        ),
        pytest.param({"message": "flagged {"}, ["message: unbalanced brace"], id="template-brace"),
        pytest.param(
            {"effective": {"from": "2026-02-30"}},
            ["effective.from: '2026-02-30' is not a 'date'"],
            id="bad-date",
        ),
        pytest.param(
            {"effective": {"from": "2026-01-01", "to": "2025-12-31"}},
            ["effective.to is before effective.from"],
            id="to-before-from",
        ),
        pytest.param({"effective": {"to": "2026-01-01"}}, ["'from' is a required"], id="no-from"),
        pytest.param({"kind": "batch"}, ["kind: 'batch' is not one of"], id="kind"),
        pytest.param(
            {"kind": "history", "when": {"exists": "$lines"}},
            ["when.exists: unknown field 'lines' of Event"],
            id="history-rule-reads-encounter-field",
        ),
        pytest.param(
            {"let": {"x": 1}, "at": "$x"}, ["at: at must name a field"], id="at-a-let-value"
        ),
        pytest.param({"at": "$nope"}, ["at: unknown field 'nope'"], id="at-unknown-path"),
        pytest.param({"fix": {"value": "$nope"}}, ["fix.value: unknown field 'nope'"], id="fix"),
        pytest.param({"fix": {"safe": True}}, ["fix: 'value' is a required"], id="fix-no-value"),
        pytest.param({"once_per": "$nope"}, ["once_per: unknown field 'nope'"], id="once-per"),
        pytest.param(
            {"let": {"phase": 1}}, ["let.phase: binding name 'phase' would hide"], id="let-hides"
        ),
        pytest.param(
            {"let": {"x": {"eq": ["$nope", 1]}}},
            ["let.x.eq[0]: unknown field 'nope'"],
            id="let-expr",
        ),
        pytest.param(
            {"for_each": {"of": "$lines", "as": "lines"}},
            ["for_each.as: binding name 'lines' would hide"],
            id="for-each-hides",
        ),
        pytest.param(
            {"for_each": {"of": "$nope", "as": "x"}},
            ["for_each.of: unknown field 'nope'"],
            id="for-each-of",
        ),
        pytest.param(
            {"for_each": {"of": "$lines", "as": "x", "where": True}},
            ["'where' was unexpected"],
            id="for-each-key",
        ),
        pytest.param({"examples": {"fail": [{}]}}, ["'pass' is a required"], id="no-pass"),
        pytest.param({"examples": {"fail": [], "pass": [{}]}}, ["examples.fail"], id="no-fail"),
    ],
)
def test_invalid_rule_names_file_rule_and_key(
    make_pack: MakePack, rule_doc: RuleDoc, changes: dict[str, Any], fragments: list[str]
) -> None:
    folder = make_pack("p", [rule_doc(**changes)])
    error = load_error(folder)
    assert_names(error, folder / "T-RULE-001.yaml", "T-RULE-001", *fragments)


def test_unknown_operator_message_is_specific(make_pack: MakePack, rule_doc: RuleDoc) -> None:
    folder = make_pack("p", [rule_doc(when={"equals": [1, 1]})])
    message = str(load_error(folder))
    assert "'equals' is not one of" in message
    assert "not valid under any of the given schemas" not in message


def test_a_missing_required_key_is_named(make_pack: MakePack, rule_doc: RuleDoc) -> None:
    doc = rule_doc()
    del doc["when"]
    folder = make_pack("p", [doc])
    assert_names(load_error(folder), folder / "T-RULE-001.yaml", "T-RULE-001", "'when'")


def test_file_name_must_be_the_rule_id(make_pack: MakePack, rule_doc: RuleDoc) -> None:
    folder = make_pack("p", {"units/T-RULE-002.yaml": rule_doc()})
    error = load_error(folder)
    assert_names(
        error, folder / "units" / "T-RULE-002.yaml", "T-RULE-001", "must be named T-RULE-001.yaml"
    )


def test_invalid_rule_id_is_refused(make_pack: MakePack, rule_doc: RuleDoc) -> None:
    folder = make_pack("p", {"t-rule-1.yaml": rule_doc(id="t-rule-1")})
    assert_names(load_error(folder), folder / "t-rule-1.yaml", "t-rule-1", "id: 't-rule-1'")


def test_duplicate_id_inside_a_pack(make_pack: MakePack, rule_doc: RuleDoc) -> None:
    folder = make_pack("p", {"a/T-RULE-001.yaml": rule_doc(), "b/T-RULE-001.yaml": rule_doc()})
    error = load_error(folder)
    assert_names(error, folder / "b" / "T-RULE-001.yaml", "T-RULE-001", "duplicate rule id")


@pytest.mark.parametrize(
    ("text", "fragment"),
    [
        ("id: [unclosed\n", "invalid YAML"),
        ("- a list\n- not a rule\n", "is not of type 'object'"),
        ("", "None is not of type 'object'"),
        ("id: T-RULE-001\n\tname: tab\n", "invalid YAML"),
    ],
)
def test_unparseable_rule_files(make_pack: MakePack, text: str, fragment: str) -> None:
    folder = make_pack("p", {"T-RULE-001.yaml": text})
    error = load_error(folder)
    assert error.file == str(folder / "T-RULE-001.yaml")
    assert fragment in str(error)


def test_python_tags_in_rule_files_are_refused_not_run(make_pack: MakePack, tmp_path: Path) -> None:
    marker = tmp_path / "pwned"
    text = f"!!python/object/apply:os.system ['touch {marker}']\n"
    folder = make_pack("p", {"T-RULE-001.yaml": text})
    error = load_error(folder)
    assert "invalid YAML" in str(error)
    assert not marker.exists()


def test_an_alias_bomb_is_refused(make_pack: MakePack) -> None:
    lines = ["a: &a [x, x, x, x, x, x, x, x, x]"]
    lines += [f"{chr(98 + i)}: &{chr(98 + i)} [*{chr(97 + i)}, *{chr(97 + i)}]" for i in range(20)]
    lines += [f"z{i}: [*u, *u, *u, *u, *u, *u]" for i in range(20)]
    folder = make_pack("p", {"T-RULE-001.yaml": "\n".join(lines) + "\n"})
    message = str(load_error(folder))
    assert "aliases" in message and "refused" in message


def test_a_rule_may_reuse_an_example_with_a_few_aliases(
    make_pack: MakePack, rule_doc: RuleDoc
) -> None:
    text = (
        "id: T-RULE-001\nname: test-rule\nseverity: error\ncategory: units\nsummary: s\n"
        "message: m\nrationale: r\nreferences: [{title: t}]\neffective: {from: 2000-01-01}\n"
        "when: {eq: [$patient_id, FLAG]}\n"
        "examples:\n  fail: [&base {patient_id: FLAG, lines: [{code: J3420, units: 1}]}]\n"
        "  pass: [{patient_id: OK, lines: [{code: J3420, units: 1}]}]\n"
    )
    rules = load_pack(make_pack("p", {"T-RULE-001.yaml": text})).rules
    assert [r.meta.id for r in rules] == ["T-RULE-001"]


def test_an_oversized_rule_file_is_refused(
    make_pack: MakePack, rule_doc: RuleDoc, monkeypatch: pytest.MonkeyPatch
) -> None:
    folder = make_pack("p", [rule_doc()])
    monkeypatch.setattr(pack_module, "MAX_RULE_FILE_BYTES", 100)
    error = load_error(folder)
    assert error.file == str(folder / "T-RULE-001.yaml")
    assert "larger than 100 bytes" in str(error)


def test_a_link_out_of_the_pack_is_refused(
    make_pack: MakePack, rule_doc: RuleDoc, tmp_path: Path
) -> None:
    outside = make_pack("outside", [rule_doc()])
    folder = make_pack("p", [])
    (folder / "T-RULE-001.yaml").symlink_to(outside / "T-RULE-001.yaml")
    error = load_error(folder)
    assert error.file == str(folder / "T-RULE-001.yaml")
    assert "leaves the pack folder" in str(error)


def test_a_link_inside_the_pack_is_followed(make_pack: MakePack, rule_doc: RuleDoc) -> None:
    folder = make_pack("p", {"store/rule.txt": rule_doc()})  # .txt: not read as a rule itself
    (folder / "T-RULE-001.yaml").symlink_to(folder / "store" / "rule.txt")
    assert [r.meta.id for r in load_pack(folder).rules] == ["T-RULE-001"]


def test_a_folder_link_out_of_the_pack_is_refused(
    make_pack: MakePack, rule_doc: RuleDoc, tmp_path: Path
) -> None:
    """A link on the way to the file (a sub-folder), not the file itself."""
    outside = make_pack("outside", {"sub/T-RULE-001.yaml": rule_doc()})
    folder = make_pack("p", [])
    (folder / "dose").symlink_to(outside / "sub", target_is_directory=True)
    (folder / "data").mkdir()
    (folder / "data" / "t.yaml").symlink_to(outside / "sub" / "T-RULE-001.yaml")
    error = load_error(folder)
    assert error.file == str(folder / "data" / "t.yaml")
    assert "leaves the pack folder" in str(error)


def test_a_pack_reached_through_a_link_loads(
    make_pack: MakePack, rule_doc: RuleDoc, tmp_path: Path
) -> None:
    """The pack folder itself may be a link: only links below it are checked."""
    folder = make_pack("p", {"dose/T-RULE-001.yaml": rule_doc()})
    linked = tmp_path / "linked-pack"
    linked.symlink_to(folder, target_is_directory=True)
    assert [r.meta.id for r in load_pack(linked).rules] == ["T-RULE-001"]


# --------------------------------------------------------------------------- what a pack holds


def test_a_valid_pack_loads_rules_sorted_with_metadata(
    make_pack: MakePack, rule_doc: RuleDoc
) -> None:
    folder = make_pack(
        "p",
        {
            "z/T-RULE-002.yml": rule_doc(id="T-RULE-002", severity="info", category="dose"),
            "T-RULE-001.yaml": rule_doc(effective={"from": "2026-01-01", "to": "2026-12-31"}),
            "README.md": "# not a rule",
            "notes.txt": "not a rule either",
        },
        manifest={"name": "my-pack", "version": "1.2", "description": "Mine"},
    )
    pack = load_pack(folder)
    assert (pack.name, pack.version, pack.description) == ("my-pack", "1.2", "Mine")
    assert [r.meta.id for r in pack.rules] == ["T-RULE-001", "T-RULE-002"]
    first, second = pack.rules
    assert first.meta.pack == "my-pack"
    assert first.meta.file == str(folder / "T-RULE-001.yaml")
    assert first.meta.effective_from.isoformat() == "2026-01-01"
    assert first.meta.effective_to is not None
    assert first.meta.effective_to.isoformat() == "2026-12-31"
    assert (second.meta.severity, second.meta.category) == ("info", "dose")
    assert pack.info() == {"name": "my-pack", "version": "1.2", "rules": 2}


def test_a_pack_without_manifest_is_named_after_its_folder(
    make_pack: MakePack, rule_doc: RuleDoc
) -> None:
    pack = load_pack(make_pack("folder-name", [rule_doc()]))
    assert (pack.name, pack.version, pack.chain) == ("folder-name", "0", ("folder-name",))


def test_data_tables_are_loaded_with_provenance(
    make_pack: MakePack, rule_doc: RuleDoc, make_table: Callable[[Any], dict[str, Any]]
) -> None:
    doc = rule_doc(when={"in": ["$patient_id", {"data": "flags"}]})
    pack = load_pack(make_pack("p", [doc], data={"flags": make_table(["FLAG", "X"])}))
    table = pack.data["flags"]
    assert table.values == ("FLAG", "X")  # frozen: rules cannot change policy data
    assert (table.description, table.source) == ("test table", "the test suite")
    assert table.effective_from is not None and table.effective_from.isoformat() == "2000-01-01"


@pytest.mark.parametrize(
    ("changes", "fragment"),
    [
        ({"extra": 1}, "'extra' was unexpected"),
        ({"source": ""}, "source"),
        ({"effective": {"from": "soon"}}, "effective.from"),
    ],
)
def test_invalid_data_table_names_the_data_file(
    make_pack: MakePack,
    rule_doc: RuleDoc,
    make_table: Callable[[Any], dict[str, Any]],
    changes: dict[str, Any],
    fragment: str,
) -> None:
    table = {**make_table([1]), **changes}
    folder = make_pack("p", [rule_doc()], data={"flags": table})
    error = load_error(folder)
    assert error.file == str(folder / "data" / "flags.yaml")
    assert fragment in str(error)


def test_data_table_without_values_is_refused(
    make_pack: MakePack, rule_doc: RuleDoc, make_table: Callable[[Any], dict[str, Any]]
) -> None:
    table = make_table([1])
    del table["values"]
    error = load_error(make_pack("p", [rule_doc()], data={"flags": table}))
    assert "values (or versions) is required" in str(error)


def test_not_a_folder(tmp_path: Path) -> None:
    error = load_error(tmp_path / "missing")
    assert error.file == str(tmp_path / "missing")
    assert "not a rule pack folder" in str(error)


@pytest.mark.parametrize(
    ("manifest", "fragment"),
    [
        ({"name": "p", "bogus": 1}, "'bogus' was unexpected"),
        ({"name": "Bad Name"}, "name: 'Bad Name' does not match"),
        ({"version": 2}, "version: 2 is not of type 'string'"),
        ("- not a mapping\n", "is not of type 'object'"),
    ],
)
def test_invalid_manifest_names_pack_yaml(
    make_pack: MakePack, rule_doc: RuleDoc, manifest: Any, fragment: str
) -> None:
    folder = make_pack("p", [rule_doc()], manifest=manifest)
    error = load_error(folder)
    assert error.file == str(folder / "pack.yaml")
    assert fragment in str(error)


# --------------------------------------------------------------------------- severity overrides


def test_manifest_severity_overrides_and_off(make_pack: MakePack, rule_doc: RuleDoc) -> None:
    folder = make_pack(
        "p",
        [rule_doc(id=f"T-RULE-00{i}") for i in (1, 2, 3)],
        manifest={"severity": {"T-RULE-001": "warning", "T-RULE-002": "off"}},
    )
    pack = load_pack(folder)
    assert {r.meta.id: r.meta.severity for r in pack.rules} == {
        "T-RULE-001": "warning",
        "T-RULE-003": "error",
    }
    assert pack.info()["rules"] == 2


def test_severity_override_of_an_unknown_rule(make_pack: MakePack, rule_doc: RuleDoc) -> None:
    folder = make_pack("p", [rule_doc()], manifest={"severity": {"T-NOPE-001": "info"}})
    error = load_error(folder)
    assert error.file == str(folder / "pack.yaml")
    assert "severity: no rule 'T-NOPE-001'" in str(error)


@pytest.mark.parametrize("level", ["fatal", "ERROR", None, 1])
def test_severity_override_values_are_checked(
    make_pack: MakePack, rule_doc: RuleDoc, level: Any
) -> None:
    folder = make_pack("p", [rule_doc()], manifest={"severity": {"T-RULE-001": level}})
    error = load_error(folder)
    assert error.file == str(folder / "pack.yaml")
    assert "severity.T-RULE-001" in str(error)


# --------------------------------------------------------------------------- extends


def test_extends_inherits_replaces_and_overrides(
    make_pack: MakePack, rule_doc: RuleDoc, make_table: Callable[[Any], dict[str, Any]]
) -> None:
    uses_table = {"when": {"in": ["$patient_id", {"data": "flags"}]}}
    make_pack(
        "base",
        [
            rule_doc(id="T-BASE-001", **uses_table),
            rule_doc(id="T-BASE-002", summary="base version"),
            rule_doc(id="T-BASE-003"),
        ],
        manifest={"name": "base", "version": "1"},
        data={"flags": make_table(["FLAG"]), "other": make_table([1])},
    )
    child = make_pack(
        "child",
        [rule_doc(id="T-BASE-002", summary="child version"), rule_doc(id="T-CHILD-001")],
        manifest={
            "name": "child",
            "extends": "base",
            "severity": {"T-BASE-001": "info", "T-BASE-003": "off"},
        },
        data={"flags": make_table(["CHILD-FLAG"])},
    )
    pack = load_pack(child)
    assert pack.chain == ("base", "child")
    by_id = {r.meta.id: r for r in pack.rules}
    assert sorted(by_id) == ["T-BASE-001", "T-BASE-002", "T-CHILD-001"]
    assert by_id["T-BASE-002"].meta.summary == "child version"
    assert by_id["T-BASE-001"].meta.severity == "info"
    # inherited rules compile against the child's (merged) data tables
    assert pack.data["flags"].values == ("CHILD-FLAG",)
    assert pack.data["other"].values == (1,)
    from b12lint.engine.view import EncounterView
    from b12lint.model import validate_encounter

    def fires(patient: str) -> bool:
        record = {"encounter_id": "E", "date_of_service": "2026-03-02", "patient_id": patient}
        return bool(by_id["T-BASE-001"].evaluate(EncounterView(validate_encounter(record))))

    assert fires("CHILD-FLAG") and not fires("FLAG")


def test_extends_a_builtin_pack_replaces_it_in_the_ruleset(
    make_pack: MakePack, rule_doc: RuleDoc, core_ruleset: Any
) -> None:
    folder = make_pack(
        "payer-x",
        [rule_doc(id="PAYER-X-001")],
        manifest={
            "name": "payer-x",
            "extends": "b12-core",
            "severity": {"B12-UNITS-001": "off", "B12-DX-001": "warning"},
        },
    )
    ruleset = load_ruleset([folder])
    assert [p.name for p in ruleset.packs] == ["payer-x"]
    core_ids = {r.meta.id for r in core_ruleset.rules}
    assert set(ruleset.by_id) == (core_ids - {"B12-UNITS-001"}) | {"PAYER-X-001"}
    assert ruleset.by_id["B12-DX-001"].meta.severity == "warning"
    assert ruleset.info() == [{"name": "payer-x", "version": "0", "rules": len(core_ids)}]


def test_extends_cycle(make_pack: MakePack, rule_doc: RuleDoc) -> None:
    a = make_pack("a", [rule_doc(id="T-A-001")], manifest={"name": "a", "extends": "b"})
    make_pack("b", [rule_doc(id="T-B-001")], manifest={"name": "b", "extends": "a"})
    error = load_error(a)
    assert error.file == str(a / "pack.yaml")
    assert "extends cycle: a -> b -> a" in str(error)


def test_extends_itself(make_pack: MakePack, rule_doc: RuleDoc) -> None:
    a = make_pack("a", [rule_doc()], manifest={"name": "a", "extends": "a"})
    assert "extends cycle: a -> a" in str(load_error(a))


@pytest.mark.parametrize("ref", ["../x", "/etc", "b12-core/../b12-core", "..", "a/b", "~root"])
def test_extends_with_a_path_is_refused(make_pack: MakePack, rule_doc: RuleDoc, ref: str) -> None:
    folder = make_pack("p", [rule_doc()], manifest={"name": "p", "extends": ref})
    error = load_error(folder)
    assert error.file == str(folder / "pack.yaml")
    assert repr(ref) in str(error) and "extends" in str(error)


@pytest.mark.parametrize("ref", ["../x", "/etc", "..", "a/b"])
def test_resolve_pack_refuses_paths(tmp_path: Path, ref: str) -> None:
    with pytest.raises(PackError) as info:
        resolve_pack(ref, tmp_path / "p")
    assert "is not a pack name (no paths)" in str(info.value)


def test_extends_an_unknown_pack(make_pack: MakePack, rule_doc: RuleDoc) -> None:
    folder = make_pack("p", [rule_doc()], manifest={"extends": "no-such-pack"})
    assert "extends: no pack named 'no-such-pack'" in str(load_error(folder))


# --------------------------------------------------------------------------- several packs


def test_duplicate_ids_across_packs(make_pack: MakePack, rule_doc: RuleDoc) -> None:
    first = make_pack("first", [rule_doc()], manifest={"name": "first"})
    second = make_pack("second", [rule_doc()], manifest={"name": "second"})
    with pytest.raises(PackError) as info:
        combine([load_pack(first), load_pack(second)])
    error = info.value
    assert_names(error, second / "T-RULE-001.yaml", "T-RULE-001", "also defined by pack first")
    assert str(first / "T-RULE-001.yaml") in str(error)


def test_a_pack_reusing_a_builtin_id_without_extending_it(
    make_pack: MakePack, rule_doc: RuleDoc
) -> None:
    folder = make_pack("mine", [rule_doc(id="B12-UNITS-001")])
    with pytest.raises(PackError) as info:
        load_ruleset([folder])
    assert info.value.rule == "B12-UNITS-001"
    assert "also defined by pack b12-core" in str(info.value)


def test_builtin_only_and_without_builtin(make_pack: MakePack, rule_doc: RuleDoc) -> None:
    assert "b12-core" in [p.name for p in builtin_pack_paths()]
    folder = make_pack("mine", [rule_doc()])
    ruleset = load_ruleset([folder], builtin=False)
    assert list(ruleset.by_id) == ["T-RULE-001"]
    assert [p.name for p in ruleset.packs] == ["mine"]


def test_hidden_folders_in_a_pack_are_not_rules(tmp_path: Path) -> None:
    pack = tmp_path / "p"
    (pack / ".git").mkdir(parents=True)
    (pack / ".git" / "HEAD.yaml").write_text("not: a rule\n")
    (pack / "pack.yaml").write_text("name: p\n")
    assert load_pack(pack).rules == ()
