"""Reporters: render a :class:`~b12lint.model.Report`; they import only the model."""

from b12lint.reporters.registry import REPORTERS, Reporter, get_reporter

__all__ = ["REPORTERS", "Reporter", "get_reporter"]
