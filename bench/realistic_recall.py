"""Per-category recall of the built-in pack on the realistic set, and its false findings.

    python bench/realistic_recall.py

Prints, per FORMATS.md category, how many labelled defects got an error or warning of that
category, then the clean (correctly billed) encounters that got an error or warning, and the
cases whose ``xfail`` (another issue-11 item) now passes.
"""

from __future__ import annotations

import sys
from collections import Counter
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "tests" / "realistic"))

from realistic_eval import judge


def main() -> int:
    """Print the table; exit 0 (a measurement, not a gate)."""
    verdicts = judge()
    found: Counter[str] = Counter()
    total: Counter[str] = Counter()
    clean = [v for v in verdicts if v.case.expect == "clean"]
    for verdict in verdicts:
        if verdict.case.expect == "clean":
            continue
        total[verdict.case.expect] += 1
        found[verdict.case.expect] += verdict.ok
    print(
        f"realistic set: {len(verdicts)} encounters, {len(clean)} clean, "
        f"{sum(total.values())} with one defect"
    )
    print(f"{'category':<16}{'found':>7}{'of':>5}{'recall':>9}")
    for category in sorted(total):
        print(
            f"{category:<16}{found[category]:>7}{total[category]:>5}"
            f"{found[category] / total[category]:>9.0%}"
        )
    all_found, all_total = sum(found.values()), sum(total.values())
    print(f"{'all':<16}{all_found:>7}{all_total:>5}{all_found / all_total:>9.0%}")
    false = [v for v in clean if not v.ok]
    errors = sum(1 for v in false for f in v.blocking if f.severity == "error")
    warnings = sum(1 for v in false for f in v.blocking if f.severity == "warning")
    print(
        f"clean encounters with a false error or warning: {len(false)} of {len(clean)} "
        f"({errors} errors, {warnings} warnings)"
    )
    for verdict in false:
        rules = sorted({f"{f.rule_id}/{f.severity}" for f in verdict.blocking})
        print(f"  {verdict.case.encounter_id:<8} {', '.join(rules)}  [{verdict.case.note}]")
    missed = [v for v in verdicts if v.case.expect != "clean" and not v.ok]
    print(f"defects missed: {len(missed)}")
    for verdict in missed:
        print(f"  {verdict.case.encounter_id:<8} {verdict.case.expect:<14} [{verdict.case.note}]")
    fixed = [v for v in verdicts if v.case.xfail and v.ok]
    if fixed:
        print("xfail cases that now pass (flip them in build_set.py):")
        for verdict in fixed:
            print(f"  {verdict.case.encounter_id}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
