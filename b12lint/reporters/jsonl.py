"""JSON Lines: one finding a line, each exactly as in the JSON report's ``findings``.

Nothing else is written (an empty run is an empty file). With ``--show-suppressed`` the
suppressed findings follow, each with a ``suppressed`` key saying why.
"""

from __future__ import annotations

from typing import TextIO

import orjson

from b12lint.model import Report


def render(report: Report, stream: TextIO, color: bool = False) -> None:
    """Write one compact JSON object per line."""
    for finding in report.findings:
        stream.write(orjson.dumps(finding.report_dict()).decode("utf-8") + "\n")
    for finding in report.suppressed:
        data = {**finding.report_dict(), "suppressed": finding.suppressed_by}
        stream.write(orjson.dumps(data).decode("utf-8") + "\n")
