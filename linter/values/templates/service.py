"""``charts/headlamp/templates/service.yaml``: the Service in front of the Deployment.

Chart versions: 0.1.0 added it; 0.28.1 added ``clusterIP``,
``externalTrafficPolicy``, ``loadBalancerSourceRanges`` (printed in Go list
syntax until 0.37.0), ``loadBalancerIP`` and ``nodePort``; 0.35.0
``service.annotations``; 0.36.0 ``headlamp.namespace``; 0.37.0 prints
``loadBalancerSourceRanges`` as a YAML list; 0.42.0 ``extraServicePorts``;
0.44.0 ``appProtocol``.
"""

from __future__ import annotations

from linter.values.templates import _helpers
from linter.values.templates.context import Context, truthy
from linter.values.templates.gotext import node_text, reread
from linter.yamlpos import MapNode, Node, SeqNode

TEMPLATE = "service.yaml"


def _source_ranges(ctx: Context) -> tuple[str, Node | None, Node | None]:
    """``loadBalancerSourceRanges``: before 0.37.0 printed with ``%v`` (``[a b]``: one malformed range)."""
    entry = ctx.nonempty("service.loadBalancerSourceRanges")
    node = entry[1]
    if node is None or ctx.at_least("0.37.0"):
        return entry
    return (entry[0], reread(node_text(node), node), entry[2])


def render(ctx: Context) -> None:
    type_node = ctx.v("service.type")
    stype = ctx.text("service.type", "ClusterIP")
    key = "service.type"
    exposed = stype in ("NodePort", "LoadBalancer")
    port_pairs: list[tuple] = [
        ("port", ctx.v("service.port") or ctx.s(80, "service.port")),
        ("targetPort", ctx.s("http", "service.port", ctx.v("service.port"))),
        ("protocol", ctx.s("TCP", "service.port", ctx.v("service.port"))),
        ("name", ctx.s("http", "service.port", ctx.v("service.port"))),
    ]
    if truthy(ctx.v("service.appProtocol")):
        port_pairs.append(ctx.pair("appProtocol", "service.appProtocol"))
    if exposed and truthy(ctx.v("service.nodePort")):
        port_pairs.append(ctx.pair("nodePort", "service.nodePort"))
    ports = [ctx.m(port_pairs, "service.port", ctx.v("service.port"))]
    extra = ctx.v("service.extraServicePorts")
    for item in extra.items if isinstance(extra, SeqNode) else ():
        if not isinstance(item, MapNode):
            continue
        number = item.get("port")
        pairs = [("name", item.get("name"), item.key("name")), ("port", number, item.key("port")),
                 ("targetPort", item.get("targetPort") or number, item.key("targetPort")),
                 ("protocol", item.get("protocol") or ctx.s("TCP", "service.extraServicePorts", item),
                  item.key("protocol"))]
        if exposed and truthy(item.get("nodePort")):
            pairs.append(("nodePort", item.get("nodePort"), item.key("nodePort")))
        ports.append(ctx.m(pairs, "service.extraServicePorts", item))
    spec: list[tuple] = [("type", type_node or ctx.s(stype, key))]
    if stype == "ClusterIP":
        spec.append(ctx.nonempty("service.clusterIP"))
    if exposed:
        spec.append(ctx.nonempty("service.externalTrafficPolicy"))
    if stype == "LoadBalancer":
        spec.append(_source_ranges(ctx))
        spec.append(ctx.nonempty("service.loadBalancerIP"))
    spec += [("ports", ctx.q(ports, "service.port", ctx.v("service.port"))),
             ("selector", _helpers.selector_labels(ctx, key, type_node))]
    ctx.obj("v1", "Service", key, type_node, [
        ("metadata", _helpers.metadata(ctx, _helpers.fullname(ctx), key, type_node, annotations="service.annotations")),
        ("spec", ctx.m(spec, key, type_node)),
    ])
