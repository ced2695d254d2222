"""Recognising Headlamp, and the Installation: one Headlamp instance and what is linked to it."""

from __future__ import annotations

import fnmatch
import re
from dataclasses import dataclass

from typing import TYPE_CHECKING

from linter.model.objects import ObjectRef
from linter.model.workloads import Container, Workload

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


@dataclass(frozen=True)
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


@dataclass(frozen=True)
class HeadlampMatcher:
    """Decides whether an image is Headlamp; extra patterns come from the configuration."""

    patterns: tuple[str, ...] = HEADLAMP_IMAGE_PATTERNS

    def __call__(self, image: str) -> bool:
        return repository_matches(ImageRef.parse(image).repository, self.patterns)


@dataclass(frozen=True, slots=True)
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
