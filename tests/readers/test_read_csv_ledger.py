"""CSV ledgers: a row filter (only ``TYPE = CHARGE`` rows) and ISO date-times for dates."""

from __future__ import annotations

import datetime as dt
import io

import pytest

from b12lint.config import ConfigError, load_config
from b12lint.model import InputError, Record
from b12lint.readers import CsvOptions
from b12lint.readers.csv_reader import FILTERED, CsvConfigError, read_csv
from b12lint.readers.stats import collecting

LEDGER = (
    "encounter_id,date_of_service,TYPE,code,units,charge\n"
    "E1,2026-03-02T10:15:00,CHARGE,J3420,1,12.00\n"
    "E1,2026-03-02T10:15:00,payment,,,-12.00\n"
    "E1,2026-03-02T10:20:00-05:00,Charge ,96372,1,25.00\n"
    "E2,2026-03-03 09:00:00Z,ADJUSTMENT,,,-5.00\n"
    "E3,2026-03-04,CHARGE,J3420,1,12.00\n"
)


def options(section: dict[str, object]) -> CsvOptions:
    return CsvOptions.from_config(section)


def read(text: str, opts: CsvOptions) -> list[Record | InputError]:
    return list(read_csv(io.BytesIO(text.encode()), "ledger.csv", options=opts))


def test_the_filter_keeps_charge_rows_and_counts_the_others():
    with collecting() as stats:
        first, second = read(LEDGER, options({"filter": {"type": "CHARGE"}}))
    assert isinstance(first, Record) and isinstance(second, Record)
    assert [line["code"] for line in first.encounter["lines"]] == ["J3420", "96372"]
    assert first.encounter["date_of_service"] == dt.date(2026, 3, 2)
    assert second.encounter["encounter_id"] == "E3" and second.source.line == 6
    assert stats.not_judged == {FILTERED: 2}  # the payment and the adjustment


def test_without_a_filter_payment_rows_are_lines_of_their_encounter():
    items = read(LEDGER, CsvOptions())
    assert [type(i).__name__ for i in items] == ["Record", "Record", "Record"]
    assert len(items[0].encounter["lines"]) == 3  # type: ignore[union-attr]


def test_a_filter_of_several_columns_and_values():
    opts = options({"filter": {"TYPE": ["charge", "adjustment"], "units": "1"}})
    items = read(LEDGER, opts)
    assert [i.encounter["encounter_id"] for i in items] == ["E1", "E3"]  # type: ignore[union-attr]


def test_a_filter_column_missing_from_the_header_is_an_input_error():
    (error,) = read(LEDGER, options({"filter": {"STATUS": "POSTED"}}))
    assert isinstance(error, InputError)
    assert "'status' (a column of the row filter)" in error.message
    assert error.source.line == 1


def test_the_filter_is_validated_by_the_config_schema(tmp_path):
    config = tmp_path / "b12lint.toml"
    config.write_text('[csv]\nfilter = {TYPE = "CHARGE"}\n', encoding="utf-8")
    section = load_config(config, env={}).section("csv")
    assert options(section).row_filter == {"type": frozenset({"charge"})}
    config.write_text("[csv]\nfilter = {TYPE = 3}\n", encoding="utf-8")
    with pytest.raises(ConfigError, match="filter"):
        load_config(config, env={})
    config.write_text("[csv]\nfilter = {TYPE = []}\n", encoding="utf-8")
    with pytest.raises(ConfigError, match="filter"):
        load_config(config, env={})
    with pytest.raises(CsvConfigError, match="given twice"):
        options({"filter": {"TYPE": "A", " type ": "B"}})


@pytest.mark.parametrize(
    ("cell", "date"),
    [
        ("2026-03-02T23:30:00", dt.date(2026, 3, 2)),
        ("2026-03-02 23:30", dt.date(2026, 3, 2)),
        ("2026-03-02T23:30:00+02:00", dt.date(2026, 3, 2)),  # the date as written
        ("2026-03-02T23:30:00.123Z", dt.date(2026, 3, 2)),
    ],
)
def test_iso_date_times_are_read_as_their_date(cell, date):
    text = f"encounter_id,date_of_service,code,line_date\nE1,{cell},J3420,{cell}\n"
    (record,) = read(text, CsvOptions.from_config({"columns": {"line_date": "line_date"}}))
    assert isinstance(record, Record)
    assert record.encounter["date_of_service"] == date
    assert record.encounter["lines"][0]["date"] == date


@pytest.mark.parametrize("cell", ["2026-03-02T25:00:00", "2026-03-02Tnoon", "2026-03-02X10:00"])
def test_a_broken_date_time_is_an_input_error_at_its_row(cell):
    (error,) = read(f"encounter_id,date_of_service,code\nE1,{cell},J3420\n", CsvOptions())
    assert isinstance(error, InputError)
    assert "ISO date-time" in error.message and error.pointer == "/date_of_service"
