"""Headlamp installations in the shapes public repositories write them (``fixtures/realworld/``).

Each fixture names, in its first lines, the public configuration it is modelled on (names, hosts and secrets
changed) and carries ``# expect:`` markers for every finding of every rule: the whole set of (path, line,
column, rule) is compared. A folder is linted as a whole.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from linter.gitops.k3s import chart_of
from tests.cli import invoke
from tests.conftest import FIXTURES
from tests.fixture_expectations import expectations

ROOT = FIXTURES / "realworld"
CASES = sorted(ROOT.glob("*.yaml")) + sorted(p for p in ROOT.iterdir() if p.is_dir())


def lint(*args: str) -> list[dict]:
    result = invoke(["check", "-f", "json", "--exit-zero", *args])
    assert result.exit_code == 0, result.output
    return json.loads(result.stdout)["diagnostics"]


def found(*args: str) -> set[tuple[str, int, int, str]]:
    return {(Path(d["path"]).resolve().as_posix(), d["line"], d["column"], d["rule"]) for d in lint(*args)}


def expected(case: Path) -> set[tuple[str, int, int, str]]:
    files = [case] if case.is_file() else sorted(case.rglob("*.yaml"))
    return {(f.resolve().as_posix(), *item) for f in files for item in expectations(f)}


@pytest.mark.parametrize("case", CASES, ids=lambda p: p.name)
def test_realworld_findings_match_markers(case):
    want = expected(case)
    assert want, f"{case} has no # expect: marker"
    assert found(str(case)) == want


def test_each_fixture_names_the_shape_it_is_modelled_on():
    for case in CASES:
        for path in [case] if case.is_file() else sorted(case.rglob("*.yaml")):
            assert path.read_text(encoding="utf-8").startswith("# Shape of "), path


# --- k3s HelmChart / HelmChartConfig -----------------------------------------------------------------------------

K3S = ROOT / "k3s-helmchart.yaml"


def test_k3s_helm_chart_config_overrides_values_content_and_set_overrides_both():
    diagnostics = lint(str(K3S))
    root = [d for d in diagnostics if d["rule"] == "HL401"]
    # valuesContent says runAsUser 1000, the HelmChartConfig 0: the HelmChartConfig wins, and is blamed.
    assert [(d["line"], d["column"]) for d in root] == [(37, 18)]
    # spec.set service.type is applied over both, and blamed at its value.
    assert {(d["line"], d["column"]) for d in diagnostics if d["rule"] in ("HL202", "HL504")} == {(26, 19)}
    # the release is the HelmChart's name, in targetNamespace
    assert any("Deployment headlamp/headlamp" in d["message"] for d in root)


def test_k3s_helm_chart_without_its_config_is_linted_and_not_reported_missing(tmp_path):
    text = K3S.read_text(encoding="utf-8").split("\n---\n")[0]
    path = tmp_path / "headlamp.yaml"
    path.write_text(text, encoding="utf-8")
    diagnostics = lint(str(path))
    assert not [d for d in diagnostics if d["rule"] == "HL017"]
    # runAsUser 1000 from valuesContent: not root; chart defaults blamed at valuesContent
    assert not [d for d in diagnostics if d["rule"] == "HL401"]
    assert {(d["line"], d["column"]) for d in diagnostics if d["rule"] == "HL404"} == {(21, 5)}


@pytest.mark.parametrize(("chart", "name", "version"), [
    ("headlamp", "headlamp", None),
    ("oci://registry.example.test/charts/headlamp", "headlamp", None),
    ("https://charts.example.test/headlamp-0.40.0.tgz", "headlamp", "0.40.0"),
    ("https://charts.example.test/dl/headlamp-0.41.0-rc.1.tgz?raw=1", "headlamp", "0.41.0-rc.1"),
    ("https://charts.example.test/app-template-3.1.0.tgz", "app-template", "3.1.0"),
    ("stable/headlamp", "headlamp", None),
])
def test_k3s_chart_names_and_package_versions(chart, name, version):
    assert chart_of(chart) == (name, version)


def test_k3s_values_content_fix_edits_the_string_and_keeps_the_file_valid(tmp_path):
    path = tmp_path / "headlamp.yaml"
    path.write_text(K3S.read_text(encoding="utf-8").split("\n---\n")[0] + "\n", encoding="utf-8")
    result = invoke(["check", "--fix", "--select", "HL404", "--exit-zero", str(path)])
    assert result.exit_code == 0, result.output
    after = path.read_text(encoding="utf-8")
    assert "      allowPrivilegeEscalation: false" in after  # inside the valuesContent block, at its indentation
    assert not [d for d in lint("--select", "HL404", str(path))]


def test_k3s_fix_without_values_content_refuses_rather_than_write_a_mapping(tmp_path):
    text = ("apiVersion: helm.cattle.io/v1\nkind: HelmChart\nmetadata:\n  name: headlamp\n  namespace: tools\n"
            "spec:\n  chart: headlamp\n  repo: https://kubernetes-sigs.github.io/headlamp\n")
    path = tmp_path / "headlamp.yaml"
    path.write_text(text, encoding="utf-8")
    assert {(d["line"], d["column"], d["rule"]) for d in lint("--select", "HL404", str(path))} == {(7, 3, "HL404")}
    invoke(["check", "--fix", "--exit-zero", str(path)])
    assert path.read_text(encoding="utf-8") == text


# --- Flux valuesFrom a ConfigMap that kustomize generates --------------------------------------------------------

GENERATED = ROOT / "flux-configmap-generator"


def test_generated_values_file_is_read_once_as_part_of_the_release():
    diagnostics = lint(str(GENERATED))
    # seen; its clusterRoleBinding applies (the one HL017 is the kustomization's namespace:, not applied to the
    # HelmRelease, see tests/test_kustomize_build.py)
    assert [(d["rule"], d["line"]) for d in diagnostics if d["rule"] in ("HL017", "HL301")] == [("HL017", 5)]
    assert next(d["message"] for d in diagnostics if d["rule"] == "HL017").startswith("namespace: tools")
    # the file is linted as the release's layer (chart 0.40.0 from the HelmRelease), not again on its own
    assert [(d["line"], d["column"]) for d in diagnostics if d["rule"] == "HL401"] == [(12, 14)]
    assert any("0.40.0" in d["message"] for d in diagnostics if d["rule"] == "HL603")


def test_generated_values_file_that_does_not_exist_is_one_located_error(tmp_path):
    (tmp_path / "kustomization.yaml").write_text(
        "resources: [helmrelease.yaml]\nconfigMapGenerator:\n  - name: hv\n    files:\n      - values.yaml=gone.yaml\n",
        encoding="utf-8")
    (tmp_path / "helmrelease.yaml").write_text(
        "apiVersion: helm.toolkit.fluxcd.io/v2\nkind: HelmRelease\nmetadata:\n  name: headlamp\nspec:\n"
        "  chart:\n    spec: {chart: headlamp}\n  valuesFrom:\n    - {kind: ConfigMap, name: hv}\n", encoding="utf-8")
    diagnostics = lint(str(tmp_path))
    assert {(Path(d["path"]).name, d["line"], d["column"], d["rule"]) for d in diagnostics} == {
        ("kustomization.yaml", 5, 9, "HL020")}
