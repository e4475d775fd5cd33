"""The store is I/O outside the engine: imports point one way."""

from __future__ import annotations

import ast
from pathlib import Path

import b12lint

PACKAGE = Path(b12lint.__file__).parent


def _imports(folder: str) -> dict[str, set[str]]:
    out: dict[str, set[str]] = {}
    for path in sorted((PACKAGE / folder).glob("*.py")):
        names: set[str] = set()
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.ImportFrom) and node.module:
                names.add(node.module)
            elif isinstance(node, ast.Import):
                names.update(alias.name for alias in node.names)
        out[path.name] = {n for n in names if n.startswith("b12lint")}
    return out


def test_the_engine_never_imports_the_history_store() -> None:
    for name, modules in _imports("engine").items():
        assert not any(m.startswith("b12lint.history") for m in modules), name


def test_the_history_store_imports_no_reader_reporter_or_cli() -> None:
    found = _imports("history")
    assert "sqlite.py" in found and "postgres.py" in found
    for name, modules in found.items():
        for module in modules:
            assert module.split(".")[1] in {"history", "engine", "model"}, (name, module)
