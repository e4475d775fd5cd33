"""The one error of the policy layer: an input file, or a pack, that does not fit."""

from __future__ import annotations


class LayoutError(ValueError):
    """A published file that does not fit its layout: the file, line and column that did not.

    ``line`` and ``column`` are 1-based (``None`` when the problem is the whole file); for a
    delimited or spreadsheet file the column is the field number, named when the header is known.
    """

    def __init__(
        self,
        file: str,
        message: str,
        line: int | None = None,
        column: int | None = None,
        column_name: str | None = None,
    ) -> None:
        self.file = file
        self.line = line
        self.column = column
        self.column_name = column_name
        self.message = message
        super().__init__(str(self))

    def __str__(self) -> str:
        where = self.file
        if self.line is not None:
            where += f":{self.line}"
            if self.column is not None:
                where += f":{self.column}"
        named = f" ({self.column_name})" if self.column_name else ""
        return f"{where}{named}: {self.message}"


class PackImportError(ValueError):
    """An import that would damage the pack (overlapping versions, no codes, bad dates)."""
