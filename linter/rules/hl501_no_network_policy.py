"""## What it does
Reports a Headlamp workload whose pods no NetworkPolicy in the input
selects for ingress: a policy in the pods' namespace whose `podSelector`
matches their labels (`matchLabels` and `matchExpressions` with `In`,
`NotIn`, `Exists`, `DoesNotExist`; an empty selector selects every pod) and
whose `policyTypes` include `Ingress` (the default when `policyTypes` is
absent). The Headlamp chart ships no NetworkPolicy; from values, add one
with `extraManifests`. With `--all-workloads`, every workload is checked.
The finding is on the workload's `kind`.

**Partial input.** Relations span every file of one run, but the rule can
only see the files it is given. Run on a single changed file (a pre-commit
hook that passes file names), it reports Headlamp even when the policy that
selects it lives in another file. Lint the whole project in one run (the
project-wide pre-commit hook `headlamp-lint-project` with `pass_filenames: false`, or
`headlamp-lint check deploy/`) for a correct result; the message says when
the run held no NetworkPolicy at all.

## Why is this bad?
Without a policy every pod in the cluster, and anything that reaches a
node, can connect to Headlamp's port directly, bypassing the Ingress and
whatever authentication or rate limiting it adds.

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
---
apiVersion: networking.k8s.io/v1
kind: NetworkPolicy
metadata:
  name: headlamp
  namespace: kube-system
spec:
  podSelector:
    matchLabels: {app: headlamp}
  ingress:
    - from:
        - namespaceSelector:
            matchLabels:
              kubernetes.io/metadata.name: ingress-nginx
      ports:
        - port: 4466
```

```yaml
# values
extraManifests:
  - |
    apiVersion: networking.k8s.io/v1
    kind: NetworkPolicy
    metadata:
      name: headlamp
    spec:
      podSelector:
        matchLabels:
          app.kubernetes.io/name: headlamp
      ingress:
        - from:
            - namespaceSelector:
                matchLabels:
                  kubernetes.io/metadata.name: ingress-nginx
```

## Options
None.

## References
- https://kubernetes.io/docs/concepts/services-networking/network-policies/
"""

from __future__ import annotations

from typing import Iterator

from linter.diagnostics import Finding, Severity
from linter.model.links import NetworkIndex, policies_selecting
from linter.rules._network import from_values, workloads_in_scope
from linter.rules.base import RuleMeta

RULE = RuleMeta(
    id="HL501",
    name="no-network-policy",
    title="No NetworkPolicy selects Headlamp's pods",
    severity=Severity.WARNING,
    security_severity=5.0,
    tags=("network",),
)


def check(model, ctx) -> Iterator[Finding]:
    index = model.network or NetworkIndex.of(model)
    for workload in workloads_in_scope(model, ctx):
        if policies_selecting(index, workload):
            continue
        labels = ", ".join(f"{k}={v}" for k, v in sorted(workload.pod.labels.items())) or "no labels"
        if from_values(workload.obj.origin):
            fix = "the chart ships none; add one under extraManifests in your values"
        else:
            fix = "add a NetworkPolicy that allows only the ingress controller"
        partial = (
            " (the run holds no NetworkPolicy at all: if yours live in other files, lint the whole project)"
            if not model.network_policies
            else ""
        )
        yield Finding(
            workload.obj.location,
            f"no NetworkPolicy in the input selects the pods of {workload.obj.ref} ({labels}) in namespace"
            f" {workload.namespace} for ingress{partial}; {fix}",
            workload.obj.ref,
            "spec.template.metadata.labels",
        )
