"""Findings (what a rule yields) and diagnostics (what the user sees)."""

from __future__ import annotations

from dataclasses import dataclass
from enum import IntEnum

from linter.located import Location
from linter.model.objects import ObjectRef


class Severity(IntEnum):
    INFO = 1
    WARNING = 2
    ERROR = 3

    def __str__(self) -> str:
        return self.name.lower()

    @classmethod
    def parse(cls, text: str) -> "Severity":
        try:
            return cls[text.strip().upper()]
        except KeyError:
            raise ValueError(f"unknown severity {text!r} (error, warning or info)") from None


@dataclass(frozen=True, slots=True)
class Finding:
    """One problem a rule found: where, what, and in which object.

    ``key`` is the path of the blamed setting inside its object (or the
    values key); with ``obj`` it makes the baseline fingerprint, which does
    not depend on line numbers. ``severity`` overrides the rule's default
    for rules whose severity depends on the case.
    """

    location: Location
    message: str
    obj: ObjectRef | None = None
    key: str = ""
    severity: Severity | None = None


@dataclass(frozen=True, slots=True)
class Diagnostic:
    rule_id: str
    rule_name: str
    severity: Severity
    message: str
    location: Location
    obj: ObjectRef | None = None
    key: str = ""

    @property
    def path(self) -> str:
        return self.location.path

    @property
    def line(self) -> int:
        return self.location.span.line

    @property
    def column(self) -> int:
        return self.location.span.column

    def sort_key(self) -> tuple:
        span = self.location.span
        return (self.location.path, span.line, span.column, self.rule_id, self.message)
