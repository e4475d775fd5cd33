"""``b12lint data import``: a published file becomes a new dated version of a pack's table.

Each kind names its parser, the table it writes by default, and that table's description and
source when the pack has no such table yet. The version's ``source`` names every file, its own
date when its name carries one, and the SHA-256 of its bytes; importing the same files again
finds the same versions already there and changes nothing.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path

from b12lint import safeyaml
from b12lint.engine.datatable import DatedValue
from b12lint.engine.pack import DATA_DIR, MAX_RULE_FILE_BYTES, read_pack, validate_document
from b12lint.policy import builders
from b12lint.policy.builders import Built, Context
from b12lint.policy.codes import pack_codes, pack_drugs
from b12lint.policy.codeset import codeset_path
from b12lint.policy.effective import Span, file_date, parse_span
from b12lint.policy.errors import PackImportError
from b12lint.policy.packdata import TableFile, label, write_atomic

_TABLE_NAME = re.compile(r"[a-z][a-z0-9_]{0,63}")


@dataclass(frozen=True)
class Kind:
    """One kind of published file: what reads it and which table it feeds."""

    name: str
    title: str
    table: str
    description: str
    build: Callable[[Context], Built]

    @property
    def edits(self) -> bool:
        """An edit table (PTP, MUE): only the pack's codes are kept."""
        return self.name.startswith(("ptp-", "mue-"))


def _mue(expected: str | None) -> Callable[[Context], Built]:
    return lambda ctx: builders.build_mue(ctx, expected)


_PTP_DESCRIPTION = (
    "NCCI procedure-to-procedure pairs of the pack's codes ({who}): column 1 code -> "
    "{{column 2 code: modifier indicator}} (0 never together on one day, 1 with a modifier, "
    "9 not applicable), by date of service."
)
_MUE_DESCRIPTION = (
    "NCCI Medically Unlikely Edits of the pack's codes ({who}): code -> most units per line "
    "or date of service, by date of service."
)
KINDS: dict[str, Kind] = {
    kind.name: kind
    for kind in (
        Kind(
            "ptp-practitioner",
            "CMS NCCI PTP edits, practitioner services",
            "ptp",
            _PTP_DESCRIPTION.format(who="practitioner services"),
            builders.build_ptp,
        ),
        Kind(
            "ptp-outpatient",
            "CMS NCCI PTP edits, hospital outpatient services",
            "ptp_outpatient",
            _PTP_DESCRIPTION.format(who="hospital outpatient services"),
            builders.build_ptp,
        ),
        Kind(
            "ptp-medicaid",
            "CMS Medicaid NCCI PTP edits",
            "ptp_medicaid",
            _PTP_DESCRIPTION.format(who="Medicaid"),
            builders.build_ptp,
        ),
        Kind(
            "mue-practitioner",
            "CMS NCCI MUE table, practitioner services",
            "mue",
            _MUE_DESCRIPTION.format(who="practitioner services"),
            _mue("practitioner"),
        ),
        Kind(
            "mue-outpatient",
            "CMS NCCI MUE table, outpatient hospital services",
            "mue_outpatient",
            _MUE_DESCRIPTION.format(who="outpatient hospital services"),
            _mue("outpatient"),
        ),
        Kind(
            "mue-medicaid",
            "CMS Medicaid NCCI MUE table",
            "mue_medicaid",
            _MUE_DESCRIPTION.format(who="Medicaid"),
            _mue(None),
        ),
        Kind(
            "icd10cm",
            "CMS ICD-10-CM order file",
            "icd10cm",
            "The whole ICD-10-CM code set by release: each version points to its compact "
            "code table (codeset) and gives its counts.",
            builders.build_icd10cm,
        ),
        Kind(
            "hcpcs",
            "CMS HCPCS Level II quarterly file",
            "hcpcs",
            "The whole HCPCS Level II code set by quarter: each version points to its compact "
            "code file (codeset: code, dates, action, long descriptor).",
            builders.build_hcpcs,
        ),
        Kind(
            "ndc",
            "FDA NDC directory (product.txt, package.txt)",
            "ndc_directory",
            "NDC directory packages of the pack's drugs (single-ingredient products): 11-digit "
            "NDC -> drug, strength, product, labeler, form, route, package, container.",
            builders.build_ndc,
        ),
    )
}


@dataclass
class ImportResult:
    """What an import did (``changed`` False: the pack already had these versions)."""

    table: Path
    versions: list[str]
    changed: bool
    remarks: list[str] = field(default_factory=list)


def sha256(path: Path) -> str:
    """The SHA-256 of a file's bytes."""
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        for block in iter(lambda: handle.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def describe_sources(kind: Kind, files: Sequence[Path]) -> str:
    """``<title>: <name> (file date D) sha256 H; ...``."""
    parts = []
    for path in files:
        own = file_date(path)
        dated = f" (file date {own})" if own else ""
        parts.append(f"{path.name}{dated} sha256 {sha256(path)}")
    return f"{kind.title}: " + "; ".join(parts)


def import_span(files: Sequence[Path], effective: str | None) -> Span:
    """``--effective`` when given, else the one date the files' names carry."""
    if effective:
        return parse_span(effective)
    dates = {file_date(path) for path in files}
    if None in dates or len(dates) != 1:
        raise PackImportError(
            "give --effective FROM[..TO]: the files' names carry no date (or different ones)"
        )
    start = dates.pop()
    assert start is not None
    return Span(start, None)


def run_import(
    kind_name: str,
    files: Sequence[Path],
    pack_dir: Path,
    effective: str | None = None,
    table: str | None = None,
    *,
    dry_run: bool = False,
) -> ImportResult:
    """Import ``files`` into ``pack_dir``'s table (the kind's default unless ``table``);
    ``dry_run``: check and report everything, write nothing."""
    kind = KINDS.get(kind_name)
    if kind is None:
        raise PackImportError(f"unknown kind {kind_name!r}: one of {', '.join(KINDS)}")
    if not files:
        raise PackImportError("no file to import")
    for path in files:
        if not path.is_file():
            raise PackImportError(f"{path}: no such file")
    name = table or kind.table
    if _TABLE_NAME.fullmatch(name) is None:
        raise PackImportError(f"--table {name!r}: a table name is lower-case letters, digits, _")
    span = import_span(files, effective)
    pack = read_pack(pack_dir)
    path = pack_dir / DATA_DIR / f"{name}.yaml"
    source = describe_sources(kind, files)
    own = pack.data.get(name)
    inherited = own is not None and not path.is_file()
    start_from = Path(own.file) if own is not None and inherited else path
    target = TableFile.read(
        start_from, kind.description, f"{kind.title} (imported by b12lint data import)"
    )
    copies = _inherited_files(target, start_from) if inherited else {}
    if inherited:
        target.path, target.comments = path, ""
    previous = None
    if own is not None:
        before = span.start - dt.timedelta(days=1)
        previous = DatedValue(own.versions, [v.values for v in own.versions]).at(before)
    ctx = Context(
        files=files,
        span=span,
        source=source,
        codes=pack_codes(pack.data, (name,)),
        drugs=pack_drugs(pack.data),
        table=name,
        previous=previous,
        data=pack.data,
    )
    if kind.edits and not ctx.codes:
        raise PackImportError(f"{pack_dir}: the pack's tables name no procedure code")
    built = kind.build(ctx)
    changed, done = target.add(built.versions)
    labels = [label(v.start, v.end) for v in built.versions]
    if inherited:
        done.insert(0, f"the pack inherits {name}: its versions from {start_from} are kept")
    if changed:
        _check_loadable(target)
    if changed and not dry_run:
        for relative, data in {**copies, **built.files}.items():
            write_atomic(pack_dir / DATA_DIR / relative, data)
        target.write()
    return ImportResult(path, labels, changed, [*done, *built.remarks])


def _check_loadable(target: TableFile) -> None:
    """The table as it would be written must load as the pack loader reads it (size, schema,
    version dates): an import never leaves a pack that cannot run."""
    text = target.render()
    size = len(text.encode("utf-8"))
    if size > MAX_RULE_FILE_BYTES:
        raise PackImportError(
            f"{target.path}: the table would be {size} bytes, over the pack loader's "
            f"{MAX_RULE_FILE_BYTES}; nothing was written"
        )
    doc = safeyaml.load(text)
    problem = validate_document(doc, "data")
    if problem:
        raise PackImportError(f"{target.path}: the table would not be valid ({problem})")


def _inherited_files(table: TableFile, source: Path) -> dict[str, bytes]:
    """The code-set files an inherited table's versions point to (copied with the table)."""
    files: dict[str, bytes] = {}
    for version in table.versions:
        values = version.get("values")
        if isinstance(values, dict) and isinstance(values.get("codeset"), str):
            path = codeset_path(source, values["codeset"])
            files[values["codeset"]] = path.read_bytes()
    return files
