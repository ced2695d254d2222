"""Configuration files: discovery, loading with positions, validation, and merging with the command line.

A configuration is ``.headlamp-lint.yaml`` / ``.headlamp-lint.yml`` or the
``[tool.headlamp-lint]`` table of ``pyproject.toml``, found upward from the
working directory and no further than the repository root (the directory
holding ``.git``). In one directory the YAML file wins over ``pyproject.toml``.

YAML is read with ``linter.yamlpos`` so every error names its line and
column. TOML is read with ``tomllib`` (``tomli`` on Python 3.10), which keeps
no positions: errors point at the nearest key or flat-array item, found by
scanning the text (inside inline tables and nested arrays, at their key).

Precedence: built-in defaults < configuration file < command line.
``--select`` replaces the file's ``select``; ``--ignore``, ``--extend-select``
and ``--exclude`` add to the file's lists. Globs in a configuration file are
relative to the file's directory.
"""

from __future__ import annotations

import json
import os
import re
import stat
from pathlib import Path
from typing import Any

from linter.diagnostics import Severity
from linter.discover import is_excluded
from linter.errors import ConfigError, LintError, UsageError
from linter.records import field, record
from linter.source import DEFAULT_MAX_FILE_SIZE

CONFIG_NAMES = (".headlamp-lint.yaml", ".headlamp-lint.yml")
PYPROJECT = "pyproject.toml"
TOOL_KEY = "headlamp-lint"

CLI = "command line"
DEFAULT = "default"

# Settings with their built-in defaults, in the order `headlamp-lint config` prints them.
DEFAULTS: dict[str, Any] = {
    "select": [],
    "extend-select": [],
    "ignore": [],
    "fail-level": "warning",
    "exclude": [],
    "per-file-ignores": {},
    "files": {},
    "values-groups": [],
    "all-workloads": False,
    "chart-version": None,
    "headlamp-images": [],
    "max-file-size": DEFAULT_MAX_FILE_SIZE,
    "follow-symlinks": False,
    "suppressions.require-reason": True,
    "suppressions.values-annotations": False,
}

KeyPath = tuple  # a path inside the config data: keys and list indexes


class ConfigErrors(LintError):
    """Several located configuration errors; each prints as its own line."""

    def __init__(self, errors: list[ConfigError]):
        self.errors = errors
        super().__init__("\n".join(str(e) for e in errors))


@record
class RawConfig:
    """A configuration file's data with the position of every key and value."""

    path: Path
    display: str
    data: dict[str, Any]
    values: dict[KeyPath, tuple[int, int]] = field(default_factory=dict)  # path -> (line, column) of the value
    keys: dict[KeyPath, tuple[int, int]] = field(default_factory=dict)  # path -> (line, column) of its key

    def where(self, path: KeyPath, key: bool = False) -> tuple[int, int]:
        """The position of ``path`` (its key if asked), or of its nearest located ancestor."""
        table = self.keys if key else self.values
        for end in range(len(path), -1, -1):
            sub = tuple(path[:end])
            if sub in table:
                return table[sub]
            if sub in self.values:
                return self.values[sub]
        return (1, 1)

    def error(self, path: KeyPath, message: str, key: bool = False) -> ConfigError:
        line, column = self.where(path, key)
        return ConfigError(message, self.display, line, column)

    def source(self, path: KeyPath) -> str:
        line, _ = self.where(path, key=True)
        return f"{self.display}:{line}"


# --- discovery ---------------------------------------------------------------


def _pyproject_has_table(path: Path) -> bool:
    try:
        text = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError):
        return False
    return re.search(r"^\s*\[\s*tool\s*\.\s*[\"']?headlamp-lint\b", text, re.M) is not None


def _is_file(path: Path) -> bool:
    """Whether ``path`` is a file; a folder the search may not look into is an error, not "no file":
    linting with the defaults while a configuration sits there would be a silent wrong result."""
    try:
        return stat.S_ISREG(os.stat(path).st_mode)
    except (FileNotFoundError, NotADirectoryError):
        return False
    except OSError as exc:
        raise ConfigError(f"cannot look for a configuration file here: {exc.strerror or exc} (pass --config FILE,"
                          " or --isolated for the defaults)", str(path.parent)) from None


def find_config(start: Path) -> Path | None:
    """The nearest configuration file from ``start`` upward, stopping at the repository root."""
    directory = Path(os.path.abspath(start))
    while True:
        for name in CONFIG_NAMES:
            candidate = directory / name
            if _is_file(candidate):
                return candidate
        pyproject = directory / PYPROJECT
        if _is_file(pyproject) and _pyproject_has_table(pyproject):
            return pyproject
        if os.path.lexists(directory / ".git") or directory.parent == directory:
            return None
        directory = directory.parent


def display_of(path: Path, cwd: Path) -> str:
    """The config file's path for messages: relative to the working directory (``../x`` when above it)."""
    try:
        return Path(os.path.relpath(os.path.abspath(path), os.path.abspath(cwd))).as_posix()
    except ValueError:  # another drive on Windows
        return Path(os.path.abspath(path)).as_posix()


# --- loading -------------------------------------------------------------------


def load_config(path: Path, cwd: Path) -> RawConfig:
    display = display_of(path, cwd)
    try:
        data = path.read_bytes()
    except OSError as exc:
        raise ConfigError(f"cannot read configuration: {exc.strerror or exc}", display) from None
    try:
        text = data.decode("utf-8-sig").replace("\r\n", "\n")
    except UnicodeDecodeError as exc:
        raise ConfigError(f"invalid UTF-8 at byte {exc.start}", display) from None
    if path.suffix == ".toml":
        return _load_toml(path, display, text)
    return _load_yaml(path, display, text)


def _load_yaml(path: Path, display: str, text: str) -> RawConfig:
    from linter.yamlpos import MapNode, ScalarNode, SeqNode, load

    loaded = load(text)
    problems = list(loaded.problems) + [p for d in loaded.documents for p in d.problems]
    if problems:
        raise ConfigErrors(
            [ConfigError(p.message, display, p.span.line, p.span.column) for p in sorted(problems, key=lambda p: p.span)]
        )
    documents = [d for d in loaded.documents if d.root is not None]
    if len(documents) > 1:
        span = documents[1].span
        raise ConfigError("a configuration file holds one YAML document", display, span.line, span.column)
    raw = RawConfig(path, display, {})
    if not documents or (isinstance(documents[0].root, ScalarNode) and documents[0].root.value is None):
        return raw  # an empty file is an empty configuration
    root = documents[0].root
    if not isinstance(root, MapNode):
        raise ConfigError("the configuration must be a mapping of settings", display, root.span.line, root.span.column)

    def plain(node, at: KeyPath) -> Any:
        raw.values[at] = (node.span.line, node.span.column)
        if isinstance(node, MapNode):
            out = {}
            for key, value in node.entries:
                name = key.value if isinstance(key.value, str) else key.raw
                raw.keys[at + (name,)] = (key.span.line, key.span.column)
                out[name] = plain(value, at + (name,))
            return out
        if isinstance(node, SeqNode):
            return [plain(item, at + (i,)) for i, item in enumerate(node.items)]
        return node.value

    raw.data = plain(root, ())
    return raw


_TOML_KEY_PART = r"(?:\"[^\"]*\"|'[^']*'|[A-Za-z0-9_-]+)"
# Patterns, compiled on first use (re caches them): only a pyproject.toml needs them.
_TOML_HEADER = rf"^\s*\[\s*({_TOML_KEY_PART}(?:\s*\.\s*{_TOML_KEY_PART})*)\s*\]"
_TOML_ASSIGN = rf"^(\s*)({_TOML_KEY_PART}(?:\s*\.\s*{_TOML_KEY_PART})*)\s*=\s*"


def _toml_parts(dotted: str) -> tuple[str, ...]:
    return tuple(
        part.strip()[1:-1] if part.strip()[:1] in "\"'" else part.strip()
        for part in re.findall(rf"{_TOML_KEY_PART}", dotted)
    )


_TOML_ITEM = r"\"(?:[^\"\\]|\\.)*\"|'[^']*'|[^\s,\[\]#]+|[\[\]#]"


def _toml_array_items(raw: RawConfig, array: tuple[KeyPath, int], number: int, line: str, start: int):
    """Locate the items of a flat array of scalars; returns the array still open, or None once closed."""
    at, index = array
    depth = 0 if start else 1  # the first call starts at the opening bracket
    for token in re.compile(_TOML_ITEM).finditer(line, start):
        text = token.group(0)
        if text == "#":
            break
        if text == "[":
            depth += 1
            if depth > 1:
                return None  # nested arrays: keep the key's position for everything inside
            continue
        if text == "]":
            return None
        raw.values.setdefault(at + (index,), (number, token.start() + 1))
        index += 1
    return (at, index)


def _load_toml(path: Path, display: str, text: str) -> RawConfig:
    try:
        import tomllib
    except ModuleNotFoundError:  # Python 3.10: the same parser, published as tomli
        import tomli as tomllib  # type: ignore[no-redef]
    try:
        document = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        match = re.search(r"\(at line (\d+), column (\d+)\)", str(exc))
        if match:
            line, column = int(match.group(1)), int(match.group(2))
        else:  # "(at end of document)"
            lines = text.splitlines() or [""]
            line, column = len(lines), len(lines[-1]) + 1
        message = re.sub(r"\s*\(at (line \d+, column \d+|end of document)\)", "", str(exc))
        raise ConfigError(f"invalid TOML: {message}", display, line, column) from None
    raw = RawConfig(path, display, {})
    # pyproject.toml holds the settings in [tool.headlamp-lint]; another TOML file (--config) at its top.
    prefix: tuple[str, ...] = ("tool", TOOL_KEY) if path.name == PYPROJECT else ()
    data: Any = document
    for part in prefix:
        data = data.get(part) if isinstance(data, dict) else None
    if data is None:
        return raw
    # tomllib keeps no positions: find each key's line by scanning the text.
    table: tuple[str, ...] | None = None if prefix else ()
    array: tuple[KeyPath, int] | None = None  # an open flat array: its path and the next item's index
    for number, line in enumerate(text.splitlines(), start=1):
        header = re.match(_TOML_HEADER, line)
        if header and not line.lstrip().startswith("[["):
            parts = _toml_parts(header.group(1))
            table = parts[len(prefix):] if parts[: len(prefix)] == prefix else None
            if table is not None:
                column = line.index("[") + 1
                raw.keys.setdefault(table, (number, column))
                raw.values.setdefault(table, (number, column))
            continue
        if array is not None:
            array = _toml_array_items(raw, array, number, line, 0)
            continue
        assign = re.match(_TOML_ASSIGN, line)
        if assign and table is not None:
            at = table + _toml_parts(assign.group(2))
            raw.keys.setdefault(at, (number, len(assign.group(1)) + 1))
            raw.values.setdefault(at, (number, assign.end() + 1))
            if line[assign.end():].startswith("["):
                array = _toml_array_items(raw, (at, 0), number, line, assign.end())
    if not isinstance(data, dict):
        raise raw.error((), f"[tool.{TOOL_KEY}] must be a table")
    raw.data = data
    return raw


# --- validation ----------------------------------------------------------------


def packaged_schema() -> dict[str, Any]:
    from importlib import resources

    return json.loads((resources.files("linter") / "schemas" / "config.schema.json").read_text(encoding="utf-8"))


def _dotted(path: KeyPath) -> str:
    out = ""
    for part in path:
        out += f"[{part}]" if isinstance(part, int) else (f".{part}" if out else str(part))
    return out or "(top level)"


def _suggest(word: str, choices: list[str]) -> str:
    import difflib

    close = difflib.get_close_matches(word, choices, n=1, cutoff=0.6)
    return f"; did you mean {close[0]!r}?" if close else ""


def validate(raw: RawConfig) -> None:
    """Raise ConfigErrors (every error, located) unless the data fits the schema and names known rules."""
    import jsonschema

    schema = packaged_schema()
    validator = jsonschema.Draft202012Validator(schema)
    errors: list[ConfigError] = []
    for error in validator.iter_errors(raw.data):
        at = tuple(error.absolute_path)
        if error.validator == "additionalProperties" and isinstance(error.instance, dict):
            allowed = list(error.schema.get("properties", {}))
            for name in error.instance:
                if name in allowed:
                    continue
                if at == ("rules",):
                    what = f"unknown rule {name!r}"
                elif len(at) == 2 and at[0] == "rules":
                    what = f"unknown option {name!r} for {at[1]}"
                else:
                    what = f"unknown setting {name!r}" + (f" in {_dotted(at)}" if at else "")
                errors.append(raw.error(at + (name,), f"{what}{_suggest(str(name), allowed)}", key=True))
            continue
        if error.validator == "pattern" and "rule id" in str(error.schema.get("description", "")):
            continue  # _check_rules reports it as an unknown rule, with a suggestion
        if error.validator == "pattern" and at == ("chart-version",):
            errors.append(raw.error(at, f"chart-version: {error.instance!r} is not a chart version (like 0.30.0)"))
            continue
        errors.append(raw.error(at, f"{_dotted(at)}: {error.message}"))
    errors.extend(_check_rules(raw))
    if errors:
        unique = {str(e): e for e in errors}
        raise ConfigErrors(sorted(unique.values(), key=lambda e: (e.line or 0, e.column or 0, str(e))))


def _check_rules(raw: RawConfig) -> list[ConfigError]:
    """Selectors that match no rule, and a rule configured both by id and by name."""
    from linter.rules import all_rules, find_rule
    from linter.settings import _matches

    known = [(r.id, r.name) for r in all_rules()]
    names = [n for pair in known for n in pair]
    errors = []
    lists: list[tuple[KeyPath, Any]] = [((key,), raw.data.get(key)) for key in ("select", "extend-select", "ignore")]
    per_file = raw.data.get("per-file-ignores")
    if isinstance(per_file, dict):
        lists += [(("per-file-ignores", glob), value) for glob, value in per_file.items()]
    for at, selectors in lists:
        if not isinstance(selectors, list):
            continue
        for i, selector in enumerate(selectors):
            if isinstance(selector, str) and not any(_matches(rid, name, selector) for rid, name in known):
                errors.append(raw.error(at + (i,), f"unknown rule {selector!r}{_suggest(selector, names)}"))
    rules = raw.data.get("rules")
    if isinstance(rules, dict):
        seen: dict[str, str] = {}
        for key in rules:
            rule = find_rule(str(key)) if isinstance(key, str) else None
            if rule is None:
                continue
            if rule.id in seen:
                errors.append(
                    raw.error(("rules", key), f"{rule.id} is configured twice (as {seen[rule.id]} and {key})", key=True)
                )
            seen[rule.id] = str(key)
    return errors


# --- effective configuration ----------------------------------------------------


@record(frozen=True)
class Overrides:
    """Settings given on the command line; None (or empty) means not given."""

    select: tuple[str, ...] = ()
    extend_select: tuple[str, ...] = ()
    ignore: tuple[str, ...] = ()
    fail_level: str | None = None
    exclude: tuple[str, ...] = ()
    all_workloads: bool | None = None
    chart_version: str | None = None
    max_file_size: int | None = None
    follow_symlinks: bool | None = None


@record
class Effective:
    """The merged configuration: each setting's value and where it came from."""

    values: dict[str, Any]
    sources: dict[str, str]
    config: RawConfig | None = None
    cli_exclude: tuple[str, ...] = ()
    rules: dict[str, dict[str, tuple[Any, str]]] = field(default_factory=dict)  # id -> setting -> (value, source)

    @property
    def config_root(self) -> str | None:
        return str(self.config.path.parent) if self.config else None


def _file_value(raw: RawConfig, name: str) -> tuple[Any, KeyPath] | None:
    path = tuple(name.split("."))
    node: Any = raw.data
    for part in path:
        if not isinstance(node, dict) or part not in node:
            return None
        node = node[part]
    return node, path


def resolve(overrides: Overrides, config: RawConfig | None) -> Effective:
    values = dict(DEFAULTS)
    sources = {name: DEFAULT for name in DEFAULTS}
    if config is not None:
        for name in DEFAULTS:
            found = _file_value(config, name)
            if found is not None:
                values[name], sources[name] = found[0], config.source(found[1])
    if overrides.select:
        values["select"], sources["select"] = list(overrides.select), CLI
    for name, extra in (("extend-select", overrides.extend_select), ("ignore", overrides.ignore)):
        if extra:
            values[name] = list(values[name]) + list(extra)
            sources[name] = CLI if sources[name] == DEFAULT else f"{sources[name]} + {CLI}"
    for name, given in (
        ("fail-level", overrides.fail_level),
        ("all-workloads", overrides.all_workloads),
        ("chart-version", overrides.chart_version),
        ("max-file-size", overrides.max_file_size),
        ("follow-symlinks", overrides.follow_symlinks),
    ):
        if given is not None:
            values[name], sources[name] = given, CLI
    effective = Effective(values, sources, config, tuple(overrides.exclude))
    if overrides.exclude:
        sources["exclude"] = CLI if sources["exclude"] == DEFAULT else f"{sources['exclude']} + {CLI}"
    effective.rules = _rule_settings(config)
    return effective


def _rule_settings(config: RawConfig | None) -> dict[str, dict[str, tuple[Any, str]]]:
    from linter.rules import all_rules, find_rule

    out: dict[str, dict[str, tuple[Any, str]]] = {}
    for rule in all_rules():
        out[rule.id] = {"severity": (str(rule.meta.severity), DEFAULT)}
        for option in rule.meta.options:
            out[rule.id][option.name] = (option.default, DEFAULT)
    rules = config.data.get("rules") if config else None
    if isinstance(rules, dict) and config is not None:
        for key, settings in rules.items():
            rule = find_rule(str(key))
            if rule is None or not isinstance(settings, dict):
                continue
            for name, value in settings.items():
                out.setdefault(rule.id, {})[name] = (value, config.source(("rules", key, name)))
    return out


def settings_kwargs(effective: Effective) -> dict[str, Any]:
    """Keyword arguments for ``Settings`` from the effective configuration."""
    v = effective.values
    severity_overrides: dict[str, Severity] = {}
    rule_options: dict[str, dict[str, Any]] = {}
    for rule_id, items in effective.rules.items():
        for name, (value, source) in items.items():
            if name == "severity":
                if source != DEFAULT:
                    severity_overrides[rule_id] = Severity.parse(value)
            elif source != DEFAULT:
                rule_options.setdefault(rule_id, {})[name] = value
    return {
        "select": tuple(v["select"]),
        "extend_select": tuple(v["extend-select"]),
        "ignore": tuple(v["ignore"]),
        "fail_level": Severity.parse(v["fail-level"]),
        "exclude": effective.cli_exclude,
        "config_exclude": tuple(v["exclude"]) if effective.config else (),
        "per_file_ignores": tuple((glob, tuple(sel)) for glob, sel in v["per-file-ignores"].items()),
        "file_kinds": tuple(v["files"].items()),
        "values_groups": tuple(tuple(group) for group in v["values-groups"]),
        "all_workloads": bool(v["all-workloads"]),
        "chart_version": v["chart-version"],
        "headlamp_images": tuple(v["headlamp-images"]),
        "max_file_size": int(v["max-file-size"]),
        "follow_symlinks": bool(v["follow-symlinks"]),
        "require_suppression_reason": bool(v["suppressions.require-reason"]),
        "values_annotation_suppressions": bool(v["suppressions.values-annotations"]),
        "severity_overrides": severity_overrides,
        "rule_options": rule_options,
        "config_root": effective.config_root,
    }


def load_effective(overrides: Overrides, config_path: Path | None, isolated: bool, cwd: Path | None = None) -> Effective:
    """Find (or take), load and validate the configuration, then merge the command line over it."""
    cwd = Path(os.path.abspath(cwd or Path.cwd()))
    if isolated and config_path is not None:
        raise UsageError("--isolated and --config exclude each other")
    raw = None
    if config_path is not None:
        if not config_path.is_file():
            raise UsageError(f"--config {config_path}: no such file")
        raw = load_config(config_path, cwd)
    elif not isolated:
        found = find_config(cwd)
        if found is not None:
            raw = load_config(found, cwd)
    if raw is not None:
        validate(raw)
    return resolve(overrides, raw)


# --- paths relative to the configuration ------------------------------------------


def root_relative(display: str, root: str | None) -> str:
    """``display`` (relative to the working directory) as a path relative to the config file's directory."""
    if root is None:
        return display
    relative = os.path.relpath(os.path.abspath(display), root).replace(os.sep, "/")
    return display if relative.startswith("../") or relative == ".." else relative


def glob_matches(display: str, patterns: tuple[str, ...], root: str | None) -> bool:
    return is_excluded(root_relative(display, root), patterns)


# --- presentation -------------------------------------------------------------------


def render_effective(effective: Effective) -> str:
    """The effective configuration as YAML, each value commented with where it came from."""
    lines = []
    if effective.config is not None:
        lines.append(f"# configuration file: {effective.config.display}")
    else:
        lines.append("# configuration file: none (built-in defaults)")
    nested: dict[str, list[tuple[str, Any, str]]] = {}
    for name, value in effective.values.items():
        if "." in name:
            parent, child = name.split(".", 1)
            nested.setdefault(parent, []).append((child, value, effective.sources[name]))
            continue
        lines.append(f"{name}: {json.dumps(value)}  # {effective.sources[name]}")
    if effective.cli_exclude:
        lines.append(f"# exclude (command line, relative to the working directory): {json.dumps(list(effective.cli_exclude))}")
    for parent, children in nested.items():
        lines.append(f"{parent}:")
        for child, value, source in children:
            lines.append(f"  {child}: {json.dumps(value)}  # {source}")
    lines.append("rules:")
    for rule_id in sorted(effective.rules):
        lines.append(f"  {rule_id}:")
        for name, (value, source) in effective.rules[rule_id].items():
            lines.append(f"    {name}: {json.dumps(value)}  # {source}")
    return "\n".join(lines) + "\n"


def effective_json(effective: Effective) -> str:
    document = {
        "config_file": effective.config.display if effective.config else None,
        "settings": {name: {"value": effective.values[name], "source": effective.sources[name]} for name in effective.values},
        "command_line_exclude": list(effective.cli_exclude),
        "rules": {
            rule_id: {name: {"value": value, "source": source} for name, (value, source) in items.items()}
            for rule_id, items in sorted(effective.rules.items())
        },
    }
    return json.dumps(document, indent=2) + "\n"


def starter_config() -> str:
    """The commented configuration ``headlamp-lint init`` writes; every line is valid as it stands."""
    from linter.rules import all_rules

    lines = [
        "# headlamp-lint configuration. Schema: schemas/config.schema.json (headlamp-lint config shows the",
        "# effective settings and where each comes from). Command-line flags override this file.",
        "",
        "# Rules by id (HL401), prefix (HL4) or name (run-as-root). Default: every rule.",
        "# select: [ALL]",
        "# extend-select: []",
        "ignore: []",
        "",
        "# Exit 1 when a finding is at or above this severity: error, warning or info.",
        "fail-level: warning",
        "",
        "# Globs, relative to this file.",
        "exclude: []",
        "# per-file-ignores:",
        "#   'legacy/*.yaml': [HL405, HL407]",
        "",
        "# How to read files: manifest or values; values files layered in order, like helm -f a -f b.",
        "# files:",
        "#   'deploy/values*.yaml': values",
        "# values-groups:",
        "#   - [deploy/values.yaml, deploy/values-prod.yaml]",
        "# chart-version: 0.30.0",
        "",
        "# Apply the container, RBAC and network rules to every workload, not only Headlamp.",
        "all-workloads: false",
        "",
        "suppressions:",
        "  # Report (HL007) a '# headlamp-lint: disable=...' without '-- reason'.",
        "  require-reason: true",
        "  # Let headlamp-lint.io/ignore in a values file's podAnnotations/deploymentAnnotations suppress.",
        "  values-annotations: false",
        "",
        "# Per-rule severity and options (by id or name); uncomment the block to change them.",
        "# The options and their defaults:",
        "# rules:",
    ]
    for rule in all_rules():
        if not rule.meta.options:
            continue
        lines.append(f"#   {rule.id}:  # {rule.name}")
        lines.append(f"#     severity: {rule.meta.severity}")
        for option in rule.meta.options:
            lines.append(f"#     {option.name}: {json.dumps(option.default)}")
    return "\n".join(lines) + "\n"
