"""Which files may be Headlamp values, from their name, the configured file kinds or a glance at their keys.

Kept apart from ``linter.values.detect`` (which reads ``Chart.yaml`` and the
chart data) so the engine can tell a manifest from a possible values file
without importing the values machinery: most files are manifests. Values
names: ``values*.yaml``, ``*.values.yaml``, ``*-values.yaml``,
``*_values.yaml`` and any ``.yaml`` in a folder named ``values``. A file of
another name may still be values by its content: ``may_hold_values`` is the
cheap first look (one mapping, no ``apiVersion``/``kind``, a top-level key
of the Headlamp chart), ``detect.looks_like_headlamp_values`` the real test.
"""

from __future__ import annotations

import fnmatch
import re
from pathlib import PurePosixPath

VALUES_NAME = re.compile(r"^(values[^/]*|[^/]*[._-]values)\.ya?ml$")
VALUES_FOLDER = "values"

# Top-level keys of the Headlamp chart that a values file of it nearly always sets, and that are rare at
# the top level of anything else without apiVersion/kind (CI configs, compose files, other tools' configs).
HINT_KEYS = frozenset(("config", "clusterRoleBinding", "pluginsManager", "podSecurityContext", "serviceAccount",
                       "persistentVolumeClaim", "extraManifests", "httpRoute"))


def has_values_name(display: str) -> bool:
    path = PurePosixPath(display)
    if VALUES_NAME.match(path.name):
        return True
    return path.parent.name == VALUES_FOLDER and path.suffix in (".yaml", ".yml")


def may_hold_values(display: str, documents: list) -> bool:
    """A first look at a parsed file whose name is not a values file's: one mapping without apiVersion/kind
    that has a top-level key of the Headlamp chart, or any key in a file named ``*headlamp*`` (``yamlpos``
    documents; nothing is imported)."""
    roots = [d.root for d in documents if d.root is not None]
    if len(roots) != 1:
        return False
    index = getattr(roots[0], "index", None)
    if not index or ("apiVersion" in index and "kind" in index):
        return False
    return not HINT_KEYS.isdisjoint(index) or "headlamp" in PurePosixPath(display).name.lower()


def configured_kind(display: str, file_kinds: tuple[tuple[str, str], ...]) -> str | None:
    """The kind a configured glob gives this path ("values" or "manifest"), the last match winning."""
    kind = None
    name = PurePosixPath(display).name
    for pattern, value in file_kinds:
        if fnmatch.fnmatchcase(display, pattern) or fnmatch.fnmatchcase(name, pattern):
            kind = value
    return kind


def may_be_values(display: str, file_kinds: tuple[tuple[str, str], ...]) -> bool:
    """False when a file found or named on the command line is surely not values: a glob says it is
    a manifest, or no glob says it is values and its name is not a values file's."""
    kind = configured_kind(display, file_kinds)
    if kind == "manifest":
        return False
    return kind == "values" or has_values_name(display)
