"""Checks against ../shared/: the chart's own renders and the real-world corpus.

These skip with a reason when ../shared/ is absent (a user's clone); the
project's fixtures cover every rule without it.
"""

from __future__ import annotations

import pytest

from linter.engine import lint_paths
from linter.settings import Settings
from tests.conftest import shared_path

CONTAINER_RULES = {"HL404", "HL405", "HL407", "HL408", "HL412"}


def headlamp_container_rules(path) -> set[str]:
    result = lint_paths([str(path)], Settings())
    return {d.rule_id for d in result.diagnostics if d.key.startswith("containers[headlamp].")}


def test_chart_default_render_lacks_the_hardening_settings():
    path = shared_path("reference", "headlamp", "chart-tests", "default", "rendered.yaml")
    assert headlamp_container_rules(path) >= CONTAINER_RULES


def test_chart_security_context_render_has_them():
    path = shared_path("reference", "headlamp", "chart-tests", "security-context", "rendered.yaml")
    fired = headlamp_container_rules(path)
    assert not fired & {"HL404", "HL405", "HL407", "HL408"}
    assert "HL412" in fired


def test_every_corpus_file_loads_without_a_crash():
    corpus = shared_path("corpus")
    result = lint_paths([str(corpus)], Settings(all_workloads=True))
    assert result.files_checked > 1000
    assert not result.errors
    assert not [d for d in result.diagnostics if d.rule_id == "HL000"]


@pytest.mark.parametrize("name", ["kubernetes-headlamp.yaml", "kubernetes-headlamp-incluster-ci.yaml"])
def test_headlamp_samples_are_recognised(name):
    path = shared_path("reference", "headlamp", "samples", name)
    result = lint_paths([str(path)], Settings())
    assert any(d.rule_id.startswith("HL4") for d in result.diagnostics)
