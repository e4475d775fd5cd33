"""The ``b12lint`` command line: a thin layer over readers, the engine and reporters.

Exit codes (FORMATS.md section 3): 0 no finding at or above ``--fail-on``; 1 such findings
(input errors count as errors); 2 the tool could not run (bad option, unreadable path, invalid
rule file or configuration).
"""

from __future__ import annotations

import sys

import click

from b12lint import __version__
from b12lint.cli.check import check
from b12lint.cli.fix import fix
from b12lint.cli.history import history
from b12lint.cli.rules import rule, rules, test

EXIT_OK, EXIT_FINDINGS, EXIT_ERROR = 0, 1, 2


@click.group(context_settings={"help_option_names": ["-h", "--help"], "max_content_width": 100})
@click.version_option(__version__, prog_name="b12lint")
def cli() -> None:
    """Check that vitamin B12 injection claims match the documented clinical intent."""


cli.add_command(check)
cli.add_command(rules)
cli.add_command(rule)
cli.add_command(test)
cli.add_command(history)
cli.add_command(fix)


def main() -> None:
    """Console entry point."""
    try:
        cli.main(prog_name="b12lint", standalone_mode=True)
    except KeyboardInterrupt:  # pragma: no cover - click turns it into Abort
        click.echo("b12lint: interrupted", err=True)
        sys.exit(130)
