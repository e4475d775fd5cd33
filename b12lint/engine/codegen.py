"""Engine v2: a pack's rule conditions translated into Python source, compiled once.

The closure compiler (:mod:`b12lint.engine.compiler`) validates every rule first; this module
then walks the same expressions again, in the same scopes, and writes one Python function a
rule (plus one a loop and one a ``let``) that computes what the closures compute, with local
variables in place of the environment dict. A match is handed to the rule's closures
(:attr:`Plan.make_hit`) to build its message, pointer and fix, so findings are built by one
code path whichever engine runs.

Safety: the source names only the fixed vocabulary (:data:`coderuntime.VOCABULARY`), names the
generator makes (``k_N`` constants, ``t_N`` temporaries, ``v_N`` bindings, ``q_N``/``l_N``
helpers, ``r_N`` rules) and attribute names taken from the engine's field registry
(:data:`view.TYPES`), never from rule text. Literals are ``repr()`` of validated values (text,
numbers, booleans, None, dates, tuples of them); every other value (pack data, compiled
regexes, domain functions, closures) is a ``k_N`` constant handed to ``exec`` in its
namespace. Operators the generator does not know are run by their closures
(:func:`coderuntime.bind`), so a new operator works before it is translated.

Each expression node is written between ``#@N`` / ``#@/`` comment lines: the line of a failing
instruction leads back to the rule id and the key path in its YAML file, which an exception
carries as a note (the generated source is kept on the pack, :attr:`Generated.source`).
"""

from __future__ import annotations

import datetime as dt
import keyword
import math
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import Any

from b12lint.engine.codecache import load_code
from b12lint.engine.coderuntime import VOCABULARY
from b12lint.engine.compiler import (
    _EARLIEST,
    DATED_SEEN,
    DOS,
    ENC,
    ROW,
    VALUE,
    Scope,
    Ty,
    _dated,
    _table_values,
    compile_expr,
    dated_call,
    element_type,
)
from b12lint.engine.coverage import GAPS
from b12lint.engine.functions import FUNCTIONS
from b12lint.engine.regex import compile_regex
from b12lint.engine.rule import Evaluator, Plan, Rule
from b12lint.engine.view import DICT_TYPES, TYPES, VIEW_TYPES, FieldSpec

FILENAME = "<b12lint generated rules>"
#: Collections the views build themselves: always a list, never holding None (their items
#: need no None test, the list no type test).
VIEW_LISTS = frozenset(
    {
        ("Encounter", "lines"),
        ("Encounter", "administrations"),
        ("Encounter", "b12_administrations"),
        ("Encounter", "b12_drug_lines"),
        ("Event", "earlier"),
    }
)
#: A let whose code is longer is computed by a function of its own rather than inline.
INLINE_LET = 400
_ENC_NAME = "@enc"
_ENV_NAME = "@env"
_Handler = Callable[["_Generator", str, Any, Scope, "_Frame", str], str]
OPERATORS: dict[str, tuple[str, _Handler]] = {}
"""Operator -> (its name as this module spells it, its translation)."""


def _op(*names: str) -> Callable[[_Handler], _Handler]:
    def register(fn: _Handler) -> _Handler:
        for name in names:
            OPERATORS[name] = (name, fn)
        return fn

    return register


@dataclass
class _Frame:
    """The Python locals of one generated function: rule names (bindings, ``@enc``,
    ``@env``) to local variable names; in the rule function a let is computed on first use."""

    names: dict[str, str]
    lets: dict[str, str] = field(default_factory=dict)
    """Rule frame only: let name -> the code that computes it."""
    used: set[str] = field(default_factory=set)
    nonnull: set[str] = field(default_factory=set)
    """Names bound to items of a view's own collection (:data:`VIEW_LISTS`): never None."""
    parent: _Frame | None = None
    hoisted: list[str] = field(default_factory=list)
    """Rule frame only: locals computed on first use (lets, pack data), reset per encounter."""
    lazy: dict[str, Callable[[_Frame], str]] = field(default_factory=dict)
    """Values that may note a gap (:mod:`b12lint.engine.coverage`): computed on first use in
    whichever function uses them first, never forced by a helper's call, so a gap is noted
    exactly when the closures would note it. Name -> the code computing it in a frame."""

    def ref(self, name: str) -> str:
        """The code reading a name (forcing a let in the rule function)."""
        self.used.add(name)
        local = self.names[name]
        compute = self.lets.get(name)
        if compute is None and name in self.lazy:
            compute = self.lets[name] = self.lazy[name](self)
        if compute is None:
            return local
        return f"({local} if {local} is not UNSET else ({local} := {compute}))"

    def child(self) -> _Frame:
        """A helper function's frame: the same names, received as parameters."""
        return _Frame(
            dict(self.names), nonnull=set(self.nonnull), parent=self, lazy=dict(self.lazy)
        )

    def once(self, key: str, local: str, compute: Callable[[_Frame], str]) -> str:
        """A value computed at most once per function call (pack data for the date of
        service, which may note a gap): a helper receives the rule frame's local as it is
        (perhaps not computed yet) and computes it itself on first use."""
        chain: list[_Frame] = []
        root = self
        while root.parent is not None:
            chain.append(root)
            root = root.parent
        if key not in root.names:
            root.lazy[key] = compute
            root.names[key] = local
            root.hoisted.append(local)
        for frame in chain:
            frame.names.setdefault(key, root.names[key])
            frame.lazy.setdefault(key, root.lazy[key])
        return self.ref(key)


def _indent(text: str, level: int = 1) -> str:
    pad = "    " * level
    return "\n".join(pad + line if line.strip() else line for line in text.split("\n"))


class _Generator:
    """Writes the source of one pack: helper and rule functions, and their constants."""

    def __init__(self) -> None:
        self.constants: list[Any] = []
        self._const_ids: dict[int, str] = {}
        self.functions: list[str] = []
        self.paths: list[tuple[int, str]] = []
        """Marker id -> (rule index, YAML key path)."""
        self.owners: dict[str, int] = {}
        """Generated function name -> rule index."""
        self.rule_index = 0
        self.history = False
        """Whether the rule being written judges history events (their date: ``.date``)."""
        self._count = 0

    # ----------------------------------------------------------------- names and literals

    def fresh(self, prefix: str) -> str:
        self._count += 1
        return f"{prefix}_{self._count}"

    def const(self, value: Any) -> str:
        """A ``k_N`` constant holding ``value`` (one per object)."""
        name = self._const_ids.get(id(value))
        if name is None:
            name = f"k_{len(self.constants)}"
            self.constants.append(value)
            self._const_ids[id(value)] = name
        return name

    def literal(self, value: Any) -> str:
        """Source for a validated value: ``repr()`` of a plain literal, else a constant."""
        if value is None or value is True or value is False:
            return repr(value)
        if type(value) is int:
            return f"({value!r})"
        if type(value) is float and math.isfinite(value):
            return f"({value!r})"
        if type(value) is str:
            return repr(value)
        if type(value) is dt.date:
            return f"date_({value.year:d}, {value.month:d}, {value.day:d})"
        if type(value) is tuple:
            return "(" + "".join(self.literal(v) + ", " for v in value) + ")"
        return self.const(value)

    def dos(self, subject: str) -> str:
        """The code reading the date of service of ``subject`` (as the environment's)."""
        return f"{subject}.date" if self.history else f"{subject}.raw['date_of_service']"

    def mark(self, where: str, code: str) -> str:
        """Code wrapped in markers naming its YAML key path (see :func:`_line_map`)."""
        self.paths.append((self.rule_index, where))
        return f"(\n#@{len(self.paths) - 1}\n{code}\n#@/\n)"

    # ----------------------------------------------------------------- expressions

    def expr(self, node: Any, scope: Scope, frame: _Frame, where: str) -> str:
        """Source computing the value of an expression node."""
        if isinstance(node, str):
            if node.startswith("$$"):
                return self.literal(node[1:])
            if node.startswith("$"):
                return self.mark(where, self.path(node, scope, frame))
            return self.literal(node)
        if node is None or isinstance(node, bool | int | float):
            return self.literal(node)
        if isinstance(node, list):
            compiled = compile_expr(node, scope)
            if compiled.const:
                return self.literal(compiled.value)
            items = [self.expr(n, scope, frame, f"{where}[{i}]") for i, n in enumerate(node)]
            return "(" + "".join(i + ", " for i in items) + ")"
        if isinstance(node, dict):
            ((key, arg),) = node.items()
            at = f"{where}.{key}" if where else str(key)
            entry = OPERATORS.get(key)
            if entry is None:
                return self.mark(at, self.closure(node, scope, frame))
            op, handler = entry
            return self.mark(at, handler(self, op, arg, scope, frame, at))
        return self.literal(compile_expr(node, scope).value)  # a YAML date

    def test(self, node: Any, scope: Scope, frame: _Frame, where: str) -> str:
        """Source whose truth is the condition's (``all``/``any`` without ``bool()``)."""
        if isinstance(node, dict) and len(node) == 1:
            ((key, arg),) = node.items()
            if key in ("all", "any") and isinstance(arg, list):
                at = f"{where}.{key}" if where else str(key)
                joiner = " and " if key == "all" else " or "
                parts = [self.test(a, scope, frame, f"{at}[{i}]") for i, a in enumerate(arg)]
                return self.mark(at, "(" + joiner.join(parts) + ")")
        return self.expr(node, scope, frame, where)

    def closure(self, node: Any, scope: Scope, frame: _Frame) -> str:
        """An operator with no translation: its closure, over the bindings in scope (the
        gaps it notes are noted in the rule's environment)."""
        fn = compile_expr(node, scope).fn
        pairs = "".join(
            f"({self.literal(name)}, {frame.ref(name)}), " for name in sorted(scope.vars)
        )
        return f"closure_call({self.const(fn)}, {_env(frame)}, ({pairs}))"

    def path(self, text: str, scope: Scope, frame: _Frame) -> str:
        parts = text[1:].split(".")
        head, rest = parts[0], parts[1:]
        ty: Ty
        if head in scope.vars:
            code, ty = frame.ref(head), scope.vars[head]
            maybe_none = head not in frame.nonnull
        else:
            code, ty, maybe_none = frame.ref(_ENC_NAME), Ty("object", scope.root), False
            rest = parts
        for index, name in enumerate(rest):
            assert ty.kind == "object" and ty.of is not None  # checked by compile_path
            owner = ty.of
            step, ty = _step(owner, name)
            if index == len(rest) - 1 and _unreadable(owner, name) is not None:
                step = self._noting(owner, name, step, frame)
            if maybe_none:
                t = self.fresh("t")
                code = f"(None if ({t} := {code}) is None else {step(t)})"
            else:
                code = step(code)
            maybe_none = True
        return code

    def _noting(
        self, owner: str, name: str, step: Callable[[str], str], frame: _Frame
    ) -> Callable[[str], str]:
        """A derived fact that may be unreadable: when it is None, note why (as
        :func:`compiler._noting_unreadable` does)."""
        spec = _unreadable(owner, name)
        assert spec is not None and spec.unreadable is not None
        what = spec.what or "the charted value"
        info = self.literal((spec.unreadable, what, "/" + (spec.source or "")))

        def read(obj: str) -> str:
            t, u = self.fresh("t"), self.fresh("t")
            return (
                f"({u} if ({u} := {step(f'({t} := {obj})')}) is not None "
                f"else unread({_env(frame)}, {t}, {info}))"
            )

        return read

    # ----------------------------------------------------------------- helper functions

    def helper(self, prefix: str, frame: _Frame, body: Callable[[_Frame], str]) -> str:
        """Define a module-level function whose body ``body(child)`` writes; return the call
        passing it the names of ``frame`` it reads (names it binds itself are its own)."""
        child = frame.child()
        text = body(child)
        params = sorted(n for n in child.used if n in frame.names)
        name = self.fresh(prefix)
        self.owners[name] = self.rule_index
        args = ", ".join(child.names[n] for n in params)
        self.functions.append(f"def {name}({args}):\n{_indent(text)}\n")
        return f"{name}({', '.join(self._pass(frame, child, n) for n in params)})"

    @staticmethod
    def _pass(frame: _Frame, child: _Frame, name: str) -> str:
        """A helper's argument: a lazy value as it is (the helper computes it if it must),
        anything else computed."""
        if name in child.lazy and name in frame.lazy:
            frame.used.add(name)
            return frame.names[name]
        return frame.ref(name)

    def loop(
        self, arg: dict[str, Any], scope: Scope, frame: _Frame, where: str
    ) -> tuple[str, Scope, str, str]:
        """The items expression, the scope inside the loop, the item's local name and the
        test that the collection has nothing to iterate."""
        coll = compile_expr(arg["of"], scope)
        inner = scope.bind(arg["as"], element_type(coll.ty))
        items = self.expr(arg["of"], scope, frame, f"{where}.of")
        var = self.fresh("v")
        frame.names[arg["as"]] = var
        empty = "(not items or (type_(items) not in SEQUENCE_TYPES and no_items(items)))"
        if _view_list(arg["of"], scope):
            frame.nonnull.add(arg["as"])
            empty = "not items"
        return items, inner, var, empty


def _view_list(node: Any, scope: Scope) -> bool:
    """Whether a collection expression is a path ending in one of :data:`VIEW_LISTS`."""
    if not isinstance(node, str) or not node.startswith("$") or node.startswith("$$"):
        return False
    parts = node[1:].split(".")
    ty: Ty = scope.vars[parts[0]] if parts[0] in scope.vars else Ty("object", scope.root)
    if parts[0] not in scope.vars:
        parts = ["", *parts]
    owner = ""
    for name in parts[1:]:
        if ty.kind != "object" or ty.of is None or ty.of.startswith(ROW):
            return False
        owner = ty.of
        _, ty = _step(owner, name)
    return len(parts) > 1 and (owner, parts[-1]) in VIEW_LISTS


def _unreadable(owner: str, name: str) -> FieldSpec | None:
    """The registry's entry of a view's derived fact that may be unreadable, else None."""
    if owner not in VIEW_TYPES or owner.startswith(ROW):
        return None
    spec = TYPES[owner].get(name)
    return spec if spec is not None and spec.unreadable is not None else None


def _canonical(owner: str, name: str) -> str:
    """The registry's own spelling of a field name (never the rule's text)."""
    for known in TYPES[owner]:
        if known == name:
            return known
    raise AssertionError(f"{owner}.{name} passed the compiler but is not registered")


def _step(owner: str, name: str) -> tuple[Callable[[str], str], Ty]:
    """How to read field ``name`` of an ``owner`` value (as :func:`compiler._step`)."""
    if owner.startswith(ROW):
        # a row type exists only when every row of every version is a mapping
        return (lambda obj: f"{obj}.get({name!r})"), VALUE
    known = _canonical(owner, name)
    spec = TYPES[owner][known]
    ty = Ty(spec.kind, spec.of) if spec.kind != "value" else VALUE
    if owner in VIEW_TYPES and not spec.attr:
        return (lambda obj: f"{obj}.raw.get({known!r})"), ty
    if owner in DICT_TYPES:
        return (lambda obj: f"{obj}.get({known!r})"), ty
    if not known.isidentifier() or keyword.iskeyword(known):
        raise AssertionError(f"field {known!r} is not an attribute name")
    return (lambda obj: f"{obj}.{known}"), ty


# --------------------------------------------------------------------------- operators


@_op("all", "any")
def _all_any(g: _Generator, op: str, arg: Any, scope: Scope, frame: _Frame, where: str) -> str:
    joiner = " and " if op == "all" else " or "
    parts = [g.test(a, scope, frame, f"{where}[{i}]") for i, a in enumerate(arg)]
    return f"(True if ({joiner.join(parts)}) else False)"


@_op("not")
def _not(g: _Generator, op: str, arg: Any, scope: Scope, frame: _Frame, where: str) -> str:
    return f"(not {g.test(arg, scope, frame, where)})"


def _two(g: _Generator, arg: Any, scope: Scope, frame: _Frame, where: str) -> tuple[str, str]:
    return g.expr(arg[0], scope, frame, f"{where}[0]"), g.expr(arg[1], scope, frame, f"{where}[1]")


@_op("eq", "ne", "lt", "le", "gt", "ge")
def _compare(g: _Generator, op: str, arg: Any, scope: Scope, frame: _Frame, where: str) -> str:
    left, right = _two(g, arg, scope, frame, where)
    if op == "eq":
        return f"({left} == {right})"
    if op == "ne":
        return f"({left} != {right})"
    # lt le gt ge: two numbers compared inline, anything else by the vocabulary's None-safe
    # comparison (both operands computed first, once, in order)
    a, b = g.fresh("t"), g.fresh("t")
    symbol = {"lt": "<", "le": "<=", "gt": ">", "ge": ">="}[op]
    if _number_literal(arg[1]):  # a number written in the rule: only the left is tested
        return (
            f"(({a} {symbol} {right}) if type_({a} := {left}) in NUMBER_TYPES "
            f"else {op}({a}, {right}))"
        )
    return (
        f"(({a} {symbol} {b}) if (type_({a} := {left}) in NUMBER_TYPES) "
        f"& (type_({b} := {right}) in NUMBER_TYPES) else {op}({a}, {b}))"
    )


def _number_literal(node: Any) -> bool:
    """Whether an expression is a finite number written in the rule (not a boolean)."""
    return type(node) is int or (type(node) is float and math.isfinite(node))


@_op("in", "not_in")
def _membership(g: _Generator, op: str, arg: Any, scope: Scope, frame: _Frame, where: str) -> str:
    negate = op == "not_in"
    item = g.expr(arg[0], scope, frame, f"{where}[0]")
    coll = compile_expr(arg[1], scope)
    if coll.const:
        try:
            frozen: Any = frozenset(coll.value)
        except TypeError:
            frozen = tuple(coll.value)
        helper = "not_member" if negate else "member"
        return f"{helper}({item}, {g.const(frozen)})"
    values = g.expr(arg[1], scope, frame, f"{where}[1]")
    helper = "not_member_dyn" if negate else "member_dyn"
    return f"{helper}({item}, {values})"


@_op("regex")
def _regex(g: _Generator, op: str, arg: Any, scope: Scope, frame: _Frame, where: str) -> str:
    subject = g.expr(arg[0], scope, frame, f"{where}[0]")
    return f"regex({g.const(compile_regex(arg[1]))}, {subject})"


def _present(g: _Generator, value: str) -> str:
    """``is_present`` inline for None and the plain collections (their truth), the call for
    anything else (text is present when not blank)."""
    t = g.fresh("t")
    return (
        f"(False if ({t} := {value}) is None else ((True if {t} else False) "
        f"if type_({t}) in COLLECTION_TYPES else ((True if {t}.strip() else False) "
        f"if type_({t}) is str_ else is_present({t}))))"
    )


@_op("exists")
def _exists(g: _Generator, op: str, arg: Any, scope: Scope, frame: _Frame, where: str) -> str:
    return _present(g, g.expr(arg, scope, frame, where))


@_op("missing")
def _missing(g: _Generator, op: str, arg: Any, scope: Scope, frame: _Frame, where: str) -> str:
    return f"(not {_present(g, g.expr(arg, scope, frame, where))})"


def _lines(*statements: tuple[int, str]) -> str:
    """Statements at their indentation levels (an expression's own line breaks are inside
    parentheses, where indentation does not matter)."""
    return "\n".join("    " * level + text for level, text in statements)


@_op("some", "none", "every")
def _quantifier(g: _Generator, op: str, arg: Any, scope: Scope, frame: _Frame, where: str) -> str:
    # some: True at the first item the condition accepts; every: False at the first it
    # rejects (an empty collection: some False, every True); none: not some.
    found = "False" if op == "every" else "True"
    other = "True" if op == "every" else "False"

    def body(child: _Frame) -> str:
        items, inner, var, empty = g.loop(arg, scope, child, where)
        cond = g.test(arg["where"], inner, child, f"{where}.where")
        test = f"not ({cond})" if op == "every" else cond
        return _lines(
            (0, f"items = {items}"),
            (0, f"if {empty}:"),
            (1, f"return {other}"),
            (0, f"for {var} in items:"),
            (1, f"if {test}:"),
            (2, f"return {found}"),
            (0, f"return {other}"),
        )

    call = g.helper("q", frame, body)
    return f"(not {call})" if op == "none" else call


def _scan(
    g: _Generator,
    arg: Any,
    scope: Scope,
    frame: _Frame,
    where: str,
    action: Callable[[str, Scope, _Frame], tuple[str, ...]],
    start: tuple[str, ...],
    end: str,
) -> str:
    """A loop over ``of`` running ``action`` for each item the ``where`` accepts."""

    def body(child: _Frame) -> str:
        items, inner, var, empty = g.loop(arg, scope, child, where)
        steps = action(var, inner, child)
        statements: list[tuple[int, str]] = [(0, s) for s in start]
        statements += [(0, f"items = {items}"), (0, f"if not ({empty}):")]
        statements.append((1, f"for {var} in items:"))
        level = 2
        if "where" in arg:
            cond = g.test(arg["where"], inner, child, f"{where}.where")
            statements.append((2, f"if {cond}:"))
            level = 3
        statements += [(level, step) for step in steps]
        statements.append((0, end))
        return _lines(*statements)

    return g.helper("q", frame, body)


def _collecting(
    g: _Generator, arg: Any, scope: Scope, frame: _Frame, where: str, finish: str
) -> str:
    """``finish`` of the ``value`` (or the item) of each item the ``where`` accepts."""

    def append(var: str, inner: Scope, child: _Frame) -> tuple[str, ...]:
        value = g.expr(arg["value"], inner, child, f"{where}.value") if "value" in arg else var
        return (f"out.append({value})",)

    return _scan(g, arg, scope, frame, where, append, ("out = []",), f"return {finish}(out)")


@_op("count")
def _count(g: _Generator, op: str, arg: Any, scope: Scope, frame: _Frame, where: str) -> str:
    return _scan(g, arg, scope, frame, where, lambda v, s, f: ("n += 1",), ("n = 0",), "return n")


@_op("sum", "min", "max")
def _aggregate(g: _Generator, op: str, arg: Any, scope: Scope, frame: _Frame, where: str) -> str:
    return _collecting(g, arg, scope, frame, where, "agg_" + op)


@_op("collect")
def _collect(g: _Generator, op: str, arg: Any, scope: Scope, frame: _Frame, where: str) -> str:
    return _collecting(g, arg, scope, frame, where, "distinct")


@_op("first")
def _first(g: _Generator, op: str, arg: Any, scope: Scope, frame: _Frame, where: str) -> str:
    return _scan(g, arg, scope, frame, where, lambda v, s, f: (f"return {v}",), (), "return None")


@_op("call")
def _call(g: _Generator, op: str, arg: Any, scope: Scope, frame: _Frame, where: str) -> str:
    func = FUNCTIONS[arg["fn"]]  # through the registry: functions added later work as is
    args = [
        g.expr(a, scope, frame, f"{where}.args[{i}]") for i, a in enumerate(arg.get("args", []))
    ]
    if func.dated:  # the closures' own bound call: the date of service, the pack's imports;
        # a date neither covers notes a gap in the rule's environment
        return f"{g.const(dated_call(func, scope))}({', '.join([_env(frame), *args])})"
    return f"{g.const(func.fn)}({', '.join(args)})"


def _env(frame: _Frame) -> str:
    frame.ref(_ENC_NAME)
    return frame.ref(_ENV_NAME)


@_op("data")
def _data(g: _Generator, op: str, arg: Any, scope: Scope, frame: _Frame, where: str) -> str:
    compiled = compile_expr({"data": arg}, scope)  # the closures' own accessor
    if compiled.const:
        return g.const(compiled.value)
    return _dated_value(g, compiled.fn, frame)


def _dated_value(g: _Generator, accessor: Any, frame: _Frame) -> str:
    """A table's value for the date of service: looked up once per evaluation, first in the
    accessor's values by date (one dictionary read), then by the accessor itself (a date not
    seen yet, or outside the table: the accessor notes the gap)."""
    name = g.const(accessor)
    by_date = DATED_SEEN.get(accessor)
    if by_date is None:
        return frame.once(f"@data:{name}", g.fresh("d"), lambda root: f"{name}({_env(root)})")
    seen = g.const(by_date)

    def compute(root: _Frame) -> str:
        t = g.fresh("t")
        dos = g.dos(root.ref(_ENC_NAME))
        return (
            f"({t} if ({t} := {seen}.get({dos}, OUTSIDE)) is not OUTSIDE else {name}({_env(root)}))"
        )

    return frame.once(f"@data:{name}", g.fresh("d"), compute)


@_op("lookup")
def _lookup(g: _Generator, op: str, arg: Any, scope: Scope, frame: _Frame, where: str) -> str:
    compile_expr({"lookup": arg}, scope)  # validated already; fills row types
    table, values, _ = _table_values(arg[0], scope, "lookup")
    mapping = _dated(table, values, VALUE)  # the closures' own accessor
    entries = g.const(mapping.value) if mapping.const else _dated_value(g, mapping.fn, frame)
    key = g.expr(arg[1], scope, frame, f"{where}[1]")
    t = g.fresh("t")
    return f"(None if ({t} := {entries}) is None else lookup_get({t}, {key}))"


@_op("add", "sub", "mul", "div")
def _arith(g: _Generator, op: str, arg: Any, scope: Scope, frame: _Frame, where: str) -> str:
    left, right = _two(g, arg, scope, frame, where)
    return f"{op}({left}, {right})"  # the vocabulary's add, sub, mul, div


@_op("coalesce")
def _coalesce(g: _Generator, op: str, arg: Any, scope: Scope, frame: _Frame, where: str) -> str:
    parts = [g.expr(a, scope, frame, f"{where}[{i}]") for i, a in enumerate(arg)]
    code = parts[-1]
    for part in reversed(parts[:-1]):
        t = g.fresh("t")
        code = f"({t} if ({t} := {part}) is not None else {code})"
    return code


# --------------------------------------------------------------------------- rules


def _root_frame(history: bool) -> _Frame:
    """The frame of a rule function: the subject, and the closures' environment (for pack
    data and untranslated operators) made on first use."""
    dos = "subject.date" if history else "subject.raw['date_of_service']"
    frame = _Frame({_ENC_NAME: "subject", _ENV_NAME: "env"})
    frame.lets[_ENV_NAME] = f"{{{ENC!r}: subject, {DOS!r}: {dos}}}"
    frame.hoisted.append("env")
    return frame


def _resets(frame: _Frame) -> list[tuple[int, str]]:
    """The statements that mark every value computed on first use as not computed yet."""
    used = {frame.names[n] for n in frame.used}
    return [(0, f"{v} = UNSET") for v in frame.hoisted if v != "env" or v in used]


def _let_code(g: _Generator, expr: Any, scope: Scope, name: str, frame: _Frame) -> str:
    """The code computing a let in a frame (a function of its own when it is long)."""
    code = g.expr(expr, scope, frame, f"let.{name}")
    if len(code) <= INLINE_LET:
        return code

    def compute(child: _Frame) -> str:
        return "return " + g.expr(expr, scope, child, f"let.{name}")

    return g.helper("l", frame, compute)


def _rule_source(g: _Generator, rule: Rule, plan: Plan) -> str:
    """The source of one rule's evaluator ``r_N(subject) -> list[Hit]``: the closures' hits,
    then their "not checked" infos for the gaps noted (:mod:`b12lint.engine.coverage`)."""
    frame = _root_frame(plan.history)
    g.history = plan.history
    item = g.fresh("v")
    empty = "(not items or (type_(items) not in SEQUENCE_TYPES and no_items(items)))"
    if plan.loop_var is not None:
        frame.names[plan.loop_var] = item
        if _view_list(plan.for_each, plan.root):
            frame.nonnull.add(plan.loop_var)
            empty = "not items"
    let_locals: list[str] = []
    noting: set[str] = set()
    for name, expr, scope in plan.lets:
        local = g.fresh("v")
        if _may_note(expr, scope, noting):
            noting.add(name)

            def lazy(f: _Frame, e: Any = expr, s: Scope = scope, n: str = name) -> str:
                return _let_code(g, e, s, n, f)

            frame.lazy[name] = lazy
        else:
            frame.lets[name] = _let_code(g, expr, scope, name, frame)
        frame.names[name] = local
        frame.hoisted.append(local)
        let_locals.append(local)
    values = "(" + "".join(v + ", " for v in let_locals) + ")"
    hit = g.const(plan.make_hit)
    statements: list[tuple[int, str]] = []
    if plan.for_each is None:
        cond = g.test(plan.when, plan.scope, frame, "when")
        made = f"[{hit}(subject, 0, None, {values}, None, None)]"
        if _ENV_NAME not in frame.used:  # no gap can be noted
            statements += [(0, f"if {cond}:"), (1, f"return {made}"), (0, "return []")]
        else:
            statements += [(0, f"hits = {made} if {cond} else []")]
    else:
        items = g.expr(plan.for_each, plan.root, frame, "for_each.of")
        cond = g.test(plan.when, plan.scope, frame, "when")
        sink = _env(frame) if plan.once_per else "None"
        # a let a message first computed stays computed, as in the closures' environment
        readback: list[tuple[int, str]] = []
        for i, (name, _, _) in enumerate(plan.lets):
            if name in noting and i not in plan.per_item:
                readback += [
                    (2, f"if {let_locals[i]} is UNSET:"),
                    (3, f"{let_locals[i]} = {g.const(plan.let_value)}({i})"),
                ]
        statements += [
            (0, "hits = []"),
            (0, f"items = {items}"),
            (0, f"if not ({empty}):"),
            (1, f"seen = {'set()' if plan.once_per else 'None'}"),
            (1, f"for i, {item} in enumerate(items):"),
            *((2, f"{let_locals[i]} = UNSET") for i in plan.per_item),
            (2, f"if not ({cond}):"),
            (3, "continue"),
            (2, f"hit = {hit}(subject, i, {item}, {values}, seen, {sink})"),
            *readback,
            (2, "if hit is not None:"),
            (3, "hits.append(hit)"),
        ]
    if plan.for_each is not None or _ENV_NAME in frame.used:
        if _ENV_NAME in frame.used:
            gaps = repr(GAPS)
            statements += [
                (0, f"if env is not UNSET and {gaps} in env:"),
                (1, f"return {g.const(plan.not_checked)}(env[{gaps}], hits)"),
            ]
        statements.append((0, "return hits"))
    statements[:0] = _resets(frame)
    body = _lines(*statements)
    name = f"r_{g.rule_index}"
    g.owners[name] = g.rule_index
    return (
        f"def {name}(subject):\n    try:\n{_indent(body, 2)}\n"
        f"    except Exception as error:\n        fail(error)\n        raise\n"
    )


def _line_map(source: str) -> list[int]:
    """For each line of ``source`` (1-based, index 0 unused), the innermost marker id, or -1."""
    out = [-1]
    stack: list[int] = []
    for line in source.split("\n"):
        text = line.strip()
        if text.startswith("#@/"):
            stack.pop()
        elif text.startswith("#@"):
            stack.append(int(text[2:]))
        out.append(stack[-1] if stack else -1)
    return out


@dataclass(frozen=True)
class Generated:
    """A pack's generated evaluators and the source they were compiled from."""

    source: str
    evaluators: tuple[Evaluator, ...]


def _failure(
    rules: Sequence[Rule], paths: Sequence[tuple[int, str]], source: str
) -> Callable[[BaseException], None]:
    mapped: list[list[int]] = []  # the line map, made on the first failure (never, usually)

    def fail(error: BaseException) -> None:
        """Name the rule and the YAML key path of the failing expression."""
        if not mapped:
            mapped.append(_line_map(source))
        lines = mapped[0]
        tb = error.__traceback__
        where: tuple[int, str] | None = None
        while tb is not None:
            if tb.tb_frame.f_code.co_filename == FILENAME:
                line = tb.tb_lineno or 0
                marker = lines[line] if 0 <= line < len(lines) else -1
                if marker >= 0:
                    where = paths[marker]
            tb = tb.tb_next
        if where is None:
            return
        meta = rules[where[0]].meta
        error.add_note(f"in rule {meta.id} ({meta.file}) at {where[1]} (generated engine)")

    return fail


def generate(rules: Sequence[Rule]) -> Generated:
    """Translate the rules (compiled with closures) into one module; compile (or take it from
    the code cache) and return one evaluator a rule."""
    g = _Generator()
    parts: list[str] = []
    for index, rule in enumerate(rules):
        assert rule.plan is not None
        g.rule_index = index
        parts.append(_rule_source(g, rule, rule.plan))
    names = ", ".join(f"r_{i}" for i in range(len(rules)))
    source = "\n".join([*g.functions, *parts, f"RULES = ({names}{',' if rules else ''})\n"])
    namespace: dict[str, Any] = {"__builtins__": {}}
    namespace.update(VOCABULARY)
    namespace.update({f"k_{i}": v for i, v in enumerate(g.constants)})
    namespace["fail"] = _failure(rules, g.paths, source)
    code = load_code(source, FILENAME)
    exec(code, namespace)  # noqa: S102 - our own generated source, names from a fixed vocabulary
    for name, index in g.owners.items():
        fn = namespace[name]
        label = rules[index].meta.id
        fn.__code__ = fn.__code__.replace(co_name=label, co_qualname=label)
    evaluators: tuple[Evaluator, ...] = namespace["RULES"]
    return Generated(source, evaluators)


def expression(node: Any, scope: Scope, *, history: bool = False) -> Callable[[Any], Any]:
    """One validated expression as a generated function of the encounter view (or event):
    what the differential tests compare with the closure's value."""
    compile_expr(node, scope)  # validate first, as a rule's expressions are
    g = _Generator()
    g.history = history
    frame = _root_frame(history)
    value = g.expr(node, scope, frame, "expr")
    statements = [*_resets(frame), (0, f"return {value}")]
    source = "\n".join([*g.functions, f"def r_0(subject):\n{_indent(_lines(*statements))}\n"])
    namespace: dict[str, Any] = {"__builtins__": {}}
    namespace.update(VOCABULARY)
    namespace.update({f"k_{i}": v for i, v in enumerate(g.constants)})
    exec(compile(source, FILENAME, "exec", dont_inherit=True), namespace)  # noqa: S102
    fn: Callable[[Any], Any] = namespace["r_0"]
    return fn


#: Derived facts that note a gap when their charted value cannot be read (the dose in mcg).
_UNREADABLE = frozenset(
    name for fields in TYPES.values() for name, spec in fields.items() if spec.unreadable
)


def _timeless(table: Any) -> bool:
    return bool(
        len(table.versions) == 1
        and table.effective_from <= _EARLIEST
        and table.effective_to is None
    )


def _dated_table(path: Any, scope: Scope) -> bool:
    """Whether ``data``/``lookup`` of this table path reads dated data (a gap is possible)."""
    if not isinstance(path, str):
        return True
    table = scope.data.get(path.split(".")[0])
    return table is None or not _timeless(table)


def _operands(arg: Any) -> list[Any]:
    """The expressions inside an operator's argument (``of``/``where``/``value`` of a loop,
    ``args`` of a call; ``as`` and ``fn`` are names)."""
    if isinstance(arg, list):
        return arg
    if isinstance(arg, dict):
        out = [arg[k] for k in ("of", "where", "value") if k in arg]
        args = arg.get("args")
        return out + (args if isinstance(args, list) else [])
    return [arg]


def _may_note(node: Any, scope: Scope, noting: set[str]) -> bool:
    """Whether evaluating an expression may note a gap: it reads dated pack data, calls a
    dated domain function, reads a fact that may be unreadable, reads a let that may, or runs
    an operator without a translation (conservatively)."""
    if isinstance(node, str):
        if not node.startswith("$") or node.startswith("$$"):
            return False
        parts = node[1:].split(".")
        return parts[0] in noting or parts[-1] in _UNREADABLE
    if isinstance(node, list):
        return any(_may_note(n, scope, noting) for n in node)
    if not isinstance(node, dict):
        return False
    for key, arg in node.items():
        if key not in OPERATORS:
            return True
        if key == "data":
            return _dated_table(arg, scope)
        if key == "lookup":
            if not isinstance(arg, list) or len(arg) != 2 or _dated_table(arg[0], scope):
                return True
            return _may_note(arg[1], scope, noting)
        if key == "call" and isinstance(arg, dict):
            func = FUNCTIONS.get(str(arg.get("fn")))
            if func is None or func.dated:
                return True
        if any(_may_note(n, scope, noting) for n in _operands(arg)):
            return True
    return False


def _untranslated(node: Any) -> bool:
    """Whether an expression uses an operator the generator runs by its closure."""
    if isinstance(node, list):
        return any(_untranslated(n) for n in node)
    if isinstance(node, dict):
        return any(
            k not in OPERATORS
            or (k not in ("data", "lookup") and any(_untranslated(n) for n in _operands(v)))
            or (k == "lookup" and isinstance(v, list) and _untranslated(v[1:]))
            for k, v in node.items()
        )
    return False


def may_note_gaps(rule: Rule) -> bool:
    """Whether a rule can say it could not check (issue 11's "not checked" infos): it reads a
    dated data table, calls a dated domain function or reads a fact that may be unreadable."""
    plan = rule.plan
    if plan is None:
        return True
    for name in rule.meta.data_tables:
        table = plan.scope.data.get(name)
        if table is not None and not _timeless(table):
            return True
    stack: list[Any] = [rule.meta.source.get(k) for k in ("when", "let", "for_each")]
    while stack:
        node = stack.pop()
        if isinstance(node, str):
            if node.startswith("$") and node.rsplit(".", 1)[-1] in _UNREADABLE:
                return True
        elif isinstance(node, dict):
            call = node.get("call")
            if isinstance(call, dict):
                func = FUNCTIONS.get(str(call.get("fn")))
                if func is not None and func.dated:
                    return True
            stack.extend(node.values())
        elif isinstance(node, list):
            stack.extend(node)
    return False


def keeps_closures(rule: Rule) -> bool:
    """Whether a rule is evaluated by its closures under the generated engine: only a rule
    that may note a gap and uses an operator without a translation (a closure run from
    generated code receives the lets in scope computed, which could note a gap earlier than
    the closures do). No built-in rule does."""
    source = rule.meta.source
    nodes = [source.get("when"), *(source.get("let") or {}).values()]
    if isinstance(source.get("for_each"), dict):
        nodes.append(source["for_each"].get("of"))
    return _untranslated(nodes) and may_note_gaps(rule)


def with_generated(rules: Sequence[Rule]) -> tuple[tuple[Rule, ...], Generated]:
    """The rules evaluated by generated code (each keeps its closures as the oracle), the
    "not checked" infos included; :func:`keeps_closures` names the exception."""
    generated = generate(rules)
    out = tuple(
        rule.with_evaluator(rule.oracle if keeps_closures(rule) else fn)
        for rule, fn in zip(rules, generated.evaluators, strict=True)
    )
    return out, generated
