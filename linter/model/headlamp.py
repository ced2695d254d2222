"""Recognising Headlamp, and the Installation: one Headlamp instance and what is linked to it."""

from __future__ import annotations

import fnmatch
import re
from dataclasses import dataclass

from linter.model.workloads import Container, Workload

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


@dataclass(frozen=True)
class Installation:
    """One Headlamp instance: its workload and the Headlamp containers in it.

    Later stages add the linked objects (service account and bindings,
    Services, Ingresses, NetworkPolicies, server settings).
    """

    workload: Workload
    headlamp_containers: tuple[Container, ...]
    source: str = "manifest"  # "manifest" or "values"
    chart_version: str | None = None

    @property
    def name(self) -> str:
        return str(self.workload.obj.ref)


def installations_of(workloads: list[Workload]) -> list[Installation]:
    out = []
    for workload in workloads:
        containers = tuple(c for c in workload.pod.containers if c.is_headlamp)
        if containers:
            out.append(Installation(workload, containers))
    return out
