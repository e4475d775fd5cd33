"""FHIR R4 input: a ``Bundle`` (JSON) or NDJSON of resources, each resource at its line.

Every resource of a type b12lint reads (:data:`VALIDATED`) is validated with the
``fhir.resources`` R4B models, imported only when a FHIR input is read (about 0.2 s). A
resource that fails validation is an input error at its line and takes no part in the
mapping; the rest of the file is still checked. The mapping of Claims and their chart is
:mod:`b12lint.readers.fhir_map`.
"""

from __future__ import annotations

import dataclasses
import importlib
import json
import re
from collections import Counter
from collections.abc import Callable, Iterator
from functools import cache
from typing import TYPE_CHECKING, Any

import orjson

from b12lint.model import InputError, Source
from b12lint.readers.base import DEFAULT_LIMITS, Item, Limits, digest, shape_error, unreadable
from b12lint.readers.jsontext import skip_value
from b12lint.readers.stats import current

if TYPE_CHECKING:
    from b12lint.readers.fhir_refs import Index

#: Resource types that are validated and read; others are counted as read but not judged.
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
    "ExplanationOfBenefit",
    "MedicationRequest",
    "MedicationDispense",
)
#: Types validated leniently: a payer export may leave out elements R4 requires.
LENIENT = frozenset({"ExplanationOfBenefit"})
_WS = " \t\r\n"


@cache
def _model(resource_type: str) -> Any:
    module = importlib.import_module(f"fhir.resources.R4B.{resource_type.lower()}")
    return getattr(module, resource_type)


def _pointer(loc: tuple[int | str, ...]) -> str:
    return "".join("/" + str(p).replace("~", "~0").replace("/", "~1") for p in loc)


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


_Value = tuple[object, Source, str | None, bytes, object]
"""A resource, its line, its entry's fullUrl, the JSON text and the value that text holds."""
FhirValue = _Value | InputError
"""One resource value read from a FHIR file, or the input error of one that could not be."""
_SURROGATE = re.compile("[\udc80-\udcff]")


def _entry_error(
    exc: ValueError | RecursionError, source: Source, raw: bytes | None, limits: Limits
) -> InputError:
    if isinstance(exc, RecursionError):
        return InputError(
            source,
            f"resource nests deeper than {limits.max_depth} levels",
            rule_id="B12-INPUT-004",
            digest=digest(raw) if raw is not None else None,
        )
    return unreadable(source, f"not valid JSON ({str(exc).split(': line ')[0]})", raw)


def _bundle_entries(text: _Text, file: str, limits: Limits) -> Iterator[_Value | InputError]:
    """The ``entry[].resource`` values of a Bundle document, each at the line of its entry.

    An entry that cannot be decoded (a syntax error inside it, too deep, bytes that are not
    UTF-8) is an input error at its line and the next entries are still read.
    """
    decoder = json.JSONDecoder(parse_constant=_no_constant)
    raw = text.text
    pos = text.skip(0)
    bundle = False
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
            if key == "resourceType" and raw.startswith('"Bundle"', pos):
                bundle = True
            if key == "entry" and raw[pos : pos + 1] == "[":
                pos = text.skip(pos + 1)
                while raw[pos : pos + 1] != "]":
                    line = text.line_at(pos)
                    source = Source(file, line)
                    try:
                        entry, end = decoder.raw_decode(raw, pos)
                    except (ValueError, RecursionError) as exc:
                        end_or_none = skip_value(raw, pos)
                        bad = _encode(raw[pos:end_or_none]) if end_or_none is not None else None
                        yield _entry_error(exc, source, bad, limits)
                        if end_or_none is None:
                            return
                        pos = end_or_none
                    else:
                        yield _entry_value(entry, source, raw[pos:end])
                        pos = end
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
        yield _entry_error(exc, Source(file, text.line_at(min(pos, len(raw)))), None, limits)
        return
    if not bundle:  # one resource that could not be decoded as a whole
        source = Source(file, text.line_at(text.skip(0)))
        if _SURROGATE.search(raw):
            yield unreadable(source, "not valid UTF-8 text")
        else:
            yield unreadable(source, "not valid JSON (not a resource or Bundle that can be read)")


def _no_constant(name: str) -> Any:
    raise ValueError(f"{name} is not valid JSON")


def _encode(text: str) -> bytes:
    return text.encode("utf-8", "surrogateescape")


def _entry_value(entry: object, source: Source, text: str) -> _Value | InputError:
    raw = _encode(text)
    if _SURROGATE.search(text):
        return unreadable(source, "not valid UTF-8 text", raw)
    whole = entry
    entry = entry if isinstance(entry, dict) else {}
    url = entry.get("fullUrl")
    return entry.get("resource"), source, url if isinstance(url, str) else None, raw, whole


def ndjson_value(raw: bytes, source: Source, limits: Limits) -> _Value | InputError:
    """One NDJSON line (without its newline) as a resource value, or its input error."""
    if len(raw) > limits.max_record_bytes:
        return InputError(
            source,
            f"resource larger than the {limits.max_record_bytes:,}-byte limit: not read",
            rule_id="B12-INPUT-004",
        )
    try:
        obj = orjson.loads(raw)
    except orjson.JSONDecodeError as exc:
        message = str(exc)
        if "UTF-8" in message:
            return unreadable(source, "not valid UTF-8 text", raw)
        if "recursion" in message or "depth" in message:
            return _entry_error(RecursionError(), source, raw, limits)
        return unreadable(source, f"not valid JSON ({message.split(': line ')[0]})", raw)
    return obj, source, None, raw, obj


def _values(data: bytes, file: str, limits: Limits) -> Iterator[_Value | InputError]:
    """Resources with their line: a Bundle's entries, NDJSON lines, or one resource."""
    if data.startswith(b"\xef\xbb\xbf"):
        data = data[3:]
    decoded = data.decode("utf-8", "surrogateescape")
    lines = decoded.split("\n")  # not splitlines(): JSON text may hold U+2028 and the like
    first = next((i for i, ln in enumerate(lines) if ln.strip()), None)
    if first is None:
        return
    one_per_line = len([ln for ln in lines if ln.strip()]) > 1 and lines[first].strip().endswith(
        "}"
    )
    if one_per_line:
        for number, line in enumerate(lines, 1):
            if line.strip():
                yield ndjson_value(_encode(line.rstrip("\r")), Source(file, number), limits)
        return
    text = _Text(decoded)
    start = text.skip(0)
    try:
        head = orjson.loads(data)
    except orjson.JSONDecodeError:
        head = None
    if isinstance(head, dict) and head.get("resourceType") != "Bundle":
        yield head, Source(file, text.line_at(start)), None, data, head
        return
    yield from _bundle_entries(text, file, limits)


def _required_only(message: str, kind: str) -> bool:
    return kind == "missing" or message.endswith("is required.")


def validation_error(resource: dict[str, Any]) -> tuple[str, str] | None:
    """``(pointer, message)`` of the first problem fhir.resources finds, or None.

    An ExplanationOfBenefit is a payer's export: an element R4 requires but the export
    leaves out (CMS Blue Button has no ``insurer``, ``provider``, ``outcome`` or
    ``insurance.focal``) is not a problem; a value of the wrong type is.
    """
    from pydantic import ValidationError

    kind = resource["resourceType"]
    try:
        _model(kind).model_validate(resource)
    except ValidationError as exc:
        for error in exc.errors(include_input=False, include_url=False):
            message = str(error["msg"]).removeprefix("Value error, ")
            if kind in LENIENT and _required_only(message, str(error["type"])):
                continue
            loc = tuple(p for p in error["loc"] if p != "__root__")
            return _pointer(loc), message
    return None


#: Claim / ExplanationOfBenefit elements of FHIR STU3 and DSTU2 that R4 renamed (R4:
#: ``provider``, ``insurance``, ``item.productOrService``, ``diagnosis.diagnosisCodeableConcept``).
_OLDER_TOP = frozenset({"organization", "coverage"})


def older_fhir_hint(obj: dict[str, Any]) -> str:
    """A note for a Claim or EOB written in an older FHIR version than R4 (else "")."""
    if obj.get("resourceType") not in {"Claim", "ExplanationOfBenefit"}:
        return ""
    items = obj.get("item")
    items = items if isinstance(items, list) else []
    diagnoses = obj.get("diagnosis")
    diagnoses = diagnoses if isinstance(diagnoses, list) else []
    older = (
        any(key in obj for key in _OLDER_TOP)
        or any(isinstance(i, dict) and "service" in i for i in items)
        or any(isinstance(d, dict) and "diagnosis" in d for d in diagnoses)
    )
    if not older:
        return ""
    return " (this looks like FHIR STU3 or DSTU2: b12lint reads FHIR R4 claims)"


def check_resource(value: _Value, limits: Limits) -> InputError | None:
    """The input error of a resource b12lint validates (None when it can be used)."""
    from b12lint.readers.fhir_refs import encounter_id

    obj, source, _url, raw, whole = value
    assert isinstance(obj, dict)
    kind = obj["resourceType"]
    label = f"{kind}/{obj.get('id')}" if isinstance(obj.get("id"), str) else kind
    eid = encounter_id(obj) if kind in {"Claim", "ExplanationOfBenefit"} else None
    unusable = shape_error(obj, source, limits, raw=raw, json_text=True, what=label, whole=whole)
    if unusable is not None:
        return dataclasses.replace(unusable, encounter_id=eid)
    problem = validation_error(obj)
    if problem is not None:
        pointer, message = problem
        return InputError(
            source,
            f"invalid FHIR {label}: {pointer or '/'}: {message}{older_fhir_hint(obj)}",
            pointer,
            encounter_id=eid,
            rule_id="B12-INPUT-002",
        )
    return None


#: A claim with one of these statuses was voided or is an error: it bills nothing.
VOID = frozenset({"cancelled", "entered-in-error"})
#: ``use`` values of claims that ask before care instead of billing it.
NOT_A_CLAIM = frozenset({"preauthorization", "predetermination"})


def not_billed(resource: dict[str, Any]) -> bool:
    """Whether a Claim or EOB bills nothing: voided, entered in error, or a pre-authorization
    (read and counted, not judged: a voided claim beside its replacement is not a 2nd visit)."""
    return resource.get("status") in VOID or resource.get("use") in NOT_A_CLAIM


def read_values(
    values: Callable[[], Iterator[FhirValue]],
    file: str,
    limits: Limits = DEFAULT_LIMITS,
    index: Index | None = None,
    bulk_part: bool = False,
) -> Iterator[Item]:
    """The encounters of a stream of resource values, read twice (``values`` is called twice).

    The first pass indexes what references need (and reports unusable resources); the
    second maps each Claim and ExplanationOfBenefit as it comes, so a long NDJSON file is
    never held whole. ``index`` may already hold a bulk export's other files. An EOB of a
    Claim that is in the input is that claim's adjudication, not a second encounter; a
    voided claim and a pre-authorization bill nothing (:func:`not_billed`), a claim an
    adjustment supersedes bills nothing now and a DELETE entry holds nothing
    (:mod:`b12lint.readers.fhir_versions`): they are counted, not judged.
    ``bulk_part``: the file is one resource type's file of a bulk export that has claim
    files (no note that it holds no claims; an export with no claim file gets one per file).
    """
    from b12lint.readers.fhir_map import encounter_items
    from b12lint.readers.fhir_refs import CLAIM_TYPES, Index, Resource, adjudicates_read_claim
    from b12lint.readers.fhir_versions import Adjustments, deleted_type

    index = index if index is not None else Index()
    adjustments = Adjustments()
    tally = current()
    counts: Counter[str] = Counter()
    claims = 0
    for value in values():
        if isinstance(value, InputError):
            yield value
            continue
        obj, source, url, _raw, whole = value
        deleted = deleted_type(whole) if obj is None else None
        if deleted is not None:
            counts[deleted] += 1  # a DELETE entry: nothing to read
            continue
        if not isinstance(obj, dict) or not isinstance(obj.get("resourceType"), str):
            yield InputError(
                source, "not a FHIR resource (no resourceType)", rule_id="B12-INPUT-002"
            )
            continue
        kind = obj["resourceType"]
        if kind in CLAIM_TYPES:
            claims += 1
            adjustments.note(obj, url)
            if kind == "Claim":
                index.add(obj, url)
            continue
        if kind in VALIDATED:
            problem = check_resource(value, limits)
            if problem is not None:
                yield problem
                continue
            index.add(obj, url)
        counts[kind] += 1
    for value in values():
        if isinstance(value, InputError):
            continue
        obj, source, url, _raw, _whole = value
        if not isinstance(obj, dict) or obj.get("resourceType") not in CLAIM_TYPES:
            continue
        problem = check_resource(value, limits)
        if problem is not None:
            yield problem
            continue
        if (
            not_billed(obj)
            or adjustments.superseded(obj, url)
            or (
                obj["resourceType"] == "ExplanationOfBenefit" and adjudicates_read_claim(index, obj)
            )
        ):
            counts[obj["resourceType"]] += 1
            continue
        yield from encounter_items(index, [Resource(obj, source, url)], limits)
    tally.not_judged.update(counts)
    if claims == 0 and not bulk_part:
        held = ", ".join(f"{kind} {n}" for kind, n in sorted(counts.items())) or "none"
        tally.notes.append(
            f"{file}: no FHIR Claim or ExplanationOfBenefit (resources read: {held}): "
            "nothing in it was checked"
        )


def read_fhir(data: bytes, file: str, limits: Limits = DEFAULT_LIMITS) -> Iterator[Item]:
    """Every Claim and ExplanationOfBenefit of a FHIR Bundle or NDJSON file as an encounter
    (of a ``history`` Bundle, each resource's newest version only)."""
    values = list(_values(data, file, limits))
    if _is_history(data):
        from b12lint.readers.fhir_versions import current_versions

        values, older = current_versions(values)
        current().not_judged.update(older)
    yield from read_values(lambda: iter(values), file, limits)


def _is_history(data: bytes) -> bool:
    """Whether ``data`` is a Bundle of type ``history`` (parsed again only when it may be)."""
    if b'"history"' not in data:
        return False
    try:
        head = orjson.loads(data.removeprefix(b"\xef\xbb\xbf"))
    except orjson.JSONDecodeError:
        return False
    return (
        isinstance(head, dict)
        and head.get("resourceType") == "Bundle"
        and (head.get("type") == "history")
    )


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


__all__ = [
    "LENIENT",
    "VALIDATED",
    "FhirValue",
    "check_resource",
    "looks_like_fhir",
    "ndjson_value",
    "not_billed",
    "read_fhir",
    "read_values",
    "validation_error",
]
