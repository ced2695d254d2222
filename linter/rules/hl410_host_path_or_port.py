"""## What it does
Reports each `hostPath` volume of a pod and each `hostPort` of its
containers.

## Why is this bad?
A `hostPath` volume gives the pod the node's files (a writable one is a
classic container escape: the container runtime socket, `/etc`, the
kubelet's credentials). A `hostPort` binds the node's network interface,
bypassing Services, NetworkPolicies on some network plugins, and any
Ingress in front.

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
      ports:
        - containerPort: 4466
          hostPort: 4466
  volumes:
    - name: plugins
      hostPath:
        path: /var/headlamp/plugins
```

```yaml
# values
volumes:
  - name: plugins
    hostPath:
      path: /var/headlamp/plugins
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
      ports:
        - containerPort: 4466
  volumes:
    - name: plugins
      emptyDir: {}
```

## Options
None.

## References
- https://kubernetes.io/docs/concepts/storage/volumes/#hostpath
- https://kubernetes.io/docs/concepts/security/pod-security-standards/#baseline
"""

from __future__ import annotations

from typing import Iterator

from linter.diagnostics import Finding, Severity
from linter.located import Origin
from linter.rules._containers import containers, finding, subject
from linter.rules.base import RuleMeta

RULE = RuleMeta(
    id="HL410",
    name="host-path-or-port",
    title="Pod uses a hostPath volume or a hostPort",
    severity=Severity.ERROR,
    security_severity=7.5,
    tags=("pod", "pod-security-standards"),
)


def check(model, ctx) -> Iterator[Finding]:
    for workload in ctx.workloads(model):
        for volume in workload.pod.volumes:
            if volume.host_path.origin is Origin.MISSING:
                continue
            yield finding(
                workload,
                None,
                volume.host_path.location,
                f'{workload.obj.ref} mounts host path "{volume.host_path.value}" (volume "{volume.name}");'
                " use an emptyDir, a ConfigMap or a PersistentVolumeClaim",
                f"volumes[{volume.name}].hostPath",
            )
    for workload, container in containers(model, ctx):
        for port in container.ports:
            if isinstance(port.host_port.value, int) and port.host_port.value != 0:
                yield finding(
                    workload,
                    container,
                    port.host_port.location,
                    f"{subject(workload, container)} binds host port {port.host_port.value}; expose it"
                    " through a Service instead",
                    f"ports[{port.container_port.value}].hostPort",
                )
