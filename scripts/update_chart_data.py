#!/usr/bin/env python3
"""Maintainer script: derive the packaged Headlamp chart data from the reference copy.

Reads ``<reference>/chart/versions/values-<v>.yaml`` and
``values.schema-<v>.json`` for every chart release from MIN_VERSION on, and
the chart → appVersion/date table of ``<reference>/FACTS.md`` §1.5, and
writes:

- ``linter/data/chart/values-<v>.yaml`` and ``values.schema-<v>.json`` (verbatim copies);
- ``linter/data/chart/versions.json``: ``{"<chart>": {"appVersion": ..., "date": ...}}``;
- ``schemas/headlamp-values-<v>.strict.schema.json`` and the packaged copy in
  ``linter/schemas/``: the strict key tree (unknown keys are errors) used by HL002.

Usage: python scripts/update_chart_data.py [path/to/reference/headlamp]
"""

from __future__ import annotations

import json
import re
import shutil
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from linter.yamlpos import MapNode, SeqNode, load  # noqa: E402

MIN_VERSION = (0, 1, 0)

# Keys the chart reads but documents only in comments (or not at all in
# values.yaml): they have no default, yet they are not unknown from the chart
# version whose templates first read them (checked in the chart's history with
# `git grep` over the tags headlamp-helm-<v>); before it they are HL002.
# A schema of {} means free-form (any content).
COMMENTED_KEYS: dict[str, tuple[tuple[int, int, int], dict]] = {
    "env": ((0, 18, 2), {"type": ["array", "null"]}),
    "config.tlsCertPath": ((0, 36, 0), {"type": ["string", "null"]}),
    "config.tlsKeyPath": ((0, 36, 0), {"type": ["string", "null"]}),
    "securityContext.capabilities": ((0, 1, 0), {}),
    "securityContext.readOnlyRootFilesystem": ((0, 1, 0), {}),
    "securityContext.allowPrivilegeEscalation": ((0, 1, 0), {}),
    "securityContext.seccompProfile": ((0, 1, 0), {}),
    "service.externalTrafficPolicy": ((0, 28, 1), {"type": ["string", "null"]}),
    "pluginsManager.env": ((0, 36, 0), {"type": ["array", "null"]}),
    "pluginsManager.resources": ((0, 31, 0), {}),
}

# Keys values.yaml documents under one name while the templates read another (for chart versions
# [first, until)): the documented name is ignored by Helm (HL002), the name the template reads is known.
MISNAMED_KEYS: dict[str, tuple[tuple[int, int, int], tuple[int, int, int], str]] = {
    # pvc.yaml read `.Values.persistentVolumeClaim.storageClass` until chart 0.27.0
    "persistentVolumeClaim.storageClassName": ((0, 8, 0), (0, 27, 0), "storageClass"),
}

# Maps whose keys are the user's own (Kubernetes objects or free-form
# annotations): every key inside them is allowed.
FREE_FORM = {
    "securityContext",
    "podSecurityContext",
    "resources",
    "podAnnotations",
    "podLabels",
    "deploymentAnnotations",
    "nodeSelector",
    "affinity",
    "serviceAccount.annotations",
    "clusterRoleBinding.annotations",
    "service.annotations",
    "ingress.annotations",
    "ingress.labels",
    "httpRoute.annotations",
    "httpRoute.labels",
    "persistentVolumeClaim.annotations",
    "persistentVolumeClaim.selector",
    "pluginsManager.securityContext",
    "pluginsManager.resources",
    "config.clusterInventory.accessProvidersConfig",
    "config.extraArgs",  # a map before chart 0.23.0
}


def version_key(text: str) -> tuple[int, ...]:
    return tuple(int(p) for p in text.split("."))


def parse_versions(facts: str) -> dict[str, dict[str, str]]:
    """The §1.5 table: two chart/appVersion/date column groups per row."""
    section = facts.split("### 1.5", 1)[1].split("###", 1)[0]
    out: dict[str, dict[str, str]] = {}
    for line in section.splitlines():
        cells = [c.strip() for c in line.strip().strip("|").split("|")]
        if len(cells) != 6 or not re.match(r"\d", cells[0]):
            continue
        for chart, app, date in (cells[0:3], cells[3:6]):
            if "–" in chart:  # "0.42.0–0.45.0 | = chart | 2026-05-07 / 06-17 / ..."
                first, last = chart.split("–")
                dates = [d.strip() for d in date.split("/")]
                year = dates[0][:4]
                minor_first, minor_last = version_key(first)[1], version_key(last)[1]
                for i, minor in enumerate(range(minor_first, minor_last + 1)):
                    d = dates[i] if i < len(dates) else ""
                    if len(d) == 5:
                        d = f"{year}-{d}"
                    out[f"0.{minor}.0"] = {"appVersion": f"0.{minor}.0", "date": d}
                continue
            if re.fullmatch(r"\d+\.\d+\.\d+", chart):
                out[chart] = {"appVersion": app, "date": date}
    return out


def _to_python(node) -> object:
    if isinstance(node, MapNode):
        return {k.text: _to_python(v) for k, v in node.entries}
    if isinstance(node, SeqNode):
        return [_to_python(i) for i in node.items]
    return node.value


def strict_schema(values: dict, chart_schema: dict | None, version: tuple[int, ...]) -> dict:
    """A JSON schema whose maps reject unknown keys, from the defaults and the chart's own schema."""

    def merge_schema(a: dict, b: dict) -> dict:
        out = dict(a)
        for key, value in b.items():
            if key == "properties" and "properties" in out:
                props = dict(out["properties"])
                for name, sub in value.items():
                    props[name] = merge_schema(props.get(name, {}), sub) if name in props else sub
                out["properties"] = props
            else:
                out.setdefault(key, value)
        return out

    def from_value(value: object, path: str) -> dict:
        if path in FREE_FORM:
            return {"type": ["object", "null"]} if isinstance(value, dict) else {}
        if isinstance(value, dict):
            if not value:
                return {"type": ["object", "null"]}
            return {
                "type": ["object", "null"],
                "properties": {k: from_value(v, f"{path}.{k}" if path else k) for k, v in value.items()},
                "additionalProperties": False,
            }
        return {}

    def from_chart_schema(schema: dict, path: str) -> dict:
        # keep only the key tree (properties / items); constraints stay in the chart schema (HL003)
        out: dict = {}
        props = schema.get("properties")
        if isinstance(props, dict) and path not in FREE_FORM:
            out["properties"] = {k: from_chart_schema(v, f"{path}.{k}" if path else k) for k, v in props.items()}
            if schema.get("additionalProperties") is False:
                out["additionalProperties"] = False
        return out

    tree = from_value(values, "")
    if chart_schema:
        tree = merge_schema(tree, from_chart_schema(chart_schema, ""))
    for dotted, (since, sub) in COMMENTED_KEYS.items():
        if version < since:
            continue
        parts = dotted.split(".")
        node: dict | None = tree
        for part in parts[:-1]:  # a parent the version does not have stays unknown
            node = (node or {}).get("properties", {}).get(part)
        if node is not None and ("properties" in node or node.get("additionalProperties") is False):
            node.setdefault("properties", {}).setdefault(parts[-1], sub)
    for dotted, (first, until, read) in MISNAMED_KEYS.items():
        parent, _, documented = dotted.rpartition(".")
        holder = tree.get("properties", {}).get(parent, {}).get("properties")
        if first <= version < until and isinstance(holder, dict) and documented in holder:
            holder[read] = holder.pop(documented)
    tree.setdefault("properties", {})["global"] = {}  # Helm passes `global` to every chart
    tree["$schema"] = "https://json-schema.org/draft/2020-12/schema"
    tree["title"] = "Headlamp chart values: known keys (headlamp-lint HL002)"
    return tree


def main(argv: list[str]) -> int:
    reference = Path(argv[1]) if len(argv) > 1 else ROOT.parent / "shared" / "reference" / "headlamp"
    versions_dir = reference / "chart" / "versions"
    table = parse_versions((reference / "FACTS.md").read_text(encoding="utf-8"))
    data_dir = ROOT / "linter" / "data" / "chart"
    published = ROOT / "schemas"
    packaged = ROOT / "linter" / "schemas"
    for folder in (data_dir, published, packaged):
        folder.mkdir(parents=True, exist_ok=True)
    for old in data_dir.glob("values*"):
        old.unlink()
    index: dict[str, dict[str, str]] = {}
    for path in sorted(versions_dir.glob("values-*.yaml"), key=lambda p: version_key(p.stem[7:])):
        version = path.stem[len("values-"):]
        if version_key(version) < MIN_VERSION:
            continue
        if version not in table:
            raise SystemExit(f"{version}: not in the FACTS.md version table")
        shutil.copyfile(path, data_dir / path.name)
        schema_path = versions_dir / f"values.schema-{version}.json"
        chart_schema = None
        if schema_path.exists():
            shutil.copyfile(schema_path, data_dir / schema_path.name)
            chart_schema = json.loads(schema_path.read_text(encoding="utf-8"))
        index[version] = dict(table[version], schema=schema_path.exists())
        loaded = load(path.read_text(encoding="utf-8"))
        values = _to_python(loaded.documents[0].root) if loaded.documents else {}
        strict = strict_schema(values if isinstance(values, dict) else {}, chart_schema, version_key(version))
        text = json.dumps(strict, indent=1, sort_keys=True) + "\n"
        name = f"headlamp-values-{version}.strict.schema.json"
        (published / name).write_text(text, encoding="utf-8")
        (packaged / name).write_text(text, encoding="utf-8")
    (data_dir / "versions.json").write_text(json.dumps(index, indent=1, sort_keys=True) + "\n", encoding="utf-8")
    print(f"wrote {len(index)} chart versions to {data_dir.relative_to(ROOT)}")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
