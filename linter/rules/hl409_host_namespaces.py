"""## What it does
Reports a pod that shares a host namespace: `hostNetwork`, `hostPID` or
`hostIPC` set to `true`, or a Windows HostProcess pod or container
(`securityContext.windowsOptions.hostProcess: true`, which runs in all of
the node's namespaces). Each one is reported at its own line.

## Why is this bad?
With the host's network the pod can reach services bound to the node's
loopback and sniff its traffic; with the host's PID or IPC namespace it can
see and signal every process on the node and read their shared memory. A
Windows HostProcess container is a process on the node itself, with the
node's network, processes and file system.

## Example
```yaml
# manifest
apiVersion: v1
kind: Pod
metadata:
  name: headlamp
spec:
  hostNetwork: true
  containers:
    - name: headlamp
      image: ghcr.io/headlamp-k8s/headlamp:v0.45.0
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
```

## Options
None.

## References
- https://kubernetes.io/docs/concepts/security/pod-security-standards/#baseline
"""

from __future__ import annotations

from typing import Iterator

from linter.diagnostics import Finding, Severity
from linter.rules._containers import finding, subject
from linter.rules.base import RuleMeta

RULE = RuleMeta(
    id="HL409",
    name="host-namespaces",
    title="Pod shares a host namespace",
    severity=Severity.ERROR,
    security_severity=8.0,
    tags=("pod", "pod-security-standards"),
)


def check(model, ctx) -> Iterator[Finding]:
    for workload in ctx.workloads(model):
        pod = workload.pod
        for fact, what in ((pod.host_network, "network"), (pod.host_pid, "process IDs"), (pod.host_ipc, "IPC")):
            if fact.value is True:
                yield finding(
                    workload,
                    None,
                    fact.location,
                    f"{workload.obj.ref} shares the host's {what} ({fact.key}: true)",
                    fact.key,
                )
        # A Windows HostProcess pod runs on the host itself: its network, processes and file system.
        host_process = pod.security.host_process
        if host_process is not None and host_process.value is True:
            yield finding(
                workload,
                None,
                host_process.location,
                f"{workload.obj.ref} is a Windows HostProcess pod ({host_process.key}: true): it runs in the"
                " node's own namespaces, with the node's network, processes and file system",
                host_process.key,
            )
        for container in workload.pod.containers:
            own = container.security.host_process
            if own is not None and own.value is True:
                yield finding(
                    workload,
                    container,
                    own.location,
                    f"{subject(workload, container)} is a Windows HostProcess container ({own.key}: true): it"
                    " runs in the node's own namespaces, with the node's network, processes and file system",
                    own.key,
                )
