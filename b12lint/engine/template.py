"""Message templates: ``"J3420 billed {line.units} units ({expected:,} mcg)"``.

A placeholder is ``{path}``, ``{path:spec}`` (a numeric format spec such as ``,`` or ``.1f``)
or ``{path|s}`` (``s`` renders the plural suffix: "" for 1, "s" otherwise). Paths are the
rule language's field paths without the ``$`` and are checked when the rule loads; ``{{`` and
``}}`` are literal braces. Values render plainly: whole numbers without ``.0``, dates as ISO,
lists joined with ", ", unknown as "none". No attribute access or Python formatting runs.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable
from typing import Any

from b12lint.engine.compiler import Env, Scope, compile_path
from b12lint.engine.errors import RuleError
from b12lint.model.text import printable

_PLACEHOLDER = re.compile(r"\{\{|\}\}|\{([^{}]*)\}|[{}]")
_FIELD = re.compile(r"([a-z_][a-z0-9_]*(?:\.[a-z_][a-z0-9_]*)*)(?::([,_.0-9a-zA-Z%]*))?(?:\|(s))?")
_BIG_NUMBER = re.compile(r"[0-9]{3,}")
Renderer = Callable[[Env], str]


def render_value(value: Any, spec: str = "") -> str:
    """Render one value for a message."""
    if value is None:
        return "none"
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, float) and value.is_integer() and abs(value) < 1e15:
        value = int(value)
    if isinstance(value, int | float) and spec:
        try:
            return format(value, spec)
        except ValueError:
            return str(value)
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, list | tuple | set | frozenset):
        items = sorted(value) if isinstance(value, set | frozenset) else value
        return ", ".join(render_value(v) for v in items)
    return printable(str(value))  # record text: one line, no control characters


def _plural(value: Any) -> str:
    return "" if value == 1 else "s"


def _plural_part(getter: Callable[[Env], Any]) -> Callable[[Env], str]:
    return lambda env: _plural(getter(env))


def _value_part(getter: Callable[[Env], Any], spec: str) -> Callable[[Env], str]:
    return lambda env: render_value(getter(env), spec)


def compile_template(text: str, scope: Scope) -> Renderer:
    """Compile a message template; unknown paths or bad placeholders raise :class:`RuleError`."""
    parts: list[str | Callable[[Env], str]] = []
    pos = 0
    for match in _PLACEHOLDER.finditer(text):
        parts.append(text[pos : match.start()])
        pos = match.end()
        token = match.group(0)
        if token in ("{{", "}}"):
            parts.append(token[0])
            continue
        inner = match.group(1)
        if inner is None:
            raise RuleError(f"unbalanced brace at offset {match.start()} in {text!r}")
        field = _FIELD.fullmatch(inner.strip())
        if field is None:
            raise RuleError(f"bad placeholder {{{inner}}} in message")
        getter = compile_path("$" + field.group(1), scope).fn
        spec = field.group(2) or ""
        if _BIG_NUMBER.search(spec):
            # format(1, "999999999") would build a string of a billion spaces per finding
            raise RuleError(f"placeholder {{{inner}}}: a width or precision over 99")
        parts.append(_plural_part(getter) if field.group(3) else _value_part(getter, spec))
    parts.append(text[pos:])
    pieces = [p for p in parts if p != ""]

    def render(env: Env) -> str:
        return "".join(p if isinstance(p, str) else p(env) for p in pieces)

    return render
