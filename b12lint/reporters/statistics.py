"""``--statistics``: how many findings each rule produced, most frequent first (like ruff)."""

from __future__ import annotations

from collections import Counter
from typing import TextIO

from b12lint.model import Report, plural


def render(report: Report, stream: TextIO, color: bool = False) -> None:
    """Write ``count  rule  severity  [fixable]  name`` rows, then suppressed counts."""
    counts = Counter(f.rule_id for f in report.findings)
    fixable = Counter(f.rule_id for f in report.findings if f.fix is not None and f.fix.safe)
    severity = {f.rule_id: f.severity for f in report.findings}
    width = max((len(f"{n:,}") for n in counts.values()), default=1)
    id_width = max((len(r) for r in counts), default=0)
    for rule_id, n in sorted(counts.items(), key=lambda kv: (-kv[1], kv[0])):
        info = report.rules.get(rule_id)
        name = info.name if info is not None else ""
        mark = f"[{fixable[rule_id]} fixable] " if fixable[rule_id] else ""
        stream.write(
            f"{n:>{width},}  {rule_id:<{id_width}}  {severity[rule_id]:<7}  {mark}{name}\n"
        )
    total = sum(counts.values())
    stream.write(f"{plural(total, 'finding')} in {plural(len(counts), 'rule')}")
    suppressed = report.summary.suppressed
    stream.write(f"; {suppressed:,} suppressed.\n" if suppressed else ".\n")
