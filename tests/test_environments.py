"""One folder per environment: twins (same kind, namespace and name in different files) are alternatives.

Each object links only to the objects nearest to it in the file tree, never
to its twins' neighbours (linter/model/nearby.py).
"""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import pytest

from linter import engine
from linter.model.nearby import Nearby, Twins
from linter.settings import Settings
from tests.conftest import FIXTURES

# A representative set: cross-object rules (exposure, TLS Secrets and issuers, RBAC, policies,
# middlewares) in manifests and values files, and the rendered pairs.
SAMPLE = (
    "rules/hl101_exposed_without_authentication",
    "rules/hl103_oidc_client_secret_in_plaintext",
    "rules/hl201_ingress_without_tls",
    "rules/hl205_self_signed_certificate",
    "rules/hl209_gateway_listener_without_tls",
    "rules/hl301_cluster_admin_binding",
    "rules/hl303_wildcard_rbac_rule",
    "rules/hl305_rbac_escalation_verbs",
    "rules/hl308_rbac_audit",
    "rules/hl501_no_network_policy",
    "rules/hl505_ingress_without_rate_limit",
    "values/pairs/auth-flags-exposure",
    "e2e",
    "gitops",  # Flux valuesFrom ConfigMaps/Secrets and chartRef sources: the nearest, as objects link
)


def _copy_sample(target: Path) -> None:
    for part in SAMPLE:
        shutil.copytree(FIXTURES / part, target / part)


def _lint(cwd: Path, *paths: str) -> list[tuple[str, int, int, str, str]]:
    old = os.getcwd()
    os.chdir(cwd)
    try:
        result = engine.lint_paths(list(paths) or ["."], Settings())
    finally:
        os.chdir(old)
    return [(d.path, d.line, d.column, d.rule_id, d.message) for d in result.diagnostics]


def test_four_sibling_copies_give_each_copy_exactly_its_own_findings(tmp_path):
    alone = tmp_path / "alone"
    _copy_sample(alone / "env")
    expected = {(path.removeprefix("env/"), *rest) for path, *rest in _lint(alone)}
    assert any(f[3] == "HL501" for f in expected) and any(f[3] == "HL101" for f in expected)

    together = tmp_path / "together"
    for env in ("prod", "staging", "dev", "eu"):
        _copy_sample(together / "clusters" / env)
    found = _lint(together)
    assert len(found) == 4 * len(expected)
    for env in ("prod", "staging", "dev", "eu"):
        prefix = f"clusters/{env}/"
        own = {(path.removeprefix(prefix), *rest) for path, *rest in found if path.startswith(prefix)}
        assert own == expected, env


DEPLOYMENT = """\
apiVersion: apps/v1
kind: Deployment
metadata: {name: headlamp, namespace: kube-system}
spec:
  selector: {matchLabels: {app: headlamp}}
  template:
    metadata: {labels: {app: headlamp}}
    spec:
      serviceAccountName: headlamp
      containers:
        - name: headlamp
          image: ghcr.io/headlamp-k8s/headlamp:v0.45.0
          args: ["-in-cluster"]
"""

NODEPORT = """\
apiVersion: v1
kind: Service
metadata: {name: %s, namespace: kube-system}
spec:
  type: NodePort
  selector: {app: headlamp}
  ports: [{port: 80, targetPort: 4466}]
"""

POLICY = """\
apiVersion: networking.k8s.io/v1
kind: NetworkPolicy
metadata: {name: headlamp, namespace: kube-system}
spec:
  podSelector: {matchLabels: {app: headlamp}}
  ingress: [{from: [{namespaceSelector: {matchLabels: {team: ingress}}}]}]
"""

ADMIN_BINDING = """\
apiVersion: rbac.authorization.k8s.io/v1
kind: ClusterRoleBinding
metadata: {name: headlamp-admin}
roleRef: {apiGroup: rbac.authorization.k8s.io, kind: ClusterRole, name: cluster-admin}
subjects: [{kind: ServiceAccount, name: headlamp, namespace: kube-system}]
"""


def _write(root: Path, files: dict[str, str]) -> None:
    for name, text in files.items():
        path = root / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text)


def _rules(found, prefix: str) -> set[tuple[str, int, int, str]]:
    return {(p, line, col, rule) for p, line, col, rule, _ in found if p.startswith(prefix)}


def test_an_object_of_one_environment_never_links_to_another_environments_workload(tmp_path):
    # prod exposes Headlamp with a NodePort and binds cluster-admin; staging has a policy. Neither leaks.
    _write(tmp_path, {
        "prod/headlamp.yaml": DEPLOYMENT,
        "prod/service.yaml": NODEPORT % "headlamp-public",
        "prod/rbac.yaml": ADMIN_BINDING,
        "staging/headlamp.yaml": DEPLOYMENT,
        "staging/policy.yaml": POLICY,
    })
    found = _lint(tmp_path)
    prod = {r for r in _rules(found, "prod/") if r[3] in ("HL101", "HL202", "HL301", "HL501", "HL504")}
    staging = {r for r in _rules(found, "staging/") if r[3] in ("HL101", "HL102", "HL202", "HL301", "HL501")}
    assert prod == {
        ("prod/headlamp.yaml", 2, 1, "HL501"),
        ("prod/service.yaml", 5, 9, "HL101"),
        ("prod/service.yaml", 5, 9, "HL202"),
        ("prod/service.yaml", 5, 9, "HL504"),
        ("prod/rbac.yaml", 4, 73, "HL301"),
    }
    # staging: not exposed (HL102, not HL101), selected by its own policy (no HL501), no binding.
    assert staging == {("staging/headlamp.yaml", 11, 11, "HL102")}


def test_shared_objects_without_twins_reach_every_environment(tmp_path):
    # A base folder's policy has no twin: every environment sees it.
    _write(tmp_path, {
        "envs/prod/headlamp.yaml": DEPLOYMENT,
        "envs/staging/headlamp.yaml": DEPLOYMENT,
        "base/policy.yaml": POLICY,
    })
    found = _lint(tmp_path)
    assert not [f for f in found if f[3] == "HL501"]


def test_the_nearest_twin_wins_over_a_farther_one(tmp_path):
    # The root's policy is shadowed for prod by prod's own policy of the same name, which selects nothing.
    _write(tmp_path, {
        "policy.yaml": POLICY,
        "prod/headlamp.yaml": DEPLOYMENT,
        "prod/policy.yaml": POLICY.replace("{app: headlamp}", "{app: other}"),
        "staging/headlamp.yaml": DEPLOYMENT,
    })
    found = _lint(tmp_path)
    assert {(p, line, col) for p, line, col, rule, _ in found if rule == "HL501"} == {("prod/headlamp.yaml", 2, 1)}


def test_identical_findings_are_printed_once(tmp_path):
    # Two Headlamp workloads in one folder see the same binding: one HL301, not two.
    _write(tmp_path, {
        "a/headlamp.yaml": DEPLOYMENT,
        "a/copy.yaml": DEPLOYMENT,
        "a/rbac.yaml": ADMIN_BINDING,
    })
    found = _lint(tmp_path)
    assert [(p, line, col) for p, line, col, rule, _ in found if rule == "HL301"] == [("a/rbac.yaml", 4, 73)]


class _Item:
    def __init__(self, obj):
        self.obj = obj


def _obj(kind: str, name: str, path: str):
    from linter.located import FILE_START, Location
    from linter.model.objects import K8sObject

    return K8sObject("v1", kind, name, "default", {}, {}, path, Location(path, FILE_START))


@pytest.mark.parametrize(
    "anchor, expected",
    [
        # same file first, then the same folder, then the nearest common folder
        ("x/a/w.yaml", {"x/a/w.yaml"}),
        ("x/b/w.yaml", {"x/b/s.yaml"}),
        ("x/c/w.yaml", {"x/s.yaml"}),
        # x/ holds the anchor's twins (their environments): z's Service is the one it sees
        ("y/w.yaml", {"z/s.yaml"}),
    ],
)
def test_nearby_lookup_by_identity(anchor, expected):
    services = [_Item(_obj("Service", "s", p)) for p in ("x/a/w.yaml", "x/b/s.yaml", "x/s.yaml", "z/s.yaml")]
    workloads = [_Item(_obj("Deployment", "w", p)) for p in ("x/a/w.yaml", "x/b/w.yaml", "x/c/w.yaml", "y/w.yaml")]
    twins = Twins.of([i.obj for i in services + workloads])
    index = Nearby(services, lambda i: ("default",), lambda i: i.obj, twins)
    (near,) = [w.obj for w in workloads if w.obj.path == anchor]
    assert {i.obj.path for i in index.visible(near, "default")} == expected


def test_nearby_skips_the_subtrees_of_the_anchors_twins():
    # z/s.yaml is beside the anchor's twin z/w.yaml: it belongs to z's environment.
    services = [_Item(_obj("Service", name, path)) for name, path in (("only-z", "z/s.yaml"), ("top", "s.yaml"))]
    workloads = [_Item(_obj("Deployment", "w", p)) for p in ("a/w.yaml", "z/w.yaml")]
    twins = Twins.of([i.obj for i in services + workloads])
    index = Nearby(services, lambda i: ("default",), lambda i: i.obj, twins)
    assert [i.obj.name for i in index.visible(workloads[0].obj, "default")] == ["top"]
    assert [i.obj.name for i in index.visible(workloads[1].obj, "default")] == ["only-z", "top"]
