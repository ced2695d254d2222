"""Network relations: policy selection, allow-all forms, source ranges, ingress controllers, cross-file runs."""

from __future__ import annotations

import json

import pytest

from linter.model.ingress_controls import ALLOWLIST, RATE_LIMIT, ingress_controls, middleware_index
from linter.rules.hl507_open_proxy_urls import is_broad
from tests.cli import invoke
from tests.model_helpers import model_of


def headlamp(namespace: str = "hl", labels: str = "{app: headlamp, tier: ui}") -> str:
    return f"""
apiVersion: apps/v1
kind: Deployment
metadata: {{name: headlamp, namespace: {namespace}}}
spec:
  selector: {{matchLabels: {{app: headlamp}}}}
  template:
    metadata: {{labels: {labels}}}
    spec:
      serviceAccountName: headlamp
      containers:
        - {{name: headlamp, image: "ghcr.io/headlamp-k8s/headlamp:v0.45.0"}}
"""


def policy(spec: str, namespace: str = "hl", name: str = "p") -> str:
    return f"""
apiVersion: networking.k8s.io/v1
kind: NetworkPolicy
metadata: {{name: {name}, namespace: {namespace}}}
spec: {spec}
"""


@pytest.mark.parametrize(
    "selector, selects",
    [
        ("{}", True),
        ("{matchLabels: {app: headlamp}}", True),
        ("{matchLabels: {app: headlamp, tier: api}}", False),
        ("{matchExpressions: [{key: app, operator: In, values: [headlamp, x]}]}", True),
        ("{matchExpressions: [{key: app, operator: In, values: [x]}]}", False),
        ("{matchExpressions: [{key: tier, operator: NotIn, values: [db]}]}", True),
        ("{matchExpressions: [{key: tier, operator: NotIn, values: [ui]}]}", False),
        ("{matchExpressions: [{key: missing, operator: NotIn, values: [ui]}]}", True),
        ("{matchExpressions: [{key: tier, operator: Exists}]}", True),
        ("{matchExpressions: [{key: missing, operator: Exists}]}", False),
        ("{matchExpressions: [{key: missing, operator: DoesNotExist}]}", True),
        ("{matchExpressions: [{key: app, operator: DoesNotExist}]}", False),
        ("{matchExpressions: [{key: app, operator: Bogus, values: [headlamp]}]}", False),
    ],
)
def test_pod_selector_matching(selector, selects):
    model = model_of(headlamp(), policy(f"{{podSelector: {selector}}}"))
    assert bool(model.installations[0].network_policies) is selects


def test_policies_select_only_pods_of_their_namespace():
    model = model_of(headlamp("hl"), policy("{podSelector: {}}", namespace="other"))
    assert model.installations[0].network_policies == ()


@pytest.mark.parametrize(
    "spec, governs",
    [
        ("{podSelector: {}}", True),  # default-deny ingress: implicit policyTypes [Ingress]
        ("{podSelector: {}, policyTypes: [Ingress, Egress]}", True),
        ("{podSelector: {}, policyTypes: [Egress]}", False),
        ("{podSelector: {}, egress: [{}]}", True),  # implicit [Ingress, Egress]
    ],
)
def test_policy_types_including_the_implicit_default(spec, governs):
    model = model_of(headlamp(), policy(spec))
    assert bool(model.installations[0].network_policies) is governs


def _rules(*args: str, files: dict[str, str], tmp_path) -> set[tuple[str, int, int, str]]:
    paths = []
    for name, text in files.items():
        path = tmp_path / name
        path.write_text(text, encoding="utf-8")
        paths.append(str(path))
    result = invoke(["check", "-f", "json", "--exit-zero", *args, *paths])
    assert result.exit_code == 0, result.output
    return {
        (d["path"].rsplit("/", 1)[-1], d["line"], d["column"], d["rule"])
        for d in json.loads(result.stdout)["diagnostics"]
    }


def test_a_policy_in_another_file_clears_hl501_and_a_partial_run_reports_it(tmp_path):
    files = {"deploy.yaml": headlamp(), "policy.yaml": policy("{podSelector: {matchLabels: {app: headlamp}}}")}
    both = _rules("--select", "HL501", files=files, tmp_path=tmp_path)
    assert both == set()
    alone = _rules("--select", "HL501", files={"deploy.yaml": files["deploy.yaml"]}, tmp_path=tmp_path)
    assert alone == {("deploy.yaml", 3, 1, "HL501")}


def test_allow_all_forms_are_reported_at_the_rule_or_peer(tmp_path):
    text = policy(
        """
  podSelector: {}
  ingress:
    - {}
    - from: []
    - from:
        - ipBlock: {cidr: 0.0.0.0/0}
        - ipBlock: {cidr: "::/0", except: ["::1/128"]}
        - ipBlock: {cidr: 10.0.0.0/8}
        - namespaceSelector: {}
"""
    )
    found = _rules("--select", "HL502", files={"d.yaml": headlamp(), "p.yaml": text}, tmp_path=tmp_path)
    assert found == {("p.yaml", 8, 7, "HL502"), ("p.yaml", 9, 7, "HL502"), ("p.yaml", 11, 11, "HL502")}


def test_source_ranges_and_service_types(tmp_path):
    services = """
apiVersion: v1
kind: Service
metadata: {name: lb, namespace: hl}
spec:
  type: LoadBalancer
  selector: {app: headlamp}
  loadBalancerSourceRanges: [10.0.0.0/8, 0.0.0.0/0]
  externalIPs: [192.0.2.1]
  ports: [{port: 80}]
---
apiVersion: v1
kind: Service
metadata: {name: np, namespace: hl}
spec:
  type: NodePort
  selector: {app: headlamp}
  ports: [{port: 80}]
"""
    found = _rules("--select", "HL503,HL504,HL509", files={"d.yaml": headlamp(), "s.yaml": services}, tmp_path=tmp_path)
    assert found == {("s.yaml", 8, 42, "HL503"), ("s.yaml", 9, 17, "HL509"), ("s.yaml", 16, 9, "HL504")}


def ingress(annotations: str, cls: str | None, namespace: str = "hl") -> str:
    class_line = f"  ingressClassName: {cls}\n" if cls else ""
    return f"""
apiVersion: networking.k8s.io/v1
kind: Ingress
metadata:
  name: i
  namespace: {namespace}
  annotations: {annotations}
spec:
{class_line}  defaultBackend: {{service: {{name: headlamp, port: {{number: 80}}}}}}
"""


MIDDLEWARES = """
apiVersion: traefik.io/v1alpha1
kind: Middleware
metadata: {name: limits, namespace: hl}
spec: {rateLimit: {average: 5}}
---
apiVersion: traefik.io/v1alpha1
kind: Middleware
metadata: {name: office, namespace: hl}
spec: {ipAllowList: {sourceRange: [10.0.0.0/8]}}
---
apiVersion: traefik.io/v1alpha1
kind: Middleware
metadata: {name: both, namespace: hl}
spec: {chain: {middlewares: [{name: limits}, {name: office}]}}
"""


@pytest.mark.parametrize(
    "annotations, cls, controller, rate, allow, unresolved",
    [
        ('{nginx.ingress.kubernetes.io/limit-rps: "5"}', "nginx", "ingress-nginx", True, False, False),
        ('{nginx.ingress.kubernetes.io/limit-rps: ""}', "nginx", "ingress-nginx", False, False, False),
        ('{nginx.ingress.kubernetes.io/whitelist-source-range: "10.0.0.0/8"}', None, "ingress-nginx", False, True, False),
        ('{kubernetes.io/ingress.class: nginx, nginx.ingress.kubernetes.io/limit-connections: "9"}', None,
         "ingress-nginx", True, False, False),
        ('{haproxy.org/rate-limit-requests: "10", haproxy.org/allow-list: "10.0.0.0/8"}', "haproxy", "haproxy", True,
         True, False),
        ('{haproxy-ingress.github.io/allowlist-source-range: "10.0.0.0/8"}', "haproxy-ingress", "haproxy-ingress",
         False, True, False),
        ('{traefik.ingress.kubernetes.io/router.middlewares: "hl-limits@kubernetescrd"}', "traefik", "traefik", True,
         False, False),
        ('{traefik.ingress.kubernetes.io/router.middlewares: "hl-both@kubernetescrd"}', "traefik", "traefik", True,
         True, False),
        ('{traefik.ingress.kubernetes.io/router.middlewares: "hl-office@kubernetescrd,x-y@file"}', "traefik",
         "traefik", False, True, True),
        ('{nginx.ingress.kubernetes.io/limit-rps: "5"}', "alb", None, False, False, False),
        ("{}", None, None, False, False, False),
    ],
)
def test_ingress_controls_per_controller(annotations, cls, controller, rate, allow, unresolved):
    model = model_of(headlamp(), ingress(annotations, cls), MIDDLEWARES)
    (item,) = model.ingresses
    controls = ingress_controls(item, middleware_index(model.middlewares, model.twins))
    assert controls.controller == controller
    assert bool(controls.provided(RATE_LIMIT)) is rate
    assert bool(controls.provided(ALLOWLIST)) is allow
    assert bool(controls.unresolved) is unresolved


@pytest.mark.parametrize(
    "pattern, broad",
    [
        ("*", True),
        ("http://*", True),
        ("https://*", True),
        ("*://*", True),
        ("https://*/*", True),
        ("https://*:8443/api", True),
        ("https://*.com", True),
        ("*.io/*", True),
        ("https://*.example.com/*", False),
        ("https://prometheus.example.com/*", False),
        ("http://10.0.0.5:9090", False),
        ("", False),
    ],
)
def test_proxy_url_breadth(pattern, broad):
    assert is_broad(pattern) is broad
