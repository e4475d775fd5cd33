"""icd10_status, normalize_icd10, icd10_matches, compile_icd10_patterns and the shipped table."""

import gzip
from pathlib import Path

import pytest

from b12lint.domain import compile_icd10_patterns, icd10_matches, icd10_status, normalize_icd10
from b12lint.domain import icd10 as icd10_module

TABLE = Path(icd10_module.__file__).parent / "data" / icd10_module.DATA_FILE


@pytest.mark.parametrize(
    ("code", "normal"),
    [
        ("d51.0", "D510"),
        (" D51.0 ", "D510"),
        ("D51", "D51"),
        ("e53.8", "E538"),
        ("Z98.84", "Z9884"),
    ],
)
def test_normalize(code: str, normal: str) -> None:
    assert normalize_icd10(code) == normal


@pytest.mark.parametrize(
    ("code", "status"),
    [
        ("D51.0", "billable"),
        ("D510", "billable"),
        ("d51.0", "billable"),
        (" d51.0 ", "billable"),
        ("D51 .0", "billable"),
        ("D51", "category"),
        ("d51", "category"),
        ("D51.", "category"),
        ("D51.9", "billable"),
        ("E53.8", "billable"),
        ("E538", "billable"),
        ("E53", "category"),
        ("K90.0", "billable"),  # FY2026: K90.0 celiac disease is a leaf
        ("K90", "category"),
        ("K90.8", "category"),  # K90.81 ... K90.89 below it
        ("K90.89", "billable"),
        ("K91.2", "billable"),
        ("Z90.3", "billable"),
        ("Z98.84", "billable"),
        ("R53.83", "billable"),
        ("G63", "billable"),  # a 3-character category with no children
        ("C80.1", "billable"),
        ("S00.00XA", "billable"),  # 7th character with placeholder X
        ("S00.00", "category"),
        ("QA0.0101", "billable"),  # April 2026 addition: second character a letter
        ("XYZ", "invalid"),
        ("D51.00", "invalid"),
        ("D5100", "invalid"),
        ("D52", "category"),  # folate deficiency anemia
        ("U00", "invalid"),
        ("E53.2", "invalid"),
        ("O9A", "category"),  # a letter in third position
        ("U07.1", "billable"),
        ("D5.10", "invalid"),  # dot in the wrong place
        ("D51..0", "invalid"),
        ("D51-0", "invalid"),
        ("S00.00X", "invalid"),  # placeholder alone is not a code
        ("D51.0123", "invalid"),
        ("A00-A09", "invalid"),  # a block
        ("1", "invalid"),  # a chapter
        ("", "invalid"),
        ("   ", "invalid"),
        ("D", "invalid"),
        ("D51.0\u0301", "invalid"),
        (None, "invalid"),
        (510, "invalid"),
        (["D51.0"], "invalid"),
    ],
)
def test_status(code: object, status: str) -> None:
    assert icd10_status(code) == status


@pytest.mark.parametrize(
    ("code", "patterns", "expected"),
    [
        ("D51.0", ("D51",), True),
        ("D519", ["D51"], True),
        ("D51", ("D51",), True),
        ("d51.0", ("d51",), True),
        ("D52.0", ("D51",), False),
        ("E538", ("E53.8",), True),
        ("E53.8", ("E538",), True),
        ("E539", ("E53.8",), False),
        ("E53", ("E53.8",), False),
        ("K90.0", ("D51", "K90"), True),
        ("K90.89", frozenset({"K90.8"}), True),
        ("Z98.84", ("Z98.8",), True),
        ("D51.0", (), False),
        ("D51.0", "D51", True),  # a single pattern as text
        ("", ("D51",), False),
    ],
)
def test_matches(code: str, patterns: tuple[str, ...], expected: bool) -> None:
    assert icd10_matches(code, patterns) is expected
    assert compile_icd10_patterns(patterns)(code) is expected


def test_matches_accepts_a_generator() -> None:
    assert icd10_matches("D51.0", (p for p in ["E53", "D51"]))


def test_compiled_matcher_is_cached_for_tuples_and_frozensets() -> None:
    assert compile_icd10_patterns(("D51", "E53.8")) is compile_icd10_patterns(("D51", "E53.8"))
    group = frozenset({"D51", "E53.8"})
    assert compile_icd10_patterns(group) is compile_icd10_patterns(frozenset(group))


def test_non_text_code_does_not_match() -> None:
    matcher = compile_icd10_patterns(("D51",))
    assert matcher(None) is False  # type: ignore[arg-type]


@pytest.mark.parametrize("pattern", ["", "D", "D5", "D51.00000", "D51*", "D51-D53", "K90.x.1"])
def test_bad_pattern_is_an_error(pattern: str) -> None:
    with pytest.raises(ValueError, match="ICD-10-CM code pattern"):
        compile_icd10_patterns((pattern,))


@pytest.mark.parametrize("patterns", [[51], (51,), (["D51"],), ({"code": "D51"},), (None,)])
def test_non_text_pattern_is_an_error(patterns: object) -> None:
    with pytest.raises(ValueError, match="ICD-10-CM code pattern"):
        compile_icd10_patterns(patterns)  # type: ignore[arg-type]


def test_table_header_names_source_and_derivation() -> None:
    with gzip.open(TABLE, "rt", encoding="ascii") as fh:
        header = [line for line in fh.read().splitlines() if line.startswith("#")]
    text = "\n".join(header)
    assert header[0] == "# b12lint ICD-10-CM code table, format 1"
    assert "simple-icd-10-cm 1.5.0" in text
    assert "code-list-April-2026.txt" in text
    assert "FY2026" in text
    assert "scripts/build_icd10_table.py" in text


def test_table_is_compact() -> None:
    assert TABLE.stat().st_size < 300_000


def test_table_counts() -> None:
    codes = dict(icd10_module._iter_table())
    assert len(codes) == 98_186
    assert sum(codes.values()) == 74_719  # billable codes in the FY2026 April update
    assert codes["D510"] is True
    assert codes["D51"] is False


def test_table_agrees_with_simple_icd_10_cm() -> None:
    """Every code of the package has the same status here (skipped when it isn't installed)."""
    icd = pytest.importorskip("simple_icd_10_cm")
    expected: dict[str, bool] = {}
    for code in icd.get_all_codes(with_dots=True):
        if icd.is_category_or_subcategory(code):
            expected[code.replace(".", "")] = icd.is_leaf(code)
    assert dict(icd10_module._iter_table()) == expected
    for code in list(expected)[::97]:
        dotted = code if len(code) == 3 else f"{code[:3]}.{code[3:]}"
        assert icd10_status(dotted) == ("billable" if expected[code] else "category")
    for code in ["D5100", "XYZ", "E5381", "Z99999", "A001X"]:
        assert not icd.is_valid_item(code)
        assert icd10_status(code) == "invalid"
