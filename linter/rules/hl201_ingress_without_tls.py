"""## What it does
Reports an Ingress that routes to Headlamp where a host (or the catch-all
rule without a host) has no `spec.tls` entry covering it. A wildcard TLS
host (`*.example.com`) covers one label below it.

## Why is this bad?
That host is served over plain HTTP: tokens, cookies and the Kubernetes
data Headlamp shows travel in clear text, and Headlamp's cookies lack the
`Secure` flag.

## Example
```yaml
# manifest
apiVersion: v1
kind: Service
metadata:
  name: headlamp
spec:
  selector: {app: headlamp}
  ports: [{name: http, port: 80, targetPort: 4466}]
---
apiVersion: v1
kind: Pod
metadata:
  name: headlamp
  labels: {app: headlamp}
spec:
  containers:
    - name: headlamp
      image: ghcr.io/headlamp-k8s/headlamp:v0.45.0
---
apiVersion: networking.k8s.io/v1
kind: Ingress
metadata:
  name: headlamp
spec:
  rules:
    - host: headlamp.example.com
      http:
        paths:
          - path: /
            pathType: Prefix
            backend: {service: {name: headlamp, port: {name: http}}}
```

```yaml
# values
ingress:
  enabled: true
  hosts:
    - host: headlamp.example.com
      paths: [{path: /, type: Prefix}]
```

## Use instead
```yaml
# manifest
apiVersion: v1
kind: Service
metadata:
  name: headlamp
spec:
  selector: {app: headlamp}
  ports: [{name: http, port: 80, targetPort: 4466}]
---
apiVersion: v1
kind: Pod
metadata:
  name: headlamp
  labels: {app: headlamp}
spec:
  containers:
    - name: headlamp
      image: ghcr.io/headlamp-k8s/headlamp:v0.45.0
---
apiVersion: networking.k8s.io/v1
kind: Ingress
metadata:
  name: headlamp
spec:
  tls:
    - hosts: [headlamp.example.com]
      secretName: headlamp-tls
  rules:
    - host: headlamp.example.com
      http:
        paths:
          - path: /
            pathType: Prefix
            backend: {service: {name: headlamp, port: {name: http}}}
```

## Options
None.

## References
- https://kubernetes.io/docs/concepts/services-networking/ingress/#tls
"""

from __future__ import annotations

from typing import Iterator

from linter.diagnostics import Finding, Severity
from linter.model.network import Ingress, IngressTLS
from linter.rules._server import routes_to_headlamp
from linter.rules.base import RuleMeta

RULE = RuleMeta(
    id="HL201",
    name="ingress-without-tls",
    title="An Ingress host for Headlamp has no TLS",
    severity=Severity.ERROR,
    security_severity=7.5,
    tags=("headlamp", "ingress"),
)


def host_covered(host: str | None, tls: tuple[IngressTLS, ...]) -> bool:
    for entry in tls:
        if host is None:
            if not entry.hosts:
                return True  # a tls entry without hosts serves the catch-all with the default certificate
            continue
        for pattern in entry.hosts:
            if pattern.lower() == host.lower():
                return True
            if pattern.startswith("*.") and "." in host and host.split(".", 1)[1].lower() == pattern[2:].lower():
                return True
    return False


def check(model, ctx) -> Iterator[Finding]:
    for installation in model.installations:
        for ingress in installation.ingresses:
            yield from _ingress(installation, ingress)


def _ingress(installation, ingress: Ingress) -> Iterator[Finding]:
    if ingress.always_tls:
        return  # e.g. ingressClassName: tailscale, served on the tailnet over HTTPS only
    seen: set[str | None] = set()
    for rule in ingress.rules:
        if not any(routes_to_headlamp(installation, ingress, b) for b in rule.backends) or rule.host in seen:
            continue
        seen.add(rule.host)
        if host_covered(rule.host, ingress.tls):
            continue
        what = f"host {rule.host}" if rule.host else "the catch-all rule (no host)"
        yield Finding(
            rule.location,
            f"{ingress.obj.ref} serves Headlamp on {what} without a spec.tls entry for it: logins and"
            " tokens travel over plain HTTP",
            ingress.obj.ref,
            f"spec.rules[{rule.host or '*'}].host",
        )
    default = ingress.default_backend
    if (
        not ingress.rules
        and default is not None
        and routes_to_headlamp(installation, ingress, default)
        and not host_covered(None, ingress.tls)
    ):
        yield Finding(
            default.location,
            f"{ingress.obj.ref} serves Headlamp as its default backend without a spec.tls entry: logins and"
            " tokens travel over plain HTTP",
            ingress.obj.ref,
            "spec.defaultBackend",
        )
