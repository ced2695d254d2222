"""Flux: a HelmRelease (``helm.toolkit.fluxcd.io`` v2, v2beta2, v2beta1) of the Headlamp chart.

Encodes helm-controller's behaviour (v0.x through v1.x, the same for the
three API versions):

- the chart is ``spec.chart.spec.chart`` (any ``sourceRef``; a path in a
  GitRepository counts by its last part) at ``spec.chart.spec.version``
  (default ``*``), or ``spec.chartRef`` to an OCIRepository (its
  ``ref.tag``/``ref.semver``) or a HelmChart (its ``spec.chart`` and
  ``spec.version``) — resolved once every file is read;
- values (``ChartValuesFromReferences``): the ``spec.valuesFrom`` entries
  in order (``kind`` ConfigMap or Secret, ``valuesKey`` default
  ``values.yaml``; a missing object or key is skipped when ``optional``,
  else the release fails; with ``targetPath`` the string is set at that
  path like ``--set``, quoted strings as strings), then ``spec.values``
  merged over all of them;
- the Helm release is named ``spec.releaseName``, else
  ``[targetNamespace-]name``, shortened past 53 characters to its first 40
  and 12 hex digits of its SHA-256; it installs into
  ``spec.targetNamespace``, else the HelmRelease's namespace;
- ``spec.postRenderers`` patch the rendered objects after Helm: not
  applied here (HL017 says so).
"""

from __future__ import annotations

import hashlib
from pathlib import PurePosixPath

from linter.gitops import (
    CHART_NAME,
    ChartRef,
    ChartSource,
    DataEntry,
    FromObject,
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
from linter.yamlpos import MapNode, ScalarNode, SeqNode

VALUES_KEY = "values.yaml"


def release_name(name: str, target_namespace: str | None, release: str | None) -> str:
    """Flux's release name (helm-controller ``release.ShortenName``)."""
    full = release or (f"{target_namespace}-{name}" if target_namespace else name)
    if len(full) <= 53:
        return full
    return full[:40] + "-" + hashlib.sha256(full.encode()).hexdigest()[:12]


def is_headlamp_chart(chart: str) -> bool:
    return PurePosixPath(chart.strip().rstrip("/")).name == CHART_NAME


def read_helm_release(root: MapNode, ctx: Context, out: GitOpsParts) -> None:
    metadata = mapping(root.get("metadata")) or MapNode([], root.span)
    name = name_of(metadata.get("name"), "release")
    namespace = name_of(metadata.get("namespace"), ctx.default_namespace)
    what = f"HelmRelease {namespace}/{name}"
    spec = mapping(root.get("spec"))
    if spec is None:
        return
    chart_spec = mapping((mapping(spec.get("chart")) or MapNode([], spec.span)).get("spec"))
    chart = text_of(chart_spec.get("chart")) if chart_spec is not None else None
    ref_node = mapping(spec.get("chartRef"))
    chart_ref = None
    if chart is None and ref_node is not None:
        kind, ref_name = text_of(ref_node.get("kind")), text_of(ref_node.get("name"))
        if kind and ref_name:
            chart_ref = ChartRef(kind, ref_name, name_of(ref_node.get("namespace"), namespace), ctx.at(ref_node))
    if chart_ref is None and (chart is None or not is_headlamp_chart(chart)):
        if chart is not None:
            other_chart(ctx, chart, what, [spec.get("values")])
        return
    version_node = chart_spec.get("version") if chart_spec is not None else None
    pieces: list[Piece] = []
    broken = False
    values_from = spec.get("valuesFrom")
    if isinstance(values_from, SeqNode):
        for item in values_from.items:
            entry = _values_from(item, namespace, ctx, what)
            if entry is None:
                broken = True
            else:
                pieces.append(entry)
    elif values_from is not None and not (isinstance(values_from, ScalarNode) and values_from.value is None):
        ctx.report("HL020", ctx.at(values_from), f"spec.valuesFrom of {what} must be a list; it is not linted")
        broken = True
    values_key = spec.key("values") or spec.key("chart") or spec.key("chartRef")
    assert values_key is not None  # the chart is named under one of them
    layer = values_layer(ctx, values_key, spec.get("values"), "spec.values.", f"spec.values of {what}", False)
    if layer is BROKEN:
        broken = True
    else:
        # Always last (Flux merges spec.values over valuesFrom): chart defaults are blamed at spec.values,
        # or at spec.chart when there is none, named as the spec.values key to add.
        if not isinstance(layer, ValuesLayer):
            layer = ValuesLayer(ctx.display, MapNode([], values_key.span), "spec.values.", point(values_key.span))
        pieces.append(Inline(layer))
    if broken:
        return
    notices = []
    post = spec.get("postRenderers")
    if isinstance(post, SeqNode) and post.items:
        notices.append(Notice("HL017", ctx.at(spec.key("postRenderers")),  # type: ignore[arg-type]
                              f"spec.postRenderers of {what} patch the rendered objects after Helm; headlamp-lint"
                              " does not apply them: findings may not match what is deployed"))
    target = text_of(spec.get("targetNamespace"))
    out.releases.append(ReleaseSpec(
        "HelmRelease", what, ctx.display, tuple(pieces),
        release_name(name, target, text_of(spec.get("releaseName"))), target or namespace,
        text_of(version_node), ctx.at(version_node) if version_node is not None else None,
        chart_ref, tuple(notices),
    ))


def _values_from(item: object, namespace: str, ctx: Context, what: str) -> FromObject | None:
    if not isinstance(item, MapNode):
        ctx.report("HL020", ctx.at(item), f"a spec.valuesFrom entry of {what} must be a mapping")  # type: ignore
        return None
    kind, name = text_of(item.get("kind")), text_of(item.get("name"))
    if kind not in ("ConfigMap", "Secret"):
        where = item.get("kind") or item
        ctx.report("HL020", ctx.at(where), f"spec.valuesFrom kind of {what} must be ConfigMap or Secret,"
                   f" not {kind or 'unset'}; Flux fails the release")
        return None
    if not name:
        ctx.report("HL020", ctx.at(item), f"a spec.valuesFrom entry of {what} has no name; Flux fails the release")
        return None
    optional = item.get("optional")
    return FromObject(
        kind, name, namespace, text_of(item.get("valuesKey")) or VALUES_KEY, text_of(item.get("targetPath")),
        isinstance(optional, ScalarNode) and optional.value is True, ctx.at(item.get("name")),  # type: ignore
    )


def read_chart_source(root: MapNode, kind: str, ctx: Context, out: GitOpsParts) -> None:
    """An OCIRepository or a source HelmChart: what a chartRef to it installs."""
    metadata = mapping(root.get("metadata")) or MapNode([], root.span)
    name = name_of(metadata.get("name"))
    namespace = name_of(metadata.get("namespace"), ctx.default_namespace)
    spec = mapping(root.get("spec"))
    if not name or spec is None:
        return
    if kind == "OCIRepository":
        url = text_of(spec.get("url")) or ""
        ref = mapping(spec.get("ref"))
        node = None
        if ref is not None:
            node = ref.get("semver") if ref.get("semver") is not None else ref.get("tag")
        headlamp = is_headlamp_chart(url.split("://", 1)[-1])
    else:
        headlamp = is_headlamp_chart(text_of(spec.get("chart")) or "")
        node = spec.get("version")
    version = text_of(node)
    out.chart_sources.append(ChartSource(kind, name, namespace, headlamp, version,
                                         ctx.at(node) if node is not None else None, ctx.display))


def read_data(root: MapNode, kind: str, doc_index: int, ctx: Context, out: GitOpsParts) -> None:
    """A ConfigMap's or Secret's string keys, for the valuesFrom that may name them."""
    metadata = mapping(root.get("metadata")) or MapNode([], root.span)
    name = name_of(metadata.get("name"))
    if not name:
        return
    namespace = name_of(metadata.get("namespace"), ctx.default_namespace)
    entries: dict[str, DataEntry] = {}
    fields = (("data", kind == "Secret"), ("stringData", False)) if kind == "Secret" else (("data", False),)
    for field_name, base64 in fields:
        data = mapping(root.get(field_name))
        for key, value in data.entries if data is not None else ():
            if isinstance(value, ScalarNode) and value.value is not None:
                entries[key.text] = DataEntry(ctx.display, doc_index, field_name, base64)
    if entries:
        out.data[(kind, namespace, name)] = entries



def data_node(root: MapNode, entry: DataEntry, key: str) -> ScalarNode | None:
    """The string a DataEntry recorded, in the object ``root`` read again."""
    data = mapping(root.get(entry.field))
    node = data.get(key) if data is not None else None
    return node if isinstance(node, ScalarNode) else None
