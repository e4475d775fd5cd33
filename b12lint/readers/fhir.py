"""FHIR R4 input: a ``Bundle`` (JSON) or NDJSON of resources, each resource at its line.

Every resource of a type b12lint reads (:data:`VALIDATED`) is validated with the
``fhir.resources`` R4B models, imported only when a FHIR input is read (about 0.2 s). A
resource that fails validation is an input error at its line and takes no part in the
mapping; the rest of the file is still checked. The mapping of Claims and their chart is
:mod:`b12lint.readers.fhir_map`.
"""

from __future__ import annotations

import importlib
import json
from collections.abc import Iterator
from functools import cache
from typing import Any

import orjson

from b12lint.model import InputError, Source
from b12lint.readers.base import DEFAULT_LIMITS, Item, Limits, depth_exceeds, unreadable

#: Resource types that are validated and read; others in a bundle are skipped.
VALIDATED = (
    "Claim",
    "MedicationAdministration",
    "Medication",
    "Condition",
    "Patient",
    "Practitioner",
    "PractitionerRole",
    "Organization",
    "Coverage",
)
_WS = " \t\r\n"


@cache
def _model(resource_type: str) -> Any:
    module = importlib.import_module(f"fhir.resources.R4B.{resource_type.lower()}")
    return getattr(module, resource_type)


def _pointer(loc: tuple[int | str, ...]) -> str:
    return "".join("/" + str(p).replace("~", "~0").replace("/", "~1") for p in loc)


def validation_error(resource: dict[str, Any]) -> tuple[str, str] | None:
    """``(pointer, message)`` of the first problem fhir.resources finds, or None."""
    from pydantic import ValidationError

    try:
        _model(resource["resourceType"]).model_validate(resource)
    except ValidationError as exc:
        first = exc.errors(include_input=False, include_url=False)[0]
        loc = tuple(p for p in first["loc"] if p != "__root__")
        return _pointer(loc), str(first["msg"]).removeprefix("Value error, ")
    return None


class _Text:
    """JSON text with incremental line numbers for offsets that only grow."""

    def __init__(self, text: str) -> None:
        self.text = text
        self.pos = 0
        self.line = 1

    def line_at(self, offset: int) -> int:
        self.line += self.text.count("\n", self.pos, offset)
        self.pos = offset
        return self.line

    def skip(self, pos: int) -> int:
        text = self.text
        while pos < len(text) and text[pos] in _WS:
            pos += 1
        return pos


_Value = tuple[object, Source, str | None]


def _bundle_entries(text: _Text, file: str) -> Iterator[_Value | InputError]:
    """The ``entry[].resource`` values of a Bundle document, each at the line of its entry."""
    decoder = json.JSONDecoder()
    raw = text.text
    pos = text.skip(0)
    try:
        if raw[pos : pos + 1] != "{":
            raise ValueError("expected a JSON object")
        pos = text.skip(pos + 1)
        while raw[pos : pos + 1] != "}":
            key, pos = decoder.raw_decode(raw, pos)
            pos = text.skip(pos)
            if raw[pos : pos + 1] != ":":
                raise ValueError("expected ':'")
            pos = text.skip(pos + 1)
            if key == "entry" and raw[pos : pos + 1] == "[":
                pos = text.skip(pos + 1)
                while raw[pos : pos + 1] != "]":
                    line = text.line_at(pos)
                    entry, pos = decoder.raw_decode(raw, pos)
                    entry = entry if isinstance(entry, dict) else {}
                    url = entry.get("fullUrl")
                    yield (
                        entry.get("resource"),
                        Source(file, line),
                        url if isinstance(url, str) else None,
                    )
                    pos = text.skip(pos)
                    if raw[pos : pos + 1] == ",":
                        pos = text.skip(pos + 1)
                    elif raw[pos : pos + 1] != "]":
                        raise ValueError("expected ',' or ']'")
                pos += 1
            else:
                _, pos = decoder.raw_decode(raw, pos)
            pos = text.skip(pos)
            if raw[pos : pos + 1] == ",":
                pos = text.skip(pos + 1)
            elif raw[pos : pos + 1] != "}":
                raise ValueError("expected ',' or '}'")
    except (ValueError, RecursionError) as exc:
        detail = str(exc).split(": line ")[0]
        yield unreadable(
            Source(file, text.line_at(min(pos, len(raw)))), f"not valid JSON ({detail})"
        )


def _values(data: bytes, file: str) -> Iterator[_Value | InputError]:
    """Resources with their line: a Bundle's entries, NDJSON lines, or one resource."""
    if data.startswith(b"\xef\xbb\xbf"):
        data = data[3:]
    try:
        decoded = data.decode("utf-8")
    except UnicodeDecodeError as exc:
        yield unreadable(Source(file, data.count(b"\n", 0, exc.start) + 1), "not valid UTF-8 text")
        return
    lines = decoded.splitlines()
    first = next((i for i, ln in enumerate(lines) if ln.strip()), None)
    if first is None:
        return
    one_per_line = len([ln for ln in lines if ln.strip()]) > 1 and lines[first].strip().endswith(
        "}"
    )
    if one_per_line:
        for number, line in enumerate(lines, 1):
            if not line.strip():
                continue
            try:
                yield orjson.loads(line), Source(file, number), None
            except orjson.JSONDecodeError as exc:
                yield unreadable(
                    Source(file, number), f"not valid JSON ({str(exc).split(': line ')[0]})"
                )
        return
    text = _Text(decoded)
    start = text.skip(0)
    try:
        head = orjson.loads(decoded)
    except orjson.JSONDecodeError:
        head = None
    if isinstance(head, dict) and head.get("resourceType") != "Bundle":
        yield head, Source(file, text.line_at(start)), None
        return
    yield from _bundle_entries(text, file)


def _claim_id(resource: dict[str, Any]) -> str | None:
    for identifier in resource.get("identifier") or ():
        if isinstance(identifier, dict) and isinstance(identifier.get("value"), str):
            return str(identifier["value"]) or None
        break
    value = resource.get("id")
    return value if isinstance(value, str) and value else None


def read_fhir(data: bytes, file: str, limits: Limits = DEFAULT_LIMITS) -> Iterator[Item]:
    """Every Claim of a FHIR Bundle or NDJSON file as an encounter with its linked chart."""
    from b12lint.readers.fhir_map import Resource, encounters

    resources: list[Resource] = []
    for value in _values(data, file):
        if isinstance(value, InputError):
            yield value
            continue
        obj, source, url = value
        if not isinstance(obj, dict) or not isinstance(obj.get("resourceType"), str):
            yield InputError(
                source, "not a FHIR resource (no resourceType)", rule_id="B12-INPUT-002"
            )
            continue
        kind = obj["resourceType"]
        if kind not in VALIDATED:
            continue
        label = f"{kind}/{obj.get('id')}" if isinstance(obj.get("id"), str) else kind
        eid = _claim_id(obj) if kind == "Claim" else None
        if depth_exceeds(obj, limits.max_depth):
            yield InputError(
                source,
                f"{label} nests deeper than {limits.max_depth} levels",
                encounter_id=eid,
                rule_id="B12-INPUT-004",
            )
            continue
        problem = validation_error(obj)
        if problem is not None:
            pointer, message = problem
            yield InputError(
                source,
                f"invalid FHIR {label}: {pointer or '/'}: {message}",
                pointer,
                encounter_id=eid,
                rule_id="B12-INPUT-002",
            )
            continue
        resources.append(Resource(obj, source, url))
    yield from encounters(resources, file, limits)


def looks_like_fhir(head: bytes) -> bool:
    """Whether the first JSON object of ``head`` has a top-level ``resourceType`` key."""
    text = head.decode("utf-8", "replace").lstrip("\ufeff" + _WS)
    if not text.startswith("{"):
        return False
    depth = 0
    i = 0
    n = len(text)
    while i < n:
        char = text[i]
        if char == '"':
            j = i + 1
            while j < n and text[j] != '"':
                j += 2 if text[j] == "\\" else 1
            if depth == 1 and text[i + 1 : j] == "resourceType":
                k = j + 1
                while k < n and text[k] in _WS:
                    k += 1
                if k < n and text[k] == ":":
                    return True
            i = j + 1
            continue
        if char in "{[":
            depth += 1
        elif char in "}]":
            depth -= 1
            if depth == 0:
                return False
        i += 1
    return False


__all__ = ["VALIDATED", "looks_like_fhir", "read_fhir", "validation_error"]
