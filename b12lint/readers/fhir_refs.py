"""FHIR references: what a Reference names, within its own resource or across the input.

- A reference ``#id`` names a resource *contained* in the resource that holds it, and only
  there: two Claims that each contain a Patient ``#p1`` name two patients.
- Any other reference is looked up in an :class:`Index` by ``Type/id`` (also the tail of an
  absolute URL, with or without ``_history``), by the bundle entry's ``fullUrl``, and
  ``urn:uuid:<id>`` (bulk exports have no fullUrl; Synthea refers by ``urn:uuid``).

The index keeps what resolution needs and no more (:func:`prune`): a bulk export's
Patients, Coverages and Practitioners are held as a few small fields each, never whole.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from typing import Any

from b12lint.model import Source
from b12lint.readers.fhir_codes import as_dict, as_list, day

#: Resource types that become encounters.
CLAIM_TYPES = frozenset({"Claim", "ExplanationOfBenefit"})

#: What the mapping reads of each other resource type (everything else is dropped).
KEPT: dict[str, tuple[str, ...]] = {
    "Patient": ("identifier",),
    "Practitioner": ("identifier", "name"),
    "PractitionerRole": ("identifier", "practitioner"),
    "Organization": ("identifier", "name"),
    "Coverage": ("type", "class", "payor"),
    "Condition": ("code",),
    "Medication": ("code", "ingredient"),
    "MedicationRequest": (
        "contained",
        "status",
        "subject",
        "medicationCodeableConcept",
        "medicationReference",
        "dispenseRequest",
    ),
    "MedicationDispense": (
        "contained",
        "status",
        "subject",
        "medicationCodeableConcept",
        "medicationReference",
        "quantity",
    ),
    "MedicationAdministration": (
        "contained",
        "status",
        "subject",
        "medicationCodeableConcept",
        "medicationReference",
        "effectiveDateTime",
        "effectivePeriod",
        "dosage",
        "reasonCode",
        "reasonReference",
    ),
}
_MAX_IDENTIFIERS = 8


def prune(resource: dict[str, Any]) -> dict[str, Any] | None:
    """The fields of ``resource`` the mapping reads (None: a type resolution never needs)."""
    kind = resource.get("resourceType")
    fields = KEPT.get(kind) if isinstance(kind, str) else None
    if fields is None:
        return None
    out: dict[str, Any] = {"resourceType": kind}
    if isinstance(resource.get("id"), str):
        out["id"] = resource["id"]
    for name in fields:
        if name in resource:
            value = resource[name]
            out[name] = (
                value[:_MAX_IDENTIFIERS]
                if name == "identifier" and isinstance(value, list)
                else value
            )
    return out


@dataclass(frozen=True, slots=True)
class Resource:
    """A validated resource and the line of the file it starts at."""

    data: dict[str, Any]
    source: Source
    url: str | None = None
    """The bundle entry's ``fullUrl`` (references may use it)."""


def _reference(reference: Any) -> str | None:
    ref = as_dict(reference).get("reference")
    return ref if isinstance(ref, str) and ref else None


def contained(container: dict[str, Any] | None, ref: str) -> dict[str, Any] | None:
    """The resource ``#id`` contained in ``container`` (None when absent)."""
    if container is None or not ref.startswith("#"):
        return None
    wanted = ref[1:]
    for item in as_list(container.get("contained")):
        item = as_dict(item)
        if item.get("id") == wanted and isinstance(item.get("resourceType"), str):
            return item
    return None


class Index:
    """Resources by every reference that can name them, and administrations by day."""

    def __init__(self) -> None:
        self.by_ref: dict[str, dict[str, Any]] = {}
        self.administrations: dict[str, list[dict[str, Any]]] = defaultdict(list)
        """MedicationAdministrations by the day they were given (for linking by date)."""
        self.claim_keys: set[str] = set()
        """References and encounter ids of the Claims read (an EOB of one is not a second
        encounter)."""
        self._given = 0
        self._charted: tuple[int, frozenset[str | None]] = (0, frozenset())

    @property
    def has_administrations(self) -> bool:
        """Whether the input carries any MedicationAdministration (a chart)."""
        return bool(self.administrations)

    def charted_patients(self) -> frozenset[str | None]:
        """The :meth:`patient_key` of every patient the input carries a dated
        MedicationAdministration of: whose chart the input holds (computed once all the
        resources are indexed: a Patient may come after its administrations)."""
        if self._charted[0] != self._given:
            keys = frozenset(
                self.patient_key(data.get("subject"), data, "")
                for day_list in self.administrations.values()
                for data in day_list
            )
            self._charted = (self._given, keys)
        return self._charted[1]

    def add(self, data: dict[str, Any], url: str | None = None) -> None:
        """Index one resource (pruned to what resolution reads)."""
        kind = data.get("resourceType")
        rid = data.get("id")
        if kind == "Claim":
            self.claim_keys.update(claim_keys(data, url))
            return
        kept = prune(data)
        if kept is None:
            return
        keys = [url] if url else []
        if isinstance(rid, str) and rid:
            keys += [f"{kind}/{rid}", f"urn:uuid:{rid}"]
        for key in keys:
            self.by_ref.setdefault(key, kept)
        if kind == "MedicationAdministration":
            effective = kept.get("effectiveDateTime") or as_dict(kept.get("effectivePeriod")).get(
                "start"
            )
            when = day(effective)
            if when:
                self.administrations[when].append(kept)
                self._given += 1

    def resolve(
        self, reference: Any, within: dict[str, Any] | None = None
    ) -> dict[str, Any] | None:
        """The resource a Reference names: contained in ``within`` (``#id``), else indexed."""
        ref = _reference(reference)
        if ref is None:
            return None
        if ref.startswith("#"):
            return contained(within, ref)
        found = self.by_ref.get(ref)
        if found is None and "/" in ref:
            parts = ref.rstrip("/").split("/")
            if len(parts) >= 2:
                found = self.by_ref.get(f"{parts[-2]}/{parts[-1]}")
            if found is None and len(parts) >= 4 and parts[-2] == "_history":
                found = self.by_ref.get(f"{parts[-4]}/{parts[-3]}")
        return found

    def patient_key(self, reference: Any, within: dict[str, Any] | None, scope: str) -> str | None:
        """A key that is equal for two references exactly when they name one patient.

        ``scope`` names the resource holding the reference (``Claim/c1``): a contained
        patient is that resource's own, whatever its local id.
        """
        ref = _reference(reference)
        if ref is not None and ref.startswith("#"):
            found = contained(within, ref)
            ident = _first_identifier(found) if found is not None else None
            return f"id:{ident}" if ident else f"{scope}{ref}"
        data = self.resolve(reference, within)
        if data is not None:
            ident = _first_identifier(data)
            return f"id:{ident}" if ident else f"Patient/{data.get('id')}"
        value = as_dict(as_dict(reference).get("identifier")).get("value")
        if isinstance(value, str) and value:
            return f"id:{value}"
        return ref


def _first_identifier(data: dict[str, Any]) -> str | None:
    for identifier in as_list(data.get("identifier")):
        value = as_dict(identifier).get("value")
        if isinstance(value, str) and value:
            return value
    return None


def patient_id(index: Index, reference: Any, within: dict[str, Any], scope: str) -> str | None:
    """The record's ``patient_id``: the Patient's first identifier value, else its id.

    A contained Patient without an identifier is known only inside ``scope``: its id is
    prefixed with the holder's (so two claims' ``#p1`` are not one patient's history).
    """
    ref = _reference(reference)
    if ref is not None and ref.startswith("#"):
        found = contained(within, ref)
        ident = _first_identifier(found) if found is not None else None
        return ident or f"{scope}{ref}"
    data = index.resolve(reference, within)
    if data is not None:
        ident = _first_identifier(data)
        rid = data.get("id")
        return ident or (rid if isinstance(rid, str) and rid else None)
    value = as_dict(as_dict(reference).get("identifier")).get("value")
    if isinstance(value, str) and value:
        return value
    return ref.rstrip("/").rsplit("/", 1)[-1] if ref else None


def claim_keys(data: dict[str, Any], url: str | None = None) -> set[str]:
    """Every reference that names this Claim, and its encounter id (``id:`` prefixed)."""
    keys = {url} if url else set()
    rid = data.get("id")
    if isinstance(rid, str) and rid:
        keys |= {f"Claim/{rid}", f"urn:uuid:{rid}"}
    eid = encounter_id(data)
    if eid:
        keys.add(f"id:{eid}")
    return keys


def encounter_id(data: dict[str, Any]) -> str | None:
    """The claim id: the identifier typed ``uc`` (CARIN's unique claim id), else the first
    identifier with a value, else the resource id."""
    first: str | None = None
    for identifier in as_list(data.get("identifier")):
        identifier = as_dict(identifier)
        value = identifier.get("value")
        if not isinstance(value, str) or not value:
            continue
        typed = any(
            as_dict(c).get("code") == "uc"
            for c in as_list(as_dict(identifier.get("type")).get("coding"))
        )
        if typed:
            return value
        first = first or value
    if first:
        return first
    rid = data.get("id")
    return rid if isinstance(rid, str) and rid else None


def adjudicates_read_claim(index: Index, eob: dict[str, Any]) -> bool:
    """Whether an ExplanationOfBenefit is the adjudication of a Claim already in the input."""
    ref = _reference(eob.get("claim"))
    if ref is not None:
        parts = ref.rstrip("/").split("/")
        tail = f"Claim/{parts[-1]}" if len(parts) >= 2 and parts[-2] == "Claim" else None
        if ref in index.claim_keys or (tail and tail in index.claim_keys):
            return True
    eid = encounter_id(eob)
    return eid is not None and f"id:{eid}" in index.claim_keys


__all__ = [
    "CLAIM_TYPES",
    "KEPT",
    "Index",
    "Resource",
    "adjudicates_read_claim",
    "claim_keys",
    "contained",
    "encounter_id",
    "patient_id",
    "prune",
]
