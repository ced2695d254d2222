"""## What it does
Reports an Ingress that routes to Headlamp (every Ingress with
`--all-workloads`) without a source allow-list at its controller:
ingress-nginx `nginx.ingress.kubernetes.io/whitelist-source-range` or
`allowlist-source-range`; a Traefik `ipAllowList` (or `ipWhiteList`)
Middleware referenced by `traefik.ingress.kubernetes.io/router.middlewares`;
HAProxy `haproxy.org/allow-list` (or `whitelist`); haproxy-ingress
`allowlist-source-range`. Controller detection, unknown controllers and
unresolved middlewares work as in HL505. The finding is on the
`annotations` key (or `metadata`).

## Why is this bad?
Headlamp is an administration console: when its users sit on known
networks (office, VPN), an allow-list keeps the rest of the internet from
reaching its login page at all.

## Example
```yaml
# manifest
apiVersion: networking.k8s.io/v1
kind: Ingress
metadata:
  name: headlamp
  annotations:
    traefik.ingress.kubernetes.io/router.middlewares: default-ratelimit@kubernetescrd
spec:
  ingressClassName: traefik
  defaultBackend:
    service:
      name: headlamp
      port:
        number: 80
---
apiVersion: traefik.io/v1alpha1
kind: Middleware
metadata:
  name: ratelimit
spec:
  rateLimit:
    average: 10
```

## Use instead
```yaml
# manifest
apiVersion: networking.k8s.io/v1
kind: Ingress
metadata:
  name: headlamp
  annotations:
    traefik.ingress.kubernetes.io/router.middlewares: default-office@kubernetescrd
spec:
  ingressClassName: traefik
  defaultBackend:
    service:
      name: headlamp
      port:
        number: 80
---
apiVersion: traefik.io/v1alpha1
kind: Middleware
metadata:
  name: office
spec:
  ipAllowList:
    sourceRange: ["192.0.2.0/24"]
```

## Options
None.

## References
- https://kubernetes.github.io/ingress-nginx/user-guide/nginx-configuration/annotations/#whitelist-source-range
- https://doc.traefik.io/traefik/middlewares/http/ipallowlist/
"""

from __future__ import annotations

from typing import Iterator

from linter.diagnostics import Finding, Severity
from linter.model.ingress_controls import ALLOWLIST
from linter.rules._ingress_protection import missing_protection
from linter.rules.base import RuleMeta

RULE = RuleMeta(
    id="HL506",
    name="ingress-without-source-allowlist",
    title="Headlamp's Ingress has no source allow-list",
    severity=Severity.INFO,
    security_severity=3.0,
    tags=("network", "ingress"),
)

HOW = {
    "ingress-nginx": "add the annotation nginx.ingress.kubernetes.io/allowlist-source-range",
    "traefik": "reference an ipAllowList Middleware in traefik.ingress.kubernetes.io/router.middlewares",
    "haproxy": "add the annotation haproxy.org/allow-list",
    "haproxy-ingress": "add the annotation haproxy-ingress.github.io/allowlist-source-range",
}


def check(model, ctx) -> Iterator[Finding]:
    yield from missing_protection(model, ctx, ALLOWLIST, "source allow-list", HOW)
