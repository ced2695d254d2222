"""## What it does
Reports, once per object, an object of a kind headlamp-lint does not know
that holds containers outside any pod template it can read. Pod templates
are read from the Kubernetes workload kinds, Argo Rollouts, OpenShift
DeploymentConfigs, Knative Services and Configurations, KEDA ScaledJobs
(`spec.jobTargetRef.template`), and any kind whose
`spec.template.spec.containers` is a list; containers anywhere else
(`spec.runner.containers`, say) are reported here.

## Why is this bad?
Nothing checks those containers: if one of them is Headlamp, or runs with
a dangerous security context, the run says nothing about it.

## Example
```yaml
# manifest
apiVersion: example.com/v1
kind: Dashboard
metadata:
  name: headlamp
spec:
  runner:
    containers:
      - name: headlamp
        image: ghcr.io/headlamp-k8s/headlamp:v0.45.0
```

## Use instead
```yaml
# manifest: lint the workload the operator creates (for example its rendered output)
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
```

## Options
None.

## References
- https://kubernetes.io/docs/concepts/workloads/pods/#pod-templates
"""

from __future__ import annotations

from typing import Iterator

from linter.diagnostics import Finding, Severity
from linter.rules.base import RuleMeta

RULE = RuleMeta(
    id="HL023",
    name="unplaced-containers",
    title="An object of an unknown kind holds containers outside a pod template",
    severity=Severity.INFO,
    security_severity=1.0,
    tags=("input", "kubernetes"),
)


def check(model, ctx) -> Iterator[Finding]:
    for unplaced in model.unplaced_containers:
        yield Finding(
            unplaced.location,
            f"{unplaced.obj.ref} ({unplaced.obj.api_version}) holds containers at {unplaced.path}, which is not"
            " a pod template headlamp-lint knows: they are not checked; lint the workload they become instead",
            unplaced.obj.ref,
            unplaced.path,
        )
