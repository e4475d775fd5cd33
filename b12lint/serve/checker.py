"""One check request: a body in any input format → the report, rendered as the client asks."""

from __future__ import annotations

import io
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Protocol

from b12lint import __version__
from b12lint.engine import Router, run
from b12lint.history import HistoryError
from b12lint.history.session import HistorySession
from b12lint.model import Report
from b12lint.readers import DEFAULT_LIMITS, CsvOptions, Item, Limits, formats, read_file
from b12lint.readers.stats import collecting
from b12lint.reporters import get_reporter
from b12lint.serve.history import ServiceHistory

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
    """A request that cannot be checked (400, 406, 409, 415): the message says why."""

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


def record_flag(value: str | None) -> bool:
    """``?record=true``: record the checked encounters in the history (absent: false)."""
    if value is None:
        return False
    lowered = value.strip().lower()
    if lowered in ("true", "1", "yes"):
        return True
    if lowered in ("false", "0", "no", ""):
        return False
    raise RequestError(400, "Bad record parameter", "record is true or false")


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


class RequestAudit(Protocol):
    """Suppression and redaction of one request, as ``check`` applies them (the CLI's
    :class:`~b12lint.cli.audit.Audit`, made fresh for each request by :attr:`Checker.audits`)."""

    shared: Report | None
    """Set by :meth:`finish` when the requested format is redacted though others are not."""

    def watch(self, items: Iterable[Item]) -> Iterator[Item]:
        """Note what redaction and the reports need of each record on its way."""
        ...

    def finish(self, report: Report, extra_ids: Sequence[str] = ()) -> Report:
        """Exceptions, then the baseline; redaction (``extra_ids``: history encounters)."""
        ...


class HistoryUnavailableError(Exception):
    """The history store could not be read or written (503); the message says why."""


@dataclass
class Checker:
    """The engine a service loaded once: its router (packs, payer routing, selection, engine),
    reader limits and CSV layout, default input format, suppression and redaction
    (:attr:`audits`) and history store, all from the configuration ``check`` reads."""

    router: Router
    limits: Limits = DEFAULT_LIMITS
    csv: CsvOptions | None = None
    rule_infos: Mapping[str, object] = field(default_factory=dict)
    audits: Callable[[str], RequestAudit] | None = None
    """A fresh audit for a request answered in one report format."""
    input_format: str | None = None
    """The configuration's ``input-format``: for bodies whose type says nothing more."""
    history: ServiceHistory | None = None

    def report(
        self, body: bytes, fmt: str | None, out_fmt: str = "json", *, record: bool = False
    ) -> Report:
        """Check a whole body (read as stdin would be) and return the report to render as
        ``out_fmt``. With a history, the stored events of the body's patients are context;
        with ``record`` the checked encounters are then recorded (raises
        :class:`HistoryUnavailableError` when the store fails)."""
        audit = self.audits(out_fmt) if self.audits is not None else None
        history = self.history
        if history is None:
            return self._report(body, fmt, audit, None)
        try:
            with history.session(record=record) as session:
                report = self._report(body, fmt, audit, session)
                if record:
                    try:
                        history.record(session)
                    except HistoryError as exc:
                        raise HistoryUnavailableError(
                            f"the body was checked but not recorded: {exc}; send it again "
                            "(recording is keyed by encounter id: nothing is counted twice)"
                        ) from None
                return report
        except HistoryError as exc:
            raise HistoryUnavailableError(f"the body was not checked: {exc}") from None

    def _report(
        self,
        body: bytes,
        fmt: str | None,
        audit: RequestAudit | None,
        session: HistorySession | None,
    ) -> Report:
        items: Iterable[Item] = read_file(
            DISPLAY,
            None,
            forced=fmt or self.input_format,
            limits=self.limits,
            stdin=io.BytesIO(body),
            csv=self.csv,
        )
        if audit is not None:
            items = audit.watch(items)
        with collecting() as stats:
            result = run(
                items,
                self.router,
                context=session.context if session is not None else None,
                keep_events=session is not None and not session.dry_run,
            )
        result.summary.not_judged = dict(stats.not_judged)
        if session is not None:
            session.checked(result)
        report = Report(
            findings=result.findings,
            summary=result.summary,
            rulesets=result.rulesets,
            rules=dict(self.rule_infos),  # type: ignore[arg-type]
            tool_version=__version__,
            inputs=[DISPLAY],
            notes=list(stats.notes),
        )
        if audit is None:
            return report
        report = audit.finish(report, session.context_ids if session is not None else ())
        return audit.shared if audit.shared is not None else report

    @staticmethod
    def render(report: Report, fmt: str) -> str:
        """The report in one output format."""
        out = io.StringIO()
        get_reporter(fmt)(report, out, False)
        return out.getvalue()
