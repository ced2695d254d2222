"""Headlamp server settings: Go flag syntax, env vars, precedence, $(VAR) expansion."""

from __future__ import annotations

from linter.engine import Collector, load_file
from linter.model.builder import build_model
from linter.settings import Settings
from linter.source import SourceFile

POD = """\
apiVersion: v1
kind: Pod
metadata:
  name: headlamp
  labels: {app: headlamp}
spec:
  containers:
    - name: headlamp
      image: ghcr.io/headlamp-k8s/headlamp:v0.45.0
{body}
"""


def model_of(text: str):
    settings = Settings()
    unit = load_file(SourceFile.from_text("pod.yaml", text), True, settings, Collector(settings))
    return build_model([unit.parts])


def server_of(body: str):
    model = model_of(POD.replace("{body}", body))
    (installation,) = model.installations
    return installation.servers[0]


def test_flag_syntaxes():
    server = server_of(
        '      args: ["-in-cluster", "--dev", "-session-ttl=600", "-base-url", "/hl", "-insecure-ssl=false", "-tls-cert-path=0"]'
    )
    assert server.enabled("in-cluster") and server.enabled("dev")
    assert server.get("session-ttl").value == 600
    assert server.get("base-url").value == "/hl"
    assert server.get("insecure-ssl").value is False
    assert server.get("tls-cert-path").value == "0"
    assert server.get("in-cluster").fact.location.span.line == 10


def test_bool_forms_and_parsing_stops_at_first_positional():
    server = server_of('      args: ["-dev=1", "-enable-helm=t", "positional", "-insecure-ssl"]')
    assert server.enabled("dev") and server.enabled("enable-helm")
    assert server.get("insecure-ssl") is None


def test_env_and_precedence_flag_beats_env():
    server = server_of(
        """      args: ["-metrics-enabled=false"]
      env:
        - name: HEADLAMP_CONFIG_METRICS_ENABLED
          value: "true"
        - name: HEADLAMP_CONFIG_OIDC_SKIP_TLS_VERIFY
          value: "true\""""
    )
    assert server.get("metrics-enabled").value is False and server.get("metrics-enabled").via == "arg"
    skip = server.get("oidc-skip-tls-verify")
    assert skip.value is True and skip.via == "env"
    assert skip.describe() == "env HEADLAMP_CONFIG_OIDC_SKIP_TLS_VERIFY"


def test_var_expansion_literal_and_secret():
    server = server_of(
        """      args: ["-oidc-client-id=$(ID)", "-oidc-client-secret=$(SECRET)", "-oidc-idp-issuer-url=$(MISSING)"]
      env:
        - name: ID
          value: headlamp
        - name: SECRET
          valueFrom:
            secretKeyRef: {name: oidc, key: clientSecret}"""
    )
    assert server.get("oidc-client-id").value == "headlamp"
    secret = server.get("oidc-client-secret")
    assert secret.from_secret and not secret.literal
    assert server.get("oidc-idp-issuer-url").raw == "$(MISSING)"


def test_unknown_flags_and_env_with_suggestions():
    server = server_of(
        """      args: ["-in-clustr", "-oidc-client-id=x"]
      env:
        - name: HEADLAMP_CONFIG_INSECURE_SSLL
          value: "true"
        - name: HEADLAMP_STATIC_PLUGINS_DIR
          value: "" """
    )
    found = {(u.text, u.suggestion) for u in server.unknown}
    assert found == {("-in-clustr", "in-cluster"), ("HEADLAMP_CONFIG_INSECURE_SSLL", "HEADLAMP_CONFIG_INSECURE_SSL")}


def test_image_entrypoint_args_and_command_override():
    assert server_of("").get("plugins-dir").via == "image"
    server = server_of('      command: ["/headlamp/headlamp-server", "-dev"]')
    assert server.enabled("dev") and server.get("plugins-dir") is None
    shell = server_of('      command: ["sh", "-c", "exec /headlamp/headlamp-server -dev"]')
    assert not shell.analysable


def test_exposure_links_service_ingress_and_policy():
    text = POD.replace("{body}", "      ports: [{containerPort: 4466, name: http}]") + """---
apiVersion: v1
kind: Service
metadata: {name: headlamp}
spec:
  type: NodePort
  selector: {app: headlamp}
  ports: [{port: 80, targetPort: http, name: http}]
---
apiVersion: networking.k8s.io/v1
kind: Ingress
metadata: {name: headlamp}
spec:
  rules:
    - host: hl.example.com
      http:
        paths:
          - path: /
            pathType: Prefix
            backend: {service: {name: headlamp, port: {name: http}}}
---
apiVersion: networking.k8s.io/v1
kind: NetworkPolicy
metadata: {name: headlamp}
spec:
  podSelector:
    matchExpressions:
      - {key: app, operator: In, values: [headlamp, other]}
  ingress: [{}]
---
apiVersion: networking.k8s.io/v1
kind: NetworkPolicy
metadata: {name: elsewhere, namespace: other}
spec:
  podSelector: {}
"""
    (installation,) = model_of(text).installations
    assert [s.obj.name for s in installation.services] == ["headlamp"]
    assert [i.obj.name for i in installation.ingresses] == ["headlamp"]
    assert [p.obj.name for p in installation.network_policies] == ["headlamp"]
    assert installation.is_exposed and installation.external_services
