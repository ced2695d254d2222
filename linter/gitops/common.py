"""What every source kind does alike: read a values node (a map, or a YAML string) into a positioned layer,
and spot a Headlamp image in the values of another chart."""

from __future__ import annotations

from pathlib import Path
from typing import Callable

from linter.gitops import Report, point
from linter.gitops.embedded import parse_embedded
from linter.located import Location
from linter.records import record
from linter.values.merge import ValuesLayer
from linter.yamlpos import MapNode, Node, ScalarNode, SeqNode, walk


@record(frozen=True)
class Context:
    """The file being read, for the source-kind modules."""

    display: str
    path: Path | None  # None for standard input
    lines: tuple[str, ...]
    default_namespace: str
    report: Report
    is_headlamp_image: Callable[[str], bool]

    def at(self, node: Node | ScalarNode) -> Location:
        return Location(self.display, point(node.span))


class Broken:
    """A values node that cannot be read: its problem is reported and the release is not linted."""


BROKEN = Broken()


def values_layer(ctx: Context, key: ScalarNode, node: Node | None, prefix: str, where: str,
                 string: bool, templated: bool = False) -> ValuesLayer | Broken | None:
    """The layer of one values node: a map (``string`` False) or a YAML string (``string`` True).

    None when nothing is set (absent, null, an empty string); BROKEN, with the problem reported, when the
    tool would reject it or the YAML does not parse: a release missing one of its layers would lint as
    something else.
    """
    anchor = point(key.span)
    if node is None or (isinstance(node, ScalarNode) and node.value is None and not node.quoted):
        return None
    if isinstance(node, MapNode):
        if string:
            ctx.report("HL020", ctx.at(node), f"{where} must be a YAML string (a block like `{key.text}: |`), not a"
                       " mapping; it is not linted")
            return BROKEN
        return ValuesLayer(ctx.display, node, prefix, anchor)
    if isinstance(node, SeqNode) or not string:
        what = "a list" if isinstance(node, SeqNode) else "a string"
        ctx.report("HL020", ctx.at(node), f"{where} must be a mapping of chart values, not {what}; it is not linted")
        return BROKEN
    return string_layer(ctx.report, node, ctx.display, ctx.lines, prefix, anchor, where, templated)


def string_layer(report: Report, node: ScalarNode, display: str, lines: tuple[str, ...] | list[str], prefix: str,
                 anchor, where: str, templated: bool = False) -> ValuesLayer | Broken | None:
    """Values written as a YAML string in ``display`` (``lines`` its text)."""
    parsed = parse_embedded(node, lines)
    broken = any(p.rule == "HL001" for p in parsed.problems)
    if broken and templated and parsed.has_template:
        report("HL005", Location(display, point(node.span)),
                   f"{where} holds ApplicationSet template parameters ({{{{ … }}}}) and does not read as YAML"
                   " before they are filled in; it is not linted")
        return BROKEN
    for problem in parsed.problems:
        report(problem.rule, Location(display, problem.span), f"in {where}: {problem.message}")
    if broken:
        return BROKEN
    root = parsed.root
    if root is None:
        return ValuesLayer(display, MapNode([], anchor), prefix, anchor)
    if not isinstance(root, MapNode):
        what = "a list" if isinstance(root, SeqNode) else "a scalar"
        report("HL020", Location(display, point(root.span)),
               f"{where} should hold a mapping of chart values, not {what}; it is not linted")
        return BROKEN
    if parsed.documents > 1:
        report("HL003", Location(display, point(node.span)),
               f"{where} holds more than one YAML document; Helm reads only the first")
    return ValuesLayer(display, root, prefix, anchor)


def headlamp_image(ctx: Context, node: Node | None) -> ScalarNode | None:
    """The first string in a values tree that names a Headlamp image (an app chart deploying Headlamp)."""
    if node is None:
        return None
    for item in walk(node):
        if isinstance(item, ScalarNode) and isinstance(item.value, str) and "headlamp" in item.value.lower():
            text = item.value.strip()
            if " " not in text and ctx.is_headlamp_image(text):
                return item
    return None


def other_chart(ctx: Context, chart: str, what: str, values: list[Node | None]) -> None:
    """HL018 once, at the Headlamp image, for a release of another chart whose values run Headlamp."""
    for node in values:
        if isinstance(node, ScalarNode) and isinstance(node.value, str) and "headlamp" in node.value.lower():
            parsed = parse_embedded(node, ctx.lines)
            node = parsed.root if not any(p.rule == "HL001" for p in parsed.problems) else None
        image = headlamp_image(ctx, node)
        if image is not None:
            ctx.report("HL018", ctx.at(image),
                       f"Headlamp ({image.text}) is deployed through chart {chart} ({what}), which headlamp-lint"
                       " cannot render: lint its rendered output (helm template …) instead")
            return


def name_of(node: Node | None, default: str = "") -> str:
    return node.text if isinstance(node, ScalarNode) and node.value is not None else default
