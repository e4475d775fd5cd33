"""The pack's ``remit_adjustments`` table: which remittance adjustments mean which category."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any

from b12lint.model.remittance import Adjustment

TABLE = "remit_adjustments"


@dataclass(frozen=True)
class AdjustmentMap:
    """Routine adjustments, and categories by remark code, payer policy and reason code."""

    routine: frozenset[str]
    remarks: Mapping[str, tuple[str, ...]]
    policies: Mapping[str, tuple[str, ...]]
    reasons: Mapping[str, tuple[str, ...]]

    @classmethod
    def from_values(cls, values: Any) -> AdjustmentMap:
        """Build from a data table's values (validated shape: see the table's description)."""
        values = values if isinstance(values, Mapping) else {}

        def mapping(key: str) -> dict[str, tuple[str, ...]]:
            raw = values.get(key) or {}
            return {str(k).upper(): tuple(str(c) for c in (v or ())) for k, v in raw.items()}

        return cls(
            routine=frozenset(str(v).upper() for v in values.get("routine") or ()),
            remarks=mapping("remarks"),
            policies=mapping("policies"),
            reasons=mapping("reasons"),
        )

    def is_denial(self, adjustment: Adjustment) -> bool:
        """An adjustment that reduced payment for a reason other than a routine one."""
        return adjustment.amount > 0 and adjustment.code not in self.routine

    def categories(
        self,
        adjustments: Iterable[Adjustment],
        remarks: Iterable[str],
        policies: Iterable[str],
    ) -> set[str]:
        """The finding categories a set of adjustments points to: remarks and policies first,
        reason codes only when neither maps to anything."""
        found: set[str] = set()
        for remark in remarks:
            found.update(self.remarks.get(remark.upper(), ()))
        for policy in policies:
            found.update(self.policies.get(policy.upper(), ()))
        if found:
            return found
        for adjustment in adjustments:
            if self.is_denial(adjustment):
                found.update(self.reasons.get(adjustment.reason, ()))
        return found
