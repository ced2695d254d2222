"""## What it does
Reports a Headlamp container whose version (its image tag, or for a values
file the tag the chart renders, `v` + the chart's appVersion when
`image.tag` is empty) is more than `max-minor-releases-behind` minor
releases older than the newest Headlamp release known to this version of
headlamp-lint, and names that release and its date. Minor releases are
counted in the shipped release table (`headlamp-lint data`), so a skipped
minor number does not count. An image pinned by digest alone has no
readable version; that is reported as information, since neither this rule
nor HL604 can check it.

## Why is this bad?
Headlamp fixes security problems in new releases and does not backport
them: CVE-2025-14269 was fixed in v0.39.0 only. The hardening guide asks you
to keep Headlamp updated and to follow the security announcements.

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
```

```yaml
# values
image:
  tag: v0.38.0
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
```

`--fix --unsafe-fixes` sets `image.tag` in a values file to the newest Headlamp
release this version of headlamp-lint knows. It is unsafe: the upgrade changes
what runs, and a newer Headlamp may need a newer chart. Manifests are left to you.

## Options
- `max-minor-releases-behind` (integer, default 2): how many minor releases
  older than the newest known one are still accepted.

## References
- https://github.com/kubernetes-sigs/headlamp/releases
- https://headlamp.dev/docs/latest/installation/in-cluster/
"""

from __future__ import annotations

from typing import Iterator

from linter.diagnostics import Finding, Severity
from linter.model.updates import headlamp_containers
from linter.releases import release_data
from linter.rules._containers import finding, subject
from linter.rules._updates import image_fact, image_hint, upgrade_repository, where
from linter.rules.base import FixEdit, FixSpec, Option, RuleMeta

RULE = RuleMeta(
    id="HL603",
    name="outdated-headlamp",
    title="Headlamp is several minor releases behind",
    severity=Severity.WARNING,
    security_severity=5.0,
    tags=("image", "updates"),
    options=(
        Option(
            "max-minor-releases-behind",
            "integer",
            2,
            "Minor releases a Headlamp version may lag behind the newest known release.",
        ),
    ),
)



# Values files only: the chart's image is blamed at the values key `image.tag` (manifests: `…image`).
FIX = FixSpec(
    "unsafe",
    "sets image.tag to the newest known Headlamp release in values files (an upgrade: it changes what runs)",
    (FixEdit("", f"v{release_data().newest_headlamp.version}"),),
    applies_to="image.tag",
)


def check(model, ctx) -> Iterator[Finding]:
    data = release_data()
    newest = data.newest_headlamp
    allowed = int(ctx.option(RULE, "max-minor-releases-behind"))
    for installation in model.installations:
        workload = installation.workload
        for target in headlamp_containers(installation):
            container, version = target.container, target.version.version
            image = image_fact(model, workload, container, "version")
            if version is None:
                if target.version.digest_only:
                    yield finding(
                        workload,
                        container,
                        image.location,
                        f"{subject(workload, container)}: the Headlamp version of {image.value}{where(image)} is"
                        f" unknown because {target.version.reason}; keep the tag beside the digest"
                        " (:vX.Y.Z@sha256:…) so that updates and advisories can be checked",
                        image.key,
                        Severity.INFO,
                    )
                continue
            behind = data.minor_releases_since(version)
            if len(behind) <= allowed:
                continue
            yield finding(
                workload,
                container,
                image.location,
                f"{subject(workload, container)} runs Headlamp {version}{where(image)}, {len(behind)} minor"
                f" release{'s' if len(behind) != 1 else ''} behind the newest known release {newest.version} of {newest.date.isoformat()}"
                f" (at most {allowed} allowed); {image_hint(image, upgrade_repository(image), f'v{newest.version}')}",
                image.key,
            )
