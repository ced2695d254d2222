"""Data shipped with the linter, read through the package's loader so wheels and zips find it.

``pkgutil.get_data`` rather than ``importlib.resources``: the latter imports
``zipfile``, ``tempfile`` and its readers, several milliseconds of every run's
start-up, for the same bytes.
"""

from __future__ import annotations

import json
import pkgutil
from functools import lru_cache
from typing import Any


def read_text(path: str) -> str:
    """A file shipped under ``linter/`` ("data/releases.json"), read as text mode reads it (UTF-8,
    universal newlines)."""
    data = pkgutil.get_data("linter", path)
    if data is None:  # a loader that cannot read data files
        raise FileNotFoundError(f"linter/{path}")
    return data.decode("utf-8").replace("\r\n", "\n").replace("\r", "\n")


@lru_cache(maxsize=None)
def load_json(name: str) -> Any:
    return json.loads(read_text(f"data/{name}"))
