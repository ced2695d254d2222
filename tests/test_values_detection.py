"""Which files are Headlamp values: by name, by their keys, umbrella charts; and what is said when one is not."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from linter.engine import lint_paths
from linter.settings import Settings
from linter.values.names import has_values_name
from tests.conftest import shared_path
from tests.test_values import at, write
from tests.test_values import lint as run


def values_files(folder: Path) -> set[str]:
    here = os.getcwd()
    os.chdir(folder)
    try:
        return set(lint_paths(["."], Settings()).chart_versions)
    finally:
        os.chdir(here)


HEADLAMP = "config:\n  oidc:\n    clientID: headlamp\nclusterRoleBinding:\n  create: true\nreplicaCount: 2\n"


@pytest.mark.parametrize("name, is_values", [
    ("values.yaml", True), ("values.yml", True), ("values-prod.yaml", True), ("values_prod.yaml", True),
    ("prod.values.yaml", True), ("prod-values.yaml", True), ("prod_values.yml", True), ("values/prod.yaml", True),
    ("deploy/values/headlamp.yml", True), ("deployment.yaml", False), ("myvalues.yaml", False),
    ("values/README.md", False), ("prod.yaml", False), ("headlamp.yaml", False),
])
def test_values_names(name, is_values):
    assert has_values_name(name) is is_values


def test_every_values_name_with_headlamp_keys_is_found_by_a_directory_scan(tmp_path):
    for name in ("values.yaml", "values-prod.yaml", "prod.values.yaml", "prod-values.yaml", "values/staging.yaml"):
        write(tmp_path, f"{name.replace('/', '-')}-dir/{name}", HEADLAMP)
    assert values_files(tmp_path) == {
        "values.yaml-dir/values.yaml", "values-prod.yaml-dir/values-prod.yaml", "prod.values.yaml-dir/prod.values.yaml",
        "prod-values.yaml-dir/prod-values.yaml", "values-staging.yaml-dir/values/staging.yaml"}


def test_any_name_is_values_when_its_keys_are_mostly_the_charts_and_headlamp_specific(tmp_path):
    write(tmp_path, "headlamp.yaml", "clusterRoleBinding:\n  create: true\nserviceAccount:\n  create: true\n")
    write(tmp_path, "overlays/prod/kustomization.yaml", "resources: []\n")
    write(tmp_path, "overlays/prod/prod.yaml", HEADLAMP)
    write(tmp_path, "headlamp-image.yaml", "image:\n  registry: ghcr.io\n  tag: v0.40.0\n")
    write(tmp_path, "app.yaml", "image:\n  repository: ghcr.io/headlamp-k8s/headlamp\n")  # no key of its own
    # generic chart keys without anything Headlamp-specific: another chart's values, silently skipped
    write(tmp_path, "nginx.yaml", "replicaCount: 2\nimage:\n  repository: nginx\nserviceAccount:\n  create: true\n")
    # a manifest is never values, whatever its other keys
    write(tmp_path, "manifest.yaml", "apiVersion: v1\nkind: ConfigMap\nmetadata: {name: x}\nconfig: {oidc: {}}\n"
                                     "clusterRoleBinding: {}\nserviceAccount: {}\n")
    assert values_files(tmp_path) == {"headlamp.yaml", "overlays/prod/prod.yaml", "headlamp-image.yaml"}
    diagnostics = run(str(tmp_path / "overlays" / "prod" / "prod.yaml"))
    assert "HL301" in {d["rule"] for d in diagnostics}  # linted through the chart
    assert at(diagnostics, "HL015", "HL010") == set()


def test_a_file_named_on_the_command_line_is_values_by_its_keys(tmp_path):
    path = write(tmp_path, "settings.yaml", "securityContext:\n  privileged: true\nconfig:\n  baseURL: /headlamp\n")
    assert at(run(str(path)), "HL403") == {("settings.yaml", 2, 15, "HL403")}


def test_a_file_that_looks_like_values_but_is_not_linted_says_why_and_how(tmp_path):
    path = write(tmp_path, "prod.yaml", "config:\n  oidc:\n    clientID: headlamp\ndeployment:\n  replicas: 2\n"
                                        "monitoring: {}\nalerts: []\n")
    diagnostics = run(str(path))
    assert at(diagnostics) == {("prod.yaml", 1, 1, "HL015")}  # and no HL010: it is said once
    (message,) = [d["message"] for d in diagnostics]
    assert "looks like Headlamp values (config.oidc), but only 1 of its 4 top-level keys are Headlamp chart keys" \
           " (not: deployment, monitoring, alerts)" in message
    assert f"--values {diagnostics[0]['path']}" in message
    # and linted as values when asked to
    assert "HL015" not in {d["rule"] for d in run("--values", str(path))}


def test_a_values_named_file_in_a_scan_with_headlamp_keys_but_mostly_others_says_why(tmp_path):
    write(tmp_path, "values.yaml", "pluginsManager:\n  enabled: true\nfoo: 1\nbar: 2\nbaz: 3\n")
    assert at(run(str(tmp_path))) == {("values.yaml", 1, 1, "HL015")}


def test_umbrella_values_nested_under_headlamp_are_linted_at_their_full_path(tmp_path):
    write(tmp_path, "Chart.yaml", "apiVersion: v2\nname: headlamp\nversion: 1.0.0\ndependencies:\n- name: headlamp\n"
                                  "  version: ^0.40.0\n  repository: https://kubernetes-sigs.github.io/headlamp/\n")
    values = write(tmp_path, "values-prod.yaml", "headlamp:\n  securityContext:\n    privileged: true\n"
                                                 "  clusterRolebinding:\n    create: false\n")
    diagnostics = run(str(tmp_path))
    assert at(diagnostics, "HL403", "HL002") == {("values-prod.yaml", 3, 17, "HL403"), ("values-prod.yaml", 4, 3, "HL002")}
    assert "headlamp.clusterRolebinding" in next(d["message"] for d in diagnostics if d["rule"] == "HL002")
    assert "set headlamp.clusterRoleBinding.create: false" in next(
        d["message"] for d in diagnostics if d["rule"] == "HL301")
    assert values_files(tmp_path) == {values.name}


def test_the_corpus_holds_no_headlamp_values():
    """Real-world YAML of other projects (charts' values files among it): nothing is read as Headlamp values,
    nothing is said to look like them. A change here is a detection change to review."""
    corpus = shared_path("corpus")
    here = os.getcwd()
    os.chdir(corpus)
    try:
        result = lint_paths(["."], Settings())
    finally:
        os.chdir(here)
    assert result.chart_versions == {}
    assert [d for d in result.diagnostics if d.rule_id in ("HL015", "HL019")] == []


def test_headlamp_keys_at_the_top_of_an_umbrellas_values_are_not_headlamps(tmp_path):
    write(tmp_path, "Chart.yaml", "apiVersion: v2\nname: platform\nversion: 1.0.0\ndependencies:\n- name: headlamp\n"
                                  "  version: 0.45.0\n")
    values = write(tmp_path, "values.yaml", "replicaCount: 1\nclusterRoleBinding:\n  create: false\n"
                                            "serviceAccount:\n  create: true\n")
    diagnostics = run(str(values))
    assert at(diagnostics) == {("values.yaml", 1, 1, "HL015")}
    assert "nest it under headlamp: (headlamp.replicaCount)" in diagnostics[0]["message"]
    assert values_files(tmp_path) == set()
