"""Kubernetes objects as read from the input."""

from __future__ import annotations

from linter.located import Location, Origin
from linter.records import record

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


def api_group(api_version: str) -> str:
    """The API group of an ``apiVersion`` (``apps/v1`` → ``apps``; ``v1``, the core group → "")."""
    return api_version.split("/", 1)[0] if "/" in api_version else ""


@record(frozen=True, order=True, slots=True)
class ObjectRef:
    kind: str
    namespace: str | None
    name: str

    def __str__(self) -> str:
        if self.namespace:
            return f"{self.kind} {self.namespace}/{self.name}"
        return f"{self.kind} {self.name}"


@record(frozen=True, eq=False, slots=True)
class K8sObject:
    """One Kubernetes object.

    ``location`` is where the object starts (its ``kind``), or for objects
    rendered from values, the values key that produces them. ``namespace``
    is the effective namespace (``default`` when unset) and None for
    cluster-scoped kinds. The object's node tree is not kept: the model
    builders read it once, and the whole tree would outweigh the model.
    ``suppression_location`` is where the value of the
    ``SUPPRESSION_ANNOTATION`` is written, when it is a scalar.
    ``namespace_location`` is where ``metadata.namespace`` is written.
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
    namespace_location: Location | None = None  # the metadata.namespace value, when written

    @property
    def ref(self) -> ObjectRef:
        return ObjectRef(self.kind, self.namespace, self.name)

    @property
    def group(self) -> str:
        return api_group(self.api_version)

