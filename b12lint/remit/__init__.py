"""Remittance feedback: match X12 835 payments to the checked claims and score every rule."""

from __future__ import annotations

from b12lint.remit.adjustments import TABLE, AdjustmentMap
from b12lint.remit.claims import ClaimCollector, ClaimInfo
from b12lint.remit.match import Matching, match
from b12lint.remit.scorecard import RuleFacts, build

__all__ = [
    "TABLE",
    "AdjustmentMap",
    "ClaimCollector",
    "ClaimInfo",
    "Matching",
    "RuleFacts",
    "build",
    "match",
]
