"""Errors raised while loading rule packs and configuration (exit code 2)."""

from __future__ import annotations


class RuleError(ValueError):
    """A problem in one rule's definition, found while compiling it.

    ``where`` is the key path inside the rule (``when.all[1].eq``) so that the load error can
    name the exact place.
    """

    def __init__(self, problem: str, where: str = "") -> None:
        self.problem = problem
        self.where = where
        super().__init__(f"{where}: {problem}" if where else problem)

    def under(self, key: str) -> RuleError:
        """The same error, one level further out."""
        where = (
            f"{key}.{self.where}"
            if self.where and not self.where.startswith("[")
            else (f"{key}{self.where}")
        )
        return RuleError(self.problem, where)


class PackError(Exception):
    """A rule pack (or a rule in it) that cannot be loaded; the message names file and rule."""

    def __init__(self, file: str, problem: str, rule: str | None = None) -> None:
        self.file = file
        self.rule = rule
        self.problem = problem
        where = f"{file}: rule {rule}" if rule else file
        super().__init__(f"{where}: {problem}")
