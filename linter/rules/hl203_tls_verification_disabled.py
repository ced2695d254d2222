"""## What it does
Reports `-insecure-ssl` and `-oidc-skip-tls-verify`, as arguments or as
`HEADLAMP_CONFIG_INSECURE_SSL` / `HEADLAMP_CONFIG_OIDC_SKIP_TLS_VERIFY`.

## Why is this bad?
Both switch off certificate verification on Headlamp's connections to the
identity provider: anyone on the path can impersonate the IdP, read the
client secret and codes, and hand out tokens of their choosing. For a
private CA, give Headlamp the CA with `-oidc-ca-file` instead.

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
      env:
        - name: HEADLAMP_CONFIG_OIDC_SKIP_TLS_VERIFY
          value: "true"
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
      env:
        - name: HEADLAMP_CONFIG_OIDC_CA_FILE
          value: /etc/headlamp/idp-ca.crt
```

`--fix` (safe) removes `-insecure-ssl` from the Headlamp container's `args` and
`command` (in values files: from `config.extraArgs`), so certificates are verified
again. A cluster with a self-signed certificate then needs its CA configured.

## Options
None.

## References
- https://headlamp.dev/docs/latest/installation/in-cluster/oidc/
"""

from __future__ import annotations

from typing import Iterator

from linter.diagnostics import Finding, Severity
from linter.rules._server import phrase, servers
from linter.rules.base import FixEdit, FixSpec, RuleMeta

RULE = RuleMeta(
    id="HL203",
    name="tls-verification-disabled",
    title="TLS certificate verification is disabled",
    severity=Severity.ERROR,
    security_severity=8.0,
    tags=("headlamp",),
)

FLAGS = {
    "insecure-ssl": "server certificates are not checked",
    "oidc-skip-tls-verify": "the IdP's certificate is not checked",
}



# The flag is removed wherever it is written: the container's args or command, or the chart's config.extraArgs.
_INSECURE_SSL = r"--?insecure-ssl(=(1|t|T|true|TRUE|True))?"
FIX = FixSpec(
    "safe",
    "removes -insecure-ssl from the Headlamp container's args and command (values files: config.extraArgs)",
    (
        FixEdit("args", "", relative_to="container", remove_item=_INSECURE_SSL),
        FixEdit("command", "", relative_to="container", remove_item=_INSECURE_SSL),
        FixEdit("config.extraArgs", "", relative_to="values", remove_item=_INSECURE_SSL),
    ),
)


def check(model, ctx) -> Iterator[Finding]:
    for server in servers(model):
        for flag, consequence in FLAGS.items():
            setting = server.get(flag)
            if setting is not None and setting.value is True:
                yield server.finding(setting.fact.location, f"{phrase(setting)}: {consequence}", flag)
