"""The ``b12lint`` command line: a thin layer over readers, the engine and reporters.

Exit codes (FORMATS.md section 3): 0 no finding at or above ``--fail-on``; 1 such findings
(input errors count as errors); 2 the tool could not run (bad option, unreadable path, invalid
rule file or configuration).
"""

from __future__ import annotations

import importlib
import os
import sys
from typing import Any

import click

from b12lint import __version__
from b12lint.cli import interrupt

EXIT_OK, EXIT_FINDINGS, EXIT_ERROR = 0, 1, 2

#: Command name -> (module, attribute): a command's module is imported only when it runs (or
#: help lists it), so ``b12lint check`` does not import the policy importer, the remittance
#: reader or the server.
COMMANDS: dict[str, tuple[str, str]] = {
    "check": ("b12lint.cli.check", "check"),
    "rules": ("b12lint.cli.rules", "rules"),
    "rule": ("b12lint.cli.rules", "rule"),
    "test": ("b12lint.cli.rules", "test"),
    "history": ("b12lint.cli.history", "history"),
    "fix": ("b12lint.cli.fix", "fix"),
    "remit": ("b12lint.cli.remit", "remit"),
    "serve": ("b12lint.cli.serve", "serve"),
    "data": ("b12lint.cli.data", "data"),
}


class LazyGroup(click.Group):
    """A group whose subcommands are imported on first use (click's documented pattern)."""

    def list_commands(self, ctx: click.Context) -> list[str]:
        return sorted({*super().list_commands(ctx), *COMMANDS})

    def get_command(self, ctx: click.Context, cmd_name: str) -> click.Command | None:
        if cmd_name not in self.commands and cmd_name in COMMANDS:
            module, name = COMMANDS[cmd_name]
            command: Any = getattr(importlib.import_module(module), name)
            if not isinstance(command, click.Command):
                raise TypeError(f"{module}.{name} is not a click command")
            self.add_command(command, cmd_name)
        return super().get_command(ctx, cmd_name)


@click.group(
    cls=LazyGroup,
    context_settings={"help_option_names": ["-h", "--help"], "max_content_width": 100},
)
@click.version_option(__version__, prog_name="b12lint")
def cli() -> None:
    """Check that vitamin B12 injection claims match the documented clinical intent."""


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
