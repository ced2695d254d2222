"""The chart's own rendered test cases (../shared) yield the authentication/TLS findings the chart's behaviour implies."""

from __future__ import annotations

import json

import pytest

from tests.cli import invoke
from tests.conftest import shared_path

# Chart test case -> HL006/HL1xx/HL2xx rules its rendered manifest must (exactly) trigger.
EXPECTED = {
    "default": {"HL102"},  # no OIDC, ClusterIP only
    "extra-args": {"HL102", "HL203"},  # config.extraArgs: [-insecure-ssl]
    "oidc-directly": {"HL103", "HL104", "HL105"},  # secret.create: false: literal env values; issuer "testIssuerURL"
    # the rendered Secret oidc holds the client secret and the issuer "testIssuerURL" (read from it); no PKCE
    "oidc-create-secret": {"HL103", "HL104", "HL105"},
    "oidc-external-secret": {"HL105"},  # envFrom an external Secret
    "service-account-token": {"HL102", "HL106"},
    "service-extra-ports": {"HL101", "HL202"},  # NodePort, no auth, plain HTTP
    "httproute-enabled": {"HL101"},  # its Gateway is outside the input: HL209 cannot tell
    "ingress-multi-backend": {"HL101", "HL201"},
    "tls-added": {"HL102"},  # both -tls-* flags and probes.scheme: HTTPS
}


def our_rules(path) -> set[str]:
    result = invoke(["check", "-f", "json", "--exit-zero", "--select", "HL006,HL1,HL2", str(path)])
    assert result.exit_code == 0, result.output
    return {d["rule"] for d in json.loads(result.stdout)["diagnostics"]}


@pytest.mark.parametrize("case", sorted(EXPECTED))
def test_rendered_chart_case(case):
    rendered = shared_path("reference", "headlamp", "chart-tests", case, "rendered.yaml")
    assert our_rules(rendered) == EXPECTED[case]
