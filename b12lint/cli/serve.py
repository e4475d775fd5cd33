"""``b12lint serve``: the check API, the CDS Hooks service and the page for coders.

Needs the ``serve`` extra. Binds 127.0.0.1 by default; beyond loopback a bearer token and TLS
(or ``--allow-insecure-http`` behind a TLS proxy) are required. The token is read from
``B12LINT_SERVE_TOKEN`` only, never a file or an argument. Checks are configured exactly as
``b12lint check`` (:func:`~b12lint.cli.setup.load_setup`: the same configuration file,
environment and rule, suppression, redaction and history options), loaded once at start.
"""

from __future__ import annotations

import json
import os
from pathlib import Path
from typing import TYPE_CHECKING, Any

import click

from b12lint.cli.audit import serve_audit_options
from b12lint.cli.common import RuleOptions, fail, payer_option, rule_infos, ruleset_options
from b12lint.cli.history import TARGET_HELP
from b12lint.cli.setup import CheckSetup, load_setup

if TYPE_CHECKING:
    from starlette.applications import Starlette

    from b12lint.serve import ServeSettings
    from b12lint.serve.history import ServiceHistory

TOKEN_ENV = "B12LINT_SERVE_TOKEN"  # noqa: S105 (the variable's name, not a token)


def _issuers(path: str | None) -> dict[str, Any]:
    """``{iss: PEM text or JWKS}`` from a JSON file naming a key file or JWKS per issuer."""
    if path is None:
        return {}
    try:
        doc = json.loads(Path(path).read_text(encoding="utf-8"))
    except (OSError, ValueError) as exc:
        fail(f"--cds-issuers {path}: cannot be read as JSON ({exc})")
    if not isinstance(doc, dict):
        fail(f"--cds-issuers {path}: expected an object of issuer -> key")
    out: dict[str, Any] = {}
    base = Path(path).parent
    for issuer, spec in doc.items():
        if isinstance(spec, dict) and "keys" in spec:
            out[issuer] = spec
        elif isinstance(spec, dict) and isinstance(spec.get("public_key_file"), str):
            try:
                out[issuer] = (base / spec["public_key_file"]).read_text(encoding="utf-8")
            except OSError as exc:
                fail(f"--cds-issuers: key of {issuer!r} cannot be read ({exc.strerror})")
        else:
            fail(f"--cds-issuers: {issuer!r} needs a JWKS (keys) or a public_key_file")
    return out


@click.command()
@click.option("--host", default="127.0.0.1", show_default=True, help="Address to bind.")
@click.option("--port", default=8412, show_default=True, type=int)
@click.option("--tls-cert", type=click.Path(exists=True, dir_okay=False), help="TLS certificate.")
@click.option("--tls-key", type=click.Path(exists=True, dir_okay=False), help="TLS private key.")
@click.option(
    "--allow-insecure-http",
    is_flag=True,
    help="Serve plain HTTP beyond loopback (only behind a TLS-terminating proxy).",
)
@click.option("--public-url", help="The URL EHRs call (behind a proxy): the CDS JWT audience.")
@click.option(
    "--cds-issuers",
    metavar="FILE",
    help="JSON: {issuer: {keys: [...JWKS]} | {public_key_file: PEM}}: the EHRs allowed to call.",
)
@click.option("--max-body", default=16 * 1024 * 1024, show_default=True, type=int)
@click.option("--timeout", default=60.0, show_default=True, type=float, help="Seconds per check.")
@click.option("--workers", default=4, show_default=True, type=int, help="Small checks at once.")
@click.option(
    "--history",
    "history_target",
    metavar="TARGET",
    help=TARGET_HELP + " Read on every check; written only by ?record=true.",
)
@ruleset_options
@serve_audit_options
@payer_option
def serve(
    host: str,
    port: int,
    tls_cert: str | None,
    tls_key: str | None,
    allow_insecure_http: bool,
    public_url: str | None,
    cds_issuers: str | None,
    max_body: int,
    timeout: float,
    workers: int,
    history_target: str | None,
    rule_options: RuleOptions,
    **audit_opts: Any,
) -> None:
    """Serve the check API, the CDS Hooks service and the page for coders."""
    try:
        import uvicorn

        from b12lint.serve import ServeSettings
        from b12lint.serve.checker import ACCEPT
    except ImportError:
        fail('b12lint serve needs the serve extra: pip install "b12lint[serve]"')
    if (tls_cert is None) != (tls_key is None):
        fail("--tls-cert and --tls-key go together")
    settings = ServeSettings(
        host=host,
        port=port,
        token=os.environ.get(TOKEN_ENV) or None,
        max_body_bytes=max_body,
        request_timeout=timeout,
        small_slots=workers,
        public_url=public_url,
        cds_issuers=_issuers(cds_issuers),
        tls=tls_cert is not None,
        allow_insecure_http=allow_insecure_http,
    )
    problems = settings.problems()
    if problems:
        fail("; ".join(problems))
    # every format a response may be asked for: SARIF among them, so a redaction key is
    # resolved at start (SARIF is redacted by default, as for check)
    served = sorted({fmt for fmt, _ in ACCEPT.values()})
    setup = load_setup(rule_options, audit_opts, served, history=history_target)
    history = open_history(setup)
    try:
        app = build_app(setup, settings, history)
        uvicorn.run(
            app,
            host=host,
            port=port,
            ssl_certfile=tls_cert,
            ssl_keyfile=tls_key,
            timeout_graceful_shutdown=30,
            log_level="info",
        )
    finally:
        if history is not None:
            history.close()


def open_history(setup: CheckSetup) -> ServiceHistory | None:
    """The configured history store, opened (created if need be) and its key checked; exit 2."""
    from b12lint.history import HistoryError
    from b12lint.serve.history import ServiceHistory

    if setup.history is None:
        return None
    key_file = setup.config.location("history-key-file")
    try:
        history, notes = ServiceHistory.open(setup.history, Path(key_file) if key_file else None)
    except HistoryError as exc:
        fail(f"history: {exc}")
    for note in notes:
        click.echo(f"b12lint: note: {note}", err=True)
    return history


def build_app(
    setup: CheckSetup, settings: ServeSettings, history: ServiceHistory | None = None
) -> Starlette:
    """The service over a loaded setup (``serve`` and the tests build it so)."""
    from b12lint.serve import create_app
    from b12lint.serve.checker import Checker

    infos = rule_infos(setup.router)
    checker = Checker(
        setup.router,
        setup.limits,
        setup.csv,
        infos,
        audits=lambda fmt: setup.audit.audit([fmt], scoped=True),
        input_format=setup.input_format,
        history=history,
    )
    return create_app(checker, settings, infos)
