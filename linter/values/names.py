"""Which files may be Headlamp values, from their name and the configured file kinds alone.

Kept apart from ``linter.values.detect`` (which reads ``Chart.yaml`` and the
chart data) so the engine can tell a manifest from a possible values file
without importing the values machinery: most files are manifests.
"""

from __future__ import annotations

import fnmatch
import re
from pathlib import PurePosixPath

VALUES_NAME = re.compile(r"^(values[^/]*|[^/]*\.values)\.ya?ml$")


def has_values_name(display: str) -> bool:
    return bool(VALUES_NAME.match(PurePosixPath(display).name))


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
