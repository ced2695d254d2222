"""## What it does
Reports, once for each Headlamp installation (at its Headlamp image), that
the release and advisory table shipped with this version of headlamp-lint
is older than `max-age-days` at run time. `headlamp-lint data` shows the
table's date; `--now` sets the date the age is measured at.

## Why is this bad?
An offline linter only knows the releases and advisories that existed when
its data was written. Past that age, a clean HL603/HL604 result says little:
newer Headlamp releases and advisories are unknown to it. Update
headlamp-lint (or its data) to check against current knowledge.

## Example
```yaml
# manifest
# lint-args: --now 2099-01-01
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

## Use instead
```yaml
# manifest
# lint-args: --now 2026-09-01
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

Upgrade headlamp-lint; maintainers refresh the table with
`scripts/update_release_data.py` (see the README, "Updating the release
data").

## Options
- `max-age-days` (integer, default 180): the age in days of the shipped
  release data above which this rule reports.

## References
- https://github.com/kubernetes-sigs/headlamp/releases
- https://kubernetes.io/docs/reference/issues-security/official-cve-feed/
"""

from __future__ import annotations

from typing import Iterator

from linter.diagnostics import Finding, Severity
from linter.model.updates import headlamp_containers
from linter.releases import release_data
from linter.rules._containers import finding
from linter.rules.base import Option, RuleMeta

RULE = RuleMeta(
    id="HL607",
    name="stale-advisory-data",
    title="The shipped release and advisory data is old",
    severity=Severity.INFO,
    security_severity=2.0,
    tags=("updates", "tool"),
    options=(
        Option("max-age-days", "integer", 180, "Age in days of the shipped release data above which HL607 reports."),
    ),
)


def check(model, ctx) -> Iterator[Finding]:
    data = release_data()
    limit = int(ctx.option(RULE, "max-age-days"))
    age = data.age_days(ctx.now)
    if age <= limit:
        return
    newest = data.newest_headlamp
    for installation in model.installations:
        target = next(iter(headlamp_containers(installation)), None)
        if target is None:
            continue
        yield finding(
            installation.workload,
            target.container,
            target.container.image.location,
            f"the release and advisory data of this headlamp-lint is from {data.updated.isoformat()}, {age} days"
            f" old (more than {limit}): Headlamp releases after {newest.version} and newer advisories are unknown"
            f" to it, so HL603/HL604 may miss problems with {installation.name}; update headlamp-lint",
            target.container.image.key,
        )
