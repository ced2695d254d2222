"""Argo CD: Application and ApplicationSet (``argoproj.io/v1alpha1``) sources of the Headlamp chart.

Encodes the repo-server's Helm rendering (Argo CD 2.x, 3.x,
``reposerver/repository``): for each source (``spec.source``, every
``spec.sources[]``, an ApplicationSet's ``spec.template.spec``) whose
``chart`` is ``headlamp`` (any ``repoURL``), the chart version is
``targetRevision`` (exact or a range), the release name
``helm.releaseName``, else the Application's name, the namespace
``spec.destination.namespace``. Values, lowest precedence first:

1. ``helm.valueFiles`` in order (``-f``): ``$ref/path`` reads ``path`` in
   the repository of the source with ``ref: ref`` — taken to be the
   repository being linted (its root: the nearest folder with ``.git``,
   else the working directory); other paths live inside the chart
   package or at a URL and are not in the input (HL017);
2. ``helm.valuesObject`` (a map) or, when it is unset, ``helm.values``
   (a YAML string): one more ``-f`` file. Argo CD does not merge the two:
   ``ValuesYAML()`` takes ``valuesObject`` whenever it is set;
3. ``helm.parameters`` (``--set name=value``, ``--set-string`` with
   ``forceString``), over everything; ``fileParameters`` (``--set-file``)
   read files headlamp-lint does not see (HL017).
"""

from __future__ import annotations

import os
from pathlib import Path

from linter.gitops import (
    CHART_NAME,
    FromFile,
    GitOpsParts,
    Inline,
    Notice,
    Piece,
    ReleaseSpec,
    SetValue,
    SetValues,
    mapping,
    point,
    text_of,
)
from linter.gitops.common import BROKEN, Context, name_of, other_chart, values_layer
from linter.values.merge import ValuesLayer
from linter.yamlpos import MapNode, Node, ScalarNode, SeqNode


def repository_root(path: Path | None) -> Path:
    """The repository a ``$ref/…`` value file is read from: the input's git work tree, else the working
    directory."""
    if path is not None:
        here = path.resolve().parent
        for folder in (here, *here.parents):
            if (folder / ".git").exists():
                return folder
    return Path(os.getcwd())


def read_application(root: MapNode, kind: str, ctx: Context, out: GitOpsParts) -> None:
    metadata = mapping(root.get("metadata")) or MapNode([], root.span)
    spec = mapping(root.get("spec"))
    base = "spec"
    templated = kind == "ApplicationSet"
    if templated and spec is not None:
        template = mapping(spec.get("template"))
        metadata = mapping(template.get("metadata")) if template is not None else None
        metadata = metadata or MapNode([], root.span)
        spec = mapping(template.get("spec")) if template is not None else None
        base = "spec.template.spec"
    if spec is None:
        return
    name = name_of(metadata.get("name"), "application")
    what = f"{kind} {name}"
    sources: list[tuple[MapNode, str]] = []
    single = mapping(spec.get("source"))
    if single is not None:
        sources.append((single, f"{base}.source"))
    many = spec.get("sources")
    if isinstance(many, SeqNode):
        sources.extend((item, f"{base}.sources[{i}]") for i, item in enumerate(many.items) if isinstance(item, MapNode))
    refs = {text_of(s.get("ref")): s for s, _ in sources if text_of(s.get("ref"))}
    destination = mapping(spec.get("destination"))
    namespace = name_of(destination.get("namespace") if destination is not None else None, ctx.default_namespace)
    for source, where in sources:
        chart = text_of(source.get("chart"))
        helm = mapping(source.get("helm"))
        if chart != CHART_NAME:
            if chart is not None and helm is not None:
                other_chart(ctx, chart, what, [helm.get("valuesObject"), helm.get("values")])
            continue
        _read_source(source, helm, where, what, name, namespace, refs, templated, ctx, out)


def _read_source(source: MapNode, helm: MapNode | None, where: str, what: str, name: str, namespace: str,
                 refs: dict, templated: bool, ctx: Context, out: GitOpsParts) -> None:
    pieces: list[Piece] = []
    notices: list[Notice] = []
    broken = False
    holder = source.key("helm") or source.key("chart")
    assert holder is not None
    anchor = ValuesLayer(ctx.display, MapNode([], holder.span), f"{where}.helm.valuesObject.", point(holder.span))
    helm = helm or MapNode([], source.span)
    files = helm.get("valueFiles")
    for item in files.items if isinstance(files, SeqNode) else ():
        written = text_of(item)
        if written is None:
            continue
        piece = _value_file(written, ctx.at(item), refs, ctx)
        if piece is None:
            broken = True
        else:
            pieces.append(piece)
    values_key, object_key = helm.key("values"), helm.key("valuesObject")
    chosen = None
    if object_key is not None and helm.get("valuesObject") is not None and not _is_null(helm.get("valuesObject")):
        chosen = values_layer(ctx, object_key, helm.get("valuesObject"), f"{where}.helm.valuesObject.",
                              f"{where}.helm.valuesObject of {what}", False, templated)
        if values_key is not None and not _is_null(helm.get("values")):
            notices.append(Notice("HL017", ctx.at(values_key), f"{where}.helm.values of {what} is ignored:"
                                  " Argo CD uses helm.valuesObject when both are set"))
    elif values_key is not None:
        chosen = values_layer(ctx, values_key, helm.get("values"), f"{where}.helm.values.",
                              f"{where}.helm.values of {what}", True, templated)
    if chosen is BROKEN:
        broken = True
    elif isinstance(chosen, ValuesLayer):
        pieces.append(Inline(chosen))
    parameters = _parameters(helm.get("parameters"), f"{where}.helm.parameters", what, ctx)
    if parameters is None:
        broken = True
    elif parameters.values:
        pieces.append(parameters)
    file_parameters = helm.get("fileParameters")
    if isinstance(file_parameters, SeqNode) and file_parameters.items:
        notices.append(Notice("HL017", ctx.at(helm.key("fileParameters")),  # type: ignore[arg-type]
                              f"{where}.helm.fileParameters of {what} set values from files headlamp-lint does not"
                              " read: findings may be incomplete"))
    if broken:
        return
    version = source.get("targetRevision")
    out.releases.append(ReleaseSpec(
        "ApplicationSet" if templated else "Application", what, ctx.display, tuple(pieces),
        name_of(helm.get("releaseName"), name), namespace, text_of(version),
        ctx.at(version) if version is not None else None, None, tuple(notices), "helm", templated, anchor,
    ))


def _is_null(node: Node | None) -> bool:
    return node is None or (isinstance(node, ScalarNode) and node.value is None and not node.quoted)


def _value_file(written: str, location, refs: dict, ctx: Context) -> FromFile | None:
    if written.startswith("$"):
        ref, _, rest = written[1:].partition("/")
        source = refs.get(ref)
        if source is None:
            ctx.report("HL020", location, f"value file {written} names ${ref}, but no source of this application has"
                       f" ref: {ref}; Argo CD fails to render it")
            return None
        repo = text_of(source.get("repoURL")) or "its repository"
        root = repository_root(ctx.path)
        target = (root / rest).resolve()
        if not rest or (target != root and root not in target.parents):
            return FromFile(written, None, location, f"it is outside the repository of source ref {ref}")
        return FromFile(written, str(target), location, f"read from this repository as the source with ref {ref}"
                        f" ({repo})")
    if "://" in written:
        return FromFile(written, None, location, "it is fetched from a URL")
    return FromFile(written, None, location, "it is a file inside the chart package, not in the input")


def _parameters(node: Node | None, where: str, what: str, ctx: Context) -> SetValues | None:
    values: list[SetValue] = []
    for item in node.items if isinstance(node, SeqNode) else ():
        if not isinstance(item, MapNode):
            ctx.report("HL020", ctx.at(item), f"an entry of {where} of {what} must be a mapping with name and value")
            return None
        name_node = item.get("name")
        if not isinstance(name_node, ScalarNode) or not text_of(name_node):
            ctx.report("HL020", ctx.at(item), f"an entry of {where} of {what} has no name; Argo CD fails to render it")
            return None
        value = item.get("value")
        if value is None:
            value = ScalarNode("", name_node.span, "", quoted=True)
        if not isinstance(value, ScalarNode):
            ctx.report("HL020", ctx.at(value), f"the value of parameter {name_node.text} of {what} must be a string")
            return None
        force = item.get("forceString")
        values.append(SetValue(name_node.text, name_node, value, isinstance(force, ScalarNode) and force.value is True))
    return SetValues(tuple(values), ctx.display)
