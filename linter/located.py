"""Positions and located facts: every fact the rules read says where it came from."""

from __future__ import annotations

from enum import Enum
from typing import Generic, TypeVar

from linter.records import record

T = TypeVar("T")


@record(frozen=True, order=True, slots=True)
class Span:
    """1-based line and column; the end is exclusive."""

    line: int
    column: int
    end_line: int
    end_column: int

    @classmethod
    def point(cls, line: int, column: int = 1) -> "Span":
        return cls(line, column, line, column + 1)

    # Spans, Locations and Located values are most of what the process pool and the cache
    # unpickle: rebuilt through __init__, not dataclasses' __setstate__ for frozen slotted
    # classes (which looks up the fields anew for every object, ~4x slower).
    def __reduce__(self) -> tuple:
        return (Span, (self.line, self.column, self.end_line, self.end_column))


FILE_START = Span(1, 1, 1, 2)


@record(frozen=True, order=True, slots=True)
class Location:
    path: str
    span: Span

    def __reduce__(self) -> tuple:
        return (Location, (self.path, self.span))  # see Span.__reduce__


class Origin(str, Enum):
    """Where a fact's value comes from."""

    MANIFEST = "manifest"  # written in a Kubernetes manifest
    VALUES = "values"  # written in a Headlamp values file
    CHART_DEFAULT = "chart-default"  # the Headlamp chart's default; the user never wrote it
    MISSING = "missing"  # not set anywhere; Kubernetes' own default applies
    DERIVED = "derived"  # computed by the chart from other values (e.g. the /tmp emptyDir)
    KUSTOMIZE = "kustomize"  # set by a kustomization's transformer (images[].newTag…) over a listed manifest


@record(frozen=True, slots=True)
class Located(Generic[T]):
    """A value with the place to blame for it.

    ``key`` is the setting in the user's terms: a field path inside the
    manifest object (``securityContext.runAsUser``) or a values key
    (``securityContext.runAsUser``). For a MISSING or CHART_DEFAULT fact,
    ``location`` is the nearest place that exists in the user's file and
    ``key`` is what the user must add there.
    """

    value: T
    location: Location
    origin: Origin
    key: str

    def __reduce__(self) -> tuple:
        return (Located, (self.value, self.location, self.origin, self.key))  # see Span.__reduce__

    @property
    def is_set(self) -> bool:
        return self.origin not in (Origin.MISSING,)

    @property
    def written_by_user(self) -> bool:
        return self.origin in (Origin.MANIFEST, Origin.VALUES, Origin.KUSTOMIZE)

    def describe(self) -> str:
        """A few words on where the value comes from, for messages."""
        if self.origin is Origin.CHART_DEFAULT:
            return f"chart default for {self.key}"
        if self.origin is Origin.MISSING:
            return f"{self.key} is not set"
        if self.origin is Origin.VALUES:
            return f"values key {self.key}"
        if self.origin is Origin.DERIVED:
            return f"rendered by the chart from {self.key}"
        if self.origin is Origin.KUSTOMIZE:
            return f"set by {self.key} of this kustomization"
        return self.key


@record(frozen=True, slots=True)
class NodeSource:
    """Provenance of a node that was not parsed from the file being read.

    The values builder renders the chart into positioned nodes: each
    rendered node carries the values file and key that produced it, and
    whether the value is the user's or the chart's default. The model
    builders read these nodes exactly like manifest nodes.
    """

    path: str
    origin: Origin
    key: str
