"""Which Headlamp chart release a values file is linted with: --chart-version, Chart.yaml, umbrella dependencies.

A version headlamp-lint does not know is one located HL019 and the file is
not linted: never an error plus findings from another chart.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from linter.engine import lint_paths
from linter.settings import Settings
from tests.test_values import at, write
from tests.test_values import lint as run


INSECURE = "clusterRoleBinding:\n  create: true\nsecurityContext:\n  privileged: true\n"


def chart_yaml(folder: Path, text: str) -> None:
    write(folder, "Chart.yaml", text)


def version_used(values: Path) -> str | None:
    result = lint_paths([str(values)], Settings())
    return next(iter(result.chart_versions.values()), None)


# -- the headlamp chart's own Chart.yaml ---------------------------------------------------------------------


@pytest.mark.parametrize("version", ["0.1.0", "0.2.0", "0.8.0", "0.11.0", "0.12.0", "0.40.1", "0.45.0"])
def test_an_exact_chart_version_in_chart_yaml_is_used(tmp_path, version):
    chart_yaml(tmp_path, f"apiVersion: v2\nname: headlamp\nversion: {version}\n")
    values = write(tmp_path, "values.yaml", INSECURE)
    assert version_used(values) == version


@pytest.mark.parametrize("version, why", [("0.99.0", "newer than the data"), ("0.17.0", "never released"),
                                          ("0.29.0", "never tagged"), ("0.0.9", "too old: before 0.1.0")])
def test_an_unknown_chart_version_in_chart_yaml_is_one_finding_on_it_and_the_file_is_not_linted(tmp_path, version,
                                                                                                 why):
    chart_yaml(tmp_path, f"apiVersion: v2\nname: headlamp\nversion: {version}\n")
    values = write(tmp_path, "values.yaml", INSECURE)
    diagnostics = run(str(values))
    assert at(diagnostics) == {("Chart.yaml", 3, 10, "HL019")}, why
    (only,) = diagnostics
    assert only["message"].startswith(f"headlamp chart version {version} is not a release headlamp-lint knows"
                                      " (0.1.0 … 0.45.0); ")
    assert only["message"].endswith("values.yaml is not linted (name the release it is based on with --chart-version)")
    assert version_used(values) is None


def test_two_values_files_of_an_unknown_chart_give_one_finding(tmp_path):
    chart_yaml(tmp_path, "apiVersion: v2\nname: headlamp\nversion: 0.99.0\n")
    write(tmp_path, "values.yaml", INSECURE)
    write(tmp_path, "values-prod.yaml", INSECURE)
    diagnostics = run(str(tmp_path))
    assert at(diagnostics) == {("Chart.yaml", 3, 10, "HL019")}
    assert len([d for d in diagnostics if d["rule"] == "HL019"]) == 2  # one per file: each says which is not linted
    assert {d["message"].split("; ")[1].split(" is not linted")[0].rsplit("/", 1)[-1] for d in diagnostics} == {
        "values.yaml", "values-prod.yaml"}


def test_chart_version_option_beats_chart_yaml_and_an_unknown_one_lints_nothing(tmp_path):
    chart_yaml(tmp_path, "apiVersion: v2\nname: headlamp\nversion: 0.99.0\n")
    values = write(tmp_path, "values.yaml", INSECURE)
    assert "HL019" not in {d["rule"] for d in run("--chart-version", "0.45.0", str(values))}
    assert at(run("--chart-version", "0.46.0", str(values))) == {("values.yaml", 1, 1, "HL019")}
    assert at(run("--chart-version", "v0.11.0", str(values))) >= {("values.yaml", 2, 11, "HL301")}


# -- umbrella charts: a dependency on the headlamp chart ---------------------------------------------------


@pytest.mark.parametrize(
    "constraint, expected",
    [("^0.40.0", "0.40.1"), ("0.38.x", "0.38.0"), ('">=0.30 <0.41"', "0.40.1"), ('">= 0.30.0, < 0.41.0"', "0.40.1"),
     ("0.30.0 - 0.40.0", "0.40.0"), ("~0.39", "0.39.0"), ('"*"', "0.45.0"), ("0.9.0", "0.9.0"), ("~0.1.1", "0.1.5")],
)
def test_a_dependency_range_resolves_to_the_newest_known_release_that_satisfies_it(tmp_path, constraint, expected):
    chart_yaml(tmp_path, f"apiVersion: v2\nname: platform\nversion: 1.0.0\ndependencies:\n- name: headlamp\n"
                         f"  version: {constraint}\n  repository: https://kubernetes-sigs.github.io/headlamp/\n")
    values = write(tmp_path, "values.yaml", "headlamp:\n  clusterRoleBinding:\n    create: true\n")
    assert version_used(values) == expected


@pytest.mark.parametrize("constraint", ["^0.46.0", ">=1.0.0", "<0.1.0", "0.0.5", "latest"])
def test_a_dependency_range_nothing_known_satisfies_is_one_finding_on_it(tmp_path, constraint):
    chart_yaml(tmp_path, f"apiVersion: v2\nname: platform\nversion: 1.0.0\ndependencies:\n- name: headlamp\n"
                         f"  version: {constraint!r}\n")
    values = write(tmp_path, "values.yaml", "headlamp:\n  clusterRoleBinding:\n    create: true\n")
    diagnostics = run(str(values))
    assert at(diagnostics) == {("Chart.yaml", 6, 12, "HL019")}
    assert f"satisfies the dependency version {constraint!r}" in diagnostics[0]["message"]


def test_an_umbrella_named_headlamp_reads_the_subchart_values_and_names_the_full_path(tmp_path):
    chart_yaml(tmp_path, "apiVersion: v2\nname: headlamp\nversion: 1.2.3\ndependencies:\n- name: headlamp\n"
                         "  version: 0.45.0\n")
    values = write(tmp_path, "values.yaml", "headlamp:\n  clusterRoleBinding:\n    create: true\n"
                                            "  clusterRolebinding: {}\n")
    diagnostics = run(str(values))
    assert {(line, column, rule) for _, line, column, rule in at(diagnostics) if rule == "HL002"} == {(4, 3, "HL002")}
    hl301 = next(d for d in diagnostics if d["rule"] == "HL301")
    assert "headlamp.clusterRoleBinding.create" in hl301["message"]
    hl002 = next(d for d in diagnostics if d["rule"] == "HL002")
    assert "headlamp.clusterRolebinding" in hl002["message"]
    assert version_used(values) == "0.45.0"  # the dependency's version, not the umbrella's own 1.2.3


def test_an_alias_holds_the_subchart_values(tmp_path):
    chart_yaml(tmp_path, "apiVersion: v2\nname: platform\nversion: 1.0.0\ndependencies:\n- name: headlamp\n"
                         "  alias: dashboard\n  version: ^0.40.0\n")
    values = write(tmp_path, "values.yaml", "dashboard:\n  clusterRoleBinding:\n    create: true\n")
    diagnostics = run(str(values))
    assert "HL301" in {rule for *_, rule in at(diagnostics)}
    assert "dashboard.clusterRoleBinding.create" in next(d for d in diagnostics if d["rule"] == "HL301")["message"]


def test_the_dependency_condition_is_the_umbrellas_switch_not_a_chart_key(tmp_path):
    chart_yaml(tmp_path, "apiVersion: v2\nname: platform\nversion: 1.0.0\ndependencies:\n- name: headlamp\n"
                         "  version: 0.45.0\n  condition: headlamp.enabled\n")
    on = write(tmp_path, "values.yaml", "headlamp:\n  enabled: true\n  clusterRoleBinding:\n    create: true\n")
    assert {rule for *_, rule in at(run(str(on)))} >= {"HL301"}
    assert "HL002" not in {rule for *_, rule in at(run(str(on)))}
    off = write(tmp_path, "values.yaml", "headlamp:\n  enabled: false\n  clusterRoleBinding:\n    create: true\n")
    assert at(run(str(off))) == set()  # the subchart is not rendered: nothing to lint


# -- per-version key sets (HL002) ---------------------------------------------------------------------------

VERSIONED_KEYS = (
    "config:\n  tlsCertPath: /certs/tls.crt\n  tlsKeyPath: /certs/tls.key\n"  # lines 2, 3 (chart 0.36.0+)
    "  sessionTTL: 3600\n"  # line 4 (0.40.1+)
    "  unsafeUseServiceAccountToken: false\n"  # line 5 (0.43.0+)
    "  oidc:\n    usePKCE: true\n"  # line 7 (0.37.0+)
    "extraContainers: []\n"  # line 8 (0.40.0+)
    "env: []\n"  # line 9 (0.18.2+)
    "service:\n  externalTrafficPolicy: Local\n"  # line 11 (0.28.1+)
)


@pytest.mark.parametrize("version, unknown", [
    ("0.45.0", set()),
    ("0.43.0", set()),
    ("0.40.1", {5}),
    ("0.40.0", {4, 5}),
    ("0.36.0", {4, 5, 7, 8}),
    ("0.35.0", {2, 3, 4, 5, 7, 8}),
    ("0.28.1", {2, 3, 4, 5, 7, 8}),
    ("0.28.0", {2, 3, 4, 5, 7, 8, 11}),
    ("0.18.1", {2, 3, 4, 5, 7, 8, 9, 11}),
    ("0.11.0", {2, 3, 4, 5, 7, 8, 9, 11}),
])
def test_keys_a_chart_version_does_not_have_are_unknown_for_it(tmp_path, version, unknown):
    values = write(tmp_path, "values.yaml", VERSIONED_KEYS)
    diagnostics = run("--chart-version", version, "--values", str(values))
    assert {line for _, line, _, rule in at(diagnostics) if rule == "HL002"} == unknown


def test_an_unknown_chart_version_option_lints_no_gitops_release_with_another_chart(tmp_path):
    release = write(tmp_path, "release.yaml", """\
        apiVersion: helm.toolkit.fluxcd.io/v2
        kind: HelmRelease
        metadata:
          name: headlamp
          namespace: headlamp
        spec:
          chart:
            spec:
              chart: headlamp
              sourceRef: {kind: HelmRepository, name: headlamp}
          values:
            securityContext:
              privileged: true
        """)
    assert "HL403" in {rule for *_, rule in at(run("--chart-version", "0.45.0", str(release)))}
    diagnostics = run("--chart-version", "0.99.0", str(release))
    assert {rule for *_, rule in at(diagnostics)} == {"HL019"}
    assert "--chart-version 0.99.0 is not a Headlamp chart release headlamp-lint knows" in diagnostics[0]["message"]


@pytest.mark.parametrize("version, ignored, read", [("0.8.0", 3, 4), ("0.26.0", 3, 4), ("0.27.0", 4, 3)])
def test_the_pvc_storage_class_key_the_template_reads_per_version(tmp_path, version, ignored, read):
    # values.yaml documents storageClassName, but pvc.yaml read storageClass until chart 0.27.0
    values = write(tmp_path, "values.yaml", "persistentVolumeClaim:\n  enabled: true\n  storageClassName: fast\n"
                                            "  storageClass: fast\n  size: 1Gi\n")
    diagnostics = run("--chart-version", version, "--values", str(values))
    assert at(diagnostics, "HL002") == {("values.yaml", ignored, 3, "HL002")}
    (message,) = [d["message"] for d in diagnostics if d["rule"] == "HL002"]
    assert ("did you mean storageClass?" in message) is (ignored == 3)
