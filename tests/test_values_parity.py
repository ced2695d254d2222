"""Parity: a values file and the chart's rendering of it give the same findings.

For each pair, linting ``values.yaml`` (chart 0.45.0, through headlamp-lint's
own rendering) and linting ``rendered.yaml`` (real Helm output, or for our own
pairs written by hand from the templates) must report the same set of
``(rule, object kind/namespace/name, container)`` findings. Locations differ
by design (values keys vs manifest fields), so they are not compared here;
tests/test_values.py checks them.
"""

from __future__ import annotations

import json
import re

import pytest

from tests.cli import invoke
from tests.conftest import FIXTURES, SHARED

# Rules that cannot see both sides equally, with the reason.
EXCEPTIONS: dict[str, str] = {
    "HL002": "unknown values keys exist only in values files",
    "HL003": "values schema violations exist only in values files",
    "HL005": "the rendered output never contains template syntax",
    "HL010": "a values file is not a Kubernetes object by design",
}

_CONTAINER = re.compile(r'container "([^"]+)"')


def findings(*args: str) -> set[tuple[str, str, str]]:
    result = invoke(["check", "-f", "json", "--exit-zero", "--all-workloads", *args])
    assert result.exit_code == 0, result.output
    out = set()
    for d in json.loads(result.stdout)["diagnostics"]:
        if d["rule"] in EXCEPTIONS:
            continue
        obj = d.get("object") or {}
        container = _CONTAINER.search(d["message"])
        out.add((d["rule"], f"{obj.get('kind')}/{obj.get('namespace')}/{obj.get('name')}",
                 container.group(1) if container else ""))
    return out


def _pairs():
    local = sorted((FIXTURES / "values" / "pairs").iterdir()) + sorted((FIXTURES / "values" / "chart-tests").iterdir())
    shared_dir = SHARED / "reference" / "headlamp" / "chart-tests"
    shared = sorted(shared_dir.iterdir()) if shared_dir.is_dir() else []
    return [pytest.param(p, id=f"{p.parent.parent.name}/{p.parent.name}/{p.name}" if p in shared else
                         f"{p.parent.name}/{p.name}") for p in local + shared if p.is_dir()]


@pytest.mark.parametrize("case", _pairs())
def test_values_and_rendered_output_give_the_same_findings(case):
    from_values = findings("--chart-version", "0.45.0", "--values", str(case / "values.yaml"))
    from_rendered = findings(str(case / "rendered.yaml"))
    assert from_values == from_rendered


def test_shared_chart_tests_are_all_covered():
    shared_dir = SHARED / "reference" / "headlamp" / "chart-tests"
    if not shared_dir.is_dir():
        pytest.skip(f"{shared_dir} is absent: the shared reference data only exists beside the development checkout")
    assert len([p for p in shared_dir.iterdir() if p.is_dir()]) >= 20


def test_own_pairs_cover_every_rule_that_fires_from_values():
    fired = set()
    for case in (FIXTURES / "values" / "pairs").iterdir():
        fired |= {rule for rule, _, _ in findings("--values", str(case / "values.yaml"))}
    assert {"HL008", "HL401", "HL402", "HL403", "HL404", "HL405", "HL406", "HL407", "HL408", "HL409", "HL410",
            "HL411", "HL412", "HL413", "HL414", "HL415"} <= fired
    # RBAC and network rules that fire from values (RULES.md "Where" V): own pairs rbac-network-*.
    assert {"HL301", "HL302", "HL307", "HL501", "HL502", "HL503", "HL504", "HL505", "HL506", "HL507", "HL508",
            "HL509"} <= fired
