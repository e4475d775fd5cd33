"""The CSV reader: default columns, a custom mapping from config, bad rows and files."""

from __future__ import annotations

import datetime as dt
import io

import pytest

from b12lint.config import ConfigError, load_config
from b12lint.engine import load_ruleset, run
from b12lint.model import InputError, Record
from b12lint.readers import CsvOptions, read_inputs
from b12lint.readers.csv_reader import CsvConfigError, read_csv

HEADER = "encounter_id,patient_id,date_of_service,diagnoses,code,units,modifiers,dx_pointers,ndc\n"
ROWS = (
    "E1,PT-1,2026-03-02,D51.0;K90.0,J3420,1,JZ,1;2,00517003101\n"
    "E1,PT-1,2026-03-02,D51.0;K90.0,96372,1,,A,\n"
    "E2,PT-2,2026-03-03,D51.0,J3420,1,,1,\n"
)


def read(text: str, options: CsvOptions | None = None) -> list[Record | InputError]:
    data = io.BytesIO(text.encode("utf-8"))
    if options is None:
        return list(read_csv(data, "x.csv"))
    return list(read_csv(data, "x.csv", options=options))


def test_default_columns_group_rows_into_encounters():
    first, second = read(HEADER + ROWS)
    assert isinstance(first, Record) and isinstance(second, Record)
    assert not first.has_chart
    enc = first.encounter
    assert enc["encounter_id"] == "E1" and first.source.line == 2 and second.source.line == 4
    assert enc["date_of_service"] == dt.date(2026, 3, 2)
    assert enc["diagnoses"] == ["D51.0", "K90.0"]
    drug, injection = enc["lines"]
    assert drug["modifiers"] == ["JZ"] and drug["dx_pointers"] == [1, 2]
    assert drug["ndc"] == "00517003101" and drug["units"] == 1
    assert injection["dx_pointers"] == [1] and "ndc" not in injection


def test_custom_mapping_from_configuration(tmp_path):
    config = tmp_path / "b12lint.toml"
    config.write_text(
        "[csv]\n"
        'delimiter = ";"\n'
        'date-format = "%m/%d/%Y"\n'
        "[csv.columns]\n"
        'encounter_id = "ClaimNo"\n'
        'date_of_service = "DOS"\n'
        'code = "CPT"\n'
        'units = "Qty"\n'
        'diagnoses = ["DX1", "DX2"]\n'
        'modifiers = ["Mod1", "Mod2"]\n'
        'dx_pointers = "Ptr"\n'
        'rendering_npi = "Rendering NPI"\n',
        encoding="utf-8",
    )
    options = CsvOptions.from_config(load_config(config, env={}).section("csv"))
    text = (
        "\ufeffClaimNo;DOS;DX1;DX2;CPT;Qty;Mod1;Mod2;Ptr;Rendering NPI;Other\n"
        "C1;03/02/2026;D51.0;E53.8;J3420;1;JZ;;AB;1234567893;x\n"
        "C1;03/02/2026;D51.0;E53.8;96372;1;;;A;1234567893;y\n"
    )
    (record,) = read(text, options)
    enc = record.encounter
    assert enc["encounter_id"] == "C1" and enc["date_of_service"] == dt.date(2026, 3, 2)
    assert enc["diagnoses"] == ["D51.0", "E53.8"] and enc["rendering_npi"] == "1234567893"
    assert enc["lines"][0]["dx_pointers"] == [1, 2] and enc["lines"][0]["modifiers"] == ["JZ"]
    # a clean claim: nothing above info (the CSV carries no NDC: an info note)
    assert [f for f in run([record], load_ruleset()).findings if f.severity != "info"] == []


def test_configuration_is_validated(tmp_path):
    config = tmp_path / "b12lint.toml"
    config.write_text('[csv.columns]\nencounter = "ClaimNo"\n', encoding="utf-8")
    with pytest.raises(ConfigError, match="encounter"):
        load_config(config, env={})
    with pytest.raises(CsvConfigError, match="one header only"):
        CsvOptions.from_config({"columns": {"code": ["A", "B"]}})
    with pytest.raises(CsvConfigError, match="delimiter"):
        CsvOptions.from_config({"delimiter": '"'})


def test_a_bad_row_makes_its_encounter_an_input_error_at_that_row():
    text = HEADER + ROWS.replace("96372,1,", "96372,one,")
    error, other = read(text)
    assert isinstance(error, InputError) and isinstance(other, Record)
    assert error.source.line == 3 and error.pointer == "/lines/1/units"
    assert error.encounter_id == "E1" and "units is not a number" in error.message
    bad_date = read(HEADER + ROWS.replace("2026-03-03", "03/03/26"))
    assert isinstance(bad_date[1], InputError) and bad_date[1].pointer == "/date_of_service"


def test_rows_of_one_encounter_must_be_consecutive():
    text = HEADER + ROWS + "E1,PT-1,2026-03-02,D51.0,99213,1,25,1,\n"
    result = run(read(text), load_ruleset())
    duplicate = [f for f in result.findings if f.rule_id == "B12-INPUT-003"]
    assert [(f.encounter_id, f.location.line) for f in duplicate] == [("E1", 5)]
    assert result.summary.encounters + result.summary.input_errors == 3


def test_conflicting_encounter_columns():
    text = HEADER + ROWS.replace(
        "E1,PT-1,2026-03-02,D51.0;K90.0,96372", "E1,PT-9,2026-03-02,D51.0;K90.0,96372"
    )
    error = read(text)[0]
    assert isinstance(error, InputError) and error.pointer == "/patient_id"
    assert "PT-9" not in error.message  # no PHI in messages


def test_header_without_required_columns_and_broken_files():
    (error,) = read("id,code\nE1,J3420\n")
    assert isinstance(error, InputError) and "encounter_id" in error.message
    assert "date_of_service" in error.message
    items = list(
        read_csv(io.BytesIO(HEADER.encode() + b"E1,PT\xff,2026-03-02,,J3420,1,,,\n"), "x.csv")
    )
    assert len(items) == 1 and "UTF-8" in items[0].message
    (empty_id,) = read(HEADER + ",PT-1,2026-03-02,D51.0,J3420,1,,1,\n")
    assert isinstance(empty_id, InputError) and empty_id.pointer == "/encounter_id"
    assert read("") == [] and read(HEADER) == []


def test_csv_is_read_by_extension(tmp_path):
    path = tmp_path / "claims.csv"
    path.write_text(HEADER + ROWS, encoding="utf-8")
    assert len(list(read_inputs([str(path)]))) == 2
