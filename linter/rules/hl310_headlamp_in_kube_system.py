"""## What it does
Reports a Headlamp installation whose workload runs in the `kube-system`
namespace. The finding is on the object's `metadata.namespace` value; when
the namespace comes from elsewhere (the `--namespace` default, or the
release namespace of a values file) it is on the object, and the message
says where the namespace comes from. Headlamp's own in-cluster example
manifest installs it there.

## Why is this bad?
`kube-system` holds the cluster's control-plane components and their
credentials. Every Role, RoleBinding and NetworkPolicy that Headlamp needs
must then be granted in, or opened on, that namespace; a namespace-wide
grant meant for Headlamp (`system:serviceaccounts:kube-system`, a
RoleBinding to `admin` there) reaches the system components too, and a
compromised Headlamp pod sits beside them. A namespace of its own keeps
Headlamp's policies and permissions apart and easy to review.

## Example
```yaml
# manifest
apiVersion: apps/v1
kind: Deployment
metadata:
  name: headlamp
  namespace: kube-system
spec:
  selector:
    matchLabels: {app: headlamp}
  template:
    metadata:
      labels: {app: headlamp}
    spec:
      containers:
        - name: headlamp
          image: ghcr.io/headlamp-k8s/headlamp:v0.45.0
```

## Use instead
```yaml
# manifest
apiVersion: apps/v1
kind: Deployment
metadata:
  name: headlamp
  namespace: headlamp
spec:
  selector:
    matchLabels: {app: headlamp}
  template:
    metadata:
      labels: {app: headlamp}
    spec:
      containers:
        - name: headlamp
          image: ghcr.io/headlamp-k8s/headlamp:v0.45.0
```

```yaml
# values: install the release into its own namespace
# helm install headlamp headlamp/headlamp --namespace headlamp --create-namespace
```

## Options
None.

## References
- https://kubernetes.io/docs/concepts/security/rbac-good-practices/#least-privilege
- https://headlamp.dev/docs/latest/installation/in-cluster/
"""

from __future__ import annotations

from typing import Iterator

from linter.diagnostics import Finding, Severity
from linter.located import Origin
from linter.rules.base import RuleMeta

RULE = RuleMeta(
    id="HL310",
    name="headlamp-in-kube-system",
    title="Headlamp is installed in kube-system",
    severity=Severity.INFO,
    security_severity=3.0,
    tags=("headlamp", "identity"),
)

SYSTEM_NAMESPACE = "kube-system"


def check(model, ctx) -> Iterator[Finding]:
    for installation in model.installations:
        obj = installation.workload.obj
        if obj.namespace != SYSTEM_NAMESPACE:
            continue
        if obj.origin is not Origin.MANIFEST:
            location, where = obj.location, "the release namespace, helm install --namespace"
        elif obj.namespace_location is not None:
            location, where = obj.namespace_location, "metadata.namespace"
        else:
            location, where = obj.location, "no metadata.namespace: the default namespace of the run, --namespace"
        yield Finding(
            location,
            f"{installation.ref} runs in {SYSTEM_NAMESPACE} ({where}), beside the control plane's components and"
            " credentials: install Headlamp in a namespace of its own so that its policies and permissions"
            " reach nothing else",
            installation.ref,
            "metadata.namespace",
        )
