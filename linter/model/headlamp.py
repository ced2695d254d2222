"""Recognising Headlamp, and the Installation: one Headlamp instance and what is linked to it."""

from __future__ import annotations

import fnmatch
import re
from typing import TYPE_CHECKING, Callable

from linter.model.objects import ObjectRef
from linter.model.workloads import Container, Workload
from linter.records import record

if TYPE_CHECKING:
    from linter.model.network import Gateway, HTTPRoute, Ingress, NetworkPolicy, Service
    from linter.model.rbac import Permissions, ServiceAccount
    from linter.model.server import ServerSettings

# Repositories (registry/path, no tag) that ship the Headlamp server image.
HEADLAMP_IMAGE_PATTERNS: tuple[str, ...] = (
    "*/headlamp-k8s/headlamp",
    "headlamp-k8s/headlamp",
    "*/kinvolk/headlamp",
    "kinvolk/headlamp",
    "registry.k8s.io/headlamp/headlamp",
    "*/k8s-staging-images/headlamp/headlamp",
    "*/kubernetes-sigs/headlamp",
)

_DIGEST = re.compile(r"@sha256:[0-9a-fA-F]*$")


@record(frozen=True)
class ImageRef:
    """An image reference split into repository, tag and digest."""

    repository: str
    tag: str | None
    digest: str | None

    @classmethod
    def parse(cls, image: str) -> "ImageRef":
        image = image.strip()
        digest = None
        if "@" in image:
            image, digest = image.split("@", 1)
        tag = None
        last = image.rsplit("/", 1)[-1]
        if ":" in last:
            image, tag = image.rsplit(":", 1)
        return cls(image, tag or None, digest or None)


def repository_matches(repository: str, patterns: tuple[str, ...]) -> bool:
    return any(fnmatch.fnmatchcase(repository, pattern) for pattern in patterns)


# Server flags only Headlamp takes (with an image named ``headlamp`` they make it Headlamp).
SIGNAL_FLAGS = frozenset(
    ("in-cluster", "in-cluster-context-name", "plugins-dir", "user-plugins-dir", "html-static-dir", "kubeconfig",
     "kubeconfig-dir", "enable-dynamic-clusters")
)
SIGNAL_FLAG_PREFIX = "oidc-"
SERVER_BINARY = "headlamp-server"  # the image's entrypoint, /headlamp/headlamp-server
CHART_LABEL = "helm.sh/chart"
NAME_LABEL = "app.kubernetes.io/name"
_CHART_VALUE = re.compile(r"^headlamp-v?[0-9]")
CONTAINER_NAME = "headlamp"  # the chart's container: {{ .Chart.Name }}


@record(frozen=True, slots=True)
class ContainerSignals:
    """What recognition looks at in one container and the pod around it."""

    image: str | None
    name: str
    first: bool  # the first of the pod's regular containers
    command: tuple[str, ...]
    args: tuple[str, ...]
    env_names: tuple[str, ...]
    object_labels: dict[str, str]  # the workload object's metadata.labels
    pod_labels: dict[str, str]  # the pod template's labels


@record(frozen=True, slots=True)
class Recognition:
    """Whether a container is Headlamp, and why. ``weak``: similar, but not enough to lint it as Headlamp."""

    headlamp: bool
    reason: str
    weak: bool = False


def _flag_signal(signals: ContainerSignals) -> str | None:
    """A Headlamp server flag, the server binary or a HEADLAMP_CONFIG_* variable: the first found, in words."""
    if signals.command and signals.command[0].rsplit("/", 1)[-1] == SERVER_BINARY:
        return f"its command runs {SERVER_BINARY}"
    for token in signals.command[1:] + signals.args:
        if not token.startswith("-") or token in ("-", "--"):
            continue
        name = token.lstrip("-").split("=", 1)[0]
        if name in SIGNAL_FLAGS or name.startswith(SIGNAL_FLAG_PREFIX):
            return f"it takes Headlamp's server flag -{name}"
    for env in signals.env_names:
        if env.startswith("HEADLAMP_CONFIG_"):
            return f"it sets {env}"
    return None


Recogniser = Callable[[ContainerSignals], "Recognition | None"]


@record(frozen=True)
class HeadlampMatcher:
    """Decides whether a container is Headlamp; extra image patterns come from the configuration.

    Strong signals, in this order: the image repository is an official one
    or matches a configured ``headlamp-images`` pattern; the repository's last
    path segment is ``headlamp`` (any registry, prefix, tag or digest: a
    mirror) and the container runs Headlamp's server binary, takes one of its
    server flags or sets a ``HEADLAMP_CONFIG_*`` variable; the Headlamp
    chart's labels (``helm.sh/chart: headlamp-<version>`` on the workload, or
    ``app.kubernetes.io/name: headlamp``) on the container the chart names
    ``headlamp``. An image named ``headlamp`` with none of these is only
    weakly similar: reported (HL022), not linted as Headlamp.
    """

    configured: tuple[str, ...] = ()
    patterns: tuple[str, ...] = HEADLAMP_IMAGE_PATTERNS

    def matches_image(self, image: str) -> bool:
        """The image alone is Headlamp's (an official repository or a configured pattern)."""
        return self._pattern(ImageRef.parse(image).repository) is not None

    def _pattern(self, repository: str) -> str | None:
        for pattern in self.configured + self.patterns:
            if fnmatch.fnmatchcase(repository, pattern):
                return pattern
        return None

    def __call__(self, signals: ContainerSignals) -> Recognition | None:
        repository = ImageRef.parse(signals.image).repository if signals.image else ""
        if repository:
            pattern = self._pattern(repository)
            if pattern is not None:
                where = "a configured headlamp-images pattern" if pattern in self.configured else (
                    "an official Headlamp repository")
                return Recognition(True, f"image {repository} matches {pattern} ({where})")
        named = repository.rsplit("/", 1)[-1] == "headlamp"
        if named:
            signal = _flag_signal(signals)
            if signal is not None:
                return Recognition(True, f"image repository {repository} ends in headlamp and {signal}")
        if signals.name == CONTAINER_NAME:
            chart = signals.object_labels.get(CHART_LABEL, "")
            if _CHART_VALUE.match(chart):
                return Recognition(True, f"the workload has the Headlamp chart's label {CHART_LABEL}: {chart}"
                                         f" and the container is named {CONTAINER_NAME}")
            for labels in (signals.object_labels, signals.pod_labels):
                if labels.get(NAME_LABEL) == "headlamp":
                    return Recognition(True, f"the label {NAME_LABEL}: headlamp and the container is named"
                                             f" {CONTAINER_NAME}")
        if named:
            return Recognition(False, f"image repository {repository} ends in headlamp, but the container takes none"
                                      " of Headlamp's server flags or HEADLAMP_CONFIG_* variables and is not the"
                                      " Headlamp chart's container",
                               weak=True)
        return None


@record(frozen=True, slots=True)
class Installation:
    """One Headlamp instance: its workload and everything linked to it.

    ``servers`` holds the server settings of each Headlamp container (same
    order as ``headlamp_containers``). ``services`` select its pods;
    ``ingresses`` and ``http_routes`` route to those services;
    ``network_policies`` select its pods for ingress.
    ``service_account`` is the name its pods run as (``default`` when
    unset; ``service_account_object`` the ServiceAccount when in the
    input); ``permissions`` are the grants of every binding that reaches it.
    """

    workload: Workload
    headlamp_containers: tuple[Container, ...]
    servers: tuple[ServerSettings, ...] = ()
    services: tuple[Service, ...] = ()
    ingresses: tuple[Ingress, ...] = ()
    http_routes: tuple[HTTPRoute, ...] = ()
    gateways: tuple[Gateway, ...] = ()
    network_policies: tuple[NetworkPolicy, ...] = ()
    service_account: str = "default"
    service_account_object: ServiceAccount | None = None
    permissions: Permissions | None = None
    source: str = "manifest"  # "manifest" or "values"
    chart_version: str | None = None  # for values: the chart release it was rendered with

    @property
    def name(self) -> str:
        return str(self.workload.obj.ref)

    @property
    def ref(self) -> ObjectRef:
        return self.workload.obj.ref

    @property
    def external_services(self) -> tuple[Service, ...]:
        """Services of type LoadBalancer or NodePort that select Headlamp."""
        return tuple(s for s in self.services if s.is_external)

    @property
    def is_exposed(self) -> bool:
        """Reachable from outside the cluster: an Ingress, an HTTPRoute, a LoadBalancer or NodePort Service."""
        return bool(self.ingresses or self.http_routes or self.external_services)
