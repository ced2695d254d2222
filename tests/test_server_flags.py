"""More server-settings parsing: every Go flag syntax, env precedence, $(VAR) and Secret references, exposure."""

from __future__ import annotations

import pytest

from tests.test_server_settings import POD, model_of, server_of


@pytest.mark.parametrize(
    "args, flag, value",
    [
        ('["-base-url=/a"]', "base-url", "/a"),
        ('["--base-url=/a"]', "base-url", "/a"),
        ('["-base-url", "/a"]', "base-url", "/a"),
        ('["--base-url", "/a"]', "base-url", "/a"),
        ('["-dev"]', "dev", True),
        ('["--dev"]', "dev", True),
        ('["-dev=true"]', "dev", True),
        ('["-dev=false"]', "dev", False),
        ('["-dev=1"]', "dev", True),
        ('["-dev=0"]', "dev", False),
        ('["-dev=FALSE"]', "dev", False),
        ('["-session-ttl", "60"]', "session-ttl", 60),
        ('["-session-ttl=sixty"]', "session-ttl", None),
        ('["-sampling-rate=0.5"]', "sampling-rate", 0.5),
        ('["-dev", "false"]', "dev", True),  # a bool never takes the next word: "false" is positional
    ],
)
def test_go_flag_syntax(args, flag, value):
    server = server_of(f"      args: {args}")
    assert server.get(flag).value == value


def test_bool_flag_then_positional_stops_parsing():
    server = server_of('      args: ["-dev", "false", "-insecure-ssl"]')
    assert server.get("insecure-ssl") is None


def test_double_dash_ends_flags():
    server = server_of('      args: ["-in-cluster", "--", "-dev"]')
    assert server.enabled("in-cluster") and server.get("dev") is None


def test_env_sets_flag_and_explicit_flag_wins_either_order():
    server = server_of(
        """      args: ["-session-ttl=100"]
      env:
        - name: HEADLAMP_CONFIG_SESSION_TTL
          value: "999"
        - name: HEADLAMP_CONFIG_PROXY_AUTH
          value: "1\""""
    )
    assert server.get("session-ttl").value == 100 and server.get("session-ttl").via == "arg"
    assert server.get("proxy-auth").value is True and server.get("proxy-auth").via == "env"
    assert server.get("proxy-auth").env_name == "HEADLAMP_CONFIG_PROXY_AUTH"


def test_env_var_from_secret_is_known_as_secret_not_literal():
    server = server_of(
        """      env:
        - name: HEADLAMP_CONFIG_OIDC_CLIENT_SECRET
          valueFrom:
            secretKeyRef: {name: oidc, key: secret}"""
    )
    setting = server.get("oidc-client-secret")
    assert setting.from_secret and not setting.literal and setting.value is None
    assert server.is_set("oidc-client-secret")


def test_var_expansion_records_references_and_escapes():
    server = server_of(
        """      args: ["-base-url=$(PREFIX)/ui", "-oidc-scopes=$$(NOT_A_VAR)", "-oidc-callback-url", "$(CB)"]
      env:
        - name: PREFIX
          value: /team
        - name: CB
          value: https://hl.example.com/oidc-callback"""
    )
    assert server.get("base-url").value == "/team/ui" and server.get("base-url").refs == ("PREFIX",)
    assert server.get("oidc-scopes").value == "$(NOT_A_VAR)"
    callback = server.get("oidc-callback-url")
    assert callback.value == "https://hl.example.com/oidc-callback" and callback.refs == ("CB",)


def test_unresolved_reference_with_env_from_secret_is_from_a_secret():
    server = server_of(
        """      args: ["-oidc-client-secret=$(OIDC_CLIENT_SECRET)"]
      envFrom:
        - secretRef: {name: headlamp-oidc}"""
    )
    setting = server.get("oidc-client-secret")
    assert setting.from_secret and not setting.literal


def test_unknown_flag_after_value_flag_and_suggestions():
    server = server_of('      args: ["-base-url", "/x", "--tls-cert-pth=/a", "-zzzzzz"]')
    assert [(u.text, u.suggestion) for u in server.unknown] == [("--tls-cert-pth", "tls-cert-path"), ("-zzzzzz", None)]


def test_settings_are_located_at_the_arg_or_env_entry():
    server = server_of(
        """      args:
        - -in-cluster
        - -dev
      env:
        - name: HEADLAMP_CONFIG_INSECURE_SSL
          value: "true\""""
    )
    assert server.get("dev").fact.location.span.line == 12
    assert server.get("insecure-ssl").fact.location.span.line == 14
    assert server.get("dev").describe() == "arg -dev"


def test_exposure_through_named_port_and_namespaces():
    text = POD.replace("{body}", "") + """---
apiVersion: v1
kind: Service
metadata: {name: headlamp}
spec:
  selector: {app: headlamp}
  ports: [{port: 80, targetPort: http, name: http}]
---
apiVersion: networking.k8s.io/v1
kind: Ingress
metadata: {name: by-name}
spec:
  defaultBackend: {service: {name: headlamp, port: {name: http}}}
---
apiVersion: networking.k8s.io/v1
kind: Ingress
metadata: {name: wrong-port}
spec:
  defaultBackend: {service: {name: headlamp, port: {number: 8080}}}
---
apiVersion: networking.k8s.io/v1
kind: Ingress
metadata: {name: other-namespace, namespace: other}
spec:
  defaultBackend: {service: {name: headlamp, port: {name: http}}}
---
apiVersion: v1
kind: Service
metadata: {name: lb-elsewhere, namespace: other}
spec:
  type: LoadBalancer
  selector: {app: headlamp}
"""
    (installation,) = model_of(text).installations
    assert [i.obj.name for i in installation.ingresses] == ["by-name"]
    assert installation.is_exposed and not installation.external_services


def test_not_exposed_without_routes():
    (installation,) = model_of(POD.replace("{body}", "")).installations
    assert not installation.is_exposed


from hypothesis import HealthCheck, given, settings  # noqa: E402
from hypothesis import strategies as st  # noqa: E402

_TOKENS = st.one_of(
    st.sampled_from(["-dev", "--dev=0", "-session-ttl", "-base-url=$(X)", "--", "$(SECRET)", "-x=", "-", "=", "$$"]),
    st.text(alphabet="-=$()abcdeilnrstuxAZ_019", max_size=12),
)


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(args=st.lists(_TOKENS, max_size=8), env_value=st.text(alphabet=st.characters(min_codepoint=32, max_codepoint=0xD7FF), max_size=10))
def test_any_arguments_are_read_without_error(args, env_value):
    import json

    server = server_of(
        f"      args: {json.dumps(args)}\n      env:\n        - name: X\n          value: {json.dumps(env_value)}\n"
        "        - name: SECRET\n          valueFrom: {secretKeyRef: {name: s, key: k}}"
    )
    for setting in server.settings.values():
        assert setting.flag and setting.via in ("arg", "env", "image")
        assert setting.value is None or setting.literal  # a value from a Secret is never guessed
    assert all(u.text for u in server.unknown)


def test_values_from_config_maps_count_as_set_but_unknown():
    server = server_of(
        """      args: ["-oidc-client-id=$(OIDC_CLIENT_ID)", "-oidc-idp-issuer-url=$(ISSUER)"]
      env:
        - name: ISSUER
          valueFrom:
            configMapKeyRef: {name: headlamp, key: issuer}
      envFrom:
        - configMapRef: {name: headlamp}"""
    )
    for flag in ("oidc-client-id", "oidc-idp-issuer-url"):
        setting = server.get(flag)
        assert server.is_set(flag) and setting.value is None and not setting.literal and not setting.from_secret
