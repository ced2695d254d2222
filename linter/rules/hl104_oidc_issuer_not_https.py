"""## What it does
Reports an OIDC issuer URL (`-oidc-idp-issuer-url`), validator issuer URL
(`-oidc-validator-idp-issuer-url`) or user-info URL (`-me-user-info-url`)
that does not start with `https://`, written in the workload or held in a
Secret or ConfigMap of the input (reported at that object's entry, or at
the values key that produced it). Values from a Secret that is not in the
input are not known offline and are not reported.

## Why is this bad?
Headlamp fetches the identity provider's discovery document and signing
keys from the issuer URL, and exchanges codes for tokens there. Over plain
HTTP anyone on the path can read tokens and the client secret, or serve
their own keys and forge identities.

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
      args: ["-in-cluster", "-oidc-client-id=headlamp", "-oidc-idp-issuer-url=http://dex.auth:5556"]
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
      args: ["-in-cluster", "-oidc-client-id=headlamp", "-oidc-idp-issuer-url=https://dex.example.com",
             "-oidc-ca-file=/etc/headlamp/idp-ca.crt"]
```

## Options
None.

## References
- https://openid.net/specs/openid-connect-discovery-1_0.html#ProviderConfig
- https://headlamp.dev/docs/latest/installation/in-cluster/oidc/
"""

from __future__ import annotations

from typing import Iterator

from linter.diagnostics import Finding, Severity
from linter.rules._server import phrase, servers, value_location
from linter.rules.base import RuleMeta

RULE = RuleMeta(
    id="HL104",
    name="oidc-issuer-not-https",
    title="OIDC issuer or user-info URL is not https://",
    severity=Severity.ERROR,
    security_severity=7.0,
    tags=("headlamp",),
)

URL_FLAGS = {
    "oidc-idp-issuer-url": "the OIDC issuer URL",
    "oidc-validator-idp-issuer-url": "the OIDC validator issuer URL",
    "me-user-info-url": "the user-info URL",
}


def check(model, ctx) -> Iterator[Finding]:
    for server in servers(model):
        for flag, what in URL_FLAGS.items():
            setting = server.get(flag)
            if setting is None or not setting.known or not setting.raw:
                continue
            if setting.raw.strip().lower().startswith("https://"):
                continue
            yield server.finding(
                value_location(server, setting),
                f"{what} {setting.raw!r} ({phrase(setting)}{setting.held_in()}) is not https://: tokens and keys"
                " travel in clear text and can be forged",
                flag,
            )
