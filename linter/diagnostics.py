"""Findings (what a rule yields) and diagnostics (what the user sees)."""

from __future__ import annotations

from typing import Callable, Iterable
from enum import IntEnum

from linter.located import Location
from linter.model.objects import ObjectRef
from linter.records import record


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


@record(frozen=True, slots=True)
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
    # The blamed container is a Headlamp container by the model's recognition (mirrored images included):
    # what a fix meant for Headlamp's image alone (FixSpec.headlamp_only) needs to know.
    on_headlamp: bool = False


@record(frozen=True, slots=True)
class Diagnostic:
    rule_id: str
    rule_name: str
    severity: Severity
    message: str
    location: Location
    obj: ObjectRef | None = None
    key: str = ""
    on_headlamp: bool = False  # Finding.on_headlamp

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


# Findings whose blamed text is a secret (HL103: a plaintext OIDC client secret). Reports are uploaded to CI
# systems, so every format shows such text masked (``mask_secret``), in messages and source lines alike.
SECRET_RULES = frozenset({"HL103"})


def mask_secret(value: str) -> str:
    """``S…3 (14 characters)``: enough to recognise the secret, not to use it."""
    if len(value) <= 2:
        return f"{'*' * len(value)} ({len(value)} characters)"
    return f"{value[0]}…{value[-1]} ({len(value)} characters)"


def _masked_span(blamed: str) -> str:
    inner, left, right = blamed, "", ""
    if len(inner) >= 2 and inner[0] == inner[-1] and inner[0] in "'\"":
        left, inner, right = inner[0], inner[1:-1], inner[-1]
    prefix, _, secret = inner.rpartition("=") if inner.startswith("-") and "=" in inner else ("", "", inner)
    if not secret:
        return blamed
    return left + (prefix + "=" if prefix else "") + mask_secret(secret) + right


def mask_line(number: int, text: str, secrets: "Iterable[Diagnostic]") -> "tuple[str, Callable[[int], int]]":
    """Source line ``number`` as reports may show it, with the text blamed by every ``SECRET_RULES`` finding in
    ``secrets`` masked (quotes and an ``-flag=`` prefix kept); and a map from 0-based offsets in the line to
    offsets in the masked line (to place markers)."""
    spans = []
    for d in secrets:
        span = d.location.span
        if d.rule_id in SECRET_RULES and span.line <= number <= span.end_line:
            start = span.column - 1 if number == span.line else 0
            end = span.end_column - 1 if number == span.end_line else len(text)
            start, end = max(0, min(start, len(text))), max(0, min(end, len(text)))
            if start < end and all(end <= s or start >= e for s, e in spans):
                spans.append((start, end))
    if not spans:
        return text, lambda offset: offset
    out, shifts, position = [], [], 0
    for start, end in sorted(spans):
        masked = _masked_span(text[start:end])
        out.append(text[position:start] + masked)
        shifts.append((end, len(masked) - (end - start)))
        position = end
    out.append(text[position:])
    return "".join(out), lambda offset: offset + sum(delta for end, delta in shifts if end <= offset)


def secret_findings(result) -> dict[str, list["Diagnostic"]]:
    """The findings whose blamed text is a secret, by file: ``excerpt`` masks them on context lines too."""
    out: dict[str, list["Diagnostic"]] = {}
    for d in result.diagnostics:
        if d.rule_id in SECRET_RULES:
            out.setdefault(d.path, []).append(d)
    return out
