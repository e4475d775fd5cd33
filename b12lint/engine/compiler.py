"""Compile the rule condition language into Python closures, once, at load time.

An expression is a YAML value:

* ``$a.b.c`` — a field path: a bound name (``for_each``/quantifier ``as``, ``let``) or an
  encounter field, then fields of that type (checked against :data:`view.TYPES`);
  ``$$text`` is the literal string ``$text``;
* a scalar or a list — a literal;
* a one-key mapping — an operator: ``all any not eq ne lt le gt ge in not_in regex exists
  missing some none every count sum min max first collect call data lookup add sub mul div
  coalesce``.

Every closure takes the evaluation environment (a dict of bindings; the encounter view is
``@enc``, its date of service ``@dos``) and returns a value. ``None`` is "unknown":
comparisons with it are false and arithmetic propagates it. Nothing is ever evaluated as Python
source. Pack data (``data``, ``lookup``) is read from the table version that covers the date
of service; rows of a table (mappings) are typed by the keys they have, so a field path into a
row is checked at load time like any other.
"""

from __future__ import annotations

import datetime as dt
import operator
import re
import weakref
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any

from b12lint.engine.codesets import ICD10_TABLE, imported_icd10
from b12lint.engine.coverage import Gap, NotCovered, date_gap, note
from b12lint.engine.datatable import MISSING, OUTSIDE, DataTable, DatedValue
from b12lint.engine.errors import RuleError
from b12lint.engine.functions import FUNCTIONS, Function
from b12lint.engine.regex import RegexError, compile_regex
from b12lint.engine.view import DICT_TYPES, TYPES, VIEW_TYPES, FieldSpec

Env = dict[str, Any]
Eval = Callable[[Env], Any]
PointerFn = Callable[[Env], str | None]

ENC = "@enc"
DOS = "@dos"
_EARLIEST = dt.date(1900, 1, 1)
ROW = "@row:"
_UNSET: Any = object()
#: Longest text a ``regex`` is run on. RE2 already runs in linear time (see
#: :mod:`b12lint.engine.regex`); the cap keeps each match within microseconds.
REGEX_INPUT_LIMIT = 2048


@dataclass(frozen=True, slots=True)
class Ty:
    """Static type of an expression: ``value``, ``object``/``list`` of a named type, ``any``."""

    kind: str
    of: str | None = None


VALUE = Ty("value")
ANY = Ty("any")
BOOL = VALUE


@dataclass(frozen=True, slots=True)
class Compiled:
    """A compiled expression: its closure, static type, constant value and pointer function.

    ``variants`` lists the values a dated data reference can take (one per table version), so
    that load-time checks of constant arguments also cover dated data.
    """

    fn: Eval
    ty: Ty
    const: bool = False
    value: Any = None
    pointer: PointerFn | None = None
    variants: tuple[Any, ...] = ()


def constant(value: Any, ty: Ty = VALUE) -> Compiled:
    """A literal."""
    return Compiled(lambda env: value, ty, True, value)


@dataclass
class Scope:
    """Compile-time bindings: names in scope with their types, pack data and the root type.

    ``rows`` (row type name -> its field names) and ``used`` (data tables the rule reads) are
    shared by every child scope of one rule.
    """

    data: Mapping[str, DataTable]
    root: str = "Encounter"
    vars: dict[str, Ty] = field(default_factory=dict)
    lets: set[str] = field(default_factory=set)
    rows: dict[str, frozenset[str]] = field(default_factory=dict)
    used: set[str] = field(default_factory=set)

    def bind(self, name: str, ty: Ty, *, let: bool = False) -> Scope:
        """A child scope with ``name`` bound."""
        if not isinstance(name, str) or not re.fullmatch(r"[a-z_][a-z0-9_]*", name):
            raise RuleError(f"binding name {name!r} must be a lower-case identifier")
        if name in self.vars:
            raise RuleError(f"binding name {name!r} is already bound in this scope")
        if name in TYPES[self.root]:
            raise RuleError(f"binding name {name!r} would hide the encounter field {name!r}")
        child = Scope(
            self.data, self.root, {**self.vars, name: ty}, set(self.lets), self.rows, self.used
        )
        if let:
            child.lets.add(name)
        return child


# --------------------------------------------------------------------------- paths


def _row_step(owner: str, name: str, scope: Scope) -> tuple[Callable[[Any], Any], Ty, None]:
    fields = scope.rows.get(owner, frozenset())
    if name not in fields:
        known = ", ".join(sorted(fields))
        raise RuleError(f"unknown field {name!r} of {owner[len(ROW) :]} rows (known: {known})")

    def get(obj: Any) -> Any:
        return obj.get(name) if isinstance(obj, dict) else None

    return get, VALUE, None


def _step(owner: str, name: str, scope: Scope) -> tuple[Callable[[Any], Any], Ty, str | None]:
    if owner.startswith(ROW):
        return _row_step(owner, name, scope)
    spec = TYPES[owner].get(name)
    if spec is None:
        known = ", ".join(sorted(TYPES[owner]))
        raise RuleError(f"unknown field {name!r} of {owner} (known: {known})")
    ty = Ty(spec.kind, spec.of) if spec.kind != "value" else VALUE
    get: Callable[[Any], Any]
    if owner in VIEW_TYPES and not spec.attr:

        def get(obj: Any) -> Any:
            return obj.raw.get(name)

    elif owner in DICT_TYPES:

        def get(obj: Any) -> Any:
            return obj.get(name)

    else:
        get = operator.attrgetter(name)
    suffix = spec.source if spec.attr else name
    return get, ty, suffix


def compile_path(text: str, scope: Scope) -> Compiled:
    """Compile ``$a.b.c`` into a getter and a JSON Pointer function."""
    parts = text[1:].split(".")
    if not all(parts):
        raise RuleError(f"malformed field path {text!r}")
    head, rest = parts[0], parts[1:]
    getters: list[Callable[[Any], Any]] = []
    suffixes: list[str] = []
    if head in scope.vars:
        ty = scope.vars[head]
        var = head
        is_let = head in scope.lets
    else:
        var = None
        is_let = False
        ty = Ty("object", scope.root)
        rest = parts
    owner: str | None = None
    for name in rest:
        if ty.kind != "object" or ty.of is None:
            raise RuleError(f"{text!r}: cannot take field {name!r} of a {ty.kind}")
        owner = ty.of
        get, ty, suffix = _step(ty.of, name, scope)
        getters.append(get)
        if suffix is not None:
            suffixes.append(suffix)
    if var is None and not getters:
        raise RuleError(f"unknown field path {text!r}")
    fn = _chain(var, is_let, getters)
    spec = TYPES[owner].get(rest[-1]) if owner in TYPES and rest else None
    if spec is not None and spec.unreadable is not None and owner in VIEW_TYPES:
        fn = _noting_unreadable(_chain(var, is_let, getters[:-1]), getters[-1], spec)
    tail = "".join("/" + s for s in suffixes)
    pointer: PointerFn | None
    if var is None:
        static = tail

        def pointer(env: Env) -> str | None:
            return static

    elif is_let:
        pointer = None
    elif scope.vars[var].kind == "object" and scope.vars[var].of in VIEW_TYPES:

        def pointer(env: Env) -> str | None:
            obj = env.get(var)
            return None if obj is None else str(obj.ptr) + tail

    else:
        key = "#" + var

        def pointer(env: Env) -> str | None:
            base = env.get(key)
            return None if base is None else base + tail

    return Compiled(fn, ty, pointer=pointer)


def _noting_unreadable(owner: Eval, get: Callable[[Any], Any], spec: FieldSpec) -> Eval:
    """A derived fact that is unknown because its charted value cannot be read (a dose):
    reading it notes a gap, so the rule says it could not check rather than passing."""
    reason, what = spec.unreadable or "", spec.what or "the charted value"
    tail = "/" + (spec.source or "")

    def read(env: Env) -> Any:
        obj = owner(env)
        if obj is None:
            return None
        value = get(obj)
        if value is None:
            why = getattr(obj, reason, None)
            if why is not None:
                note(env, Gap(what, f"cannot be read: {why}", str(obj.ptr) + tail, True))
        return value

    return read


def _chain(var: str | None, is_let: bool, getters: list[Callable[[Any], Any]]) -> Eval:
    if var is None:
        first: Eval = operator.itemgetter(ENC)
    elif is_let:
        first = _let_reader(var)
    else:
        first = operator.itemgetter(var)
    if not getters:
        return first
    if len(getters) == 1 and not is_let:
        (g1,) = getters
        key = ENC if var is None else var

        def bound(env: Env) -> Any:
            obj = env[key]
            return None if obj is None else g1(obj)

        return bound
    if len(getters) == 1:
        (g1,) = getters

        def one(env: Env) -> Any:
            obj = first(env)
            return None if obj is None else g1(obj)

        return one

    def many(env: Env) -> Any:
        obj = first(env)
        for get in getters:
            if obj is None:
                return None
            obj = get(obj)
        return obj

    return many


def _let_reader(name: str) -> Eval:
    thunk_key = "&" + name

    def read(env: Env) -> Any:
        value = env[name]
        if value is _UNSET:
            value = env[name] = env[thunk_key](env)
        return value

    return read


# --------------------------------------------------------------------------- operators

_Compiler = Callable[[Any, Scope], Compiled]
OPERATORS: dict[str, _Compiler] = {}


def _op(*names: str) -> Callable[[_Compiler], _Compiler]:
    def register(fn: _Compiler) -> _Compiler:
        for name in names:
            OPERATORS[name] = fn
        return fn

    return register


def compile_expr(node: Any, scope: Scope) -> Compiled:
    """Compile one expression node."""
    if isinstance(node, str):
        if node.startswith("$$"):
            return constant(node[1:])
        if node.startswith("$"):
            return compile_path(node, scope)
        return constant(node)
    if node is None or isinstance(node, bool | int | float):
        return constant(node)
    if isinstance(node, list):
        items = [_under(i, compile_expr, n, scope) for i, n in enumerate(node)]
        if all(c.const for c in items):
            return constant(tuple(c.value for c in items), Ty("list"))
        fns = [c.fn for c in items]
        return Compiled(lambda env: tuple(f(env) for f in fns), Ty("list"))
    if isinstance(node, dict):
        if len(node) != 1:
            keys = ", ".join(sorted(map(str, node)))
            raise RuleError(f"an expression mapping has exactly one operator key, got: {keys}")
        ((key, arg),) = node.items()
        compiler = OPERATORS.get(key)
        if compiler is None:
            known = ", ".join(sorted(OPERATORS))
            raise RuleError(f"unknown operator {key!r} (known: {known})")
        try:
            return compiler(arg, scope)
        except RuleError as exc:
            raise exc.under(str(key)) from None
    if hasattr(node, "isoformat"):  # a YAML date literal
        return constant(node)
    raise RuleError(f"unsupported expression of type {type(node).__name__}")


def _under(index: int | str, fn: Callable[[Any, Scope], Compiled], node: Any, s: Scope) -> Compiled:
    try:
        return fn(node, s)
    except RuleError as exc:
        raise exc.under(f"[{index}]" if isinstance(index, int) else index) from None


def _args(arg: Any, n: int, name: str, scope: Scope) -> list[Compiled]:
    if not isinstance(arg, list) or len(arg) != n:
        raise RuleError(f"{name} takes a list of {n} expressions")
    return [_under(i, compile_expr, a, scope) for i, a in enumerate(arg)]


@_op("all")
def _all(arg: Any, scope: Scope) -> Compiled:
    if not isinstance(arg, list) or not arg:
        raise RuleError("all takes a non-empty list of conditions")
    fns = tuple(_under(i, compile_expr, a, scope).fn for i, a in enumerate(arg))
    if len(fns) == 2:
        a, b = fns
        return Compiled(lambda env: bool(a(env)) and bool(b(env)), BOOL)

    def all_(env: Env) -> bool:
        for f in fns:
            if not f(env):
                return False
        return True

    return Compiled(all_, BOOL)


@_op("any")
def _any(arg: Any, scope: Scope) -> Compiled:
    if not isinstance(arg, list) or not arg:
        raise RuleError("any takes a non-empty list of conditions")
    fns = tuple(_under(i, compile_expr, a, scope).fn for i, a in enumerate(arg))

    def any_(env: Env) -> bool:
        for f in fns:
            if f(env):
                return True
        return False

    return Compiled(any_, BOOL)


@_op("not")
def _not(arg: Any, scope: Scope) -> Compiled:
    inner = compile_expr(arg, scope).fn
    return Compiled(lambda env: not inner(env), BOOL)


def _safe_compare(op: Callable[[Any, Any], bool]) -> Callable[[Any, Any], bool]:
    def compare(a: Any, b: Any) -> bool:
        if a is None or b is None:
            return False
        try:
            return bool(op(a, b))
        except TypeError:
            return False

    return compare


_COMPARE = {
    "eq": operator.eq,
    "ne": operator.ne,
    "lt": _safe_compare(operator.lt),
    "le": _safe_compare(operator.le),
    "gt": _safe_compare(operator.gt),
    "ge": _safe_compare(operator.ge),
}


def _comparison(name: str) -> _Compiler:
    op = _COMPARE[name]

    def compile_cmp(arg: Any, scope: Scope) -> Compiled:
        left, right = _args(arg, 2, name, scope)
        lf = left.fn
        if right.const:
            value = right.value
            return Compiled(lambda env: op(lf(env), value), BOOL)
        rf = right.fn
        return Compiled(lambda env: op(lf(env), rf(env)), BOOL)

    return compile_cmp


for _name in _COMPARE:
    OPERATORS[_name] = _comparison(_name)


def _membership(negate: bool) -> _Compiler:
    def compile_in(arg: Any, scope: Scope) -> Compiled:
        name = "not_in" if negate else "in"
        item, coll = _args(arg, 2, name, scope)
        itf = item.fn
        if coll.const:
            values = coll.value
            if not isinstance(values, Iterable) or isinstance(values, str):
                raise RuleError(f"{name}: the second argument must be a list")
            try:
                frozen: Any = frozenset(values)
            except TypeError:
                frozen = tuple(values)

            def contains(env: Env) -> bool:
                value = itf(env)
                try:
                    return (value in frozen) is not negate
                except TypeError:
                    return negate

            return Compiled(contains, BOOL)
        cf = coll.fn

        def contains_dyn(env: Env) -> bool:
            value, values = itf(env), cf(env)
            if values is None:
                return negate
            try:
                return (value in values) is not negate
            except TypeError:
                return negate

        return Compiled(contains_dyn, BOOL)

    return compile_in


OPERATORS["in"] = _membership(False)
OPERATORS["not_in"] = _membership(True)


@_op("regex")
def _regex(arg: Any, scope: Scope) -> Compiled:
    if not isinstance(arg, list) or len(arg) != 2 or not isinstance(arg[1], str):
        raise RuleError("regex takes [expression, 'pattern']")
    subject = compile_expr(arg[0], scope).fn
    try:
        search = compile_regex(arg[1])
    except RegexError as exc:
        raise RuleError(f"invalid regular expression {arg[1]!r}: {exc}") from None

    def matches(env: Env) -> bool:
        value = subject(env)
        if not isinstance(value, str):
            return False
        return search(value[:REGEX_INPUT_LIMIT])

    return Compiled(matches, BOOL)


def _is_present(value: Any) -> bool:
    if value is None:
        return False
    if isinstance(value, str):
        return bool(value.strip())
    if isinstance(value, list | tuple | dict | set | frozenset):
        return bool(value)
    return True


@_op("exists")
def _exists(arg: Any, scope: Scope) -> Compiled:
    inner = compile_expr(arg, scope).fn
    return Compiled(lambda env: _is_present(inner(env)), BOOL)


@_op("missing")
def _missing(arg: Any, scope: Scope) -> Compiled:
    inner = compile_expr(arg, scope).fn
    return Compiled(lambda env: not _is_present(inner(env)), BOOL)


# --------------------------------------------------------------------------- iteration


@dataclass(frozen=True, slots=True)
class Loop:
    """A compiled ``{of, as, where, value}`` iteration."""

    items: Eval
    var: str
    where: Eval | None
    value: Eval | None
    elem: Ty
    prefix: Callable[[Env], str | None] | None = None
    """The JSON Pointer of the collection (item ``i`` is at ``prefix/i``), for non-views."""


def element_type(ty: Ty) -> Ty:
    """The type of one item of a list expression."""
    if ty.kind == "list" and ty.of is not None:
        return Ty("object", ty.of)
    return VALUE


def compile_loop(arg: Any, scope: Scope, name: str, *, needs_value: bool) -> Loop:
    """Compile the ``{of, as, where, value}`` mapping shared by quantifiers and aggregates."""
    allowed = {"of", "as", "where", "value"} if needs_value else {"of", "as", "where"}
    if not isinstance(arg, dict):
        raise RuleError(f"{name} takes a mapping with keys of, as, where")
    unknown = set(arg) - allowed
    if unknown:
        raise RuleError(f"{name}: unknown key(s) {', '.join(sorted(map(str, unknown)))}")
    for key in ("of", "as"):
        if key not in arg:
            raise RuleError(f"{name}: missing key {key!r}")
    coll = _under("of", compile_expr, arg["of"], scope)
    elem = element_type(coll.ty)
    inner = scope.bind(arg["as"], elem)
    where = _under("where", compile_expr, arg["where"], inner).fn if "where" in arg else None
    value = _under("value", compile_expr, arg["value"], inner).fn if "value" in arg else None
    return Loop(coll.fn, arg["as"], where, value, elem, coll.pointer)


def _items_and_binder(loop: Loop) -> tuple[Eval, bool, Callable[[Env], str | None] | None]:
    """The loop's collection, whether its items are views (they carry their own pointer), and
    for other items the pointer of the collection (item ``i`` is at ``prefix/i``)."""
    views = loop.elem.kind == "object" and loop.elem.of in VIEW_TYPES
    return loop.items, views, loop.prefix


def _matches(loop: Loop, value: Eval | None, first: bool = False) -> Callable[[Env], list[Any]]:
    """A function listing ``value`` (or the item itself) for each item the ``where`` accepts,
    binding each item in ``env`` (names are unique along a scope chain: no undoing needed)."""
    items_fn, views, prefix_fn = _items_and_binder(loop)
    where, var, ptr_key = loop.where, loop.var, "#" + loop.var

    def matches(env: Env) -> list[Any]:
        items = items_fn(env)
        out: list[Any] = []
        if not items or isinstance(items, (str, dict)):
            return out
        prefix = None if views or prefix_fn is None else prefix_fn(env)
        for i, item in enumerate(items):
            env[var] = item
            if not views:
                env[ptr_key] = None if prefix is None else f"{prefix}/{i}"
            if where is not None and not where(env):
                continue
            out.append(item if value is None else value(env))
            if first:
                break
        return out

    return matches


def _quantifier(kind: str) -> _Compiler:
    def compile_q(arg: Any, scope: Scope) -> Compiled:
        loop = compile_loop(arg, scope, kind, needs_value=False)
        cond = loop.where
        if cond is None:
            raise RuleError(f"{kind}: missing key 'where'")
        items_fn, views, prefix_fn = _items_and_binder(loop)
        var, ptr_key = loop.var, "#" + loop.var
        # some: True at the first item the condition accepts; every: False at the first it
        # rejects (an empty collection: some False, every True).
        found = kind != "every"

        def scan(env: Env) -> bool:
            items = items_fn(env)
            if not items or isinstance(items, (str, dict)):
                return not found
            if views:
                for item in items:
                    env[var] = item
                    if bool(cond(env)) is found:
                        return found
                return not found
            prefix = None if prefix_fn is None else prefix_fn(env)
            for i, item in enumerate(items):
                env[var] = item
                env[ptr_key] = None if prefix is None else f"{prefix}/{i}"
                if bool(cond(env)) is found:
                    return found
            return not found

        if kind == "none":
            return Compiled(lambda env: not scan(env), BOOL)
        return Compiled(scan, BOOL)

    return compile_q


for _name in ("some", "none", "every"):
    OPERATORS[_name] = _quantifier(_name)


@_op("count")
def _count(arg: Any, scope: Scope) -> Compiled:
    loop = compile_loop(arg, scope, "count", needs_value=False)
    matches = _matches(loop, None)
    return Compiled(lambda env: len(matches(env)), VALUE)


def aggregate(kind: str, values: list[Any]) -> Any:
    """``sum``, ``min`` or ``max`` of the matching values (shared with generated code)."""
    for v in values:
        if v is None or isinstance(v, bool):
            return None  # an unknown term makes the aggregate unknown
    try:
        if kind == "sum":
            return sum(values)
        if not values:
            return None
        return min(values) if kind == "min" else max(values)
    except TypeError:
        return None


def _aggregate(kind: str) -> _Compiler:
    def compile_agg(arg: Any, scope: Scope) -> Compiled:
        loop = compile_loop(arg, scope, kind, needs_value=True)
        value = loop.value
        if value is None:
            raise RuleError(f"{kind}: missing key 'value'")
        matches = _matches(loop, value)
        return Compiled(lambda env: aggregate(kind, matches(env)), VALUE)

    return compile_agg


for _name in ("sum", "min", "max"):
    OPERATORS[_name] = _aggregate(_name)


@_op("first")
def _first(arg: Any, scope: Scope) -> Compiled:
    loop = compile_loop(arg, scope, "first", needs_value=False)
    matches = _matches(loop, None, first=True)

    def first(env: Env) -> Any:
        found = matches(env)
        return found[0] if found else None

    return Compiled(first, loop.elem)


@_op("collect")
def _collect(arg: Any, scope: Scope) -> Compiled:
    """The distinct known values (or items, without ``value``) of the matching items, in order."""
    loop = compile_loop(arg, scope, "collect", needs_value=True)
    value = loop.value
    matches = _matches(loop, value)

    def collect(env: Env) -> list[Any]:
        out: list[Any] = []
        for got in matches(env):
            if got is not None and got not in out:
                out.append(got)
        return out

    ty = Ty("list", loop.elem.of) if value is None and loop.elem.kind == "object" else Ty("list")
    return Compiled(collect, ty)


# --------------------------------------------------------------------------- values


@_op("call")
def _call(arg: Any, scope: Scope) -> Compiled:
    if not isinstance(arg, dict) or set(arg) - {"fn", "args"} or "fn" not in arg:
        raise RuleError("call takes a mapping {fn: NAME, args: [...]}")
    name = arg["fn"]
    func = FUNCTIONS.get(name) if isinstance(name, str) else None
    if func is None:
        known = ", ".join(sorted(FUNCTIONS))
        raise RuleError(f"unknown function {name!r} (known: {known})")
    raw_args = arg.get("args", [])
    if not isinstance(raw_args, list):
        raise RuleError(f"call {name}: args must be a list")
    if not func.min_args <= len(raw_args) <= func.max_args:
        want = (
            str(func.min_args)
            if func.min_args == func.max_args
            else f"{func.min_args}-{func.max_args}"
        )
        raise RuleError(f"function {name} takes {want} argument(s), got {len(raw_args)}")
    args = [_under(i, compile_expr, a, scope) for i, a in enumerate(raw_args)]
    if func.check is not None:
        for i, compiled in enumerate(args):
            candidates = (compiled.value,) if compiled.const else compiled.variants
            for candidate in candidates:
                problem = func.check(i, candidate)
                if problem:
                    raise RuleError(f"function {name}: {problem}", f"args[{i}]")
    fn = func.fn
    if func.dated:
        return _dated_call(func, scope, [a.fn for a in args])
    if len(args) == 1:
        (a0,) = (a.fn for a in args)
        return Compiled(lambda env: fn(a0(env)), ANY)
    if len(args) == 2 and args[1].const:
        a0, c1 = args[0].fn, args[1].value
        return Compiled(lambda env: fn(a0(env), c1), ANY)
    if len(args) == 2:
        a0, a1 = args[0].fn, args[1].fn
        return Compiled(lambda env: fn(a0(env), a1(env)), ANY)
    if len(args) == 3:
        a0, a1, a2 = (a.fn for a in args)
        return Compiled(lambda env: fn(a0(env), a1(env), a2(env)), ANY)
    fns = [a.fn for a in args]
    return Compiled(lambda env: fn(*[f(env) for f in fns]), ANY)


class DatedCall:
    """A dated function as a rule calls it, bound to the pack's data: the date of service
    first, then the arguments. When the pack has the function's table of imported data
    (:mod:`b12lint.engine.codesets`), a date one of its versions covers is judged by that
    version; other dates by the shipped data. A date neither covers is noted as a gap and the
    value is unknown. The closures and the generated code call the same object."""

    __slots__ = ("covered", "fn", "imported")

    def __init__(self, func: Function, data: Mapping[str, DataTable]) -> None:
        self.fn = func.fn
        self.imported: DatedValue | None = None
        self.covered: str | None = None
        bound = imported_icd10(data) if func.table == ICD10_TABLE else None
        if bound is not None:
            table, self.imported = bound
            self.covered = f"the pack's table {table.name!r}: {table.covered()}"

    def __call__(self, env: Env, *args: Any) -> Any:
        date = env.get(DOS)
        if self.imported is not None:
            version = self.imported.lookup(date)
            if version is not OUTSIDE:
                return self.fn(date, *args, imported=version)
        value = self.fn(date, *args)
        if isinstance(value, NotCovered):
            covered = value.covered if self.covered is None else f"{value.covered}; {self.covered}"
            note(env, date_gap(value.what, date, covered))
            return None
        return value


def dated_call(func: Function, scope: Scope) -> DatedCall:
    """``func`` bound to the scope's pack data (its imported table, when the pack has one,
    counts as a table the rule reads)."""
    call = DatedCall(func, scope.data)
    if func.table is not None and call.imported is not None:
        scope.used.add(func.table)
    return call


def _dated_call(func: Function, scope: Scope, fns: list[Eval]) -> Compiled:
    call = dated_call(func, scope)
    if len(fns) == 1:
        (a0,) = fns
        return Compiled(lambda env: call(env, a0(env)), ANY)
    return Compiled(lambda env: call(env, *[f(env) for f in fns]), ANY)


def _table_values(path: Any, scope: Scope, op: str) -> tuple[DataTable, list[Any], str]:
    """The value at ``NAME.key.key`` in each version of the named table (checked at load)."""
    if not isinstance(path, str) or not path:
        raise RuleError(f"{op} takes a table name: NAME or NAME.key.key")
    head, *keys = path.split(".")
    table = scope.data.get(head)
    if table is None:
        known = ", ".join(sorted(scope.data)) or "none"
        raise RuleError(f"unknown data table {head!r} (this pack has: {known})")
    values = table.resolve(keys)
    if keys and all(v is MISSING for v in values):
        raise RuleError(f"data {path!r}: no key {keys[-1]!r} in any version of {head}")
    scope.used.add(head)
    return table, values, path


def _row_type(path: str, rows: list[Any], scope: Scope) -> Ty | None:
    """A row type for mappings (dicts) of a table, named after its path; None if not rows."""
    if not rows or not all(isinstance(r, dict) for r in rows):
        return None
    name = ROW + path
    fields = frozenset(str(k) for row in rows for k in row)
    scope.rows[name] = scope.rows.get(name, frozenset()) | fields
    return Ty("object", name)


def _dated(table: DataTable, values: list[Any], ty: Ty) -> Compiled:
    present = [v for v in values if v is not MISSING]
    variants = tuple(present)
    timeless = table.effective_from <= _EARLIEST and table.effective_to is None
    if len(table.versions) == 1 and timeless:
        value = values[0]
        return Compiled(lambda env: value, ty, True, value, variants=variants)
    dated = DatedValue(table.versions, values)
    lookup = dated.lookup
    what, covered = f"the data table {table.name!r}", table.covered()

    def read(env: Env) -> Any:
        value = lookup(env.get(DOS))
        if value is OUTSIDE:
            note(env, date_gap(what, env.get(DOS), covered))
            return None
        return value

    DATED_SEEN[read] = dated.seen
    return Compiled(read, ty, variants=variants)


#: A dated accessor (``data``/``lookup`` of a dated table) -> its :attr:`DatedValue.seen`
#: (date -> value or OUTSIDE, filled by the accessor): generated code reads a date's value
#: there first and calls the accessor only for a date not seen yet or outside the table.
DATED_SEEN: weakref.WeakKeyDictionary[Callable[[Env], Any], dict[Any, Any]] = (
    weakref.WeakKeyDictionary()
)


@_op("data")
def _data(arg: Any, scope: Scope) -> Compiled:
    table, values, path = _table_values(arg, scope, "data")
    present = [v for v in values if v is not MISSING]
    ty: Ty = ANY
    if present and all(isinstance(v, tuple) for v in present):
        row = _row_type(path, [r for v in present for r in v], scope)
        ty = Ty("list", row.of) if row is not None else Ty("list")
    return _dated(table, values, ty)


@_op("lookup")
def _lookup(arg: Any, scope: Scope) -> Compiled:
    """``{lookup: [TABLE.path, key]}``: the entry of a mapping table for a key (None if absent)."""
    if not isinstance(arg, list) or len(arg) != 2:
        raise RuleError("lookup takes [TABLE or TABLE.key, key expression]")
    table, values, path = _table_values(arg[0], scope, "lookup")
    present = [v for v in values if v is not MISSING]
    if not all(isinstance(v, dict) for v in present):
        raise RuleError(f"lookup: {path!r} is not a mapping in every version")
    key = _under(1, compile_expr, arg[1], scope).fn
    ty = _row_type(path, [r for v in present for r in v.values()], scope) or VALUE
    mapping = _dated(table, values, ANY).fn

    def lookup(env: Env) -> Any:
        entries = mapping(env)
        if entries is None:
            return None
        try:
            return entries.get(key(env))
        except TypeError:  # an unhashable key
            return None

    return Compiled(lookup, ty)


def arithmetic(op: Callable[[Any, Any], Any]) -> Callable[[Any, Any], Any]:
    """``op`` over known numbers: unknown (None) for None, booleans and failures (shared with
    generated code)."""

    def arith(a: Any, b: Any) -> Any:
        if a is None or b is None or isinstance(a, bool) or isinstance(b, bool):
            return None
        try:
            return op(a, b)
        except (TypeError, ZeroDivisionError, OverflowError):
            return None

    return arith


def _arith(name: str, op: Callable[[Any, Any], Any]) -> _Compiler:
    def compile_arith(arg: Any, scope: Scope) -> Compiled:
        left, right = _args(arg, 2, name, scope)
        lf, rf = left.fn, right.fn
        fn = arithmetic(op)
        return Compiled(lambda env: fn(lf(env), rf(env)), VALUE)

    return compile_arith


for _name, _fn in (
    ("add", operator.add),
    ("sub", operator.sub),
    ("mul", operator.mul),
    ("div", operator.truediv),
):
    OPERATORS[_name] = _arith(_name, _fn)


@_op("coalesce")
def _coalesce(arg: Any, scope: Scope) -> Compiled:
    if not isinstance(arg, list) or not arg:
        raise RuleError("coalesce takes a non-empty list")
    fns = [_under(i, compile_expr, a, scope).fn for i, a in enumerate(arg)]

    def coalesce(env: Env) -> Any:
        for f in fns:
            value = f(env)
            if value is not None:
                return value
        return None

    return Compiled(coalesce, ANY)
