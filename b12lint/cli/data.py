"""``b12lint data import | list | diff``: a pack's policy data from the official files."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import TypeVar

import click

from b12lint.cli.common import fail
from b12lint.engine import PackError
from b12lint.policy import KINDS, LayoutError, PackImportError, run_import
from b12lint.policy.diff import diff as diff_sides
from b12lint.policy.diff import open_side
from b12lint.policy.listing import list_pack, render_listing

T = TypeVar("T")


def _guard(action: Callable[[], T]) -> T:
    """Run ``action``; a file that does not fit, or a bad pack, is exit 2 with its place."""
    try:
        return action()
    except LayoutError as exc:
        fail(f"layout: {exc}")
    except (PackImportError, PackError) as exc:
        fail(str(exc))


@click.group()
def data() -> None:
    """Policy data of a pack: import the official files, list versions, diff quarters."""


@data.command("import")
@click.argument("kind", type=click.Choice(sorted(KINDS)))
@click.argument("files", nargs=-1, required=True, type=click.Path(path_type=Path))
@click.option(
    "--effective",
    metavar="FROM[..TO]",
    help="Dates of service the files apply to (default: the date the file names carry).",
)
@click.option(
    "--into",
    "pack_dir",
    required=True,
    type=click.Path(file_okay=False, path_type=Path),
    help="The pack folder whose data table gets the new version.",
)
@click.option("--table", help="The table to write (default: the kind's table, e.g. ptp).")
@click.option("--dry-run", is_flag=True, help="Check the files and say what would change.")
def import_(
    kind: str,
    files: tuple[Path, ...],
    effective: str | None,
    pack_dir: Path,
    table: str | None,
    dry_run: bool,
) -> None:
    """Import published files (KIND: ptp-practitioner, mue-outpatient, icd10cm, ...) as a new
    dated version of a pack's table."""
    result = _guard(lambda: run_import(kind, files, pack_dir, effective, table, dry_run=dry_run))
    for remark in result.remarks:
        click.echo(f"  {remark}")
    spans = ", ".join(result.versions)
    if result.changed and dry_run:
        click.echo(f"{result.table}: would add version(s) {spans} (dry run: nothing written).")
    elif result.changed:
        click.echo(f"{result.table}: added version(s) {spans}.")
    else:
        click.echo(f"{result.table}: unchanged (version(s) {spans} already imported).")


@data.command("list")
@click.argument("pack", type=click.Path(file_okay=False, path_type=Path))
def list_(pack: Path) -> None:
    """Each table's versions (dates of service, source) and the dates no version covers."""
    click.echo(render_listing(_guard(lambda: list_pack(pack))), nl=False)


@data.command("diff")
@click.argument("old")
@click.argument("new")
def diff(old: str, new: str) -> None:
    """What NEW changes against OLD (each a pack folder or a table file, optionally @DATE)."""
    lines = _guard(lambda: diff_sides(open_side(old), open_side(new)))
    if not lines:
        click.echo("no change")
        return
    click.echo("\n".join(lines))
