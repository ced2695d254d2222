"""Controller-specific Ingress annotations: authentication in front of a backend, HTTPS redirect off.

The annotations are data (linter/data/ingress_auth.json), one entry per
controller annotation, so supporting another controller is a data change.
"""

from __future__ import annotations

import re
from functools import lru_cache

from linter.data import load_json
from linter.located import Located
from linter.model.network import Ingress
from linter.records import record


@record(frozen=True)
class AnnotationRule:
    controller: str
    annotation: str
    match: str  # present, values, pattern, only
    values: tuple[str, ...] = ()
    pattern: str = ""

    def matches(self, value: str) -> bool:
        value = value.strip()
        if self.match == "present":
            return bool(value)
        if self.match == "values":
            return value.lower() in self.values
        if self.match == "pattern":
            return re.search(self.pattern, value) is not None
        if self.match == "only":
            items = [item.strip().lower() for item in value.split(",") if item.strip()]
            return bool(items) and all(item in self.values for item in items)
        return False


@record(frozen=True)
class AnnotationMatch:
    rule: AnnotationRule
    fact: Located  # the annotation value


@lru_cache(maxsize=None)
def _rules(section: str) -> tuple[AnnotationRule, ...]:
    return tuple(
        AnnotationRule(
            item["controller"],
            item["annotation"],
            item["match"],
            tuple(v.lower() for v in item.get("values", ())),
            item.get("pattern", ""),
        )
        for item in load_json("ingress_auth.json")[section]
    )


def _matches(ingress: Ingress, section: str) -> list[AnnotationMatch]:
    out = []
    for rule in _rules(section):
        fact = ingress.annotations.get(rule.annotation)
        if fact is not None and rule.matches(str(fact.value)):
            out.append(AnnotationMatch(rule, fact))
    return out


def authentication_annotations(ingress: Ingress) -> list[AnnotationMatch]:
    """Annotations that make the controller authenticate requests before they reach the backend."""
    return _matches(ingress, "authentication")


def redirect_disabled(ingress: Ingress) -> list[AnnotationMatch]:
    """Annotations that keep plain-HTTP requests from being redirected to HTTPS."""
    return _matches(ingress, "redirect_disabled")
