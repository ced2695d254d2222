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


@lru_cache(maxsize=None)
def load_json(name: str) -> Any:
    data = pkgutil.get_data(__package__, name)
    if data is None:  # a loader that cannot read data files
        raise FileNotFoundError(f"{__package__}/{name}")
    return json.loads(data.decode("utf-8"))
