"""## What it does
Reports a container of the Headlamp workload (the chart's plugin manager
sidecar, or any init or extra container) that runs
`@headlamp-k8s/pluginctl` from npm at start-up without an exact version:
`pluginctl@latest` (the chart default `pluginsManager.version: latest`), a
dist-tag or range, or no version at all. The container is found by what it
runs, not by its name.

## Why is this bad?
Every pod start downloads and runs whatever npm serves for that tag that
day, and the plugins it installs run in every user's browser session with
their Kubernetes credentials. A hijacked package or a bad release reaches
your cluster without any change on your side.

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
        - name: headlamp-plugin
          image: node:22.11.0-alpine
          command: ["/bin/sh", "-c"]
          args:
            - npx --yes @headlamp-k8s/pluginctl@latest install --config /config/plugin.yml
```

```yaml
# values
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
          command: ["/bin/sh", "-c"]
          args:
            - npx --yes @headlamp-k8s/pluginctl@1.0.0 install --config /config/plugin.yml
```

Better still, bake the plugins into an image (`ghcr.io/headlamp-k8s/plugins`
or your own) and mount them read-only.

## Options
None.

## References
- https://headlamp.dev/docs/latest/installation/in-cluster/
- https://www.npmjs.com/package/@headlamp-k8s/pluginctl
"""

from __future__ import annotations

from typing import Iterator

from linter.diagnostics import Finding, Severity
from linter.located import Origin
from linter.model.updates import runtime_plugin_fetches
from linter.rules._containers import finding, subject
from linter.rules.base import RuleMeta

RULE = RuleMeta(
    id="HL606",
    name="plugins-fetched-at-runtime",
    title="Plugins are fetched from npm at start-up with an unpinned version",
    severity=Severity.WARNING,
    security_severity=6.5,
    tags=("plugins", "supply-chain"),
)


def check(model, ctx) -> Iterator[Finding]:
    for installation in model.installations:
        workload = installation.workload
        for fetch in runtime_plugin_fetches(installation):
            if fetch.pinned:
                continue
            what = f"@headlamp-k8s/pluginctl@{fetch.version}" if fetch.version else "@headlamp-k8s/pluginctl"
            state = f"version {fetch.version!r} is not an exact version" if fetch.version else "no version is given"
            if fetch.fact.origin is Origin.CHART_DEFAULT:
                fix = "set pluginsManager.version to an exact version (e.g. 1.0.0) in your values"
            elif fetch.fact.origin is Origin.VALUES:
                fix = f"set {fetch.fact.key} to an exact version (e.g. 1.0.0)"
            else:
                fix = "pin an exact version (e.g. @headlamp-k8s/pluginctl@1.0.0) or bake the plugins into an image"
            yield finding(
                workload,
                fetch.container,
                fetch.fact.location,
                f"{subject(workload, fetch.container)} runs {what} from npm at start-up and {state}; {fix}",
                fetch.fact.key,
            )
