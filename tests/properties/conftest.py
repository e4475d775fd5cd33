"""Hypothesis profiles: ``ci`` (the default: 40 examples a test, for a fast suite) and ``thorough``
(``pytest tests/properties --hypothesis-profile=thorough``: 500 examples a test)."""

from __future__ import annotations

from hypothesis import HealthCheck, settings

settings.register_profile(
    "ci", max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow]
)
settings.register_profile(
    "thorough",
    max_examples=500,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)
settings.load_profile("ci")
