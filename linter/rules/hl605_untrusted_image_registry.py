"""## What it does
Reports a Headlamp container whose image repository is not on the allow-list
(`allowed-repositories`; by default the official
`ghcr.io/headlamp-k8s/headlamp` and `registry.k8s.io/headlamp/headlamp`).
A deprecated official repository (`ghcr.io/kinvolk/headlamp`,
`quay.io/kinvolk/headlamp`, the `k8s-staging-images` staging repository) is
named as such, with the repository to use instead.

## Why is this bad?
An image from an unknown registry may not be Headlamp at all, and a copy
you do not control can be replaced. The deprecated Kinvolk repositories get
no new releases, so an installation pulling from them cannot be updated;
staging images are not promoted releases.

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
          image: ghcr.io/kinvolk/headlamp:v0.45.0
```

```yaml
# values
image:
  registry: ghcr.io
  repository: kinvolk/headlamp
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
          image: registry.k8s.io/headlamp/headlamp:v0.45.0
```

## Options
- `allowed-repositories` (array of glob patterns, default the official
  repositories): image repositories (registry and path, no tag) accepted
  for Headlamp, e.g. add `registry.example.com/mirror/headlamp` for your
  own mirror.

## References
- https://github.com/kubernetes-sigs/headlamp/pkgs/container/headlamp
- https://github.com/kubernetes/k8s.io/tree/main/registry.k8s.io
"""

from __future__ import annotations

import fnmatch
from typing import Iterator

from linter.diagnostics import Finding, Severity
from linter.located import Origin
from linter.model.updates import headlamp_containers
from linter.releases import release_data
from linter.rules._containers import finding, subject
from linter.rules._updates import image_fact, repository_of, where
from linter.rules.base import Option, RuleMeta

RULE = RuleMeta(
    id="HL605",
    name="untrusted-image-registry",
    title="Headlamp image is not from an official repository",
    severity=Severity.WARNING,
    security_severity=6.0,
    tags=("image", "supply-chain"),
    options=(
        Option(
            "allowed-repositories",
            "array",
            [image.repository for image in release_data().official_images],
            "Image repositories (glob patterns, no tag) accepted for the Headlamp container.",
        ),
    ),
)


def check(model, ctx) -> Iterator[Finding]:
    data = release_data()
    allowed = [str(p) for p in ctx.option(RULE, "allowed-repositories")]
    for installation in model.installations:
        workload = installation.workload
        for target in headlamp_containers(installation):
            image = image_fact(model, workload, target.container, "registry")
            repository = repository_of(image)
            if any(fnmatch.fnmatchcase(repository, pattern) for pattern in allowed):
                continue
            deprecated = data.deprecated(repository)
            if deprecated is not None:
                why = (
                    f"is from the deprecated repository {repository}: {deprecated.note};"
                    f" use {deprecated.replacement}"
                )
            else:
                why = (
                    f"is from {repository}, which is not an allowed repository ({', '.join(allowed) or 'none'});"
                    " use an official repository, or add yours to the allowed-repositories option of HL605"
                )
            if image.origin is Origin.VALUES and image.key.endswith("image.repository") and _doubled(repository):
                why += ("; image.repository names a registry itself and the chart puts image.registry (and a"
                        " slash) in front of it: keep only the path in image.repository")
            yield finding(
                workload,
                target.container,
                image.location,
                f"{subject(workload, target.container)} image {image.value}{where(image)} {why}",
                image.key,
            )


def _registry_like(segment: str) -> bool:
    return "." in segment or ":" in segment or segment == "localhost"


def _doubled(repository: str) -> bool:
    """``/ghcr.io/x`` (an empty image.registry) or ``ghcr.io/ghcr.io/x``: the registry named twice."""
    parts = repository.split("/")
    return repository.startswith("/") or (len(parts) > 2 and _registry_like(parts[0]) and _registry_like(parts[1]))
