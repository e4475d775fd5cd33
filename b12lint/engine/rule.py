"""One rule: its metadata and its compiled condition, built from a validated YAML mapping."""

from __future__ import annotations

import datetime as dt
import threading
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field, replace
from typing import Any

from b12lint.engine.compiler import (
    _UNSET,
    DOS,
    ENC,
    Compiled,
    Env,
    Scope,
    compile_expr,
    compile_path,
    element_type,
)
from b12lint.engine.coverage import DATE_POINTER, GAPS, Gap, note
from b12lint.engine.coverage import message as not_checked_message
from b12lint.engine.datatable import DataTable
from b12lint.engine.errors import RuleError
from b12lint.engine.guard import Guard, rule_guard
from b12lint.engine.template import Renderer, compile_template, render_value
from b12lint.engine.view import VIEW_TYPES
from b12lint.model import SEVERITIES, Category, Severity

FAR_PAST = dt.date(1900, 1, 1)
FAR_FUTURE = dt.date(9999, 12, 31)


@dataclass(frozen=True, slots=True)
class Hit:
    """What one rule reports for one encounter, before it becomes a Finding."""

    pointer: str
    message: str
    fix: Any = None
    has_fix: bool = False
    fix_safe: bool = True
    subject: str | None = None
    severity: Severity | None = None
    """Set on a "not checked" hit (``info``, whatever the rule's own severity)."""
    unreadable: bool = False
    """A "not checked" hit for an unreadable value: one per category and pointer is kept."""


@dataclass(frozen=True)
class RuleMeta:
    """Everything about a rule except how it evaluates: what ``b12lint rules`` lists."""

    id: str
    name: str
    severity: Severity
    category: Category
    summary: str
    message: str
    rationale: str
    references: tuple[Mapping[str, Any], ...]
    effective_from: dt.date
    effective_to: dt.date | None
    kind: str = "encounter"
    needs_chart: bool = False
    claim_types: frozenset[str] | None = None
    """The claim types the rule judges (``applies_to.claim_type``); None: every claim."""
    pack: str = ""
    file: str = ""
    examples: Mapping[str, Any] = field(default_factory=dict)
    examples_file: str = ""
    """Where the examples come from when a pack replaced the rule's own (else empty)."""
    source: Mapping[str, Any] = field(default_factory=dict, repr=False)
    data_tables: tuple[str, ...] = ()
    """The pack data tables the rule reads (its policy values), sorted."""
    fix: str | None = None
    """``safe`` or ``review`` when the rule computes a fix, else None."""

    def applies_to(self, claim_type: str) -> bool:
        """Whether the rule judges a claim of this type (see :func:`claim_type_of`)."""
        return self.claim_types is None or claim_type in self.claim_types

    def applies_on(self, date: dt.date) -> bool:
        """Whether the rule is in effect on a date of service (``to`` is inclusive)."""
        if date < self.effective_from:
            return False
        return self.effective_to is None or date <= self.effective_to


Evaluator = Callable[[Any], list[Hit]]
HitMaker = Callable[[Any, int, Any, tuple[Any, ...], "set[Any] | None", "Env | None"], "Hit | None"]
"""``(subject, item index, item, let values, once_per keys seen, sink) -> Hit`` (None: a
``once_per`` key already in ``seen``; ``seen`` is None outside a ``for_each``). The gaps the
``once_per`` key notes are noted in ``sink`` (the generated code's environment), as the closure
evaluator counts them; those of the message and fix are not a check, as there."""
NotChecked = Callable[["list[Gap] | None", list[Hit]], list[Hit]]
"""``(gaps noted, hits) -> hits``: the rule's "not checked" infos appended for the gaps."""


@dataclass(frozen=True)
class Plan:
    """What the code generator (:mod:`b12lint.engine.codegen`) needs of a compiled rule: the
    validated expressions with the scopes they were compiled in, and the closures that turn a
    match into a :class:`Hit` (messages, pointers, fixes and ``once_per`` stay closures)."""

    history: bool
    root: Scope
    for_each: Any
    """The ``for_each.of`` expression (None: the rule has no ``for_each``)."""
    loop_var: str | None
    lets: tuple[tuple[str, Any, Scope], ...]
    """Each ``let``: its name, expression and the scope it was compiled in, in order."""
    per_item: tuple[int, ...]
    """Indexes of the lets computed again for each ``for_each`` item."""
    when: Any
    scope: Scope
    """The scope of ``when`` (the ``for_each`` name and every let bound)."""
    once_per: bool
    make_hit: HitMaker
    not_checked: NotChecked
    let_value: Callable[[int], Any]
    """The value the closures' environment holds for the let of that index after
    :attr:`make_hit` (a let first computed for a message stays computed, as in the closures)."""


@dataclass(frozen=True)
class Rule:
    """A compiled rule: metadata plus an evaluator over an encounter view (or event).

    ``evaluate`` is the closure evaluator, or the generated one (:mod:`b12lint.engine.codegen`)
    when the pack was compiled with ``engine="generated"``; ``closures`` is always the closure
    evaluator (the oracle the generated code is tested against).
    """

    meta: RuleMeta
    evaluate: Evaluator = field(repr=False)
    guard: Guard | None = field(default=None, repr=False)
    """Facts an encounter must have for the rule to fire (:mod:`b12lint.engine.guard`)."""
    plan: Plan | None = field(default=None, repr=False, compare=False)
    closures: Evaluator | None = field(default=None, repr=False, compare=False)

    @property
    def oracle(self) -> Evaluator:
        """The closure evaluator of this rule."""
        return self.closures if self.closures is not None else self.evaluate

    def with_evaluator(self, evaluate: Evaluator) -> Rule:
        """The same rule evaluated by another evaluator (the closures stay the oracle)."""
        return replace(self, evaluate=evaluate, closures=self.oracle)

    def with_severity(self, severity: str) -> Rule:
        """The same rule reporting at another severity (a pack or config override)."""
        if severity not in SEVERITIES:
            raise ValueError(f"unknown severity {severity!r}")
        return replace(self, meta=replace(self.meta, severity=severity))

    def with_examples(self, examples: Mapping[str, Any], file: str) -> Rule:
        """The same rule with a pack's own examples (for a pack whose data changes outcomes)."""
        return replace(self, meta=replace(self.meta, examples=examples, examples_file=file))


def _date(value: Any, what: str) -> dt.date | None:
    if value is None:
        return None
    if isinstance(value, dt.date) and not isinstance(value, dt.datetime):
        return value
    if isinstance(value, str):
        try:
            return dt.date.fromisoformat(value)
        except ValueError:
            pass
    raise RuleError(f"{what} must be an ISO date (YYYY-MM-DD)")


def claim_type_of(record: Mapping[str, Any]) -> str:
    """An encounter's claim type as rules see it: ``claim_type`` lower-cased; when absent or
    null, ``institutional`` if the record has a type of bill (FORMATS.md: institutional
    only), else ``professional`` (the default)."""
    value = record.get("claim_type")
    if isinstance(value, str) and value.strip():
        return value.strip().lower()
    tob = record.get("type_of_bill")
    if isinstance(tob, str) and tob.strip():
        return "institutional"
    return "professional"


def _claim_types(applies_to: Any) -> frozenset[str] | None:
    if not isinstance(applies_to, Mapping) or applies_to.get("claim_type") is None:
        return None
    return frozenset(applies_to["claim_type"])


def build_meta(doc: Mapping[str, Any], pack: str, file: str) -> RuleMeta:
    """The metadata of a rule mapping that already passed the JSON Schema."""
    eff = doc["effective"]
    start = _date(eff.get("from"), "effective.from") or FAR_PAST
    end = _date(eff.get("to"), "effective.to")
    if end is not None and end < start:
        raise RuleError("effective.to is before effective.from", "effective")
    if doc.get("applies_to") is not None and doc.get("kind", "encounter") != "encounter":
        raise RuleError("applies_to is for encounter rules (a history event has no claim type)")
    return RuleMeta(
        id=doc["id"],
        name=doc["name"],
        severity=doc["severity"],
        category=doc["category"],
        summary=doc["summary"],
        message=doc["message"],
        rationale=doc["rationale"].strip(),
        references=tuple(doc["references"]),
        effective_from=start,
        effective_to=end,
        kind=doc.get("kind", "encounter"),
        needs_chart=bool(doc.get("needs_chart", False)),
        claim_types=_claim_types(doc.get("applies_to")),
        pack=pack,
        file=file,
        examples=doc.get("examples") or {},
        source=doc,
    )


def _guard(key: str, fn: Callable[[], Any]) -> Any:
    try:
        return fn()
    except RuleError as exc:
        raise exc.under(key) from None


def _compile_let(name: str, expr: Any, scope: Scope) -> tuple[Compiled, Scope]:
    try:
        compiled = compile_expr(expr, scope)
        return compiled, scope.bind(name, compiled.ty, let=True)
    except RuleError as exc:
        raise exc.under(f"let.{name}") from None


def _heads(node: Any, out: set[str]) -> set[str]:
    """The first names of every field path in an expression."""
    if isinstance(node, str):
        if node.startswith("$") and not node.startswith("$$"):
            out.add(node[1:].split(".")[0])
    elif isinstance(node, dict):
        for value in node.values():
            _heads(value, out)
    elif isinstance(node, list):
        for value in node:
            _heads(value, out)
    return out


def item_lets(lets: Mapping[str, Any], loop_var: str | None) -> tuple[str, ...]:
    """The lets that depend on the ``for_each`` item (directly or through another let):
    only those are computed again for each item."""
    if loop_var is None:
        return ()
    dependent: list[str] = []
    for name, expr in lets.items():  # a let may only read the lets before it
        if _heads(expr, set()) & {loop_var, *dependent}:
            dependent.append(name)
    return tuple(dependent)


def compile_rule(
    doc: Mapping[str, Any], data: Mapping[str, DataTable], pack: str, file: str
) -> Rule:
    """Compile a schema-valid rule mapping; raise :class:`RuleError` naming the key at fault."""
    meta = build_meta(doc, pack, file)
    history = meta.kind == "history"
    root = "Event" if history else "Encounter"
    scope = Scope(data=data, root=root)
    used = scope.used  # shared by every child scope: filled as expressions compile

    root_scope = scope
    loop_items: Compiled | None = None
    loop_var: str | None = None
    if "for_each" in doc:
        spec = doc["for_each"]
        loop_items = _guard("for_each.of", lambda: compile_expr(spec["of"], scope))
        loop_var = spec["as"]
        elem = element_type(loop_items.ty)
        scope = _guard("for_each.as", lambda: scope.bind(spec["as"], elem))

    lets: list[tuple[str, Compiled]] = []
    let_scopes: list[tuple[str, Any, Scope]] = []
    for name, expr in (doc.get("let") or {}).items():
        let_scopes.append((name, expr, scope))
        compiled, scope = _compile_let(name, expr, scope)
        lets.append((name, compiled))

    cond = _guard("when", lambda: compile_expr(doc["when"], scope)).fn
    once_per = (
        _guard("once_per", lambda: compile_expr(doc["once_per"], scope)).fn
        if "once_per" in doc
        else None
    )
    at = doc.get("at")
    pointer_fn: Callable[[Env], str | None]
    subject_fn: Callable[[Env], Any] | None = None
    if isinstance(at, str) and at.startswith("$"):
        at_path = _guard("at", lambda: compile_path(at, scope))
        if at_path.pointer is None:
            raise RuleError("at must name a field of the record, not a let value", "at")
        pointer_fn = at_path.pointer
        subject_fn = at_path.fn
    elif isinstance(at, str):
        static = at

        def pointer_fn(env: Env) -> str | None:
            return static

    elif loop_var is not None and loop_items is not None:
        var = loop_var
        views = element_type(loop_items.ty).of in VIEW_TYPES

        def pointer_fn(env: Env) -> str | None:
            if views:
                return str(env[var].ptr)
            value: str | None = env.get("#" + var)
            return value

    else:

        def pointer_fn(env: Env) -> str | None:
            return ""

    message: Renderer = _guard("message", lambda: compile_template(doc["message"], scope))
    fix_fn: Callable[[Env], Any] | None = None
    fix_safe = True
    if "fix" in doc:
        fix_fn = _guard("fix.value", lambda: compile_expr(doc["fix"]["value"], scope)).fn
        fix_safe = bool(doc["fix"].get("safe", True))

    let_names = [name for name, _ in lets]
    let_thunks = {"&" + name: c.fn for name, c in lets}
    # Lets that do not read the for_each item are computed once per encounter, not per item.
    per_item = item_lets(doc.get("let") or {}, loop_var)

    def hit(env: Env) -> Hit:
        gaps = env[GAPS]  # data read only for a message or a fix is not a check
        env[GAPS] = None
        fix_value = fix_fn(env) if fix_fn is not None else None
        subject = render_value(subject_fn(env)) if subject_fn is not None else None
        found = Hit(
            pointer=pointer_fn(env) or "",
            message=message(env),
            fix=fix_value,
            has_fix=fix_value is not None,
            fix_safe=fix_safe,
            subject=subject,
        )
        env[GAPS] = gaps
        return found

    summary = meta.summary

    def not_checked(env: Env, hits: list[Hit]) -> list[Hit]:
        return gaps_checked(env[GAPS], hits)

    def gaps_checked(gaps: list[Gap] | None, hits: list[Hit]) -> list[Hit]:
        if not gaps:
            return hits
        dated = [g for g in gaps if not g.unreadable]
        if dated:
            text = not_checked_message(summary, dated)
            hits.append(Hit(DATE_POINTER, text, severity="info"))
        for pointer in dict.fromkeys(g.pointer for g in gaps if g.unreadable):
            text = not_checked_message(summary, [g for g in gaps if g.pointer == pointer])
            hits.append(Hit(pointer, text, severity="info", unreadable=True))
        return hits

    template: Env = {
        ENC: None,
        DOS: None,
        GAPS: None,
        **let_thunks,
        **dict.fromkeys(let_names, _UNSET),
    }
    local = threading.local()

    def fresh_env(subject: Any) -> Env:
        # One environment per rule and thread, reset for each encounter: every name an
        # expression reads is bound before it is read (the compiler's scopes), lets are reset
        # here. Per thread: a service checks requests in worker threads with one loaded
        # ruleset, and two threads evaluating a rule at once must not share its bindings.
        try:
            env: Env = local.env
        except AttributeError:
            env = local.env = dict(template)
        env[ENC] = subject
        env[DOS] = subject.date if history else subject.raw["date_of_service"]
        env[GAPS] = None
        for name in let_names:
            env[name] = _UNSET
        return env

    meta = replace(
        meta,
        data_tables=tuple(sorted(used)),
        fix=None if fix_fn is None else ("safe" if fix_safe else "review"),
    )
    if loop_items is None:

        def evaluate(subject: Any) -> list[Hit]:
            env = fresh_env(subject)
            return not_checked(env, [hit(env)] if cond(env) else [])

    else:
        items_fn, name_ = loop_items.fn, loop_var
        assert name_ is not None  # set together with loop_items
        bound: str = name_
        # Items that are not views are at ``prefix/i`` (the collection's pointer, None when
        # it has none); views carry their own.
        prefix_fn = loop_items.pointer
        bind_ptr = element_type(loop_items.ty).of not in VIEW_TYPES
        ptr_key = "#" + bound

        def evaluate(subject: Any) -> list[Hit]:
            env = fresh_env(subject)
            items = items_fn(env)
            if not items or isinstance(items, str | dict):
                return not_checked(env, [])
            hits: list[Hit] = []
            seen: set[Any] = set()
            prefix = prefix_fn(env) if bind_ptr and prefix_fn is not None else None
            for i, item in enumerate(items):
                env[bound] = item
                if bind_ptr:
                    env[ptr_key] = None if prefix is None else f"{prefix}/{i}"
                if i and per_item:
                    for name in per_item:
                        env[name] = _UNSET
                if not cond(env):
                    continue
                if once_per is not None:
                    key = once_per(env)
                    if key in seen:
                        continue
                    seen.add(key)
                hits.append(hit(env))
            return not_checked(env, hits)

    item_var = loop_var or ""
    item_ptr = loop_items is not None and element_type(loop_items.ty).of not in VIEW_TYPES
    item_prefix = loop_items.pointer if loop_items is not None else None

    def make_hit(
        subject: Any,
        index: int,
        item: Any,
        values: tuple[Any, ...],
        seen: set[Any] | None,
        sink: Env | None = None,
    ) -> Hit | None:
        """The hit of a match found by generated code: the closure environment rebuilt from
        the generated code's values (uncomputed lets stay unset: their thunks compute them)."""
        env = fresh_env(subject)
        for name, value in zip(let_names, values, strict=True):
            env[name] = value
        if item_var:
            env[item_var] = item
            if item_ptr:
                prefix = item_prefix(env) if item_prefix is not None else None
                env["#" + item_var] = None if prefix is None else f"{prefix}/{index}"
        if once_per is not None and seen is not None:
            key = once_per(env)
            noted: list[Gap] | None = env[GAPS]
            if noted and sink is not None:
                for gap in noted:
                    note(sink, gap)
            if key in seen:
                return None
            seen.add(key)
        return hit(env)

    def let_value(index: int) -> Any:
        # this thread's environment, as the make_hit just before it left it
        values: Env = local.env
        return values[let_names[index]]

    plan = Plan(
        history=history,
        root=root_scope,
        for_each=doc["for_each"]["of"] if "for_each" in doc else None,
        loop_var=loop_var,
        lets=tuple(let_scopes),
        per_item=tuple(let_names.index(n) for n in per_item),
        when=doc["when"],
        scope=scope,
        once_per=once_per is not None,
        make_hit=make_hit,
        not_checked=gaps_checked,
        let_value=let_value,
    )
    return Rule(meta, evaluate, rule_guard(doc, Scope(data=data, root=root)), plan)
