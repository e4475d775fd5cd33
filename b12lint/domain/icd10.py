"""ICD-10-CM (FY2026, April 1, 2026 update) code status and descendant matching.

The code set ships as ``data/icd10cm_2026.txt.gz`` (≈85 KB), built by
``scripts/build_icd10_table.py`` from simple-icd-10-cm 1.5.0 (which ships CMS's
``code-list-April-2026.txt`` and ``icd10c-tabular-April-1-2026.xml``). Format, gzip'd ASCII:

- lines starting with ``#``: header (format version, source, derivation, counts);
- then one line per 3-character category: ``CAT[*] TAB NB TAB B`` where ``*`` marks a
  category that is not billable, ``NB`` / ``B`` are space-separated suffixes of the category's
  non-billable / billable descendants (code = ``CAT + suffix``, no dots).

Every category, subcategory and 7th-character code is listed (chapters and blocks are not), so
a valid but non-billable code ("D51") is told apart from an unknown one ("D51.00"). Billable
means a leaf of the tabular tree. Loading is lazy: the file is read on the first status call
(≈3-6 ms) and each category's line is expanded the first time a code of it is asked for.
"""

import re
from collections.abc import Callable, Iterable, Iterator, Mapping
from functools import lru_cache
from itertools import groupby

from b12lint.domain._data import read_data

__all__ = [
    "BILLABLE",
    "CATEGORY",
    "INVALID",
    "TABLE_HEADER",
    "CodeTable",
    "code_table_lines",
    "compile_icd10_patterns",
    "icd10_matches",
    "icd10_status",
    "normalize_icd10",
    "parse_code_table",
]

BILLABLE = "billable"
CATEGORY = "category"
INVALID = "invalid"

DATA_FILE = "icd10cm_2026.txt.gz"
_FORMAT_HEADER = "# b12lint ICD-10-CM code table, format 1\n"
#: The first line of a format-1 code table (the shipped one, a pack's imported releases).
TABLE_HEADER = _FORMAT_HEADER
#: A code as charted once spaces are removed: 3 characters, then an optional dot and 1-4 more.
_SHAPE = re.compile(r"[A-Z][0-9A-Z]{2}(?:\.?[0-9A-Z]{1,4}|\.)?")
_PATTERN_SHAPE = re.compile(r"[A-Z][0-9A-Z]{2}(?:\.?[0-9A-Z]{1,4})?")

#: Category -> its raw table line (None until the table is first needed).
_INDEX: dict[str, str] | None = None
#: Category -> {code: billable}, filled one category at a time.
_EXPANDED: dict[str, dict[str, bool]] = {}


def index_lines(text: str, what: str) -> dict[str, str]:
    """Category -> its raw line, from a format-1 table's text (ValueError: not such a table)."""
    if not text.startswith(_FORMAT_HEADER):
        raise ValueError(f"{what}: not a format-1 b12lint ICD-10-CM table")
    index: dict[str, str] = {}
    for line in text.splitlines():
        if line and not line.startswith("#"):
            index[line.split("\t", 1)[0].rstrip("*")] = line
    return index


def _read_index() -> dict[str, str]:
    import gzip  # lazy: only when a code is first looked up

    return index_lines(gzip.decompress(read_data(DATA_FILE)).decode("ascii"), DATA_FILE)


def _index() -> dict[str, str]:
    global _INDEX  # a lazily loaded module cache
    if _INDEX is None:
        _INDEX = _read_index()
    return _INDEX


def expand(
    index: Mapping[str, str], expanded: dict[str, dict[str, bool]], category: str
) -> dict[str, bool] | None:
    """{code: billable} for one 3-character category of a table (``index``: its lines),
    expanded on first use into ``expanded``; None when the category doesn't exist."""
    table = expanded.get(category)
    if table is not None:
        return table
    line = index.get(category)
    if line is None:
        return None
    table = category_codes(line)
    expanded[category] = table  # a race only recomputes the same table
    return table


def _category(category: str) -> dict[str, bool] | None:
    """{code: billable} for one category of the shipped table."""
    return expand(_index(), _EXPANDED, category)


def status_in(table: Mapping[str, bool] | None, bare: str) -> str:
    """The status of a bare code given its category's codes (None: no such category)."""
    billable = None if table is None else table.get(bare)
    if billable is None:
        return INVALID
    return BILLABLE if billable else CATEGORY


class CodeTable:
    """A format-1 table other than the shipped one (a pack's imported release): its category
    lines, each expanded the first time a code of it is asked for."""

    __slots__ = ("_expanded", "_index")

    def __init__(self, text: str, what: str) -> None:
        self._index = index_lines(text, what)
        self._expanded: dict[str, dict[str, bool]] = {}

    def status(self, bare: str) -> str:
        """``billable``, ``category`` or ``invalid`` for a bare code (:func:`bare_code`)."""
        return status_in(expand(self._index, self._expanded, bare[:3]), bare)

    def __len__(self) -> int:
        """The number of categories."""
        return len(self._index)


def category_codes(line: str) -> dict[str, bool]:
    """One category line of a format-1 table as {code: billable}."""
    head, not_billable, billable = line.split("\t")
    category = head.rstrip("*")
    table = {category: not head.endswith("*")}
    table.update((category + suffix, False) for suffix in not_billable.split())
    table.update((category + suffix, True) for suffix in billable.split())
    return table


def parse_code_table(text: str) -> dict[str, bool]:
    """Every code of a format-1 table's text -> billable (ValueError: not such a table)."""
    if not text.startswith(_FORMAT_HEADER):
        raise ValueError("not a format-1 b12lint ICD-10-CM code table")
    codes: dict[str, bool] = {}
    for line in text.splitlines():
        if line and not line.startswith("#"):
            codes.update(category_codes(line))
    return codes


def code_table_lines(codes: Mapping[str, bool]) -> Iterator[str]:
    """The category lines of a format-1 table for ``codes`` (every code's 3-character
    category among them), in code order: ``CAT['*' if not billable] TAB NB TAB B``."""
    for category, group in groupby(sorted(codes), key=lambda c: c[:3]):
        rest = [c for c in group if c != category]
        head = category if codes[category] else category + "*"
        not_billable = " ".join(c[3:] for c in rest if not codes[c])
        billable = " ".join(c[3:] for c in rest if codes[c])
        yield f"{head}\t{not_billable}\t{billable}\n"


def _iter_table() -> Iterator[tuple[str, bool]]:
    """Every (code, billable) pair of the shipped table (for tests and tools)."""
    for category in _index():
        table = _category(category)
        if table is not None:
            yield from table.items()


@lru_cache(maxsize=4096)
def normalize_icd10(code: str) -> str:
    """Upper-case ``code`` without spaces and dots: ``" d51.0"`` -> ``"D510"``."""
    return "".join(code.split()).replace(".", "").upper()


@lru_cache(maxsize=4096)
def bare_code(code: str) -> str | None:
    """``code`` without spaces and its dot, upper-case, when it is code-shaped (a dot only
    after the third character), else None: ``" d51.0"`` -> ``"D510"``."""
    compact = "".join(code.split()).upper()
    if _SHAPE.fullmatch(compact) is None:
        return None
    return compact.replace(".", "")


def base_status(bare: str) -> str:
    """The status of a bare code (:func:`bare_code`) in the shipped FY2026 table."""
    return status_in(_category(bare[:3]), bare)


@lru_cache(maxsize=4096)
def _status(code: str) -> str:
    bare = bare_code(code)
    return INVALID if bare is None else base_status(bare)


def icd10_status(code: object) -> str:
    """``"billable"`` (a leaf, valid on a claim), ``"category"`` (valid, has children: not
    billable) or ``"invalid"`` (not in the FY2026 code set, not text, or not code-shaped).

    Case and spaces are ignored; a dot is allowed only after the third character.
    """
    if not isinstance(code, str):
        return INVALID
    return _status(code)


def _compile(patterns: Iterable[str]) -> Callable[[str], bool]:
    prefixes: set[str] = set()
    for pattern in patterns:
        compact = "".join(pattern.split()).upper() if isinstance(pattern, str) else None
        if compact is None or _PATTERN_SHAPE.fullmatch(compact) is None:
            raise ValueError(f"not an ICD-10-CM code pattern: {pattern!r}")
        prefixes.add(compact.replace(".", ""))
    ordered = tuple(sorted(prefixes))

    def matches(code: str) -> bool:
        return isinstance(code, str) and normalize_icd10(code).startswith(ordered)

    return matches


_compile_cached = lru_cache(maxsize=256)(_compile)


def compile_icd10_patterns(patterns: Iterable[str]) -> Callable[[str], bool]:
    """A predicate: is a code one of ``patterns`` or a descendant of one (prefix match)?

    A pattern is a code with or without its dot ("D51", "E53.8"). Raises ValueError for a
    pattern that is not code-shaped. Matchers for a tuple or frozenset are cached.
    """
    if isinstance(patterns, str):
        patterns = (patterns,)
    if isinstance(patterns, (tuple, frozenset)):
        try:
            return _compile_cached(patterns)
        except TypeError:  # an unhashable item, which _compile reports as a bad pattern
            pass
    return _compile(patterns)


def icd10_matches(code: str, patterns: Iterable[str]) -> bool:
    """Whether ``code`` is one of ``patterns`` or a descendant of one.

    "D51" matches "D51.0" and "D519"; "E53.8" matches "E538" only. Pass a tuple or frozenset
    to reuse the cached matcher.
    """
    if not isinstance(patterns, (tuple, frozenset, str)):
        patterns = tuple(patterns)
    return compile_icd10_patterns(patterns)(code)
