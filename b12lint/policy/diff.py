"""``b12lint data diff OLD NEW``: what a new version changes for B12 billing.

OLD and NEW are each a pack folder or one table file, optionally ``@DATE`` (the version in
force on that date of service; default: each table's latest version). Edit tables list each
pair added, deleted or with a changed indicator, each value changed; code sets give counts
and list the changed codes the pack refers to (its ICD-10-CM codes and their descendants, its
procedure codes).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from b12lint.domain.icd10 import TABLE_HEADER, parse_code_table
from b12lint.engine.datatable import DataTable, DatedValue
from b12lint.engine.pack import DATA_DIR, read_data, read_pack
from b12lint.policy.codes import pack_codes, pack_icd10_codes
from b12lint.policy.codeset import codeset_path, gunzip_text, parse_hcpcs_set
from b12lint.policy.errors import PackImportError


@dataclass(frozen=True)
class Side:
    """One side of a diff: tables by name, the date asked for, and the pack's references."""

    label: str
    tables: dict[str, DataTable]
    date: dt.date | None
    codes: frozenset[str]
    icd10: tuple[str, ...]


def open_side(text: str) -> Side:
    """``PATH[@YYYY-MM-DD]`` as a side of the diff."""
    path_text, sep, date_text = text.rpartition("@") if "@" in text else (text, "", "")
    date = None
    if sep:
        try:
            date = dt.date.fromisoformat(date_text)
        except ValueError:
            raise PackImportError(f"{text}: {date_text!r} is not a date YYYY-MM-DD") from None
    path = Path(path_text)
    if path.is_dir():
        tables = dict(read_pack(path).data)
        context = tables
    elif path.is_file():
        table = read_data(path)
        tables = {table.name: table}
        # the codes a table's pack refers to, when the file is in a pack's data folder
        folder = path.parent.parent
        in_pack = path.parent.name == DATA_DIR
        context = dict(read_pack(folder).data) if in_pack else tables
    else:
        raise PackImportError(f"{path}: no such pack folder or table file")
    return Side(text, tables, date, pack_codes(context), tuple(pack_icd10_codes(context)))


def _at(table: DataTable, date: dt.date | None) -> tuple[Any, str]:
    if date is None:
        version = table.versions[-1]
        return version.values, version.label()
    value = DatedValue(table.versions, [v.values for v in table.versions]).at(date)
    match = next((v for v in table.versions if v.covers(date)), None)
    return value, (match.label() if match else f"none on {date}")


def diff(old: Side, new: Side) -> list[str]:
    """Lines of the diff, table by table (tables on one side only are said so)."""
    out: list[str] = []
    names = sorted(set(old.tables) | set(new.tables))
    single = len(old.tables) == 1 and len(new.tables) == 1
    if single:
        names = [next(iter(new.tables))]
    for name in names:
        a = old.tables.get(name) if not single else next(iter(old.tables.values()))
        b = new.tables.get(name)
        if a is None or b is None:
            out.append(f"{name}: only in {'NEW' if a is None else 'OLD'}")
            continue
        a_values, a_label = _at(a, old.date)
        b_values, b_label = _at(b, new.date)
        changes = _table_diff(a, a_values, b, b_values, new)
        if changes:
            out.append(f"{name} ({a_label} -> {b_label}):")
            out.extend(f"  {line}" for line in changes)
    return out


def _table_diff(a: DataTable, old: Any, b: DataTable, new: Any, side: Side) -> list[str]:
    if old is None or new is None:
        which = "OLD" if old is None else "NEW"
        return [f"no version in {which} on the date asked for"] if old is not new else []
    if isinstance(old, Mapping) and "codeset" in old and isinstance(new, Mapping):
        return _codeset_diff(a, old, b, new, side)
    if _is_pairs(old) and _is_pairs(new):
        return _pairs_diff(old, new)
    if isinstance(old, Mapping) and isinstance(new, Mapping):
        return _mapping_diff(old, new)
    return [] if old == new else [f"{old!r} -> {new!r}"]


def _is_pairs(value: Any) -> bool:
    """A PTP-shaped table: code -> {code: modifier indicator (an integer)}."""
    return isinstance(value, Mapping) and all(
        isinstance(v, Mapping)
        and all(isinstance(x, int) and not isinstance(x, bool) for x in v.values())
        for v in value.values()
    )


def _pairs_diff(old: Mapping[str, Any], new: Mapping[str, Any]) -> list[str]:
    out = []
    for first in sorted(set(old) | set(new)):
        a, b = old.get(first, {}), new.get(first, {})
        for second in sorted(set(a) | set(b)):
            if second not in a:
                out.append(f"pair {first} x {second} added (indicator {b[second]})")
            elif second not in b:
                out.append(f"pair {first} x {second} deleted (was indicator {a[second]})")
            elif a[second] != b[second]:
                out.append(f"pair {first} x {second} indicator {a[second]} -> {b[second]}")
    return out


def _mapping_diff(old: Mapping[str, Any], new: Mapping[str, Any], prefix: str = "") -> list[str]:
    """Keys added, deleted and changed; a changed mapping lists its own changed keys."""
    out = []
    for key in sorted(set(old) | set(new), key=str):
        name = f"{prefix}{key}"
        if key not in old:
            out.append(f"{name} added: {_show(new[key])}")
        elif key not in new:
            out.append(f"{name} deleted (was {_show(old[key])})")
        elif isinstance(old[key], Mapping) and isinstance(new[key], Mapping) and not prefix:
            out.extend(_mapping_diff(old[key], new[key], f"{name} "))
        elif old[key] != new[key]:
            out.append(f"{name}: {_show(old[key])} -> {_show(new[key])}")
    return out


def _show(value: Any) -> str:
    if isinstance(value, tuple):
        value = list(value)
    return str(value)


def _load_codeset(table: DataTable, values: Mapping[str, Any]) -> str:
    path = codeset_path(Path(table.file), str(values["codeset"]))
    try:
        return gunzip_text(path.read_bytes())
    except (OSError, ValueError) as exc:
        raise PackImportError(f"{path}: cannot read the code set: {exc}") from None


def _codeset_diff(
    a: DataTable, old: Mapping[str, Any], b: DataTable, new: Mapping[str, Any], side: Side
) -> list[str]:
    old_text, new_text = _load_codeset(a, old), _load_codeset(b, new)
    if old_text.startswith(TABLE_HEADER):
        return _icd_diff(parse_code_table(old_text), parse_code_table(new_text), side.icd10)
    return _hcpcs_diff(old_text, new_text, side.codes)


def _icd_diff(old: dict[str, bool], new: dict[str, bool], refs: tuple[str, ...]) -> list[str]:
    added = sorted(set(new) - set(old))
    deleted = sorted(set(old) - set(new))
    changed = sorted(c for c in set(old) & set(new) if old[c] != new[c])
    out = [f"{len(added)} codes added, {len(deleted)} deleted, {len(changed)} changed billable"]

    def relevant(code: str) -> bool:
        return any(code.startswith(r) or r.startswith(code) for r in refs)

    for code in added:
        if relevant(code):
            out.append(f"{code} added ({'billable' if new[code] else 'not billable'})")
    for code in deleted:
        if relevant(code):
            out.append(f"{code} deleted")
    for code in changed:
        if relevant(code):
            now = "billable" if new[code] else "a category (not billable)"
            out.append(f"{code} is now {now}")
    return out


def _hcpcs_diff(old_text: str, new_text: str, codes: frozenset[str]) -> list[str]:
    old, new = parse_hcpcs_set(old_text), parse_hcpcs_set(new_text)
    added = sorted(set(new) - set(old))
    deleted = sorted(set(old) - set(new))
    changed = sorted(c for c in set(old) & set(new) if old[c] != new[c])
    out = [f"{len(added)} codes added, {len(deleted)} gone, {len(changed)} changed"]
    for code in added:
        if code in codes:
            out.append(f"{code} added: {new[code].description}")
    for code in deleted:
        if code in codes:
            out.append(f"{code} no longer in the file")
    for code in changed:
        if code not in codes:
            continue
        a, b = old[code], new[code]
        if a.terminated != b.terminated and b.terminated:
            out.append(f"{code} terminated {b.terminated}")
        if a.description != b.description:
            out.append(f"{code} descriptor: {a.description!r} -> {b.description!r}")
        if (a.terminated, a.description) == (b.terminated, b.description):
            out.append(f"{code} dates or action changed: action {b.action or '-'}")
    return out
