"""How every output words its counts, so that they agree: ``1 input error``, ``2 input
errors``, ``68 rules + 4 input checks``."""

from __future__ import annotations

__all__ = ["plural", "rule_count"]


def plural(n: int, word: str) -> str:
    """``1 input error``, ``2 input errors``, ``1,200 findings``."""
    return f"{n:,} {word}{'' if n == 1 else 's'}"


def rule_count(rules: int, input_checks: int) -> str:
    """``68 rules + 4 input checks``: a pack's rules and the engine's input rules."""
    return f"{plural(rules, 'rule')} + {plural(input_checks, 'input check')}"
