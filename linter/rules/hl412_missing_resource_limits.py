"""## What it does
Reports a container that has no memory limit, no CPU request or no memory
request. One finding per container names everything that is missing.

## Why is this bad?
Without a memory limit one container can exhaust its node's memory and get
other pods evicted; without requests the scheduler cannot place it safely and
it is the first to be killed under pressure. The Headlamp chart's default is
`resources: {}`.

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
      resources:
        requests:
          cpu: 100m
```

```yaml
# values
resources:
  requests:
    cpu: 100m
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
      resources:
        requests:
          cpu: 100m
          memory: 128Mi
        limits:
          memory: 256Mi
```

## Options
None.

## References
- https://kubernetes.io/docs/concepts/configuration/manage-resources-containers/
"""

from __future__ import annotations

from typing import Iterator

from linter.diagnostics import Finding, Severity
from linter.located import Origin
from linter.rules._containers import containers, finding, subject
from linter.rules.base import RuleMeta

RULE = RuleMeta(
    id="HL412",
    name="missing-resource-limits",
    title="Container has no memory limit or no requests",
    severity=Severity.WARNING,
    security_severity=3.0,
    tags=("container", "availability"),
)


def check(model, ctx) -> Iterator[Finding]:
    for workload, container in containers(model, ctx):
        res = container.resources
        missing = [f for f in (res.memory_limit, res.cpu_request, res.memory_request) if f.value in (None, "")]
        if not missing:
            continue
        keys = ", ".join(f.key for f in missing)
        if any(f.origin is Origin.CHART_DEFAULT for f in missing):
            hint = f"the chart default is resources: {{}}; set {keys} in your values"
        else:
            hint = f"set {keys}"
        # Blame the most specific place that exists: the first missing field's anchor.
        yield finding(
            workload,
            container,
            missing[0].location,
            f"{subject(workload, container)} lacks {_describe(missing)} ({hint})",
            "resources",
        )


_WORDS = {"limits.memory": "memory limit", "requests.cpu": "CPU request", "requests.memory": "memory request"}


def _describe(missing) -> str:
    words = ["a " + _WORDS[".".join(f.key.split(".")[-2:])] for f in missing]
    return words[0] if len(words) == 1 else ", ".join(words[:-1]) + " and " + words[-1]
