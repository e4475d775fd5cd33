"""The linter: runs a ruleset over a stream of records and reports findings.

Per-encounter rules run as each record arrives (nothing but the patient's compact history
events is kept); history rules run once the stream ends, so findings across encounters are
right whatever the order of the input. Given a :class:`~b12lint.engine.router.Router`, each
encounter is judged by its payer's ruleset (history rules too: an event keeps the rules of
its encounter's ruleset).
"""

from __future__ import annotations

from collections.abc import Callable, Collection, Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from typing import Any

from b12lint.engine.coverage import settle
from b12lint.engine.eventstore import EventStore
from b12lint.engine.findings import (
    ContextKey,
    context_key,
    event_context,
    record_context,
)
from b12lint.engine.findings import finding as new_finding
from b12lint.engine.history import Event, PatientHistory, event_from_view
from b12lint.engine.idset import IdSet
from b12lint.engine.input_rules import DUPLICATE, INPUT_RULES
from b12lint.engine.router import Router
from b12lint.engine.rule import Hit, Rule, claim_type_of
from b12lint.engine.ruleset import Ruleset, load_ruleset
from b12lint.engine.selection import Selection
from b12lint.engine.spill import SpillArea
from b12lint.engine.spilled import FindingSink
from b12lint.engine.view import EncounterView
from b12lint.model import (
    Context,
    Finding,
    InputError,
    Record,
    Source,
    StructureError,
    Summary,
    validate_encounter,
)

Item = Record | InputError

ContextSource = Callable[[Sequence[str]], Iterable[Event]]
"""Given the patient ids of a batch (sorted), their events from elsewhere (a history store)."""


_context = record_context


def make_finding(
    rule: Rule,
    hit: Hit,
    encounter_id: str | None,
    source: Source,
    context: Context | None,
) -> Finding:
    """Turn a rule hit into a finding (no re-validation: every part is already checked)."""
    meta = rule.meta
    return new_finding(
        meta.id,
        hit.severity or meta.severity,
        meta.category,
        encounter_id,
        hit.message,
        source.file,
        source.line,
        hit.pointer,
        (hit.pointer, hit.fix, hit.fix_safe) if hit.has_fix else None,
        hit.subject,
        context,
    )


def input_finding(error: InputError) -> Finding:
    """The ``input`` finding for a record that could not be read."""
    meta = INPUT_RULES.get(error.rule_id, INPUT_RULES["B12-INPUT-001"])
    source = error.source
    return new_finding(
        meta.id,
        "error",
        "input",
        error.encounter_id,
        error.message,
        source.file,
        source.line,
        error.pointer,
        None,
        error.digest,
        None,
    )


def duplicate_error(source: Source, encounter_id: str) -> InputError:
    """The input error of a record whose ``encounter_id`` was already read in the batch."""
    return InputError(
        source=source,
        message=f"duplicate encounter_id {encounter_id!r}: record not checked",
        pointer="/encounter_id",
        encounter_id=encounter_id,
        rule_id=DUPLICATE.id,
    )


@dataclass(frozen=True)
class _Active:
    """A ruleset's rules split by kind, computed once per ruleset."""

    ruleset: Ruleset
    rules: Selection
    history_rules: tuple[Rule, ...]
    pack: str | None

    @classmethod
    def of(cls, ruleset: Ruleset) -> _Active:
        pack = ruleset.packs[-1].name if ruleset.packs else None
        return cls(ruleset, ruleset.selection, ruleset.history_rules, pack)


class Linter:
    """Stateful runner for one batch: feed it items, then call :meth:`finish`.

    ``rules`` is one ruleset for every encounter, or a :class:`Router` picking one per payer.
    ``keep_events`` collects the batch's history events even when no history rule is
    selected (to record them in a store); ``context_events`` (or :meth:`add_context`) are
    events from elsewhere, used as ``previous``/``earlier`` but never reported. A context
    event whose encounter id is read in this batch is superseded by the batch's record.

    With a ``spill`` area (and without ``keep_events``), the history events are kept as rows
    and spilled sorted by patient past its threshold (:class:`EventStore`): the history rules
    then run one patient at a time.
    """

    def __init__(
        self,
        rules: Ruleset | Router,
        *,
        context_events: Iterable[Event] = (),
        keep_events: bool = False,
        spill: SpillArea | None = None,
    ) -> None:
        self.router = rules if isinstance(rules, Router) else Router(rules)
        self.ruleset = self.router.default
        self.summary = Summary()
        self._default = _Active.of(self.ruleset)
        self._routed = self.router.routed
        self._active: dict[int, _Active] = {id(self.ruleset): self._default}
        if self._routed:
            for ruleset in self.router.rulesets():
                self._active.setdefault(id(ruleset), _Active.of(ruleset))
        self._used: dict[int, Ruleset] = {}
        self._routes = [self._active[id(r)] for r in self.router.rulesets()]
        self._has_history_rules = any(a.history_rules for a in self._active.values())
        self._collect_events = self._has_history_rules or keep_events
        self._seen: set[str] | IdSet = set()
        self._contexts: dict[ContextKey, ContextKey] = {}
        """Events of one patient, provider and payer share one context tuple."""
        self._shared: dict[Any, Any] = {}
        """Equal code sets, drug lists, patient ids and phases of events, kept once."""
        self._events: list[Event] = []
        self._context: list[Event] = []
        self.history = PatientHistory()
        self._route_index: dict[int, int] = {}
        for index, active in enumerate(self._routes):
            self._route_index.setdefault(id(active), index)
        self._store: EventStore | None = None
        if spill is not None and not keep_events:  # ids as digests, events as spilled rows
            self._seen = IdSet(spill)
            if self._collect_events:
                self._store = EventStore(spill, [a.history_rules for a in self._routes])
        self.add_context(context_events)

    @property
    def wants_context(self) -> bool:
        """Whether events from elsewhere can change a finding (a history rule is selected)."""
        return self._has_history_rules

    def add_context(self, events: Iterable[Event]) -> None:
        """Add events from elsewhere (before :meth:`finish`): never reported."""
        for event in events:
            event.report = False
            event.source = None
            self._context.append(event)

    @property
    def spills_events(self) -> bool:
        """Whether events go to an :class:`EventStore` (add ``--jobs`` rows with
        :meth:`add_event_row`) rather than to :attr:`history`."""
        return self._store is not None

    def add_event_row(self, row: tuple[Any, ...], offset: int) -> None:
        """Add an event another process checked, as it sent it (with :attr:`spills_events`)."""
        assert self._store is not None
        self._store.add_wire(row, offset)

    def patients(self) -> list[str]:
        """The patient ids of this batch's events, sorted."""
        if self._store is not None:
            return self._store.patients()
        return sorted({e.patient_id for e in self._events})

    def events(self) -> list[Event]:
        """This batch's history events (one per in-scope encounter with a patient id)."""
        return list(self._events)

    def encounter_ids(self) -> set[str]:
        """Every encounter id read in this batch (in scope or not; kept as strings only with
        ``keep_events`` or without a spill area)."""
        assert isinstance(self._seen, set), "encounter ids are kept only with keep_events"
        return set(self._seen)

    def mark_seen(self, encounter_id: str) -> bool:
        """Record an encounter id read elsewhere (a ``--jobs`` share); whether it was new
        (False: the record is a duplicate)."""
        seen = self._seen
        if isinstance(seen, IdSet):
            return seen.add(encounter_id)
        if encounter_id in seen:
            return False
        seen.add(encounter_id)
        return True

    def route_of(self, event: Event) -> int:
        """Which ruleset judged an event's encounter: its index in ``router.rulesets()``."""
        for index, active in enumerate(self._routes):
            if active.history_rules is event.rules:
                return index
        return 0

    def set_route(self, event: Event, index: int) -> None:
        """Give an event the history rules of the ``index``-th ruleset (see :meth:`route_of`)."""
        event.rules = self._routes[index].history_rules

    def routes_used(self) -> list[int]:
        """The indexes (in ``router.rulesets()``) of the rulesets that judged an encounter."""
        return [i for i, a in enumerate(self._routes) if id(a.ruleset) in self._used]

    def adopt(
        self, events: Iterable[Event], encounter_ids: Iterable[str], routes: Iterable[int] = ()
    ) -> None:
        """Take the events, encounter ids and rulesets used (:meth:`routes_used`) of records
        checked elsewhere (another process, for ``--jobs``), as if :meth:`check` had seen
        them: history rules, context supersession and the report's rulesets cover them.
        Events must have their rules (:meth:`set_route`)."""
        for encounter_id in encounter_ids:
            self.mark_seen(encounter_id)
        for index in routes:
            ruleset = self._routes[index].ruleset
            self._used[id(ruleset)] = ruleset
        if self._collect_events:
            for event in events:
                self.history.add(event)
                self._events.append(event)

    def check(self, item: Item) -> list[Finding]:
        """Findings of one record (or the input finding of an unreadable one)."""
        if isinstance(item, InputError):
            self.summary.input_errors += 1
            return [input_finding(item)]
        raw: dict[str, Any] = item.encounter  # type: ignore[assignment]
        encounter_id = raw["encounter_id"]
        if not self.mark_seen(encounter_id):
            self.summary.input_errors += 1
            return [input_finding(duplicate_error(item.source, encounter_id))]
        self.summary.encounters += 1
        view = EncounterView(item.encounter, item.has_chart, item.chart_missing)
        if not view.is_b12:
            return []
        self.summary.b12_encounters += 1
        if not item.has_chart:
            self.summary.without_chart += 1
        active = self._default
        if self._routed:
            active = self._active[id(self.router.pick(raw))]
        self._used[id(active.ruleset)] = active.ruleset
        findings: list[Finding] = []
        unreadable: dict[tuple[str, str], list[Finding]] | None = None
        context: Context | None = None
        claim_type = claim_type_of(raw)
        for rule in active.rules.rules_for(
            view, raw["date_of_service"], item.has_chart, claim_type
        ):
            hits = rule.evaluate(view)
            if hits:
                if context is None:
                    context = _context(raw, active.pack)
                for hit in hits:
                    found = make_finding(rule, hit, encounter_id, item.source, context)
                    if hit.unreadable:
                        unreadable = unreadable if unreadable is not None else {}
                        spot = (rule.meta.category, hit.pointer)
                        unreadable.setdefault(spot, []).append(found)
                    else:
                        findings.append(found)
        if unreadable is not None:
            settle(findings, unreadable)
        if self._collect_events:
            event = event_from_view(view, item.source)
            if event is not None:
                key = context_key(raw, active.pack)
                if self._store is not None:  # a row on disk soon: nothing to share
                    event.context = key
                    event.rules = active.history_rules
                    self._store.add(event, self._route_index[id(active)])
                    return findings
                event.context = self._contexts.setdefault(key, key)
                shared = self._shared
                event.codes = shared.setdefault(event.codes, event.codes)
                event.drugs = shared.setdefault(event.drugs, event.drugs)
                event.patient_id = shared.setdefault(event.patient_id, event.patient_id)
                if event.phase is not None:
                    event.phase = shared.setdefault(event.phase, event.phase)
                event.rules = active.history_rules
                self.history.add(event)
                self._events.append(event)
        return findings

    def rulesets_used(self) -> list[dict[str, object]]:
        """The report's ``rulesets``: the packs that judged at least one encounter.

        With a single ruleset (no payer routing) it is always listed, as before any record.
        """
        if not self._routed:
            return self.ruleset.info()
        return self.router.info(list(self._used.values()))

    def finish(self) -> list[Finding]:
        """Findings of the history rules, once every record has been seen."""
        return list(self._history())

    def _history(self) -> Iterator[Finding]:
        context = [e for e in self._context if e.encounter_id not in self._seen]
        self._context.clear()
        store = self._store
        if store is None:
            self.history.extend(context)
            if self._has_history_rules:
                yield from history_findings(self.history.events())
            return
        for event in context:
            store.add(event, -1)
        if self._has_history_rules:
            for timeline in store.timelines():
                yield from history_findings(timeline)

    def result(
        self,
        findings: list[Finding] | FindingSink,
        *,
        context: ContextSource | None = None,
        keep_events: bool = False,
    ) -> Result:
        """The batch's result, once every record has been seen: ``findings`` (extended in
        place) with the history rules' (over earlier events from ``context`` too: asked once,
        only when a history rule is selected), sorted, and the summary that accounts for them.
        A :class:`FindingSink` that spilled gives its findings back as a stream.
        """
        if context is not None and self.wants_context:
            patients = self.patients()
            if patients:
                self.add_context(context(patients))
        ordered: Collection[Finding]
        if isinstance(findings, FindingSink):
            findings.extend(self._history())
            ordered = findings.sorted()
        else:
            findings.extend(self.finish())
            findings.sort(key=Finding.sort_key)
            ordered = findings
        result = Result(ordered, tally(self.summary, ordered), rulesets=self.rulesets_used())
        if keep_events:
            result.events = self.events()
            result.encounter_ids = self.encounter_ids()
        return result


def history_findings(events: Iterable[Event]) -> list[Finding]:
    """The history rules' findings on events whose links are set (a patient's timeline,
    :meth:`PatientHistory.timeline`), each judged by its own rules (``event.rules``)."""
    findings: list[Finding] = []
    for event in events:
        if not event.report or event.source is None:
            continue
        for rule in event.rules:
            if not rule.meta.applies_on(event.date):
                continue
            hits = rule.evaluate(event)
            if hits:
                context = event_context(event.context, event.date.isoformat())
                for hit in hits:
                    findings.append(
                        make_finding(rule, hit, event.encounter_id, event.source, context)
                    )
    return findings


@dataclass
class Result:
    """A finished run: findings in report order and the summary that accounts for them.

    With ``keep_events``, ``events`` are the batch's history events and ``encounter_ids``
    every encounter id read (what a history store records).
    """

    findings: Collection[Finding]
    """A list, or a stream read back from disk (:class:`SpilledFindings`) for a big batch
    checked with a spill area: iterate it, never index it."""
    summary: Summary
    events: list[Event] = field(default_factory=list)
    encounter_ids: set[str] = field(default_factory=set)
    rulesets: list[dict[str, object]] = field(default_factory=list)
    """The report's ``rulesets``: each pack that judged the batch."""


def tally(summary: Summary, findings: Iterable[Finding]) -> Summary:
    """Fill the finding counts of ``summary`` from the findings that will be reported."""
    by_severity = {"error": 0, "warning": 0, "info": 0}
    total = 0
    for each in findings:
        by_severity[each.severity] += 1
        total += 1
    summary.findings = total
    summary.by_severity = by_severity
    return summary


def run(
    items: Iterable[object],
    ruleset: Ruleset | Router | None = None,
    *,
    context: ContextSource | None = None,
    keep_events: bool = False,
    spill: SpillArea | None = None,
) -> Result:
    """Check a whole batch; findings sorted by file, line, encounter, rule.

    Items are what readers produce (:class:`Record`, :class:`InputError`) or, as for
    :func:`lint`, plain record dicts; the ruleset (or payer router) defaults to the built-in
    one. ``context`` is asked once, after the last record and only when a history rule is
    selected, for earlier events of the batch's patients (no pre-pass over the input). With
    a ``spill`` area, findings and history events past its threshold wait on disk (the
    caller closes the area once done with the result).
    """
    linter = Linter(
        ruleset if ruleset is not None else load_ruleset(), keep_events=keep_events, spill=spill
    )
    findings = FindingSink(spill)
    for index, item in enumerate(items):
        findings.extend(linter.check(_as_item(item, index)))
    return linter.result(findings, context=context, keep_events=keep_events)


def _as_item(record: object, index: int) -> Item:
    if isinstance(record, Record | InputError):
        return record
    source = Source("<records>", index + 1)
    try:
        return Record(validate_encounter(record), source)
    except StructureError as exc:
        return InputError(source, f"invalid record: {exc}", exc.pointer, rule_id="B12-INPUT-002")


def lint(records: Iterable[object], ruleset: Ruleset | Router | None = None) -> Iterator[Finding]:
    """Lint encounter records (dicts, or :class:`Record` from a reader); yield findings.

    Per-encounter findings stream as records are checked; cross-encounter (history) findings
    follow the last record. Use :func:`run` for a sorted result with its summary.
    """
    linter = Linter(ruleset if ruleset is not None else load_ruleset())
    for index, record in enumerate(records):
        yield from linter.check(_as_item(record, index))
    yield from linter.finish()
