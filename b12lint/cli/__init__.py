"""The ``b12lint`` command line: a thin layer over readers, the engine and reporters.

Exit codes (FORMATS.md section 3): 0 no finding at or above ``--fail-on``; 1 such findings
(input errors count as errors); 2 the tool could not run (bad option, unreadable path, invalid
rule file or configuration).
"""

from __future__ import annotations

import os
import sys

import click

from b12lint import __version__
from b12lint.cli import interrupt
from b12lint.cli.check import check
from b12lint.cli.data import data
from b12lint.cli.fix import fix
from b12lint.cli.history import history
from b12lint.cli.remit import remit
from b12lint.cli.rules import rule, rules, test
from b12lint.cli.serve import serve

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
cli.add_command(remit)
cli.add_command(serve)
cli.add_command(data)


def main() -> None:
    """Console entry point: exit codes 0, 1, 2; 130 after Ctrl-C, 143 after SIGTERM."""
    interrupt.install()
    try:
        code = cli.main(prog_name="b12lint", standalone_mode=False)
    except click.ClickException as exc:
        exc.show()
        sys.exit(exc.exit_code)
    except (click.Abort, KeyboardInterrupt) as exc:
        interrupt.interrupted(exc)
    except BrokenPipeError:
        # the reader of our output went away (| head): nothing more to say to it
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
        sys.exit(EXIT_FINDINGS)
    except Exception as exc:  # the last resort: a message, never a traceback
        interrupt.internal_error(exc)
    sys.exit(code if isinstance(code, int) else EXIT_OK)
