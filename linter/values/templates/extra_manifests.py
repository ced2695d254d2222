"""``charts/headlamp/templates/extra-manifests.yaml``: each ``extraManifests`` item, through ``tpl``.

The template is ``{{ range .Values.extraManifests }} --- {{ tpl (toYaml .) $ }}``
for a mapping, ``{{ tpl . $ }}`` for a string. Items that are strings of YAML
are parsed with positions mapped back into the values file where the item is
a literal block (``- |``).

Chart versions: 0.26.0 added it; unchanged since.
"""

from __future__ import annotations

from linter.located import Location, Span
from linter.values.templates import tpl
from linter.values.templates.context import Context, ExtraManifest
from linter.yamlpos import MapNode, Node, ScalarNode, SeqNode, load, walk

TEMPLATE = "extra-manifests.yaml"


def render(ctx: Context) -> None:
    items = ctx.v("extraManifests")
    if not isinstance(items, SeqNode):
        return
    for item in items.items:
        path = item.source.path if item.source is not None else ctx.eff.path
        extra = ExtraManifest(path, Location(path, item.span))
        ctx.out.extra_manifests.append(extra)
        if isinstance(item, ScalarNode) and isinstance(item.value, str):
            _extra_text(ctx, item, extra)
        elif isinstance(item, MapNode):
            extra.roots.append(_tpl_tree(ctx, item, extra))
        else:
            extra.problems.append(("HL003", extra.location,
                                   "each extraManifests item should be a mapping or a string of YAML"))


def _tpl_tree(ctx: Context, node: Node, extra: ExtraManifest) -> Node:
    """A copy of ``node`` with template expressions in its strings evaluated (``tpl (toYaml .) $``)."""
    if isinstance(node, ScalarNode):
        if isinstance(node.value, str) and "{{" in node.value:
            done = tpl.render(ctx, node.value)
            for item in done.unsupported:
                extra.template_problems.append((Location(extra.path, node.span), f"{item.expression} ({item.reason})"))
            return ScalarNode(done.text, node.span, done.text, node.tag, True, node.source)
        return node
    if isinstance(node, SeqNode):
        return SeqNode([_tpl_tree(ctx, i, extra) for i in node.items], node.span, node.tag, node.flow, node.source)
    out = MapNode([], node.span, node.tag, node.flow, source=node.source)
    for k, v in node.entries:
        copied = _tpl_tree(ctx, v, extra)
        out.entries.append((k, copied))
        out.index[k.value] = (k, copied)
    return out


def _extra_text(ctx: Context, item: ScalarNode, extra: ExtraManifest) -> None:
    source = item.value  # type: ignore[assignment]
    done = tpl.render(ctx, source)  # type: ignore[arg-type]
    line_offset, column_offset = _block_offset(ctx, item, extra.path)
    for problem in done.unsupported:
        if line_offset is None:
            where = item.span
        else:  # the expression's own line and column inside the literal block
            before = source[:problem.offset]  # type: ignore[index]
            line = before.count("\n") + 1 + line_offset
            column = len(before) - (before.rfind("\n") + 1) + 1 + column_offset
            where = Span(line, column, line, column + len(problem.expression))
        extra.template_problems.append((Location(extra.path, where), f"{problem.expression} ({problem.reason})"))
    loaded = load(done.text)

    def moved(span: Span) -> Span:
        if line_offset is None:
            return item.span
        return Span(span.line + line_offset, span.column + column_offset,
                    span.end_line + line_offset, span.end_column + column_offset)

    for problem in loaded.problems:
        extra.problems.append((problem.rule, Location(extra.path, moved(problem.span)), problem.message))
    for doc in loaded.documents:
        for problem in doc.problems:
            extra.problems.append((problem.rule, Location(extra.path, moved(problem.span)), problem.message))
        if doc.root is None:
            continue
        for node in walk(doc.root):
            node.span = moved(node.span)
        if isinstance(doc.root, MapNode) and "apiVersion" in doc.root and "kind" in doc.root:
            extra.roots.append(doc.root)
        elif not (isinstance(doc.root, ScalarNode) and doc.root.value is None):
            extra.others.append(Location(extra.path, doc.root.span))


def _block_offset(ctx: Context, item: ScalarNode, path: str) -> tuple[int | None, int]:
    """For a literal block scalar (``- |``), where its content starts in the file; else None."""
    text = ctx.texts.get(path)
    if text is None or not _is_literal_block(text, item):
        return None, 0
    lines = text.splitlines()
    start = item.span.line  # the indicator line (1-based); content starts on the next one
    for index in range(start, min(len(lines), item.span.end_line)):
        line = lines[index]
        if line.strip():
            indent = len(line) - len(line.lstrip(" "))
            return start, indent
    return None, 0


def _is_literal_block(text: str, item: ScalarNode) -> bool:
    """A ``|`` block keeps its lines as written, so positions inside it map back to the file."""
    lines = text.splitlines()
    if not 0 < item.span.line <= len(lines):
        return False
    return lines[item.span.line - 1][item.span.column - 1:].lstrip().startswith("|")
