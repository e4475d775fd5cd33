"""Static guards: what an encounter must bill or chart for a rule to be able to fire.

When a rule loads, its ``for_each`` and ``when`` are read for necessary conditions on a few
facts of the encounter: "a line bills 96372", "an administration's route is IV", "the
encounter has a B12 drug line", "some line carries an NDC". A guard is such a condition in
disjunctive normal form (any one conjunction of facts suffices), or None when the rule says
nothing a guard can use. Per encounter the linter computes the facts the ruleset's guards
name (:class:`FactReader`) and skips every rule whose guard fails: the findings are the
same, since the rule could not have fired (``tests/engine/test_guard.py`` checks that on
generated records).

Facts are computed with the very getters rule paths use (:func:`compiler.compile_path`), so
a fact and the rule's own test of it cannot disagree. Only what is surely implied is used:
``eq``/``in`` against literals or pack data, ``exists``/``missing``, a field used as a
condition (or under ``not``), ``all``, ``any``, and ``some`` over lines or administrations.
Anything else (``none``, ``every``, comparisons, functions, ``let`` values) says nothing.
"""

from __future__ import annotations

import operator
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from b12lint.engine.compiler import ENC, Scope, Ty, _is_present, compile_expr, compile_path
from b12lint.engine.errors import RuleError
from b12lint.engine.view import TYPES

Fact = tuple[Any, ...]
Conjunction = frozenset[Fact]
Guard = tuple[Conjunction, ...]
"""Facts of which one conjunction must all hold; None (no guard) always holds."""

#: Collections of views an element fact ranges over: lines or administrations.
COLLECTIONS: dict[str, str] = {
    "$lines": "Line",
    "$b12_drug_lines": "Line",
    "$administrations": "Administration",
    "$b12_administrations": "Administration",
}
#: Where the facts of an element type are read: every element of its widest collection.
WIDEST = {"Line": "lines", "Administration": "administrations"}
#: A value that is not text, a boolean or null: ``eq`` with a literal may still hold.
OTHER = ("other",)
#: The name a fact's element is bound to when its path is read.
_ELEMENT = "fact_element"
#: Conjunctions kept at most when two guards are combined (past it one side is dropped).
MAX_ALTERNATIVES = 64

Var = str | None
"""The element type (``Line``, ``Administration``) a bound name ranges over, else None."""


def _may_be_unreadable(owner: str, parts: Sequence[str]) -> bool:
    """Whether a path ends at a derived fact that can be unknown because its charted value
    cannot be read (a dose): a rule reading it reports that, so no guard may skip it."""
    spec = None
    for name in parts:
        spec = TYPES.get(owner, {}).get(name)
        if spec is None or (spec.of is None and name != parts[-1]):
            return False
        owner = spec.of or ""
    return spec is not None and spec.unreadable is not None


def _and(a: Guard | None, b: Guard | None) -> Guard | None:
    if a is None:
        return b
    if b is None:
        return a
    combined = tuple(x | y for x in a for y in b)
    if len(combined) > MAX_ALTERNATIVES:  # weaker, still necessary: keep the smaller side
        return a if len(a) <= len(b) else b
    return combined


def _or(parts: Sequence[Guard | None]) -> Guard | None:
    if not parts or any(p is None for p in parts):
        return None
    out: list[Conjunction] = []
    for part in parts:
        assert part is not None
        out.extend(part)
    return tuple(dict.fromkeys(out)) if len(out) <= MAX_ALTERNATIVES else None


def _atom(*fact: Any) -> Guard:
    return (frozenset({fact}),)


def _literal(node: Any) -> tuple[bool, Any]:
    """(True, value) for a text, boolean or null literal of the rule language."""
    if isinstance(node, str):
        if node.startswith("$$"):
            return True, node[1:]
        return (False, None) if node.startswith("$") else (True, node)
    if node is None or isinstance(node, bool):
        return True, node
    return False, None


@dataclass
class _Walker:
    """Derives one rule's guard; collects the fact keys it names."""

    scope: Scope
    lets: frozenset[str]

    def field(self, node: Any, names: Mapping[str, Var]) -> tuple[str, str] | None:
        """``(owner, path)`` of a ``$var.a.b`` path (var over lines or administrations) or of
        an encounter field path ``$a.b``; None for anything else (a let, another binding)."""
        if not isinstance(node, str) or not node.startswith("$") or node.startswith("$$"):
            return None
        parts = node[1:].split(".")
        if not all(parts) or parts[0] in self.lets:
            return None
        if parts[0] in names:
            owner = names[parts[0]]
            if owner is None or len(parts) < 2:
                return None
            parts = parts[1:]
        else:
            owner = "Encounter"
        if _may_be_unreadable(owner, parts):
            return None  # the rule must run to say it could not read the value
        return owner, ".".join(parts)

    def values(self, node: Any) -> list[Any] | None:
        """The literals an ``in`` tests against: a literal list, or pack data (every version)."""
        if isinstance(node, list):
            found = [_literal(v) for v in node]
            return [v for _, v in found] if all(ok for ok, _ in found) else None
        if isinstance(node, dict) and set(node) == {"data"}:
            compiled = compile_expr(node, self.scope)
            versions = (compiled.value,) if compiled.const else compiled.variants
            out: list[Any] = []
            for version in versions:
                if not isinstance(version, tuple):
                    return None
                for value in version:  # data is plain values, never expressions
                    if value is not None and not isinstance(value, str | bool):
                        return None
                    out.append(value)
            return out
        return None

    def condition(self, node: Any, names: Mapping[str, Var]) -> Guard | None:
        """A necessary condition for ``node`` (in a boolean position) to be true."""
        key = self.field(node, names)
        if key is not None:
            return _atom("~", *key, True)
        if not isinstance(node, dict) or len(node) != 1:
            return None
        ((op, arg),) = node.items()
        if op == "all" and isinstance(arg, list):
            guard: Guard | None = None
            for part in arg:
                guard = _and(guard, self.condition(part, names))
            return guard
        if op == "any" and isinstance(arg, list):
            return _or([self.condition(part, names) for part in arg])
        if op == "not":
            key = self.field(arg, names)
            return None if key is None else _atom("~", *key, False)
        if op in ("exists", "missing"):
            key = self.field(arg, names)
            return None if key is None else _atom("?", *key, op == "exists")
        if op == "eq" and isinstance(arg, list) and len(arg) == 2:
            for path, other in (arg, arg[::-1]):
                key = self.field(path, names)
                ok, literal = _literal(other)
                if key is not None and ok:
                    return _or([_atom("=", *key, literal), _atom("=", *key, OTHER)])
            return None
        if op == "in" and isinstance(arg, list) and len(arg) == 2:
            key = self.field(arg[0], names)
            values = self.values(arg[1]) if key is not None else None
            if key is None or values is None:
                return None
            atoms = [_atom("=", *key, v) for v in dict.fromkeys(values)]
            return _or([*atoms, _atom("=", *key, OTHER)])
        if op == "some" and isinstance(arg, dict):
            of, name = arg.get("of"), arg.get("as")
            if not isinstance(name, str):
                return None
            owner = COLLECTIONS.get(of) if isinstance(of, str) else None
            inner = self.condition(arg.get("where"), {**names, name: owner})
            nonempty = _atom("#", of[1:]) if isinstance(of, str) and owner is not None else None
            return _and(nonempty, inner)
        return None


def rule_guard(doc: Mapping[str, Any], scope: Scope) -> Guard | None:
    """The guard of an encounter rule (None: evaluate it on every encounter)."""
    if doc.get("kind", "encounter") != "encounter":
        return None
    lets = frozenset((doc.get("let") or {}).keys())
    walker = _Walker(scope, lets)
    names: dict[str, Var] = {}
    guard: Guard | None = None
    spec = doc.get("for_each")
    if isinstance(spec, dict):
        of, name = spec.get("of"), spec.get("as")
        owner = COLLECTIONS.get(of) if isinstance(of, str) else None
        if isinstance(name, str):
            names[name] = owner
        if isinstance(of, str) and owner is not None:
            guard = _atom("#", of[1:])
    try:
        return _and(guard, walker.condition(doc.get("when"), names))
    except RuleError:  # the compiler reports it, with its place
        return None


def fact_keys(guards: Iterable[Guard | None]) -> list[tuple[Any, ...]]:
    """The distinct fact kinds and fields the guards name, in a stable order."""
    keys: dict[tuple[Any, ...], None] = {}
    for guard in guards:
        for conjunction in guard or ():
            for fact in conjunction:
                keys[fact[:3] if fact[0] != "#" else fact] = None
    return list(keys)


Signature = tuple[Any, ...]
"""What the facts of an encounter are computed from: hashable, cheap, one part per key."""


class FactReader:
    """Reads, per encounter view, what the ruleset's guards name.

    :meth:`signature` is computed for every encounter (a tuple: per fact key, a flag, a value
    or the frozenset of the elements' values) and serves as a cache key; :meth:`facts` turns
    a signature into the facts guards test, only when a signature is new.
    """

    def __init__(self, keys: Sequence[tuple[Any, ...]], scope: Scope) -> None:
        from b12lint.engine.guardgen import generate

        self.keys = list(keys)
        self._parts: list[Callable[[Any], Any]] = [self._part(key, scope) for key in self.keys]
        self._shared: dict[Any, Any] = {}
        self._read: Callable[[Any], Signature]
        try:
            self._read, self._layout, self.source = generate(self.keys, WIDEST, OTHER)
        except (AssertionError, KeyError, SyntaxError):
            # a fact the translation does not know (a field type added later): every key
            # read by its own getter, as before the generated reading (slower, same facts)
            self._read, self.source = self.parts, ""
            self._layout = tuple((-1, i) for i in range(len(self.keys)))

    def _part(self, key: tuple[Any, ...], scope: Scope) -> Callable[[Any], Any]:
        if key[0] == "#":
            name = key[1]
            return lambda view: bool(getattr(view, name))
        kind, owner, path = key
        norm = _NORMALIZE[kind]
        if owner == "Encounter":
            get = _reader(compile_path(f"${path}", scope).fn, ENC)
            return lambda view: norm(get(view))
        get = _element_getter(owner, path, scope)
        collection = WIDEST[owner]

        def part(view: Any) -> frozenset[Any]:
            return frozenset([norm(get(item)) for item in getattr(view, collection)])

        return part

    def signature(self, view: Any) -> Signature:
        """The cache key of an encounter's facts (its parts shared between encounters: a
        cache of many keys holds each distinct part once): the encounter's facts, then per
        element type the set of its elements' rows (:mod:`b12lint.engine.guardgen`)."""
        return self.shared(self.read(view))

    def read(self, view: Any) -> Signature:
        """The signature of an encounter, its parts not shared yet (a cache look-up key)."""
        return self._read(view)

    def shared(self, signature: Signature) -> Signature:
        """The signature with its parts shared between encounters (a key the cache keeps)."""
        shared = self._shared
        return tuple([shared.setdefault(p, p) for p in signature])

    def parts(self, view: Any) -> tuple[Any, ...]:
        """Each key's value read by its own getter (a flag, a value or the frozenset of the
        elements' values): the oracle of :meth:`signature`'s generated reading."""
        return tuple(part(view) for part in self._parts)

    def forget(self) -> None:
        """Drop the shared signature parts (when the cache they serve starts over)."""
        self._shared.clear()

    def facts(self, signature: Signature) -> frozenset[Fact]:
        """The facts of an encounter with this signature."""
        parts = []
        for rows, column in self._layout:
            if rows < 0:
                parts.append(signature[column])
            else:
                parts.append({row[column] for row in signature[rows]})
        return self.facts_of(parts)

    def facts_of(self, parts: Sequence[Any]) -> frozenset[Fact]:
        """The facts given each key's value (as :meth:`parts` reads them)."""
        out: set[Fact] = set()
        for key, part in zip(self.keys, parts, strict=True):
            if key[0] == "#":
                if part:
                    out.add(key)
            elif key[1] == "Encounter":
                out.add((*key, part))
            else:
                out.update((*key, value) for value in part)
        return frozenset(out)


def _plain(value: Any) -> Any:
    """A value as ``eq`` facts keep it: text, booleans and null as such, else :data:`OTHER`."""
    return value if value is None or isinstance(value, str | bool) else OTHER


_NORMALIZE: dict[str, Callable[[Any], Any]] = {"=": _plain, "?": _is_present, "~": bool}


def _element_getter(owner: str, path: str, scope: Scope) -> Callable[[Any], Any]:
    """How a rule path ``$element.path`` reads an element (one step: directly)."""
    if "." not in path:
        spec = TYPES[owner].get(path)
        if spec is not None and spec.attr:
            return operator.attrgetter(path)
        if spec is not None:
            return lambda item: item.raw.get(path)
    probe = scope.bind(_ELEMENT, Ty("object", owner))
    return _reader(compile_path(f"${_ELEMENT}.{path}", probe).fn, _ELEMENT)


def _reader(getter: Callable[[dict[str, Any]], Any], name: str) -> Callable[[Any], Any]:
    """A rule path's getter as a function of the object it starts from."""

    def read(obj: Any) -> Any:
        return getter({name: obj})

    return read


def passes(guard: Guard | None, facts: frozenset[Fact]) -> bool:
    """Whether an encounter with ``facts`` may make a rule with ``guard`` fire."""
    if guard is None:
        return True
    for conjunction in guard:
        if conjunction <= facts:
            return True
    return False
