"""## What it does
Reports an Ingress routing to Headlamp whose annotations switch off the
redirect from HTTP to HTTPS: ingress-nginx `ssl-redirect: "false"` or
`force-ssl-redirect: "false"`, a traefik router on the `web` entrypoint
only, haproxy `ssl-redirect: "false"`, NGINX Inc. `redirect-to-https:
"false"`. The annotations per controller are data
(`linter/data/ingress_auth.json`).

## Why is this bad?
Users who type the address or follow an `http://` link then use Headlamp
over plain HTTP, sending their session cookie and tokens in clear text.

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
  annotations:
    nginx.ingress.kubernetes.io/ssl-redirect: "false"
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

```yaml
# values
ingress:
  enabled: true
  annotations:
    nginx.ingress.kubernetes.io/ssl-redirect: "false"
  hosts:
    - host: headlamp.example.com
      paths: [{path: /, type: Prefix}]
  tls:
    - secretName: headlamp-tls
      hosts: [headlamp.example.com]
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
  annotations:
    nginx.ingress.kubernetes.io/force-ssl-redirect: "true"
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
- https://kubernetes.github.io/ingress-nginx/user-guide/nginx-configuration/annotations/#server-side-https-enforcement-through-redirect
- https://doc.traefik.io/traefik/routing/providers/kubernetes-ingress/#annotations
"""

from __future__ import annotations

from typing import Iterator

from linter.diagnostics import Finding, Severity
from linter.model.ingress_auth import redirect_disabled
from linter.rules._server import provenance
from linter.rules.base import RuleMeta

RULE = RuleMeta(
    id="HL208",
    name="tls-redirect-disabled",
    title="Headlamp's Ingress does not redirect HTTP to HTTPS",
    severity=Severity.WARNING,
    security_severity=4.5,
    tags=("headlamp", "ingress"),
)


def check(model, ctx) -> Iterator[Finding]:
    seen = set()
    for installation in model.installations:
        for ingress in installation.ingresses:
            if id(ingress) in seen:
                continue
            seen.add(id(ingress))
            for match in redirect_disabled(ingress):
                yield Finding(
                    match.fact.location,
                    f"{ingress.obj.ref} sets {match.rule.annotation}: {match.fact.value!r} ({match.rule.controller})"
                    f"{provenance(match.fact)}: plain-HTTP requests to Headlamp are not redirected to HTTPS",
                    ingress.obj.ref,
                    match.fact.key,
                )
