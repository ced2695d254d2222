"""Headlamp version numbers: parsing image tags and comparing semantically.

Comparison follows semantic-versioning precedence: numbers compare as
numbers (0.9.0 < 0.10.0), a pre-release sorts before its release
(0.45.0-rc1 < 0.45.0), and pre-release identifiers compare field by field,
numeric ones as numbers (beta.2 < beta.10).
"""

from __future__ import annotations

import re

from linter.records import field, record

_VERSION = re.compile(r"^v?(\d+)\.(\d+)(?:\.(\d+))?(?:-([0-9A-Za-z.-]+))?(?:\+[0-9A-Za-z.-]+)?$")
_DIGEST = re.compile(r"^sha256:[0-9a-fA-F]{64}$")


def _pre_key(pre: str) -> tuple:
    """Sort key of a pre-release; a release ("") sorts after every pre-release."""
    if not pre:
        return (1,)
    parts = []
    for ident in pre.split("."):
        # Numeric identifiers sort before alphanumeric ones and compare as numbers.
        parts.append((0, int(ident), "") if ident.isdigit() else (1, 0, ident))
    return (0, tuple(parts))


@record(frozen=True)
class Version:
    major: int
    minor: int
    patch: int
    prerelease: str = ""  # "rc1", "beta.2"; empty for a release
    _key: tuple = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        object.__setattr__(self, "_key", (self.major, self.minor, self.patch, _pre_key(self.prerelease)))

    @classmethod
    def parse(cls, text: str | None) -> "Version | None":
        """``v0.45.0``, ``0.45.0``, ``v0.45.0-rc1`` → Version; anything else (latest, main) → None."""
        if not text:
            return None
        match = _VERSION.match(text.strip())
        if not match:
            return None
        major, minor, patch, pre = match.groups()
        return cls(int(major), int(minor), int(patch or 0), pre or "")

    @property
    def is_prerelease(self) -> bool:
        return bool(self.prerelease)

    @property
    def minor_line(self) -> tuple[int, int]:
        return (self.major, self.minor)

    def __lt__(self, other: "Version") -> bool:
        return self._key < other._key

    def __le__(self, other: "Version") -> bool:
        return self._key <= other._key

    def __gt__(self, other: "Version") -> bool:
        return self._key > other._key

    def __ge__(self, other: "Version") -> bool:
        return self._key >= other._key

    def __str__(self) -> str:
        base = f"{self.major}.{self.minor}.{self.patch}"
        return f"{base}-{self.prerelease}" if self.prerelease else base


@record(frozen=True)
class ImageVersion:
    """What an image reference says about the version it runs.

    ``version`` is None when the reference does not name a version; then
    ``reason`` says why in words fit for a message (no tag, a moving tag,
    a digest alone).
    """

    tag: str | None
    digest: str | None
    version: Version | None
    reason: str = ""

    @property
    def pinned_by_digest(self) -> bool:
        return self.digest is not None and bool(_DIGEST.match(self.digest))

    @property
    def digest_only(self) -> bool:
        return self.tag is None and self.digest is not None


def image_version(image: str) -> ImageVersion:
    """The Headlamp version named by an image reference's tag.

    ``ghcr.io/headlamp-k8s/headlamp:v0.45.0@sha256:…`` → 0.45.0 (the tag
    names it; the digest pins it); ``…@sha256:…`` alone → unknown, since
    mapping a digest to a release would need the registry; ``:latest`` or
    ``:main`` → unknown, a moving tag.
    """
    from linter.model.headlamp import ImageRef  # the one parser of image references

    ref = ImageRef.parse(image)
    if ref.tag is None and ref.digest is not None:
        return ImageVersion(None, ref.digest, None, "it is pinned by digest alone, which does not say the version offline")
    if ref.tag is None:
        return ImageVersion(None, None, None, "it has no tag (Kubernetes pulls latest)")
    version = Version.parse(ref.tag)
    if version is None and ref.tag == "latest":
        return ImageVersion(ref.tag, ref.digest, None, "its tag 'latest' moves with every release")
    if version is None:
        return ImageVersion(ref.tag, ref.digest, None, f"its tag {ref.tag!r} is not a version")
    return ImageVersion(ref.tag, ref.digest, version)
