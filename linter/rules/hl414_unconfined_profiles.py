"""## What it does
Reports a container whose AppArmor profile is `Unconfined` (the
`appArmorProfile` field or the
`container.apparmor.security.beta.kubernetes.io/<name>: unconfined`
annotation), whose `procMount` is `Unmasked`, and each unsafe sysctl in the
pod's `securityContext.sysctls` (any outside the Kubernetes safe set).

## Why is this bad?
These switch off kernel protections that the container runtime applies by
default: AppArmor confinement, the masking of sensitive `/proc` paths, and
the isolation of kernel parameters that affect the whole node.

## Example
```yaml
# manifest
apiVersion: v1
kind: Pod
metadata:
  name: headlamp
spec:
  securityContext:
    sysctls:
      - name: kernel.msgmax
        value: "65536"
  containers:
    - name: headlamp
      image: ghcr.io/headlamp-k8s/headlamp:v0.45.0
      securityContext:
        procMount: Unmasked
        appArmorProfile:
          type: Unconfined
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
      securityContext:
        appArmorProfile:
          type: RuntimeDefault
```

## Options
None.

## References
- https://kubernetes.io/docs/tutorials/security/apparmor/
- https://kubernetes.io/docs/tasks/administer-cluster/sysctl-cluster/
"""

from __future__ import annotations

from typing import Iterator

from linter.diagnostics import Finding, Severity
from linter.rules._containers import containers, finding, subject
from linter.rules.base import RuleMeta

RULE = RuleMeta(
    id="HL414",
    name="unconfined-profiles",
    title="AppArmor unconfined, unmasked /proc or unsafe sysctl",
    severity=Severity.ERROR,
    security_severity=7.0,
    tags=("container", "pod-security-standards"),
)

# The sysctls Kubernetes considers safe (namespaced, isolated per pod).
SAFE_SYSCTLS = frozenset(
    {
        "kernel.shm_rmid_forced",
        "net.ipv4.ip_local_port_range",
        "net.ipv4.ip_unprivileged_port_start",
        "net.ipv4.tcp_syncookies",
        "net.ipv4.ping_group_range",
        "net.ipv4.ip_local_reserved_ports",
        "net.ipv4.tcp_keepalive_time",
        "net.ipv4.tcp_fin_timeout",
        "net.ipv4.tcp_keepalive_intvl",
        "net.ipv4.tcp_keepalive_probes",
    }
)


def check(model, ctx) -> Iterator[Finding]:
    for workload in ctx.workloads(model):
        for sysctl in workload.pod.security.sysctls:
            if sysctl.name not in SAFE_SYSCTLS:
                yield finding(
                    workload, None, sysctl.location,
                    f"{workload.obj.ref} sets unsafe sysctl {sysctl.name}", f"securityContext.sysctls[{sysctl.name}]",
                )
    for workload, container in containers(model, ctx):
        sec = container.security
        who = subject(workload, container)
        if sec.apparmor_type.value == "Unconfined":
            yield finding(
                workload, container, sec.apparmor_type.location,
                f"{who} runs without AppArmor ({sec.apparmor_type.key}: unconfined); use RuntimeDefault",
                sec.apparmor_type.key,
            )
        if sec.proc_mount.value == "Unmasked":
            yield finding(
                workload, container, sec.proc_mount.location,
                f"{who} unmasks /proc ({sec.proc_mount.key}: Unmasked); remove it", sec.proc_mount.key,
            )
