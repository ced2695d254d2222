"""Update and patch facts of a Headlamp installation: versions, advisory conditions, runtime plugin fetches.

Advisory conditions are data (``linter/data/releases.json``) evaluated here
over the model: the server settings (``-in-cluster``, ``-enable-helm`` from
args, ``HEADLAMP_CONFIG_*`` env or values) and the container's effective
security settings. Rules never match strings in args for them.
"""

from __future__ import annotations

import re
from typing import Any, Iterator, Mapping

from linter.located import Located, Origin
from linter.model.headlamp import Installation
from linter.model.server import ServerSettings
from linter.model.workloads import Container
from linter.records import record
from linter.versions import ImageVersion, image_version

# npm package of the chart's plugin manager sidecar, with its optional version or dist-tag.
_PLUGINCTL = re.compile(r"@headlamp-k8s/pluginctl(?:@([^\s\"';&|]+))?")
_EXACT_NPM_VERSION = re.compile(r"^v?\d+\.\d+\.\d+(?:-[0-9A-Za-z.-]+)?$")


@record(frozen=True)
class HeadlampContainer:
    """A Headlamp server container with its settings and the version its image names."""

    container: Container
    server: ServerSettings
    version: ImageVersion


def headlamp_containers(installation: Installation) -> Iterator[HeadlampContainer]:
    for index, container in enumerate(installation.headlamp_containers):
        if not container.image.value:
            continue
        server = installation.servers[index] if index < len(installation.servers) else ServerSettings({}, ())
        yield HeadlampContainer(container, server, image_version(container.image.value))


def sidecars(installation: Installation) -> tuple[Container, ...]:
    """The Headlamp workload's other containers (plugin manager, init containers, extra containers)."""
    return tuple(c for c in installation.workload.pod.containers if not c.is_headlamp)


@record(frozen=True)
class ConditionResult:
    holds: bool
    reasons: tuple[str, ...]  # why each condition holds, for messages


def evaluate_conditions(conditions: Mapping[str, Any], target: HeadlampContainer) -> ConditionResult:
    """Whether every condition of an advisory holds for this container; unknown keys are a data error."""
    reasons: list[str] = []
    server = target.server
    for name, wanted in conditions.items():
        if name == "in_cluster":
            setting = server.get("in-cluster")
            if server.in_cluster is not bool(wanted):
                return ConditionResult(False, ())
            if wanted and setting is not None:
                reasons.append(f"in-cluster ({setting.describe()})")
        elif name == "flags_enabled":
            for flag in wanted:
                setting = server.get(flag)
                if setting is None or not server.enabled(flag):
                    return ConditionResult(False, ())
                reasons.append(f"-{flag} is enabled ({setting.describe()})")
        elif name == "runs_as_image_user":
            user = target.container.security.run_as_user
            if (user.value is None) is not bool(wanted):
                return ConditionResult(False, ())
            if wanted:
                shown = "" if user.origin is Origin.MISSING else f" ({user.describe()})"
                reasons.append(f"no runAsUser is set{shown}")
        else:
            raise ValueError(f"unknown advisory condition {name!r}")
    return ConditionResult(True, tuple(reasons))


@record(frozen=True)
class RuntimePluginFetch:
    """A container that runs ``@headlamp-k8s/pluginctl`` from npm at start-up."""

    container: Container
    fact: Located  # the command or args entry that runs it
    version: str | None  # the npm version or dist-tag, None when not given (npm takes latest)

    @property
    def pinned(self) -> bool:
        return self.version is not None and bool(_EXACT_NPM_VERSION.match(self.version))


def runtime_plugin_fetches(installation: Installation) -> Iterator[RuntimePluginFetch]:
    """Every pluginctl invocation in the command or args of the installation's sidecars."""
    for container in sidecars(installation):
        for fact in container.command + container.args:
            if not isinstance(fact.value, str):
                continue
            for match in _PLUGINCTL.finditer(fact.value):
                yield RuntimePluginFetch(container, fact, match.group(1))


def describe_conditions(conditions: Mapping[str, Any]) -> str:
    """An advisory's conditions in words: ``in-cluster, -enable-helm enabled``."""
    words: list[str] = []
    for name, wanted in conditions.items():
        if name == "in_cluster":
            words.append("in-cluster" if wanted else "not in-cluster")
        elif name == "flags_enabled":
            words.extend(f"-{flag} enabled" for flag in wanted)
        elif name == "runs_as_image_user":
            words.append("no runAsUser set (the image's user applies)" if wanted else "runAsUser set")
        else:
            words.append(f"{name}={wanted}")
    return ", ".join(words) if words else "always"
