"""DESIGN.md's one-way flow: model <- readers, model <- reporters, engine never imports
readers, reporters or the CLI; the model imports nothing of ours."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

PACKAGE = Path(__file__).resolve().parents[1] / "b12lint"

#: For each layer, the b12lint modules it may import (besides itself).
ALLOWED = {
    "model": set(),
    "domain": set(),
    # the domain is a leaf of pure functions: the FHIR reader pads NDCs with its normaliser
    "readers": {"model", "domain", "safeyaml"},
    "reporters": {"model"},
    "engine": {"model", "domain", "safeyaml", "resources"},
    # between the engine and the reporters: suppression re-tallies the engine's summary
    "suppress": {"model", "engine"},
    "redact": {"model"},
    # the history store is I/O beside the readers: it speaks the engine's Event
    "history": {"model", "engine"},
    # remittance feedback: the engine's views and packs, the 835 payments of the model
    "remit": {"model", "engine"},
    # the service: readers, the engine and reporters behind HTTP, the history store behind
    # ?record=true (the CLI wires its settings)
    "serve": {
        "model",
        "domain",
        "engine",
        "readers",
        "reporters",
        "history",
        "resources",
        "__version__",
    },
    # --jobs: readers and the engine in worker processes, merged in the parent
    "parallel": {"model", "engine", "readers", "redact"},
    # Spark: the same engine and shares in Spark tasks; its spark-submit script is a CLI
    "spark": {"model", "engine", "readers", "parallel", "cli", "__version__"},
    # data import/list/diff: published policy files into a pack's dated tables, read with the
    # engine's pack loader; safe YAML for table files, the domain's NDC normaliser
    "policy": {"engine", "domain", "safeyaml"},
}


def b12lint_imports(path: Path) -> set[str]:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    found: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            names = [node.module]
        elif isinstance(node, ast.Import):
            names = [alias.name for alias in node.names]
        else:
            continue
        for name in names:
            parts = name.split(".")
            if parts[0] == "b12lint" and len(parts) > 1:
                found.add(parts[1])
            elif parts[0] == "b12lint" and isinstance(node, ast.ImportFrom):
                found.update(alias.name for alias in node.names)
    return found


@pytest.mark.parametrize("layer", sorted(ALLOWED))
def test_layer_imports(layer: str) -> None:
    files = sorted((PACKAGE / layer).rglob("*.py"))
    assert files
    bad = {
        f"{path.relative_to(PACKAGE)} imports b12lint.{name}"
        for path in files
        for name in b12lint_imports(path) - ALLOWED[layer] - {layer}
    }
    assert sorted(bad) == []
