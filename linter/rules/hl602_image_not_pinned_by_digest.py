"""## What it does
Reports a container of the Headlamp workload (Headlamp itself and its
sidecars) whose image is not pinned by a `@sha256:` digest. With
`--all-workloads` every workload's containers are checked.

## Why is this bad?
Even a version tag can be pushed again: a compromised registry account or a
mistaken re-tag changes what runs without any change to your manifests. A
digest names the exact bytes you reviewed. Keep the tag beside it
(`:v0.45.0@sha256:…`) so people and linters can still read the version.

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
          image: ghcr.io/headlamp-k8s/headlamp:v0.45.0
```

```yaml
# values
image:
  tag: v0.45.0
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
          image: ghcr.io/headlamp-k8s/headlamp:v0.45.0@sha256:0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef
```

The chart has no digest key; a digest can go into `image.tag`
(`image.tag: v0.45.0@sha256:…`).

## Options
None.

## References
- https://kubernetes.io/docs/concepts/containers/images/#image-names
- https://slsa.dev/spec/v1.0/threats
"""

from __future__ import annotations

from typing import Iterator

from linter.diagnostics import Finding, Severity
from linter.rules._containers import containers, finding, subject
from linter.located import Origin
from linter.rules._updates import entry_of, image_fact, from_values, where
from linter.rules.base import RuleMeta
from linter.versions import image_version

RULE = RuleMeta(
    id="HL602",
    name="image-not-pinned-by-digest",
    title="Image is not pinned by digest",
    severity=Severity.INFO,
    security_severity=3.0,
    tags=("image", "supply-chain"),
)


def check(model, ctx) -> Iterator[Finding]:
    for workload, container in containers(model, ctx):
        image = image_fact(model, workload, container, "version")
        parsed = image_version(str(image.value)) if image.value else None
        if parsed is None or parsed.pinned_by_digest:
            continue
        if container.is_headlamp and from_values(image):
            how = f"append the digest to image.tag ({parsed.tag or 'vX.Y.Z'}@sha256:…)"
        elif image.origin is Origin.KUSTOMIZE:
            how = f"set {entry_of(image)}.digest: sha256:<digest> (kustomize keeps newTag beside it)"
        else:
            how = f"append @sha256:<digest> to {image.key}"
        yield finding(
            workload,
            container,
            image.location,
            f"{subject(workload, container)} uses image {image.value}{where(image)} without a digest; {how}",
            image.key,
        )
