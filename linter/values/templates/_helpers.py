"""``charts/headlamp/templates/_helpers.tpl``: names, labels and the metadata block the templates share.

Encodes the named templates ``headlamp.name``, ``headlamp.fullname``,
``headlamp.namespace`` (added in chart 0.36.0), ``headlamp.chart``,
``headlamp.labels``, ``headlamp.selectorLabels`` and
``headlamp.serviceAccountName``. ``headlamp.readOnlyRootFilesystem`` and
``headlamp.tmpVolumeContext`` (chart 0.42.0) are used by the Deployment only
and live in ``deployment``. ``metadata`` is not a named template: it is the
``metadata:`` block (name, namespace, labels, annotations) that every
template writes the same way.

Chart versions: 0.1.0 added the file, unchanged until 0.36.0; 0.36.0 added
``headlamp.namespace`` (``namespaceOverride``), 0.42.0 the tmp-volume helpers.
"""

from __future__ import annotations

from linter.values.templates.context import CHART_NAME, Context, truthy
from linter.yamlpos import MapNode, Node

TEMPLATE = "_helpers.tpl"


def name(ctx: Context) -> str:
    """``headlamp.name``: ``nameOverride`` or the chart name."""
    return ctx.text("nameOverride") or CHART_NAME


def fullname(ctx: Context) -> str:
    """``headlamp.fullname``: ``fullnameOverride``, else the release name (if it contains the name) or release-name."""
    override = ctx.text("fullnameOverride")
    if override:
        return override[:63].rstrip("-")
    chart_name = name(ctx)
    if chart_name in ctx.release_name:
        return ctx.release_name[:63].rstrip("-")
    return f"{ctx.release_name}-{chart_name}"[:63].rstrip("-")


def namespace(ctx: Context) -> str:
    """``headlamp.namespace``: ``namespaceOverride`` or the release namespace."""
    return ctx.text("namespaceOverride") or ctx.release_namespace


def service_account_name(ctx: Context) -> tuple[str, Node | None]:
    """``headlamp.serviceAccountName``, and the values node to blame for it."""
    name_node = ctx.v("serviceAccount.name")
    account = ctx.text("serviceAccount.name")
    if truthy(ctx.v("serviceAccount.create")):
        return (account or fullname(ctx)), (name_node if account else ctx.v("serviceAccount.create"))
    return (account or "default"), (name_node if account else ctx.v("serviceAccount.create"))


def labels(ctx: Context, key: str, like: Node | None = None, extra: str | None = None) -> MapNode:
    """``headlamp.labels`` (chart, selector labels, version, managed-by), plus the values map ``extra``."""
    pairs = [
        ("helm.sh/chart", ctx.s(f"headlamp-{ctx.eff.release.version}", key, like)),
        ("app.kubernetes.io/name", ctx.s(name(ctx), key, like)),
        ("app.kubernetes.io/instance", ctx.s(ctx.release_name, key, like)),
        ("app.kubernetes.io/version", ctx.s(ctx.eff.release.app_version, key, like)),
        ("app.kubernetes.io/managed-by", ctx.s("Helm", key, like)),
    ]
    node = ctx.m(pairs, key, like)
    if extra:
        merge_into(node, ctx.v(extra))
    return node


def selector_labels(ctx: Context, key: str, like: Node | None = None) -> MapNode:
    """``headlamp.selectorLabels``: app.kubernetes.io/name and /instance."""
    return ctx.m(
        [
            ("app.kubernetes.io/name", ctx.s(name(ctx), key, like)),
            ("app.kubernetes.io/instance", ctx.s(ctx.release_name, key, like)),
        ],
        key,
        like,
    )


def merge_into(target: MapNode, extra: Node | None) -> None:
    """Add the entries of the values map ``extra`` to ``target`` (a later key wins)."""
    if isinstance(extra, MapNode):
        for k, v in extra.entries:
            if k.value not in target.index:
                target.entries.append((k, v))
            target.index[k.value] = (k, v)


def metadata(ctx: Context, object_name: str, key: str, like: Node | None, namespaced: bool = True,
             annotations: str | None = None, labels_key: str | None = None) -> MapNode:
    """The ``metadata:`` block: name, namespace (``headlamp.namespace``), labels, the annotations of ``annotations``."""
    pairs: list[tuple] = [("name", ctx.s(object_name, key, like))]
    if namespaced:
        override = ctx.v("namespaceOverride") if ctx.text("namespaceOverride") else None
        pairs.append(("namespace", ctx.s(namespace(ctx), "namespaceOverride", override or like)))
    pairs.append(("labels", labels(ctx, key, like, labels_key)))
    if annotations:
        pairs.append(("annotations",) + ctx.nonempty(annotations)[1:])
    return ctx.m(pairs, key, like)
