"""``b12lint serve``: the check API, the CDS Hooks service and the page for coders.

Needs the ``serve`` extra. Binds 127.0.0.1 by default; beyond loopback a bearer token and TLS
(or ``--allow-insecure-http`` behind a TLS proxy) are required. Configuration:
``[tool.b12lint.serve]`` (``token`` is read from ``B12LINT_SERVE_TOKEN`` only, never a file).
"""

from __future__ import annotations

import json
import os
from pathlib import Path
from typing import Any

import click

from b12lint.cli.check import csv_options, limits_from
from b12lint.cli.common import (
    RuleOptions,
    fail,
    payer_option,
    router_from_config,
    rule_infos,
    ruleset_options,
)

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
@ruleset_options
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
    rule_options: RuleOptions,
) -> None:
    """Serve the check API, the CDS Hooks service and the page for coders."""
    try:
        import uvicorn

        from b12lint.serve import ServeSettings, create_app
        from b12lint.serve.checker import Checker
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
    config = rule_options.settings()
    router = router_from_config(config, *rule_options.args)
    infos = rule_infos(router)
    checker = Checker(router, limits_from(config), csv_options(config), infos)
    app = create_app(checker, settings, infos)
    uvicorn.run(
        app,
        host=host,
        port=port,
        ssl_certfile=tls_cert,
        ssl_keyfile=tls_key,
        timeout_graceful_shutdown=30,
        log_level="info",
    )
