#!/usr/bin/env python3
"""Maintainer script: record which chart template files changed in each Headlamp chart release.

The reference copy (``reference/headlamp/chart/versions/``) holds only the
values and schemas of each release, not its templates, so this script reads
a git clone of ``kubernetes-sigs/headlamp``: for every release tag
``headlamp-helm-<version>`` (oldest first) it compares
``charts/headlamp/templates`` with the previous release's and writes
``linter/data/chart/templates.json``::

    {"<chart version>": {"added": [...], "modified": [...], "removed": [...]}, ...}

and ``linter/data/chart/template_keys.json``: every values key the templates
read (``.Values.a.b``, ``$oidc.x`` = ``config.oidc.x``, ``$clusterInventory.x``,
``hasKey .Values.a "b"``) that no template read in the first release, with
the first release whose templates read it or a key under it. The renderer
renders such a key only from that release on (``Context.v``).

The first release lists every template file as added. A release whose
templates did not change has three empty lists. Each template file maps to a
module of ``linter.values.templates`` (``tests/test_chart_templates.py``
checks that every file the newest release has is encoded or named as
rendering nothing), so a release that touches a template names the module to
review against ``git diff headlamp-helm-<previous> headlamp-helm-<version> --
charts/headlamp/templates/<file>``.

Usage: python scripts/update_chart_templates.py path/to/headlamp/clone
Runs only ``git`` on the clone the maintainer names (read-only commands).
"""

from __future__ import annotations

import json
import re
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
OUT = ROOT / "linter" / "data" / "chart" / "templates.json"
KEYS_OUT = ROOT / "linter" / "data" / "chart" / "template_keys.json"
TEMPLATES = "charts/headlamp/templates"
_TAG = re.compile(r"^headlamp-helm-(\d+)\.(\d+)\.(\d+)$")
_NAME = r"((?:\.[A-Za-z_][A-Za-z0-9_]*)+)"
# Template variables the chart binds to a values map.
_VARIABLES = {"$oidc": "config.oidc", "$clusterInventory": "config.clusterInventory", "$env": "env"}
_REFS = re.compile(r"\.Values" + _NAME + "|(" + "|".join(re.escape(v) for v in _VARIABLES) + ")" + _NAME)
_HAS_KEY = re.compile(r'hasKey\s+\.Values' + _NAME + r'\s+"([A-Za-z_][A-Za-z0-9_]*)"')


def git(clone: Path, *args: str) -> str:
    return subprocess.run(["git", "-C", str(clone), *args], check=True, capture_output=True, text=True).stdout


def release_tags(clone: Path) -> list[tuple[str, str]]:
    """(chart version, tag) for every chart release tag, oldest first."""
    found = []
    for tag in git(clone, "tag", "--list", "headlamp-helm-*").split():
        match = _TAG.match(tag)
        if match:
            found.append((tuple(int(p) for p in match.groups()), tag))
    return [(".".join(map(str, key)), tag) for key, tag in sorted(found)]


def template_files(clone: Path, tag: str) -> set[str]:
    out = git(clone, "ls-tree", "--name-only", f"{tag}:{TEMPLATES}")
    return {line for line in out.splitlines() if line}


def changes(clone: Path, before: str, after: str) -> dict[str, list[str]]:
    out: dict[str, list[str]] = {"added": [], "modified": [], "removed": []}
    names = {"A": "added", "M": "modified", "D": "removed"}
    listing = git(clone, "diff", "--name-status", "--no-renames", before, after, "--", TEMPLATES)
    for line in listing.splitlines():
        status, path = line.split("\t", 1)
        out[names[status[0]]].append(path.rsplit("/", 1)[-1])
    return {k: sorted(v) for k, v in out.items()}


def keys_read(text: str) -> set[str]:
    """The values keys (dotted, with every prefix) a template text reads."""
    found = set()
    for match in _REFS.finditer(text):
        if match.group(1):
            found.add(match.group(1)[1:])
        else:
            found.add(_VARIABLES[match.group(2)] + match.group(3))
    for match in _HAS_KEY.finditer(text):
        found.add(f"{match.group(1)[1:]}.{match.group(2)}")
    out = set()
    for key in found:
        parts = key.split(".")
        out |= {".".join(parts[:n]) for n in range(1, len(parts) + 1)}
    return out


def collect_keys(clone: Path) -> dict[str, str]:
    """values key -> the first release whose templates read it, for keys the first release did not read."""
    first: dict[str, str] = {}
    tags = release_tags(clone)
    for version, tag in tags:
        for name in template_files(clone, tag):
            for key in keys_read(git(clone, "show", f"{tag}:{TEMPLATES}/{name}")):
                first.setdefault(key, version)
    oldest = tags[0][0] if tags else ""
    return {key: version for key, version in sorted(first.items()) if version != oldest}


def collect(clone: Path) -> dict[str, dict[str, list[str]]]:
    data: dict[str, dict[str, list[str]]] = {}
    previous: str | None = None
    for version, tag in release_tags(clone):
        if previous is None:
            data[version] = {"added": sorted(template_files(clone, tag)), "modified": [], "removed": []}
        else:
            data[version] = changes(clone, previous, tag)
        previous = tag
    return data


def main(argv: list[str]) -> int:
    if len(argv) != 2:
        print(__doc__.strip().splitlines()[-2], file=sys.stderr)
        return 2
    clone = Path(argv[1])
    data = collect(clone)
    if not data:
        print(f"no headlamp-helm-* tags in {clone}", file=sys.stderr)
        return 1
    keys = collect_keys(clone)
    lines = ",\n".join(f" {json.dumps(k)}: {json.dumps(v)}" for k, v in data.items())
    text = "{\n" + lines + "\n}\n"
    keys_text = json.dumps(keys, indent=1) + "\n"
    if json.loads(text) != data or json.loads(keys_text) != keys:  # re-check what is about to be written
        print("refusing to write: the JSON does not read back", file=sys.stderr)
        return 1
    OUT.write_text(text, encoding="utf-8")
    KEYS_OUT.write_text(keys_text, encoding="utf-8")
    print(f"wrote {OUT.relative_to(ROOT)}: {len(data)} releases; {KEYS_OUT.relative_to(ROOT)}: {len(keys)} keys")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
