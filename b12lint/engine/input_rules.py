"""The ``input`` rules: records that could not be read. Built into the engine, not a pack."""

from __future__ import annotations

from b12lint.engine.rule import FAR_PAST, RuleMeta

_FORMATS = ({"title": "b12lint data contracts, FORMATS.md section 1 (native encounter record)"},)


def _meta(rule_id: str, name: str, summary: str, rationale: str) -> RuleMeta:
    return RuleMeta(
        id=rule_id,
        name=name,
        severity="error",
        category="input",
        summary=summary,
        message=summary,
        rationale=rationale,
        references=_FORMATS,
        effective_from=FAR_PAST,
        effective_to=None,
        pack="(engine)",
    )


UNREADABLE = _meta(
    "B12-INPUT-001",
    "unreadable-record",
    "The record is not valid JSON or YAML, or not valid UTF-8 text",
    "A record that cannot be parsed cannot be checked; it is reported at its file and line "
    "and the rest of the batch is still checked.",
)
STRUCTURE = _meta(
    "B12-INPUT-002",
    "invalid-record-structure",
    "The record does not have the encounter structure (a wrong type, or a required field missing)",
    "Read-time validation checks structure and types only (encounter_id and date_of_service "
    "required, lines a list of objects, units a number...). A wrong value is a rule finding.",
)
DUPLICATE = _meta(
    "B12-INPUT-003",
    "duplicate-encounter-id",
    "A second record with an encounter_id already seen in the batch",
    "encounter_id is the key findings are reported on; a second record with the same id is "
    "not checked, so that no finding is attributed to the wrong visit.",
)
LIMIT = _meta(
    "B12-INPUT-004",
    "record-over-limits",
    "The record exceeds a configured size or nesting limit",
    "Records larger than the maximum record size or nested deeper than the maximum depth are "
    "not parsed, so that hostile input cannot exhaust memory or the stack.",
)

INPUT_RULES: dict[str, RuleMeta] = {m.id: m for m in (UNREADABLE, STRUCTURE, DUPLICATE, LIMIT)}
