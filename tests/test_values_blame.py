"""Blame in values files: a value the user wrote is blamed at the user's key, with fix texts that read well.

Exact ``(line, column, rule)`` sets, per chart version where the chart differs.
"""

from __future__ import annotations

import json

import pytest

from tests.cli import invoke


def lint(tmp_path, text: str, *args: str, rules: set[str]) -> list[dict]:
    path = tmp_path / "values.yaml"
    path.write_text(text)
    result = invoke(["check", "-f", "json", "--exit-zero", "--no-cache", *args, "--values", str(path)])
    assert result.exit_code == 0, result.output
    return [d for d in json.loads(result.stdout)["diagnostics"] if d["rule"] in rules]


def at(findings: list[dict]) -> set[tuple[int, int, str]]:
    return {(d["line"], d["column"], d["rule"]) for d in findings}


@pytest.mark.parametrize("version", ["0.25.0", "0.35.0", "0.45.0"])
def test_hl301_with_create_true_written_is_blamed_at_create(tmp_path, version):
    found = lint(tmp_path, "clusterRoleBinding:\n  create: true\n", "--chart-version", version, rules={"HL301"})
    assert at(found) == {(2, 11, "HL301")}
    assert "rendered because values key clusterRoleBinding.create is true; set it to false" in found[0]["message"]


def test_hl301_with_cluster_role_name_written_is_blamed_there(tmp_path):
    found = lint(tmp_path, "clusterRoleBinding:\n  clusterRoleName: cluster-admin\n", rules={"HL301"})
    assert at(found) == {(2, 20, "HL301")}
    assert found[0]["message"].endswith("set by values key clusterRoleBinding.clusterRoleName; set it to a"
                                        " least-privilege ClusterRole, or set clusterRoleBinding.create: false")


@pytest.mark.parametrize(("version", "advice"), [
    ("0.25.0", "the chart default renders it (clusterRoleBinding.create: true; this chart version always binds"
               " cluster-admin); set clusterRoleBinding.create: false in your values"),
    ("0.45.0", "the chart default renders it; set clusterRoleBinding.create: false, or"
               " clusterRoleBinding.clusterRoleName to a least-privilege ClusterRole, in your values"),
])
def test_hl301_from_the_chart_default_is_at_line_1_with_a_grammatical_fix_for_each_chart(tmp_path, version, advice):
    found = lint(tmp_path, "replicaCount: 1\n", "--chart-version", version, rules={"HL301"})
    assert at(found) == {(1, 1, "HL301")}
    assert found[0]["message"].endswith(advice)


def test_hl105_with_use_pkce_false_written_is_blamed_at_use_pkce(tmp_path):
    text = ("config:\n  oidc:\n    clientID: headlamp\n    issuerURL: https://dex.example.com\n"
            "    usePKCE: false\n")
    found = lint(tmp_path, text, rules={"HL105"})
    assert at(found) == {(5, 14, "HL105")}
    assert "values key config.oidc.usePKCE is false" in found[0]["message"]


def test_hl105_without_use_pkce_stays_at_the_client_id(tmp_path):
    text = "config:\n  oidc:\n    clientID: headlamp\n    issuerURL: https://dex.example.com\n"
    assert at(lint(tmp_path, text, rules={"HL105"})) == {(3, 15, "HL105")}


def test_external_secret_args_are_set_by_the_users_external_secret_key(tmp_path):
    text = "config:\n  oidc:\n    externalSecret:\n      enabled: true\n      name: oidc-ext\n"
    found = lint(tmp_path, text, rules={"HL105"})
    assert at(found) == {(4, 16, "HL105")}
    assert "-oidc-client-id set by values key config.oidc.externalSecret.enabled" in found[0]["message"]
    assert "chart default" not in found[0]["message"]


def test_the_duplicate_pod_label_is_blamed_at_the_users_key(tmp_path):
    found = lint(tmp_path, "podLabels:\n  app.kubernetes.io/name: custom\n", rules={"HL004"})
    assert at(found) == {(2, 3, "HL004")}
    assert "selector (app.kubernetes.io/name=headlamp) no longer matches its pods" in found[0]["message"]


def test_an_unsupported_pod_label_template_is_located(tmp_path):
    found = lint(tmp_path, "podLabels:\n  team: \"{{ .Values.team | b64dec }}\"\n", rules={"HL005"})
    assert at(found) == {(2, 9, "HL005")}


@pytest.mark.parametrize(("text", "expected"), [
    # a doubled registry is image.repository; the version is the chart's appVersion (line 1)
    ("image:\n  repository: ghcr.io/headlamp-k8s/headlamp\n", {(2, 15, "HL605"), (1, 1, "HL602")}),
    ("image:\n  registry: \"\"\n  repository: ghcr.io/headlamp-k8s/headlamp\n", {(3, 15, "HL605"), (1, 1, "HL602")}),
    # the tag carries the version, the registry key the registry
    ("image:\n  tag: latest\n  registry: docker.io\n", {(2, 8, "HL601"), (2, 8, "HL602"), (3, 13, "HL605")}),
    # only the tag written: the registry finding is the chart default's
    ("image:\n  tag: v0.30.0\n  repository: kinvolk/headlamp\n",
     {(2, 8, "HL602"), (2, 8, "HL603"), (3, 15, "HL605")}),
])
def test_image_findings_blame_the_image_key_that_carries_the_problem(tmp_path, text, expected):
    rules = {"HL601", "HL602", "HL603", "HL605"}
    assert at(lint(tmp_path, text, rules=rules)) == expected


def test_a_doubled_registry_says_to_keep_only_the_path(tmp_path):
    [found] = lint(tmp_path, "image:\n  repository: ghcr.io/headlamp-k8s/headlamp\n", rules={"HL605"})
    assert "keep only the path in image.repository" in found["message"]
