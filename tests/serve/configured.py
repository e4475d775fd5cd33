"""A service started as ``b12lint serve`` starts it: from a configuration file, through the
loading path ``check`` uses (:func:`b12lint.cli.setup.load_setup`)."""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from serve_support import start


@contextmanager
def configured(
    config: Path, options: Mapping[str, Any] | None = None, **settings: Any
) -> Iterator[tuple[str, Any]]:
    """(base URL, its ServiceHistory or None) of a service loaded from ``config``."""
    from b12lint.cli.common import RuleOptions
    from b12lint.cli.serve import build_app, open_history
    from b12lint.cli.setup import load_setup
    from b12lint.serve import ServeSettings
    from b12lint.serve.checker import ACCEPT

    rule_options = RuleOptions(str(config), (), False, (), ())
    formats = sorted({fmt for fmt, _ in ACCEPT.values()})
    setup = load_setup(rule_options, dict(options or {}), formats)
    history = open_history(setup)
    url, server, thread = start(build_app(setup, ServeSettings(**settings), history))
    try:
        yield url, history
    finally:
        server.should_exit = True
        thread.join(timeout=10)
        if history is not None:
            history.close()
