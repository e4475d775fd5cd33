"""Which claims of a FHIR input are current: history versions, deletions and adjustments.

- An entry that records a DELETE (``request.method`` DELETE, no ``resource``: valid R4 in a
  ``history``, ``transaction`` or ``batch`` Bundle) is no resource to read: it is counted as
  not judged, under the type its ``request.url`` names.
- A ``history`` Bundle lists a resource's versions (R4 RESTful API, history: newest first,
  deletions included). Only the newest version of each resource (same ``fullUrl``, else
  type and id) is read: the highest ``meta.versionId`` when every version has a number, else
  the latest ``response.lastModified`` when every version has one, else the first listed. The
  older versions, and every version of a resource whose newest entry is its DELETE, are
  counted as not judged.
- An adjusted claim (``related.relationship``, CARIN C4BBRelatedClaimRelationshipCodes and
  HL7 ex-relatedclaimrelationship): a claim whose related claim is ``replacedby`` has been
  replaced by it; a claim that names another as its ``prior`` replaces that one. A superseded
  claim bills nothing now: like a void, it is counted as not judged, not checked as a visit.
"""

from __future__ import annotations

from collections import Counter
from typing import Any

from b12lint.readers.fhir_codes import as_dict, as_list, has_code
from b12lint.readers.fhir_refs import encounter_id

_Value = tuple[object, Any, str | None, bytes, object]
"""A resource value as :mod:`b12lint.readers.fhir` reads it (resource, line, fullUrl, raw,
the whole entry)."""


def deleted_type(entry: object) -> str | None:
    """The resource type a Bundle entry deletes (None: the entry is not a bare DELETE)."""
    entry = as_dict(entry)
    request = as_dict(entry.get("request"))
    if entry.get("resource") is not None or str(request.get("method", "")).upper() != "DELETE":
        return None
    url = request.get("url")
    kind = url.split("?")[0].strip("/").split("/")[0] if isinstance(url, str) else ""
    return kind if kind[:1].isupper() else "DELETE"


def _key(value: _Value) -> str | None:
    obj, _source, url, _raw, whole = value
    if url:
        return url
    resource = as_dict(obj)
    kind, rid = resource.get("resourceType"), resource.get("id")
    if isinstance(kind, str) and isinstance(rid, str):
        return f"{kind}/{rid}"
    request_url = as_dict(as_dict(whole).get("request")).get("url")
    return request_url if isinstance(request_url, str) and request_url else None


def _version(value: _Value) -> int | None:
    written = as_dict(as_dict(value[0]).get("meta")).get("versionId")
    if not isinstance(written, str):  # a DELETE carries its version in the response's etag
        etag = as_dict(as_dict(value[4]).get("response")).get("etag")
        written = etag.removeprefix("W/").strip('"') if isinstance(etag, str) else None
    return int(written) if isinstance(written, str) and written.isdigit() else None


def _modified(value: _Value) -> str | None:
    found = as_dict(as_dict(value[4]).get("response")).get("lastModified")
    return found if isinstance(found, str) and found else None


def _newest(versions: list[tuple[int, _Value]]) -> int:
    """The position of the newest of one resource's versions (see the module docstring)."""
    numbers = [_version(v) for _, v in versions]
    stamps = [_modified(v) for _, v in versions]
    ranks: list[Any] = [None] * len(versions)
    if None not in numbers:
        ranks = numbers
    elif None not in stamps:
        ranks = stamps
    if None in ranks:
        return versions[0][0]  # listed newest first
    best = max(range(len(versions)), key=lambda k: (ranks[k], -k))
    return versions[best][0]


def _kind(value: _Value) -> str:
    kind = as_dict(value[0]).get("resourceType")
    return kind if isinstance(kind, str) else deleted_type(value[4]) or "DELETE"


def current_versions(values: list[Any]) -> tuple[list[Any], Counter[str]]:
    """A history Bundle's values with only each resource's newest version, and the count of
    the versions left out by type (input errors and unkeyed values are kept as they are)."""
    by_key: dict[str, list[tuple[int, _Value]]] = {}
    for i, value in enumerate(values):
        if isinstance(value, tuple):
            key = _key(value)
            if key is not None:
                by_key.setdefault(key, []).append((i, value))
    dropped: set[int] = set()
    for versions in by_key.values():
        newest = _newest(versions)
        deleted = deleted_type(values[newest][4]) is not None
        dropped.update(i for i, v in versions if i != newest or deleted)
    skipped: Counter[str] = Counter(_kind(values[i]) for i in dropped)
    return [v for i, v in enumerate(values) if i not in dropped], skipped


def _own_keys(resource: dict[str, Any], url: str | None) -> set[str]:
    """Every reference or claim number that can name this Claim or ExplanationOfBenefit."""
    keys = {url} if url else set()
    kind, rid = resource.get("resourceType"), resource.get("id")
    if isinstance(rid, str) and rid:
        keys |= {f"{kind}/{rid}", f"urn:uuid:{rid}"}
    for identifier in as_list(resource.get("identifier")):
        value = as_dict(identifier).get("value")
        if isinstance(value, str) and value:
            keys.add(f"id:{value}")
    eid = encounter_id(resource)
    if eid:
        keys.add(f"id:{eid}")
    return keys


def _named(reference: Any) -> set[str]:
    """What a ``related.claim`` Reference names: its reference (and ``Type/id`` tail), or its
    identifier's value."""
    ref = as_dict(reference)
    names: set[str] = set()
    target = ref.get("reference")
    if isinstance(target, str) and target:
        names.add(target)
        parts = target.rstrip("/").split("/")
        if len(parts) >= 2:
            names.add(f"{parts[-2]}/{parts[-1]}")
    value = as_dict(ref.get("identifier")).get("value")
    if isinstance(value, str) and value:
        names.add(f"id:{value}")
    return names


class Adjustments:
    """The claims an input's ``related`` elements say are superseded (fed in a first pass)."""

    def __init__(self) -> None:
        self._replaced: set[str] = set()
        """Keys of the claims another names as its ``prior``."""

    def note(self, resource: dict[str, Any], url: str | None) -> None:
        """Record the claims one Claim or ExplanationOfBenefit names as its ``prior``."""
        for related in as_list(resource.get("related")):
            related = as_dict(related)
            if has_code(related.get("relationship"), "prior"):
                self._replaced.update(_named(related.get("claim")) - _own_keys(resource, url))

    def superseded(self, resource: dict[str, Any], url: str | None) -> bool:
        """Whether a later claim replaces this one (it says so, or another names it prior)."""
        if any(
            has_code(as_dict(r).get("relationship"), "replacedby")
            for r in as_list(resource.get("related"))
        ):
            return True
        return bool(self._replaced) and not self._replaced.isdisjoint(_own_keys(resource, url))


__all__ = ["Adjustments", "current_versions", "deleted_type"]
