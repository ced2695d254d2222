"""kustomize: ``helmCharts[]`` of a ``kustomization.yaml`` (the HelmChartInflationGenerator, kustomize v4.1+ / v5).

(What the kustomization's other fields do to the manifests it lists, ``resources:`` and ``images:``, is
``kustomize_build``'s.)

Encodes the generator's behaviour: an entry with ``name: headlamp`` is the
chart at ``version`` (default: the newest), rendered as ``releaseName``
(default ``release-name``) into ``namespace`` (default: the
kustomization's ``namespace``, else ``default``). Its values:
``valuesFile`` (default: the chart's own values.yaml) combined with
``valuesInline`` by ``valuesMerge`` — ``override`` (default: the inline
values win), ``merge`` (the file's values win; the inline ones fill what it
lacks) or ``replace`` (the inline values alone) — then every
``additionalValuesFiles`` entry in order. Paths are relative to the
kustomization's folder. Not modelled: mergo's rule that an empty value
(``false``, ``0``, ``""``) never overrides under ``override``, and never
counts as set under ``merge``.
"""

from __future__ import annotations

from linter.gitops import (
    CHART_NAME,
    DataEntry,
    FromFile,
    GitOpsParts,
    Inline,
    Notice,
    Piece,
    ReleaseSpec,
    mapping,
    point,
    text_of,
)
from linter.gitops.common import BROKEN, Context, name_of, other_chart, values_layer
from linter.values.merge import ValuesLayer
from linter.yamlpos import MapNode, Node, SeqNode

MERGES = ("override", "merge", "replace")


GENERATORS = (("configMapGenerator", "ConfigMap"), ("secretGenerator", "Secret"))


def read_kustomization(root: MapNode, ctx: Context, out: GitOpsParts) -> None:
    from linter.gitops.kustomize_build import read_build

    read_generators(root, ctx, out)
    charts = root.get("helmCharts")
    built = read_build(root, ctx, isinstance(charts, SeqNode) and bool(charts.items))
    if built is not None:
        out.kustomizations.append(built)
    if not isinstance(charts, SeqNode):
        return
    namespace = name_of(root.get("namespace"), ctx.default_namespace)
    for index, item in enumerate(charts.items):
        if not isinstance(item, MapNode):
            continue
        chart = text_of(item.get("name"))
        what = f"helmCharts[{index}] ({chart or 'unnamed'}) of the kustomization"
        if chart != CHART_NAME:
            if chart is not None:
                other_chart(ctx, chart, what, [item.get("valuesInline")])
            continue
        _read_chart(item, index, what, namespace, ctx, out)


def _read_chart(item: MapNode, index: int, what: str, namespace: str, ctx: Context, out: GitOpsParts) -> None:
    where = f"helmCharts[{index}]"
    name_key = item.key("name")
    assert name_key is not None
    merge_node = item.get("valuesMerge")
    merge = (text_of(merge_node) or "override").lower()
    if merge not in MERGES:
        ctx.report("HL020", ctx.at(merge_node), f"valuesMerge of {what} must be one of override, merge, replace,"
                   f" not {text_of(merge_node)!r}; kustomize fails")  # type: ignore[arg-type]
        return
    pieces: list[Piece] = []
    notices: list[Notice] = []
    values_file = item.get("valuesFile")
    from_file = _file(text_of(values_file), values_file, ctx) if text_of(values_file) is not None else None
    inline_key = item.key("valuesInline")
    inline = None
    if inline_key is not None:
        layer = values_layer(ctx, inline_key, item.get("valuesInline"), f"{where}.valuesInline.",
                             f"{where}.valuesInline of the kustomization", False)
        if layer is BROKEN:
            return
        if isinstance(layer, ValuesLayer):
            inline = Inline(layer)
    if merge == "replace":
        from_file = None  # the inline values replace the file's
    if merge == "merge":
        # The file's values win: in Helm's terms the inline values are the lower layer.
        pieces.extend(p for p in (inline, from_file) if p is not None)
        if from_file is None and inline is not None:
            notices.append(Notice("HL017", ctx.at(merge_node), f"valuesMerge: merge of {what} lets the chart's own"
                                  " values.yaml win over valuesInline wherever it sets a value; headlamp-lint reads"
                                  " valuesInline as if it overrode them"))  # type: ignore[arg-type]
    else:
        pieces.extend(p for p in (from_file, inline) if p is not None)
    extra = item.get("additionalValuesFiles")
    for entry in extra.items if isinstance(extra, SeqNode) else ():
        if text_of(entry) is not None:
            pieces.append(_file(text_of(entry), entry, ctx))  # type: ignore[arg-type]
    holder = inline_key or name_key  # chart defaults: at valuesInline (even empty), else at the chart's name
    anchor = ValuesLayer(ctx.display, MapNode([], holder.span), f"{where}.valuesInline.", point(holder.span))
    version = item.get("version")
    out.releases.append(ReleaseSpec(
        "kustomization", what, ctx.display, tuple(pieces), name_of(item.get("releaseName"), "release-name"),
        name_of(item.get("namespace"), namespace), text_of(version),
        ctx.at(version) if version is not None else None, None, tuple(notices), "helm", False, anchor,
    ))


def _file(written: str, node: Node, ctx: Context) -> FromFile:
    location = ctx.at(node)
    if "://" in written:
        return FromFile(written, None, location, "it is fetched from a URL")
    if ctx.path is None:
        return FromFile(written, None, location, "the kustomization was read from standard input")
    target = (ctx.path.parent / written).resolve()
    return FromFile(written, str(target), location, "relative to the kustomization", missing_is_error=True)


def read_generators(root: MapNode, ctx: Context, out: GitOpsParts) -> None:
    """``configMapGenerator``/``secretGenerator`` ``files`` entries (``key=path`` or ``path``, key its file
    name): the ConfigMaps and Secrets a Flux ``valuesFrom`` may name, each key the whole text of its file.
    The generator's namespace is its own, else the kustomization's; without its own it is also recorded
    in the default namespace, where headlamp-lint sees the kustomization's other objects that name none
    (kustomize puts them all in the kustomization's namespace)."""
    if ctx.path is None:
        return
    base = text_of(root.get("namespace"))
    for field_name, kind in GENERATORS:
        items = root.get(field_name)
        for item in items.items if isinstance(items, SeqNode) else ():
            name = text_of(item.get("name")) if isinstance(item, MapNode) else None
            files = item.get("files") if isinstance(item, MapNode) else None
            if not name or not isinstance(files, SeqNode):
                continue
            entries = {}
            for entry in files.items:
                written = text_of(entry)
                if not written:
                    continue
                key, sep, relative = written.partition("=")
                if not sep:
                    key, relative = written.rstrip("/").rsplit("/", 1)[-1], written
                target = (ctx.path.parent / relative).resolve()
                entries[key] = DataEntry(ctx.display, 0, field_name, file=str(target), location=ctx.at(entry))
            if not entries:
                continue
            own = text_of(item.get("namespace"))  # type: ignore[union-attr]
            for namespace in {own or base or ctx.default_namespace, own or ctx.default_namespace}:
                out.data.setdefault((kind, namespace, name), {}).update(entries)
