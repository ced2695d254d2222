"""k3s / RKE2: a ``HelmChart`` (``helm.cattle.io/v1``) of the Headlamp chart, and its ``HelmChartConfig``.

Encodes k3s-io/helm-controller (v0.12 – v0.16, ``pkg/controllers/chart``),
which k3s and RKE2 embed and run for files in their ``server/manifests``
folder as well as for applied objects:

- the chart is ``spec.chart``: a name in ``spec.repo``, an ``oci://`` reference
  or the URL of a ``.tgz`` (its file name ``headlamp-<version>.tgz`` gives the
  version); at ``spec.version`` (default: the newest);
- the Helm release is named after the HelmChart (``metadata.name``) and
  installs into ``spec.targetNamespace``, else the HelmChart's namespace;
- values, lowest precedence first: ``spec.valuesContent`` (a YAML string,
  the job's ``values-01_HelmChart.yaml``), then the ``valuesContent`` of the
  HelmChartConfig of the same name and namespace (``values-10_HelmChartConfig.yaml``;
  a HelmChartConfig is how a k3s packaged chart is customised), then
  ``spec.set`` (``--set`` for integers, ``true``, ``false`` and ``null``,
  ``--set-string`` for any other string, in key order);
- ``spec.valuesSecrets`` (newer controllers) read Secrets headlamp-lint
  does not resolve (HL017).
"""

from __future__ import annotations

import re
from pathlib import PurePosixPath

from linter.gitops import (
    CHART_NAME,
    DataEntry,
    FromObject,
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
from linter.yamlpos import MapNode, ScalarNode, SeqNode

GROUP = "helm.cattle.io"
CONFIG_KIND = "HelmChartConfig"
CONFIG_KEY = "valuesContent"
_PACKAGE = re.compile(r"^(?P<name>.+?)-(?P<version>\d+\.\d+\.\d+[^/]*?)\.tgz$")


def chart_of(chart: str) -> tuple[str, str | None]:
    """The chart name ``spec.chart`` installs, and the version its file name gives (a ``.tgz`` URL)."""
    base = PurePosixPath(chart.strip().split("?", 1)[0].rstrip("/")).name
    match = _PACKAGE.match(base)
    if match is not None:
        return match.group("name"), match.group("version")
    return base, None


def read_helm_chart(root: MapNode, ctx: Context, out: GitOpsParts) -> None:
    metadata = mapping(root.get("metadata")) or MapNode([], root.span)
    name = name_of(metadata.get("name"), "chart")
    namespace = name_of(metadata.get("namespace"), ctx.default_namespace)
    what = f"HelmChart {namespace}/{name}"
    spec = mapping(root.get("spec"))
    chart = text_of(spec.get("chart")) if spec is not None else None
    if spec is None or chart is None:
        return
    chart_name, file_version = chart_of(chart)
    if chart_name != CHART_NAME:
        other_chart(ctx, chart, what, [spec.get(CONFIG_KEY)])
        return
    chart_key = spec.key("chart")
    assert chart_key is not None
    pieces: list[Piece] = []
    notices: list[Notice] = []
    content_key = spec.key(CONFIG_KEY)
    if content_key is not None:
        layer = values_layer(ctx, content_key, spec.get(CONFIG_KEY), "spec.valuesContent.",
                             f"spec.valuesContent of {what}", True)
        if layer is BROKEN:
            return
        if isinstance(layer, ValuesLayer):
            pieces.append(Inline(layer, string=True))
    pieces.append(FromObject(CONFIG_KIND, name, namespace, CONFIG_KEY, None, True, ctx.at(chart_key),
                             role="the HelmChartConfig", quiet_when_absent=True))
    set_values = _set(spec.get("set"), what, ctx)
    if set_values is None:
        return
    if set_values.values:
        pieces.append(set_values)
    secrets = spec.get("valuesSecrets")
    if isinstance(secrets, SeqNode) and secrets.items:
        notices.append(Notice("HL017", ctx.at(spec.key("valuesSecrets")),  # type: ignore[arg-type]
                              f"spec.valuesSecrets of {what} add values from Secrets headlamp-lint does not read:"
                              " findings may be incomplete"))
    # Chart defaults are blamed at valuesContent (even empty), else at chart:; a missing valuesContent string is
    # not created by the fixer (the anchor is a string that is not there: it refuses).
    holder = content_key or chart_key
    anchor = ValuesLayer(ctx.display, MapNode([], holder.span), "spec.valuesContent.", point(holder.span))
    version_node = spec.get("version")
    version = text_of(version_node)
    if version is None and file_version is not None:
        version, version_node = file_version, spec.get("chart")
    target = text_of(spec.get("targetNamespace"))
    out.releases.append(ReleaseSpec(
        "HelmChart", what, ctx.display, tuple(pieces), name, target or namespace, version,
        ctx.at(version_node) if version_node is not None else None, None, tuple(notices), "helm", False, anchor,
        anchor_string=True,
    ))


def _set(node: object, what: str, ctx: Context) -> SetValues | None:
    """``spec.set``: a map of ``--set`` keys to integers or strings (``IntOrString``)."""
    values: list[SetValue] = []
    if node is None or (isinstance(node, ScalarNode) and node.value is None):
        return SetValues((), ctx.display)
    if not isinstance(node, MapNode):
        ctx.report("HL020", ctx.at(node), f"spec.set of {what} must be a mapping of --set keys to values;"  # type: ignore
                   " it is not linted")
        return None
    for key, value in node.entries:
        if not isinstance(value, ScalarNode) or value.value is None:
            ctx.report("HL020", ctx.at(value if value is not None else key),
                       f"spec.set.{key.text} of {what} must be an integer or a string; the controller rejects it")
            return None
        text = value.text
        typed = (isinstance(value.value, int) and not value.quoted) or text.lower() in ("true", "false", "null")
        values.append(SetValue(key.text, key, ScalarNode(text, value.span, text, quoted=value.quoted), not typed))
    values.sort(key=lambda item: item.name)
    return SetValues(tuple(values), ctx.display)


def read_helm_chart_config(root: MapNode, doc_index: int, ctx: Context, out: GitOpsParts) -> None:
    """A HelmChartConfig: values the HelmChart of the same name and namespace takes over its own."""
    metadata = mapping(root.get("metadata")) or MapNode([], root.span)
    name = name_of(metadata.get("name"))
    spec = mapping(root.get("spec"))
    if not name or spec is None:
        return
    content = spec.get(CONFIG_KEY)
    if not isinstance(content, ScalarNode) or content.value is None:
        return
    namespace = name_of(metadata.get("namespace"), ctx.default_namespace)
    out.data[(CONFIG_KIND, namespace, name)] = {CONFIG_KEY: DataEntry(ctx.display, doc_index, "spec")}
