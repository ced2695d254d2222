"""What the Headlamp chart renders from effective values, as positioned node trees.

This encodes ``charts/headlamp/templates`` (FACTS.md §1.3; the chart-test
pairs are the ground truth) without Helm: each rendered object is a
``MapNode`` tree that the manifest builders in ``linter.model.from_manifests``
read like any manifest. Every rendered node is located at the values key
that produced it and carries ``source=NodeSource(file, origin, values key)``:
the user's own node where the chart copies a value, a node at line 1 of the
last values file (origin CHART_DEFAULT) where the chart default applies.
Where the chart copies user values verbatim (security contexts, resources,
volumes, init and extra containers, annotations…) the user's nodes are
reused, so positions are exact.

Version differences that matter for security are honoured (the securityContext
fallback from 0.36.0, ``hostUsers`` from 0.40.0, the ``/tmp`` emptyDir from
0.42.0, OIDC args before 0.13.0, ``-in-cluster`` always before 0.30.1…).
"""

from __future__ import annotations

import base64
import re
from dataclasses import dataclass, field

from linter.located import FILE_START, Location, NodeSource, Origin, Span
from linter.values.chart import version_key
from linter.values.merge import Effective, ValuesProblem
from linter.yamlpos import MapNode, Node, ScalarNode, SeqNode, load, walk

CHART_NAME = "headlamp"

# The container securityContext the chart uses when `securityContext` is empty or null (chart >= 0.36.0).
FALLBACK_SECURITY_CONTEXT = (
    ("allowPrivilegeEscalation", False),
    ("runAsNonRoot", True),
    ("seccompProfile", (("type", "RuntimeDefault"),)),
    ("capabilities", (("drop", ["ALL"]),)),
)

# config.oidc.<key> -> (env name, Secret key, arg)
OIDC_SETTINGS = (
    ("clientID", "OIDC_CLIENT_ID", "-oidc-client-id"),
    ("clientSecret", "OIDC_CLIENT_SECRET", "-oidc-client-secret"),
    ("issuerURL", "OIDC_ISSUER_URL", "-oidc-idp-issuer-url"),
    ("scopes", "OIDC_SCOPES", "-oidc-scopes"),
    ("callbackURL", "OIDC_CALLBACK_URL", "-oidc-callback-url"),
    ("validatorClientID", "OIDC_VALIDATOR_CLIENT_ID", "-oidc-validator-client-id"),
    ("validatorIssuerURL", "OIDC_VALIDATOR_ISSUER_URL", "-oidc-validator-idp-issuer-url"),
    ("useAccessToken", "OIDC_USE_ACCESS_TOKEN", "-oidc-use-access-token"),
    ("usePKCE", "OIDC_USE_PKCE", "-oidc-use-pkce"),
    ("meUserInfoURL", "ME_USER_INFO_URL", "-me-user-info-url"),
)

_TEMPLATE = re.compile(r"\{\{-?\s*(.*?)\s*-?\}\}", re.S)
_VALUES_REF = re.compile(r"^\$?\.Values((?:\.[A-Za-z_][A-Za-z0-9_]*)+)$")


@dataclass
class ExtraManifest:
    """One ``extraManifests`` item: parsed object roots, or why it is not linted."""

    path: str
    location: Location
    roots: list[MapNode] = field(default_factory=list)
    template_problem: str | None = None  # set: the item is reported (HL005) and not linted
    problems: list[tuple[str, Location, str]] = field(default_factory=list)  # (rule, location, message)
    others: list[Location] = field(default_factory=list)  # documents that are not Kubernetes objects


@dataclass
class Rendered:
    objects: list[MapNode] = field(default_factory=list)
    extra_manifests: list[ExtraManifest] = field(default_factory=list)
    problems: list[ValuesProblem] = field(default_factory=list)


def truthy(node: Node | None) -> bool:
    """Go template truth: false, 0, "", null, empty lists and maps are false."""
    if node is None:
        return False
    if isinstance(node, ScalarNode):
        return node.value not in (None, False, 0, "")
    if isinstance(node, MapNode):
        return bool(node.entries)
    return bool(node.items)


class Renderer:
    def __init__(self, eff: Effective, release_name: str, namespace: str, texts: dict[str, str]):
        self.eff = eff
        self.release_name = release_name
        self.release_namespace = namespace
        self.texts = texts  # values file path -> text, to map extraManifests positions
        self.version = version_key(eff.release.version)
        self.out = Rendered()

    # -- node construction -------------------------------------------------

    def v(self, dotted: str) -> Node | None:
        return self.eff.node(dotted)

    def text(self, dotted: str, default: str = "") -> str:
        node = self.v(dotted)
        if isinstance(node, ScalarNode) and node.value is not None:
            return node.text
        return default

    def where(self, key: str, like: Node | None = None) -> tuple[Span, NodeSource | None]:
        """Position and provenance of a rendered node: the values node it came from, or the chart default."""
        if like is not None and like.source is not None:
            return like.span, like.source
        if not key:  # structure the chart always renders (objects, specs): read as chart output
            return FILE_START, None
        return FILE_START, NodeSource(self.eff.path, Origin.CHART_DEFAULT, self.eff.prefix + key)

    def s(self, value: object, key: str, like: Node | None = None) -> ScalarNode:
        span, source = self.where(key, like)
        if isinstance(value, bool):
            raw = "true" if value else "false"
        else:
            raw = value if isinstance(value, str) else str(value)
        return ScalarNode(value, span, raw, quoted=isinstance(value, str), source=source)  # type: ignore[arg-type]

    def m(self, pairs: list[tuple], key: str, like: Node | None = None) -> MapNode:
        """A mapping of (name, node[, key_like]) pairs; entries whose node is None are left out."""
        span, source = self.where(key, like)
        out = MapNode([], span, source=source)
        for pair in pairs:
            name, node = pair[0], pair[1]
            if node is None:
                continue
            key_like = pair[2] if len(pair) > 2 and pair[2] is not None else node
            key_node = ScalarNode(name, key_like.span, name, source=key_like.source)
            out.entries.append((key_node, node))
            out.index[name] = (key_node, node)
        return out

    def q(self, items: list[Node], key: str, like: Node | None = None) -> SeqNode:
        span, source = self.where(key, like)
        return SeqNode(items, span, source=source)

    def build(self, value: object, key: str, like: Node | None = None) -> Node:
        """Nodes for a Python literal (tuples of pairs are maps, lists are lists), all at one place."""
        if isinstance(value, tuple):
            return self.m([(k, self.build(v, f"{key}.{k}", like)) for k, v in value], key, like)
        if isinstance(value, list):
            return self.q([self.build(v, key, like) for v in value], key, like)
        return self.s(value, key, like)

    def pair(self, name: str, dotted: str) -> tuple[str, Node | None, Node | None]:
        """A rendered entry copied from the values key ``dotted`` (key and value keep their positions)."""
        return (name, self.v(dotted), self.eff.key_node(dotted))

    def nonempty(self, dotted: str) -> tuple[str, Node | None, Node | None]:
        name = dotted.rsplit(".", 1)[-1]
        node = self.v(dotted)
        return (name, node if truthy(node) else None, self.eff.key_node(dotted))

    # -- names -------------------------------------------------------------

    @property
    def name(self) -> str:
        return self.text("nameOverride") or CHART_NAME

    @property
    def fullname(self) -> str:
        override = self.text("fullnameOverride")
        if override:
            return override[:63].rstrip("-")
        name = self.name
        if name in self.release_name:
            return self.release_name[:63].rstrip("-")
        return f"{self.release_name}-{name}"[:63].rstrip("-")

    @property
    def namespace(self) -> str:
        return self.text("namespaceOverride") or self.release_namespace

    def service_account_name(self) -> tuple[str, Node | None]:
        name_node = self.v("serviceAccount.name")
        name = self.text("serviceAccount.name")
        if truthy(self.v("serviceAccount.create")):
            return (name or self.fullname), (name_node if name else self.v("serviceAccount.create"))
        return (name or "default"), (name_node if name else self.v("serviceAccount.create"))

    def labels(self, key: str, like: Node | None = None, extra: str | None = None) -> MapNode:
        pairs = [
            ("helm.sh/chart", self.s(f"headlamp-{self.eff.release.version}", key, like)),
            ("app.kubernetes.io/name", self.s(self.name, key, like)),
            ("app.kubernetes.io/instance", self.s(self.release_name, key, like)),
            ("app.kubernetes.io/version", self.s(self.eff.release.app_version, key, like)),
            ("app.kubernetes.io/managed-by", self.s("Helm", key, like)),
        ]
        node = self.m(pairs, key, like)
        if extra:
            self._merge_into(node, self.v(extra))
        return node

    def selector_labels(self, key: str, like: Node | None = None) -> MapNode:
        return self.m(
            [
                ("app.kubernetes.io/name", self.s(self.name, key, like)),
                ("app.kubernetes.io/instance", self.s(self.release_name, key, like)),
            ],
            key,
            like,
        )

    @staticmethod
    def _merge_into(target: MapNode, extra: Node | None) -> None:
        if isinstance(extra, MapNode):
            for k, v in extra.entries:
                if k.value not in target.index:
                    target.entries.append((k, v))
                target.index[k.value] = (k, v)

    def metadata(self, name: str, key: str, like: Node | None, namespaced: bool = True,
                 annotations: str | None = None, labels: str | None = None) -> MapNode:
        pairs: list[tuple] = [("name", self.s(name, key, like))]
        if namespaced:
            override = self.v("namespaceOverride") if self.text("namespaceOverride") else None
            pairs.append(("namespace", self.s(self.namespace, "namespaceOverride", override or like)))
        pairs.append(("labels", self.labels(key, like, labels)))
        if annotations:
            pairs.append(("annotations",) + self.nonempty(annotations)[1:])
        return self.m(pairs, key, like)

    def obj(self, api_version: str, kind: str, key: str, like: Node | None, pairs: list[tuple]) -> MapNode:
        """An object whose `kind` (where findings about the object point) is the values key that makes it."""
        node = self.m([("apiVersion", self.s(api_version, key, like)), ("kind", self.s(kind, key, like))] + pairs,
                      key, like)
        self.out.objects.append(node)
        return node

    # -- the templates -----------------------------------------------------

    def render(self) -> Rendered:
        self.service_account()
        self.secret()
        self.config_maps()
        self.cluster_role_binding()
        self.service()
        self.deployment()
        self.ingress()
        self.http_route()
        self.pdb()
        self.extra_manifests()
        return self.out

    def at_least(self, version: str) -> bool:
        return self.version >= version_key(version)

    def service_account(self) -> None:
        create = self.v("serviceAccount.create")
        if not truthy(create):
            return
        name, _ = self.service_account_name()
        self.obj("v1", "ServiceAccount", "serviceAccount.create", create, [
            ("metadata", self.metadata(name, "serviceAccount.create", create,
                                       annotations="serviceAccount.annotations")),
        ])

    def secret(self) -> None:
        if not self.at_least("0.13.0"):
            return
        create = self.v("config.oidc.secret.create")
        if self.at_least("0.18.1") and not truthy(create):
            return
        name = self.text("config.oidc.secret.name", "oidc")
        like = create if create is not None else None
        data = []
        for key, _, _ in OIDC_SETTINGS:
            node = self.v(f"config.oidc.{key}")
            if isinstance(node, ScalarNode) and truthy(node):  # other types: HL003 from the schema
                encoded = base64.b64encode(node.text.encode()).decode()
                data.append((key, self.s(encoded, f"config.oidc.{key}", node), self.eff.key_node(f"config.oidc.{key}")))
        self.obj("v1", "Secret", "config.oidc.secret.create", like, [
            ("metadata", self.m([("name", self.s(name, "config.oidc.secret.name", self.v("config.oidc.secret.name"))),
                                 ("namespace", self.s(self.namespace, "namespaceOverride", like))],
                                "config.oidc.secret.create", like)),
            ("type", self.s("Opaque", "config.oidc.secret.create", like)),
            ("data", self.m(data, "config.oidc", like)),
        ])

    def config_maps(self) -> None:
        """The plugin manager's config and the cluster inventory provider file (no security content)."""
        plugins = self.v("pluginsManager.enabled")
        if self.at_least("0.31.0") and truthy(plugins):
            key = "pluginsManager.configContent"
            content = self.v(key)
            self.obj("v1", "ConfigMap", "pluginsManager.enabled", plugins, [
                ("metadata", self.metadata(f"{self.fullname}-plugin-config", "pluginsManager.enabled", plugins)),
                ("data", self.m([(self.text("pluginsManager.configFile", "plugin.yml"),
                                  content if isinstance(content, ScalarNode) else self.s("", key))], key, content)),
            ])
        inventory = self.v("config.clusterInventory.enabled")
        if truthy(inventory):
            key = "config.clusterInventory.accessProvidersConfig"
            self.obj("v1", "ConfigMap", "config.clusterInventory.enabled", inventory, [
                ("metadata", self.metadata(f"{self.fullname}-cluster-inventory", "config.clusterInventory.enabled",
                                           inventory)),
                ("data", self.m([("config.json", self.v(key) or self.m([], key))], key, self.v(key))),
            ])

    def cluster_role_binding(self) -> None:
        create = self.v("clusterRoleBinding.create")
        if not truthy(create):
            return
        key = "clusterRoleBinding.create"
        role = self.v("clusterRoleBinding.clusterRoleName") if self.at_least("0.26.0") else None
        role_name = role.text if isinstance(role, ScalarNode) and role.value else "cluster-admin"
        sa_name, sa_like = self.service_account_name()
        subject_ns = self.namespace if self.at_least("0.3.0") else "kube-system"
        self.obj("rbac.authorization.k8s.io/v1", "ClusterRoleBinding", key, create, [
            ("metadata", self.m([("name", self.s(f"{self.fullname}-admin", key, create)),
                                 ("labels", self.labels(key, create)),
                                 self.nonempty("clusterRoleBinding.annotations")], key, create)),
            ("roleRef", self.m([("apiGroup", self.s("rbac.authorization.k8s.io", key, create)),
                                ("kind", self.s("ClusterRole", key, create)),
                                ("name", self.s(role_name, "clusterRoleBinding.clusterRoleName", role or create))],
                               key, create)),
            ("subjects", self.q([self.m([("kind", self.s("ServiceAccount", key, create)),
                                         ("name", self.s(sa_name, "serviceAccount.name", sa_like)),
                                         ("namespace", self.s(subject_ns, "namespaceOverride", create))],
                                        key, create)], key, create)),
        ])

    def service(self) -> None:
        type_node = self.v("service.type")
        stype = self.text("service.type", "ClusterIP")
        key = "service.type"
        exposed = stype in ("NodePort", "LoadBalancer")
        port_pairs: list[tuple] = [
            ("port", self.v("service.port") or self.s(80, "service.port")),
            ("targetPort", self.s("http", "service.port", self.v("service.port"))),
            ("protocol", self.s("TCP", "service.port", self.v("service.port"))),
            ("name", self.s("http", "service.port", self.v("service.port"))),
        ]
        if truthy(self.v("service.appProtocol")):
            port_pairs.append(self.pair("appProtocol", "service.appProtocol"))
        if exposed and truthy(self.v("service.nodePort")):
            port_pairs.append(self.pair("nodePort", "service.nodePort"))
        ports = [self.m(port_pairs, "service.port", self.v("service.port"))]
        extra = self.v("service.extraServicePorts")
        for item in extra.items if isinstance(extra, SeqNode) else ():
            if not isinstance(item, MapNode):
                continue
            number = item.get("port")
            pairs = [("name", item.get("name"), item.key("name")), ("port", number, item.key("port")),
                     ("targetPort", item.get("targetPort") or number, item.key("targetPort")),
                     ("protocol", item.get("protocol") or self.s("TCP", "service.extraServicePorts", item),
                      item.key("protocol"))]
            if exposed and truthy(item.get("nodePort")):
                pairs.append(("nodePort", item.get("nodePort"), item.key("nodePort")))
            ports.append(self.m(pairs, "service.extraServicePorts", item))
        spec: list[tuple] = [("type", type_node or self.s(stype, key))]
        for name in ("clusterIP", "loadBalancerIP"):
            spec.append(self.nonempty(f"service.{name}"))
        if stype == "LoadBalancer":
            spec.append(self.nonempty("service.loadBalancerSourceRanges"))
        if exposed:
            spec.append(self.nonempty("service.externalTrafficPolicy"))
        spec.append(self.nonempty("service.externalIPs"))
        spec += [("ports", self.q(ports, "service.port", self.v("service.port"))),
                 ("selector", self.selector_labels(key, type_node))]
        self.obj("v1", "Service", key, type_node, [
            ("metadata", self.metadata(self.fullname, key, type_node, annotations="service.annotations")),
            ("spec", self.m(spec, key, type_node)),
        ])

    # -- deployment --------------------------------------------------------

    def _fallback_context(self, key: str) -> Node | None:
        """The chart's own securityContext for an empty one (chart >= 0.36.0), at the user's null/{} if any."""
        if not self.at_least("0.36.0"):
            return None
        nulled = self.eff.nulled.get(key)
        like = nulled[0] if nulled else self.eff.key_node(key)
        if like is not None and like.source is not None and like.source.origin is Origin.CHART_DEFAULT:
            like = None
        span, _ = self.where(key, like)
        source = NodeSource(like.source.path if like is not None and like.source else self.eff.path,
                            Origin.CHART_DEFAULT, self.eff.prefix + key)
        holder = ScalarNode(None, span, "", source=source)
        return self.build(FALLBACK_SECURITY_CONTEXT, key, holder)

    def _context_entry(self, *keys: str) -> tuple[str, Node | None, Node | None]:
        """securityContext of a chart container: the first non-empty of ``keys``, else the chart fallback."""
        for key in keys:
            node = self.v(key)
            if truthy(node):
                return ("securityContext", node, self.eff.key_node(key))
        fallback = self._fallback_context(keys[-1])
        if fallback is not None:
            nulled = self.eff.nulled.get(keys[0])
            return ("securityContext", fallback, nulled[0] if nulled else None)
        node = self.v(keys[0])
        return ("securityContext", node, self.eff.key_node(keys[0]))

    def _read_only_root(self, context: Node | None) -> bool:
        return isinstance(context, MapNode) and truthy(context.get("readOnlyRootFilesystem"))

    def _mounts_tmp(self, mounts: Node | None) -> bool:
        if not isinstance(mounts, SeqNode):
            return False
        return any(isinstance(m, MapNode) and isinstance(m.get("mountPath"), ScalarNode)
                   and m.get("mountPath").text.rstrip("/") == "/tmp" for m in mounts.items)  # type: ignore[union-attr]

    def _env(self) -> tuple[list[Node], list[Node], dict[str, bool]]:
        """env and envFrom of the Headlamp container, and which OIDC settings are present."""
        env: list[Node] = []
        env_from: list[Node] = []
        present: dict[str, bool] = {}
        oidc = "config.oidc"
        external = truthy(self.v(f"{oidc}.externalSecret.enabled")) and self.at_least("0.22.0")
        user_env = self.v("env")
        user_names = {}
        if isinstance(user_env, SeqNode):
            for item in user_env.items:
                if isinstance(item, MapNode) and isinstance(item.get("name"), ScalarNode):
                    user_names[item.get("name").text] = item  # type: ignore[union-attr]
        if external:
            ext = self.v(f"{oidc}.externalSecret.name")
            env_from.append(self.m([("secretRef", self.m([("name", self.s(self.text(f"{oidc}.externalSecret.name"),
                                                                          f"{oidc}.externalSecret.name", ext))],
                                                         f"{oidc}.externalSecret.enabled",
                                                         self.v(f"{oidc}.externalSecret.enabled")))],
                                   f"{oidc}.externalSecret.enabled", self.v(f"{oidc}.externalSecret.enabled")))
            for key, env_name, _ in OIDC_SETTINGS[:3]:
                present[key] = True
            present["scopes"] = truthy(self.v(f"{oidc}.externalSecret.hasScopes")) or not self.at_least("0.43.0")
        elif self.at_least("0.13.0"):
            from_secret = not self.at_least("0.18.1") or truthy(self.v(f"{oidc}.secret.create"))
            secret_name = self.text(f"{oidc}.secret.name", "oidc")
            for key, env_name, _ in OIDC_SETTINGS:
                node = self.v(f"{oidc}.{key}")
                if not isinstance(node, ScalarNode) or not truthy(node) or (
                    key == "useAccessToken" and not self.at_least("0.31.0")
                ):
                    continue
                present[key] = True
                dotted = f"{oidc}.{key}"
                if from_secret:
                    ref = self.m([("name", self.s(secret_name, f"{oidc}.secret.name", node)),
                                  ("key", self.s(key, dotted, node))], dotted, node)
                    value = ("valueFrom", self.m([("secretKeyRef", ref)], dotted, node))
                else:
                    value = ("value", self.s(node.text, dotted, node))
                env.append(self.m([("name", self.s(env_name, dotted, node)), value], dotted, node))
        for key, env_name, _ in OIDC_SETTINGS:
            if env_name in user_names:
                present[key] = True
        static = self.v("config.staticPlugins.enabled")
        if static is not None and not truthy(static) and self.at_least("0.44.0"):
            env.append(self.m([("name", self.s("HEADLAMP_STATIC_PLUGINS_DIR", "config.staticPlugins.enabled", static)),
                               ("value", self.s("", "config.staticPlugins.enabled", static))],
                              "config.staticPlugins.enabled", static))
        if isinstance(user_env, SeqNode):
            env.extend(user_env.items)
        return env, env_from, present

    def _args(self, present: dict[str, bool]) -> list[Node]:
        args: list[Node] = []

        def flag(text: str, dotted: str) -> None:
            args.append(self.s(text, dotted, self.v(dotted)))

        in_cluster = truthy(self.v("config.inCluster")) if self.v("config.inCluster") is not None else True
        if in_cluster:
            flag("-in-cluster", "config.inCluster")
            if self.text("config.inClusterContextName"):
                flag(f"-in-cluster-context-name={self.text('config.inClusterContextName')}",
                     "config.inClusterContextName")
        if self.at_least("0.37.0") and truthy(self.v("config.enableHelm")):
            flag("-enable-helm", "config.enableHelm")
        if self.at_least("0.31.0") and truthy(self.v("config.watchPlugins")):
            flag("-watch-plugins-changes", "config.watchPlugins")
        if self.text("config.pluginsDir"):
            flag(f"-plugins-dir={self.text('config.pluginsDir')}", "config.pluginsDir")
        if self.v("config.sessionTTL") is not None and self.text("config.sessionTTL"):
            flag(f"-session-ttl={self.text('config.sessionTTL')}", "config.sessionTTL")
        if in_cluster and truthy(self.v("config.unsafeUseServiceAccountToken")):
            flag("-unsafe-use-service-account-token", "config.unsafeUseServiceAccountToken")
            if self.text("config.serviceAccountTokenPath"):
                flag(f"-service-account-token-path={self.text('config.serviceAccountTokenPath')}",
                     "config.serviceAccountTokenPath")
        for key, arg in (("podDebugImage", "-pod-debug-image"), ("nodeShellImage", "-node-shell-image"),
                         ("nodeShellNamespace", "-node-shell-namespace"), ("baseURL", "-base-url")):
            if self.text(f"config.{key}"):
                flag(f"{arg}={self.text(f'config.{key}')}", f"config.{key}")
        inventory = "config.clusterInventory"
        if truthy(self.v(f"{inventory}.enabled")):
            flag("-enable-cluster-inventory", f"{inventory}.enabled")
            flag("-cluster-inventory-provider-file=/etc/cluster-inventory/config.json", f"{inventory}.enabled")
            if self.text(f"{inventory}.labelSelector"):
                flag(f"-cluster-inventory-label-selector={self.text(f'{inventory}.labelSelector')}",
                     f"{inventory}.labelSelector")
            namespaces = self.v(f"{inventory}.namespaces")
            if isinstance(namespaces, SeqNode) and namespaces.items:
                joined = ",".join(i.text for i in namespaces.items if isinstance(i, ScalarNode))
                flag(f"-cluster-inventory-namespaces={joined}", f"{inventory}.namespaces")
            for key, arg in (("rootReconcileInterval", "-cluster-inventory-root-reconcile-interval"),
                             ("noCRDCacheTTL", "-cluster-inventory-no-crd-cache-ttl")):
                if self.text(f"{inventory}.{key}"):
                    flag(f"{arg}={self.text(f'{inventory}.{key}')}", f"{inventory}.{key}")
        oidc = "config.oidc"
        if not self.at_least("0.13.0"):
            # Charts before 0.13.0 put the OIDC values themselves into the args.
            for key, _, arg in OIDC_SETTINGS[:4]:
                if self.text(f"{oidc}.{key}"):
                    flag(f"{arg}={self.text(f'{oidc}.{key}')}", f"{oidc}.{key}")
        else:
            for key, env_name, arg in OIDC_SETTINGS:
                if not present.get(key):
                    continue
                if key == "useAccessToken" and self.text(f"{oidc}.{key}") == "false":
                    continue
                flag(f"{arg}=$({env_name})", f"{oidc}.{key}")
        if self.at_least("0.41.0") and truthy(self.v(f"{oidc}.useCookie")):
            flag("-oidc-use-cookie", f"{oidc}.useCookie")
        for key, arg in (("tlsCertPath", "-tls-cert-path"), ("tlsKeyPath", "-tls-key-path")):
            if self.text(f"config.{key}"):
                flag(f"{arg}={self.text(f'config.{key}')}", f"config.{key}")
        extra = self.v("config.extraArgs")
        if isinstance(extra, SeqNode):
            args.extend(extra.items)  # the user's own nodes: a flag parser locates them exactly
        return args

    def _probe(self, base_path: str, which: str) -> MapNode:
        scheme = self.v("probes.scheme")
        key = "probes.scheme"
        pairs: list[tuple] = [("httpGet", self.m([("path", self.s(base_path, "config.baseURL", self.v("config.baseURL"))),
                                                  ("port", self.s("http", key, scheme)),
                                                  ("scheme", scheme or self.s("HTTP", key))], key, scheme))]
        for name in ("initialDelaySeconds", "periodSeconds", "timeoutSeconds", "successThreshold", "failureThreshold"):
            node = self.v(f"probes.{which}.{name}")
            if isinstance(node, ScalarNode) and node.value is not None:
                pairs.append(self.pair(name, f"probes.{which}.{name}"))
        return self.m(pairs, key, scheme)

    def _image(self) -> ScalarNode:
        registry, repository = self.text("image.registry"), self.text("image.repository")
        tag = self.text("image.tag") or f"v{self.eff.release.app_version}"
        image = f"{registry}/{repository}:{tag}" if registry else f"{repository}:{tag}"
        for dotted in ("image.tag", "image.repository", "image.registry"):
            node = self.v(dotted)
            if node is not None and not self.eff.is_default(node):
                return self.s(image, dotted, node)
        return self.s(image, "image.tag")

    def deployment(self) -> None:
        key = ""
        like = None  # the Deployment is always rendered: findings about it point at line 1
        context = self._context_entry("securityContext")
        env, env_from, present = self._env()
        mounts: list[Node] = []
        volumes: list[Node] = []
        user_mounts = self.v("volumeMounts")
        if isinstance(user_mounts, SeqNode):
            mounts.extend(user_mounts.items)
        plugins = self.at_least("0.31.0") and truthy(self.v("pluginsManager.enabled"))
        enabled_like = self.v("pluginsManager.enabled")
        if plugins:
            mounts.append(self.m([("name", self.s("plugins-dir", "pluginsManager.enabled", enabled_like)),
                                  ("mountPath", self.s(self.text("config.pluginsDir", "/headlamp/plugins"),
                                                       "config.pluginsDir", enabled_like))],
                                 "pluginsManager.enabled", enabled_like))
        user_volumes = self.v("volumes")
        user_volume_names = set()
        if isinstance(user_volumes, SeqNode):
            for item in user_volumes.items:
                if isinstance(item, MapNode) and isinstance(item.get("name"), ScalarNode):
                    user_volume_names.add(item.get("name").text)  # type: ignore[union-attr]
        derived: list[Node] = []
        if self.at_least("0.42.0") and self._read_only_root(context[1]) and not self._mounts_tmp(user_mounts):
            rorf = context[1].get("readOnlyRootFilesystem")  # type: ignore[union-attr]
            mounts.append(self._derived(self.m([("name", self.s("headlamp-tmp", "", rorf)),
                                                ("mountPath", self.s("/tmp", "", rorf))], "", rorf)))
            if "headlamp-tmp" not in user_volume_names:
                derived.append(self._derived(self.m([("name", self.s("headlamp-tmp", "", rorf)),
                                                     ("emptyDir", self.m([], "", rorf))], "", rorf)))
        inventory = self.v("config.clusterInventory.enabled")
        if truthy(inventory):
            key = "config.clusterInventory.enabled"
            mounts.append(self.m([("name", self.s("cluster-inventory-config", key, inventory)),
                                  ("mountPath", self.s("/etc/cluster-inventory", key, inventory)),
                                  ("readOnly", self.s(True, key, inventory))], key, inventory))
            derived.append(self.m([("name", self.s("cluster-inventory-config", key, inventory)),
                                   ("configMap", self.m([("name", self.s(f"{self.fullname}-cluster-inventory", key,
                                                                         inventory)),
                                                         ("items", self.build([(("key", "config.json"),
                                                                                ("path", "config.json"))],
                                                                              key, inventory))], key, inventory))],
                                  key, inventory))
            # each access-provider plugin is an `image` volume, mounted read-only (FACTS.md §1.3)
            access_plugins = self.v("config.clusterInventory.plugins")
            for item in access_plugins.items if isinstance(access_plugins, SeqNode) else ():
                if not isinstance(item, MapNode):
                    continue
                name = item.get("name")
                mounts.append(self.m([("name", name), ("mountPath", item.get("mountPath")),
                                      ("readOnly", self.s(True, "config.clusterInventory.plugins", item))],
                                     "config.clusterInventory.plugins", item))
                derived.append(self.m([("name", name), ("image", self.m([("reference", item.get("image"))],
                                                                      "config.clusterInventory.plugins", item))],
                                      "config.clusterInventory.plugins", item))
        base_url = self.text("config.baseURL")
        container_pairs: list[tuple] = [
            ("name", self.s("headlamp", "image.repository", self.v("image.repository")
                            if not self.eff.is_default(self.v("image.repository")) else None)),
            context,
            ("image", self._image()),
            self.pair("imagePullPolicy", "image.pullPolicy"),
        ]
        if env_from:
            container_pairs.append(("envFrom", self.q(env_from, "config.oidc.externalSecret.enabled",
                                                       self.v("config.oidc.externalSecret.enabled"))))
        if env:
            container_pairs.append(("env", self.q(env, "env", self.v("env"))))
        container_pairs += [
            ("args", self.q(self._args(present), "")),
            ("ports", self.q([self.m([("name", self.s("http", "service.port")),
                                      ("containerPort", self.s(4466, "service.port")),
                                      ("protocol", self.s("TCP", "service.port"))], "service.port")],
                             "service.port")),
            ("livenessProbe", self._probe(f"{base_url}/", "livenessProbe")),
            ("readinessProbe", self._probe(f"{base_url}/", "readinessProbe")),
            self.pair("resources", "resources"),
        ]
        if mounts:
            container_pairs.append(("volumeMounts", self.q(mounts, "volumeMounts", self.v("volumeMounts"))))
        containers: list[Node] = [self.m(container_pairs, "")]
        if plugins:
            containers.append(self._plugin_manager(volumes))
        extra = self.v("extraContainers")
        if isinstance(extra, SeqNode):
            containers.extend(extra.items)
        if isinstance(user_volumes, SeqNode):
            volumes[:0] = user_volumes.items
        volumes.extend(derived)
        pod_pairs: list[tuple] = [
            self.nonempty("imagePullSecrets"),
            ("serviceAccountName", self.s(self.service_account_name()[0], "serviceAccount.name",
                                          self.service_account_name()[1])),
        ]
        if self.at_least("0.35.0"):
            pod_pairs.append(self.pair("automountServiceAccountToken", "automountServiceAccountToken"))
        if self.at_least("0.40.0"):
            pod_pairs.append(self.pair("hostUsers", "hostUsers"))
        pod_pairs.append(("securityContext", self.v("podSecurityContext"), self.eff.key_node("podSecurityContext")))
        pod_pairs.append(self.nonempty("initContainers"))
        pod_pairs.append(("containers", self.q(containers, "")))
        for name in ("nodeSelector", "affinity", "tolerations", "hostAliases", "priorityClassName"):
            pod_pairs.append(self.nonempty(name))
        pod_pairs.append(self._spread_constraints())
        if volumes:
            pod_pairs.append(("volumes", self.q(volumes, "volumes", self.v("volumes"))))
        template_labels = self.selector_labels(key, like)
        self._merge_into(template_labels, self.v("podLabels"))
        self.obj("apps/v1", "Deployment", "", like, [
            ("metadata", self.metadata(self.fullname, key, like, annotations="deploymentAnnotations")),
            ("spec", self.m([
                self.pair("replicas", "replicaCount"),
                ("selector", self.m([("matchLabels", self.selector_labels(key, like))], key, like)),
                ("template", self.m([
                    ("metadata", self.m([("labels", template_labels),
                                         ("annotations",) + self.nonempty("podAnnotations")[1:]], "", like)),
                    ("spec", self.m(pod_pairs, "")),
                ], key, like)),
            ], key, like)),
        ])

    def _spread_constraints(self) -> tuple:
        """topologySpreadConstraints, with the pod's selector labels where a constraint has no labelSelector."""
        entry = self.nonempty("topologySpreadConstraints")
        if not isinstance(entry[1], SeqNode):
            return entry
        items: list[Node] = []
        for item in entry[1].items:
            if isinstance(item, MapNode) and "labelSelector" not in item:
                filled = MapNode(list(item.entries), item.span, item.tag, item.flow, dict(item.index), item.source)
                selector = self.m([("matchLabels", self.selector_labels("topologySpreadConstraints", item))],
                                  "topologySpreadConstraints", item)
                key_node = ScalarNode("labelSelector", item.span, "labelSelector", source=item.source)
                filled.entries.append((key_node, selector))
                filled.index["labelSelector"] = (key_node, selector)
                item = filled
            items.append(item)
        return (entry[0], SeqNode(items, entry[1].span, source=entry[1].source), entry[2])

    def _derived(self, node: MapNode) -> MapNode:
        """Mark a node the chart derives from other values (the /tmp emptyDir)."""
        if node.source is not None:
            node.source = NodeSource(node.source.path, Origin.DERIVED, node.source.key)
        return node

    def _plugin_manager(self, volumes: list[Node]) -> MapNode:
        pm = "pluginsManager"
        like = self.v(f"{pm}.enabled")
        version = self.text(f"{pm}.version", "latest")
        config_file = self.text(f"{pm}.configFile", "plugin.yml")
        plugins_dir = self.text("config.pluginsDir", "/headlamp/plugins")
        script = (
            f'if [ -f "/config/{config_file}" ]; then\n'
            '  echo "Installing plugins from config..."\n'
            f"  cat /config/{config_file}\n"
            "  # Use a writable cache directory\n"
            "  export NPM_CONFIG_CACHE=/tmp/npm-cache\n"
            "  # Use a writable config directory\n"
            "  export NPM_CONFIG_USERCONFIG=/tmp/npm-userconfig\n"
            "  mkdir -p /tmp/npm-cache /tmp/npm-userconfig\n"
            f"  npx --yes @headlamp-k8s/pluginctl@{version} install --config /config/{config_file}"
            f" --folderName {plugins_dir} --watch\nfi\n"
        )
        context = (self._context_entry(f"{pm}.securityContext", "securityContext")
                   if self.at_least("0.36.0") else self.nonempty(f"{pm}.securityContext"))
        mounts: list[Node] = [
            self.m([("name", self.s("plugins-dir", f"{pm}.enabled", like)),
                    ("mountPath", self.s(plugins_dir, "config.pluginsDir", like))], f"{pm}.enabled", like),
            self.m([("name", self.s("plugin-config", f"{pm}.enabled", like)),
                    ("mountPath", self.s("/config", f"{pm}.enabled", like))], f"{pm}.enabled", like),
        ]
        user_mounts = self.v(f"{pm}.volumeMounts")
        if isinstance(user_mounts, SeqNode):
            mounts.extend(user_mounts.items)
        volumes.append(self.m([("name", self.s("plugins-dir", f"{pm}.enabled", like)),
                               ("emptyDir", self.m([], f"{pm}.enabled", like))], f"{pm}.enabled", like))
        volumes.append(self.m([("name", self.s("plugin-config", f"{pm}.enabled", like)),
                               ("configMap", self.m([("name", self.s(f"{self.fullname}-plugin-config",
                                                                     f"{pm}.enabled", like))], f"{pm}.enabled", like))],
                              f"{pm}.enabled", like))
        if self.at_least("0.42.0") and self._read_only_root(context[1]) and not self._mounts_tmp(user_mounts):
            rorf = context[1].get("readOnlyRootFilesystem")  # type: ignore[union-attr]
            mounts.append(self._derived(self.m([("name", self.s("headlamp-plugins-tmp", "", rorf)),
                                                ("mountPath", self.s("/tmp", "", rorf))], "", rorf)))
            volumes.append(self._derived(self.m([("name", self.s("headlamp-plugins-tmp", "", rorf)),
                                                 ("emptyDir", self.m([], "", rorf))], "", rorf)))
        base_image = self.v(f"{pm}.baseImage")
        return self.m([
            ("name", self.s("headlamp-plugin", f"{pm}.enabled", like)),
            ("image", self.s(self.text(f"{pm}.baseImage", "node:lts-alpine"), f"{pm}.baseImage", base_image)),
            ("command", self.build(["/bin/sh", "-c"], f"{pm}.enabled", like)),
            ("args", self.q([self.s(script, f"{pm}.version", self.v(f"{pm}.version"))], f"{pm}.version",
                            self.v(f"{pm}.version"))),
            self.nonempty(f"{pm}.env"),
            ("volumeMounts", self.q(mounts, f"{pm}.volumeMounts", user_mounts)),
            # unset, the chart renders `resources: null`: an absent field, missing under the values key
            self.pair("resources", f"{pm}.resources") if self.v(f"{pm}.resources") is not None
            else ("resources", self.m([], f"{pm}.resources")),
            context,
        ], f"{pm}.enabled", like)

    # -- exposure ----------------------------------------------------------

    def ingress(self) -> None:
        enabled = self.v("ingress.enabled")
        if not truthy(enabled):
            return
        key = "ingress.enabled"
        port = self.v("service.port")
        rules: list[Node] = []
        hosts = self.v("ingress.hosts")
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
                svc_name = self._tpl_text(name_node.text) if isinstance(name_node, ScalarNode) else self.fullname
                backend_port = port_node if isinstance(port_node, MapNode) else self.m(
                    [("number", port or self.s(80, "service.port"))], "service.port", port)
                paths.append(self.m([
                    ("path", path.get("path")),
                    ("pathType", path.get("type"), path.key("type")),
                    ("backend", self.m([("service", self.m([
                        ("name", self.s(svc_name, "ingress.hosts", name_node or path)),
                        ("port", backend_port)], "ingress.hosts", path))], "ingress.hosts", path)),
                ], "ingress.hosts", path))
            host_pairs: list[tuple] = []
            if host.get("host") is not None:
                host_pairs.append(("host", host.get("host"), host.key("host")))
            host_pairs.append(("http", self.m([("paths", self.q(paths, "ingress.hosts", host))], "ingress.hosts", host)))
            rules.append(self.m(host_pairs, "ingress.hosts", host))
        spec: list[tuple] = [self.nonempty("ingress.ingressClassName")]
        tls = self.v("ingress.tls")
        if truthy(tls):
            spec.append(("tls", tls, self.eff.key_node("ingress.tls")))
        spec.append(("rules", self.q(rules, "ingress.hosts", hosts)))
        self.obj("networking.k8s.io/v1", "Ingress", key, enabled, [
            ("metadata", self.metadata(self.fullname, key, enabled, annotations="ingress.annotations",
                                       labels="ingress.labels")),
            ("spec", self.m(spec, key, enabled)),
        ])

    def http_route(self) -> None:
        enabled = self.v("httpRoute.enabled")
        if not self.at_least("0.40.0") or not truthy(enabled):
            return
        key = "httpRoute.enabled"
        rules = self.v("httpRoute.rules")
        if not truthy(rules):
            rules = self.q([self.m([
                ("matches", self.build([(("path", (("type", "PathPrefix"), ("value", "/"))),)], key, enabled)),
                ("backendRefs", self.q([self.m([("name", self.s(self.fullname, key, enabled)),
                                                ("port", self.v("service.port") or self.s(80, "service.port"))],
                                               key, enabled)], key, enabled)),
            ], key, enabled)], key, enabled)
        self.obj("gateway.networking.k8s.io/v1", "HTTPRoute", key, enabled, [
            ("metadata", self.metadata(self.fullname, key, enabled, annotations="httpRoute.annotations",
                                       labels="httpRoute.labels")),
            ("spec", self.m([self.pair("parentRefs", "httpRoute.parentRefs"), self.nonempty("httpRoute.hostnames"),
                             ("rules", rules)], key, enabled)),
        ])

    def pdb(self) -> None:
        enabled = self.v("podDisruptionBudget.enabled")
        if not self.at_least("0.36.0") or not truthy(enabled):
            return
        key = "podDisruptionBudget.enabled"
        self.obj("policy/v1", "PodDisruptionBudget", key, enabled, [
            ("metadata", self.metadata(self.fullname, key, enabled)),
            ("spec", self.m([self.nonempty("podDisruptionBudget.minAvailable"),
                             self.nonempty("podDisruptionBudget.maxUnavailable"),
                             self.nonempty("podDisruptionBudget.unhealthyPodEvictionPolicy"),
                             ("selector", self.m([("matchLabels", self.selector_labels(key, enabled))], key, enabled))],
                            key, enabled)),
        ])

    # -- extraManifests ----------------------------------------------------

    def _tpl_text(self, text: str) -> str:
        """``tpl`` for the expressions the chart's users write; UnsupportedTemplate for anything else."""

        def one(match: re.Match) -> str:
            expr = match.group(1).strip()
            if expr in (".Release.Name", "$.Release.Name"):
                return self.release_name
            if expr in (".Release.Namespace", "$.Release.Namespace"):
                return self.release_namespace
            ref = _VALUES_REF.match(expr)
            if ref:
                node = self.v(ref.group(1)[1:])
                if isinstance(node, ScalarNode):
                    return "" if node.value is None else node.text
                if node is None:
                    return ""
            raise UnsupportedTemplate(match.group(0))

        return _TEMPLATE.sub(one, text)

    def extra_manifests(self) -> None:
        items = self.v("extraManifests")
        if not isinstance(items, SeqNode):
            return
        for item in items.items:
            path = item.source.path if item.source is not None else self.eff.path
            extra = ExtraManifest(path, Location(path, item.span))
            self.out.extra_manifests.append(extra)
            if isinstance(item, ScalarNode) and isinstance(item.value, str):
                self._extra_text(item, extra)
            elif isinstance(item, MapNode):
                try:
                    extra.roots.append(self._tpl_tree(item))
                except UnsupportedTemplate as exc:
                    extra.template_problem = str(exc)
            else:
                extra.problems.append(("HL003", extra.location,
                                       "each extraManifests item should be a mapping or a string of YAML"))

    def _tpl_tree(self, node: Node) -> Node:
        """A copy of ``node`` with template expressions in its strings substituted (``tpl (toYaml .)``)."""
        if isinstance(node, ScalarNode):
            if isinstance(node.value, str) and "{{" in node.value:
                text = self._tpl_text(node.value)
                return ScalarNode(text, node.span, text, node.tag, True, node.source)
            return node
        if isinstance(node, SeqNode):
            return SeqNode([self._tpl_tree(i) for i in node.items], node.span, node.tag, node.flow, node.source)
        out = MapNode([], node.span, node.tag, node.flow, source=node.source)
        for k, v in node.entries:
            copied = self._tpl_tree(v)
            out.entries.append((k, copied))
            out.index[k.value] = (k, copied)
        return out

    def _extra_text(self, item: ScalarNode, extra: ExtraManifest) -> None:
        try:
            text = self._tpl_text(item.value)  # type: ignore[arg-type]
        except UnsupportedTemplate as exc:
            extra.template_problem = str(exc)
            return
        line_offset, column_offset = self._block_offset(item, extra.path)
        loaded = load(text)

        def moved(span: Span) -> Span:
            if line_offset is None:
                return item.span
            return Span(span.line + line_offset, span.column + column_offset,
                        span.end_line + line_offset, span.end_column + column_offset)

        for problem in loaded.problems:
            extra.problems.append((problem.rule, Location(extra.path, moved(problem.span)), problem.message))
        for doc in loaded.documents:
            for problem in doc.problems:
                extra.problems.append((problem.rule, Location(extra.path, moved(problem.span)), problem.message))
            if doc.root is None:
                continue
            for node in walk(doc.root):
                node.span = moved(node.span)
            if isinstance(doc.root, MapNode) and "apiVersion" in doc.root and "kind" in doc.root:
                extra.roots.append(doc.root)
            elif not (isinstance(doc.root, ScalarNode) and doc.root.value is None):
                extra.others.append(Location(extra.path, doc.root.span))

    def _block_offset(self, item: ScalarNode, path: str) -> tuple[int | None, int]:
        """For a literal block scalar (``- |``), where its content starts in the file; else None."""
        text = self.texts.get(path)
        if text is None or not _is_literal_block(text, item):
            return None, 0
        lines = text.splitlines()
        start = item.span.line  # the indicator line (1-based); content starts on the next one
        for index in range(start, min(len(lines), item.span.end_line)):
            line = lines[index]
            if line.strip():
                indent = len(line) - len(line.lstrip(" "))
                return start, indent
        return None, 0


def _is_literal_block(text: str, item: ScalarNode) -> bool:
    """A ``|`` block keeps its lines as written, so positions inside it map back to the file."""
    lines = text.splitlines()
    if not 0 < item.span.line <= len(lines):
        return False
    return lines[item.span.line - 1][item.span.column - 1:].lstrip().startswith("|")


class UnsupportedTemplate(Exception):
    """A template expression the linter cannot evaluate without Helm."""


def render(eff: Effective, release_name: str, namespace: str, texts: dict[str, str]) -> Rendered:
    renderer = Renderer(eff, release_name, namespace, texts)
    out = renderer.render()
    out.problems.extend(eff.problems)
    return out
