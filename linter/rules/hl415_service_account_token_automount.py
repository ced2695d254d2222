"""## What it does
Reports a workload other than Headlamp whose pods mount a ServiceAccount
token: `automountServiceAccountToken` is not `false` on the pod, and not
`false` on its ServiceAccount when that is in the input. Headlamp itself is
exempt: in-cluster it needs its token (see HL301 for what that token may
do). Only workloads in scope are checked, so this fires with
`--all-workloads`.

## Why is this bad?
Most workloads never call the Kubernetes API, yet every pod gets a token by
default; whoever compromises the pod gets the ServiceAccount's permissions.

## Example
```yaml
# manifest
apiVersion: v1
kind: Pod
metadata:
  name: helper
spec:
  automountServiceAccountToken: true
  containers:
    - name: helper
      image: busybox:1.36
```

## Use instead
```yaml
# manifest
apiVersion: v1
kind: Pod
metadata:
  name: helper
spec:
  automountServiceAccountToken: false
  containers:
    - name: helper
      image: busybox:1.36
```

## Options
None.

## References
- https://kubernetes.io/docs/tasks/configure-pod-container/configure-service-account/#opt-out-of-api-credential-automounting
"""

from __future__ import annotations

from typing import Iterator

from linter.diagnostics import Finding, Severity
from linter.rules._containers import finding, set_hint
from linter.rules.base import RuleMeta

RULE = RuleMeta(
    id="HL415",
    name="service-account-token-automount",
    title="Workload mounts a ServiceAccount token it may not need",
    severity=Severity.INFO,
    security_severity=3.0,
    tags=("pod", "rbac"),
)


def check(model, ctx) -> Iterator[Finding]:
    for workload in ctx.workloads(model):
        if workload.is_headlamp:
            continue
        fact = workload.pod.automount_service_account_token
        if fact.value is False:
            continue
        account = workload.pod.service_account_name.value or "default"
        sa = model.service_account(workload.namespace, account, workload.obj)
        if fact.value is None and sa is not None and sa.automount_service_account_token.value is False:
            continue
        state = "is true" if fact.value is True else "is not set"
        yield finding(
            workload, None, fact.location,
            f"{workload.obj.ref} mounts the token of ServiceAccount {account}: {fact.key} {state}"
            f" ({set_hint(fact, 'false')} if it does not call the Kubernetes API)",
            fact.key,
        )

