"""Spark rows in and out: encounter rows to records, findings to the JSON report's columns.

An input row is either a structured encounter (the native record's fields as columns, e.g.
from Parquet) or one column of JSON text (``value``, as ``spark.read.text`` gives), each with
optional location columns ``_file`` and ``_line``. Findings leave as rows of
:data:`FINDING_COLUMNS`: the JSON report's fields, ``location`` and ``fix`` as structs, the
fix value as JSON text (its type varies from rule to rule).
"""

from __future__ import annotations

from typing import Any

import orjson

from b12lint.engine.findings import finding as new_finding
from b12lint.model import Finding, Source
from b12lint.parallel.wire import FindingRow, finding
from b12lint.readers import DEFAULT_LIMITS, Item, Limits, to_item
from b12lint.readers.native import read_line

FILE_COLUMN = "_file"
LINE_COLUMN = "_line"
TEXT_COLUMN = "value"
#: Where findings locate when the DataFrame has no ``_file`` column.
DATAFRAME_FILE = "<dataframe>"

#: The findings DataFrame's columns (Spark DDL), the JSON report's finding fields.
FINDING_COLUMNS = (
    "rule_id STRING, severity STRING, category STRING, encounter_id STRING, message STRING, "
    "location STRUCT<file: STRING, line: BIGINT, pointer: STRING>, "
    "fix STRUCT<pointer: STRING, value: STRING>"
)
SparkRow = tuple[Any, ...]


def row_item(
    row: Any, text: bool, limits: Limits = DEFAULT_LIMITS, number: int | None = None
) -> Item | None:
    """The item of one DataFrame row (None for a blank JSON text line); ``number`` is its
    line when the row has no ``_line``."""
    values: dict[str, Any] = row.asDict(recursive=True)
    file = values.pop(FILE_COLUMN, None) or DATAFRAME_FILE
    line = values.pop(LINE_COLUMN, number)
    source = Source(str(file), None if line is None else int(line))
    if text:
        raw = values.get(TEXT_COLUMN)
        data = raw.encode("utf-8") if isinstance(raw, str) else bytes(raw or b"")
        return read_line(data, source, limits)
    return to_item(values, source, limits=limits)


def spark_row(row: FindingRow, offset: int = 0) -> SparkRow:
    """A finding (as the workers send it) as a row of :data:`FINDING_COLUMNS`."""
    return to_spark(finding(row, offset))


def to_spark(f: Finding) -> SparkRow:
    """A finding as a row of :data:`FINDING_COLUMNS`."""
    loc, fix = f.location, f.fix
    return (
        f.rule_id,
        f.severity,
        f.category,
        f.encounter_id,
        f.message,
        (loc.file, loc.line, loc.pointer),
        None if fix is None else (fix.pointer, orjson.dumps(fix.value).decode()),
    )


def from_spark(row: Any) -> Finding:
    """A row of the findings DataFrame back as a finding (no context: not a report column)."""
    location, fix = row["location"], row["fix"]
    return new_finding(
        row["rule_id"],
        row["severity"],
        row["category"],
        row["encounter_id"],
        row["message"],
        location["file"],
        location["line"],
        location["pointer"],
        None if fix is None else (fix["pointer"], orjson.loads(fix["value"]), True),
    )
