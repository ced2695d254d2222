"""Classify each loaded document: Kubernetes object, Helm template, or other YAML.

A file is a Helm template when it contains ``{{`` and either does not load
as YAML or has a line that starts with a template action: manifests that
merely carry ``{{ … }}`` inside string values (alerting rules, dashboards)
load cleanly and are linted as manifests.
"""

from __future__ import annotations

import re
from enum import Enum

from linter.records import record
from linter.yamlpos import LoadResult, MapNode, ScalarNode, SeqNode, walk

_TEMPLATE_LINE = re.compile(r"^[ \t]*(?:-[ \t]+)?\{\{", re.M)
_LIST_KIND = re.compile(r"List$")


class DocKind(str, Enum):
    OBJECT = "object"
    LIST = "list"
    EMPTY = "empty"
    OTHER = "other"


@record(frozen=True)
class TemplateVerdict:
    is_template: bool
    line: int = 1


def template_check(text: str, loaded: LoadResult) -> TemplateVerdict:
    """Is this file a Helm (or other Go) template rather than YAML?"""
    first = text.find("{{")
    if first < 0:
        return TemplateVerdict(False)
    line = text.count("\n", 0, first) + 1
    syntax_broken = bool(loaded.problems) or any(
        p.rule == "HL001" for doc in loaded.documents for p in doc.problems
    )
    if syntax_broken:
        return TemplateVerdict(True, line)
    scalar_spans = [
        node.span
        for doc in loaded.documents
        if doc.root is not None
        for node in walk(doc.root)
        if isinstance(node, ScalarNode) and node.span.end_line > node.span.line
    ]
    for match in _TEMPLATE_LINE.finditer(text):
        line = text.count("\n", 0, match.start()) + 1
        if not any(span.line <= line <= span.end_line for span in scalar_spans):
            return TemplateVerdict(True, line)
    return TemplateVerdict(False)


def document_kind(root: object) -> DocKind:
    if root is None or (isinstance(root, ScalarNode) and root.value is None and not root.raw):
        return DocKind.EMPTY
    if isinstance(root, MapNode):
        if "apiVersion" in root and "kind" in root:
            kind = root.get("kind")
            if isinstance(root.get("items"), SeqNode) and _LIST_KIND.search(getattr(kind, "text", "") or ""):
                return DocKind.LIST
            return DocKind.OBJECT
    return DocKind.OTHER
