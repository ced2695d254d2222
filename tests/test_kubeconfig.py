"""Kubeconfig credentials (issue 17, point 4): which identity every visitor acts as, and what it is bound to."""

from __future__ import annotations

from linter.engine import lint_paths
from linter.located import FILE_START, Location
from linter.model.kubeconfig import parse_kubeconfig, service_account_of_token
from linter.settings import Settings
from tests.conftest import FIXTURES

BAD = FIXTURES / "rules" / "hl111_kubeconfig_static_credentials" / "bad.yaml"
HERE = Location("k.yaml", FILE_START)


def _messages(rule: str) -> dict[int, str]:
    result = lint_paths([str(BAD)], Settings())
    return {d.location.span.line: d.message for d in result.diagnostics if d.rule_id == rule}


def test_service_account_identities_name_their_bindings():
    messages = _messages("HL111")
    assert sorted(messages) == [28, 72, 113, 156]
    assert "ServiceAccount tools/dashboard-admin, bound to ClusterRole cluster-admin" in messages[113]
    assert "ServiceAccount tools/dashboard-admin, bound to ClusterRole cluster-admin" in messages[156]  # token file
    assert "a static bearer token" in messages[28] and "user 'admin'" in messages[28]
    assert "a client certificate" in messages[72] and "env KUBECONFIG" in messages[72]


def test_current_context_selects_the_user():
    text = """\
users:
  - {name: a, user: {token: t}}
  - {name: b, user: {exec: {command: x}}}
contexts:
  - {name: c, context: {user: b}}
current-context: c
"""
    config = parse_kubeconfig(text, "/k", "env KUBECONFIG", "ConfigMap x/y key z", HERE)
    assert [(u.name, u.is_static) for u in config.users] == [("b", False)]
    without = parse_kubeconfig(text.replace("current-context: c\n", ""), "/k", "", "", HERE)
    assert [(u.name, u.credential) for u in without.users] == [("a", "token"), ("b", "")]


def test_not_yaml_is_a_problem_not_an_exception():
    config = parse_kubeconfig("users: [unclosed\n", "/k", "", "", HERE)
    assert config.users == () and config.problem is not None and "not valid YAML" in config.problem


def test_service_account_token_subject():
    token = ("eyJhbGciOiAiUlMyNTYifQ.eyJpc3MiOiAia3ViZXJuZXRlcy9zZXJ2aWNlYWNjb3VudCIsICJzdWIiOiAic3lzdGVtOnNlcnZpY2VhY2"
             "NvdW50OnRvb2xzOmRhc2hib2FyZC1hZG1pbiJ9.c2ln")
    assert service_account_of_token(token) == ("tools", "dashboard-admin")
    assert service_account_of_token("static-admin-token") is None
    assert service_account_of_token("a.%%%.c") is None
