"""## What it does
Reports a NetworkPolicy that selects Headlamp's pods (every policy with
`--all-workloads`) and still lets in traffic from everywhere: an ingress
rule without `from` (`ingress: [{}]`, or `from: []`) — on the rule — or an
`ipBlock` of `0.0.0.0/0` or `::/0` without `except` — on the peer.

## Why is this bad?
A policy that admits everyone looks like protection in a review but
restricts nothing: Headlamp stays reachable from every pod and, through
node ports or host networking, from outside.

## Example
```yaml
# manifest
apiVersion: networking.k8s.io/v1
kind: NetworkPolicy
metadata:
  name: headlamp
spec:
  podSelector: {}
  ingress:
    - {}
```

## Use instead
```yaml
# manifest
apiVersion: networking.k8s.io/v1
kind: NetworkPolicy
metadata:
  name: headlamp
spec:
  podSelector: {}
  ingress:
    - from:
        - namespaceSelector:
            matchLabels:
              kubernetes.io/metadata.name: ingress-nginx
```

## Options
None.

## References
- https://kubernetes.io/docs/concepts/services-networking/network-policies/#allow-all-ingress-traffic
"""

from __future__ import annotations

from typing import Iterator

from linter.diagnostics import Finding, Severity
from linter.rules._network import OPEN_RANGES, policies_in_scope
from linter.rules.base import RuleMeta

RULE = RuleMeta(
    id="HL502",
    name="network-policy-allows-all",
    title="NetworkPolicy for Headlamp allows ingress from everywhere",
    severity=Severity.WARNING,
    security_severity=5.0,
    tags=("network",),
)


def check(model, ctx) -> Iterator[Finding]:
    for policy in policies_in_scope(model, ctx):
        for rule in policy.ingress:
            if not rule.peers:
                yield Finding(
                    rule.location,
                    f"{policy.obj.ref} has an ingress rule without `from`: it allows traffic from everywhere;"
                    " list the peers (e.g. the ingress controller's namespace)",
                    policy.obj.ref,
                    "spec.ingress",
                )
                continue
            for peer in rule.peers:
                if peer.ip_block is not None and peer.ip_block.strip() in OPEN_RANGES and not peer.ip_except:
                    yield Finding(
                        peer.location,
                        f"{policy.obj.ref} allows ingress from ipBlock {peer.ip_block}, every address; narrow it"
                        " to trusted networks",
                        policy.obj.ref,
                        "spec.ingress.from.ipBlock",
                    )
