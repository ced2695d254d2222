"""Headlamp version numbers: parsing image tags and comparing semantically."""

from __future__ import annotations

import re
from dataclasses import dataclass

_VERSION = re.compile(r"^v?(\d+)\.(\d+)(?:\.(\d+))?(?:-([0-9A-Za-z.-]+))?(?:\+[0-9A-Za-z.-]+)?$")


@dataclass(frozen=True, order=True)
class Version:
    major: int
    minor: int
    patch: int
    # A pre-release sorts before its release: (0, "rc1") < (1, "").
    pre: tuple[int, str] = (1, "")

    @classmethod
    def parse(cls, text: str | None) -> "Version | None":
        """``v0.45.0``, ``0.45.0``, ``v0.45.0-rc1`` → Version; anything else (latest, main) → None."""
        if not text:
            return None
        match = _VERSION.match(text.strip())
        if not match:
            return None
        major, minor, patch, pre = match.groups()
        return cls(int(major), int(minor), int(patch or 0), (0, pre) if pre else (1, ""))

    def __str__(self) -> str:
        base = f"{self.major}.{self.minor}.{self.patch}"
        return f"{base}-{self.pre[1]}" if self.pre[0] == 0 else base
