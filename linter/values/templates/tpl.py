"""Helm's ``tpl`` for the expressions users put in values the chart passes through ``tpl``.

Not a chart template: the evaluator that ``ingress`` (per-path backend
service names, chart >= 0.28.1) and ``extra_manifests`` use. It never executes
anything: an expression it does not know raises ``UnsupportedTemplate``,
which the caller reports at the values key.
"""

from __future__ import annotations

import re

from linter.values.templates.context import Context, UnsupportedTemplate
from linter.yamlpos import ScalarNode

_TEMPLATE = re.compile(r"\{\{-?\s*(.*?)\s*-?\}\}", re.S)
_VALUES_REF = re.compile(r"^\$?\.Values((?:\.[A-Za-z_][A-Za-z0-9_]*)+)$")


def text(ctx: Context, template: str) -> str:
    """``tpl`` for the expressions the chart's users write; UnsupportedTemplate for anything else."""

    def one(match: re.Match) -> str:
        expr = match.group(1).strip()
        if expr in (".Release.Name", "$.Release.Name"):
            return ctx.release_name
        if expr in (".Release.Namespace", "$.Release.Namespace"):
            return ctx.release_namespace
        ref = _VALUES_REF.match(expr)
        if ref:
            node = ctx.v(ref.group(1)[1:])
            if isinstance(node, ScalarNode):
                return "" if node.value is None else node.text
            if node is None:
                return ""
        raise UnsupportedTemplate(match.group(0))

    return _TEMPLATE.sub(one, template)

