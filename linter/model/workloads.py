"""Workloads, pods and containers with their effective security settings.

Every field is a ``Located`` fact. Effective values follow Kubernetes:
a container's ``securityContext`` overrides the pod's for the fields both
can set; a field the pod sets and the container does not is inherited.
"""

from __future__ import annotations

from linter.located import Located, Location
from linter.model.objects import K8sObject
from linter.records import record

CONTAINER = "container"
INIT_CONTAINER = "initContainer"
EPHEMERAL_CONTAINER = "ephemeralContainer"


@record(frozen=True, slots=True)
class EnvVar:
    name: str
    location: Location  # the `- name:` entry
    value: Located  # literal value (MISSING when valueFrom is used)
    source: str | None = None  # "secretKeyRef", "configMapKeyRef", "fieldRef", "resourceFieldRef"
    source_name: str | None = None  # the Secret or ConfigMap name
    source_key: str | None = None


@record(frozen=True, slots=True)
class EnvFrom:
    kind: str  # "secretRef" | "configMapRef"
    name: str
    prefix: str
    location: Location


@record(frozen=True, slots=True)
class ContainerPort:
    name: str | None
    container_port: Located
    host_port: Located
    location: Location


@record(frozen=True, slots=True)
class VolumeMount:
    name: str
    mount_path: str
    read_only: bool
    location: Location
    sub_path: str = ""


@record(frozen=True, slots=True)
class Probe:
    """An httpGet probe: which one, and its scheme (HTTP when unset)."""

    kind: str  # "livenessProbe", "readinessProbe", "startupProbe"
    scheme: Located  # MISSING at the httpGet key when unset (Kubernetes' default is HTTP)


@record(frozen=True, slots=True)
class ContainerSecurity:
    """Effective security settings of one container (pod values inherited)."""

    run_as_non_root: Located
    run_as_user: Located
    run_as_group: Located
    privileged: Located
    allow_privilege_escalation: Located
    read_only_root_filesystem: Located
    capabilities_add: tuple[Located, ...]  # one fact per list item
    capabilities_drop: Located  # the whole list: a tuple of names, or None when absent
    seccomp_type: Located
    apparmor_type: Located
    proc_mount: Located
    anchor: Location  # the container's securityContext key, or its `- name:` line
    # securityContext.windowsOptions.hostProcess written on the container itself (the pod's is PodSecurity's)
    host_process: Located | None = None


@record(frozen=True, slots=True)
class Resources:
    cpu_request: Located
    memory_request: Located
    memory_limit: Located
    cpu_limit: Located


@record(frozen=True, slots=True)
class Container:
    name: str
    role: str  # CONTAINER, INIT_CONTAINER or EPHEMERAL_CONTAINER
    anchor: Location  # the `- name:` line of the container
    image: Located
    command: tuple[Located, ...]
    args: tuple[Located, ...]
    env: tuple[EnvVar, ...]
    env_from: tuple[EnvFrom, ...]
    ports: tuple[ContainerPort, ...]
    volume_mounts: tuple[VolumeMount, ...]
    security: ContainerSecurity
    resources: Resources
    resources_anchor: Location
    is_headlamp: bool = False
    sidecar_of_headlamp: bool = False  # e.g. the chart's plugin manager
    recognised_by: str = ""  # why it is Headlamp (linter.model.headlamp.HeadlampMatcher), for --debug and json
    looks_like_headlamp: str = ""  # only weakly similar to Headlamp (not linted as Headlamp): why
    probes: tuple[Probe, ...] = ()  # httpGet probes only
    # Where the image's name (registry and repository) is written when not where ``image`` is blamed: a
    # kustomization's images[].newName (``image`` is then at the entry's newTag or digest, or the manifest).
    image_name: Located | None = None


@record(frozen=True, slots=True)
class Volume:
    name: str
    location: Location
    host_path: Located  # the hostPath.path, MISSING if not a hostPath volume
    empty_dir: bool
    # A secret or configMap volume: "secret" / "configMap", the object's name, and its items (key, path);
    # no items: every key is a file of that name.
    object_kind: str = ""
    object_name: str = ""
    items: tuple[tuple[str, str], ...] = ()


@record(frozen=True, slots=True)
class Sysctl:
    name: str
    value: str
    location: Location


@record(frozen=True, slots=True)
class PodSecurity:
    fs_group: Located
    supplemental_groups: tuple[Located, ...]
    sysctls: tuple[Sysctl, ...]
    run_as_group: Located
    anchor: Location
    host_process: Located | None = None  # securityContext.windowsOptions.hostProcess (a Windows HostProcess pod)


@record(frozen=True, slots=True)
class PodSpec:
    anchor: Location  # the pod spec (template.spec or spec) key
    labels: dict[str, str]
    annotations: dict[str, Located]
    service_account_name: Located
    automount_service_account_token: Located
    host_network: Located
    host_pid: Located
    host_ipc: Located
    host_users: Located
    volumes: tuple[Volume, ...]
    security: PodSecurity
    containers: tuple[Container, ...]


@record(frozen=True, slots=True)
class Workload:
    obj: K8sObject
    pod: PodSpec

    @property
    def is_headlamp(self) -> bool:
        return any(c.is_headlamp for c in self.pod.containers)

    @property
    def namespace(self) -> str:
        return self.obj.namespace or "default"


@record(frozen=True, slots=True)
class UnplacedContainers:
    """Containers in an object of a kind we do not know, outside any pod template we know how to read.

    Not modelled as a workload (its pod settings are not where Kubernetes'
    are), and reported once (HL023) so that it is never skipped silently.
    """

    obj: K8sObject
    path: str  # dotted path of the ``containers`` key, e.g. ``spec.runner.containers``
    location: Location  # the ``containers`` key
