"""Dates of service an import applies to: ``--effective FROM[..TO]`` and a file's own date."""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass
from pathlib import Path

from b12lint.policy.errors import PackImportError

_ISO = re.compile(r"(?<!\d)(\d{4})-(\d{2})-(\d{2})(?!\d)")
_US = re.compile(r"(?<!\d)(\d{2})[-_](\d{2})[-_](\d{4})(?!\d)")
_ORDER_FILE = re.compile(r"icd10cm[_-]order[_-](\d{4})", re.IGNORECASE)


@dataclass(frozen=True, slots=True)
class Span:
    """Dates of service, ``end`` inclusive (None: open-ended)."""

    start: dt.date
    end: dt.date | None

    def label(self) -> str:
        """``2024-07-01 to 2024-09-30`` / ``from 2024-07-01``."""
        return f"from {self.start}" if self.end is None else f"{self.start} to {self.end}"


def parse_span(text: str) -> Span:
    """``2024-07-01`` (open-ended) or ``2024-07-01..2024-09-30``."""
    first, sep, last = text.strip().partition("..")
    try:
        start = dt.date.fromisoformat(first)
        end = dt.date.fromisoformat(last) if sep and last else None
    except ValueError:
        raise PackImportError(
            f"--effective {text!r}: expected FROM or FROM..TO (ISO dates)"
        ) from None
    if end is not None and end < start:
        raise PackImportError(f"--effective {text!r}: TO is before FROM")
    return Span(start, end)


def order_file_year(path: Path) -> dt.date | None:
    """The October 1 an ICD-10-CM order file's fiscal year starts on
    (``icd10cm_order_2026.txt``: 2025-10-01), or None for another name."""
    order = _ORDER_FILE.search(path.name)
    return None if order is None else dt.date(int(order.group(1)) - 1, 10, 1)


def file_date(path: Path) -> dt.date | None:
    """The date a published file's name carries: ``..._Eff_07-01-2024.csv``, ``2024-07-01``;
    an ICD-10-CM order file ``icd10cm_order_2026.txt`` starts fiscal year 2026 on 2025-10-01."""
    name = path.name
    year_start = order_file_year(path)
    if year_start is not None:
        return year_start
    for pattern, fields in ((_ISO, (0, 1, 2)), (_US, (2, 0, 1))):
        match = pattern.search(name)
        if match is not None:
            parts = [int(match.group(i + 1)) for i in fields]
            try:
                return dt.date(parts[0], parts[1], parts[2])
            except ValueError:
                continue
    return None
