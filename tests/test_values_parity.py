"""Parity: a values file and the chart's rendering of it give the same findings.

For each pair, linting the values file (through headlamp-lint's own model of
the chart, ``--chart-version`` of the pair, release ``headlamp``, namespace
``default``) and linting the rendering (real Helm output, or for our own
pairs written by hand from the templates) must report the same set of
``(rule, object kind/namespace/name, container)`` findings. Locations differ
by design (values keys vs manifest fields), so they are not compared here;
tests/test_values.py and the rule fixtures check them.

Pairs:
- ``fixtures/values/pairs/``, ``chart-tests/`` and the shared ``chart-tests/``: our own pairs and the
  chart's golden tests (chart 0.45.0);
- ``fixtures/values/helm-pairs/``: the committed subset of the shared Helm pairs (every reproducer);
- every pair of the shared ``reference/headlamp/helm-pairs/`` for charts 0.25.0, 0.35.0, 0.40.1,
  0.45.0 and its reproducers (skipped where the shared data is absent).
"""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest

from tests.cli import invoke
from tests.conftest import FIXTURES, SHARED

# Rules that cannot see both sides equally, with the reason.
EXCEPTIONS: dict[str, str] = {
    "HL002": "unknown values keys exist only in values files",
    "HL003": "values schema violations exist only in values files",
    "HL005": "the rendered output never contains template syntax",
    "HL007": "a suppression comment in a values file does not survive rendering",
    "HL010": "an extraManifests item that is not an object is not rendered as one",
}

HELM_VERSIONS = ("0.25.0", "0.35.0", "0.40.1", "0.45.0")
SHARED_PAIRS = SHARED / "reference" / "headlamp" / "helm-pairs"
LOCAL_PAIRS = FIXTURES / "values" / "helm-pairs"

# Pairs whose parity needs the generic resolution of env valueFrom.secretKeyRef against the Secrets in the
# input (M01 agrees today only because neither side reads the chart Secret:
# tests/test_values_chart_secret.py holds the finding both sides must then report).
NEEDS_SECRET_REFS: dict[str, str] = {}

_CONTAINER = re.compile(r'container "([^"]+)"')


def findings(*args: str) -> set[tuple[str, str, str]]:
    result = invoke(["check", "-f", "json", "--exit-zero", "--no-cache", "--all-workloads", *args])
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
    """Our own pairs, the committed chart golden tests, and the shared golden tests (chart 0.45.0)."""
    local = sorted((FIXTURES / "values" / "pairs").iterdir()) + sorted((FIXTURES / "values" / "chart-tests").iterdir())
    shared_dir = SHARED / "reference" / "headlamp" / "chart-tests"
    shared = sorted(shared_dir.iterdir()) if shared_dir.is_dir() else []
    return [pytest.param(p, id=f"{p.parent.parent.name}/{p.parent.name}/{p.name}" if p in shared else
                         f"{p.parent.name}/{p.name}") for p in local + shared if p.is_dir()]


def _helm_pairs(root: Path, label: str) -> list:
    """(values file, chart version) of every pair under ``root``/<version> and ``root``/reproducers."""
    out = []
    for folder in (*HELM_VERSIONS, "reproducers"):
        for values in sorted((root / folder).glob("*.values.yaml")) if (root / folder).is_dir() else ():
            stem = values.name[: -len(".values.yaml")]
            version = stem.split("-")[1] if folder == "reproducers" else folder
            marks = ()
            if stem in NEEDS_SECRET_REFS:
                marks = (pytest.mark.xfail(strict=True, reason=NEEDS_SECRET_REFS[stem]),)
            out.append(pytest.param(values, version, id=f"{label}/{folder}/{stem}", marks=marks))
    return out


def _assert_parity(values: Path, version: str) -> None:
    rendered = values.with_name(values.name.replace(".values.yaml", ".rendered.yaml"))
    from_values = findings("--chart-version", version, "--release-name", "headlamp", "--namespace", "default",
                           "--values", str(values))
    from_rendered = findings(str(rendered))
    assert from_values == from_rendered, (
        f"values only: {sorted(from_values - from_rendered)}; rendered only: {sorted(from_rendered - from_values)}")


@pytest.mark.parametrize("case", _pairs())
def test_values_and_rendered_output_give_the_same_findings(case):
    from_values = findings("--chart-version", "0.45.0", "--values", str(case / "values.yaml"))
    from_rendered = findings(str(case / "rendered.yaml"))
    assert from_values == from_rendered


@pytest.mark.parametrize(("values", "version"), _helm_pairs(LOCAL_PAIRS, "fixtures"))
def test_committed_helm_pairs_give_the_same_findings(values, version):
    _assert_parity(values, version)


@pytest.mark.parametrize(("values", "version"), _helm_pairs(SHARED_PAIRS, "shared") or [
    pytest.param(None, None, marks=pytest.mark.skip(reason=f"{SHARED_PAIRS} is absent: the shared reference data"
                                                         " only exists beside the development checkout"))])
def test_every_shared_helm_pair_gives_the_same_findings(values, version):
    _assert_parity(values, version)


def test_committed_subset_covers_every_reproducer():
    """Every shared reproducer is committed, byte for byte, so a clone without the shared data tests each cause."""
    shared = SHARED_PAIRS / "reproducers"
    if not shared.is_dir():
        pytest.skip(f"{shared} is absent: the shared reference data only exists beside the development checkout")
    for path in sorted(shared.glob("*.*.yaml")):
        local = LOCAL_PAIRS / "reproducers" / path.name
        assert local.is_file() and local.read_bytes() == path.read_bytes(), path.name


def test_committed_reproducers_exist_without_the_shared_data():
    stems = {p.name[: -len(".values.yaml")] for p in (LOCAL_PAIRS / "reproducers").glob("*.values.yaml")}
    assert {s.split("-", 1)[0] for s in stems} >= {"M01", "R01", "R02", "R03", "R04", "R05", "R06", "R07", "R08",
                                                   "R09", "R10", "R11", "S01"}
    for stem in stems:
        assert (LOCAL_PAIRS / "reproducers" / f"{stem}.rendered.yaml").is_file()


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
