"""``charts/headlamp/templates/pvc.yaml``: the PersistentVolumeClaim, when ``persistentVolumeClaim.enabled``.

Chart versions: 0.8.0 added it, with ``storageClassName`` taken from
``persistentVolumeClaim.storageClass`` (values.yaml documents
``storageClassName``, which is silently dropped); 0.27.0 reads
``storageClassName``; 0.28.0 makes ``size`` ``required`` (Helm fails without
it); 0.36.0 adds ``metadata.namespace`` (``headlamp.namespace``). In every
version ``accessModes`` is a ``range`` that writes an ``accessModes:`` key
per entry: with two entries the PVC has a duplicate key (reported here as
HL004 on the second entry, as it is on the rendering; the object keeps the
last entry, as lenient parsers do).
"""

from __future__ import annotations

from linter.located import Location
from linter.values.merge import ValuesProblem
from linter.values.templates import _helpers
from linter.values.templates.context import Context, truthy
from linter.yamlpos import Node, ScalarNode, SeqNode

TEMPLATE = "pvc.yaml"

PVC = "persistentVolumeClaim"


def render(ctx: Context) -> None:
    enabled = ctx.v(f"{PVC}.enabled")
    if not ctx.at_least("0.8.0") or not truthy(enabled):
        return
    key = f"{PVC}.enabled"
    storage = ctx.v(f"{PVC}.size")
    if ctx.at_least("0.28.0") and not truthy(storage):
        where = storage or enabled
        what = "is not set (the chart default is empty)" if ctx.eff.is_default(storage) else "is empty"
        ctx.out.problems.append(ValuesProblem(
            "HL003", _location(ctx, where),
            f"{ctx.eff.prefix}{PVC}.size {what}: the chart (0.28.0 and later) requires it when {PVC}.enabled is"
            f" true, so Helm refuses to render the release; set {ctx.eff.prefix}{PVC}.size (like 1Gi)"))
    pairs: list[tuple] = []
    modes = ctx.v(f"{PVC}.accessModes")
    if isinstance(modes, SeqNode) and modes.items:
        for extra in modes.items[1:]:
            ctx.out.problems.append(ValuesProblem(
                "HL004", _location(ctx, extra),
                f"{ctx.eff.prefix}{PVC}.accessModes has {len(modes.items)} entries: the chart writes an accessModes: key"
                " for each, so the rendered PersistentVolumeClaim repeats the key (strict YAML parsers reject it,"
                " lenient ones keep only the last); list one access mode"))
        last = modes.items[-1]
        pairs.append(("accessModes", ctx.q([last], f"{PVC}.accessModes", modes), ctx.eff.key_node(f"{PVC}.accessModes")))
    if isinstance(storage, ScalarNode) and truthy(storage):
        request = storage
    else:  # `storage: ` with nothing after it: null
        span, source = ctx.where(f"{PVC}.size", storage)
        request = ScalarNode(None, span, "", source=source)
    pairs.append(("resources", ctx.m([("requests", ctx.m([("storage", request)], f"{PVC}.size"))], f"{PVC}.size")))
    pairs.append(ctx.nonempty(f"{PVC}.volumeMode"))
    storage_class = f"{PVC}.storageClassName" if ctx.at_least("0.27.0") else f"{PVC}.storageClass"
    pairs.append(("storageClassName",) + ctx.nonempty(storage_class)[1:])
    pairs.append(ctx.nonempty(f"{PVC}.selector"))
    ctx.obj("v1", "PersistentVolumeClaim", key, enabled, [
        ("metadata", _helpers.metadata(ctx, _helpers.fullname(ctx), key, enabled, namespaced=ctx.at_least("0.36.0"),
                                       annotations=f"{PVC}.annotations")),
        ("spec", ctx.m(pairs, key, enabled)),
    ])


def _location(ctx: Context, node: Node) -> Location:
    """Where a values node is: the file that set it (a chart default: line 1 of the last values file)."""
    return Location(node.source.path if node.source is not None else ctx.eff.path, node.span)
