"""## What it does
Reports a Headlamp container given a kubeconfig (`-kubeconfig`,
`HEADLAMP_CONFIG_KUBECONFIG` or `KUBECONFIG`, mounted from a Secret or
ConfigMap of the input) whose user authenticates with static credentials
(a token, a ServiceAccount token, a client certificate, or a username and
password) while no OIDC is configured. When the identity is a
ServiceAccount (a ServiceAccount token's subject, or the pod's own token
file), the message names the roles the input binds it to.

## Why is this bad?
Without OIDC, Headlamp talks to the cluster with the kubeconfig's
credentials for every visitor: whoever reaches the UI acts as that
identity, with no login and no audit trail of who did what. A kubeconfig
copied from an administrator's machine makes every visitor an
administrator.

## Example
```yaml
# manifest
apiVersion: apps/v1
kind: Deployment
metadata:
  name: headlamp
spec:
  template:
    spec:
      containers:
        - name: headlamp
          image: ghcr.io/headlamp-k8s/headlamp:v0.45.0
          args: ["-kubeconfig=/etc/headlamp/config"]
          volumeMounts:
            - name: kubeconfig
              mountPath: /etc/headlamp
      volumes:
        - name: kubeconfig
          secret:
            secretName: headlamp-kubeconfig
---
apiVersion: v1
kind: Secret
metadata:
  name: headlamp-kubeconfig
stringData:
  config: |
    apiVersion: v1
    kind: Config
    clusters:
      - name: prod
        cluster: {server: "https://prod.example.com:6443"}
    users:
      - name: admin
        user: {token: "static-admin-token"}
    contexts:
      - name: prod
        context: {cluster: prod, user: admin}
    current-context: prod
```

## Use instead
```yaml
# manifest
apiVersion: apps/v1
kind: Deployment
metadata:
  name: headlamp
spec:
  template:
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
- https://headlamp.dev/docs/latest/installation/in-cluster/oidc/
- https://kubernetes.io/docs/reference/access-authn-authz/authentication/
"""

from __future__ import annotations

from typing import Iterator

from linter.diagnostics import Finding, Severity
from linter.model.env_sources import EnvSources
from linter.model.kubeconfig import KubeUser, kubeconfigs_of
from linter.rules._server import Server
from linter.rules.base import RuleMeta

RULE = RuleMeta(
    id="HL111",
    name="kubeconfig-static-credentials",
    title="Every visitor acts as the static identity of Headlamp's kubeconfig",
    severity=Severity.ERROR,
    security_severity=9.0,
    tags=("headlamp", "secrets", "rbac"),
)

_HOW = {
    "token": "a static bearer token",
    "service-account-token": "a ServiceAccount token",
    "token-file": "a token file",
    "client-certificate": "a client certificate",
    "basic": "a username and password",
}


def check(model, ctx) -> Iterator[Finding]:
    sources = EnvSources.of(model)
    for installation in model.installations:
        for container, settings, config in kubeconfigs_of(model, installation, sources):
            server = Server(installation, container, settings)
            if not settings.analysable or server.has_oidc:
                continue
            for user in config.users:
                if not user.is_static:
                    continue
                yield server.finding(
                    config.location,
                    f"{server.subject} reads the kubeconfig {config.path} ({config.given_by}; held in"
                    f" {config.held_in}) whose user {user.name!r} authenticates with {_HOW[user.credential]}"
                    f"{_identity(model, installation, user)}, and no OIDC is configured: every visitor acts as"
                    " that identity; configure OIDC (-oidc-client-id, -oidc-idp-issuer-url) or drop the credentials",
                    "kubeconfig",
                )


def _identity(model, installation, user: KubeUser) -> str:
    account = user.service_account
    if account is None and user.credential == "service-account-token":
        account = (installation.workload.namespace, installation.service_account)  # the pod's own token file
    if account is None:
        return ""
    namespace, name = account
    roles = sorted({
        f"{binding.role_kind} {binding.role_name.value}"
        for binding, _ in model.rbac.bindings_of_service_account(namespace, name, installation.workload.obj)
    })
    bound = f", bound to {', '.join(roles)}" if roles else ", bound to no role in the input"
    return f" (ServiceAccount {namespace}/{name}{bound})"
