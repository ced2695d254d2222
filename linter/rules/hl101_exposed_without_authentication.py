"""## What it does
Reports Headlamp reachable from outside the cluster (an Ingress or HTTPRoute
routes to a Service selecting its pods, or a LoadBalancer or NodePort
Service selects them) with no authentication: no OIDC (`-oidc-client-id`
and `-oidc-idp-issuer-url`), no `-proxy-auth`, and no authentication
annotation on the Ingress (nginx `auth-url`/`auth-type`, a traefik
forward-auth middleware, ...). One finding per route in, at the backend
that points to Headlamp or at the Service's type.

## Why is this bad?
Without an identity provider, Headlamp's login page asks for a
ServiceAccount token, and the chart's NOTES steer users to a cluster-admin
token. Anyone who can reach the page can try tokens, and every user shares
long-lived, over-privileged credentials.

## Example
```yaml
# manifest
apiVersion: v1
kind: Pod
metadata:
  name: headlamp
  labels: {app: headlamp}
spec:
  containers:
    - name: headlamp
      image: ghcr.io/headlamp-k8s/headlamp:v0.45.0
      args: ["-in-cluster"]
---
apiVersion: v1
kind: Service
metadata:
  name: headlamp
spec:
  type: LoadBalancer
  selector: {app: headlamp}
  ports: [{port: 80, targetPort: 4466}]
```

## Use instead
```yaml
# manifest
apiVersion: v1
kind: Pod
metadata:
  name: headlamp
  labels: {app: headlamp}
spec:
  containers:
    - name: headlamp
      image: ghcr.io/headlamp-k8s/headlamp:v0.45.0
      args: ["-in-cluster", "-oidc-client-id=headlamp", "-oidc-idp-issuer-url=https://idp.example.com",
             "-oidc-client-secret=$(OIDC_CLIENT_SECRET)", "-oidc-use-pkce"]
      env:
        - name: OIDC_CLIENT_SECRET
          valueFrom:
            secretKeyRef: {name: oidc, key: clientSecret}
---
apiVersion: v1
kind: Service
metadata:
  name: headlamp
spec:
  type: LoadBalancer
  selector: {app: headlamp}
  ports: [{port: 80, targetPort: 4466}]
```

## Options
None.

## References
- https://headlamp.dev/docs/latest/installation/in-cluster/oidc/
- https://headlamp.dev/docs/latest/installation/in-cluster/identity-aware-proxy/
"""

from __future__ import annotations

from typing import Iterator

from linter.diagnostics import Finding, Severity
from linter.rules._server import OIDC_VALUES_HINT, exposures, fully_analysable, installation_servers
from linter.rules.base import RuleMeta

RULE = RuleMeta(
    id="HL101",
    name="exposed-without-authentication",
    title="Headlamp is exposed without authentication",
    severity=Severity.ERROR,
    security_severity=9.0,
    tags=("headlamp", "exposure"),
)


def check(model, ctx) -> Iterator[Finding]:
    for installation in model.installations:
        if not fully_analysable(installation):
            continue  # a shell-script command may configure OIDC in ways we do not read
        if any(s.has_oidc or s.has_proxy_auth for s in installation_servers(installation)):
            continue
        servers = installation_servers(installation)
        hint = OIDC_VALUES_HINT if servers and servers[0].from_values else ""
        for exposure in exposures(installation):
            if exposure.authenticated:
                continue
            yield Finding(
                exposure.location,
                f"{installation.ref} is reachable from outside the cluster through {exposure.what} without"
                " authentication (no OIDC, no -proxy-auth, no authentication annotation): anyone who reaches"
                f" it gets the token login page{hint}",
                installation.ref,
                f"exposure[{exposure.what}]",
            )
