"""Services, Ingresses, Gateway API routes and NetworkPolicies, and what routes to what.

Builders here read one object each; ``link`` (in linter/model/links.py)
relates them to Headlamp's pods.
"""

from __future__ import annotations

from linter.data import load_json
from linter.located import Located, Location
from linter.model.nodes import FieldReader, key_location
from linter.model.objects import K8sObject
from linter.model.selectors import LabelSelector, plain_selector, read_selector
from linter.records import record
from linter.yamlpos import MapNode, ScalarNode


@record(frozen=True, slots=True)
class ServicePort:
    name: str | None
    port: int | None
    target_port: str | int | None
    node_port: Located
    location: Location


def exposure_data() -> dict:
    """linter/data/exposure.json: what exposes Headlamp beyond the cluster, each kind with its source."""
    return load_json("exposure.json")


def route_kinds() -> frozenset[str]:
    """The Gateway API route kinds that route to a Service (HTTPRoute, GRPCRoute, TLSRoute)."""
    return frozenset(entry["kind"] for entry in exposure_data()["route_kinds"])


@record(frozen=True, slots=True)
class ServiceExposure:
    """How a Service reaches beyond the cluster: ``what`` in words, ``fact`` the key or value that does it."""

    what: str  # "of type NodePort", "exposed on the tailnet by the Tailscale operator (…)"
    fact: Located
    honours_source_ranges: bool = True  # loadBalancerSourceRanges limit who reaches it


@record(frozen=True, slots=True)
class Service:
    obj: K8sObject
    type: Located  # "ClusterIP" when unset (MISSING origin)
    selector: LabelSelector | None
    ports: tuple[ServicePort, ...]
    load_balancer_source_ranges: tuple[Located, ...]
    source_ranges_anchor: Location  # the key, or the spec/type to blame when absent
    external_ips: tuple[Located, ...]
    external_name: str | None = None  # spec.externalName of a Service of type ExternalName
    exposure: ServiceExposure | None = None  # None: reachable from inside the cluster only

    @property
    def service_type(self) -> str:
        return self.type.value or "ClusterIP"

    @property
    def is_external(self) -> bool:
        """Reachable from outside the cluster (linter/data/exposure.json)."""
        return self.exposure is not None

    def port_matches(self, port: int | str | None) -> bool:
        """Does an Ingress/route backend port (number or name) address one of this Service's ports?

        An ExternalName Service is a DNS alias: any port passes through it.
        """
        if self.external_name is not None:
            return True
        if port is None:
            return len(self.ports) == 1
        return any(p.port == port or (p.name is not None and p.name == port) for p in self.ports)


@record(frozen=True, slots=True)
class IngressBackend:
    service: str
    port: int | str | None
    location: Location  # the backend's service name value
    # A Gateway API backendRef's own namespace (another namespace's Service); None: the route's namespace.
    # A ReferenceGrant that would allow it is not looked for: the route is taken to reach the Service.
    namespace: str | None = None


@record(frozen=True, slots=True)
class IngressRule:
    host: str | None  # None: the catch-all rule
    location: Location
    backends: tuple[IngressBackend, ...]


@record(frozen=True, slots=True)
class IngressTLS:
    hosts: tuple[str, ...]
    secret_name: str | None
    location: Location


@record(frozen=True, slots=True)
class Ingress:
    obj: K8sObject
    ingress_class: str | None
    annotations: dict[str, Located]
    annotations_anchor: Location  # the annotations key, or metadata
    rules: tuple[IngressRule, ...]
    default_backend: IngressBackend | None
    tls: tuple[IngressTLS, ...]
    tls_anchor: Location  # the tls key, or spec

    @property
    def always_tls(self) -> bool:
        """Its controller serves only HTTPS whatever spec.tls says (the Tailscale operator's class)."""
        return any(
            entry.get("always_tls") and self.ingress_class == entry["class"]
            for entry in exposure_data()["ingress_classes"]
        )

    @property
    def backends(self) -> tuple[IngressBackend, ...]:
        out = [b for rule in self.rules for b in rule.backends]
        if self.default_backend is not None:
            out.append(self.default_backend)
        return tuple(out)


@record(frozen=True, slots=True)
class ParentRef:
    name: str
    namespace: str | None
    section_name: str | None
    location: Location


@record(frozen=True, slots=True)
class HTTPRoute:
    """A Gateway API route to Services: HTTPRoute, GRPCRoute or TLSRoute (``obj.kind`` says which)."""

    obj: K8sObject
    parent_refs: tuple[ParentRef, ...]
    hostnames: tuple[str, ...]
    backends: tuple[IngressBackend, ...]  # backendRefs of kind Service (namespace: their own, else the route's)


@record(frozen=True, slots=True)
class Listener:
    name: str
    protocol: Located
    port: int | None
    hostname: str | None
    location: Location


@record(frozen=True, slots=True)
class Gateway:
    obj: K8sObject
    listeners: tuple[Listener, ...]


@record(frozen=True, slots=True)
class PolicyPeer:
    pod_selector: LabelSelector | None
    namespace_selector: LabelSelector | None
    ip_block: str | None
    ip_except: tuple[str, ...]
    location: Location


@record(frozen=True, slots=True)
class PolicyRule:
    """One ingress rule; ``peers`` empty means from everywhere."""

    peers: tuple[PolicyPeer, ...]
    ports: tuple[str, ...]
    location: Location


@record(frozen=True, slots=True)
class NetworkPolicy:
    obj: K8sObject
    pod_selector: LabelSelector
    policy_types: tuple[str, ...]  # effective: the implicit default applied
    ingress: tuple[PolicyRule, ...]

    @property
    def governs_ingress(self) -> bool:
        return "Ingress" in self.policy_types


# --- builders ---------------------------------------------------------------


def _port_value(node: ScalarNode | None) -> int | str | None:
    if node is None or node.value is None:
        return None
    if isinstance(node.value, int) and not isinstance(node.value, bool):
        return node.value
    return node.text


def build_service(reader: FieldReader, obj: K8sObject, node: MapNode) -> Service | None:
    if obj.kind != "Service":
        return None
    spec = reader.mapping(node, "spec")
    anchor = key_location(reader, node, "spec", obj.location)
    ports = []
    for item in reader.maps_in(reader.sequence(spec, "ports", "spec.ports"), "spec.ports"):
        port = _port_value(reader.scalar(item, "port"))
        ports.append(
            ServicePort(
                name=reader.string(item, "name"),
                port=port if isinstance(port, int) else None,
                target_port=_port_value(reader.scalar(item, "targetPort")),
                node_port=reader.fact(item, "nodePort", "spec.ports.nodePort", reader.location(item), int),
                location=reader.location(item),
            )
        )
    type_fact = reader.fact(spec, "type", "spec.type", anchor, str)
    ranges_node = reader.sequence(spec, "loadBalancerSourceRanges", "spec.loadBalancerSourceRanges")
    ranges = tuple(
        reader.located(item.text, item, "spec.loadBalancerSourceRanges")
        for item in (ranges_node.items if ranges_node else ())
        if isinstance(item, ScalarNode) and item.value is not None
    )
    ranges_anchor = key_location(reader, spec, "loadBalancerSourceRanges", type_fact.location)
    ips_node = reader.sequence(spec, "externalIPs", "spec.externalIPs")
    ips = tuple(
        reader.located(item.text, item, "spec.externalIPs")
        for item in (ips_node.items if ips_node else ())
        if isinstance(item, ScalarNode) and item.value is not None
    )
    return Service(
        obj=obj,
        exposure=_service_exposure(reader, obj, node, spec, type_fact),
        type=type_fact,
        selector=plain_selector(reader, spec, "selector", anchor),
        ports=tuple(ports),
        load_balancer_source_ranges=ranges,
        source_ranges_anchor=ranges_anchor,
        external_ips=ips,
        external_name=reader.string(spec, "externalName") if type_fact.value == "ExternalName" else None,
    )


def _service_exposure(
    reader: FieldReader, obj: K8sObject, node: MapNode, spec: MapNode | None, type_fact: Located
) -> ServiceExposure | None:
    """The first of linter/data/exposure.json's ways out that this Service takes, if any."""
    data = exposure_data()
    class_fact = reader.fact(spec, "loadBalancerClass", "spec.loadBalancerClass", type_fact.location, str)
    if type_fact.value == "LoadBalancer" and class_fact.is_set:
        for entry in data["load_balancer_classes"]:
            if class_fact.value == entry["class"]:
                return ServiceExposure(
                    f"of type LoadBalancer with loadBalancerClass {entry['class']}, exposed on {entry['reaches']}"
                    f" by {entry['by']}",
                    class_fact,
                    entry.get("honours_source_ranges", True),
                )
    if type_fact.value in {entry["type"] for entry in data["service_types"]}:
        return ServiceExposure(f"of type {type_fact.value}", type_fact)
    annotations, _ = _annotations(reader, obj, node)
    for entry in data["service_annotations"]:
        fact = annotations.get(entry["annotation"])
        if fact is not None and str(fact.value).strip().lower() == entry["value"]:
            return ServiceExposure(
                f"exposed on {entry['reaches']} by {entry['by']} (annotation {entry['annotation']})", fact
            )
    return None


def _annotations(reader: FieldReader, obj: K8sObject, node: MapNode) -> tuple[dict[str, Located], Location]:
    metadata = reader.mapping(node, "metadata")
    annotations = reader.mapping(metadata, "annotations", "metadata.annotations")
    anchor = key_location(reader, metadata, "annotations", key_location(reader, node, "metadata", obj.location))
    out: dict[str, Located] = {}
    if annotations is not None:
        for key, value in annotations.entries:
            if isinstance(value, ScalarNode):
                out[key.text] = reader.located(
                    "" if value.value is None else value.text, value, f"metadata.annotations.{key.text}"
                )
    return out, anchor


def _ingress_backend(reader: FieldReader, node: MapNode | None) -> IngressBackend | None:
    if node is None:
        return None
    service = reader.mapping(node, "service", "backend.service")
    if service is not None:  # networking.k8s.io/v1
        name_node = reader.scalar(service, "name")
        port = reader.mapping(service, "port", "backend.service.port")
        number = _port_value(reader.scalar(port, "number"))
        port_name = reader.string(port, "name")
        value = number if number is not None else port_name
        if name_node is None or name_node.value is None:
            return None
        return IngressBackend(name_node.text, value, reader.location(name_node))
    name_node = reader.scalar(node, "serviceName")  # extensions/v1beta1 and networking v1beta1
    if name_node is None or name_node.value is None:
        return None
    return IngressBackend(name_node.text, _port_value(reader.scalar(node, "servicePort")), reader.location(name_node))


def build_ingress(reader: FieldReader, obj: K8sObject, node: MapNode) -> Ingress | None:
    if obj.kind != "Ingress":
        return None
    spec = reader.mapping(node, "spec")
    spec_anchor = key_location(reader, node, "spec", obj.location)
    annotations, annotations_anchor = _annotations(reader, obj, node)
    rules = []
    for rule in reader.maps_in(reader.sequence(spec, "rules", "spec.rules"), "spec.rules"):
        http = reader.mapping(rule, "http", "spec.rules.http")
        backends = []
        for path in reader.maps_in(reader.sequence(http, "paths", "spec.rules.http.paths"), "spec.rules.http.paths"):
            backend = _ingress_backend(reader, reader.mapping(path, "backend", "spec.rules.http.paths.backend"))
            if backend is not None:
                backends.append(backend)
        host = reader.string(rule, "host")
        rules.append(IngressRule(host or None, key_location(reader, rule, "host", reader.location(rule)), tuple(backends)))
    default = _ingress_backend(reader, reader.mapping(spec, "defaultBackend", "spec.defaultBackend")) or (
        _ingress_backend(reader, reader.mapping(spec, "backend", "spec.backend"))
    )
    tls = []
    for item in reader.maps_in(reader.sequence(spec, "tls", "spec.tls"), "spec.tls"):
        hosts_node = reader.sequence(item, "hosts", "spec.tls.hosts")
        hosts = tuple(
            h.text for h in (hosts_node.items if hosts_node else ()) if isinstance(h, ScalarNode) and h.value is not None
        )
        tls.append(IngressTLS(hosts, reader.string(item, "secretName"), reader.location(item)))
    ingress_class = reader.string(spec, "ingressClassName")
    if ingress_class is None and "kubernetes.io/ingress.class" in annotations:
        ingress_class = annotations["kubernetes.io/ingress.class"].value
    return Ingress(
        obj=obj,
        ingress_class=ingress_class,
        annotations=annotations,
        annotations_anchor=annotations_anchor,
        rules=tuple(rules),
        default_backend=default,
        tls=tuple(tls),
        tls_anchor=key_location(reader, spec, "tls", spec_anchor),
    )


def backend_namespace(route: "Ingress | HTTPRoute", backend: IngressBackend) -> str:
    """The namespace of the Service a backend of ``route`` names: a backendRef's own, else the route's."""
    return backend.namespace or route.obj.namespace or "default"


def build_http_route(reader: FieldReader, obj: K8sObject, node: MapNode) -> HTTPRoute | None:
    """An HTTPRoute, GRPCRoute or TLSRoute (the same parentRefs and rules[].backendRefs)."""
    if obj.kind not in route_kinds() or obj.group not in ("gateway.networking.k8s.io", ""):
        return None
    spec = reader.mapping(node, "spec")
    parents = []
    for ref in reader.maps_in(reader.sequence(spec, "parentRefs", "spec.parentRefs"), "spec.parentRefs"):
        parents.append(
            ParentRef(
                reader.string(ref, "name") or "",
                reader.string(ref, "namespace"),
                reader.string(ref, "sectionName"),
                reader.location(ref),
            )
        )
    hostnames_node = reader.sequence(spec, "hostnames", "spec.hostnames")
    hostnames = tuple(
        h.text for h in (hostnames_node.items if hostnames_node else ()) if isinstance(h, ScalarNode) and h.value
    )
    backends = []
    for rule in reader.maps_in(reader.sequence(spec, "rules", "spec.rules"), "spec.rules"):
        for ref in reader.maps_in(reader.sequence(rule, "backendRefs", "spec.rules.backendRefs"), "backendRefs"):
            kind = reader.string(ref, "kind") or "Service"
            name_node = reader.scalar(ref, "name")
            if kind != "Service" or name_node is None or name_node.value is None:
                continue
            backends.append(IngressBackend(name_node.text, _port_value(reader.scalar(ref, "port")),
                                           reader.location(name_node), reader.string(ref, "namespace") or None))
    return HTTPRoute(obj, tuple(parents), hostnames, tuple(backends))


def build_gateway(reader: FieldReader, obj: K8sObject, node: MapNode) -> Gateway | None:
    if obj.kind != "Gateway" or not obj.api_version.startswith("gateway.networking.k8s.io/"):
        return None
    spec = reader.mapping(node, "spec")
    listeners = []
    for item in reader.maps_in(reader.sequence(spec, "listeners", "spec.listeners"), "spec.listeners"):
        port = _port_value(reader.scalar(item, "port"))
        listeners.append(
            Listener(
                name=reader.string(item, "name") or "",
                protocol=reader.fact(item, "protocol", "spec.listeners.protocol", reader.location(item), str),
                port=port if isinstance(port, int) else None,
                hostname=reader.string(item, "hostname"),
                location=reader.location(item),
            )
        )
    return Gateway(obj, tuple(listeners))


def build_network_policy(reader: FieldReader, obj: K8sObject, node: MapNode) -> NetworkPolicy | None:
    if obj.kind != "NetworkPolicy":
        return None
    spec = reader.mapping(node, "spec")
    anchor = key_location(reader, node, "spec", obj.location)
    selector = read_selector(reader, reader.mapping(spec, "podSelector", "spec.podSelector"), "spec.podSelector", anchor)
    types_node = reader.sequence(spec, "policyTypes", "spec.policyTypes")
    if types_node is not None:
        types = tuple(t.text for t in types_node.items if isinstance(t, ScalarNode) and t.value is not None)
    else:
        # The API default: Ingress always, Egress when egress rules are present.
        types = ("Ingress", "Egress") if spec is not None and "egress" in spec else ("Ingress",)
    rules = []
    for rule in reader.maps_in(reader.sequence(spec, "ingress", "spec.ingress"), "spec.ingress"):
        peers = []
        for peer in reader.maps_in(reader.sequence(rule, "from", "spec.ingress.from"), "spec.ingress.from"):
            pod_sel = reader.mapping(peer, "podSelector", "spec.ingress.from.podSelector")
            ns_sel = reader.mapping(peer, "namespaceSelector", "spec.ingress.from.namespaceSelector")
            block = reader.mapping(peer, "ipBlock", "spec.ingress.from.ipBlock")
            except_node = reader.sequence(block, "except", "spec.ingress.from.ipBlock.except")
            peers.append(
                PolicyPeer(
                    pod_selector=read_selector(reader, pod_sel, "podSelector", reader.location(peer))
                    if pod_sel is not None
                    else None,
                    namespace_selector=read_selector(reader, ns_sel, "namespaceSelector", reader.location(peer))
                    if ns_sel is not None
                    else None,
                    ip_block=reader.string(block, "cidr"),
                    ip_except=tuple(
                        e.text for e in (except_node.items if except_node else ()) if isinstance(e, ScalarNode)
                    ),
                    location=reader.location(peer),
                )
            )
        ports_node = reader.sequence(rule, "ports", "spec.ingress.ports")
        ports = tuple(
            str(reader.string(p, "port")) for p in reader.maps_in(ports_node, "spec.ingress.ports") if "port" in p
        )
        rules.append(PolicyRule(tuple(peers), ports, reader.location(rule)))
    return NetworkPolicy(obj, selector, types, tuple(rules))


def external_name_target(name: str | None) -> tuple[str, str] | None:
    """The (namespace, name) of the in-cluster Service an ExternalName points at, if it names one.

    Cluster DNS names a Service ``<name>.<namespace>.svc.<cluster domain>``;
    ``<name>.<namespace>`` and ``<name>.<namespace>.svc`` resolve through
    the pods' DNS search path. Any other name is outside the cluster.
    """
    if not name:
        return None
    labels = name.strip().rstrip(".").lower().split(".")
    if len(labels) == 2 or (len(labels) >= 3 and labels[2] == "svc"):
        if labels[0] and labels[1]:
            return labels[1], labels[0]
    return None
