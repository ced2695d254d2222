"""Shared wording for the update and patch rules (HL6xx)."""

from __future__ import annotations

from typing import TYPE_CHECKING

from linter.located import Located, Origin
from linter.model.headlamp import ImageRef
from linter.releases import release_data

if TYPE_CHECKING:
    from linter.model import Model
    from linter.model.workloads import Container, Workload


def image_fact(model: "Model", workload: "Workload", container: "Container", part: str) -> Located:
    """The container's image, located at the values key that carries ``part`` ("version" or "registry").

    For manifests (and images the values do not split) it is the image itself, or for the registry the
    kustomization key that renames it (``images[].newName``).
    """
    for item in model.image_parts_of(workload):
        if item.part == part and item.container == container.name:
            return item.fact
    if part == "registry" and container.image_name is not None:
        return container.image_name
    return container.image


def from_values(image: Located) -> bool:
    """The Headlamp image comes from a values file (the chart renders it from image.registry/repository/tag)."""
    return image.origin in (Origin.VALUES, Origin.CHART_DEFAULT)


def image_hint(image: Located, repository: str, tag: str) -> str:
    """How to run Headlamp ``repository:tag``, in the user's terms (manifest field or values key).

    In a values file the version is ``image.tag`` whichever key the image
    fact is blamed at (the chart renders registry/repository:tag).
    """
    if image.origin is Origin.CHART_DEFAULT:
        return f"set image.tag: {tag} in your values"
    if image.origin is Origin.VALUES:
        return f"set image.tag: {tag}"
    if image.origin is Origin.KUSTOMIZE:
        beside = f" and {entry_of(image)}.digest to that release's" if image.key.endswith(".digest") else ""
        return f"set {entry_of(image)}.newTag: {tag}{beside}"
    return f"set {image.key}: {repository}:{tag}"


def entry_of(image: Located) -> str:
    """The kustomization ``images[]`` entry a KUSTOMIZE fact is written in (``images[0]``)."""
    return image.key.rsplit(".", 1)[0]


def where(image: Located) -> str:
    """`` (chart default for image.tag)`` for facts not written in a manifest; empty otherwise."""
    return "" if image.origin is Origin.MANIFEST else f" ({image.describe()})"


def repository_of(image: Located) -> str:
    return ImageRef.parse(str(image.value)).repository


def upgrade_repository(image: Located) -> str:
    """The repository to suggest for an upgrade: the same one, unless it is deprecated."""
    repository = repository_of(image)
    deprecated = release_data().deprecated(repository)
    return deprecated.replacement if deprecated is not None and deprecated.replacement else repository
