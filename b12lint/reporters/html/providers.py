"""**Provider comparison**: findings per 100 B12 encounters for each rendering provider, so
that a provider far above the batch's rate stands out."""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from b12lint.model import EncounterBilling, Finding
from b12lint.reporters.html.aggregate import NO_PROVIDER, provider

#: A provider is flagged when its rate is at least this many times the batch's rate…
OUTLIER_FACTOR = 2.0
#: …and it has at least this many B12 encounters (fewer are shown, never flagged).
MIN_ENCOUNTERS = 10


@dataclass(frozen=True)
class ProviderRow:
    """One rendering provider's B12 encounters, findings and rate."""

    npi: str
    b12_encounters: int
    findings: int
    errors: int
    rate: float
    """Findings per 100 B12 encounters."""
    outlier: bool


def compare(
    findings: Iterable[Finding], billing: Sequence[EncounterBilling]
) -> tuple[list[ProviderRow], float]:
    """Each provider's row (highest rate first) and the batch's rate per 100 B12 encounters.

    Input findings (unreadable records) belong to no provider and are not counted.
    """
    encounters = Counter(b.rendering_npi or NO_PROVIDER for b in billing if b.b12)
    counts: Counter[str] = Counter()
    errors: Counter[str] = Counter()
    for f in findings:
        if f.category == "input":
            continue
        npi = provider(f)
        counts[npi] += 1
        if f.severity == "error":
            errors[npi] += 1
    total_enc = sum(encounters.values())
    batch_rate = 100.0 * sum(counts.values()) / total_enc if total_enc else 0.0
    rows = []
    for npi in {*encounters, *counts}:
        n = encounters.get(npi, 0)
        rate = 100.0 * counts[npi] / n if n else 0.0
        outlier = n >= MIN_ENCOUNTERS and batch_rate > 0 and rate >= OUTLIER_FACTOR * batch_rate
        rows.append(ProviderRow(npi, n, counts[npi], errors[npi], rate, outlier))
    rows.sort(key=lambda r: (-r.rate, -r.findings, r.npi))
    return rows, batch_rate
