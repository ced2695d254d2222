"""## What it does
Reports `-unsafe-use-service-account-token` (values
`config.unsafeUseServiceAccountToken: true`).

## Why is this bad?
Every request to the in-cluster context then uses the pod's ServiceAccount
token: every visitor acts as Headlamp's ServiceAccount. With the chart's
default cluster-admin binding, everyone who reaches the page is
cluster-admin, and the audit log cannot tell users apart.

## Example
```yaml
# manifest
apiVersion: v1
kind: Pod
metadata:
  name: headlamp
spec:
  containers:
    - name: headlamp
      image: ghcr.io/headlamp-k8s/headlamp:v0.45.0
      args: ["-in-cluster", "-unsafe-use-service-account-token"]
```

```yaml
# values
config:
  unsafeUseServiceAccountToken: true
```

## Use instead
```yaml
# manifest
apiVersion: v1
kind: Pod
metadata:
  name: headlamp
spec:
  containers:
    - name: headlamp
      image: ghcr.io/headlamp-k8s/headlamp:v0.45.0
      args: ["-in-cluster", "-oidc-client-id=headlamp", "-oidc-idp-issuer-url=https://idp.example.com",
             "-oidc-use-pkce"]
```

## Options
None.

## References
- https://headlamp.dev/docs/latest/installation/in-cluster/
"""

from __future__ import annotations

from typing import Iterator

from linter.diagnostics import Finding, Severity
from linter.rules._server import phrase, servers
from linter.rules.base import RuleMeta

RULE = RuleMeta(
    id="HL106",
    name="unsafe-service-account-token",
    title="Every user acts as Headlamp's ServiceAccount",
    severity=Severity.ERROR,
    security_severity=9.0,
    tags=("headlamp", "rbac"),
)

FLAG = "unsafe-use-service-account-token"


def check(model, ctx) -> Iterator[Finding]:
    for server in servers(model):
        if server.enabled(FLAG):
            setting = server.get(FLAG)
            assert setting is not None
            yield server.finding(
                setting.fact.location,
                f"{phrase(setting)}: every visitor acts as the pod's ServiceAccount (with a cluster-admin"
                " binding, everyone is cluster-admin)",
                FLAG,
            )
