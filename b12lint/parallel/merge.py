"""Merging the shares' results into the result one process would have produced.

Results are merged in task order (input order). A range's lines are moved down by the lines
of the ranges before it in its file. A record whose encounter id an earlier share already
checked is turned into the duplicate it is (its findings and event dropped, one input finding
at its line, the counts corrected), exactly as a single linter reading the batch in order
would have reported it. History rules then run over every share's events, in this process.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field, replace

from b12lint.engine import Linter, Result
from b12lint.engine.encounterrefs import RefSink
from b12lint.engine.history import Event
from b12lint.engine.linter import ContextSource, duplicate_error, input_finding
from b12lint.engine.spilled import FindingSink
from b12lint.model import EncounterBilling, EncounterRef, InputError, Source, Summary
from b12lint.parallel.shares import Task
from b12lint.parallel.wire import EventDecoder, event_key, finding, row_file, row_line
from b12lint.parallel.worker import IN_SCOPE, WITHOUT_CHART, ShareResult


@dataclass
class Merger:
    """Accumulates share results in task order; ``linter`` runs the history rules at the end."""

    linter: Linter
    findings: FindingSink = field(default_factory=FindingSink)
    events: list[Event] = field(default_factory=list)
    routes: set[int] = field(default_factory=set)
    summary: Summary = field(default_factory=Summary)
    chart_used: set[str] = field(default_factory=set)
    notes: list[str] = field(default_factory=list)
    """The readers' notes, in share order (as one process reads them)."""
    encounters: RefSink = field(default_factory=RefSink)
    billing: list[EncounterBilling] = field(default_factory=list)
    redact_ids: set[str] = field(default_factory=set)
    redact_texts: dict[str, tuple[str, ...]] = field(default_factory=dict)
    _offsets: dict[str, int] = field(default_factory=dict)
    _decoder: EventDecoder = field(default_factory=EventDecoder)

    def input_errors(self, errors: Iterable[InputError]) -> None:
        """Input errors found before any share (the chart files')."""
        for error in errors:
            self.summary.input_errors += 1
            self.findings.extend([input_finding(error)])
            if error.encounter_id:
                self.redact_ids.add(error.encounter_id)

    def add(self, task: Task, share: ShareResult) -> None:
        """Merge the next share (shares must come in task order)."""
        display = task.display
        offset = 0
        if task.ranged:
            offset = self._offsets.get(display, 0)
            self._offsets[display] = offset + share.lines
        summary = self.summary
        summary.encounters += share.encounters
        summary.b12_encounters += share.b12_encounters
        summary.input_errors += share.input_errors
        summary.without_chart += share.without_chart
        for kind, count in share.not_judged.items():
            summary.not_judged[kind] = summary.not_judged.get(kind, 0) + count
        self.notes.extend(share.notes)
        duplicates: dict[int, str] = {}
        mark_seen = self.linter.mark_seen
        for encounter_id, line, flags in zip(share.ids, share.id_lines, share.flags, strict=True):
            if mark_seen(encounter_id):
                continue
            duplicates[line] = encounter_id
            summary.encounters -= 1
            summary.input_errors += 1
            if flags & IN_SCOPE:
                summary.b12_encounters -= 1
            if flags & WITHOUT_CHART:
                summary.without_chart -= 1
            error = duplicate_error(Source(display, line + offset), encounter_id)
            self.findings.extend([input_finding(error)])
        self.findings.extend(
            finding(row, offset)
            for row in share.findings
            if not (duplicates and row_file(row) == display and row_line(row) in duplicates)
        )
        decode, set_route = self._decoder.event, self.linter.set_route
        spills = self.linter.spills_events
        for row in share.events:
            if duplicates:
                file, at = event_key(row)
                if file == display and at in duplicates:
                    continue
            if spills:
                self.linter.add_event_row(row, offset)
                continue
            event, route = decode(row, offset)
            set_route(event, route)
            self.events.append(event)
        self.routes.update(share.routes)
        self.chart_used.update(share.chart_used)
        self.encounters.extend(
            EncounterRef(display, None if line is None else line + offset, eid)
            for line, eid in share.refs
        )
        self.billing.extend(
            replace(b, line=None if b.line is None else b.line + offset) for b in share.billing
        )
        self.redact_ids |= share.redact_ids
        for eid, texts in share.redact_texts.items():
            self.redact_texts[eid] = (*self.redact_texts.get(eid, ()), *texts)

    def finish(self, *, context: ContextSource | None = None, keep_events: bool = False) -> Result:
        """Run the history rules over every event and sort: the batch's result."""
        linter = self.linter
        linter.summary = self.summary
        linter.adopt(self.events, (), sorted(self.routes))
        return linter.result(self.findings, context=context, keep_events=keep_events)
