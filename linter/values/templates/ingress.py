"""``charts/headlamp/templates/ingress.yaml``: the Ingress, when ``ingress.enabled``.

Chart versions: 0.1.0 added it; 0.22.0 ``ingressClassName``; 0.28.1
``ingress.labels``; 0.36.0 ``headlamp.namespace``; 0.42.0 per-path
``backend.service`` overrides (name through ``tpl``, port by number or name).
"""

from __future__ import annotations

from linter.values.templates import _helpers, tpl
from linter.values.templates.context import Context, truthy
from linter.yamlpos import MapNode, Node, ScalarNode, SeqNode

TEMPLATE = "ingress.yaml"


def render(ctx: Context) -> None:
    enabled = ctx.v("ingress.enabled")
    if not truthy(enabled):
        return
    key = "ingress.enabled"
    port = ctx.v("service.port")
    rules: list[Node] = []
    hosts = ctx.v("ingress.hosts")
    for host in hosts.items if isinstance(hosts, SeqNode) else ():
        if not isinstance(host, MapNode):
            continue
        paths: list[Node] = []
        path_seq = host.get("paths")
        for path in path_seq.items if isinstance(path_seq, SeqNode) else ():
            if not isinstance(path, MapNode):
                continue
            override = path.get("backend")
            service = override.get("service") if isinstance(override, MapNode) else None
            name_node = service.get("name") if isinstance(service, MapNode) else None
            port_node = service.get("port") if isinstance(service, MapNode) else None
            svc_name = _helpers.fullname(ctx)
            if isinstance(name_node, ScalarNode):  # `tpl $svc.name $ | trim`
                done = tpl.render(ctx, name_node.text)
                for problem in done.unsupported:
                    ctx.unsupported(name_node, "ingress.hosts[].paths[].backend.service.name", problem.expression,
                                    problem.reason)
                svc_name = done.text.strip()
            backend_port = port_node if isinstance(port_node, MapNode) else ctx.m(
                [("number", port or ctx.s(80, "service.port"))], "service.port", port)
            paths.append(ctx.m([
                ("path", path.get("path")),
                ("pathType", path.get("type"), path.key("type")),
                ("backend", ctx.m([("service", ctx.m([
                    ("name", ctx.s(svc_name, "ingress.hosts", name_node or path)),
                    ("port", backend_port)], "ingress.hosts", path))], "ingress.hosts", path)),
            ], "ingress.hosts", path))
        host_pairs: list[tuple] = []
        if host.get("host") is not None:
            host_pairs.append(("host", host.get("host"), host.key("host")))
        host_pairs.append(("http", ctx.m([("paths", ctx.q(paths, "ingress.hosts", host))], "ingress.hosts", host)))
        rules.append(ctx.m(host_pairs, "ingress.hosts", host))
    spec: list[tuple] = [ctx.nonempty("ingress.ingressClassName")]
    tls = ctx.v("ingress.tls")
    if truthy(tls):
        spec.append(("tls", tls, ctx.eff.key_node("ingress.tls")))
    spec.append(("rules", ctx.q(rules, "ingress.hosts", hosts)))
    ctx.obj("networking.k8s.io/v1", "Ingress", key, enabled, [
        ("metadata", _helpers.metadata(ctx, _helpers.fullname(ctx), key, enabled, annotations="ingress.annotations",
                                   labels_key="ingress.labels")),
        ("spec", ctx.m(spec, key, enabled)),
    ])
