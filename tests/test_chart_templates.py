"""The chart model mirrors the chart's templates: one module per template file, each naming its changes.

``linter/data/chart/templates.json`` (``scripts/update_chart_templates.py``)
lists which template files each chart release added, modified or removed.
A release that touches a template fails here until the module that encodes
it names that release (having been reviewed against the template's diff).
"""

from __future__ import annotations

import json

import pytest

from linter.data import read_text
from linter.values import chart
from linter.values.templates import MODULES, NOT_ENCODED, TEMPLATES


def _changes() -> dict[str, dict[str, list[str]]]:
    return json.loads(read_text("data/chart/templates.json"))


def _files_at(version: str) -> set[str]:
    files: set[str] = set()
    for release, change in _changes().items():
        files |= set(change["added"])
        files -= set(change["removed"])
        if release == version:
            return files
    raise AssertionError(f"{version} is not in templates.json")


def test_every_known_chart_release_has_its_template_changes_recorded():
    assert {r.version for r in chart.releases()} <= set(_changes())


def test_every_template_file_of_the_newest_chart_is_encoded_or_named_as_not_rendering_anything():
    files = _files_at(chart.newest().version)
    assert files == set(MODULES) | set(NOT_ENCODED)
    assert not set(MODULES) & set(NOT_ENCODED)


@pytest.mark.parametrize("name", sorted(MODULES))
def test_a_module_names_its_template_file_and_every_release_that_changed_it(name):
    module = MODULES[name]
    doc = module.__doc__ or ""
    assert doc.startswith(f"``charts/headlamp/templates/{name}``"), doc[:80]
    releases = [v for v, change in _changes().items() if name in change["added"] + change["modified"]]
    missing = [v for v in releases if v not in doc]
    assert releases and not missing, f"{module.__name__} does not say what changed in {missing}"


def test_the_renderer_runs_every_template_module_once():
    assert len(set(TEMPLATES)) == len(TEMPLATES) == len(MODULES) - 1  # _helpers is called by the others
