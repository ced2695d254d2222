"""The RBAC graph: bindings, roleRef resolution, aggregation, built-in roles and exact rule matching."""

from __future__ import annotations

import pytest

from linter.model.rbac import builtin_cluster_role, takes_effect
from tests.model_helpers import model_of

HEADLAMP = """
apiVersion: apps/v1
kind: Deployment
metadata: {name: headlamp, namespace: hl}
spec:
  selector: {matchLabels: {app: headlamp}}
  template:
    metadata: {labels: {app: headlamp}}
    spec:
      serviceAccountName: headlamp
      containers:
        - {name: headlamp, image: "ghcr.io/headlamp-k8s/headlamp:v0.45.0"}
"""


def binding(kind: str, name: str, role_kind: str, role: str, subjects: str, namespace: str = "hl") -> str:
    ns = f", namespace: {namespace}" if kind == "RoleBinding" else ""
    return f"""
apiVersion: rbac.authorization.k8s.io/v1
kind: {kind}
metadata: {{name: {name}{ns}}}
roleRef: {{apiGroup: rbac.authorization.k8s.io, kind: {role_kind}, name: "{role}"}}
subjects: {subjects}
"""


def role(kind: str, name: str, rules: str, namespace: str = "hl", extra: str = "") -> str:
    ns = f", namespace: {namespace}" if kind == "Role" else ""
    return f"""
apiVersion: rbac.authorization.k8s.io/v1
kind: {kind}
metadata: {{name: {name}{ns}{extra}}}
rules: {rules}
"""


SA = "[{kind: ServiceAccount, name: headlamp, namespace: hl}]"


def permissions(*docs: str):
    model = model_of(HEADLAMP, *docs)
    (installation,) = model.installations
    assert installation.permissions is not None
    return installation.permissions


def test_rolebinding_to_clusterrole_grants_in_the_binding_namespace_only():
    perms = permissions(
        binding("RoleBinding", "rb", "ClusterRole", "reader", SA, namespace="team-a"),
        role("ClusterRole", "reader", '[{apiGroups: [""], resources: [secrets], verbs: [get]}]'),
    )
    assert perms.allows("get", "", "secrets", namespace="team-a")
    assert not perms.allows("get", "", "secrets", namespace="team-b")
    assert not perms.allows("get", "", "secrets")  # not cluster-wide
    (grant,) = perms.grants
    assert grant.scope == "team-a" and grant.role is not None and grant.role.name == "reader"


def test_clusterrolebinding_grants_everywhere_and_role_refs_resolve_per_namespace():
    perms = permissions(
        binding("ClusterRoleBinding", "crb", "ClusterRole", "reader", SA),
        role("ClusterRole", "reader", '[{apiGroups: [""], resources: [pods], verbs: [list]}]'),
        binding("RoleBinding", "rb", "Role", "local", "[{kind: ServiceAccount, name: headlamp}]"),
        role("Role", "local", '[{apiGroups: [apps], resources: [deployments], verbs: [get]}]'),
        role("Role", "local", '[{apiGroups: [""], resources: [secrets], verbs: [get]}]', namespace="other"),
    )
    assert perms.allows("list", "", "pods") and perms.allows("list", "", "pods", namespace="x")
    assert perms.allows("get", "apps", "deployments", namespace="hl")
    assert not perms.allows("get", "", "secrets", namespace="hl")  # the Role in "other" is another role
    assert not perms.allows("get", "", "secrets", namespace="other")


def test_subject_namespace_defaults_to_the_rolebinding_namespace_and_groups_reach_service_accounts():
    perms = permissions(
        binding("RoleBinding", "rb", "ClusterRole", "view", "[{kind: ServiceAccount, name: headlamp}]"),
        binding("ClusterRoleBinding", "all", "ClusterRole", "edit", "[{kind: Group, name: 'system:serviceaccounts:hl'}]"),
        binding("ClusterRoleBinding", "elsewhere", "ClusterRole", "admin", "[{kind: Group, name: 'system:serviceaccounts:x'}]"),
        binding("ClusterRoleBinding", "wrong-sa", "ClusterRole", "admin", "[{kind: ServiceAccount, name: headlamp, namespace: x}]"),
    )
    assert sorted(g.binding.obj.name for g in perms.grants) == ["all", "rb"]


def test_aggregated_clusterrole_takes_rules_of_selected_roles_recursively():
    perms = permissions(
        binding("ClusterRoleBinding", "crb", "ClusterRole", "top", SA),
        """
apiVersion: rbac.authorization.k8s.io/v1
kind: ClusterRole
metadata: {name: top}
aggregationRule:
  clusterRoleSelectors:
    - matchExpressions: [{key: tier, operator: In, values: [mid]}]
""",
        """
apiVersion: rbac.authorization.k8s.io/v1
kind: ClusterRole
metadata: {name: mid, labels: {tier: mid}}
aggregationRule:
  clusterRoleSelectors: [{matchLabels: {tier: leaf}}]
rules: [{apiGroups: [""], resources: [configmaps], verbs: [get]}]
""",
        role("ClusterRole", "leaf", '[{apiGroups: [""], resources: [secrets], verbs: [list]}]', extra=", labels: {tier: leaf}"),
        role("ClusterRole", "unrelated", '[{apiGroups: [""], resources: [nodes], verbs: [get]}]', extra=", labels: {tier: x}"),
    )
    assert perms.allows("get", "", "configmaps")
    assert perms.allows("list", "", "secrets")
    assert not perms.allows("get", "", "nodes")


def test_builtin_roles_are_known_and_aggregate_labelled_roles():
    perms = permissions(
        binding("ClusterRoleBinding", "crb", "ClusterRole", "view", SA),
        role(
            "ClusterRole", "crd-view", '[{apiGroups: [example.com], resources: [widgets], verbs: [get]}]',
            extra=', labels: {rbac.authorization.k8s.io/aggregate-to-view: "true"}',
        ),
    )
    assert perms.allows("list", "apps", "deployments")
    assert perms.allows("get", "example.com", "widgets")
    assert not perms.allows("get", "", "secrets")
    assert builtin_cluster_role("cluster-admin").rules[0].match("escalate", "rbac.authorization.k8s.io", "roles")
    assert builtin_cluster_role("edit").rules[0].match("get", "", "pods/exec")
    assert builtin_cluster_role("system:node") is not None
    assert builtin_cluster_role("clusteradmin") is None


@pytest.mark.parametrize(
    "resources, request_resource, allowed",
    [
        ("['*']", "pods/exec", True),
        ("['pods/*']", "pods/exec", True),
        ("['*/exec']", "pods/exec", True),
        ("['pods']", "pods/exec", False),
        ("['pods/exec']", "pods", False),
        ("['pods/*']", "pods", False),
        ("['*/exec']", "pods/attach", False),
        ("['pods/log']", "pods/exec", False),
        ("['deployments/*']", "pods/exec", False),
    ],
)
def test_resources_and_subresources_match_exactly(resources, request_resource, allowed):
    perms = permissions(
        binding("ClusterRoleBinding", "crb", "ClusterRole", "r", SA),
        role("ClusterRole", "r", f'[{{apiGroups: [""], resources: {resources}, verbs: [create]}}]'),
    )
    assert bool(perms.allows("create", "", request_resource)) is allowed


@pytest.mark.parametrize(
    "verbs, groups, verb, group, allowed",
    [
        ("['*']", "['']", "escalate", "", True),
        ("[get]", "['*']", "get", "apps", True),
        ("[get]", "['']", "get", "apps", False),
        ("[get, list]", "[apps]", "watch", "apps", False),
    ],
)
def test_verbs_and_groups_match_exactly(verbs, groups, verb, group, allowed):
    perms = permissions(
        binding("ClusterRoleBinding", "crb", "ClusterRole", "r", SA),
        role("ClusterRole", "r", f"[{{apiGroups: {groups}, resources: [things], verbs: {verbs}}}]"),
    )
    assert bool(perms.allows(verb, group, "things")) is allowed


def test_resource_names_grant_only_the_named_objects():
    perms = permissions(
        binding("ClusterRoleBinding", "crb", "ClusterRole", "r", SA),
        role("ClusterRole", "r", '[{apiGroups: [""], resources: [secrets], resourceNames: [oidc], verbs: [get]}]'),
    )
    assert perms.allows("get", "", "secrets", name="oidc")
    assert not perms.allows("get", "", "secrets", name="other")
    assert not perms.allows("get", "", "secrets")  # any secret


def test_match_blames_the_list_items_that_allowed_the_request():
    model = model_of(HEADLAMP, binding("ClusterRoleBinding", "crb", "ClusterRole", "r", SA), """
apiVersion: rbac.authorization.k8s.io/v1
kind: ClusterRole
metadata: {name: r}
rules:
  - apiGroups: [""]
    resources: [pods, "pods/*"]
    verbs: [list, create]
""")
    ((grant, match),) = model.installations[0].permissions.allows("create", "", "pods/exec")
    assert (match.resource.value, match.resource.location.span.line, match.resource.location.span.column) == (
        "pods/*", 7, 23
    )
    assert (match.verb.value, match.verb.location.span.column) == ("create", 19)
    assert grant.binding.role_name.location.span.line == 5


def test_relations_span_files():
    model = model_of(HEADLAMP, binding("ClusterRoleBinding", "crb", "ClusterRole", "r", SA), role(
        "ClusterRole", "r", '[{apiGroups: [""], resources: [secrets], verbs: [get]}]'
    ))
    assert model.installations[0].permissions.allows("get", "", "secrets")
    assert {b.obj.path for b in model.bindings} == {"file1.yaml"}
    assert {r.obj.path for r in model.rbac.roles} == {"file2.yaml"}


# --- property: resource matching against a reference reading of the RBAC docs ----------------

from hypothesis import given  # noqa: E402
from hypothesis import strategies as st  # noqa: E402

from linter.located import FILE_START, Located, Location, Origin  # noqa: E402
from linter.model.rbac import RbacRule  # noqa: E402

_NAMES = st.sampled_from(["pods", "secrets", "nodes", "deployments"])
_SUBS = st.sampled_from(["", "exec", "log", "proxy", "status"])


def _fact(value: str) -> Located:
    return Located(value, Location("t", FILE_START), Origin.MANIFEST, "rules")


def _resource(base: str, sub: str) -> str:
    return f"{base}/{sub}" if sub else base


@given(
    pattern=st.one_of(
        st.just("*"),
        st.builds(_resource, _NAMES, _SUBS),
        st.builds(lambda b: f"{b}/*", _NAMES),
        st.builds(lambda s: f"*/{s}", _SUBS.filter(bool)),
    ),
    base=_NAMES,
    sub=_SUBS,
)
def test_resource_pattern_semantics(pattern, base, sub):
    rule = RbacRule((_fact("get"),), (_fact(""),), (_fact(pattern),), (), (), None)
    requested = _resource(base, sub)
    if pattern == "*":
        expected = True
    elif pattern.endswith("/*"):
        expected = bool(sub) and pattern[:-2] == base
    elif pattern.startswith("*/"):
        expected = bool(sub) and pattern[2:] == sub
    else:
        expected = pattern == requested
    assert (rule.match("get", "", requested) is not None) is expected


@pytest.mark.parametrize(
    "verb, group, resource, namespaced, expected",
    [
        ("get", "", "nodes/proxy", True, False),
        ("get", "", "nodes/proxy", False, True),
        ("impersonate", "", "users", True, False),
        ("impersonate", "", "serviceaccounts", True, True),
        ("escalate", "rbac.authorization.k8s.io", "clusterroles", True, False),
        ("bind", "rbac.authorization.k8s.io", "clusterroles", True, True),  # checked in the RoleBinding's namespace
        ("create", "rbac.authorization.k8s.io", "clusterrolebindings", True, False),
        ("create", "rbac.authorization.k8s.io", "rolebindings", True, True),
        ("get", "", "secrets", True, True),
    ],
)
def test_a_namespaced_grant_never_reaches_cluster_scoped_resources(verb, group, resource, namespaced, expected):
    assert takes_effect(verb, group, resource, namespaced) is expected


def test_permissions_of_a_rolebinding_leave_out_cluster_scoped_resources():
    perms = permissions(
        """
apiVersion: rbac.authorization.k8s.io/v1
kind: RoleBinding
metadata: {name: b, namespace: hl}
roleRef: {apiGroup: rbac.authorization.k8s.io, kind: ClusterRole, name: everything}
subjects: [{kind: ServiceAccount, name: headlamp}]
""",
        role("ClusterRole", "everything", '[{apiGroups: ["*"], resources: ["*"], verbs: ["*"]}]'),
    )
    assert perms.allows("get", "", "secrets", namespace="hl")
    assert not perms.allows("get", "", "nodes/proxy", namespace="hl")
    assert perms.allows("bind", "rbac.authorization.k8s.io", "clusterroles", namespace="hl")
