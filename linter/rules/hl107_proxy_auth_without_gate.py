"""## What it does
Reports `-proxy-auth` while Headlamp is reachable without going through the
authenticating proxy: its own Ingress (without an authentication
annotation such as nginx `auth-url`), HTTPRoute, LoadBalancer or NodePort
Service routes to it.

## Why is this bad?
With `-proxy-auth` Headlamp trusts the identity headers
(`X-Forwarded-User`, `X-Forwarded-Group`, ...) and skips its login. Anyone
who reaches the server directly can send those headers themselves and be
whoever they like. Only the proxy should be exposed; Headlamp's Service
stays ClusterIP, ideally with a NetworkPolicy that admits only the proxy.

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
      args: ["-in-cluster", "-proxy-auth"]
---
apiVersion: v1
kind: Service
metadata:
  name: headlamp
spec:
  type: NodePort
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
      args: ["-in-cluster", "-proxy-auth"]
---
apiVersion: v1
kind: Service
metadata:
  name: headlamp
spec:
  selector: {app: headlamp}
  ports: [{port: 80, targetPort: 4466}]
```

## Options
None.

## References
- https://headlamp.dev/docs/latest/installation/in-cluster/identity-aware-proxy/
"""

from __future__ import annotations

from typing import Iterator

from linter.diagnostics import Finding, Severity
from linter.rules._server import exposures, phrase, servers
from linter.rules.base import RuleMeta

RULE = RuleMeta(
    id="HL107",
    name="proxy-auth-without-gate",
    title="Proxy authentication while Headlamp is reachable without the proxy",
    severity=Severity.WARNING,
    security_severity=8.0,
    tags=("headlamp", "exposure"),
)


def check(model, ctx) -> Iterator[Finding]:
    for server in servers(model):
        if not server.enabled("proxy-auth"):
            continue
        setting = server.get("proxy-auth")
        assert setting is not None
        # An Ingress whose controller authenticates first (e.g. nginx auth-url to oauth2-proxy) is the gate.
        routes = [e for e in exposures(server.installation) if not e.authenticated]
        if routes:
            names = ", ".join(e.what for e in routes)
            yield server.finding(
                setting.fact.location,
                f"{phrase(setting)} while Headlamp is reachable directly ({names}): identity headers can be"
                " forged by anyone who reaches it",
                "proxy-auth",
            )
