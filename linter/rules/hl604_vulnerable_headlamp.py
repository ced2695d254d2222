"""## What it does
Reports a Headlamp container whose version is affected by a known advisory
whose conditions hold for this installation, and names the advisory, why it
applies and the fixed version. The advisories ship with headlamp-lint
(`headlamp-lint data` lists them); their conditions are evaluated over the
server settings and security context, wherever they are set (args,
`HEADLAMP_CONFIG_*` env, values):

- CVE-2025-14269 (CVSS 8.8): Headlamp up to v0.38.0 running in-cluster
  with Helm enabled (`-enable-helm`, `HEADLAMP_CONFIG_ENABLE_HELM=true` or
  `config.enableHelm: true`); fixed in v0.39.0 (chart 0.39.0).
- Images up to v0.17.0 run as root when the pod sets no `runAsUser`; fixed
  in v0.17.1 (chart 0.12.0).

## Why is this bad?
A known, published vulnerability is the first thing an attacker tries. With
CVE-2025-14269 an unauthenticated user can reuse the credentials Headlamp
cached for the last Helm user.

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
          image: ghcr.io/headlamp-k8s/headlamp:v0.38.0
          args:
            - -in-cluster
            - -enable-helm
```

```yaml
# values
image:
  tag: v0.38.0
config:
  enableHelm: true
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
          image: ghcr.io/headlamp-k8s/headlamp:v0.39.0
          args:
            - -in-cluster
            - -enable-helm
```

Until you can upgrade, turn Helm off (`config.enableHelm: false`) and do not
expose Headlamp publicly.

## Options
None.

## References
- https://github.com/kubernetes/kubernetes/issues/135798
- https://github.com/kubernetes-sigs/headlamp/issues/4282
- https://headlamp.dev/docs/latest/installation/in-cluster/
"""

from __future__ import annotations

from typing import Iterator

from linter.diagnostics import Finding, Severity
from linter.model.updates import evaluate_conditions, headlamp_containers
from linter.releases import release_data
from linter.rules._containers import finding, subject
from linter.rules._updates import image_fact, where
from linter.rules.base import RuleMeta

RULE = RuleMeta(
    id="HL604",
    name="vulnerable-headlamp",
    title="Headlamp version has a known vulnerability",
    severity=Severity.ERROR,
    security_severity=8.8,
    tags=("image", "updates", "cve"),
)


def check(model, ctx) -> Iterator[Finding]:
    data = release_data()
    for installation in model.installations:
        workload = installation.workload
        for target in headlamp_containers(installation):
            version = target.version.version
            if version is None:
                continue
            image = image_fact(model, workload, target.container, "version")
            for advisory in data.advisories_for(version):
                result = evaluate_conditions(advisory.conditions, target)
                if not result.holds:
                    continue
                because = f" ({'; '.join(result.reasons)})" if result.reasons else ""
                chart = f" (chart {advisory.fixed_chart})" if advisory.fixed_chart else ""
                mitigation = f"; {advisory.mitigation}" if advisory.mitigation else ""
                yield finding(
                    workload,
                    target.container,
                    image.location,
                    f"{subject(workload, target.container)} runs Headlamp {version}{where(image)}, affected by"
                    f" {advisory.label}: {advisory.title}{because}; upgrade to {advisory.fixed} or later{chart}"
                    f"{mitigation} ({advisory.url})",
                    f"{image.key}[{advisory.id}]",
                )
