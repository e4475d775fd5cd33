"""The rule engine: packs of YAML rules compiled into closures, run over encounter views.

The engine imports the model and the domain functions, never readers, reporters or the CLI.
"""

from b12lint.engine.errors import PackError, RuleError
from b12lint.engine.linter import Linter, Result, lint, run, tally
from b12lint.engine.pack import Pack, load_pack
from b12lint.engine.router import Router, build_router
from b12lint.engine.ruleset import Ruleset, SelectionError, combine, load_packs, load_ruleset

__all__ = [
    "Linter",
    "Pack",
    "PackError",
    "Result",
    "Router",
    "RuleError",
    "Ruleset",
    "SelectionError",
    "build_router",
    "combine",
    "lint",
    "load_pack",
    "load_packs",
    "load_ruleset",
    "run",
    "tally",
]
