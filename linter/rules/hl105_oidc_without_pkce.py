"""## What it does
Reports a Headlamp server with OIDC configured (`-oidc-client-id` and
`-oidc-idp-issuer-url`) but without `-oidc-use-pkce`.

## Why is this bad?
PKCE binds the authorization code to the browser session that asked for
it, so a code intercepted on the redirect (browser history, a log, a
malicious extension) cannot be redeemed. Headlamp supports it since
v0.37.0 and the hardening guide recommends it.

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
      args: ["-in-cluster", "-oidc-client-id=headlamp", "-oidc-idp-issuer-url=https://idp.example.com"]
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
- https://www.rfc-editor.org/rfc/rfc7636
- https://headlamp.dev/docs/latest/installation/in-cluster/oidc/
"""

from __future__ import annotations

from typing import Iterator

from linter.diagnostics import Finding, Severity
from linter.rules._server import phrase, servers
from linter.rules.base import RuleMeta

RULE = RuleMeta(
    id="HL105",
    name="oidc-without-pkce",
    title="OIDC is configured without PKCE",
    severity=Severity.INFO,
    security_severity=3.0,
    tags=("headlamp",),
)


def check(model, ctx) -> Iterator[Finding]:
    for server in servers(model):
        if not server.has_oidc:
            continue
        pkce = server.get("oidc-use-pkce")
        if pkce is not None and (pkce.value is True or pkce.value is None):
            continue  # on, or from a Secret/ConfigMap we cannot read
        if pkce is not None:
            yield server.finding(
                pkce.fact.location,
                f"PKCE is off ({phrase(pkce)}) although OIDC is configured: an intercepted authorization"
                " code can be redeemed",
                "oidc-use-pkce",
            )
            continue
        hint = next((h.fact for h in model.flag_hints_of(server.installation.workload)
                     if h.flag == "oidc-use-pkce"), None)
        if hint is not None:  # the user's own value keeps the chart from rendering -oidc-use-pkce
            yield server.finding(
                hint.location,
                f"PKCE is off (values key {hint.key} is {_yaml(hint.value)}; the chart renders -oidc-use-pkce only"
                f" for true) although OIDC is configured ({server.subject}): an intercepted authorization code"
                " can be redeemed; set it to true",
                "oidc-use-pkce",
            )
            continue
        client_id = server.get("oidc-client-id")
        assert client_id is not None
        yield server.finding(
            client_id.fact.location,
            f"{server.subject} uses OIDC ({phrase(client_id)}) without -oidc-use-pkce: an intercepted"
            " authorization code can be redeemed",
            "oidc-use-pkce",
        )


def _yaml(value: object) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    return f'"{value}"' if isinstance(value, str) else str(value)
