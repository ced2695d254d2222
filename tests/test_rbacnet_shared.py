"""RBAC and network rules on the chart's own renders (../shared/; skipped when absent)."""

from __future__ import annotations

import pytest

from linter.engine import lint_paths
from linter.settings import Settings
from tests.conftest import shared_path


def findings(path) -> set[tuple[int, int, str]]:
    result = lint_paths([str(path)], Settings(select=("HL3", "HL5")))
    return {(d.line, d.column, d.rule_id) for d in result.diagnostics}


@pytest.mark.parametrize(
    "case, expected",
    [
        # The chart default binds cluster-admin (roleRef name of the ClusterRoleBinding) and ships no NetworkPolicy.
        ("default", {(38, 9, "HL301"), (73, 1, "HL501")}),
        ("ingress-multi-backend", {(38, 9, "HL301"), (77, 1, "HL501"), (151, 1, "HL505"), (151, 1, "HL506")}),
    ],
)
def test_chart_renders(case, expected):
    path = shared_path("reference", "headlamp", "chart-tests", case, "rendered.yaml")
    assert findings(path) == expected
