"""The configuration file's JSON schema, generated from the rule registry.

Every rule's options (``RuleMeta.options``) become properties of its entry
under ``rules:`` (by id and by name), so a rule that gains an option needs
no edit here. The published copies (``schemas/config.schema.json`` and the
packaged ``linter/schemas/config.schema.json``) are this function's output;
a test keeps them identical. Regenerate them with::

    python -m linter.config_schema --write
"""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import Any

from linter.rules import all_rules
from linter.rules.base import Option

SCHEMA_ID = "https://headlamp-lint.invalid/schemas/config.schema.json"
_JSON_TYPES = {str: "string", bool: "boolean", int: "integer", float: "number"}


def _option_schema(option: Option) -> dict[str, Any]:
    schema: dict[str, Any] = {"type": option.type, "description": option.description}
    if option.type == "array" and isinstance(option.default, (list, tuple)) and option.default:
        # Options declare only "array"; the default tells the item type.
        item_type = _JSON_TYPES.get(type(option.default[0]))
        if item_type:
            schema["items"] = {"type": item_type}
    if option.type == "integer":
        schema["minimum"] = 0
    schema["default"] = list(option.default) if isinstance(option.default, tuple) else option.default
    return schema


def config_schema() -> dict[str, Any]:
    rules_props: dict[str, Any] = {}
    defs: dict[str, Any] = {
        "severity": {"enum": ["error", "warning", "info"]},
        "selector": {
            "type": "string",
            "description": "A rule id (HL401), a prefix (HL4), a rule name (run-as-root) or ALL.",
            "pattern": "^([Aa][Ll][Ll]|[Hh][Ll][0-9]{0,3}|[a-z0-9]+(-[a-z0-9]+)*)$",
        },
        "selectors": {"type": "array", "items": {"$ref": "#/$defs/selector"}},
        "globs": {"type": "array", "items": {"type": "string", "minLength": 1}},
    }
    for rule in all_rules():
        props: dict[str, Any] = {"severity": {"$ref": "#/$defs/severity"}}
        for option in rule.meta.options:
            props[option.name] = _option_schema(option)
        defs[f"rule-{rule.id}"] = {
            "type": "object",
            "description": f"{rule.id} {rule.name}: {rule.meta.title}",
            "properties": props,
            "additionalProperties": False,
        }
        rules_props[rule.id] = {"$ref": f"#/$defs/rule-{rule.id}"}
        rules_props[rule.name] = {"$ref": f"#/$defs/rule-{rule.id}"}
    return {
        "$schema": "https://json-schema.org/draft/2020-12/schema",
        "$id": SCHEMA_ID,
        "title": "headlamp-lint configuration (.headlamp-lint.yaml or [tool.headlamp-lint] in pyproject.toml)",
        "type": "object",
        "additionalProperties": False,
        "properties": {
            "select": {"$ref": "#/$defs/selectors", "description": "Rules to enable; default: all."},
            "extend-select": {"$ref": "#/$defs/selectors", "description": "Rules to enable on top of select."},
            "ignore": {"$ref": "#/$defs/selectors", "description": "Rules to disable."},
            "fail-level": {"$ref": "#/$defs/severity", "description": "Exit 1 at or above this severity."},
            "exclude": {"$ref": "#/$defs/globs", "description": "Paths to skip, relative to this file."},
            "per-file-ignores": {
                "type": "object",
                "description": "Glob (relative to this file) -> rules not reported in matching files.",
                "additionalProperties": {"$ref": "#/$defs/selectors"},
            },
            "files": {
                "type": "object",
                "description": "Glob -> how to read matching files: manifest or values.",
                "additionalProperties": {"enum": ["manifest", "values"]},
            },
            "values-groups": {
                "type": "array",
                "description": "Values files layered in order (like helm -f a.yaml -f b.yaml).",
                "items": {"type": "array", "items": {"type": "string", "minLength": 1}, "minItems": 1},
            },
            "all-workloads": {"type": "boolean", "description": "Apply generic rules to every workload."},
            "chart-version": {
                "type": "string",
                "description": "Headlamp chart version whose defaults apply to values files.",
                "pattern": "^v?[0-9]+\\.[0-9]+\\.[0-9]+([-+].*)?$",
            },
            "headlamp-images": {
                "type": "array",
                "description": "Extra image repository patterns that are Headlamp.",
                "items": {"type": "string", "minLength": 1},
            },
            "max-file-size": {"type": "integer", "minimum": 1, "description": "Skip larger files (bytes)."},
            "follow-symlinks": {"type": "boolean", "description": "Follow links out of scanned folders."},
            "suppressions": {
                "type": "object",
                "additionalProperties": False,
                "properties": {
                    "require-reason": {
                        "type": "boolean",
                        "description": "Report (HL007) a suppression without '-- reason'. Default true.",
                    },
                    "values-annotations": {
                        "type": "boolean",
                        "description": "Let headlamp-lint.io/ignore in a values file's podAnnotations or"
                        " deploymentAnnotations suppress findings. Default false.",
                    },
                },
            },
            "rules": {
                "type": "object",
                "description": "Per-rule severity and options, keyed by rule id or name.",
                "properties": rules_props,
                "additionalProperties": False,
            },
        },
        "$defs": defs,
    }


def schema_text() -> str:
    return json.dumps(config_schema(), indent=2, sort_keys=False) + "\n"


SCHEMA_FILES = ("schemas/config.schema.json", "linter/schemas/config.schema.json")


def main(argv: list[str]) -> int:
    root = Path(__file__).resolve().parent.parent
    text = schema_text()
    if "--write" in argv:
        for name in SCHEMA_FILES:
            path = root / name
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_text(text, encoding="utf-8")
        return 0
    sys.stdout.write(text)
    return 0


if __name__ == "__main__":  # pragma: no cover
    raise SystemExit(main(sys.argv[1:]))
