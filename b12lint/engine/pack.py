"""Rule packs: a folder of rule files, data tables and an optional ``pack.yaml`` manifest.

Layout::

    rules/<pack>/pack.yaml               # optional: name, version, description, extends, severity
    rules/<pack>/data/<table>.yaml       # policy data with source and (dated) effective versions
    rules/<pack>/examples/<RULE-ID>.yaml # optional: the pack's own examples for an inherited rule
    rules/<pack>/**/<RULE-ID>.yaml       # one rule a file, named after its id

Every file is validated against its JSON Schema when loaded; a pack that ``extends`` another
inherits its rules, data and example sets, replaces rules by id, data tables by name and a
rule's examples by rule id, and may override severities. ``extends`` names a pack (a sibling
folder or a built-in pack), never a path. A folder without ``pack.yaml`` is a pack named after
the folder.
"""

from __future__ import annotations

import datetime as dt
import json
import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path
from typing import Any

import yaml

from b12lint import safeyaml
from b12lint.engine.codegen import Generated, with_generated
from b12lint.engine.datatable import DataTable, Version, check_versions, freeze
from b12lint.engine.errors import PackError, RuleError
from b12lint.engine.packcache import documents
from b12lint.engine.rule import Rule, compile_rule
from b12lint.resources import builtin_dir, schema_path

MANIFEST = "pack.yaml"
DATA_DIR = "data"
EXAMPLES_DIR = "examples"
_PACK_NAME = re.compile(r"[a-z0-9][a-z0-9._-]*")
MAX_RULE_FILE_BYTES = 1_000_000
#: How rule conditions run: Python source generated from the rules and compiled (the
#: default), or the closures of :mod:`b12lint.engine.compiler` (the oracle, for debugging).
ENGINES = ("generated", "closures")
DEFAULT_ENGINE = "generated"


@dataclass
class PackSource:
    """A pack as read from disk, merged with what it extends, before compilation."""

    name: str
    version: str
    description: str
    path: Path
    extends: str | None = None
    chain: tuple[str, ...] = ()
    data: dict[str, DataTable] = field(default_factory=dict)
    rules: dict[str, tuple[str, Mapping[str, Any]]] = field(default_factory=dict)
    severity: dict[str, str] = field(default_factory=dict)
    examples: dict[str, tuple[str, Mapping[str, Any]]] = field(default_factory=dict)


@dataclass(frozen=True)
class Pack:
    """A compiled pack: its rules (inherited ones included) and its data tables."""

    name: str
    version: str
    description: str
    path: Path
    chain: tuple[str, ...]
    rules: tuple[Rule, ...]
    data: Mapping[str, DataTable]
    extends: str | None = None
    severity: Mapping[str, str] = field(default_factory=dict)
    """Severity overrides of the manifest (and of the packs it extends), by rule id."""
    engine: str = DEFAULT_ENGINE
    generated: Generated | None = field(default=None, repr=False, compare=False)
    """The generated source of the pack's rules (engine ``generated``), for debugging."""

    def info(self) -> dict[str, Any]:
        """The ``rulesets`` entry of the JSON report."""
        return {"name": self.name, "version": self.version, "rules": len(self.rules)}


@cache
def _validator(name: str) -> Any:
    import jsonschema  # on first use: a run whose pack documents are cached never needs it

    schema = json.loads(schema_path(name).read_text(encoding="utf-8"))
    cls = jsonschema.validators.validator_for(schema)
    cls.check_schema(schema)
    return cls(schema, format_checker=cls.FORMAT_CHECKER)


def _json_path(path: Iterable[Any]) -> str:
    out = ""
    for part in path:
        out += f"[{part}]" if isinstance(part, int) else (f".{part}" if out else str(part))
    return out


def validate_document(doc: Any, schema: str) -> str | None:
    """Validate against ``schemas/<schema>.schema.json``; return a one-line problem or None."""
    from jsonschema.exceptions import best_match

    validator = _validator(schema)
    errors = list(validator.iter_errors(_jsonable(doc)))
    if not errors:
        return None
    error = best_match(errors)
    # "is not valid under any of the given schemas" names no key: descend into the branch
    # that matched the value's type (an operator mapping with an unknown operator key).
    while error.context:
        specific = [e for e in error.context if e.validator != "type"]
        if not specific:
            break
        error = best_match(specific)
    where = _json_path(error.absolute_path)
    return f"{where}: {error.message}" if where else error.message


def _jsonable(value: Any) -> Any:
    """YAML dates become ISO strings so the JSON Schema can check them."""
    if isinstance(value, dict):
        return {str(k): _jsonable(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_jsonable(v) for v in value]
    if isinstance(value, dt.date):
        return value.isoformat()
    return value


def parse_yaml(text: str) -> Any:
    """One YAML document as data (:func:`b12lint.safeyaml.load`: libyaml's safe loader when
    present, about 4x faster than the pure-Python one on rule packs, behind the same checks)."""
    return safeyaml.load(text)


def _inside(path: Path, root: Path) -> None:
    """Refuse a file that is not inside its pack folder once links are followed.

    ``path`` is ``root`` joined with names found in it: when none of those names is a link,
    it is inside (two ``lstat`` calls for a rule file instead of resolving both paths, which
    was a third of reading a cached pack); otherwise both are resolved and compared."""
    parts, base = path.parts, root.parts
    if len(parts) > len(base) and parts[: len(base)] == base:
        step = root
        for name in parts[len(base) :]:
            if name in (".", ".."):
                break
            step = step / name
            if step.is_symlink():
                break
        else:
            return
    if not path.resolve().is_relative_to(root.resolve()):
        raise PackError(str(path), "a link that leaves the pack folder is refused")


def _read_bytes(path: Path) -> bytes:
    try:
        if path.stat().st_size > MAX_RULE_FILE_BYTES:
            raise PackError(str(path), f"larger than {MAX_RULE_FILE_BYTES} bytes")
        return path.read_bytes()
    except OSError as exc:
        raise PackError(str(path), f"cannot read: {exc}") from None


def _load(path: Path, schema: str, empty: Any = None) -> tuple[Any, str | None]:
    """A pack file's document (``empty`` for an empty file, when given) and its schema
    problem (None: valid). A valid document is cached (:mod:`b12lint.engine.packcache`):
    the same bytes are not parsed or checked twice."""
    data = _read_bytes(path)
    cached = documents()
    doc = cached.get(schema, data)
    if doc is not None:
        return doc, None
    doc = _parse_file(path, data)
    if doc is None and empty is not None:
        doc = empty
    problem = validate_document(doc, schema)
    if problem is None:
        cached.put(schema, data, doc)
    return doc, problem


def _parse_file(path: Path, data: bytes) -> Any:
    try:
        return parse_yaml(data.decode("utf-8"))
    except (OSError, UnicodeDecodeError) as exc:
        raise PackError(str(path), f"cannot read: {exc}") from None
    except yaml.YAMLError as exc:
        problem = str(exc).replace("\n", " ")
        raise PackError(str(path), f"invalid YAML: {problem}") from None
    except (ValueError, TypeError) as exc:  # a scalar the safe loader cannot build (2024-13-01)
        raise PackError(str(path), f"invalid YAML value: {exc}") from None


def _as_date(value: Any) -> dt.date | None:
    if value is None or isinstance(value, dt.date):
        return value
    return dt.date.fromisoformat(str(value))


def _version(spec: Mapping[str, Any], source: str) -> Version:
    eff = spec["effective"]
    start = _as_date(eff.get("from"))
    assert start is not None  # required by the schema
    return Version(
        start=start,
        end=_as_date(eff.get("to")),
        values=freeze(spec["values"]),
        source=str(spec.get("source") or source).strip(),
    )


def _table_shape(doc: Any) -> str | None:
    """A clearer message than the schema's ``oneOf`` for the two table shapes."""
    if not isinstance(doc, dict):
        return None
    if "versions" in doc:
        if "values" in doc or "effective" in doc:
            return "use either versions or effective + values, not both"
        return None
    if "values" not in doc:
        return "values (or versions) is required"
    if "effective" not in doc:
        return "effective is required with values"
    return None


def read_data(path: Path) -> DataTable:
    """Read and validate one data table file."""
    doc, invalid = _load(path, "data")
    problem = _table_shape(doc) or invalid
    if problem:
        raise PackError(str(path), problem)
    source = doc["source"].strip()
    specs = doc.get("versions", [doc])
    versions = tuple(_version(spec, source) for spec in specs)
    problem = check_versions(versions)
    if problem:
        raise PackError(str(path), problem)
    return DataTable(
        name=path.stem,
        description=doc["description"].strip(),
        source=source,
        versions=versions,
        file=str(path),
    )


def _read_examples(path: Path) -> tuple[str, Mapping[str, Any]]:
    doc, problem = _load(path, "examples")
    if problem:
        raise PackError(str(path), problem, path.stem)
    return str(path), doc


def _rule_files(root: Path) -> list[Path]:
    files = []
    for path in sorted(root.rglob("*")):
        rel = path.relative_to(root)
        if path.suffix not in (".yaml", ".yml") or not path.is_file():
            continue
        if rel.parts[0] in (DATA_DIR, EXAMPLES_DIR) or rel.as_posix() == MANIFEST:
            continue
        if any(part.startswith(".") for part in rel.parts):
            continue  # .git/, editor folders: never rules
        _inside(path, root)  # the file, or a folder on its way, may be a link
        files.append(path)
    return files


def resolve_pack(ref: str, near: Path | None = None) -> Path:
    """Find a pack by name: a sibling of ``near``, then a built-in pack."""
    if not _PACK_NAME.fullmatch(ref):
        raise PackError(str(near or ref), f"extends: {ref!r} is not a pack name (no paths)")
    candidates = []
    if near is not None:
        candidates.append(near.parent / ref)
    candidates.append(builtin_dir("rules") / ref)
    for candidate in candidates:
        if candidate.is_dir():
            return candidate
    raise PackError(str(near or ref), f"extends: no pack named {ref!r}")


def locate_pack(ref: Path | str) -> Path:
    """A pack folder, or a built-in pack by name (``--rules b12-commercial-example``)."""
    path = Path(ref)
    if path.is_dir():
        return path
    text = str(ref)
    if _PACK_NAME.fullmatch(text):
        builtin = builtin_dir("rules") / text
        if builtin.is_dir():
            return builtin
    raise PackError(text, "no such rule pack folder or built-in pack")


def read_pack(path: Path, _seen: tuple[str, ...] = ()) -> PackSource:
    """Read a pack folder and everything it extends, merged, without compiling rules."""
    path = Path(path)
    if not path.is_dir():
        raise PackError(str(path), "not a rule pack folder")
    manifest: dict[str, Any] = {}
    manifest_path = path / MANIFEST
    if manifest_path.is_file():
        _inside(manifest_path, path)
        manifest, problem = _load(manifest_path, "pack", empty={})
        if problem:
            raise PackError(str(manifest_path), problem)
    name = manifest.get("name", path.name)
    if name in _seen:
        raise PackError(str(manifest_path), f"extends cycle: {' -> '.join((*_seen, name))}")
    base: PackSource | None = None
    if manifest.get("extends"):
        base = read_pack(resolve_pack(manifest["extends"], path), (*_seen, name))
    pack = PackSource(
        name=name,
        version=str(manifest.get("version", "0")),
        description=str(manifest.get("description", "")).strip(),
        path=path,
        extends=manifest.get("extends"),
        chain=(*(base.chain if base else ()), name),
        data=dict(base.data) if base else {},
        rules=dict(base.rules) if base else {},
        severity=dict(base.severity) if base else {},
        examples=dict(base.examples) if base else {},
    )
    data_dir = path / DATA_DIR
    if data_dir.is_dir():
        for data_file in sorted(data_dir.glob("*.y*ml")):
            _inside(data_file, path)
            table = read_data(data_file)
            pack.data[table.name] = table
    own: set[str] = set()
    for rule_file in _rule_files(path):
        doc, problem = _load(rule_file, "rule")
        rule_id = doc.get("id") if isinstance(doc, dict) else None
        if problem:
            raise PackError(str(rule_file), problem, rule_id if isinstance(rule_id, str) else None)
        if rule_file.stem != rule_id:
            raise PackError(str(rule_file), f"the file must be named {rule_id}.yaml", rule_id)
        if rule_id in own:
            raise PackError(str(rule_file), "duplicate rule id in this pack", rule_id)
        own.add(rule_id)
        pack.rules[rule_id] = (str(rule_file), doc)
        pack.examples.pop(rule_id, None)  # a redefined rule brings its own examples
    examples_dir = path / EXAMPLES_DIR
    if examples_dir.is_dir():
        for example_file in sorted(examples_dir.glob("*.y*ml")):
            if example_file.stem not in pack.rules:
                raise PackError(str(example_file), f"no rule {example_file.stem!r} in this pack")
            _inside(example_file, path)
            pack.examples[example_file.stem] = _read_examples(example_file)
    for rule_id, severity in (manifest.get("severity") or {}).items():
        if rule_id not in pack.rules:
            raise PackError(str(manifest_path), f"severity: no rule {rule_id!r} in this pack")
        pack.severity[rule_id] = severity
    return pack


def compile_pack(source: PackSource, engine: str = DEFAULT_ENGINE) -> Pack:
    """Compile every rule of a merged pack against the pack's (merged) data tables, as
    closures, then (engine ``generated``) as generated code with the closures as oracle."""
    if engine not in ENGINES:
        raise PackError(str(source.path), f"unknown engine {engine!r} (known: closures, generated)")
    rules: list[Rule] = []
    for rule_id in sorted(source.rules):
        file, doc = source.rules[rule_id]
        try:
            rule = compile_rule(doc, source.data, source.name, file)
        except RuleError as exc:
            raise PackError(file, str(exc), rule_id) from None
        except RecursionError:
            raise PackError(file, "expressions nested too deeply", rule_id) from None
        if rule_id in source.examples:
            example_file, examples = source.examples[rule_id]
            rule = rule.with_examples(examples, example_file)
        override = source.severity.get(rule_id)
        if override == "off":
            continue
        if override:
            rule = rule.with_severity(override)
        rules.append(rule)
    generated: Generated | None = None
    if engine == "generated":
        compiled, generated = with_generated(rules)
        rules = list(compiled)
    return Pack(
        name=source.name,
        version=source.version,
        description=source.description,
        path=source.path,
        chain=source.chain,
        rules=tuple(rules),
        data=dict(source.data),
        extends=source.extends,
        severity=dict(source.severity),
        engine=engine,
        generated=generated,
    )


def load_pack(path: Path | str, engine: str = DEFAULT_ENGINE) -> Pack:
    """Read, validate and compile a pack folder (``engine``: ``generated`` or ``closures``)."""
    return compile_pack(read_pack(Path(path)), engine)


def builtin_pack_paths() -> list[Path]:
    """The built-in packs, sorted by name."""
    root = builtin_dir("rules")
    return sorted(p for p in root.iterdir() if p.is_dir() and not p.name.startswith("."))
