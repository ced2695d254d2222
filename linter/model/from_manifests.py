"""Build model objects and workloads from Kubernetes manifests.

All Kubernetes knowledge about where pod specs live and how container
settings inherit from the pod is here, once; rules only read the result.
"""

from __future__ import annotations

from dataclasses import replace

from linter.located import Located, Location, Origin
from linter.model.headlamp import ContainerSignals, Recogniser
from linter.model.nodes import FieldReader, key_location
from linter.model.objects import CLUSTER_SCOPED_KINDS, SUPPRESSION_ANNOTATION, K8sObject
from linter.model.rbac import ServiceAccount
from linter.model.workloads import (
    CONTAINER,
    EPHEMERAL_CONTAINER,
    INIT_CONTAINER,
    Container,
    ContainerPort,
    ContainerSecurity,
    EnvFrom,
    EnvVar,
    PodSecurity,
    PodSpec,
    Probe,
    Resources,
    Sysctl,
    UnplacedContainers,
    Volume,
    VolumeMount,
    Workload,
)
from linter.yamlpos import MapNode, ScalarNode, SeqNode

# kind -> path from the object to its pod spec mapping (the last key is the spec)
POD_SPEC_PATHS: dict[str, tuple[str, ...]] = {
    "Pod": ("spec",),
    "Deployment": ("spec", "template", "spec"),
    "StatefulSet": ("spec", "template", "spec"),
    "DaemonSet": ("spec", "template", "spec"),
    "ReplicaSet": ("spec", "template", "spec"),
    "ReplicationController": ("spec", "template", "spec"),
    "Job": ("spec", "template", "spec"),
    "CronJob": ("spec", "jobTemplate", "spec", "template", "spec"),
    "PodTemplate": ("template", "spec"),
}

# (API group, kind) -> path to the pod spec, for workload kinds of projects other than Kubernetes.
# Argo Rollouts (argoproj.io/v1alpha1 Rollout), OpenShift (apps.openshift.io/v1 DeploymentConfig, and the
# legacy group-less v1), Knative Serving (serving.knative.dev/v1 Service and Configuration: the
# revision template), KEDA (keda.sh/v1alpha1 ScaledJob: a Job spec under jobTargetRef).
EXTRA_POD_SPEC_PATHS: dict[tuple[str, str], tuple[str, ...]] = {
    ("argoproj.io", "Rollout"): ("spec", "template", "spec"),
    ("apps.openshift.io", "DeploymentConfig"): ("spec", "template", "spec"),
    ("", "DeploymentConfig"): ("spec", "template", "spec"),
    ("serving.knative.dev", "Service"): ("spec", "template", "spec"),
    ("serving.knative.dev", "Configuration"): ("spec", "template", "spec"),
    ("keda.sh", "ScaledJob"): ("spec", "jobTargetRef", "template", "spec"),
}
GENERIC_POD_SPEC_PATH = ("spec", "template", "spec")  # any other kind whose spec.template.spec.containers is a list
# Kinds that are never workloads and are not searched for containers (a CRD's schema is large).
_NOT_SEARCHED = frozenset(("CustomResourceDefinition", "ConfigMap", "Secret", "List"))
_SEARCH_DEPTH = 10

APPARMOR_ANNOTATION_PREFIX = "container.apparmor.security.beta.kubernetes.io/"

IsHeadlamp = Recogniser  # the engine's HeadlampMatcher; values files wrap it


def make_object(
    reader: FieldReader, node: MapNode, doc_index: int, default_namespace: str = "default"
) -> K8sObject | None:
    """A K8sObject for ``node`` if it has apiVersion and kind, else None."""
    api_version = reader.string(node, "apiVersion")
    kind = reader.string(node, "kind")
    if not api_version or not kind:
        return None
    metadata = reader.mapping(node, "metadata")
    name = reader.string(metadata, "name") or reader.string(metadata, "generateName") or "(unnamed)"
    namespace: str | None = reader.string(metadata, "namespace")
    namespace_node = metadata.get("namespace") if metadata is not None and namespace else None
    if kind in CLUSTER_SCOPED_KINDS:
        namespace = None
    elif not namespace:
        namespace = default_namespace
    kind_key = node.key("kind")
    location = reader.location(kind_key) if kind_key is not None else reader.location(node)
    return K8sObject(
        api_version=api_version,
        kind=kind,
        name=name,
        namespace=namespace,
        labels=reader.string_map(metadata, "labels", "metadata.labels"),
        annotations=reader.string_map(metadata, "annotations", "metadata.annotations"),
        path=reader.path,
        location=location,
        origin=reader.origin,
        doc_index=doc_index,
        api_version_location=reader.location(node.get("apiVersion")),  # type: ignore[arg-type]
        suppression_location=_suppression_location(reader, metadata),
        namespace_location=reader.location(namespace_node) if namespace_node is not None else None,
    )


def _suppression_location(reader: FieldReader, metadata: MapNode | None) -> Location | None:
    """Where the suppression annotation's value is written (its values file for a rendered object)."""
    annotations = metadata.get("annotations") if metadata is not None else None
    value = annotations.get(SUPPRESSION_ANNOTATION) if isinstance(annotations, MapNode) else None
    if not isinstance(value, ScalarNode):
        return None
    return Location(value.source.path if value.source is not None else reader.path, value.span)


def build_service_account(reader: FieldReader, obj: K8sObject, node: MapNode) -> ServiceAccount | None:
    if obj.kind != "ServiceAccount":
        return None
    automount = reader.fact(node, "automountServiceAccountToken", "automountServiceAccountToken", obj.location, bool)
    return ServiceAccount(obj, automount)


def pod_spec_path(kind: str, group: str, root: MapNode) -> tuple[str, ...] | None:
    """Where the pod spec of an object (``root``, of this kind and API group) is: its kind's path, or
    for a kind we do not know, ``spec.template.spec`` when its ``containers`` is a list; None for
    objects without one. The model and the fixes both find pod specs here."""
    path = POD_SPEC_PATHS.get(kind) or EXTRA_POD_SPEC_PATHS.get((group, kind))
    if path is not None:
        return path
    node: object = root
    for step in GENERIC_POD_SPEC_PATH + ("containers",):
        node = node.get(step) if isinstance(node, MapNode) else None
    return GENERIC_POD_SPEC_PATH if isinstance(node, SeqNode) else None


def is_known_workload_kind(obj: K8sObject) -> bool:
    return obj.kind in POD_SPEC_PATHS or (obj.group, obj.kind) in EXTRA_POD_SPEC_PATHS


def find_containers(reader: FieldReader, obj: K8sObject, root: MapNode) -> UnplacedContainers | None:
    """In an object that is not a workload: the first ``containers`` list of container-like mappings
    (``name`` and a concrete ``image``), with its dotted path; None when there is none."""
    if obj.kind in _NOT_SEARCHED:
        return None
    todo: list[tuple[object, str, int]] = [(root, "", 0)]
    while todo:
        node, path, depth = todo.pop()
        if depth > _SEARCH_DEPTH:
            continue
        if isinstance(node, MapNode):
            for key, value in reversed(node.entries):
                here = f"{path}.{key.text}" if path else key.text
                if key.text == "containers" and isinstance(value, SeqNode) and _container_like(value):
                    return UnplacedContainers(obj, here, reader.location(key))
                todo.append((value, here, depth + 1))
        elif isinstance(node, SeqNode):
            for number, item in reversed(list(enumerate(node.items))):
                todo.append((item, f"{path}[{number}]", depth + 1))
    return None


def _container_like(seq: SeqNode) -> bool:
    for item in seq.items:
        if not isinstance(item, MapNode):
            return False
        name, image = item.get("name"), item.get("image")
        if not (isinstance(name, ScalarNode) and isinstance(image, ScalarNode) and isinstance(image.value, str)):
            return False
        if any(c in image.value for c in "*?!{"):  # a policy's pattern (Kyverno) or a placeholder, not an image
            return False
    return bool(seq.items)


def build_workload(reader: FieldReader, obj: K8sObject, root: MapNode, is_headlamp: IsHeadlamp) -> Workload | None:
    """The pod spec of a workload object (``root`` is its mapping), or None if the kind has none."""
    path = pod_spec_path(obj.kind, obj.group, root)
    if path is None:
        return None
    node: MapNode | None = root
    parent: MapNode | None = None
    labels: dict[str, str] = obj.labels
    annotations_node: MapNode | None = reader.mapping(root, "metadata")
    for step in path:
        parent = node
        node = reader.mapping(node, step)
        if node is None:
            return None
        if step == "template":
            template_meta = reader.mapping(node, "metadata")
            labels = reader.string_map(template_meta, "labels", "template.metadata.labels")
            annotations_node = template_meta
    assert parent is not None and node is not None
    anchor = key_location(reader, parent, path[-1], obj.location)
    pod = build_pod_spec(reader, node, anchor, labels, annotations_node, is_headlamp, obj.labels)
    return Workload(obj, pod)


def _annotations(reader: FieldReader, metadata: MapNode | None) -> dict[str, Located]:
    node = reader.mapping(metadata, "annotations")
    out: dict[str, Located] = {}
    if node is None:
        return out
    for key, value in node.entries:
        if isinstance(value, ScalarNode):
            out[key.text] = reader.located("" if value.value is None else value.text, value, key.text)
        else:
            reader.wrong(value, f"annotations.{key.text}", "a string")
    return out


def build_pod_spec(
    reader: FieldReader,
    spec: MapNode,
    anchor: Location,
    labels: dict[str, str],
    metadata: MapNode | None,
    is_headlamp: IsHeadlamp,
    object_labels: dict[str, str] | None = None,
) -> PodSpec:
    pod_sc = reader.mapping(spec, "securityContext")
    pod_sc_anchor = key_location(reader, spec, "securityContext", anchor)
    pod_security = _pod_security(reader, pod_sc, pod_sc_anchor)
    annotations = _annotations(reader, metadata)

    containers: list[Container] = []
    for key, role in (
        ("initContainers", INIT_CONTAINER),
        ("containers", CONTAINER),
        ("ephemeralContainers", EPHEMERAL_CONTAINER),
    ):
        for index, item in enumerate(reader.maps_in(reader.sequence(spec, key), key)):
            container = _container(reader, item, role, pod_sc, annotations)
            containers.append(_recognised(container, role == CONTAINER and index == 0, labels,
                                          labels if object_labels is None else object_labels, is_headlamp))

    volumes = []
    for item in reader.maps_in(reader.sequence(spec, "volumes"), "volumes"):
        name = reader.string(item, "name") or "(unnamed)"
        host_path = reader.mapping(item, "hostPath")
        vol_anchor = key_location(reader, item, "name", reader.location(item))
        host = (
            reader.fact(host_path, "path", "hostPath.path", key_location(reader, item, "hostPath", vol_anchor), str)
            if host_path is not None
            else Located(None, vol_anchor, Origin.MISSING, "hostPath")
        )
        if host_path is not None and host.value is None:
            host = reader.located("", item.key("hostPath"), "hostPath")  # type: ignore[arg-type]
        object_kind, object_name, items = _volume_object(reader, item)
        volumes.append(Volume(name, vol_anchor, host, "emptyDir" in item, object_kind, object_name, items))

    return PodSpec(
        anchor=anchor,
        labels=labels,
        annotations=annotations,
        service_account_name=reader.fact(spec, "serviceAccountName", "serviceAccountName", anchor, str),
        automount_service_account_token=reader.fact(
            spec, "automountServiceAccountToken", "automountServiceAccountToken", anchor, bool
        ),
        host_network=reader.fact(spec, "hostNetwork", "hostNetwork", anchor, bool),
        host_pid=reader.fact(spec, "hostPID", "hostPID", anchor, bool),
        host_ipc=reader.fact(spec, "hostIPC", "hostIPC", anchor, bool),
        host_users=reader.fact(spec, "hostUsers", "hostUsers", anchor, bool),
        volumes=tuple(volumes),
        security=pod_security,
        containers=tuple(containers),
    )


def _recognised(container: Container, first: bool, pod_labels: dict[str, str], object_labels: dict[str, str],
                is_headlamp: IsHeadlamp) -> Container:
    """The container with what recognition (``linter.model.headlamp``) says of it."""
    signals = ContainerSignals(
        image=container.image.value,
        name=container.name,
        first=first,
        command=tuple(str(c.value) for c in container.command),
        args=tuple(str(a.value) for a in container.args),
        env_names=tuple(var.name for var in container.env),
        object_labels=object_labels,
        pod_labels=pod_labels,
    )
    recognition = is_headlamp(signals)
    if recognition is None:
        return container
    return replace(
        container,
        is_headlamp=recognition.headlamp,
        recognised_by=recognition.reason if recognition.headlamp else "",
        looks_like_headlamp=recognition.reason if recognition.weak else "",
    )


def with_images(workload: Workload, images: dict[int, tuple[Located, Located | None]],
                is_headlamp: IsHeadlamp) -> Workload:
    """``workload`` with the images of some containers (by index in ``pod.containers``) replaced, as a
    transformer over the manifest sets them (a kustomization's ``images:``): ``(image, name)``, ``name``
    where the image's name is written when not at ``image``. Each replaced container is recognised
    again from its new image and the same other signals."""
    containers = list(workload.pod.containers)
    first = next((n for n, c in enumerate(containers) if c.role == CONTAINER), -1)
    for index, (image, name) in images.items():
        fresh = replace(containers[index], image=image, image_name=name, is_headlamp=False, recognised_by="",
                        looks_like_headlamp="")
        containers[index] = _recognised(fresh, index == first, workload.pod.labels, workload.obj.labels,
                                        is_headlamp)
    return replace(workload, pod=replace(workload.pod, containers=tuple(containers)))


def _volume_object(reader: FieldReader, item: MapNode) -> tuple[str, str, tuple[tuple[str, str], ...]]:
    """A secret (``secret.secretName``) or configMap (``configMap.name``) volume: kind, name and items."""
    for kind, name_key in (("secret", "secretName"), ("configMap", "name")):
        source = reader.mapping(item, kind)
        if source is None:
            continue
        items = tuple(
            (reader.string(entry, "key") or "", reader.string(entry, "path") or "")
            for entry in reader.maps_in(reader.sequence(source, "items", f"{kind}.items"), f"{kind}.items")
        )
        return kind, reader.string(source, name_key) or "", items
    return "", "", ()


def _pod_security(reader: FieldReader, sc: MapNode | None, anchor: Location) -> PodSecurity:
    groups = []
    group_seq = reader.sequence(sc, "supplementalGroups", "securityContext.supplementalGroups")
    for item in group_seq.items if group_seq is not None else ():
        if isinstance(item, ScalarNode) and isinstance(item.value, int) and not isinstance(item.value, bool):
            groups.append(reader.located(item.value, item, "securityContext.supplementalGroups"))
        elif not (isinstance(item, ScalarNode) and item.value is None):
            reader.wrong(item, "each item of securityContext.supplementalGroups", "an integer")
    sysctls = []
    for item in reader.maps_in(reader.sequence(sc, "sysctls", "securityContext.sysctls"), "securityContext.sysctls"):
        name = reader.string(item, "name")
        if name:
            sysctls.append(Sysctl(name, reader.string(item, "value") or "", reader.location(item)))
    return PodSecurity(
        fs_group=reader.fact(sc, "fsGroup", "securityContext.fsGroup", anchor, int),
        supplemental_groups=tuple(groups),
        sysctls=tuple(sysctls),
        run_as_group=reader.fact(sc, "runAsGroup", "securityContext.runAsGroup", anchor, int),
        anchor=anchor,
        host_process=_host_process(reader, sc, anchor),
    )


def _host_process(reader: FieldReader, sc: MapNode | None, anchor: Location) -> Located:
    windows = reader.mapping(sc, "windowsOptions", "securityContext.windowsOptions")
    return reader.fact(windows, "hostProcess", "securityContext.windowsOptions.hostProcess", anchor, bool)


def _inherit(container_fact: Located, pod_fact: Located) -> Located:
    if container_fact.value is not None:
        return container_fact
    if pod_fact.value is not None:
        return pod_fact
    return container_fact


def _container(
    reader: FieldReader,
    node: MapNode,
    role: str,
    pod_sc: MapNode | None,
    pod_annotations: dict[str, Located],
) -> Container:
    name = reader.string(node, "name") or "(unnamed)"
    anchor = key_location(reader, node, "name", reader.location(node))
    sc = reader.mapping(node, "securityContext")
    sc_anchor = key_location(reader, node, "securityContext", anchor)
    pod_anchor = sc_anchor

    def both(key: str, expect: type) -> Located:
        own = reader.fact_at(node, f"securityContext.{key}", f"securityContext.{key}", sc_anchor, expect)
        inherited = reader.fact(pod_sc, key, f"securityContext.{key}", pod_anchor, expect)
        return _inherit(own, inherited)

    def profile_type(field: str) -> Located:
        own_profile = reader.mapping(sc, field, f"securityContext.{field}")
        pod_profile = reader.mapping(pod_sc, field, f"securityContext.{field}")
        own = reader.fact_at(
            node if own_profile is None else own_profile,
            f"securityContext.{field}.type" if own_profile is None else "type",
            f"securityContext.{field}.type",
            key_location(reader, sc, field, sc_anchor),
            str,
        )
        inherited = reader.fact(pod_profile, "type", f"securityContext.{field}.type", sc_anchor, str)
        return _inherit(own, inherited)

    capabilities = reader.mapping(sc, "capabilities", "securityContext.capabilities")
    caps_anchor = key_location(reader, sc, "capabilities", sc_anchor)

    def cap_list(key: str) -> tuple[Located, ...]:
        return reader.string_items(capabilities, key, f"securityContext.capabilities.{key}", skip_null=True)

    drop_key = "securityContext.capabilities.drop"
    drop_node = capabilities.key("drop") if capabilities is not None else None
    if drop_node is not None:
        drop = reader.located(tuple(cap.value for cap in cap_list("drop")), drop_node, drop_key)
    else:
        drop = reader.missing_at(node if capabilities is None else capabilities,
                                 drop_key if capabilities is None else "drop", drop_key, caps_anchor)

    apparmor = profile_type("appArmorProfile")
    annotation = pod_annotations.get(APPARMOR_ANNOTATION_PREFIX + name)
    if apparmor.value is None and annotation is not None:
        apparmor = Located(
            "Unconfined" if annotation.value == "unconfined" else annotation.value,
            annotation.location,
            annotation.origin,
            APPARMOR_ANNOTATION_PREFIX + name,
        )

    security = ContainerSecurity(
        run_as_non_root=both("runAsNonRoot", bool),
        run_as_user=both("runAsUser", int),
        run_as_group=both("runAsGroup", int),
        privileged=reader.fact_at(node, "securityContext.privileged", "securityContext.privileged", sc_anchor, bool),
        allow_privilege_escalation=reader.fact_at(node, "securityContext.allowPrivilegeEscalation", "securityContext.allowPrivilegeEscalation", sc_anchor, bool),
        read_only_root_filesystem=reader.fact_at(node, "securityContext.readOnlyRootFilesystem", "securityContext.readOnlyRootFilesystem", sc_anchor, bool),
        capabilities_add=cap_list("add"),
        capabilities_drop=drop,
        seccomp_type=profile_type("seccompProfile"),
        apparmor_type=apparmor,
        proc_mount=reader.fact_at(node, "securityContext.procMount", "securityContext.procMount", sc_anchor, str),
        anchor=sc_anchor,
        host_process=_host_process(reader, sc, sc_anchor),
    )

    resources_node = reader.mapping(node, "resources")
    res_anchor = key_location(reader, node, "resources", anchor)
    limits = reader.mapping(resources_node, "limits", "resources.limits")
    requests = reader.mapping(resources_node, "requests", "resources.requests")
    limits_anchor = key_location(reader, resources_node, "limits", res_anchor)
    requests_anchor = key_location(reader, resources_node, "requests", res_anchor)
    resources = Resources(
        cpu_request=reader.fact_at(node if requests is None else requests, "resources.requests.cpu" if requests is None else "cpu", "resources.requests.cpu", requests_anchor),
        memory_request=reader.fact_at(node if requests is None else requests, "resources.requests.memory" if requests is None else "memory", "resources.requests.memory", requests_anchor),
        memory_limit=reader.fact_at(node if limits is None else limits, "resources.limits.memory" if limits is None else "memory", "resources.limits.memory", limits_anchor),
        cpu_limit=reader.fact_at(node if limits is None else limits, "resources.limits.cpu" if limits is None else "cpu", "resources.limits.cpu", limits_anchor),
    )

    image = reader.fact(node, "image", "image", anchor, str)
    return Container(
        name=name,
        role=role,
        anchor=anchor,
        image=image,
        command=reader.string_items(node, "command", "command"),
        args=reader.string_items(node, "args", "args"),
        env=_env(reader, node),
        env_from=_env_from(reader, node),
        ports=_ports(reader, node),
        volume_mounts=_mounts(reader, node),
        security=security,
        resources=resources,
        resources_anchor=res_anchor,
        probes=_probes(reader, node),
    )


def _probes(reader: FieldReader, node: MapNode) -> tuple[Probe, ...]:
    out = []
    for kind in ("livenessProbe", "readinessProbe", "startupProbe"):
        probe = reader.mapping(node, kind)
        http_get = reader.mapping(probe, "httpGet", f"{kind}.httpGet")
        if http_get is None:
            continue
        anchor = key_location(reader, probe, "httpGet", reader.location(http_get))
        out.append(Probe(kind, reader.fact(http_get, "scheme", f"{kind}.httpGet.scheme", anchor, str)))
    return tuple(out)


def _env(reader: FieldReader, node: MapNode) -> tuple[EnvVar, ...]:
    out = []
    for item in reader.maps_in(reader.sequence(node, "env"), "env"):
        name = reader.string(item, "name")
        if not name:
            continue
        location = key_location(reader, item, "name", reader.location(item))
        value = reader.fact(item, "value", "value", location, str)
        if "value" in item and value.value is None:
            value = reader.located("", item.get("value"), "value")  # type: ignore[arg-type]
        written = item.get("value")
        if isinstance(written, ScalarNode) and isinstance(written.value, (bool, int, float)):
            reader.not_a_string(written, f"env {name} value")
        source = source_name = source_key = None
        value_from = reader.mapping(item, "valueFrom", "env.valueFrom")
        if value_from is not None:
            for kind in ("secretKeyRef", "configMapKeyRef", "fieldRef", "resourceFieldRef"):
                ref = reader.mapping(value_from, kind, f"env.valueFrom.{kind}")
                if ref is not None:
                    source = kind
                    source_name = reader.string(ref, "name")
                    source_key = reader.string(ref, "key")
                    break
        out.append(EnvVar(name, location, value, source, source_name, source_key))
    return tuple(out)


def _env_from(reader: FieldReader, node: MapNode) -> tuple[EnvFrom, ...]:
    out = []
    for item in reader.maps_in(reader.sequence(node, "envFrom"), "envFrom"):
        prefix = reader.string(item, "prefix") or ""
        for kind in ("secretRef", "configMapRef"):
            ref = reader.mapping(item, kind, f"envFrom.{kind}")
            if ref is not None:
                out.append(EnvFrom(kind, reader.string(ref, "name") or "", prefix, reader.location(item)))
    return tuple(out)


def _ports(reader: FieldReader, node: MapNode) -> tuple[ContainerPort, ...]:
    out = []
    for item in reader.maps_in(reader.sequence(node, "ports"), "ports"):
        location = reader.location(item)
        out.append(
            ContainerPort(
                name=reader.string(item, "name"),
                container_port=reader.fact(item, "containerPort", "containerPort", location),
                host_port=reader.fact(item, "hostPort", "hostPort", location, int),
                location=location,
            )
        )
    return tuple(out)


def _mounts(reader: FieldReader, node: MapNode) -> tuple[VolumeMount, ...]:
    out = []
    for item in reader.maps_in(reader.sequence(node, "volumeMounts"), "volumeMounts"):
        location = reader.location(item)
        read_only = reader.fact(item, "readOnly", "volumeMounts.readOnly", location, bool)
        out.append(
            VolumeMount(
                name=reader.string(item, "name") or "",
                mount_path=reader.string(item, "mountPath") or "",
                read_only=read_only.value is True,
                location=reader.location(item),
                sub_path=reader.string(item, "subPath") or "",
            )
        )
    return tuple(out)
