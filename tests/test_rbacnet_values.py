"""RBAC and network rules on Headlamp values files: locations and the keys the messages name."""

from __future__ import annotations

import json

from tests.cli import invoke


def lint_values(tmp_path, text: str, *rules: str) -> list[dict]:
    path = tmp_path / "headlamp.values.yaml"
    path.write_text(text, encoding="utf-8")
    result = invoke(["check", "-f", "json", "--exit-zero", "--select", ",".join(rules), "--values", str(path)])
    assert result.exit_code == 0, result.output
    return json.loads(result.stdout)["diagnostics"]


def test_chart_default_reports_hl301_at_line_1_naming_the_keys_to_set(tmp_path):
    (d,) = lint_values(tmp_path, "replicaCount: 1\n", "HL301")
    assert (d["line"], d["column"]) == (1, 1)
    assert "clusterRoleBinding.create: false" in d["message"]
    assert "clusterRoleBinding.clusterRoleName" in d["message"]
    assert "cluster-admin" in d["message"]


def test_cluster_role_binding_create_false_clears_hl301_and_hl307(tmp_path):
    assert lint_values(tmp_path, "clusterRoleBinding:\n  create: false\n", "HL301", "HL307") == []


def test_service_account_create_false_reports_hl302_on_the_key(tmp_path):
    found = lint_values(tmp_path, "serviceAccount:\n  create: false\n", "HL302")
    assert {(d["line"], d["column"]) for d in found} == {(2, 11)}
    assert any("serviceAccount.name" in d["message"] for d in found)


def test_cluster_role_name_edit_reports_hl307_not_hl301(tmp_path):
    found = lint_values(tmp_path, "clusterRoleBinding:\n  clusterRoleName: edit\n", "HL301", "HL307")
    assert [(d["rule"], d["line"], d["column"]) for d in found] == [("HL307", 2, 20)]
    assert "clusterRoleBinding.clusterRoleName" in found[0]["message"]


def test_a_network_policy_in_extra_manifests_clears_hl501(tmp_path):
    policy = """extraManifests:
  - |
    apiVersion: networking.k8s.io/v1
    kind: NetworkPolicy
    metadata:
      name: headlamp
    spec:
      podSelector:
        matchLabels:
          app.kubernetes.io/instance: headlamp
"""
    assert lint_values(tmp_path, policy, "HL501") == []
    (d,) = lint_values(tmp_path, "replicaCount: 2\n", "HL501")
    assert (d["line"], d["column"]) == (1, 1) and "extraManifests" in d["message"]
    # A policy for other pods does not count.
    other = policy.replace("app.kubernetes.io/instance: headlamp", "app: other")
    assert [d["rule"] for d in lint_values(tmp_path, other, "HL501")] == ["HL501"]
