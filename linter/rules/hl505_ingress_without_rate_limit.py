"""## What it does
Reports an Ingress that routes to Headlamp (every Ingress with
`--all-workloads`) without rate limiting at its controller:

- ingress-nginx: `nginx.ingress.kubernetes.io/limit-rps`, `limit-rpm` or
  `limit-connections`;
- Traefik: a `rateLimit` (or `inFlightReq`) Middleware referenced by
  `traefik.ingress.kubernetes.io/router.middlewares` (chains followed;
  Middleware objects anywhere in the run count);
- HAProxy: `haproxy.org/rate-limit-requests` / `rate-limit-connections`;
  haproxy-ingress: `haproxy-ingress.github.io/limit-rps` /
  `limit-connections`.

The controller comes from `ingressClassName` (or the
`kubernetes.io/ingress.class` annotation), else from the annotation
prefixes. An unknown controller, or a referenced Middleware that is not in
the input, is reported as info. The finding is on the `annotations` key (or
`metadata` when there is none). The annotation sets are data in
`linter/data/ingress_controllers.json`.

## Why is this bad?
Headlamp's login and token endpoints have no rate limit of their own:
without one at the edge, credentials can be guessed and the API server
behind Headlamp flooded.

## Example
```yaml
# manifest
apiVersion: networking.k8s.io/v1
kind: Ingress
metadata:
  name: headlamp
spec:
  ingressClassName: nginx
  rules:
    - host: headlamp.example.com
      http:
        paths:
          - path: /
            pathType: Prefix
            backend:
              service:
                name: headlamp
                port:
                  number: 80
```

## Use instead
```yaml
# manifest
apiVersion: networking.k8s.io/v1
kind: Ingress
metadata:
  name: headlamp
  annotations:
    nginx.ingress.kubernetes.io/limit-rps: "10"
spec:
  ingressClassName: nginx
  rules:
    - host: headlamp.example.com
      http:
        paths:
          - path: /
            pathType: Prefix
            backend:
              service:
                name: headlamp
                port:
                  number: 80
```

## Options
None.

## References
- https://kubernetes.github.io/ingress-nginx/user-guide/nginx-configuration/annotations/#rate-limiting
- https://doc.traefik.io/traefik/middlewares/http/ratelimit/
- https://www.haproxy.com/documentation/kubernetes-ingress/community/configuration-reference/ingress/#rate-limit-requests
"""

from __future__ import annotations

from typing import Iterator

from linter.diagnostics import Finding, Severity
from linter.model.ingress_controls import RATE_LIMIT
from linter.rules._ingress_protection import missing_protection
from linter.rules.base import RuleMeta

RULE = RuleMeta(
    id="HL505",
    name="ingress-without-rate-limit",
    title="Headlamp's Ingress has no rate limiting",
    severity=Severity.WARNING,
    security_severity=4.0,
    tags=("network", "ingress"),
)

HOW = {
    "ingress-nginx": "add the annotation nginx.ingress.kubernetes.io/limit-rps (or limit-rpm, limit-connections)",
    "traefik": "reference a rateLimit Middleware in traefik.ingress.kubernetes.io/router.middlewares",
    "haproxy": "add the annotation haproxy.org/rate-limit-requests",
    "haproxy-ingress": "add the annotation haproxy-ingress.github.io/limit-rps",
}


def check(model, ctx) -> Iterator[Finding]:
    yield from missing_protection(model, ctx, RATE_LIMIT, "rate limiting", HOW)
