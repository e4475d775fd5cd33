"""Configured exceptions: findings a team has accepted, with a reason and an optional expiry.

``[[tool.b12lint.exceptions]]`` entries name a ``rule`` (an id or an id prefix such as
``B12-UNITS``), an ``encounter`` id and/or a ``provider`` NPI — every key given must match —
with a required ``reason`` and an optional ``expires`` date (the last day it applies). An
expired exception suppresses nothing and is reported; so is one that matched no finding.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from b12lint.model import Finding


class ExceptionConfigError(ValueError):
    """An exception entry that cannot be used."""


@dataclass(frozen=True, slots=True)
class ExceptionEntry:
    """One configured exception (numbered from 1 in configuration order)."""

    number: int
    reason: str
    rule: str | None = None
    encounter: str | None = None
    provider: str | None = None
    expires: dt.date | None = None

    def describe(self) -> str:
        """``exception 2 (rule B12-UNITS-001, encounter A-131)``."""
        keys = [
            f"{name} {value}"
            for name, value in (
                ("rule", self.rule),
                ("encounter", self.encounter),
                ("provider", self.provider),
            )
            if value is not None
        ]
        return f"exception {self.number} ({', '.join(keys)})"

    def matches(self, finding: Finding) -> bool:
        """Whether every key this exception names matches the finding."""
        if self.rule is not None and not (
            finding.rule_id == self.rule or finding.rule_id.startswith(self.rule + "-")
        ):
            return False
        if self.encounter is not None and finding.encounter_id != self.encounter:
            return False
        if self.provider is not None:
            npi = finding.context.rendering_npi if finding.context is not None else None
            if npi != self.provider:
                return False
        return True


def _date(value: Any, where: str) -> dt.date | None:
    """``expires``: a date, or an ISO date string (configuration files give strings)."""
    if value is None or type(value) is dt.date:
        return value
    try:
        return dt.date.fromisoformat(value)
    except (TypeError, ValueError):
        raise ExceptionConfigError(f"{where}: 'expires' must be a date (YYYY-MM-DD)") from None


def parse(entries: Iterable[Mapping[str, Any]]) -> list[ExceptionEntry]:
    """Exceptions from configuration (already schema-checked; checked again for library use)."""
    out: list[ExceptionEntry] = []
    for number, raw in enumerate(entries, start=1):
        where = f"exceptions[{number - 1}]"
        reason = raw.get("reason")
        if not isinstance(reason, str) or not reason.strip():
            raise ExceptionConfigError(f"{where}: a non-empty 'reason' is required")
        keys = {k: raw.get(k) for k in ("rule", "encounter", "provider")}
        if all(v is None for v in keys.values()):
            raise ExceptionConfigError(f"{where}: give at least one of rule, encounter, provider")
        for key, value in keys.items():
            if value is not None and (not isinstance(value, str) or not value.strip()):
                raise ExceptionConfigError(f"{where}: {key!r} must be a non-empty string")
        rule = keys["rule"]
        out.append(
            ExceptionEntry(
                number=number,
                reason=reason.strip(),
                rule=rule.strip().upper() if rule else None,
                encounter=keys["encounter"],
                provider=keys["provider"].strip() if keys["provider"] else None,
                expires=_date(raw.get("expires"), where),
            )
        )
    return out


@dataclass
class Outcome:
    """Findings split by the exceptions, and the exceptions worth telling the user about."""

    kept: list[Finding]
    suppressed: list[Finding]
    expired: list[ExceptionEntry]
    unused: list[ExceptionEntry]


class Matcher:
    """The exceptions in force on ``today``, judging one finding at a time (the first wins)."""

    def __init__(self, exceptions: Sequence[ExceptionEntry], today: dt.date) -> None:
        self.active = [e for e in exceptions if e.expires is None or e.expires >= today]
        self.expired = [e for e in exceptions if e.expires is not None and e.expires < today]
        self._used: set[int] = set()

    def why(self, finding: Finding) -> str | None:
        """Why ``finding`` is suppressed (``exception N: reason``), or None."""
        hit = next((e for e in self.active if e.matches(finding)), None)
        if hit is None:
            return None
        self._used.add(hit.number)
        return f"exception {hit.number}: {hit.reason}"

    def unused(self) -> list[ExceptionEntry]:
        """The exceptions in force that matched no finding so far."""
        return [e for e in self.active if e.number not in self._used]


def apply(
    findings: Iterable[Finding], exceptions: Sequence[ExceptionEntry], today: dt.date
) -> Outcome:
    """Suppress findings matched by an exception in force on ``today`` (the first one wins)."""
    matcher = Matcher(exceptions, today)
    kept: list[Finding] = []
    suppressed: list[Finding] = []
    for finding in findings:
        why = matcher.why(finding)
        if why is None:
            kept.append(finding)
        else:
            suppressed.append(finding.model_copy(update={"suppressed_by": why}))
    return Outcome(kept, suppressed, matcher.expired, matcher.unused())
