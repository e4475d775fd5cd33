"""Shared reader pieces: limits, turning parsed objects into records or input errors."""

from __future__ import annotations

import hashlib
from dataclasses import dataclass

from b12lint.model import InputError, Record, Source, StructureError, validate_encounter

Item = Record | InputError


@dataclass(frozen=True, slots=True)
class Parsed:
    """A value parsed from an input file, with its location, before validation."""

    obj: object
    source: Source
    raw: bytes | None = None


@dataclass(frozen=True, slots=True)
class Limits:
    """Bounds on what one record may cost to read (configurable; see README)."""

    max_record_bytes: int = 16 * 1024 * 1024
    max_depth: int = 64
    max_file_bytes: int = 2 * 1024 * 1024 * 1024
    """Whole-document formats (.json, .yaml) are read into memory: bound them."""
    max_yaml_bytes: int = 64 * 1024 * 1024


DEFAULT_LIMITS = Limits()


def digest(data: bytes) -> str:
    """A short content hash of a record's bytes (baselines of input errors use it)."""
    return hashlib.blake2b(data, digest_size=8).hexdigest()


def depth_exceeds(value: object, limit: int) -> bool:
    """Whether a parsed value nests deeper than ``limit`` (iterative: no recursion)."""
    stack: list[tuple[object, int]] = [(value, 1)]
    while stack:
        item, depth = stack.pop()
        if isinstance(item, dict):
            if depth > limit:
                return True
            stack.extend((v, depth + 1) for v in item.values())
        elif isinstance(item, list):
            if depth > limit:
                return True
            stack.extend((v, depth + 1) for v in item)
    return False


def shallow(raw: bytes | None, limit: int) -> bool:
    """Whether JSON text surely nests no deeper than ``limit``: it opens at most ``limit``
    arrays and objects in all (a bracket inside a string only over-counts). Saves walking
    the parsed value for nearly every record."""
    return raw is not None and raw.count(b"{") + raw.count(b"[") <= limit


def to_item(
    obj: object,
    source: Source,
    *,
    raw: bytes | None = None,
    has_chart: bool = True,
    limits: Limits = DEFAULT_LIMITS,
    check_depth: bool = True,
) -> Item:
    """Validate one parsed record: a :class:`Record`, or an input error at its location.

    ``check_depth`` False skips the nesting check for records a reader built itself (X12,
    CSV, FHIR mappings: their depth is fixed by construction).
    """
    encounter_id = None
    if isinstance(obj, dict):
        value = obj.get("encounter_id")
        encounter_id = value if isinstance(value, str) and value else None
    if check_depth and not shallow(raw, limits.max_depth) and depth_exceeds(obj, limits.max_depth):
        return InputError(
            source,
            f"record nests deeper than {limits.max_depth} levels",
            encounter_id=encounter_id,
            rule_id="B12-INPUT-004",
            digest=digest(raw) if raw is not None else None,
        )
    try:
        encounter = validate_encounter(obj)
    except StructureError as exc:
        return InputError(
            source,
            f"invalid record: {exc}",
            exc.pointer,
            encounter_id=encounter_id,
            rule_id="B12-INPUT-002",
            digest=digest(raw) if raw is not None else None,
        )
    return Record(encounter, source, has_chart=has_chart)


def unreadable(source: Source, message: str, raw: bytes | None = None) -> InputError:
    """An input error for text that could not be parsed at all."""
    return InputError(source, message, digest=digest(raw) if raw is not None else None)
