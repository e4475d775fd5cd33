"""Shared reader pieces: limits, turning parsed objects into records or input errors."""

from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass

from b12lint.model import InputError, Record, Source, StructureError, validate_encounter
from b12lint.readers.jsontext import duplicate_key, has_duplicate_keys, plain_json
from b12lint.readers.typed import Convert

Item = Record | InputError


@dataclass(frozen=True, slots=True)
class Parsed:
    """A value parsed from an input file, with its location, before validation."""

    obj: object
    source: Source
    raw: bytes | None = None
    json: bool = False
    """``raw`` is the record's JSON text (checked for duplicate keys)."""


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


def _shape(value: object, limit: int) -> tuple[bool, int]:
    """Whether ``value`` nests deeper than ``limit``, and how many object keys it holds
    (iterative: no recursion; the walk stops at the first level over the limit)."""
    stack: list[tuple[object, int]] = [(value, 1)]
    keys = 0
    while stack:
        item, depth = stack.pop()
        if isinstance(item, dict):
            if depth > limit:
                return True, keys
            keys += len(item)
            stack.extend((v, depth + 1) for v in item.values())
        elif isinstance(item, list):
            if depth > limit:
                return True, keys
            stack.extend((v, depth + 1) for v in item)
    return False, keys


def shape_error(
    obj: object,
    source: Source,
    limits: Limits,
    *,
    raw: bytes | None = None,
    json_text: bool = False,
    what: str = "record",
    whole: object = None,
) -> InputError | None:
    """The input error of a parsed value nested too deeply or (JSON) with a duplicate key.

    ``raw`` is the JSON text of ``obj``, or of ``whole`` when given (a value that holds
    ``obj`` one level down, such as a FHIR Bundle entry around its resource).
    """
    encounter_id = _encounter_id(obj)
    too_deep, keys = _shape(obj, limits.max_depth)
    if too_deep:
        return InputError(
            source,
            f"{what} nests deeper than {limits.max_depth} levels",
            encounter_id=encounter_id,
            rule_id="B12-INPUT-004",
            digest=digest(raw) if raw is not None else None,
        )
    if raw is not None and (b"\\u" in raw or b"\\U" in raw) and _lone_surrogate(obj):
        # "\ud800" is valid JSON and YAML syntax but no character: no report could hold it
        return InputError(
            source,
            "not valid Unicode text (an escaped lone surrogate)",
            encounter_id=encounter_id
            if encounter_id and not _SURROGATE.search(encounter_id)
            else None,
            digest=digest(raw),
        )
    if json_text and raw is not None and whole is not None:
        keys = _shape(whole, limits.max_depth + 1)[1]
    if json_text and raw is not None and has_duplicate_keys(raw, keys):
        return InputError(
            source,
            f"not valid JSON ({duplicate_key(raw)}: which value holds is undefined)",
            encounter_id=encounter_id,
            digest=digest(raw),
        )
    return None


_SURROGATE = re.compile("[\ud800-\udfff]")


def _lone_surrogate(value: object) -> bool:
    """Whether a string (or key) of a parsed value holds a lone surrogate."""
    stack = [value]
    while stack:
        item = stack.pop()
        if isinstance(item, str):
            if _SURROGATE.search(item):
                return True
        elif isinstance(item, dict):
            stack.extend(item.keys())
            stack.extend(item.values())
        elif isinstance(item, list):
            stack.extend(item)
    return False


def _encounter_id(obj: object) -> str | None:
    if isinstance(obj, dict):
        value = obj.get("encounter_id")
        if isinstance(value, str) and value:
            return value
    return None


def to_item(
    obj: object,
    source: Source,
    *,
    raw: bytes | None = None,
    has_chart: bool = True,
    limits: Limits = DEFAULT_LIMITS,
    check_depth: bool = True,
    json_text: bool = False,
    convert: Convert | None = None,
) -> Item:
    """Validate one parsed record: a :class:`Record`, or an input error at its location.

    A record whose ``documentation`` is absent or null carries no chart (a claim-only
    export): its chart rules are skipped and the summary counts it ``without_chart``, as for a
    bare 837P; an empty ``documentation`` object is a chart that documents nothing.
    ``check_depth`` False skips the nesting check for records a reader built itself (X12,
    CSV, FHIR mappings: their depth is fixed by construction). ``json_text``: ``raw`` is the
    record's JSON text, checked for a key written twice. ``convert``
    (:func:`b12lint.readers.typed.converter`) validates faster the records it accepts, with
    the same result; pydantic validates the others and words every error.
    """
    if check_depth:
        problem = shape_error(obj, source, limits, raw=raw, json_text=json_text)
        if problem is not None:
            return problem
    if convert is not None:
        fast = convert(obj)
        if fast is not None:
            chart = has_chart and fast.get("documentation") is not None
            return Record(fast, source, has_chart=chart)
    encounter_id = _encounter_id(obj)
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
    return Record(
        encounter, source, has_chart=has_chart and encounter.get("documentation") is not None
    )


def to_json_item(
    obj: object,
    source: Source,
    raw: bytes,
    limits: Limits = DEFAULT_LIMITS,
    convert: Convert | None = None,
) -> Item:
    """``to_item(obj, source, raw=raw, limits=limits, json_text=True)`` for a record parsed
    from the valid UTF-8 JSON text ``raw``, decided faster where it can be: byte-level checks
    in place of the walk over every node (:func:`~b12lint.readers.jsontext.plain_json`),
    msgspec in place of pydantic for a record it accepts (``convert``:
    :func:`b12lint.readers.typed.converter`, looked up once per file). Whatever they leave
    undecided, and every error, goes through :func:`to_item`: the same item, the same message.
    """
    if plain_json(raw, obj, limits.max_depth):  # the checks of shape_error are done
        return to_item(obj, source, raw=raw, limits=limits, check_depth=False, convert=convert)
    return to_item(obj, source, raw=raw, limits=limits, json_text=True)


def unreadable(source: Source, message: str, raw: bytes | None = None) -> InputError:
    """An input error for text that could not be parsed at all."""
    return InputError(source, message, digest=digest(raw) if raw is not None else None)
