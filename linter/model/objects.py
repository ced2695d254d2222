"""Kubernetes objects as read from the input, and the inventory of them all."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field

from linter.located import Location, Origin

CLUSTER_SCOPED_KINDS = frozenset(
    {
        "Namespace",
        "Node",
        "PersistentVolume",
        "ClusterRole",
        "ClusterRoleBinding",
        "CustomResourceDefinition",
        "StorageClass",
        "PriorityClass",
        "IngressClass",
        "GatewayClass",
        "ClusterIssuer",
        "ValidatingWebhookConfiguration",
        "MutatingWebhookConfiguration",
        "APIService",
        "PodSecurityPolicy",
        "RuntimeClass",
        "CSIDriver",
    }
)

# An object's own suppression annotation (linter/suppress.py reads it).
SUPPRESSION_ANNOTATION = "headlamp-lint.io/ignore"


@dataclass(frozen=True, order=True, slots=True)
class ObjectRef:
    kind: str
    namespace: str | None
    name: str

    def __str__(self) -> str:
        if self.namespace:
            return f"{self.kind} {self.namespace}/{self.name}"
        return f"{self.kind} {self.name}"


@dataclass(frozen=True, eq=False, slots=True)
class K8sObject:
    """One Kubernetes object.

    ``location`` is where the object starts (its ``kind``), or for objects
    rendered from values, the values key that produces them. ``namespace``
    is the effective namespace (``default`` when unset) and None for
    cluster-scoped kinds. The object's node tree is not kept: the model
    builders read it once, and the whole tree would outweigh the model.
    ``suppression_location`` is where the value of the
    ``SUPPRESSION_ANNOTATION`` is written, when it is a scalar.
    """

    api_version: str
    kind: str
    name: str
    namespace: str | None
    labels: dict[str, str]
    annotations: dict[str, str]
    path: str
    location: Location
    origin: Origin = Origin.MANIFEST
    doc_index: int = 0
    api_version_location: Location | None = None
    suppression_location: Location | None = None

    @property
    def ref(self) -> ObjectRef:
        return ObjectRef(self.kind, self.namespace, self.name)

    @property
    def group(self) -> str:
        return self.api_version.split("/", 1)[0] if "/" in self.api_version else ""


@dataclass
class Inventory:
    """Every object of the run, with indexes by kind and by namespace."""

    objects: list[K8sObject] = field(default_factory=list)
    _by_kind: dict[str, list[K8sObject]] = field(default_factory=lambda: defaultdict(list), repr=False)

    def add(self, obj: K8sObject) -> None:
        self.objects.append(obj)
        self._by_kind[obj.kind].append(obj)

    def of_kind(self, *kinds: str) -> list[K8sObject]:
        out: list[K8sObject] = []
        for kind in kinds:
            out.extend(self._by_kind.get(kind, ()))
        return out

    def find(self, kind: str, namespace: str | None, name: str) -> K8sObject | None:
        for obj in self._by_kind.get(kind, ()):
            if obj.name == name and (obj.namespace == namespace or obj.namespace is None):
                return obj
        return None

    def namespaces(self) -> set[str]:
        return {obj.namespace for obj in self.objects if obj.namespace}
