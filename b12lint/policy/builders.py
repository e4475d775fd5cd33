"""From parsed rows to a table's new versions: one builder per kind of published file.

Edit tables keep only the pairs / codes of the pack (:mod:`b12lint.policy.codes`); a PTP
pair's own effective and deletion dates decide on which dates of service it applies inside
the import's span, so the span is cut into versions where a pair starts or ends. Code sets
are kept whole in a compact file (:mod:`b12lint.policy.codeset`) that the version points to.
"""

from __future__ import annotations

import datetime as dt
import itertools
import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from b12lint.engine.datatable import DataTable
from b12lint.policy.codes import pack_icd10_codes
from b12lint.policy.codeset import HcpcsEntry, gzip_bytes, render_hcpcs, render_icd10
from b12lint.policy.effective import Span, order_file_year
from b12lint.policy.errors import PackImportError
from b12lint.policy.hcpcs import parse_hcpcs
from b12lint.policy.icd10cm_order import parse_order_file
from b12lint.policy.mue import SERVICES, parse_mue
from b12lint.policy.ndc import NdcPackage, NdcProduct, is_package_file, iter_packages, iter_products
from b12lint.policy.packdata import NewVersion
from b12lint.policy.ptp import PtpEdit, iter_ptp
from b12lint.policy.review import review_hcpcs, review_icd10, review_ndc, values_on

CODESET_DIR = "codesets"
_DAY = dt.timedelta(days=1)
_VIAL_ML = re.compile(r"([0-9]+(?:\.[0-9]+)?)\s*mL in 1 (?:VIAL|AMPULE|SYRINGE|CARTRIDGE)", re.I)


@dataclass
class Built:
    """What a builder made: the versions, files to write beside the table, and remarks."""

    versions: list[NewVersion]
    files: dict[str, bytes] = field(default_factory=dict)
    """Path relative to the pack's data folder -> bytes."""
    remarks: list[str] = field(default_factory=list)


@dataclass(frozen=True)
class Context:
    """What every builder gets: the files, the span, the source text, the pack's codes."""

    files: Sequence[Path]
    span: Span
    source: str
    codes: frozenset[str]
    drugs: frozenset[str]
    table: str
    previous: Any = None
    """The table's values in force the day before the span (None: none)."""
    data: Mapping[str, DataTable] = field(default_factory=dict)
    """The pack's tables (inherited ones included), for remarks about them."""


def _ptp_values(edits: Sequence[PtpEdit], date: dt.date) -> dict[str, dict[str, int]]:
    values: dict[str, dict[str, int]] = {}
    for edit in edits:
        if edit.in_force(date):
            values.setdefault(edit.column1, {})[edit.column2] = edit.modifier
    return values


def build_ptp(ctx: Context) -> Built:
    """PTP pairs of the pack's codes, in versions cut where a pair's own dates fall.

    The files are read a row at a time and only the pack's pairs are kept (a quarter is about
    a million rows); a pair kept from two of the files is an error naming both (each file
    refuses its own repeated rows)."""
    edits: list[PtpEdit] = []
    origin: dict[tuple[str, str, dt.date], str] = {}
    read = 0
    for path in ctx.files:
        for edit in iter_ptp(path):
            read += 1
            if edit.column1 not in ctx.codes or edit.column2 not in ctx.codes:
                continue
            key = (edit.column1, edit.column2, edit.effective)
            if key in origin:
                raise PackImportError(
                    f"{path}:{edit.line}: pair {edit.column1} x {edit.column2} "
                    f"is also in {origin[key]}"
                )
            origin[key] = f"{path}:{edit.line}"
            edits.append(edit)
    _nothing_kept(ctx, read, len(edits), "pairs")
    _check_overlapping_rows(edits)
    span = ctx.span
    cuts = {span.start}
    for edit in edits:
        for cut in (edit.effective, edit.deletion + _DAY if edit.deletion else None):
            if cut is not None and cut > span.start and (span.end is None or cut <= span.end):
                cuts.add(cut)
    starts = sorted(cuts)
    versions: list[NewVersion] = []
    for i, start in enumerate(starts):
        end = starts[i + 1] - _DAY if i + 1 < len(starts) else span.end
        values = _ptp_values(edits, start)
        if versions and versions[-1].values == values:
            previous = versions[-1]
            versions[-1] = NewVersion(previous.start, end, previous.source, values)
            continue
        versions.append(NewVersion(start, end, ctx.source, values))
    built = Built(versions)
    kept = sum(1 for e in edits if _in_span(e, span))
    built.remarks.append(f"{kept} pairs of the pack's codes apply in {span.label()}")
    if len(versions) > 1:
        built.remarks.append(
            f"the pairs' own dates cut {span.label()} into {len(versions)} versions"
        )
    built.remarks.extend(_retroactive(edits, ctx))
    return built


def _nothing_kept(ctx: Context, read: int, kept: int, what: str) -> None:
    """An import that keeps nothing would give the rules an empty table: a check that passes
    on every claim of the quarter. Refused, as the wrong file most likely."""
    if kept == 0:
        files = ", ".join(path.name for path in ctx.files)
        raise PackImportError(
            f"{files}: none of the {read} rows read gives {what} for the pack "
            "(is this the right file, and the right pack?); nothing was written"
        )


def _check_overlapping_rows(edits: Sequence[PtpEdit]) -> None:
    """Two rows of one pair whose dates overlap would give a date two indicators."""
    rows: dict[tuple[str, str], list[PtpEdit]] = {}
    for edit in edits:
        rows.setdefault((edit.column1, edit.column2), []).append(edit)
    for (first, second), listed in rows.items():
        listed.sort(key=lambda e: e.effective)
        for earlier, later in itertools.pairwise(listed):
            if earlier.deletion is None or earlier.deletion >= later.effective:
                raise PackImportError(
                    f"pair {first} x {second}: the rows of lines {earlier.line} and "
                    f"{later.line} apply on the same dates (from {later.effective})"
                )


def _in_span(edit: PtpEdit, span: Span) -> bool:
    ends_after = edit.deletion is None or edit.deletion >= span.start
    starts_before = span.end is None or edit.effective <= span.end
    return ends_after and starts_before


def _retroactive(edits: Sequence[PtpEdit], ctx: Context) -> list[str]:
    """Where the file's row dates disagree with the table's version in force the day before
    the span: a pair (or indicator) dated earlier that the version lacks, a pair the version
    has that the file deletes earlier. Versions before the span are never changed."""
    if not isinstance(ctx.previous, Mapping):
        return []
    before = ctx.span.start - _DAY
    now = _ptp_values(edits, before)
    then = {
        (first, second): indicator
        for first, pairs in ctx.previous.items()
        if isinstance(pairs, Mapping)
        for second, indicator in pairs.items()
    }
    in_force = {(e.column1, e.column2): e for e in edits if e.in_force(before)}
    dated = {(e.column1, e.column2): e for e in edits}
    out = []
    for first, pairs in sorted(now.items()):
        for second, indicator in sorted(pairs.items()):
            if then.get((first, second)) != indicator:
                effective = in_force[(first, second)].effective
                out.append(
                    f"retroactive: {first} x {second} (indicator {indicator}) is dated from "
                    f"{effective} but the version in force on {before} does not have it"
                )
    for (first, second), indicator in sorted(then.items()):
        deleted = dated.get((first, second))
        if second not in now.get(first, {}) and deleted and deleted.deletion is not None:
            out.append(
                f"retroactive: {first} x {second} (indicator {indicator}) is deleted after "
                f"{deleted.deletion} but the version in force on {before} still has it"
            )
    if out:
        out.append(
            "versions before the import's span were not changed: to apply these to earlier "
            "dates, replace those versions with the corrected files"
        )
    return out


def build_mue(ctx: Context, expected: str | None) -> Built:
    """MUE values of the pack's codes, and their adjudication indicators in the notes."""
    values: dict[str, int] = {}
    indicators: dict[str, int] = {}
    read = 0
    kinds: set[str] = set()
    for path in ctx.files:
        kind, rows = parse_mue(path, expected)
        kinds.add(kind)
        read += len(rows)
        for row in rows:
            if row.code not in ctx.codes:
                continue
            if row.code in values:
                raise PackImportError(f"{path}:{row.line}: {row.code} is in two of the files")
            values[row.code] = row.value
            if row.indicator is not None:
                indicators[row.code] = row.indicator
    if len(kinds) > 1:
        raise PackImportError(f"files for different provider types: {sorted(kinds)}")
    _nothing_kept(ctx, read, len(values), "MUE values")
    notes = None
    if indicators:
        listed = ", ".join(f"{c} {indicators[c]}" for c in sorted(indicators))
        notes = (
            f"{SERVICES[kinds.pop()]} Services. MUE adjudication indicators (1 claim line, "
            f"2 date of service: policy, 3 date of service: clinical): {listed}"
        )
    built = Built([NewVersion(ctx.span.start, ctx.span.end, ctx.source, values, notes)])
    built.remarks.append(f"{len(values)} MUE values of the pack's codes")
    return built


def _one_file(ctx: Context, what: str) -> Path:
    if len(ctx.files) != 1:
        raise PackImportError(f"{what}: give exactly one file (got {len(ctx.files)})")
    return ctx.files[0]


def _codeset_name(table: str, start: dt.date, suffix: str) -> str:
    return f"{CODESET_DIR}/{table}-{start.isoformat()}.{suffix}.gz"


def release_name(path: Path, start: dt.date) -> str:
    """What the rules call an imported ICD-10-CM release (``Diagnosis X is not a code of
    ICD-10-CM <release>``), as the shipped ones are named: ``FY2027 (icd10cm_order_2027.txt)``,
    ``FY2026 April 1, 2026 update (...)`` when the span starts after the fiscal year's
    October 1."""
    year_start = order_file_year(path)
    if year_start is None:
        return f"imported from {path.name}, {start}"
    fiscal = f"FY{year_start.year + 1}"
    if start != year_start:
        fiscal = f"{fiscal} {start:%B} {start.day}, {start.year} update"
    return f"{fiscal} ({path.name})"


def build_icd10cm(ctx: Context) -> Built:
    """The whole ICD-10-CM code set of an order file, stored compactly."""
    path = _one_file(ctx, "icd10cm")
    lines = parse_order_file(path)
    codes = {entry.code: entry.billable for entry in lines}
    name = _codeset_name(ctx.table, ctx.span.start, "txt")
    data = gzip_bytes(render_icd10(codes, " ".join(ctx.source.split())))
    billable = sum(codes.values())
    release = release_name(path, ctx.span.start)
    values = {"codeset": name, "codes": len(codes), "billable": billable, "release": release}
    built = Built([NewVersion(ctx.span.start, ctx.span.end, ctx.source, values)], {name: data})
    built.remarks.append(f"{len(codes)} codes ({billable} billable) in {name} ({len(data)} bytes)")
    built.remarks.extend(review_icd10(codes, pack_icd10_codes(ctx.data)))
    return built


def build_hcpcs(ctx: Context) -> Built:
    """The whole HCPCS code set (codes and modifiers) of the quarterly file(s)."""
    codes: dict[str, HcpcsEntry] = {}
    for path in ctx.files:
        for entry in parse_hcpcs(path):
            if entry.code in codes:
                raise PackImportError(f"{path}:{entry.line}: {entry.code} is in two of the files")
            codes[entry.code] = HcpcsEntry(
                _iso(entry.added),
                _iso(entry.effective),
                _iso(entry.terminated),
                entry.action,
                entry.long_description,
            )
    name = _codeset_name(ctx.table, ctx.span.start, "tsv")
    data = gzip_bytes(render_hcpcs(codes, " ".join(ctx.source.split())))
    values = {"codeset": name, "codes": len(codes)}
    built = Built([NewVersion(ctx.span.start, ctx.span.end, ctx.source, values)], {name: data})
    built.remarks.append(f"{len(codes)} codes and modifiers in {name} ({len(data)} bytes)")
    units = values_on(ctx.data.get("hcpcs_units"), ctx.span.start)
    built.remarks.extend(review_hcpcs(codes, units, ctx.drugs, ctx.span.start))
    return built


def _iso(date: dt.date | None) -> str:
    return "" if date is None else date.isoformat()


def build_ndc(ctx: Context) -> Built:
    """Packages of the NDC directory whose product is one of the pack's drugs, alone."""
    package_files = [path for path in ctx.files if is_package_file(path)]
    product_files = [path for path in ctx.files if path not in package_files]
    if not package_files or not product_files:
        raise PackImportError("ndc: give both product.txt and package.txt")
    if not ctx.drugs:
        raise PackImportError("ndc: the pack's hcpcs_units table names no drug")
    known: set[str] = set()
    wanted: dict[str, NdcProduct] = {}
    for path in product_files:
        for p in iter_products(path):
            known.add(p.product_id)
            if len(p.ingredients) == 1 and p.ingredients[0].substance.lower() in ctx.drugs:
                wanted[p.product_id] = p
    orphans: list[NdcPackage] = []
    values: dict[str, dict[str, Any]] = {}
    for pkg in (pkg for path in package_files for pkg in iter_packages(path)):
        if pkg.product_id not in known:
            orphans.append(pkg)
        product = wanted.get(pkg.product_id)
        if product is None:
            continue
        ingredient = product.ingredients[0]
        row: dict[str, Any] = {
            "drug": ingredient.substance.lower(),
            "strength": f"{ingredient.strength} {ingredient.unit}",
            "product": product.name,
            "labeler": product.labeler,
            "form": product.form,
            "route": product.route,
            "package": pkg.description,
            "container": _container(pkg.description),
        }
        vial = _VIAL_ML.search(pkg.description)
        if vial is not None:
            row["vial_ml"] = float(vial.group(1)) if "." in vial.group(1) else int(vial.group(1))
        if pkg.start is not None:
            row["marketed_from"] = pkg.start
        if pkg.end is not None:
            row["marketed_to"] = pkg.end
        if pkg.sample:
            row["sample"] = True
        values[pkg.ndc11] = row
    _nothing_kept(ctx, len(known), len(values), "packages of the pack's drugs")
    built = Built([NewVersion(ctx.span.start, ctx.span.end, ctx.source, values)])
    built.remarks.append(
        f"{len(values)} packages of {len(wanted)} single-ingredient products of "
        f"{', '.join(sorted(ctx.drugs))}"
    )
    built.remarks.extend(review_ndc(values, ctx.data.get("ndc_products")))
    if orphans:
        built.remarks.append(
            f"{len(orphans)} packages name a product that is not in the product file "
            f"(first: line {orphans[0].line}); they could not be judged and were not kept"
        )
    return built


def _container(description: str) -> str:
    text = description.upper()
    if "MULTI-DOSE" in text or "MULTIPLE-DOSE" in text:
        return "multi-dose"
    if "SINGLE-DOSE" in text or "SINGLE-USE" in text:
        return "single-dose"
    return "unknown"
