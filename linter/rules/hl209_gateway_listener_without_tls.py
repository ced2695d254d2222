"""## What it does
Reports an HTTPRoute to Headlamp attached to a Gateway (present in the
input) listener whose protocol is `HTTP`. A `parentRef` with a
`sectionName` attaches to that listener only; without one, to every
listener of the Gateway.

## Why is this bad?
TLS for an HTTPRoute lives on the Gateway's listener. On an `HTTP`
listener Headlamp is served in clear text: logins, cookies and tokens can
be read on the way.

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
apiVersion: gateway.networking.k8s.io/v1
kind: Gateway
metadata:
  name: public
spec:
  gatewayClassName: example
  listeners:
    - name: web
      protocol: HTTP
      port: 80
---
apiVersion: gateway.networking.k8s.io/v1
kind: HTTPRoute
metadata:
  name: headlamp
spec:
  parentRefs: [{name: public}]
  rules:
    - backendRefs: [{name: headlamp, port: 80}]
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
apiVersion: gateway.networking.k8s.io/v1
kind: Gateway
metadata:
  name: public
spec:
  gatewayClassName: example
  listeners:
    - name: websecure
      protocol: HTTPS
      port: 443
      tls:
        certificateRefs: [{name: headlamp-tls}]
---
apiVersion: gateway.networking.k8s.io/v1
kind: HTTPRoute
metadata:
  name: headlamp
spec:
  parentRefs: [{name: public, sectionName: websecure}]
  rules:
    - backendRefs: [{name: headlamp, port: 80}]
```

## Options
None.

## References
- https://gateway-api.sigs.k8s.io/guides/tls/
"""

from __future__ import annotations

from typing import Iterator

from linter.diagnostics import Finding, Severity
from linter.rules._server import provenance
from linter.rules.base import RuleMeta

RULE = RuleMeta(
    id="HL209",
    name="gateway-listener-without-tls",
    title="An HTTPRoute to Headlamp attaches to a plain-HTTP Gateway listener",
    severity=Severity.ERROR,
    security_severity=7.5,
    tags=("headlamp", "gateway-api"),
)


def check(model, ctx) -> Iterator[Finding]:
    seen = set()
    for installation in model.installations:
        gateways = {(g.obj.namespace or "default", g.obj.name): g for g in installation.gateways}
        for route in installation.http_routes:
            for ref in route.parent_refs:
                gateway = gateways.get((ref.namespace or route.obj.namespace or "default", ref.name))
                if gateway is None:
                    continue
                for listener in gateway.listeners:
                    if ref.section_name and listener.name != ref.section_name:
                        continue
                    if str(listener.protocol.value or "").upper() != "HTTP":
                        continue
                    if (id(route), listener.location) in seen:
                        continue
                    seen.add((id(route), listener.location))
                    yield Finding(
                        listener.protocol.location,
                        f"{route.obj.ref} attaches Headlamp to listener {listener.name!r} of {gateway.obj.ref},"
                        f" whose protocol is HTTP{provenance(listener.protocol)}: Headlamp is served without TLS",
                        route.obj.ref,
                        f"spec.listeners[{listener.name}].protocol",
                    )
