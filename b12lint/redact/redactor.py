"""``--redact``: patient and encounter ids, and free text, replaced by keyed hashes.

The :class:`Redactor` watches the records as they stream to the engine (:meth:`watch`),
remembering every patient and encounter id and each encounter's free text (indication,
monitoring plan, injection site, line narrative). After suppression it rewrites the report
(:meth:`report`): each finding's ``encounter_id`` and context patient id become ``ID-`` hashes
and its message and subject have ids and its own encounter's free text replaced, so a
frequency finding naming an earlier encounter names that encounter's hash. Notes and the list
of encounters are rewritten too. Codes, dates, NPIs, file names and pointers are kept: they
are what a finding is about, not who.
"""

from __future__ import annotations

import dataclasses
import itertools
from collections.abc import Iterable, Iterator
from typing import Any

from b12lint.model import EncounterRef, Finding, InputError, Record, Report
from b12lint.model.mapped import mapped
from b12lint.model.text import printable
from b12lint.redact.keyed import Hasher, is_hash
from b12lint.redact.scrub import Scrubber

Item = Record | InputError


def narrative(encounter: Any) -> list[str]:
    """The free-text values of a record (where names and notes can hide)."""
    out: list[Any] = []
    doc = encounter.get("documentation") or {}
    out.append(doc.get("indication"))
    phase = doc.get("phase")
    if isinstance(phase, str):  # the frequency messages quote it normalised
        out.extend((phase, phase.strip().lower()))
    out.append((doc.get("monitoring") or {}).get("plan"))
    for adm in doc.get("administrations") or ():
        # drug, dose and route text are quoted when a rule cannot read them
        out.extend(adm.get(key) for key in ("site", "drug", "dose", "route"))
    out.extend(line.get("description") for line in encounter.get("lines") or ())
    texts = [t for t in out if isinstance(t, str) and t.strip()]
    # messages quote text with its control characters replaced (b12lint.model.text)
    return texts + [printable(t) for t in texts if not t.isprintable()]


class Redactor:
    """Collects what must be hidden while records stream, then rewrites a report."""

    def __init__(self, hasher: Hasher) -> None:
        self.hasher = hasher
        self.ids: set[str] = set()
        self._texts: dict[str, tuple[str, ...]] = {}

    def observe(self, item: Item) -> None:
        """Remember the ids and free text of one record."""
        if isinstance(item, InputError):
            if item.encounter_id:
                self.ids.add(item.encounter_id)
            return
        raw: Any = item.encounter
        encounter_id = raw["encounter_id"]
        self.ids.add(encounter_id)
        patient = raw.get("patient_id")
        if isinstance(patient, str) and patient:
            self.ids.add(patient)
        texts = narrative(raw)
        if texts:
            self._texts[encounter_id] = (*self._texts.get(encounter_id, ()), *texts)

    def absorb(self, ids: Iterable[str], texts: dict[str, tuple[str, ...]]) -> None:
        """Take what was observed elsewhere (``--jobs`` workers), in input order."""
        self.ids.update(ids)
        for encounter_id, found in texts.items():
            self._texts[encounter_id] = (*self._texts.get(encounter_id, ()), *found)

    def watch(self, items: Iterable[Item]) -> Iterator[Item]:
        """Pass items through unchanged, observing each."""
        for item in items:
            self.observe(item)
            yield item

    def _id(self, value: str | None) -> str | None:
        return None if value is None else self.hasher.id(value)

    def report(self, report: Report, extra_ids: Iterable[str] = ()) -> Report:
        """The report with ids and free text replaced, in findings, notes and encounters."""
        ids = set(self.ids)
        ids.update(i for i in extra_ids if i and not is_hash(i))
        for f in itertools.chain(report.findings, report.suppressed):
            if f.encounter_id:
                ids.add(f.encounter_id)
            if f.context is not None and f.context.patient_id:
                ids.add(f.context.patient_id)
        scrub_ids = Scrubber({i: self.hasher.id(i) for i in ids})

        def scrub(text: str | None, encounter_id: str | None) -> str | None:
            if text is None:
                return None
            own = self._texts.get(encounter_id or "", ())
            for value in sorted(set(own), key=len, reverse=True):
                if value in text:
                    text = text.replace(value, self.hasher.text(value))
            return scrub_ids(text)

        def rewrite(f: Finding) -> Finding:
            ctx = f.context
            if ctx is not None and ctx.patient_id is not None:
                ctx = ctx.model_copy(update={"patient_id": self.hasher.id(ctx.patient_id)})
            return f.model_copy(
                update={
                    "encounter_id": self._id(f.encounter_id),
                    "message": scrub(f.message, f.encounter_id),
                    "subject": scrub(f.subject, f.encounter_id),
                    "context": ctx,
                }
            )

        return dataclasses.replace(
            report,
            findings=mapped(report.findings, rewrite),
            suppressed=mapped(report.suppressed, rewrite),
            notes=[scrub_ids(n) for n in report.notes],
            # place order (file, line) does not depend on ids: a stream stays in order
            encounters=mapped(
                report.encounters,
                lambda e: EncounterRef(e.file, e.line, self.hasher.id(e.encounter_id)),
            ),
            billing=None
            if report.billing is None
            else [
                dataclasses.replace(b, encounter_id=self.hasher.id(b.encounter_id))
                for b in report.billing
            ],
            redacted=True,
        )
