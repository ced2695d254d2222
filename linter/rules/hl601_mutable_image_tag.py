"""## What it does
Reports a Headlamp container, or another container of the Headlamp workload
(the plugin manager sidecar, init and extra containers), whose image has no
tag, the tag `latest`, or a tag that is not a version (`main`,
`lts-alpine`, `18-alpine`). An image pinned by digest (`@sha256:…`) is
immutable and is not reported. With `--all-workloads` every workload's
containers are checked.

## Why is this bad?
A moving tag changes under you: a restart or a new node pulls whatever the
tag points to that day, so you cannot tell which Headlamp release (and which
advisories) you run, roll back, or review an upgrade. The chart's plugin
manager sidecar defaults to `node:lts-alpine`, which moves with every Node.js
release.

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
          image: ghcr.io/headlamp-k8s/headlamp:latest
        - name: headlamp-plugin
          image: node:lts-alpine
```

```yaml
# values
image:
  tag: latest
pluginsManager:
  enabled: true
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
          image: ghcr.io/headlamp-k8s/headlamp:v0.45.0
        - name: headlamp-plugin
          image: node:22.11.0-alpine
```

`--fix --unsafe-fixes` sets `image.tag` in a values file to the newest Headlamp
release this version of headlamp-lint knows. It is unsafe: the upgrade changes
what runs, and a newer Headlamp may need a newer chart. Manifests are left to you.

## Options
None.

## References
- https://kubernetes.io/docs/concepts/containers/images/#image-names
- https://headlamp.dev/docs/latest/installation/in-cluster/
"""

from __future__ import annotations

from typing import Iterator

from linter.diagnostics import Finding, Severity
from linter.located import Origin
from linter.rules._containers import containers, finding, subject
from linter.rules._updates import image_fact, image_hint, upgrade_repository, where
from linter.rules.base import FixEdit, FixSpec, RuleMeta
from linter.releases import release_data
from linter.versions import image_version

RULE = RuleMeta(
    id="HL601",
    name="mutable-image-tag",
    title="Image has no version tag",
    severity=Severity.WARNING,
    security_severity=5.0,
    tags=("image", "supply-chain"),
)



# Values files only: the chart's image is blamed at the values key `image.tag` (manifests: `…image`).
FIX = FixSpec(
    "unsafe",
    "sets image.tag to the newest known Headlamp release in values files (an upgrade: it changes what runs)",
    (FixEdit("", f"v{release_data().newest_headlamp.version}"),),
    applies_to="image.tag",
)


def check(model, ctx) -> Iterator[Finding]:
    newest = release_data().newest_headlamp.version
    for workload, container in containers(model, ctx):
        image = image_fact(model, workload, container, "version")
        if not image.value:
            continue
        parsed = image_version(str(image.value))
        if parsed.digest is not None or parsed.version is not None:
            continue
        if container.is_headlamp:
            fix = image_hint(image, upgrade_repository(image), f"v{newest}") + " (the newest known release)"
        else:
            fix = f"set {image.key} to a version tag or a digest"
            if image.origin is Origin.CHART_DEFAULT:
                fix += " in your values"
        yield finding(
            workload,
            container,
            image.location,
            f"{subject(workload, container)} uses image {image.value}{where(image)}, which is mutable:"
            f" {parsed.reason}; {fix}",
            image.key,
        )
