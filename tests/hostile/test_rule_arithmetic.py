"""Rule arithmetic is total: absurd numbers (hundreds of digits, negative, huge, not finite) and absurd
certificate dates give a finding or nothing, never ``internal error in rule …`` (HL000)."""

from __future__ import annotations

import datetime as dt

import pytest

from linter.engine import lint_paths
from linter.settings import Settings
from tests.certgen import make_cert
from tests.test_certificates import lint as lint_certificate

NUMBERS = ["9" * 400, "-" + "9" * 400, "-1", "0", "99999999999999999999", "1e400", "-0", "0x" + "f" * 300,
           "1_000", ".inf", "-.inf", ".nan"]

MANIFEST = """apiVersion: apps/v1
kind: Deployment
metadata: {{name: headlamp, namespace: ns}}
spec:
  replicas: {0}
  revisionHistoryLimit: {0}
  template:
    metadata: {{labels: {{app: h}}}}
    spec:
      terminationGracePeriodSeconds: {0}
      securityContext: {{runAsUser: {0}, runAsGroup: {0}, fsGroup: {0}, supplementalGroups: [{0}]}}
      containers:
        - name: headlamp
          image: ghcr.io/headlamp-k8s/headlamp:v0.45.0
          args: ["-in-cluster", "-session-ttl={0}", "-port={0}", "-oidc-client-id=x", "-oidc-idp-issuer-url=https://i"]
          ports: [{{containerPort: {0}, hostPort: {0}}}]
          securityContext: {{runAsUser: {0}, runAsGroup: {0}}}
          resources: {{limits: {{cpu: {0}, memory: {0}}}, requests: {{cpu: {0}, memory: {0}}}}}
---
apiVersion: v1
kind: Service
metadata: {{name: headlamp, namespace: ns}}
spec:
  type: NodePort
  selector: {{app: h}}
  ports: [{{port: {0}, targetPort: {0}, nodePort: {0}}}]
---
apiVersion: networking.k8s.io/v1
kind: Ingress
metadata:
  name: headlamp
  namespace: ns
  annotations: {{nginx.ingress.kubernetes.io/limit-rps: "{0}", nginx.ingress.kubernetes.io/limit-connections: "{0}"}}
spec:
  rules: [{{http: {{paths: [{{path: /, pathType: Prefix, backend: {{service: {{name: headlamp, port: {{number: {0}}}}}}}}}]}}}}]
"""
VALUES = """replicaCount: {0}
config:
  sessionTTL: {0}
  extraArgs: ["-session-ttl={0}"]
service:
  type: NodePort
  port: {0}
  nodePort: {0}
securityContext: {{runAsUser: {0}, runAsGroup: {0}}}
podSecurityContext: {{fsGroup: {0}, runAsUser: {0}}}
resources: {{limits: {{memory: {0}, cpu: {0}}}}}
ingress:
  enabled: true
  annotations: {{nginx.ingress.kubernetes.io/limit-rps: "{0}"}}
"""


@pytest.mark.parametrize("number", NUMBERS)
@pytest.mark.parametrize("name, template", [("manifest.yaml", MANIFEST), ("values.yaml", VALUES)])
def test_absurd_numbers_never_break_a_rule(tmp_path, number, name, template):
    path = tmp_path / name
    path.write_text(template.format(number))
    result = lint_paths([str(path)], Settings())
    assert [d.message for d in result.diagnostics if d.rule_id == "HL000"] == []
    if number == "9" * 400:
        (ttl,) = [d for d in result.diagnostics if d.rule_id == "HL110"]
        assert "999999999999…(400 digits) s" in ttl.message


@pytest.mark.parametrize("not_before, not_after", [
    (dt.datetime(1950, 1, 1, tzinfo=dt.timezone.utc), dt.datetime(9999, 12, 31, 23, 59, tzinfo=dt.timezone.utc)),
    (dt.datetime(9999, 1, 1, tzinfo=dt.timezone.utc), dt.datetime(9999, 12, 31, tzinfo=dt.timezone.utc)),
    (dt.datetime(1950, 1, 1, tzinfo=dt.timezone.utc), dt.datetime(1950, 1, 1, 0, 1, tzinfo=dt.timezone.utc)),
])
def test_absurd_certificate_dates_never_break_a_rule(tmp_path, not_before, not_after):
    cert = make_cert("odd.example.com", not_before=not_before, not_after=not_after)
    found = lint_certificate(tmp_path, cert.pem, "--select", "HL000,HL205,HL206,HL207")
    assert not [f for f in found if f["rule"] == "HL000"]
    if not_after.year == 1950 and not_before.year == 1950:
        assert any(f["rule"] == "HL206" and f["severity"] == "error" for f in found)
