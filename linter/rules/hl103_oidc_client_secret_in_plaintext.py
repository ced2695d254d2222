"""## What it does
Reports an OIDC client secret written as plain text: a literal
`-oidc-client-secret=<text>` argument, an env `OIDC_CLIENT_SECRET` or
`HEADLAMP_CONFIG_OIDC_CLIENT_SECRET` with a `value:`, a `$(VAR)` that
expands from such a literal, `config.oidc.clientSecret` written in a values
file, or a Secret in the linted input that holds the client secret Headlamp
reads (`secretKeyRef`, or `envFrom` for `OIDC_CLIENT_SECRET`): base64 in a
file is not encryption.

## Why is this bad?
The secret then lives in git and in the Deployment spec, readable by anyone
who can read Deployments or the repository, and visible in `ps` on the node
when passed as an argument. Whoever holds it can impersonate Headlamp at
the identity provider.

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
      args: ["-in-cluster", "-oidc-client-id=headlamp", "-oidc-idp-issuer-url=https://idp.example.com",
             "-oidc-client-secret=s3cr3t", "-oidc-use-pkce"]
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
             "-oidc-client-secret=$(OIDC_CLIENT_SECRET)", "-oidc-use-pkce"]
      env:
        - name: OIDC_CLIENT_SECRET
          valueFrom:
            secretKeyRef: {name: headlamp-oidc, key: clientSecret}
```

```yaml
# values
config:
  oidc:
    secret:
      create: false
    externalSecret:
      enabled: true
      name: headlamp-oidc
```

## Options
None.

## References
- https://headlamp.dev/docs/latest/installation/in-cluster/oidc/
- https://kubernetes.io/docs/concepts/configuration/secret/#using-secrets-as-environment-variables
"""

from __future__ import annotations

from typing import Iterator

from linter.diagnostics import Finding, Severity
from linter.located import Location, Origin
from linter.model.env_sources import EnvValue
from linter.rules._server import Server, phrase, servers
from linter.rules.base import RuleMeta

RULE = RuleMeta(
    id="HL103",
    name="oidc-client-secret-in-plaintext",
    title="OIDC client secret is written in plain text",
    severity=Severity.ERROR,
    security_severity=7.5,
    tags=("headlamp", "secrets"),
)

SECRET_ENV = ("OIDC_CLIENT_SECRET", "HEADLAMP_CONFIG_OIDC_CLIENT_SECRET")
FLAG = "oidc-client-secret"


def check(model, ctx) -> Iterator[Finding]:
    for server in servers(model):
        seen: set[Location] = set()
        for finding in _findings(server):
            if finding.location not in seen:
                seen.add(finding.location)
                yield finding


def _findings(server: Server) -> Iterator[Finding]:
    consequence = "it is readable by anyone who can read the workload or its source; keep it in a Secret"
    setting = server.get(FLAG)
    # An env setting is reported with the env entries below, at its value.
    if setting is not None and setting.via == "arg" and setting.literal and setting.raw:
        referenced = [v for v in server.container.env if v.name in setting.refs and v.source is None]
        if referenced:
            for var in referenced:
                yield server.finding(
                    var.value.location,
                    f"the OIDC client secret ({_masked(setting)}) expands from the literal value of env"
                    f" {var.name}: {consequence}",
                    FLAG,
                )
        else:
            yield server.finding(
                setting.fact.location,
                f"the OIDC client secret is a literal ({_masked(setting)}): {consequence}",
                FLAG,
            )
    refs = setting.refs if setting is not None else ()
    for var in server.container.env:
        if (var.name in SECRET_ENV or var.name in refs) and var.source is None and var.value.value:
            yield server.finding(
                var.value.location,
                f"the OIDC client secret is the literal value of env {var.name}"
                f"{_values_hint(var.value.origin, var.value.key)}: {consequence}",
                FLAG,
            )
    # Read from a Secret of the input (secretKeyRef, or envFrom as in the chart's externalSecret mode).
    for name in dict.fromkeys(SECRET_ENV + tuple(refs)):
        value = server.settings.environment.get(name)
        if value is not None and value.from_secret and value.source is not None and value.text:
            yield _secret_in_input(server, value)


def _secret_in_input(server: Server, value: EnvValue) -> Finding:
    """The client secret sits in a Secret that is part of the input: in a values file or a manifest in git."""
    entry = value.source
    assert entry is not None
    if entry.origin is Origin.VALUES:
        message = (
            f"the OIDC client secret is written in values key {entry.key}: it lands in git and the"
            " Helm release; use config.oidc.externalSecret with a Secret managed elsewhere"
        )
    else:
        message = (
            f"the OIDC client secret is stored in {value.via} in the linted input"
            f"{' (base64 is not encryption)' if value.encoded else ''}: whoever reads these files has it; keep"
            " the Secret out of the repository (an external secret manager or a sealed secret)"
        )
    return server.finding(entry.location, message, FLAG)


def _values_hint(origin: Origin, key: str) -> str:
    return f" (values key {key})" if origin is Origin.VALUES else ""


def _masked(setting) -> str:
    """``phrase(setting)`` with the secret's text masked (reports are uploaded to CI systems)."""
    from linter.diagnostics import mask_secret

    text = phrase(setting)
    flag, sep, value = text.rpartition("=")
    if not sep or setting.via != "arg" or not value or "$(" in value:
        return text
    return f"{flag}={mask_secret(value)}"
