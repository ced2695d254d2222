"""Secrets and ConfigMaps of the input feed the server settings (issue 17, point 2)."""

from __future__ import annotations

from linter.engine import lint_paths
from linter.settings import Settings
from tests.conftest import FIXTURES
from tests.model_helpers import model_of

DEPLOYMENT = """\
apiVersion: apps/v1
kind: Deployment
metadata:
  name: headlamp
  namespace: hl
spec:
  template:
    spec:
      containers:
        - name: headlamp
          image: ghcr.io/headlamp-k8s/headlamp:v0.45.0
          args: ["-in-cluster", "-oidc-client-id=$(ID)", "-oidc-idp-issuer-url=$(OIDC_URL)", "-base-url=$(BASE)"]
          env:
            - name: ID
              valueFrom:
                secretKeyRef: {name: oidc, key: clientID}
            - name: BASE
              valueFrom:
                configMapKeyRef: {name: settings, key: base}
            - name: OIDC_URL
              value: https://literal.example.com
          envFrom:
            - secretRef: {name: more}
              prefix: OIDC_
"""

OBJECTS = """\
apiVersion: v1
kind: Secret
metadata: {name: oidc, namespace: hl}
data:
  clientID: aGVhZGxhbXA=
stringData:
  clientID: from-string-data
---
apiVersion: v1
kind: ConfigMap
metadata: {name: settings, namespace: hl}
data:
  base: /headlamp
---
apiVersion: v1
kind: Secret
metadata: {name: more, namespace: hl}
stringData:
  URL: http://from-env-from.example.com
  SCOPES: openid
"""


def _server(*texts: str):
    model = model_of(*texts)
    (installation,) = model.installations
    return installation.servers[0]


def test_secret_key_ref_config_map_key_ref_and_string_data_are_read_and_located():
    server = _server(DEPLOYMENT, OBJECTS)
    client_id = server.get("oidc-client-id")
    assert client_id.value == "from-string-data"  # stringData wins over data
    assert client_id.source.location.path == "file1.yaml" and client_id.source.location.span.line == 7
    assert client_id.from_secret and not client_id.literal and client_id.known
    base = server.get("base-url")
    assert (base.value, base.source.location.span.line, base.from_secret) == ("/headlamp", 13, False)
    assert base.held_in() == ", read from ConfigMap hl/settings key base"


def test_env_beats_env_from_and_env_from_keys_take_the_prefix():
    server = _server(DEPLOYMENT, OBJECTS)
    assert server.get("oidc-idp-issuer-url").value == "https://literal.example.com"  # env OIDC_URL, not envFrom
    assert server.environment["OIDC_SCOPES"].text == "openid"
    assert server.environment["OIDC_URL"].literal
    assert "URL" not in server.environment


def test_objects_not_in_the_input_stay_set_but_unknown():
    server = _server(DEPLOYMENT)
    client_id = server.get("oidc-client-id")
    assert client_id.value is None and not client_id.known and client_id.source is None
    assert server.is_set("oidc-client-id") and server.is_set("base-url")


def test_objects_of_another_namespace_are_not_read():
    server = _server(DEPLOYMENT, OBJECTS.replace("namespace: hl", "namespace: elsewhere"))
    assert server.get("oidc-client-id").value is None


def test_values_rendered_chart_secret_is_located_at_the_values_key():
    path = FIXTURES / "rules" / "hl104_oidc_issuer_not_https" / "bad_chart_secret.values.yaml"
    result = lint_paths([], Settings(values_files=(str(path),)))
    (hl104,) = [d for d in result.diagnostics if d.rule_id == "HL104"]
    assert (hl104.location.span.line, hl104.location.span.column) == (4, 16)
    assert "values key config.oidc.issuerURL" in hl104.message and "Secret default/oidc" in hl104.message


def test_bad_base64_is_located_and_the_rest_is_linted():
    from linter.engine import Collector, load_file
    from linter.model.builder import build_model
    from linter.source import SourceFile

    settings = Settings()
    out = Collector(settings)
    units = [load_file(SourceFile.from_text(name, text), True, settings, out) for name, text in
             (("d.yaml", DEPLOYMENT), ("s.yaml", OBJECTS.replace("aGVhZGxhbXA=", "not base64!")))]
    assert [(d.rule_id, d.location.path, d.location.span.line, d.location.span.column) for d in out.items] == [
        ("HL009", "s.yaml", 5, 13)]
    assert "not valid base64" in out.items[0].message
    (installation,) = build_model(u.parts for u in units).installations
    server = installation.servers[0]
    assert server.get("oidc-client-id").value == "from-string-data"  # the rest of the Secret is still read
    assert server.get("base-url").value == "/headlamp"
