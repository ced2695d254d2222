"""``charts/headlamp/templates/deployment.yaml``: the Headlamp Deployment (server container, plugin manager).

Also encodes the Deployment-only helpers of ``_helpers.tpl``
(``headlamp.readOnlyRootFilesystem``, ``headlamp.tmpVolumeContext``, chart 0.42.0).

Chart versions (every release that changed the template):
0.1.0 added it, OIDC values as args; 0.8.0 ``initContainers``, ``volumes``,
``volumeMounts``, ``-plugins-dir`` from ``config.pluginsDir``; 0.13.0 OIDC
env from the chart Secret; 0.14.0 probes under ``config.baseURL``; 0.18.1
env from plain values unless ``config.oidc.secret.create``; 0.18.2 the
user's ``env``; 0.22.0 ``config.oidc.externalSecret``; 0.23.0 its
``envFrom`` beside (not instead of) the env; 0.28.0 ``env`` outside the OIDC
block; 0.30.1 ``-in-cluster`` only with ``config.inCluster``; 0.31.0 the
plugin manager sidecar, ``-watch-plugins-changes``, ``useAccessToken`` and
the validator settings; 0.31.1 validator settings from the user's env too;
0.32.1 the plugin manager installs with ``pluginctl``; 0.35.0
``automountServiceAccountToken``; 0.36.0 the securityContext fallback;
0.37.0 ``-enable-helm``; 0.38.0 ``-oidc-use-pkce`` and ``priorityClassName``;
0.39.0 ``podLabels`` through ``tpl``; 0.40.0 ``hostUsers``; 0.40.1
``-session-ttl``; 0.41.0 ``-oidc-use-cookie``; 0.42.0 the ``/tmp`` emptyDir
for a read-only root filesystem; 0.43.0 the cluster inventory and
``externalSecret.hasScopes``; 0.44.0 ``config.staticPlugins``; 0.45.0
``-cluster-inventory-namespaces``.
"""

from __future__ import annotations

from linter.located import NodeSource, Origin
from linter.values.templates import _helpers, tpl
from linter.values.templates.context import Context, truthy
from linter.values.templates.gotext import node_text, reread
from linter.values.templates.secret import OIDC_SETTINGS
from linter.model.nodes import type_name
from linter.yamlpos import MapNode, Node, ScalarNode, SeqNode

TEMPLATE = "deployment.yaml"

# The container securityContext the chart uses when `securityContext` is empty or null (chart >= 0.36.0).
FALLBACK_SECURITY_CONTEXT = (
    ("allowPrivilegeEscalation", False),
    ("runAsNonRoot", True),
    ("seccompProfile", (("type", "RuntimeDefault"),)),
    ("capabilities", (("drop", ["ALL"]),)),
)


def _fallback_context(ctx: Context, key: str) -> Node | None:
    """The chart's own securityContext for an empty one (chart >= 0.36.0), at the user's null/{} if any."""
    if not ctx.at_least("0.36.0"):
        return None
    nulled = ctx.eff.nulled.get(key)
    like = nulled[0] if nulled else ctx.eff.key_node(key)
    if like is not None and like.source is not None and like.source.origin is Origin.CHART_DEFAULT:
        like = None
    span, _ = ctx.where(key, like)
    source = NodeSource(like.source.path if like is not None and like.source else ctx.eff.path,
                        Origin.CHART_DEFAULT, ctx.eff.prefix + key)
    holder = ScalarNode(None, span, "", source=source)
    return ctx.build(FALLBACK_SECURITY_CONTEXT, key, holder)


def _context_entry(ctx: Context, *keys: str) -> tuple[str, Node | None, Node | None]:
    """securityContext of a chart container: the first non-empty of ``keys``, else the chart fallback."""
    for key in keys:
        node = ctx.v(key)
        if truthy(node):
            return ("securityContext", node, ctx.eff.key_node(key))
    fallback = _fallback_context(ctx, keys[-1])
    if fallback is not None:
        nulled = ctx.eff.nulled.get(keys[0])
        return ("securityContext", fallback, nulled[0] if nulled else None)
    node = ctx.v(keys[0])
    return ("securityContext", node, ctx.eff.key_node(keys[0]))


def _read_only_root(context: Node | None) -> bool:
    return isinstance(context, MapNode) and truthy(context.get("readOnlyRootFilesystem"))


def _mounts_tmp(mounts: Node | None) -> bool:
    if not isinstance(mounts, SeqNode):
        return False
    return any(isinstance(m, MapNode) and isinstance(m.get("mountPath"), ScalarNode)
               and m.get("mountPath").text.rstrip("/") == "/tmp" for m in mounts.items)  # type: ignore[union-attr]


# OIDC args the chart renders only from a release on (FACTS.md §1.3; the template's history).
_OIDC_ARG_SINCE = {
    "callbackURL": "0.35.0",
    "validatorClientID": "0.31.0",
    "validatorIssuerURL": "0.31.0",
    "useAccessToken": "0.31.0",
    "usePKCE": "0.38.0",
    "meUserInfoURL": "0.37.0",
}
# Values the chart writes into the env with `| quote`; the others are printed unquoted.
_QUOTED_ENV = frozenset(("useAccessToken", "usePKCE"))


def _user_env(user_env: Node | None) -> dict[str, str | None]:
    """The user's env by name: its literal value as the chart's ``range $env`` reads it (None: valueFrom)."""
    out: dict[str, str | None] = {}
    for item in user_env.items if isinstance(user_env, SeqNode) else ():
        if isinstance(item, MapNode) and isinstance(item.get("name"), ScalarNode):
            value = item.get("value")
            out[item.get("name").text] = node_text(value) if isinstance(value, ScalarNode) else None  # type: ignore[union-attr]
    return out


def _oidc_args_present(ctx: Context, external: bool, user: dict[str, str | None]) -> dict[str, bool]:
    """Which ``-oidc-*`` args the chart renders (``$(VAR)`` references), per chart version and mode."""
    oidc = "config.oidc"
    present: dict[str, bool] = {}
    env_counts = ctx.at_least("0.22.0")  # the template reads the user's env for these from 0.22.0 on

    def from_env(env_name: str, wanted: str | None = None) -> bool:
        if not env_counts or env_name not in user:
            return False
        value = user[env_name]
        return value is None or (value == wanted if wanted is not None else value != "")

    for key, env_name, _ in OIDC_SETTINGS:
        since = _OIDC_ARG_SINCE.get(key)
        if since is not None and not ctx.at_least(since):
            continue
        text = ctx.text(f"{oidc}.{key}")
        if key == "usePKCE" or (key == "useAccessToken" and external):
            present[key] = text == "true" or from_env(env_name, "true")
        elif external and key in ("clientID", "clientSecret", "issuerURL"):
            present[key] = True
        elif external and key == "scopes":
            present[key] = truthy(ctx.v(f"{oidc}.externalSecret.hasScopes")) or not ctx.at_least("0.43.0")
        elif external and key.startswith("validator") and not ctx.at_least("0.31.1"):
            present[key] = True
        elif key == "useAccessToken":
            node = ctx.v(f"{oidc}.{key}")
            present[key] = (truthy(node) and text != "false") or from_env(env_name)
        else:
            present[key] = text != "" or from_env(env_name)
    return present


def _env(ctx: Context) -> tuple[list[Node], list[Node], dict[str, bool]]:
    """env and envFrom of the Headlamp container, and which OIDC args the chart renders."""
    env: list[Node] = []
    env_from: list[Node] = []
    oidc = "config.oidc"
    external = truthy(ctx.v(f"{oidc}.externalSecret.enabled")) and ctx.at_least("0.22.0")
    user_env = ctx.v("env")
    if external:
        ext = ctx.v(f"{oidc}.externalSecret.name")
        env_from.append(ctx.m([("secretRef", ctx.m([("name", ctx.s(ctx.text(f"{oidc}.externalSecret.name"),
                                                                      f"{oidc}.externalSecret.name", ext))],
                                                     f"{oidc}.externalSecret.enabled",
                                                     ctx.v(f"{oidc}.externalSecret.enabled")))],
                               f"{oidc}.externalSecret.enabled", ctx.v(f"{oidc}.externalSecret.enabled")))
    elif ctx.at_least("0.13.0"):
        from_secret = not ctx.at_least("0.18.1") or truthy(ctx.v(f"{oidc}.secret.create"))
        secret_name = ctx.text(f"{oidc}.secret.name", "oidc")
        for key, env_name, _ in OIDC_SETTINGS:
            node = ctx.v(f"{oidc}.{key}")
            if not isinstance(node, ScalarNode) or not truthy(node):
                continue
            dotted = f"{oidc}.{key}"
            if from_secret:
                ref = ctx.m([("name", ctx.s(secret_name, f"{oidc}.secret.name", node)),
                             ("key", ctx.s(key, dotted, node))], dotted, node)
                value = ("valueFrom", ctx.m([("secretKeyRef", ref)], dotted, node))
            elif key in _QUOTED_ENV:
                value = ("value", ctx.s(node_text(node), dotted, node))
            else:  # `value: {{ $oidc.x }}`: printed unquoted, a number or boolean stays one
                printed = reread(node_text(node), node)
                if isinstance(printed, ScalarNode) and not isinstance(printed.value, str):
                    ctx.problem("HL009", node,
                                f"{dotted} is printed unquoted into env {env_name} (value: {printed.raw}), which is"
                                f" then {type_name(printed)}, not a string: Kubernetes rejects the Deployment;"
                                " quoting it in the values does not help: keep it in the chart's Secret"
                                f" ({oidc}.secret.create: true) or an external one ({oidc}.externalSecret)")
                    printed = ScalarNode(printed.raw, printed.span, printed.raw, quoted=True, source=printed.source)
                value = ("value", printed)
            env.append(ctx.m([("name", ctx.s(env_name, dotted, node)), value], dotted, node))
    present = _oidc_args_present(ctx, external, _user_env(user_env)) if ctx.at_least("0.13.0") else {}
    # From 0.23.0 to 0.27.x the externalSecret branch renders envFrom alone: the user's env is dropped.
    keeps_user_env = not external or ctx.at_least("0.28.0") or not ctx.at_least("0.23.0")
    if isinstance(user_env, SeqNode) and keeps_user_env:
        env.extend(user_env.items)
    static = ctx.v("config.staticPlugins.enabled")
    if static is not None and not truthy(static) and ctx.at_least("0.44.0"):
        env.append(ctx.m([("name", ctx.s("HEADLAMP_STATIC_PLUGINS_DIR", "config.staticPlugins.enabled", static)),
                          ("value", ctx.s("", "config.staticPlugins.enabled", static))],
                         "config.staticPlugins.enabled", static))
    return env, env_from, present


def _args(ctx: Context, present: dict[str, bool]) -> list[Node]:
    args: list[Node] = []

    def flag(text: str, dotted: str) -> None:
        args.append(ctx.s(text, dotted, ctx.v(dotted)))

    in_cluster = truthy(ctx.v("config.inCluster")) if ctx.v("config.inCluster") is not None else True
    if in_cluster:
        flag("-in-cluster", "config.inCluster")
        if ctx.text("config.inClusterContextName"):
            flag(f"-in-cluster-context-name={ctx.text('config.inClusterContextName')}",
                 "config.inClusterContextName")
    if ctx.at_least("0.37.0") and truthy(ctx.v("config.enableHelm")):
        flag("-enable-helm", "config.enableHelm")
    if ctx.at_least("0.31.0") and truthy(ctx.v("config.watchPlugins")):
        flag("-watch-plugins-changes", "config.watchPlugins")
    if ctx.text("config.pluginsDir"):
        flag(f"-plugins-dir={ctx.text('config.pluginsDir')}", "config.pluginsDir")
    if ctx.v("config.sessionTTL") is not None:  # `hasKey`: an empty value renders `-session-ttl=`
        flag(f"-session-ttl={ctx.text('config.sessionTTL')}", "config.sessionTTL")
    if in_cluster and truthy(ctx.v("config.unsafeUseServiceAccountToken")):
        flag("-unsafe-use-service-account-token", "config.unsafeUseServiceAccountToken")
        if ctx.text("config.serviceAccountTokenPath"):
            flag(f"-service-account-token-path={ctx.text('config.serviceAccountTokenPath')}",
                 "config.serviceAccountTokenPath")
    for key, arg in (("podDebugImage", "-pod-debug-image"), ("nodeShellImage", "-node-shell-image"),
                     ("nodeShellNamespace", "-node-shell-namespace"), ("baseURL", "-base-url")):
        if ctx.text(f"config.{key}"):
            flag(f"{arg}={ctx.text(f'config.{key}')}", f"config.{key}")
    inventory = "config.clusterInventory"
    if truthy(ctx.v(f"{inventory}.enabled")):
        flag("-enable-cluster-inventory", f"{inventory}.enabled")
        flag("-cluster-inventory-provider-file=/etc/cluster-inventory/config.json", f"{inventory}.enabled")
        if ctx.text(f"{inventory}.labelSelector"):
            flag(f"-cluster-inventory-label-selector={ctx.text(f'{inventory}.labelSelector')}",
                 f"{inventory}.labelSelector")
        namespaces = ctx.v(f"{inventory}.namespaces")
        if isinstance(namespaces, SeqNode) and namespaces.items:
            joined = ",".join(i.text for i in namespaces.items if isinstance(i, ScalarNode))
            flag(f"-cluster-inventory-namespaces={joined}", f"{inventory}.namespaces")
        for key, arg in (("rootReconcileInterval", "-cluster-inventory-root-reconcile-interval"),
                         ("noCRDCacheTTL", "-cluster-inventory-no-crd-cache-ttl")):
            if ctx.text(f"{inventory}.{key}"):
                flag(f"{arg}={ctx.text(f'{inventory}.{key}')}", f"{inventory}.{key}")
    oidc = "config.oidc"
    if not ctx.at_least("0.13.0"):
        # Charts before 0.13.0 put the OIDC values themselves into the args.
        for key, _, arg in OIDC_SETTINGS[:4]:
            if ctx.text(f"{oidc}.{key}"):
                flag(f"{arg}={ctx.text(f'{oidc}.{key}')}", f"{oidc}.{key}")
    else:
        external = truthy(ctx.v(f"{oidc}.externalSecret.enabled")) and ctx.at_least("0.22.0")
        for key, env_name, arg in OIDC_SETTINGS:
            if present.get(key):
                # in externalSecret mode the chart always renders these: the user's `enabled` key makes them
                always = external and key in ("clientID", "clientSecret", "issuerURL", "scopes")
                source = f"{oidc}.{key}"
                if always:
                    source = f"{oidc}.externalSecret.hasScopes" if key == "scopes" and ctx.at_least("0.43.0") \
                        else f"{oidc}.externalSecret.enabled"
                flag(f"{arg}=$({env_name})", source)
            elif key in present and not ctx.eff.is_default(ctx.v(f"{oidc}.{key}")):
                # the user's own value keeps the flag out (usePKCE: false): say so at their key
                workload = f"Deployment {_helpers.namespace(ctx)}/{_helpers.fullname(ctx)}"
                ctx.out.flag_hints.append((workload, arg.lstrip("-"), ctx.v(f"{oidc}.{key}")))
    if ctx.at_least("0.41.0") and truthy(ctx.v(f"{oidc}.useCookie")):
        flag("-oidc-use-cookie", f"{oidc}.useCookie")
    for key, arg in (("tlsCertPath", "-tls-cert-path"), ("tlsKeyPath", "-tls-key-path")):
        if ctx.text(f"config.{key}"):
            flag(f"{arg}={ctx.text(f'config.{key}')}", f"config.{key}")
    extra = ctx.v("config.extraArgs")
    if isinstance(extra, SeqNode):
        args.extend(extra.items)  # the user's own nodes: a flag parser locates them exactly
    return args


def _probe(ctx: Context, base_path: str, which: str) -> MapNode:
    scheme = ctx.v("probes.scheme")
    key = "probes.scheme"
    pairs: list[tuple] = [("httpGet", ctx.m([("path", ctx.s(base_path, "config.baseURL", ctx.v("config.baseURL"))),
                                              ("port", ctx.s("http", key, scheme)),
                                              ("scheme", scheme or ctx.s("HTTP", key))], key, scheme))]
    for name in ("initialDelaySeconds", "periodSeconds", "timeoutSeconds", "successThreshold", "failureThreshold"):
        node = ctx.v(f"probes.{which}.{name}")
        if isinstance(node, ScalarNode) and node.value is not None:
            pairs.append(ctx.pair(name, f"probes.{which}.{name}"))
    return ctx.m(pairs, key, scheme)


def _image(ctx: Context) -> ScalarNode:
    registry, repository = ctx.text("image.registry"), ctx.text("image.repository")
    tag = ctx.text("image.tag") or f"v{ctx.eff.release.app_version}"
    image = f"{registry}/{repository}:{tag}"  # an empty registry still gets its slash: "/ghcr.io/…"
    workload = f"Deployment {_helpers.namespace(ctx)}/{_helpers.fullname(ctx)}"
    # The version is image.tag, else the chart's appVersion (a chart default to override with image.tag).
    tag_node = ctx.v("image.tag")
    version_node = tag_node if truthy(tag_node) and not ctx.eff.is_default(tag_node) else ctx.s(image, "image.tag")
    ctx.out.image_parts.append((workload, "headlamp", "version", image, version_node))
    ctx.out.image_parts.append((workload, "headlamp", "registry", image, _registry_node(ctx, image)))
    for dotted in ("image.tag", "image.repository", "image.registry"):
        node = ctx.v(dotted)
        if node is not None and not ctx.eff.is_default(node):
            return ctx.s(image, dotted, node)
    return ctx.s(image, "image.tag")


def _registry_node(ctx: Context, image: str) -> Node:
    """The key that names the image's registry: a repository that holds one (doubled), the registry, a default."""
    repository, registry = ctx.v("image.repository"), ctx.v("image.registry")
    first = ctx.text("image.repository").split("/", 1)[0]
    if not ctx.eff.is_default(repository) and ("." in first or ":" in first or first == "localhost"):
        return repository  # type: ignore[return-value]
    for node in (registry, repository):
        if node is not None and not ctx.eff.is_default(node):
            return node
    return ctx.s(image, "image.registry")


def render(ctx: Context) -> None:
    key = ""
    like = None  # the Deployment is always rendered: findings about it point at line 1
    context = _context_entry(ctx, "securityContext")
    env, env_from, present = _env(ctx)
    mounts: list[Node] = []
    volumes: list[Node] = []
    user_mounts = ctx.v("volumeMounts")
    if isinstance(user_mounts, SeqNode):
        mounts.extend(user_mounts.items)
    plugins = ctx.at_least("0.31.0") and truthy(ctx.v("pluginsManager.enabled"))
    enabled_like = ctx.v("pluginsManager.enabled")
    if plugins:
        mounts.append(ctx.m([("name", ctx.s("plugins-dir", "pluginsManager.enabled", enabled_like)),
                              ("mountPath", ctx.s(ctx.text("config.pluginsDir", "/headlamp/plugins"),
                                                   "config.pluginsDir", enabled_like))],
                             "pluginsManager.enabled", enabled_like))
    user_volumes = ctx.v("volumes")
    user_volume_names = set()
    if isinstance(user_volumes, SeqNode):
        for item in user_volumes.items:
            if isinstance(item, MapNode) and isinstance(item.get("name"), ScalarNode):
                user_volume_names.add(item.get("name").text)  # type: ignore[union-attr]
    derived: list[Node] = []
    if ctx.at_least("0.42.0") and _read_only_root(context[1]) and not _mounts_tmp(user_mounts):
        rorf = context[1].get("readOnlyRootFilesystem")  # type: ignore[union-attr]
        mounts.append(_derived(ctx.m([("name", ctx.s("headlamp-tmp", "", rorf)),
                                            ("mountPath", ctx.s("/tmp", "", rorf))], "", rorf)))
        if "headlamp-tmp" not in user_volume_names:
            derived.append(_derived(ctx.m([("name", ctx.s("headlamp-tmp", "", rorf)),
                                                 ("emptyDir", ctx.m([], "", rorf))], "", rorf)))
    inventory = ctx.v("config.clusterInventory.enabled")
    if truthy(inventory):
        key = "config.clusterInventory.enabled"
        mounts.append(ctx.m([("name", ctx.s("cluster-inventory-config", key, inventory)),
                              ("mountPath", ctx.s("/etc/cluster-inventory", key, inventory)),
                              ("readOnly", ctx.s(True, key, inventory))], key, inventory))
        derived.append(ctx.m([("name", ctx.s("cluster-inventory-config", key, inventory)),
                               ("configMap", ctx.m([("name", ctx.s(f"{_helpers.fullname(ctx)}-cluster-inventory", key,
                                                                     inventory)),
                                                     ("items", ctx.build([(("key", "config.json"),
                                                                            ("path", "config.json"))],
                                                                          key, inventory))], key, inventory))],
                              key, inventory))
        # each access-provider plugin is an `image` volume, mounted read-only (FACTS.md §1.3)
        access_plugins = ctx.v("config.clusterInventory.plugins")
        for item in access_plugins.items if isinstance(access_plugins, SeqNode) else ():
            if not isinstance(item, MapNode):
                continue
            name = item.get("name")
            mounts.append(ctx.m([("name", name), ("mountPath", item.get("mountPath")),
                                  ("readOnly", ctx.s(True, "config.clusterInventory.plugins", item))],
                                 "config.clusterInventory.plugins", item))
            derived.append(ctx.m([("name", name), ("image", ctx.m([("reference", item.get("image"))],
                                                                  "config.clusterInventory.plugins", item))],
                                  "config.clusterInventory.plugins", item))
    base_url = ctx.text("config.baseURL")
    container_pairs: list[tuple] = [
        ("name", ctx.s("headlamp", "image.repository", ctx.v("image.repository")
                        if not ctx.eff.is_default(ctx.v("image.repository")) else None)),
        context,
        ("image", _image(ctx)),
        ctx.pair("imagePullPolicy", "image.pullPolicy"),
    ]
    if env_from:
        container_pairs.append(("envFrom", ctx.q(env_from, "config.oidc.externalSecret.enabled",
                                                   ctx.v("config.oidc.externalSecret.enabled"))))
    if env:
        container_pairs.append(("env", ctx.q(env, "env", ctx.v("env"))))
    container_pairs += [
        ("args", ctx.q(_args(ctx, present), "")),
        ("ports", ctx.q([ctx.m([("name", ctx.s("http", "service.port")),
                                  ("containerPort", ctx.s(4466, "service.port")),
                                  ("protocol", ctx.s("TCP", "service.port"))], "service.port")],
                         "service.port")),
        ("livenessProbe", _probe(ctx, f"{base_url}/", "livenessProbe")),
        ("readinessProbe", _probe(ctx, f"{base_url}/", "readinessProbe")),
        ctx.pair("resources", "resources"),
    ]
    if mounts:
        container_pairs.append(("volumeMounts", ctx.q(mounts, "volumeMounts", ctx.v("volumeMounts"))))
    containers: list[Node] = [ctx.m(container_pairs, "")]
    if plugins:
        containers.append(_plugin_manager(ctx, volumes))
    extra = ctx.v("extraContainers")
    if isinstance(extra, SeqNode):
        containers.extend(extra.items)
    if isinstance(user_volumes, SeqNode):
        volumes[:0] = user_volumes.items
    volumes.extend(derived)
    pod_pairs: list[tuple] = [
        ctx.nonempty("imagePullSecrets"),
        ("serviceAccountName", ctx.s(_helpers.service_account_name(ctx)[0], "serviceAccount.name",
                                      _helpers.service_account_name(ctx)[1])),
    ]
    if ctx.at_least("0.35.0"):
        pod_pairs.append(ctx.printed("automountServiceAccountToken", "automountServiceAccountToken"))
    if ctx.at_least("0.40.0"):
        pod_pairs.append(ctx.printed("hostUsers", "hostUsers"))
    pod_pairs.append(("securityContext", ctx.v("podSecurityContext"), ctx.eff.key_node("podSecurityContext")))
    pod_pairs.append(ctx.nonempty("initContainers"))
    pod_pairs.append(("containers", ctx.q(containers, "")))
    for name in ("nodeSelector", "affinity", "tolerations", "hostAliases", "priorityClassName"):
        pod_pairs.append(ctx.nonempty(name))
    pod_pairs.append(_spread_constraints(ctx))
    if volumes:
        pod_pairs.append(("volumes", ctx.q(volumes, "volumes", ctx.v("volumes"))))
    template_labels = _helpers.selector_labels(ctx, key, like)
    _pod_labels(ctx, template_labels)
    ctx.obj("apps/v1", "Deployment", "", like, [
        ("metadata", _helpers.metadata(ctx, _helpers.fullname(ctx), key, like, annotations="deploymentAnnotations")),
        ("spec", ctx.m([
            ctx.printed("replicas", "replicaCount"),
            ("selector", ctx.m([("matchLabels", _helpers.selector_labels(ctx, key, like))], key, like)),
            ("template", ctx.m([
                ("metadata", ctx.m([("labels", template_labels),
                                     ("annotations",) + ctx.nonempty("podAnnotations")[1:]], "", like)),
                ("spec", ctx.m(pod_pairs, "")),
            ], key, like)),
        ], key, like)),
    ])


def _pod_labels(ctx: Context, labels: MapNode) -> None:
    """``podLabels`` after the selector labels (chart >= 0.36.0), through ``tpl`` from 0.39.0.

    The chart writes both: a podLabels key that repeats a selector label is a
    duplicate key in the rendered pod template (the last one wins).
    """
    pod_labels = ctx.v("podLabels")
    if not isinstance(pod_labels, MapNode):
        return
    for key_node, value in pod_labels.entries:
        if ctx.at_least("0.39.0") and isinstance(value, ScalarNode) and isinstance(value.value, str) \
                and "{{" in value.value:
            done = tpl.render(ctx, value.value)
            for problem in done.unsupported:
                ctx.unsupported(value, f"podLabels.{key_node.text}", problem.expression, problem.reason)
            value = ScalarNode(done.text, value.span, done.text, value.tag, True, value.source)
        earlier = labels.index.get(key_node.value)
        if earlier is not None:
            before, after = node_text(earlier[1]), node_text(value)
            consequence = ("" if before == after else
                           f", and the Deployment's selector ({key_node.text}={before}) no longer matches its pods")
            ctx.problem("HL004", key_node,
                        f"podLabels.{key_node.text} repeats a label the chart already sets on the pods: the rendered"
                        f" pod template has the key twice and the last one ({after}) wins{consequence}")
        labels.entries.append((key_node, value))
        labels.index[key_node.value] = (key_node, value)


def _spread_constraints(ctx: Context) -> tuple:
    """topologySpreadConstraints, with the pod's selector labels where a constraint has no labelSelector."""
    entry = ctx.nonempty("topologySpreadConstraints")
    if not isinstance(entry[1], SeqNode):
        return entry
    items: list[Node] = []
    for item in entry[1].items:
        if isinstance(item, MapNode) and "labelSelector" not in item:
            filled = MapNode(list(item.entries), item.span, item.tag, item.flow, dict(item.index), item.source)
            selector = ctx.m([("matchLabels", _helpers.selector_labels(ctx, "topologySpreadConstraints", item))],
                              "topologySpreadConstraints", item)
            key_node = ScalarNode("labelSelector", item.span, "labelSelector", source=item.source)
            filled.entries.append((key_node, selector))
            filled.index["labelSelector"] = (key_node, selector)
            item = filled
        items.append(item)
    return (entry[0], SeqNode(items, entry[1].span, source=entry[1].source), entry[2])


def _derived(node: MapNode) -> MapNode:
    """Mark a node the chart derives from other values (the /tmp emptyDir)."""
    if node.source is not None:
        node.source = NodeSource(node.source.path, Origin.DERIVED, node.source.key)
    return node


def _plugin_manager(ctx: Context, volumes: list[Node]) -> MapNode:
    pm = "pluginsManager"
    like = ctx.v(f"{pm}.enabled")
    version = ctx.text(f"{pm}.version", "latest")
    config_file = ctx.text(f"{pm}.configFile", "plugin.yml")
    plugins_dir = ctx.text("config.pluginsDir", "/headlamp/plugins")
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
    context = (_context_entry(ctx, f"{pm}.securityContext", "securityContext")
               if ctx.at_least("0.36.0") else ctx.nonempty(f"{pm}.securityContext"))
    mounts: list[Node] = [
        ctx.m([("name", ctx.s("plugins-dir", f"{pm}.enabled", like)),
                ("mountPath", ctx.s(plugins_dir, "config.pluginsDir", like))], f"{pm}.enabled", like),
        ctx.m([("name", ctx.s("plugin-config", f"{pm}.enabled", like)),
                ("mountPath", ctx.s("/config", f"{pm}.enabled", like))], f"{pm}.enabled", like),
    ]
    user_mounts = ctx.v(f"{pm}.volumeMounts")
    if isinstance(user_mounts, SeqNode):
        mounts.extend(user_mounts.items)
    volumes.append(ctx.m([("name", ctx.s("plugins-dir", f"{pm}.enabled", like)),
                           ("emptyDir", ctx.m([], f"{pm}.enabled", like))], f"{pm}.enabled", like))
    volumes.append(ctx.m([("name", ctx.s("plugin-config", f"{pm}.enabled", like)),
                           ("configMap", ctx.m([("name", ctx.s(f"{_helpers.fullname(ctx)}-plugin-config",
                                                                 f"{pm}.enabled", like))], f"{pm}.enabled", like))],
                          f"{pm}.enabled", like))
    if ctx.at_least("0.42.0") and _read_only_root(context[1]) and not _mounts_tmp(user_mounts):
        rorf = context[1].get("readOnlyRootFilesystem")  # type: ignore[union-attr]
        mounts.append(_derived(ctx.m([("name", ctx.s("headlamp-plugins-tmp", "", rorf)),
                                            ("mountPath", ctx.s("/tmp", "", rorf))], "", rorf)))
        volumes.append(_derived(ctx.m([("name", ctx.s("headlamp-plugins-tmp", "", rorf)),
                                             ("emptyDir", ctx.m([], "", rorf))], "", rorf)))
    base_image = ctx.v(f"{pm}.baseImage")
    return ctx.m([
        ("name", ctx.s("headlamp-plugin", f"{pm}.enabled", like)),
        ("image", ctx.s(ctx.text(f"{pm}.baseImage", "node:lts-alpine"), f"{pm}.baseImage", base_image)),
        ("command", ctx.build(["/bin/sh", "-c"], f"{pm}.enabled", like)),
        ("args", ctx.q([ctx.s(script, f"{pm}.version", ctx.v(f"{pm}.version"))], f"{pm}.version",
                        ctx.v(f"{pm}.version"))),
        ctx.nonempty(f"{pm}.env"),
        ("volumeMounts", ctx.q(mounts, f"{pm}.volumeMounts", user_mounts)),
        # unset, the chart renders `resources: null`: an absent field, missing under the values key
        ctx.pair("resources", f"{pm}.resources") if ctx.v(f"{pm}.resources") is not None
        else ("resources", ctx.m([], f"{pm}.resources")),
        context,
    ], f"{pm}.enabled", like)
