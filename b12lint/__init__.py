"""b12lint: checks that vitamin B12 injection claims match the documented clinical intent.

Library use::

    import b12lint
    ruleset = b12lint.load_ruleset()            # the built-in b12-core pack
    for finding in b12lint.lint(records, ruleset):
        print(finding.rule_id, finding.message)
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

__version__ = "0.1.0"

if TYPE_CHECKING:
    from b12lint.engine import Linter, Ruleset, lint, load_pack, load_ruleset, run
    from b12lint.model import Finding

__all__ = [
    "Finding",
    "Linter",
    "Ruleset",
    "__version__",
    "lint",
    "load_pack",
    "load_ruleset",
    "run",
]


def __getattr__(name: str) -> Any:
    """Import the engine lazily so that ``import b12lint`` stays cheap."""
    if name in {"Linter", "Ruleset", "lint", "load_pack", "load_ruleset", "run"}:
        from b12lint import engine

        return getattr(engine, name)
    if name == "Finding":
        from b12lint.model import Finding

        return Finding
    raise AttributeError(name)
