"""Shared wording for the update and patch rules (HL6xx)."""

from __future__ import annotations

from linter.located import Located, Origin
from linter.model.headlamp import ImageRef
from linter.releases import release_data


def image_hint(image: Located, repository: str, tag: str) -> str:
    """How to set the image to ``repository:tag``, in the user's terms (manifest field or values key)."""
    wanted = tag if image.key.endswith(".tag") else f"{repository}:{tag}"
    if image.origin is Origin.CHART_DEFAULT:
        return f"set {image.key}: {wanted} in your values"
    return f"set {image.key}: {wanted}"


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
