"""One check request: a body in any input format → the report, rendered as the client asks."""

from __future__ import annotations

import io
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field

from b12lint import __version__
from b12lint.engine import Router, run
from b12lint.model import Report
from b12lint.readers import DEFAULT_LIMITS, CsvOptions, Limits, formats, read_file
from b12lint.reporters import get_reporter

#: Content types → the input format read (None: by content, as for stdin).
CONTENT_TYPES: dict[str, str | None] = {
    "application/json": None,
    "application/fhir+json": "fhir",
    "application/x-ndjson": "jsonl",
    "application/jsonl": "jsonl",
    "application/fhir+ndjson": "fhir",
    "application/yaml": "yaml",
    "application/x-yaml": "yaml",
    "text/yaml": "yaml",
    "application/edi-x12": "x12",
    "application/edi": "x12",
    "text/csv": "csv",
    "text/plain": None,
    "application/octet-stream": None,
}
#: Accept media types → report formats and the content type they are sent with.
ACCEPT: dict[str, tuple[str, str]] = {
    "application/json": ("json", "application/json"),
    "application/sarif+json": ("sarif", "application/sarif+json"),
    "application/xml": ("junit", "application/xml"),
    "application/junit+xml": ("junit", "application/xml"),
    "text/html": ("html", "text/html; charset=utf-8"),
    "text/csv": ("csv", "text/csv; charset=utf-8"),
    "text/plain": ("text", "text/plain; charset=utf-8"),
}
DISPLAY = "request"


class RequestError(ValueError):
    """A request that cannot be checked (415, 406): the message says why."""

    def __init__(self, status: int, title: str, detail: str) -> None:
        super().__init__(detail)
        self.status = status
        self.title = title


def input_format(content_type: str | None, explicit: str | None) -> str | None:
    """The format a body is read as: ``?format=`` first, else its content type."""
    if explicit:
        if explicit not in formats():
            raise RequestError(
                415,
                "Unknown input format",
                f"format {explicit[:20]!r} is not one of {', '.join(formats())}",
            )
        return explicit
    media = (content_type or "application/octet-stream").split(";")[0].strip().lower()
    if media not in CONTENT_TYPES:
        raise RequestError(
            415,
            "Unsupported media type",
            f"send one of {', '.join(sorted(CONTENT_TYPES))}, or name ?format=",
        )
    return CONTENT_TYPES[media]


def output_format(accept: str | None) -> tuple[str, str]:
    """The report format and content type for an ``Accept`` header (JSON by default)."""
    if not accept or accept.strip() in ("*/*", ""):
        return ACCEPT["application/json"]
    for part in accept.split(","):
        media = part.split(";")[0].strip().lower()
        if media in ACCEPT:
            return ACCEPT[media]
        if media in ("*/*", "application/*"):
            return ACCEPT["application/json"]
    raise RequestError(
        406, "Not acceptable", f"reports are available as {', '.join(sorted(ACCEPT))}"
    )


@dataclass
class Checker:
    """The engine a service loaded once: its router (packs, payer routing) and reader limits."""

    router: Router
    limits: Limits = DEFAULT_LIMITS
    csv: CsvOptions | None = None
    rule_infos: Mapping[str, object] = field(default_factory=dict)
    finish: Callable[[Report], Report] | None = None
    """Suppression and redaction of the configuration, applied as ``check`` applies them."""

    def report(self, body: bytes, fmt: str | None) -> Report:
        """Check a whole body (read as stdin would be) and return the report."""
        items = read_file(
            DISPLAY, None, forced=fmt, limits=self.limits, stdin=io.BytesIO(body), csv=self.csv
        )
        result = run(items, self.router)
        report = Report(
            findings=result.findings,
            summary=result.summary,
            rulesets=result.rulesets,
            rules=dict(self.rule_infos),  # type: ignore[arg-type]
            tool_version=__version__,
            inputs=[DISPLAY],
        )
        return self.finish(report) if self.finish is not None else report

    @staticmethod
    def render(report: Report, fmt: str) -> str:
        """The report in one output format."""
        out = io.StringIO()
        get_reporter(fmt)(report, out, False)
        return out.getvalue()
